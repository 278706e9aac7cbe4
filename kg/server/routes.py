"""The route table of ``kg serve``: which function answers which path.

Every route takes the application, the request, the path and the query string, and returns the
answer, its ``Content-Security-Policy`` and extra headers; it raises
:class:`~kg.server.protocol.HttpError` (or any :class:`~kg.errors.KgError`) for a 4xx/5xx, which
:meth:`kg.server.app.App.error_answer` maps in one place.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable
from typing import TYPE_CHECKING

from kg.data.prefixes import PREFIXES
from kg.errors import UsageError
from kg.query.catalogue import NamedQuery, bind_params
from kg.server.answers import EntityJob, QueryJob
from kg.server.protocol import (
    READ_ONLY,
    HttpError,
    choose_format,
    form_fields,
    json_depth,
    media_type,
    read_request,
    require,
)
from kg.server.response import CSP, TEXT, Answer

if TYPE_CHECKING:
    from kg.server.app import App, Request

__all__ = ["CSP", "MAX_JSON_DEPTH", "MAX_LABEL_IRIS", "catalogue_json", "needs_worker", "route"]

MAX_LABEL_IRIS = 10_000
#: JSON bodies nested deeper than this are refused with 400 before they are parsed.
MAX_JSON_DEPTH = 32
_EXAMPLE = re.compile(r"e\.g\.\s+([^\s,;()]+)")

Routed = tuple[Answer, str, list[tuple[str, str]]]
Route = Callable[["App", "Request", str, str], Routed]


def route(app: App, request: Request, path: str, query_string: str) -> Routed:
    """Answer a request by the table below (404 when no route matches)."""
    if request.method == "OPTIONS":
        return _options(app, request, path, query_string)
    found = EXACT.get(path)
    if found is None:
        found = next((r for prefix, r in PREFIXED if path.startswith(prefix)), None)
    if found is None:
        require(request.method, ("GET", "HEAD"))
        raise HttpError(404, f"not found: {path}")
    return found(app, request, path, query_string)


def needs_worker(target: str) -> bool:
    """False when the target's answer comes from memory (static files, catalogue, health)."""
    path = target.partition("?")[0]
    return path in {"/sparql", "/explore", "/labels"} or path.startswith(("/queries/", "/entity/"))


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


def _options(app: App, request: Request, path: str, query_string: str) -> Routed:
    headers = [("Allow", "GET, HEAD, POST, OPTIONS")]
    if app.origin_allowed(request):
        headers += [
            ("Access-Control-Allow-Methods", "GET, POST"),
            ("Access-Control-Allow-Headers", "Accept, Content-Type"),
            ("Access-Control-Max-Age", "600"),
        ]
    answer, csp, _ = _ok(Answer(204, TEXT, b""))
    return answer, csp, headers


def _update(app: App, request: Request, path: str, query_string: str) -> Routed:
    raise HttpError(403, READ_ONLY)


def _text_body(request: Request) -> str:
    try:
        return request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "bad request: the body is not UTF-8") from None


def _sparql(app: App, request: Request, path: str, query_string: str) -> Routed:
    content_type = request.header("Content-Type")
    sparql = read_request(
        request.method, query_string, content_type, lambda: _text_body(request), app.graphs
    )
    if sparql is None:
        return _ok(app.service_description(request.header("Host") or ""))
    fmt = choose_format(request.header("Accept"), sparql.form)
    base = f"http://{request.header('Host') or 'localhost'}{path}"
    job = QueryJob(sparql.text, fmt, {}, sparql.default_graphs, sparql.named_graphs, base)
    return _ok(app.run(job, app.config.timeout))


def _labels(app: App, request: Request, path: str, query_string: str) -> Routed:
    require(request.method, ("POST",))
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
    found = {iri: app.labels[iri] for iri in iris if isinstance(iri, str) and iri in app.labels}
    body = json.dumps(found, ensure_ascii=False).encode("utf-8")
    return _ok(Answer(200, "application/json", body))


def _static(app: App, request: Request, path: str, query_string: str) -> Routed:
    require(request.method, ("GET", "HEAD"))
    if path == "/":
        path = "/static/index.html"
    if path not in app.static:
        raise HttpError(404, f"not found: {path}")
    media, body = app.static[path]
    return _ok(Answer(200, media, body))


def _catalogue(app: App, request: Request, path: str, query_string: str) -> Routed:
    require(request.method, ("GET", "HEAD"))
    return _ok(Answer(200, "application/json", app.catalogue_json))


def _named(app: App, request: Request, path: str, query_string: str) -> Routed:
    require(request.method, ("GET", "HEAD"))
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
    return _ok(app.run(QueryJob(named.text, fmt, bindings), app.config.timeout))


def _entity(app: App, request: Request, path: str, query_string: str) -> Routed:
    require(request.method, ("GET", "HEAD"))
    identifier = unquote_path(path[len("/entity/") :])
    return _ok(app.run(EntityJob(identifier), app.page_timeout))


def _explore(app: App, request: Request, path: str, query_string: str) -> Routed:
    require(request.method, ("GET", "HEAD"))
    fields = dict(form_fields(query_string))
    focus = fields.get("focus") or None
    answer, csp = app.explore(focus, "en" if fields.get("lang") == "en" else "zh")
    return _ok(answer, csp)


def _health(app: App, request: Request, path: str, query_string: str) -> Routed:
    require(request.method, ("GET", "HEAD"))
    healthy = app.pool.healthy()
    document = {"status": "ok" if healthy else "stopping", "workers": app.pool.size}
    body = json.dumps(document).encode("utf-8")
    return _ok(Answer(200 if healthy else 503, "application/json", body))


EXACT: dict[str, Route] = {
    "/sparql": _sparql,
    "/update": _update,
    "/labels": _labels,
    "/": _static,
    "/queries": _catalogue,
    "/explore": _explore,
    "/health": _health,
    "/ontology": _static,
}
PREFIXED: list[tuple[str, Route]] = [
    ("/update/", _update),
    ("/static/", _static),
    ("/queries/", _named),
    ("/entity/", _entity),
]


# ---------------------------------------------------------------- the catalogue as JSON
def _title(summary: str) -> str:
    """The part of a summary before its first colon (the named query's title)."""
    head = re.split(r"[:：]", summary, maxsplit=1)[0].strip()
    return head or summary


def _example(description: str) -> str | None:
    match = _EXAMPLE.search(description)
    return match.group(1) if match else None


def catalogue_json(catalogue: dict[str, NamedQuery], forms: dict[str, str]) -> bytes:
    """The named queries, their parameters and the prefixes, as served at ``/queries``."""
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
