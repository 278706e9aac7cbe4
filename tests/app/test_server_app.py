"""In-process tests of the server's application: :meth:`kg.server.app.App.handle`, no sockets.

The app is the real one (real data, a real forked worker pool); only the HTTP front is left out.
"""

from __future__ import annotations

import json
import logging
import urllib.parse
from collections.abc import Iterator

import pytest

from kg.data.prefixes import PREFIXES
from kg.server.app import App, Request, Response
from kg.server.build import create_app
from kg.server.settings import ServerConfig

HOST = {"host": "127.0.0.1:8000"}


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    made = create_app(ServerConfig(workers=2, timeout=10))
    made.allow("127.0.0.1", 8000)
    yield made
    made.pool.close()


def call(app: App, method: str, target: str, body: bytes = b"", **headers: str) -> Response:
    names = {k.replace("_", "-").lower(): v for k, v in headers.items()}
    return app.handle(Request(method, target, {**HOST, **names}, body, "127.0.0.1"))


def header(response: Response, name: str) -> str | None:
    return next((v for k, v in response.headers if k.lower() == name.lower()), None)


def sparql(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


def test_query_answers_with_security_headers_and_no_cors(app: App) -> None:
    response = call(app, "GET", sparql("ASK { ?s ?p ?o }"))
    assert response.status == 200 and json.loads(response.body)["boolean"] is True
    assert header(response, "X-Content-Type-Options") == "nosniff"
    assert "default-src 'self'" in (header(response, "Content-Security-Policy") or "")
    assert header(response, "Access-Control-Allow-Origin") is None


def test_etag_and_304(app: App) -> None:
    first = call(app, "GET", sparql("SELECT ?s WHERE { ?s a kg:Company } LIMIT 3"))
    etag = header(first, "ETag")
    assert first.status == 200 and etag and header(first, "Cache-Control") == "no-cache"
    again = call(
        app, "GET", sparql("SELECT ?s WHERE { ?s a kg:Company } LIMIT 3"), if_none_match=etag
    )
    assert again.status == 304 and again.body == b"" and header(again, "ETag") == etag
    other = call(app, "GET", sparql("SELECT ?s WHERE { ?s a kg:Company } LIMIT 3"),
                 if_none_match=etag, accept="text/csv")  # fmt: skip
    assert other.status == 200 and other.body.startswith(b"s\r\n")
    error = call(app, "GET", sparql("SELECT nonsense"))
    assert error.status == 400 and header(error, "ETag") is None
    assert header(error, "Cache-Control") == "no-store"


def test_relative_iri_construct_resolves_against_the_request_url(app: App) -> None:
    response = call(app, "GET", sparql("CONSTRUCT { <s> <p> 1 } WHERE {}"))
    assert response.status == 200
    assert b"<http://127.0.0.1:8000/s> <http://127.0.0.1:8000/p> 1" in response.body


def test_updates_are_403(app: App) -> None:
    assert call(app, "POST", "/update", b"x").status == 403
    body = b"INSERT DATA { <a:s> <a:p> 1 }"
    post = call(app, "POST", "/sparql", body, content_type="application/sparql-update")
    assert post.status == 403


@pytest.mark.parametrize(
    "target", ["/static/../../pyproject.toml", "/static/%2e%2e/app.py", "/../etc/passwd"]
)
def test_no_path_traversal(app: App, target: str) -> None:
    assert call(app, "GET", target).status == 404


def test_route_table_404_and_405(app: App) -> None:
    assert call(app, "GET", "/nowhere").status == 404
    wrong = call(app, "DELETE", "/queries")
    assert wrong.status == 405 and header(wrong, "Allow") == "GET, HEAD"
    assert call(app, "GET", "/", host="evil.example").status == 403


def test_deep_json_is_400(app: App) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    response = call(app, "POST", "/labels", deep, content_type="application/json")
    assert response.status == 400 and b"nested deeper" in response.body
    iri = PREFIXES["kgr"] + "Zhipu"
    good = call(app, "POST", "/labels", json.dumps([iri]).encode(), content_type="application/json")
    assert good.status == 200 and iri in json.loads(good.body)


def test_health(app: App) -> None:
    response = call(app, "GET", "/health")
    assert response.status == 200 and json.loads(response.body)["status"] == "ok"


def test_request_lines_are_logged(app: App, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="kg.server"):
        call(app, "GET", "/queries")
    assert any('"GET /queries" 200' in r.getMessage() for r in caplog.records)


def test_a_5xx_logs_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    broken = create_app(ServerConfig(workers=1, timeout=5))
    broken.allow("127.0.0.1", 8000)
    broken.pool.close()  # every worker gone: the job cannot run
    with caplog.at_level(logging.INFO, logger="kg.server"):
        response = call(broken, "GET", sparql("ASK {}"))
        health = call(broken, "GET", "/health")
    assert response.status == 500 and health.status == 503
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR and r.exc_info]
    assert "GET /sparql" in record.getMessage()
    assert "Traceback" in caplog.text and "WorkerError" in caplog.text


def test_named_query_parameters_may_be_names(app: App) -> None:
    target = "/queries/evidence_for_entity?" + urllib.parse.urlencode({"entity": "唐杰"})
    response = call(app, "GET", target, Accept="application/sparql-results+json")
    assert response.status == 200, response.body
    rows = json.loads(response.body)["results"]["bindings"]
    assert rows and all(
        row["graph"]["value"].startswith("https://w3id.org/zhipu-kg/evidence/") for row in rows
    )
    typo = call(app, "GET", "/queries/evidence_for_entity?entity=kgr%3ATangJei")
    assert typo.status == 400 and b"TangJie" in typo.body
