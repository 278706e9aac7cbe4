"""``kg push`` believes only what the server counts: a real ``oxigraph serve`` behind a proxy that
loses or adds a triple on the way.

The proxy is a middlebox on loopback that forwards every request to the real server unchanged,
except, when armed, the first request that carries triples (a Graph Store body, an ``INSERT``
update, form-encoded or direct): it drops that request's last triple, or adds one triple (a copy
of its first with another subject). The push goes through the public command, ``kg push``, and
must exit 1 without replacing any graph: the staged graphs are counted before the switch, and a
count that is one too high is as wrong as one too low. The same push through the disarmed proxy
succeeds, so the proxy itself hides nothing.
"""

from __future__ import annotations

import http.client
import http.server
import os
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from oxigraph_server import serving_oxigraph

from kg.remote.client import SparqlClient

ROOT = Path(__file__).resolve().parents[2]
EXTRA_SUBJECT = "<urn:x:kg-proxy-extra>"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


def _is_triple(line: str) -> bool:
    text = line.strip()
    return text.endswith(" .") and text[:1] in {"<", "_"}


def tamper_lines(text: str, mode: str) -> str | None:
    """``text`` with its last triple line dropped or its first copied (``None``: no triples)."""
    lines = text.split("\n")
    found = [i for i, line in enumerate(lines) if _is_triple(line)]
    if not found:
        return None
    if mode == "drop":
        del lines[found[-1]]
    else:
        first = lines[found[0]].strip()
        lines.insert(found[0], EXTRA_SUBJECT + first[first.index(" ") :])
    return "\n".join(lines)


class Proxy(http.server.ThreadingHTTPServer):
    """Forwards to ``upstream``; armed with ``mode``, tampers with one request's triples."""

    daemon_threads = True

    def __init__(self, upstream: int) -> None:
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.upstream = upstream
        self.mode: str | None = None
        self.tampered = 0
        self.lock = threading.Lock()

    def tamper(self, body: bytes, media: str) -> bytes:
        """The body as forwarded: changed once per arming, when it carries triples."""
        with self.lock:
            if self.mode is None or self.tampered:
                return body
            text = body.decode("utf-8")
            if media == "application/x-www-form-urlencoded":
                fields = urllib.parse.parse_qsl(text, keep_blank_values=True)
                if not any(name == "update" for name, _ in fields):
                    return body
                changed = []
                for name, value in fields:
                    new = tamper_lines(value, self.mode) if name == "update" else None
                    changed.append((name, new if new is not None else value))
                result = urllib.parse.urlencode(changed).encode()
            else:
                new = tamper_lines(text, self.mode)
                if new is None:
                    return body
                result = new.encode("utf-8")
            if result != body:
                self.tampered += 1
            return result


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    """One request, forwarded."""

    server: Proxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads the command's output, not the proxy's."""

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if body:
            body = self.server.tamper(body, media)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream, timeout=60)
        try:
            upstream.request(self.command, self.path, body or None, headers)
            reply = upstream.getresponse()
            data = reply.read()
        finally:
            upstream.close()
        self.send_response(reply.status, reply.reason)
        for name, value in reply.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward


def test_tamper_lines_drops_the_last_triple_or_adds_one() -> None:
    text = 'INSERT DATA { GRAPH <urn:g> {\n<urn:a> <urn:p> "x y" .\n_:b <urn:p> <urn:c> .\n} }'
    assert (
        tamper_lines(text, "drop") == 'INSERT DATA { GRAPH <urn:g> {\n<urn:a> <urn:p> "x y" .\n} }'
    )
    added = tamper_lines(text, "extra")
    assert added is not None and f'{EXTRA_SUBJECT} <urn:p> "x y" .\n<urn:a>' in added
    assert tamper_lines("MOVE GRAPH <urn:a> TO GRAPH <urn:b>", "drop") is None


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh ``oxigraph serve`` (base URL), holding the shipped data pushed once directly."""
    with serving_oxigraph(tmp_path_factory.mktemp("push-verify"), union_default_graph=True) as base:
        done = push_to(base)
        assert done.returncode == 0, done.stderr[-800:]
        yield base


@pytest.fixture
def proxy(oxigraph: str) -> Iterator[Proxy]:
    """The tampering proxy in front of the server (disarmed)."""
    server = Proxy(int(oxigraph.rsplit(":", 1)[1]))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def push_to(base: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """``kg push`` to the server at ``base`` (query, update and graph-store URLs)."""
    return subprocess.run(
        [sys.executable, "-m", "kg", "push", "--endpoint", base + "/query",
         "--update", base + "/update", *extra],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def graph_counts(base: str) -> dict[str, int]:
    """Triples per named graph, as the server counts them."""
    rows = (
        SparqlClient(base + "/query", timeout=60)
        .query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", "SELECT")
        .rows
    )
    return {str(g.value): int(n.value) for g, n in rows}


def kept(counts: dict[str, int]) -> dict[str, int]:
    """The counts of the pushed graphs (staging graphs left out)."""
    return {g: n for g, n in counts.items() if "staging" not in g}


@pytest.mark.parametrize(
    ("route", "mode"), [("update", "drop"), ("update", "extra"), ("graph-store", "drop")]
)
def test_a_push_whose_counts_differ_fails_and_replaces_nothing(
    oxigraph: str, proxy: Proxy, mode: str, route: str
) -> None:
    before = kept(graph_counts(oxigraph))
    assert sum(before.values()) > 1000
    through = f"http://127.0.0.1:{proxy.server_address[1]}"
    extra = ["--graph-store", through + "/store"] if route == "graph-store" else []
    proxy.mode = mode
    done = push_to(through, *extra)
    assert proxy.tampered == 1, "the proxy saw no triples to tamper with"
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr[-800:])
    assert "Traceback" not in done.stderr and done.stderr.strip()
    # staged counts are checked before the switch: every graph still holds what it held
    assert kept(graph_counts(oxigraph)) == before
    proxy.mode = None
    again = push_to(through, *extra)
    assert again.returncode == 0, again.stderr[-800:]
    assert kept(graph_counts(oxigraph)) == before
    assert not [g for g in graph_counts(oxigraph) if "staging" in g], "staging left over"
