"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint with a browser query page.

Routes: one record each in :data:`kg.server.routes.ROUTES` (path, methods, where it runs, handler,
cache rule; see :mod:`kg.server.routing`); ``docs/server.md`` shows the table the records make.
Every request has its ``Host`` header checked first (see below).

:meth:`App.handle` answers one :class:`Request` (the front, :mod:`kg.server.front`, reads it off
the socket) by its route record; :func:`kg.server.status.error_answer` is the one place where an
error becomes a status: :class:`~kg.errors.KgError` carries its own ``http_status``, anything
else is a bug and a 500. Each request is logged on the ``kg.server``
logger (``INFO``: client, request line, status, size); each 5xx with its traceback (``ERROR``).

Caching: nothing that shapes an answer changes while the server runs, so a ``GET`` answer of a
route whose record says ``etag`` carries an ``ETag`` (a digest of :func:`answer_version` — data,
engine, settings, named queries, package version, web assets — and the URL, ``Accept``, ``Host``
and ``Origin``) and ``Cache-Control: no-cache``; a request whose ``If-None-Match`` names it gets
304 without running anything. An answer that may differ on another run (``NOW()``, ``RAND()``,
``UUID()``, ``STRUUID()``, ``BNODE()``, any blank node) and every error answer carry
``Cache-Control: no-store`` and no ``ETag``.

Content negotiation: SELECT/ASK answer SPARQL JSON (the default for an absent or ``*/*``
``Accept``), XML, CSV or TSV; CONSTRUCT/DESCRIBE answer Turtle (the default), N-Triples, JSON-LD
or RDF/XML. Protocol errors are 4xx with a plain-text reason.

Limits (each a ``kg serve`` flag): every query runs in a worker process (:mod:`kg.server.workers`)
killed at its deadline; a row cap, flagged by the header ``X-KG-Truncated: true`` (and a
``"truncated": true`` member in SPARQL JSON) whenever it cut an answer; a cap on the request size;
deadlines and caps on connections (:mod:`kg.server.front`, see ``docs/server.md``); the rules of
:mod:`kg.query.safety` (no ``SERVICE``, no update, ``FROM`` only within the dataset); no outbound
connection from the server or its workers (:mod:`kg.sandbox`);
127.0.0.1 by default; a ``Host`` outside the allowed names is refused with 403 (DNS-rebinding
defence); no CORS header unless ``--cors ORIGIN``, and then for that origin only.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from kg.data.prefixes import PREFIXES
from kg.query.catalogue import NamedQuery
from kg.query.formats import FORMATS
from kg.query.labels import StoreLabels
from kg.query.resolve import AmbiguousEntity, EntityNotFound, Names
from kg.server.fairness import ClientSlots
from kg.server.jobs import EntityJob, ExploreJob, OntologyJob
from kg.server.lazy import Lazy
from kg.server.messages import Request, Response
from kg.server.pages import not_found_page
from kg.server.protocol import require, service_description
from kg.server.response import CSP, HTML, TEXT, Answer
from kg.server.routing import ETAG, Route, Routed, RouteTable
from kg.server.settings import ServerConfig
from kg.server.status import HttpError, error_answer
from kg.server.workers import WorkerPool

__all__ = ["App", "Request", "Response", "ServerConfig"]

log = logging.getLogger("kg.server")

WEB_ROOT = Path(__file__).resolve().parent.parent / "web"
#: Pages (entity, explorer) may take at least this long, whatever ``--timeout`` says.
PAGE_TIMEOUT_FLOOR = 60.0
#: How many explorer renderings the server keeps (they are ~1 MB each and data never changes).
EXPLORE_CACHE_SIZE = 8
#: The request headers an answer may depend on: each one is part of the answer's ``ETag``.
TAGGED_HEADERS = ("Accept", "Host", "Origin")
_STATIC_TYPES = {
    ".html": HTML,
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)


def _script_hashes(page: bytes) -> list[str]:
    """CSP hashes of a page's inline scripts (data blocks excepted)."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(page.decode("utf-8")):
        attrs = match.group("attrs").lower()
        if "src=" in attrs or "application/json" in attrs:
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.append("'sha256-" + base64.b64encode(digest).decode("ascii") + "'")
    return hashes


def _explore_csp(page: bytes) -> str:
    """The explorer inlines its scripts: allow exactly those, by hash."""
    scripts = " ".join(_script_hashes(page)) or "'none'"
    return (
        f"default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )


def _load_static() -> dict[str, tuple[str, bytes]]:
    """Every file under ``kg/web/`` by URL path, read once."""
    files = {}
    for path in sorted(WEB_ROOT.rglob("*")):
        if path.is_file():
            media = _STATIC_TYPES.get(path.suffix, TEXT)
            files["/static/" + path.relative_to(WEB_ROOT).as_posix()] = (media, path.read_bytes())
    return files


# ---------------------------------------------------------------- the application
class App:
    """What the request handlers share: configuration, data about the data, the worker pool.

    Args:
        config: The server's settings.
        pool: Where queries and pages are computed.
        catalogue: The named queries.
        labels: Every label, by IRI and language (read from the store when asked).
        graphs: The named graphs of the dataset.
        routes: The route records (:data:`kg.server.routes.ROUTES`).
        catalogue_json: The named queries as served at ``/queries``.
        names: Labels and aliases, so that entities and named-query parameters may be given
            by name (``唐杰``): made by the first request that needs them.
        fingerprint: A digest of the data and the engine (part of :func:`answer_version`).
    """

    def __init__(
        self,
        config: ServerConfig,
        pool: WorkerPool,
        catalogue: dict[str, NamedQuery],
        labels: StoreLabels,
        graphs: frozenset[str],
        routes: RouteTable,
        catalogue_json: bytes,
        fingerprint: str = "",
        names: Lazy[Names] | None = None,
    ) -> None:
        self._names = names
        self.config = config
        self.routes = routes
        self.pool = pool
        self.catalogue = catalogue
        self.forms = {name: named.form for name, named in catalogue.items()}
        self.catalogue_json = catalogue_json
        self.labels = labels
        self.graphs = graphs
        self.static = _load_static()
        self.version = answer_version(fingerprint, config, catalogue_json, self.static)
        self.allowed_hosts: frozenset[str] = frozenset()
        self.slots = ClientSlots(pool.size + pool.lane - 1)
        self._explore_cache: OrderedDict[tuple[str | None, str], Answer] = OrderedDict()
        self._explore_lock = threading.Lock()
        self._ontology: Answer | None = None

    @property
    def names(self) -> Names | None:
        """The index of names (made now if this is the first request that needs it)."""
        return None if self._names is None else self._names.get()

    def allow(self, host: str, port: int) -> None:
        """Set the ``Host`` values accepted, once the port is known."""
        names = {"localhost", "127.0.0.1", "[::1]", *(h.lower() for h in self.config.allow_hosts)}
        bound = host.lower()
        if bound not in {"", "0.0.0.0", "::"}:
            names.add(f"[{bound}]" if ":" in bound else bound)
        self.allowed_hosts = frozenset({*names, *(f"{n}:{port}" for n in names)})

    def run(self, request: Request, job: object, timeout: float) -> Answer:
        """Compute ``job`` for ``request`` in a worker, fairly (see :mod:`kg.server.fairness`).

        The job is given up (its worker killed) once the front sets ``request.gone``; the
        pool's failures are errors with their status.
        """
        with self.slots.hold(request.client, timeout, request.gone):
            answer: Answer = self.pool.call(job, timeout, request.gone)
        return answer

    # ------------------------------------------------------------ one request
    def handle(self, request: Request) -> Response:
        """Answer one request: route it, map any error to its status, log it."""
        headers: list[tuple[str, str]] = []
        csp, etag, failure = CSP, None, None
        try:
            self._check_host(request)
            path, _, query_string = request.target.partition("?")
            if len(request.target) > self.config.max_request_bytes:
                raise HttpError(414, "the URL is longer than the request size limit")
            route = self.routes.find(path)
            if request.method == "OPTIONS":
                answer, csp, headers = self._options(request, route)
            elif route is None:
                require(request.method, ("GET", "HEAD"))
                raise HttpError(404, f"not found: {path}")
            else:
                require(request.method, route.methods)
                etag = self._etag(request, route)
                tags = _tags(request.header("If-None-Match"))
                if etag is not None and etag in tags:
                    answer = Answer(304, TEXT, b"")
                else:
                    answer, csp, headers = route.handler(self, request, path, query_string)
                    if etag and "*" in tags and answer.status == 200 and not answer.varies:
                        answer = Answer(304, TEXT, b"")  # RFC 9110 13.1.2: any current one
        except Exception as err:
            failure = err
            answer, headers = error_answer(err)
        response = self._response(request, answer, headers, csp, etag)
        self._log(request, response, failure)
        return response

    def _options(self, request: Request, route: Route | None) -> Routed:
        """``OPTIONS`` on any path: what it allows, and CORS preflight when allowed."""
        methods = route.methods if route is not None else ("GET", "HEAD")
        headers = [("Allow", ", ".join([*methods, "OPTIONS"]))]
        if self.origin_allowed(request):
            headers += [
                ("Access-Control-Allow-Methods", "GET, POST"),
                ("Access-Control-Allow-Headers", "Accept, Content-Type"),
                ("Access-Control-Max-Age", "600"),
            ]
        return Answer(204, TEXT, b""), CSP, headers

    def runs_on_loop(self, target: str) -> bool:
        """True when the route of ``target`` answers from memory, on the event loop."""
        route = self.routes.find(target.partition("?")[0])
        return route is None or route.runs == "loop"

    def _check_host(self, request: Request) -> None:
        host = (request.header("Host") or "").strip().lower()
        if host not in self.allowed_hosts:
            raise HttpError(
                403,
                f"forbidden: Host {host or '(missing)'!r} is not a name this server answers to "
                "(see kg serve --allow-host)",
            )

    def _etag(self, request: Request, route: Route) -> str | None:
        if request.method not in {"GET", "HEAD"} or route.cache != ETAG:
            return None
        varying = (request.header(name) or "" for name in TAGGED_HEADERS)
        key = "\0".join([self.version, request.target, *varying])
        # Every part is text read as Latin-1 or written here: it always encodes.
        return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'

    def origin_allowed(self, request: Request) -> bool:
        """True when the request's ``Origin`` is the one ``--cors`` allows."""
        return self.config.cors is not None and request.header("Origin") == self.config.cors

    def _response(
        self,
        request: Request,
        answer: Answer,
        extra: list[tuple[str, str]],
        csp: str,
        etag: str | None,
    ) -> Response:
        headers = [
            ("Content-Type", answer.media_type),
            ("Content-Security-Policy", csp),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
        ]
        if etag is not None and answer.status in {200, 304} and not answer.varies:
            headers += [("ETag", etag), ("Cache-Control", "no-cache")]
        else:
            headers.append(("Cache-Control", "no-store"))
        if answer.truncated:
            headers += [("X-KG-Truncated", "true"), ("X-KG-Max-Rows", str(self.config.max_rows))]
        headers.append(("Vary", "Accept, Origin" if self.config.cors else "Accept"))
        if self.origin_allowed(request):
            headers += [
                ("Access-Control-Allow-Origin", self.config.cors or ""),
                ("Access-Control-Expose-Headers", "X-KG-Truncated, X-KG-Max-Rows"),
            ]
        body = b"" if answer.status == 304 else answer.body
        return Response(answer.status, [*headers, *extra], body)

    def _log(self, request: Request, response: Response, failure: Exception | None) -> None:
        line = f'{request.client} "{request.method} {request.target[:200]}" {response.status}'
        if response.status >= 500:
            info = (type(failure), failure, failure.__traceback__) if failure else None
            log.error("%s %d: %s", line, len(response.body), response.body[:300], exc_info=info)
        else:
            log.info("%s %d", line, len(response.body))

    @property
    def page_timeout(self) -> float:
        """The deadline of entity and explorer pages."""
        return max(self.config.timeout, PAGE_TIMEOUT_FLOOR)

    def explore(self, request: Request, focus: str | None, lang: str) -> tuple[Answer, str]:
        """The explorer page and its CSP (successful renderings are cached)."""
        key = (focus, lang)
        with self._explore_lock:
            cached = self._explore_cache.get(key)
            if cached is not None:
                self._explore_cache.move_to_end(key)
        if cached is None:
            cached = self.run(request, ExploreJob(focus, lang), self.page_timeout)
            if cached.status == 200:
                with self._explore_lock:
                    self._explore_cache[key] = cached
                    while len(self._explore_cache) > EXPLORE_CACHE_SIZE:
                        self._explore_cache.popitem(last=False)
        return cached, _explore_csp(cached.body) if cached.status == 200 else CSP

    def entity(self, request: Request, name: str) -> Answer:
        """The page of the entity ``name`` (any name the resolver accepts: ``唐杰``, ``TangJie``).

        The name is resolved here (300 when ambiguous, 404 when unknown, with the closest
        names); a worker renders the page of the IRI.
        """
        names = self.names
        try:
            iri = ox.NamedNode(names.resolve(name) if names is not None else name).value
        except AmbiguousEntity as err:
            choices = [(entry.iri, entry.title_with_types) for entry in err.entries]
            return Answer(300, HTML, not_found_page(name, choices, many=True).encode("utf-8"))
        except (EntityNotFound, ValueError) as err:
            suggestions = err.suggestions if isinstance(err, EntityNotFound) else []
            closest = [(entry.iri, entry.title) for entry in suggestions]
            return Answer(404, HTML, not_found_page(name, closest).encode("utf-8"))
        answer: Answer = self.run(request, EntityJob(iri, name), self.page_timeout)
        return answer

    def ontology(self, request: Request) -> Answer:
        """The ontology page, rendered by a worker on first request and kept."""
        cached = self._ontology
        if cached is None:
            cached = self.run(request, OntologyJob(), self.page_timeout)
            if cached.status == 200:
                self._ontology = cached
        return cached

    def service_description(self, authority: str) -> Answer:
        """The SPARQL Service Description of this endpoint, in Turtle."""
        limits = {
            "queryTimeoutSeconds": _typed(self.config.timeout, "decimal"),
            "maxRows": _typed(self.config.max_rows, "integer"),
            "maxRequestBytes": _typed(self.config.max_request_bytes, "integer"),
            "maxConnections": _typed(self.config.max_connections, "integer"),
            "maxConnectionsPerClient": _typed(self.config.max_per_client, "integer"),
            "requestHeadSeconds": _typed(self.config.head_timeout, "decimal"),
            "requestBodySeconds": _typed(self.config.body_timeout, "decimal"),
            "workers": _typed(self.pool.size, "integer"),
            "readOnly": ox.Literal("true", datatype=ox.NamedNode(PREFIXES["xsd"] + "boolean")),
            "truncationHeader": ox.Literal("X-KG-Truncated"),
        }
        body = service_description(f"http://{authority}/sparql", sorted(self.graphs), limits)
        return Answer(200, FORMATS.get("turtle").media_type, body)


def answer_version(
    fingerprint: str,
    config: ServerConfig,
    catalogue_json: bytes,
    static: Mapping[str, tuple[str, bytes]],
) -> str:
    """A digest of everything that shapes an answer, besides the request: every ``ETag`` has it.

    The data and the engine (``fingerprint``), every server setting, the named queries, the
    package's version and the web assets.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        package = version("zhipu-kg")
    except PackageNotFoundError:  # a checkout on the path, not installed
        package = "unknown"
    digest = hashlib.sha256()
    for part in (fingerprint, repr(config), package):
        digest.update(part.encode() + b"\0")
    digest.update(catalogue_json + b"\0")
    for path, (media, body) in sorted(static.items()):
        digest.update(f"{path}\0{media}\0".encode() + hashlib.sha256(body).digest())
    return digest.hexdigest()


def _tags(header: str | None) -> set[str]:
    """The entity tags an ``If-None-Match`` header names (weak ones compared as strong)."""
    if not header:
        return set()
    return {t.strip().removeprefix("W/") for t in header.split(",")}


def _typed(value: float, datatype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(PREFIXES["xsd"] + datatype))
