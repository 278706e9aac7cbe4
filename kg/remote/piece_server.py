"""A one-off HTTP server that hands a SPARQL server the pieces of a push, for it to ``LOAD``.

It lives for one push (a context manager): it binds the address given (port 0: any free port),
serves ``GET`` (and ``HEAD``) of exactly the pieces added and not yet removed, under a random,
unguessable path token (``/<token>/<n>.nq``), and answers 404 to every other path: no listing,
no files of this machine, nothing after the piece is loaded. Other methods get 501. It writes
nothing to the terminal; the paths fetched are kept in :attr:`PieceServer.fetched`.
"""

from __future__ import annotations

import secrets
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import cast

__all__ = ["NQUADS", "PieceServer"]

#: The media type the pieces are served as (Virtuoso reads the graph names of N-Quads).
NQUADS = "application/n-quads"


class _Files(ThreadingHTTPServer):
    daemon_threads = True
    pieces: dict[str, bytes]
    fetched: list[str]
    lock: threading.Lock


class _Files6(_Files):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server_version = "kg-push-pieces"
    sys_version = ""

    def _piece(self) -> bytes | None:
        files = cast(_Files, self.server)
        with files.lock:
            return files.pieces.get(self.path)

    def _answer(self, body: bool) -> None:
        data = self._piece()
        if data is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", NQUADS)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:  # counted before it is written: a client that has read it finds it counted
            files = cast(_Files, self.server)
            with files.lock:
                files.fetched.append(self.path)
            self.wfile.write(data)

    def do_GET(self) -> None:
        """A piece, or 404."""
        self._answer(body=True)

    def do_HEAD(self) -> None:
        """A piece's headers, or 404."""
        self._answer(body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Nothing on the terminal (the paths fetched are kept on the server)."""


class PieceServer:
    """The push's pieces, served over HTTP for the push's duration only.

    Args:
        host: The address to bind, one the SPARQL server can reach this machine at.
        port: The port (0: any free port).
    """

    def __init__(self, host: str, port: int = 0) -> None:
        files = _Files6 if ":" in host else _Files  # an IPv6 address needs an IPv6 socket
        self._files = files((host, port), _Handler, bind_and_activate=False)
        self._files.pieces = {}
        self._files.fetched = []
        self._files.lock = threading.Lock()
        self._token = secrets.token_urlsafe(24)
        self._count = 0
        self._host = f"[{host}]" if ":" in host else host
        self._thread: threading.Thread | None = None

    def __enter__(self) -> PieceServer:
        try:
            self._files.server_bind()
            self._files.server_activate()
        except OSError:
            self._files.server_close()
            raise
        self._thread = threading.Thread(target=self._files.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._thread is not None:
            self._files.shutdown()
            self._thread.join()
        self._files.server_close()
        with self._files.lock:
            self._files.pieces.clear()

    @property
    def base(self) -> str:
        """``http://HOST:PORT``, as the SPARQL server reaches it."""
        return f"http://{self._host}:{self._files.server_address[1]}"

    @property
    def fetched(self) -> list[str]:
        """The paths answered with their body so far, in order."""
        with self._files.lock:
            return list(self._files.fetched)

    def add(self, data: bytes) -> str:
        """Serve ``data`` at a new path; its URL."""
        self._count += 1
        path = f"/{self._token}/{self._count}.nq"
        with self._files.lock:
            self._files.pieces[path] = data
        return self.base + path

    def remove(self, url: str) -> None:
        """Stop serving the piece at ``url`` (404 from now on)."""
        path = url.removeprefix(self.base)
        with self._files.lock:
            self._files.pieces.pop(path, None)
