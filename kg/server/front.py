"""The HTTP front of ``kg serve``: the request handler, the threaded server, start and stop.

The handler reads a request, asks :class:`kg.server.app.App` for the answer and writes it out.
"""

from __future__ import annotations

__all__ = ["Handler", "SparqlServer", "create_server", "serve"]

import json
import signal
import socket
import sys
import threading
import urllib.parse
from collections.abc import Callable, Sequence
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType
from typing import Any, NoReturn

from kg.data.paths import data_dir
from kg.query.catalogue import bind_params, load_catalogue
from kg.query.engines import EndpointEngine, Engine, open_engine
from kg.server.answers import (
    TEXT,
    Answer,
    EntityJob,
    QueryJob,
    Service,
    load_labels,
)
from kg.server.app import CSP, IDLE_SECONDS, MAX_LABEL_IRIS, App, ServerConfig, unquote_path
from kg.server.protocol import (
    READ_ONLY,
    HttpError,
    choose_format,
    form_fields,
    media_type,
    read_request,
    require,
)
from kg.server.workers import (
    WorkerPool,
)
from kg.server.workers import forbid_outbound_connections as _forbid


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
            return self._named(unquote_path(path[len("/queries/") :]), query_string), CSP
        if path.startswith("/entity/"):
            identifier = unquote_path(path[len("/entity/") :])
            return self.app.run(EntityJob(identifier), self.app.page_timeout), CSP
        if path == "/ontology":
            from kg.explore.ontology_page import served_page  # rdflib only when asked for

            return Answer(200, "text/html; charset=utf-8", served_page(self.app.config.data)), CSP
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
        kg.data.paths.DataDirError: No data folder.
        kg.query.engines.EngineError: The engine cannot load the data.
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
