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
``/explore?focus=ID``     The graph explorer of :mod:`kg.explore.page`, whole or around ``kgr:ID``.
``/static/…``             The page's scripts and styles, from ``kg/web/`` (no CDN).
========================  ====================================================================

Content negotiation: SELECT/ASK answer SPARQL JSON (the default for an absent or ``*/*``
``Accept``), XML, CSV or TSV; CONSTRUCT/DESCRIBE answer Turtle (the default), N-Triples, JSON-LD
or RDF/XML. Protocol errors are 4xx with a plain-text reason.

Limits (each a ``kg serve`` flag): every query runs in a worker process (:mod:`kg.server.workers`)
killed at its deadline; a row cap, flagged by the header ``X-KG-Truncated: true`` (and a
``"truncated": true`` member in SPARQL JSON) whenever it cut an answer; a cap on the request size;
a cap on simultaneous connections (idle ones close after :data:`IDLE_SECONDS`); the rules of
:mod:`kg.query.safety` (no ``SERVICE``, no update, ``FROM`` only within the dataset); no outbound
connection from the server or its workers (:func:`kg.server.workers.forbid_outbound_connections`);
127.0.0.1 by default; a ``Host`` outside the allowed names is refused with 403 (DNS-rebinding
defence); no CORS header unless ``--cors ORIGIN``, and then for that origin only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sys
import threading
import urllib.parse
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.data.prefixes import PREFIXES
from kg.query.catalogue import NamedQuery
from kg.server.answers import (
    GRAPH_MEDIA_TYPES,
    HTML,
    TEXT,
    Answer,
    ExploreJob,
    Labels,
)
from kg.server.protocol import (
    HttpError,
    service_description,
)
from kg.server.workers import (
    JobFailed,
    WorkerError,
    WorkerPool,
    WorkersBusy,
    WorkerTimeout,
    default_size,
)

__all__ = ["App", "ServerConfig"]

WEB_ROOT = Path(__file__).resolve().parent.parent / "web"
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
        engine: Engine spec (see :func:`kg.query.engines.open_engine`).
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


def unquote_path(text: str) -> str:
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
