"""A loopback update endpoint that answers ``LOAD <url>`` as Virtuoso does, for push-by-LOAD tests.

It fetches each piece's URL over a raw socket (:func:`get`, which also reads the piece server's
answers in the tests) and reads it as N-Quads into a pyoxigraph store; a piece it cannot fetch
makes the request fail (500). Import the ``loading`` fixture into a test module (``from
load_endpoint import Loading, loading``) and ask for it by name; a real Virtuoso:
``tests/process/test_virtuoso_load.py``.
"""

from __future__ import annotations

import http.server
import re
import socket
import urllib.parse
from collections.abc import Iterator
from typing import ClassVar

import pyoxigraph as ox
import pytest
from loopback_http import running


def get(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """One exchange over a raw socket, read until the server closes."""
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname or "", parts.port or 80), timeout=10) as sock:
        sock.sendall(f"{method} {parts.path or '/'} HTTP/1.0\r\nHost: x\r\n\r\n".encode())
        reply = b""
        while chunk := sock.recv(1 << 20):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return int(status.split(" ")[1]), headers, body


class Loading(http.server.BaseHTTPRequestHandler):
    """An update endpoint that answers ``LOAD <url>`` as Virtuoso does: it fetches and reads.

    Attributes:
        store: What it has loaded.
        updates: Each request's update text, in order.
        fetched: Each piece it fetched and loaded, in order.
    """

    store = ox.Store()
    updates: ClassVar[list[str]] = []
    fetched: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        text = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.updates.append(text)
        status = 200
        for url in re.findall(r"LOAD <([^>]+)>", text):
            try:
                answered, _, piece = get(url)
            except OSError:
                answered = 500
            if answered == 200:
                self.fetched.append(piece)
                self.store.load(piece, format=ox.RdfFormat.N_QUADS)
            else:
                status = 500
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def loading() -> Iterator[str]:
    """The endpoint's update URL, on a new empty store."""
    Loading.store = ox.Store()
    Loading.updates = []
    Loading.fetched = []
    with running(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Loading)) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"


def held(store: ox.Store) -> dict[str, int]:
    """Each named graph of ``store`` and its quads."""
    counts: dict[str, int] = {}
    for quad in store:
        name = str(quad.graph_name.value)  # type: ignore[union-attr]
        counts[name] = counts.get(name, 0) + 1
    return counts
