"""HTTP servers on loopback for the client's and the push's tests, run in a thread for a block.

:func:`running` serves any ``http.server`` server; :func:`serving_raw` is a raw server whose
replies are written by hand (a cut body, a broken chunk, odd headers), which no HTTP server
library would send: each connection gets the bytes its path names, then closes.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

Server = TypeVar("Server", bound=socketserver.BaseServer)

#: What a test's server sends for a request's path (query string left out); ``None``: close
#: the connection unanswered.
Reply = Callable[[str], "bytes | None"]


def _serve(sock: socket.socket, reply: Reply) -> None:
    while True:
        try:
            connection, _ = sock.accept()
        except OSError:
            return
        with connection:
            connection.settimeout(5)
            request = b""
            with contextlib.suppress(OSError):
                while b"\r\n\r\n" not in request and len(request) < 65536:
                    chunk = connection.recv(4096)
                    if not chunk:
                        break
                    request += chunk
            target = request.split(b" ", 2)[1].decode() if b" " in request else ""
            answer = reply(target.split("?")[0])
            if answer is not None:
                with contextlib.suppress(OSError):
                    connection.sendall(answer)


@contextlib.contextmanager
def serving_raw(reply: Reply) -> Iterator[tuple[str, int]]:
    """The server's (host, port) for the block; it has stopped when the block ends."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    thread = threading.Thread(target=_serve, args=(sock, reply), daemon=True)
    thread.start()
    try:
        yield sock.getsockname()
    finally:
        with contextlib.suppress(OSError):  # wakes the blocked accept(); close() alone does not
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the raw server did not stop"


@contextlib.contextmanager
def running(server: Server) -> Iterator[Server]:
    """``server`` serving in a thread for the block, then shut down and closed."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
