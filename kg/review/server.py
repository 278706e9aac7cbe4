"""The desk page's HTTP handlers: a small server on 127.0.0.1 that only this page can write to.

* It binds the loopback address only, and answers only requests whose ``Host`` is that address
  (or ``localhost``) at its port: a page of another site reached through DNS rebinding is refused.
* Every ``POST`` must carry the page's random token in ``X-Desk-Token`` (a cross-site form cannot
  set a header), a JSON body, and, when the browser sends one, an ``Origin`` of this server.
* Every answer is JSON or one of the desk's own files, with ``Content-Security-Policy:
  default-src 'self'`` and ``nosniff``; the page renders all data as text.
* Requests are handled one at a time, so two decisions never interleave.
"""

from __future__ import annotations

import json
import secrets
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kg.errors import KgError
from kg.review.desk import Desk
from kg.review.view import state, suggest

__all__ = ["DeskServer", "make_server"]

_CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
_FILES = {
    "/review.js": ("review.js", "text/javascript; charset=utf-8"),
    "/review.css": ("review.css", "text/css; charset=utf-8"),
    "/favicon.svg": ("favicon.svg", "image/svg+xml"),
}
_MAX_BODY = 64 * 1024


def _web(name: str) -> bytes:
    return resources.files("kg").joinpath("web", name).read_bytes()


class DeskServer(HTTPServer):
    """The desk's server: one desk, one token."""

    def __init__(self, desk: Desk, port: int = 0) -> None:
        self.desk = desk
        self.token = secrets.token_urlsafe(32)
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def url(self) -> str:
        """The page's address."""
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def hosts(self) -> set[str]:
        """The ``Host`` values this server answers."""
        port = self.server_address[1]
        return {f"127.0.0.1:{port}", f"localhost:{port}"}


def make_server(desk: Desk, port: int = 0) -> DeskServer:
    """A desk server on 127.0.0.1 (``port`` 0: any free port)."""
    return DeskServer(desk, port)


def _decide(desk: Desk, body: dict[str, Any]) -> str:
    """Carry out one decision the page sends."""
    action = str(body.get("action", ""))
    note = str(body["note"]) if body.get("note") else None
    name = str(body.get("proposal", ""))

    def text(key: str) -> str | None:
        value = body.get(key)
        return str(value) if value not in (None, "") else None

    if action == "accept":
        return desk.accept(name, note)
    if action == "reject":
        return desk.reject(name, note)
    if action == "edit":
        return desk.edit(name, str(body.get("field", "")), str(body.get("value", "")), note)
    if action == "name":
        return desk.name_entity(
            str(body.get("entity", "")), text("label_zh"), text("label_en"), text("class"), note
        )
    if action == "same-as":
        return desk.same_as(str(body.get("entity", "")), str(body.get("existing", "")), note)
    if action == "create":
        return desk.create_entity(
            str(body.get("label_zh", "")),
            str(body.get("label_en", "")),
            str(body.get("class", "")),
            note,
        )
    if action == "undo":
        return "undo " + desk.undo()
    raise _Refused(HTTPStatus.BAD_REQUEST, f"unknown action {action!r}")


class _Refused(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Handler(BaseHTTPRequestHandler):
    server: DeskServer
    server_version = "kg-review"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the desk prints its decisions, not every request."""

    def _send(self, status: int, body: bytes, media: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", _CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: object) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8")

    def _check_host(self) -> None:
        if self.headers.get("Host", "") not in self.server.hosts():
            raise _Refused(
                HTTPStatus.FORBIDDEN, "wrong Host: open the desk at its 127.0.0.1 address"
            )

    def do_GET(self) -> None:
        """The page, its files, the state and the name suggestions."""
        try:
            self._check_host()
            url = urlsplit(self.path)
            desk = self.server.desk
            if url.path == "/":
                page = _web("review.html").decode("utf-8").replace("{{token}}", self.server.token)
                self._send(200, page.encode("utf-8"), "text/html; charset=utf-8")
            elif url.path in _FILES:
                name, media = _FILES[url.path]
                self._send(200, _web(name), media)
            elif url.path == "/api/state":
                self._json(200, state(desk))
            elif url.path == "/api/suggest":
                query = parse_qs(url.query).get("q", [""])[0]
                self._json(200, {"names": suggest(desk, query[:100])})
            else:
                raise _Refused(HTTPStatus.NOT_FOUND, "no such page")
        except _Refused as err:
            self._json(err.status, {"error": str(err)})
        except KgError as err:
            self._json(err.http_status, {"error": str(err)})

    def do_POST(self) -> None:
        """One decision: token, origin and JSON checked first."""
        try:
            self._check_host()
            if self.path != "/api/decide":
                raise _Refused(HTTPStatus.NOT_FOUND, "no such action")
            if not secrets.compare_digest(self.headers.get("X-Desk-Token", ""), self.server.token):
                raise _Refused(HTTPStatus.FORBIDDEN, "missing or wrong desk token: reload the page")
            origin = self.headers.get("Origin")
            if origin is not None and urlsplit(origin).netloc not in self.server.hosts():
                raise _Refused(HTTPStatus.FORBIDDEN, "cross-site request refused")
            if not self.headers.get("Content-Type", "").startswith("application/json"):
                raise _Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send JSON")
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 < length <= _MAX_BODY:
                raise _Refused(HTTPStatus.BAD_REQUEST, "a decision is a small JSON object")
            try:
                body = json.loads(self.rfile.read(length))
            except ValueError:
                raise _Refused(HTTPStatus.BAD_REQUEST, "not JSON") from None
            if not isinstance(body, dict):
                raise _Refused(HTTPStatus.BAD_REQUEST, "a decision is a JSON object")
            self._json(200, {"done": _decide(self.server.desk, body)})
        except _Refused as err:
            self._json(err.status, {"error": str(err)})
        except KgError as err:
            self._json(err.http_status, {"error": str(err)})
