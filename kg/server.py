"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint with a browser query page.

Routes (every one checks the ``Host`` header first, see below):

========================  ====================================================================
``/sparql``               SPARQL 1.1 Protocol: ``GET ?query=``, ``POST`` form
                          (``application/x-www-form-urlencoded``) or direct
                          (``application/sparql-query``); ``default-graph-uri`` /
                          ``named-graph-uri`` against graphs in the dataset only. Without a
                          query, ``GET`` returns the SPARQL Service Description (Turtle).
``/update``               403: the endpoint is read-only (so is any ``update=`` field and any
                          ``application/sparql-update`` body).
``/``                     The query page (``kg/web/index.html``; editor, named queries, results).
``/queries``              The named queries as JSON; ``/queries/NAME?PARAM=VALUE`` runs one with
                          its parameters bound (never spliced), negotiated like ``/sparql``.
``/labels``               ``POST`` a JSON list of IRIs: their ``rdfs:label`` in Chinese and English.
``/entity/ID``            The page of ``kgr:ID``: labels, types, every fact with its quote.
``/explore?focus=ID``     The graph explorer of :mod:`kg.viz`, whole or around ``kgr:ID``.
``/static/…``             The page's scripts and styles, from ``kg/web/`` (no CDN).
========================  ====================================================================

Content negotiation: SELECT/ASK answer SPARQL JSON (the default for an absent or ``*/*``
``Accept``), XML, CSV or TSV; CONSTRUCT/DESCRIBE answer Turtle (the default), N-Triples, JSON-LD
or RDF/XML. Protocol errors are 4xx with a plain-text reason.

Limits (each a ``kg serve`` flag): every query runs in a worker process (:mod:`kg.workers`)
killed at its deadline; a row cap, flagged by the header ``X-KG-Truncated: true`` (and a
``"truncated": true`` member in SPARQL JSON) whenever it cut an answer; a cap on the request size;
a cap on simultaneous connections (idle ones close after :data:`IDLE_SECONDS`); the rules of
:mod:`kg.safety` (no ``SERVICE``, no update, ``FROM`` only within the dataset); no outbound
connection from the server or its workers (:func:`kg.workers.forbid_outbound_connections`);
127.0.0.1 by default; a ``Host`` outside the allowed names is refused with 403 (DNS-rebinding
defence); no CORS header unless ``--cors ORIGIN``, and then for that origin only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import signal
import socket
import sys
import threading
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

import pyoxigraph as ox

from kg.answers import (
    GRAPH_MEDIA_TYPES,
    HTML,
    TEXT,
    Answer,
    EntityJob,
    ExploreJob,
    Labels,
    QueryJob,
    Service,
    load_labels,
)
from kg.catalogue import NamedQuery, bind_params, load_catalogue
from kg.engines import EndpointEngine, Engine, open_engine
from kg.paths import data_dir
from kg.prefixes import PREFIXES
from kg.protocol import (
    READ_ONLY,
    HttpError,
    choose_format,
    form_fields,
    media_type,
    read_request,
    require,
    service_description,
)
from kg.workers import (
    JobFailed,
    WorkerError,
    WorkerPool,
    WorkersBusy,
    WorkerTimeout,
    default_size,
)
from kg.workers import forbid_outbound_connections as _forbid

__all__ = ["App", "ServerConfig", "SparqlServer", "create_server", "serve"]

WEB_ROOT = Path(__file__).resolve().parent / "web"
#: Seconds an idle keep-alive connection (or a slow client) may hold a connection slot.
IDLE_SECONDS = 20.0
#: Pages (entity, explorer) may take at least this long, whatever ``--timeout`` says.
PAGE_TIMEOUT_FLOOR = 60.0
#: How many explorer renderings the server keeps (they are ~1 MB each and data never changes).
EXPLORE_CACHE_SIZE = 8
MAX_LABEL_IRIS = 10_000
CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_STATIC_TYPES = {
    ".html": HTML,
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)
_EXAMPLE = re.compile(r"e\.g\.\s+([^\s,;()]+)")


@dataclass(frozen=True)
class ServerConfig:
    """Everything ``kg serve`` can be told.

    Attributes:
        host: Address to bind.
        port: Port to bind (0: any free port).
        data: Data folder (default: the shipped data).
        engine: Engine spec (see :func:`kg.engines.open_engine`).
        endpoint: Relay to this SPARQL server instead of a local engine.
        timeout: Deadline of every query, in seconds.
        max_rows: Row cap of every answer.
        max_request_bytes: Largest request body (and URL) accepted.
        workers: Worker processes (queries that run at once).
        max_connections: Connections served at once (more wait to be accepted).
        allow_hosts: ``Host`` names accepted besides localhost, 127.0.0.1 and [::1].
        cors: The one origin allowed to read answers cross-origin, if any.
    """

    host: str = "127.0.0.1"
    port: int = 8000
    data: Path | None = None
    engine: str | None = None
    endpoint: str | None = None
    timeout: float = 30.0
    max_rows: int = 10_000
    max_request_bytes: int = 1 << 20
    workers: int = field(default_factory=default_size)
    max_connections: int = 128
    allow_hosts: tuple[str, ...] = ()
    cors: str | None = None


def _unquote(text: str) -> str:
    try:
        return urllib.parse.unquote(text, errors="strict")
    except UnicodeDecodeError:
        raise HttpError(400, "bad request: the path must be percent-encoded UTF-8") from None


def _title(summary: str) -> str:
    """The part of a summary before its first colon (the named query's title)."""
    head = re.split(r"[:：]", summary, maxsplit=1)[0].strip()
    return head or summary


def _example(description: str) -> str | None:
    match = _EXAMPLE.search(description)
    return match.group(1) if match else None


def _catalogue_json(catalogue: dict[str, NamedQuery], forms: dict[str, str]) -> bytes:
    queries = [
        {
            "name": named.name,
            "title": _title(named.summary),
            "title_zh": _title(named.summary_zh),
            "summary": named.summary,
            "summary_zh": named.summary_zh,
            "tags": list(named.tags),
            "form": forms[named.name],
            "text": named.text,
            "params": [
                {
                    "name": p.name,
                    "type": p.type,
                    "description": p.description,
                    "optional": p.optional,
                    "default": p.default,
                    "example": p.default or (None if p.optional else _example(p.description)),
                }
                for p in named.params
            ],
        }
        for named in catalogue.values()
    ]
    document = {"prefixes": PREFIXES, "queries": queries}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


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
        labels: Every label, by IRI and language.
        graphs: The named graphs of the dataset.
    """

    def __init__(
        self,
        config: ServerConfig,
        pool: WorkerPool,
        catalogue: dict[str, NamedQuery],
        labels: Labels,
        graphs: frozenset[str],
    ) -> None:
        self.config = config
        self.pool = pool
        self.catalogue = catalogue
        self.forms = {name: named.form for name, named in catalogue.items()}
        self.catalogue_json = _catalogue_json(catalogue, self.forms)
        self.labels = labels
        self.graphs = graphs
        self.static = _load_static()
        self.allowed_hosts: frozenset[str] = frozenset()
        self._explore_cache: OrderedDict[tuple[str | None, str], Answer] = OrderedDict()
        self._explore_lock = threading.Lock()

    def allow(self, host: str, port: int) -> None:
        """Set the ``Host`` values accepted, once the port is known."""
        names = {"localhost", "127.0.0.1", "[::1]", *(h.lower() for h in self.config.allow_hosts)}
        bound = host.lower()
        if bound not in {"", "0.0.0.0", "::"}:
            names.add(f"[{bound}]" if ":" in bound else bound)
        self.allowed_hosts = frozenset({*names, *(f"{n}:{port}" for n in names)})

    def run(self, job: object, timeout: float) -> Answer:
        """Compute ``job`` in a worker, mapping the pool's failures to answers."""
        try:
            answer: Answer = self.pool.call(job, timeout)
        except WorkersBusy as err:
            return Answer.text(503, f"server busy: {err}")
        except WorkerTimeout as err:
            return Answer.text(503, f"query {err} (kg serve --timeout)")
        except (JobFailed, WorkerError) as err:
            print(f"kg serve: internal error: {err}", file=sys.stderr, flush=True)
            return Answer.text(500, f"internal error: {err}")
        return answer

    @property
    def page_timeout(self) -> float:
        """The deadline of entity and explorer pages."""
        return max(self.config.timeout, PAGE_TIMEOUT_FLOOR)

    def explore(self, focus: str | None, lang: str) -> tuple[Answer, str]:
        """The explorer page and its CSP (successful renderings are cached)."""
        key = (focus, lang)
        with self._explore_lock:
            cached = self._explore_cache.get(key)
            if cached is not None:
                self._explore_cache.move_to_end(key)
        if cached is None:
            cached = self.run(ExploreJob(focus, lang), self.page_timeout)
            if cached.status == 200:
                with self._explore_lock:
                    self._explore_cache[key] = cached
                    while len(self._explore_cache) > EXPLORE_CACHE_SIZE:
                        self._explore_cache.popitem(last=False)
        return cached, _explore_csp(cached.body) if cached.status == 200 else CSP

    def service_description(self, authority: str) -> Answer:
        """The SPARQL Service Description of this endpoint, in Turtle."""
        limits = {
            "queryTimeoutSeconds": _typed(self.config.timeout, "decimal"),
            "maxRows": _typed(self.config.max_rows, "integer"),
            "maxRequestBytes": _typed(self.config.max_request_bytes, "integer"),
            "maxConnections": _typed(self.config.max_connections, "integer"),
            "workers": _typed(self.pool.size, "integer"),
            "readOnly": ox.Literal("true", datatype=ox.NamedNode(PREFIXES["xsd"] + "boolean")),
            "truncationHeader": ox.Literal("X-KG-Truncated"),
        }
        body = service_description(f"http://{authority}/sparql", sorted(self.graphs), limits)
        return Answer(200, GRAPH_MEDIA_TYPES["turtle"], body)


def _typed(value: float, datatype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(PREFIXES["xsd"] + datatype))


class Handler(BaseHTTPRequestHandler):
    """One connection's requests (HTTP/1.1, keep-alive)."""

    protocol_version = "HTTP/1.1"
    server_version = "kg-serve"
    sys_version = ""
    timeout = IDLE_SECONDS
    disable_nagle_algorithm = True
    # errors http.server answers itself (unknown method, malformed or oversized request line)
    error_content_type = TEXT
    error_message_format = "%(code)d %(message)s: %(explain)s\n"
    server: SparqlServer

    # ------------------------------------------------------------ plumbing
    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: ``kg serve`` reports only internal errors."""

    @property
    def app(self) -> App:
        """The application."""
        return self.server.app

    def do_GET(self) -> None:
        """GET."""
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        """HEAD: as GET, without the body."""
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        """POST."""
        self._dispatch("POST")

    def do_OPTIONS(self) -> None:
        """OPTIONS (CORS preflight)."""
        self._dispatch("OPTIONS")

    def do_PUT(self) -> None:
        """PUT: never allowed."""
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        """DELETE: never allowed."""
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:
        """PATCH: never allowed."""
        self._dispatch("PATCH")

    def _dispatch(self, method: str) -> None:
        self._body_read = False
        headers: list[tuple[str, str]] = []
        csp = CSP
        try:
            self._check_host()
            path, _, query_string = self.path.partition("?")
            if len(self.path) > self.app.config.max_request_bytes:
                raise HttpError(414, "the URL is longer than the request size limit")
            if method == "OPTIONS":
                answer = Answer(204, TEXT, b"")
                headers += [("Allow", "GET, HEAD, POST, OPTIONS"), *self._preflight()]
            else:
                answer, csp = self._route(method, path, query_string)
        except HttpError as err:
            answer, headers = err.answer, [*headers, *err.headers]
        except Exception as err:  # a bug: answer 500 rather than drop the connection
            print(f"kg serve: internal error: {err!r}", file=sys.stderr, flush=True)
            answer = Answer.text(500, f"internal error: {type(err).__name__}")
        self._send(method, answer, headers, csp)

    def _route(self, method: str, path: str, query_string: str) -> tuple[Answer, str]:
        if path == "/sparql":
            return self._sparql(method, query_string), CSP
        if path == "/update" or path.startswith("/update/"):
            raise HttpError(403, READ_ONLY)
        if path == "/labels":
            require(method, ("POST",))
            return self._labels(), CSP
        require(method, ("GET", "HEAD"))
        if path == "/":
            path = "/static/index.html"
        if path in self.app.static:
            media, body = self.app.static[path]
            return Answer(200, media, body), CSP
        if path == "/queries":
            return Answer(200, "application/json", self.app.catalogue_json), CSP
        if path.startswith("/queries/"):
            return self._named(_unquote(path[len("/queries/") :]), query_string), CSP
        if path.startswith("/entity/"):
            identifier = _unquote(path[len("/entity/") :])
            return self.app.run(EntityJob(identifier), self.app.page_timeout), CSP
        if path == "/explore":
            fields = dict(form_fields(query_string))
            focus = fields.get("focus") or None
            return self.app.explore(focus, "en" if fields.get("lang") == "en" else "zh")
        raise HttpError(404, f"not found: {path}")

    def _check_host(self) -> None:
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.app.allowed_hosts:
            self.close_connection = True
            raise HttpError(
                403,
                f"forbidden: Host {host or '(missing)'!r} is not a name this server answers to "
                "(see kg serve --allow-host)",
            )

    def _origin_allowed(self) -> bool:
        origin = self.headers.get("Origin")
        return self.app.config.cors is not None and origin == self.app.config.cors

    def _preflight(self) -> list[tuple[str, str]]:
        if not self._origin_allowed():
            return []
        return [
            ("Access-Control-Allow-Methods", "GET, POST"),
            ("Access-Control-Allow-Headers", "Accept, Content-Type"),
            ("Access-Control-Max-Age", "600"),
        ]

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise HttpError(411, "length required: send a Content-Length, not chunks")
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            self.close_connection = True
            raise HttpError(411, "length required: send a Content-Length")
        try:
            length = int(length_header)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            raise HttpError(400, "bad request: Content-Length is not a number")
        if length > self.app.config.max_request_bytes:
            self.close_connection = True
            raise HttpError(
                413,
                f"request too large: {length:,} bytes; the limit is "
                f"{self.app.config.max_request_bytes:,} (kg serve --max-request-bytes)",
            )
        body = self.rfile.read(length)
        self._body_read = True
        if len(body) != length:
            self.close_connection = True
            raise HttpError(400, "bad request: the body is shorter than its Content-Length")
        return body

    def _text_body(self) -> str:
        try:
            return self._read_body().decode("utf-8")
        except UnicodeDecodeError:
            raise HttpError(400, "bad request: the body is not UTF-8") from None

    def _send(
        self, method: str, answer: Answer, headers: Sequence[tuple[str, str]], csp: str
    ) -> None:
        sent_body = self.headers.get("Transfer-Encoding") or self.headers.get("Content-Length")
        if sent_body not in {None, "0"} and not self._body_read:
            self.close_connection = True  # an unread body must not be taken for a request
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.media_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("Content-Security-Policy", csp)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        if answer.truncated:
            self.send_header("X-KG-Truncated", "true")
            self.send_header("X-KG-Max-Rows", str(self.app.config.max_rows))
        self.send_header("Vary", "Accept, Origin" if self.app.config.cors else "Accept")
        if self._origin_allowed():
            self.send_header("Access-Control-Allow-Origin", self.app.config.cors or "")
            self.send_header("Access-Control-Expose-Headers", "X-KG-Truncated, X-KG-Max-Rows")
        for name, value in headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(answer.body)

    # ------------------------------------------------------------ SPARQL 1.1 Protocol
    def _sparql(self, method: str, query_string: str) -> Answer:
        content_type = self.headers.get("Content-Type")
        request = read_request(method, query_string, content_type, self._text_body, self.app.graphs)
        if request is None:
            return self.app.service_description(self.headers.get("Host", ""))
        fmt = choose_format(self.headers.get("Accept"), request.form)
        job = QueryJob(request.text, fmt, {}, request.default_graphs, request.named_graphs)
        return self.app.run(job, self.app.config.timeout)

    # ------------------------------------------------------------ the page's own API
    def _named(self, name: str, query_string: str) -> Answer:
        named = self.app.catalogue.get(name)
        if named is None:
            raise HttpError(404, f"not found: no named query {name!r}")
        fields = form_fields(query_string)
        raw = dict(fields)
        if len(raw) != len(fields):
            raise HttpError(400, "bad request: a parameter is given twice")
        try:
            bindings = bind_params(named, {k: v for k, v in raw.items() if v.strip()})
        except ValueError as err:
            raise HttpError(400, f"bad request: {err}") from None
        fmt = choose_format(self.headers.get("Accept"), self.app.forms[name])
        return self.app.run(QueryJob(named.text, fmt, bindings), self.app.config.timeout)

    def _labels(self) -> Answer:
        media, _ = media_type(self.headers.get("Content-Type"))
        if media != "application/json":
            raise HttpError(415, "unsupported media type: POST a JSON list of IRIs")
        try:
            iris = json.loads(self._text_body())
        except json.JSONDecodeError as err:
            raise HttpError(400, f"bad request: not JSON ({err})") from None
        if not isinstance(iris, list) or len(iris) > MAX_LABEL_IRIS:
            raise HttpError(400, f"bad request: send a JSON list of at most {MAX_LABEL_IRIS} IRIs")
        found = {
            iri: self.app.labels[iri]
            for iri in iris
            if isinstance(iri, str) and iri in self.app.labels
        }
        return Answer(
            200, "application/json", json.dumps(found, ensure_ascii=False).encode("utf-8")
        )


class SparqlServer(ThreadingHTTPServer):
    """A threaded HTTP server that serves at most ``max_connections`` connections at once.

    Args:
        address: ``(host, port)`` to bind.
        app: The application.
    """

    daemon_threads = True
    block_on_close = False
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: App) -> None:
        self.app = app
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self._slots = threading.BoundedSemaphore(app.config.max_connections)
        super().__init__(address, Handler)
        app.allow(address[0], self.port)

    @property
    def port(self) -> int:
        """The bound port."""
        port: int = self.server_address[1]
        return port

    def process_request(self, request: Any, client_address: Any) -> None:
        """Wait for a free connection slot, then serve the connection in a thread."""
        self._slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Serve one connection and free its slot."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up is not an error worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def server_close(self) -> None:
        """Close the socket and stop the workers."""
        super().server_close()
        self.app.pool.close()


# ---------------------------------------------------------------- starting
def _allowed_outbound(engine: Engine) -> frozenset[str]:
    """Hosts the workers may connect to: a relayed endpoint's, and none otherwise."""
    if not isinstance(engine, EndpointEngine):
        return frozenset()
    host = urllib.parse.urlsplit(engine.url).hostname or ""
    return frozenset({host, "127.0.0.1", "::1"} if host == "localhost" else {host})


def create_server(config: ServerConfig) -> SparqlServer:
    """Load the data, fork the workers, and bind (without serving yet).

    Call it before the process starts any thread: the worker pool forks.

    Raises:
        kg.paths.DataDirError: No data folder.
        kg.engines.EngineError: The engine cannot load the data.
        OSError: The address cannot be bound.
    """
    layout = data_dir(config.data)
    engine = open_engine(layout, config.engine, config.endpoint)
    labels = load_labels(engine)
    catalogue = load_catalogue(layout)
    graphs = frozenset(engine.graph_names())
    service = Service(engine, layout, labels, config.max_rows)
    initializer = partial(_forbid, _allowed_outbound(engine))
    pool = WorkerPool(service.handle, config.workers, initializer)
    try:
        return SparqlServer(
            (config.host, config.port), App(config, pool, catalogue, labels, graphs)
        )
    except BaseException:
        pool.close()
        raise


def _stop(signum: int, frame: FrameType | None) -> NoReturn:
    raise SystemExit(0)


def serve(config: ServerConfig, announce: Callable[[str], None] = print) -> None:
    """Run the server until interrupted (Ctrl-C or SIGTERM).

    Also forbids outbound connections in this process for good (an audit hook), so call it
    only in a process whose job is to serve.

    Args:
        config: The settings.
        announce: Where to print the addresses once the server listens.
    """
    server = create_server(config)
    _forbid(frozenset())
    host = str(server.server_address[0])
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{'127.0.0.1' if host in {'0.0.0.0', '::'} else shown}:{server.port}"
    announce(f"Query page:      {base}/")
    announce(f"Graph explorer:  {base}/explore")
    announce(f"SPARQL endpoint: {base}/sparql")
    signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
