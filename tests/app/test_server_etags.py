"""ETags that tell the truth: they cover everything that shapes an answer, and answers that may
differ between runs get none (``Cache-Control: no-store``)."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import replace_in

from kg.server.app import App, Response, answer_version
from kg.server.build import create_app
from kg.server.messages import Request
from kg.server.settings import ServerConfig

QUERY = "SELECT ?s WHERE { ?s a kg:Company } ORDER BY ?s LIMIT 3"


def get(app: App, target: str, **headers: str) -> Response:
    names = {"host": "127.0.0.1:8000", **{k.replace("_", "-"): v for k, v in headers.items()}}
    return app.handle(Request("GET", target, names, b"", "127.0.0.1"))


def sparql(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


def etag(response: Response) -> str | None:
    return dict(response.headers).get("ETag")


def make(config: ServerConfig) -> App:
    made = create_app(config)
    made.allow("127.0.0.1", 8000)
    return made


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    made = make(ServerConfig(workers=1, timeout=20))
    yield made
    made.pool.close()


def test_a_changed_setting_changes_every_tag(app: App) -> None:
    other = make(ServerConfig(workers=1, timeout=20, max_rows=2))
    try:
        for target in (sparql(QUERY), "/static/query.js", "/queries"):
            old = etag(get(app, target))
            assert old is not None
            again = get(other, target, if_none_match=old)
            assert again.status == 200 and etag(again) not in {None, old}, target
    finally:
        other.pool.close()


def test_a_changed_named_query_changes_the_tags(app: App, data_copy: Path) -> None:
    named = data_copy / "queries" / "funding_by_city.rq"
    named.write_text(named.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    other = make(ServerConfig(workers=1, timeout=20, data=data_copy))
    try:
        assert etag(get(other, sparql(QUERY))) != etag(get(app, sparql(QUERY)))
    finally:
        other.pool.close()


def test_web_assets_engine_and_version_are_in_the_tag(app: App) -> None:
    base = answer_version("data", app.config, app.catalogue_json, app.static)
    upgraded = dict(app.static)
    media, body = upgraded["/static/query.js"]
    upgraded["/static/query.js"] = (media, body + b"\n// upgraded\n")
    assert answer_version("data", app.config, app.catalogue_json, upgraded) != base
    assert answer_version("data rdflib", app.config, app.catalogue_json, app.static) != base
    other = replace(app.config, engine="rdflib")
    assert answer_version("data", other, app.catalogue_json, app.static) != base


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (NOW() AS ?t) {}",
        "SELECT (rand() AS ?r) {}",
        "SELECT (STRUUID() AS ?u) {}",
        "SELECT (UUID() AS ?u) {}",
        "SELECT (BNODE() AS ?b) {}",
        "CONSTRUCT { _:x kg:seen ?s } WHERE { ?s a kg:Company }",
        "CONSTRUCT { ?s kg:seen [] } WHERE { ?s a kg:Company }",
    ],
)
def test_answers_that_differ_between_runs_get_no_tag(app: App, query: str) -> None:
    response = get(app, sparql(query))
    assert response.status == 200, response.body
    assert etag(response) is None
    assert dict(response.headers)["Cache-Control"] == "no-store"


def test_a_deterministic_answer_keeps_its_tag_and_304(app: App) -> None:
    first = get(app, sparql(QUERY))
    tag = etag(first)
    assert tag is not None and dict(first.headers)["Cache-Control"] == "no-cache"
    assert get(app, sparql(QUERY), if_none_match=tag).status == 304
    named = get(app, sparql("SELECT ?now WHERE { VALUES ?now { 1 } }"))  # a variable, not NOW()
    assert etag(named) is not None


def test_a_changed_fact_changes_the_tags(data_copy: Path) -> None:
    before = make(ServerConfig(workers=1, timeout=20, data=data_copy))
    try:
        old = etag(get(before, sparql(QUERY)))
        assert old is not None and get(before, sparql(QUERY), if_none_match=old).status == 304
    finally:
        before.pool.close()
    replace_in(data_copy / "triples" / "business.trig", '"2025"^^xsd:gYear', '"2024"^^xsd:gYear')
    after = make(ServerConfig(workers=1, timeout=20, data=data_copy))
    try:
        again = get(after, sparql(QUERY), if_none_match=old)
        assert again.status == 200 and etag(again) not in {None, old}
    finally:
        after.pool.close()


def test_weak_and_listed_tags_in_if_none_match_are_understood(app: App) -> None:
    tag = etag(get(app, sparql(QUERY)))
    assert tag is not None
    for header in (f"W/{tag}", f'"other", {tag}', f'W/"other" , W/{tag}'):
        assert get(app, sparql(QUERY), if_none_match=header).status == 304, header
    for header in ('"other"', f'W/{tag[:-2]}"', tag.strip('"')):
        assert get(app, sparql(QUERY), if_none_match=header).status == 200, header


def test_if_none_match_star_matches_any_tagged_answer_only(app: App) -> None:
    """RFC 9110 §13.1.2: ``*`` matches any current representation; an untagged answer (one that
    differs between runs) has none to match, so it is sent."""
    assert get(app, sparql(QUERY), if_none_match="*").status == 304
    untagged = get(app, sparql("SELECT (RAND() AS ?r) {}"), if_none_match="*")
    assert untagged.status == 200 and etag(untagged) is None
