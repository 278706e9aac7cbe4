"""The endpoint is read-only and federates nowhere, checked in the fast layer (no sockets to kg).

The same refusals are checked against the real ``kg serve`` process in
``tests/process/test_server.py``; here they run through :meth:`kg.server.app.App.handle`, so that
a regression in the protocol rules or the static SERVICE check fails the fast layer too.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator

import pytest
from conftest import Listener

from kg.server.app import App, Request, Response, ServerConfig
from kg.server.build import create_app

INSERT = "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }"
FORM = "application/x-www-form-urlencoded"
READ_ONLY = "read-only"


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    made = create_app(ServerConfig(workers=1, timeout=10))
    made.allow("127.0.0.1", 8000)
    yield made
    made.pool.close()


def call(app: App, method: str, target: str, body: str = "", media: str | None = None) -> Response:
    headers = {"host": "127.0.0.1:8000"}
    if media is not None:
        headers["content-type"] = media
    return app.handle(Request(method, target, headers, body.encode(), "127.0.0.1"))


def query_url(query: str, name: str = "query") -> str:
    return "/sparql?" + urllib.parse.urlencode({name: query})


def count(app: App) -> int:
    response = call(app, "GET", query_url("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"))
    assert response.status == 200, response.body
    return int(json.loads(response.body)["results"]["bindings"][0]["n"]["value"])


UPDATES = [
    ("POST", "/sparql", urllib.parse.urlencode({"update": INSERT}), FORM),
    ("POST", "/sparql", INSERT, "application/sparql-update"),
    ("POST", "/sparql", INSERT, "application/sparql-update; charset=utf-8"),
    ("POST", "/sparql", urllib.parse.urlencode({"query": INSERT}), FORM),
    ("POST", "/sparql", INSERT.lower(), "application/sparql-query"),
    ("GET", query_url(INSERT, "update"), "", None),
    ("GET", query_url("DROP ALL"), "", None),
    ("GET", query_url("clear all"), "", None),
    ("GET", query_url("LOAD <http://127.0.0.1:9/x.ttl>"), "", None),
    ("GET", query_url("DELETE WHERE { ?s ?p ?o }"), "", None),
    ("GET", query_url(r"\u0049NSERT DATA { <urn:a> <urn:b> <urn:c> }"), "", None),
    ("POST", "/update", urllib.parse.urlencode({"update": INSERT}), FORM),
    ("POST", "/update/graph", INSERT, "application/sparql-update"),
    ("GET", "/update", "", None),
]


@pytest.mark.parametrize(
    ("method", "target", "body", "media"), UPDATES, ids=[f"{u[0]} {u[1][:40]}" for u in UPDATES]
)
def test_every_update_is_403_and_changes_nothing(
    app: App, method: str, target: str, body: str, media: str | None
) -> None:
    before = count(app)
    response = call(app, method, target, body, media)
    assert response.status == 403, response.body
    assert READ_ONLY in response.body.decode() or b"update" in response.body.lower()
    assert dict(response.headers).get("Content-Type", "").startswith("text/plain")
    assert count(app) == before


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("target", ["/sparql", "/sparql?graph=urn:g", "/sparql?default"])
def test_graph_store_writes_are_refused(app: App, method: str, target: str) -> None:
    before = count(app)
    response = call(app, method, target, "<urn:a> <urn:b> <urn:c> .", "text/turtle")
    assert response.status == 405, response.body
    assert dict(response.headers)["Allow"] == "GET, HEAD, POST"
    assert count(app) == before


def test_a_graph_store_post_is_not_a_write(app: App) -> None:
    response = call(app, "POST", "/sparql?graph=urn:g", "<urn:a> <urn:b> <urn:c> .", "text/turtle")
    assert response.status == 415
    answer = call(app, "GET", query_url("ASK { GRAPH <urn:g> { ?s ?p ?o } }"))
    assert json.loads(answer.body)["boolean"] is False


SERVICE_FORMS = [
    "SERVICE",
    "service",
    "Service",
    "SERVICE SILENT",
    "service silent",
    r"\u0053ERVICE",
    r"\u0073ervice",
    r"SERVIC\u0045",
    r"\U00000073ervice",
]


@pytest.mark.parametrize("keyword", SERVICE_FORMS)
def test_service_in_any_case_or_escape_is_400_and_connects_nowhere(app: App, keyword: str) -> None:
    listener = Listener()
    try:
        url = f"http://127.0.0.1:{listener.port}/sparql"
        response = call(
            app, "GET", query_url(f"SELECT * WHERE {{ {keyword} <{url}> {{ ?s ?p ?o }} }}")
        )
        assert response.status == 400, response.body
        assert b"SERVICE is not allowed" in response.body
    finally:
        listener.close()
    assert listener.connections == 0
