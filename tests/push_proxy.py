"""A loopback proxy for push tests: forwards to a real server, changing requests by a rule.

Between :func:`kg.remote.push.push` (or ``kg push``) and a real ``oxigraph serve`` it forwards
every request unchanged unless a test gives it a rule: rewrite an update's text (drop a triple,
add one, add a graph instead of moving it), or answer one request with an error (the network
broke there). With :attr:`Proxy.passes_server` it answers with the server's own ``Server``
header (a push then takes it for the server behind it: a Virtuoso's goes by ``LOAD``). Used by
``tests/process/test_push_verify.py`` (the public command) and
``tests/process/test_mutants_push*.py`` (the function, for the mutation runs).
"""

from __future__ import annotations

import contextlib
import http.client
import http.server
import threading
import urllib.parse
from collections.abc import Callable

from loopback_http import running

EXTRA_SUBJECT = "<urn:x:kg-proxy-extra>"


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


HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class Lost:
    """A rule's outcome: the request reaches the server, its answer is lost (500 instead)."""


#: A rule sees each request's SPARQL text; it answers a new text, an HTTP status (the request
#: never reaches the server), :class:`Lost`, or ``None`` (forwarded as it is).
Rule = Callable[[str], "str | int | type[Lost] | None"]


class Proxy(http.server.ThreadingHTTPServer):
    """Forwards to ``upstream``, applying :attr:`rule` to each request's SPARQL text."""

    daemon_threads = True

    def __init__(self, upstream: int, host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), _Handler)
        self.upstream = upstream
        self.rule: Rule | None = None
        #: Answer with the server's ``Server`` header, not Python's.
        self.passes_server = False
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        """The proxy's base URL."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: Proxy
    protocol_version = "HTTP/1.1"
    upstream_server = ""

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def version_string(self) -> str:
        """The server's ``Server`` header when the proxy passes it on, else Python's."""
        return self.upstream_server or super().version_string()

    def _answer(self, status: int, data: bytes, headers: list[tuple[str, str]]) -> None:
        passed = [v for n, v in headers if n.lower() == "server" and self.server.passes_server]
        self.upstream_server = passed[0] if passed else ""
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in HOP_BY_HOP and not (passed and name.lower() == "server"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        url = urllib.parse.urlsplit(self.path)
        form = media == "application/x-www-form-urlencoded"
        fields = urllib.parse.parse_qsl(
            body.decode() if form else url.query, keep_blank_values=True
        )
        texts = [value for name, value in fields if name in {"query", "update"}]
        text = texts[0] if texts else body.decode("utf-8", "replace")
        with self.server.lock:
            outcome = self.server.rule(text) if self.server.rule is not None else None
        if isinstance(outcome, int):
            self._answer(outcome, b"refused by the test's proxy", [("Content-Type", "text/plain")])
            return
        if isinstance(outcome, str) and form:
            changed = [(n, outcome if n == "update" else v) for n, v in fields]
            body = urllib.parse.urlencode(changed).encode()
        elif isinstance(outcome, str) and body:
            body = outcome.encode("utf-8")
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream, timeout=60)
        try:
            upstream.request(self.command, self.path, body or None, headers)
            reply = upstream.getresponse()
            data = reply.read()
        finally:
            upstream.close()
        if outcome is Lost:
            self._answer(500, b"the answer was lost", [("Content-Type", "text/plain")])
        else:
            self._answer(reply.status, data, reply.getheaders())

    do_GET = do_POST = do_PUT = do_DELETE = _forward


def once(
    test: Callable[[str], bool], outcome: Callable[[str], str | int | None], nth: int = 1
) -> Rule:
    """A rule applied to the ``nth`` request whose text passes ``test``, and to no other."""
    seen = 0

    def rule(text: str) -> str | int | type[Lost] | None:
        nonlocal seen
        if not test(text):
            return None
        seen += 1
        return outcome(text) if seen == nth else None

    return rule


def serving_proxy(
    upstream: int, host: str = "127.0.0.1"
) -> contextlib.AbstractContextManager[Proxy]:
    """A :class:`Proxy` (no rule) on ``host`` in front of the server on port ``upstream``, for a
    block."""
    return running(Proxy(upstream, host))
