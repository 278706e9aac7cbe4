"""The routes of ``kg serve``: one :class:`~kg.server.routing.Route` record each, in :data:`ROUTES`.

Every handler takes the application, the request, the path and the query string, and returns the
answer, its ``Content-Security-Policy`` and extra headers; it raises
:class:`~kg.server.status.HttpError` (or any :class:`~kg.errors.KgError`) for a 4xx/5xx, which
:func:`kg.server.status.error_answer` maps in one place. The app checks the method against the
record before a handler runs.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import TYPE_CHECKING

from kg.errors import UsageError
from kg.query.catalogue import bind_params
from kg.server.asking import ask
from kg.server.jobs import QueryJob
from kg.server.pages import BUILDING_RELOAD
from kg.server.paths import path_route
from kg.server.protocol import READ_ONLY, choose_format, form_fields, json_depth, media_type
from kg.server.protocol import read_request as read_sparql_request
from kg.server.response import CSP, Answer
from kg.server.routing import ETAG, LOOP, NO_STORE, WORKER, Route, Routed, RouteTable
from kg.server.status import HttpError

if TYPE_CHECKING:
    from kg.server.app import App
    from kg.server.messages import Request

__all__ = ["MAX_JSON_DEPTH", "MAX_LABEL_IRIS", "ROUTES"]

MAX_LABEL_IRIS = 10_000
#: JSON bodies nested deeper than this are refused with 400 before they are parsed.
MAX_JSON_DEPTH = 32


def unquote_path(text: str) -> str:
    """A percent-decoded path segment.

    Raises:
        HttpError: 400 when it is not percent-encoded UTF-8.
    """
    try:
        return urllib.parse.unquote(text, errors="strict")
    except UnicodeDecodeError:
        raise HttpError(400, "bad request: the path must be percent-encoded UTF-8") from None


def _ok(answer: Answer, csp: str | None = None) -> Routed:
    return answer, csp or CSP, []


def _update(app: App, request: Request, path: str, query_string: str) -> Routed:
    raise HttpError(403, READ_ONLY)


def _text_body(request: Request) -> str:
    try:
        return request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "bad request: the body is not UTF-8") from None


def _sparql(app: App, request: Request, path: str, query_string: str) -> Routed:
    content_type = request.header("Content-Type")
    sparql = read_sparql_request(
        request.method, query_string, content_type, lambda: _text_body(request), app.graphs
    )
    if sparql is None:
        return _ok(app.service_description(request.header("Host") or ""))
    fmt = choose_format(request.header("Accept"), sparql.form)
    base = f"http://{request.header('Host') or 'localhost'}{path}"
    job = QueryJob(sparql.text, fmt, {}, sparql.default_graphs, sparql.named_graphs, base)
    return _ok(app.run(request, job, app.config.timeout))


def _labels(app: App, request: Request, path: str, query_string: str) -> Routed:
    media, _ = media_type(request.header("Content-Type"))
    if media != "application/json":
        raise HttpError(415, "unsupported media type: POST a JSON list of IRIs")
    text = _text_body(request)
    if json_depth(text) > MAX_JSON_DEPTH:
        raise HttpError(400, f"bad request: JSON nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        iris = json.loads(text)
    except json.JSONDecodeError as err:
        raise HttpError(400, f"bad request: not JSON ({err})") from None
    if not isinstance(iris, list) or len(iris) > MAX_LABEL_IRIS:
        raise HttpError(400, f"bad request: send a JSON list of at most {MAX_LABEL_IRIS} IRIs")
    found = app.labels.fetch(iri for iri in iris if isinstance(iri, str))
    body = json.dumps(found, ensure_ascii=False).encode("utf-8")
    return _ok(Answer(200, "application/json", body))


def _static(app: App, request: Request, path: str, query_string: str) -> Routed:
    if path == "/":
        path = "/static/index.html"
    if path not in app.static:
        raise HttpError(404, f"not found: {path}")
    media, body = app.static[path]
    return _ok(Answer(200, media, body))


def _catalogue(app: App, request: Request, path: str, query_string: str) -> Routed:
    return _ok(Answer(200, "application/json", app.catalogue_json))


def _named(app: App, request: Request, path: str, query_string: str) -> Routed:
    name = unquote_path(path[len("/queries/") :])
    named = app.catalogue.get(name)
    if named is None:
        raise HttpError(404, f"not found: no named query {name!r}")
    fields = form_fields(query_string)
    raw = dict(fields)
    if len(raw) != len(fields):
        raise HttpError(400, "bad request: a parameter is given twice")
    try:
        bindings = bind_params(named, {k: v for k, v in raw.items() if v.strip()}, app.names)
    except UsageError as err:  # a bad value, an unknown or ambiguous name: the request is wrong
        raise HttpError(400, f"bad request: {err}") from None
    fmt = choose_format(request.header("Accept"), app.forms[name])
    return _ok(app.run(request, QueryJob(named.text, fmt, bindings), app.config.timeout))


def _entity(app: App, request: Request, path: str, query_string: str) -> Routed:
    return _ok(app.entity(request, unquote_path(path[len("/entity/") :])))


def _ontology(app: App, request: Request, path: str, query_string: str) -> Routed:
    return _ok(app.ontology(request))


def _explore(app: App, request: Request, path: str, query_string: str) -> Routed:
    fields = dict(form_fields(query_string))
    focus = fields.get("focus") or None
    answer, csp = app.explore(request, focus, "en" if fields.get("lang") == "en" else "zh")
    if answer.status == 503:  # the explorer is being built
        return answer, csp, [("Retry-After", str(BUILDING_RELOAD))]
    return _ok(answer, csp)


def _health(app: App, request: Request, path: str, query_string: str) -> Routed:
    healthy = app.pool.healthy()
    document = {"status": "ok" if healthy else "stopping", "workers": app.pool.size}
    body = json.dumps(document).encode("utf-8")
    return _ok(Answer(200 if healthy else 503, "application/json", body))


GET = ("GET", "HEAD")
#: Every route of the server, one record each (see :mod:`kg.server.routing`).
ROUTES = RouteTable(
    [
        Route("/sparql", ("GET", "HEAD", "POST"), WORKER, _sparql, ETAG,
              "SPARQL 1.1 Protocol query (`GET ?query=`, form or direct `POST`); without a "
              "query, the Service Description"),
        Route("/update", ("GET", "HEAD", "POST"), LOOP, _update, NO_STORE,
              "403: the endpoint is read-only"),
        Route("/update/{rest}", ("GET", "HEAD", "POST"), LOOP, _update, NO_STORE,
              "403: the endpoint is read-only"),
        Route("/", GET, LOOP, _static, ETAG, "the query page"),
        Route("/queries", GET, LOOP, _catalogue, ETAG, "the named queries as JSON"),
        Route("/queries/{name}", GET, WORKER, _named, ETAG,
              "run a named query, `?PARAM=VALUE` bound (never spliced), negotiated like `/sparql`"),
        Route("/ask", GET, WORKER, ask, ETAG,
              "`?q=QUESTION`: the named query a question in words routes to (JSON), or the "
              "closest phrases; phrases to suggest while typing"),
        Route("/labels", ("POST",), WORKER, _labels, NO_STORE,
              "`POST` a JSON list of IRIs: their labels in Chinese and English"),
        Route("/entity/{id}", GET, WORKER, _entity, ETAG,
              "the page of an entity: labels, types, every fact with its quote"),
        Route("/explore", GET, WORKER, _explore, ETAG,
              "the graph explorer, whole or around `?focus=ID`"),
        Route("/path", GET, WORKER, path_route, ETAG,
              "how two entities are linked, facts first: `?from=A&to=B&k=3`, as JSON"),
        Route("/ontology", GET, WORKER, _ontology, ETAG, "the ontology page"),
        Route("/static/{file}", GET, LOOP, _static, ETAG,
              "the pages' scripts and styles, from `kg/web/` (no CDN)"),
        Route("/health", GET, LOOP, _health, NO_STORE,
              "200 while the worker factory runs, 503 once it has stopped (JSON)"),
    ]
)  # fmt: skip
