"""The query page's two new services: ``GET /ask`` (a question in words → a named query, or the
closest phrases) and the ``xlsx`` format record (a workbook, negotiated like any format)."""

from __future__ import annotations

import io
import json
import urllib.parse
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from kg.cli.main import main
from kg.query.formats import FORMATS
from kg.server.app import App, ServerConfig
from kg.server.build import create_app
from kg.server.messages import Request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    made = create_app(ServerConfig(workers=1, timeout=20))
    made.allow("127.0.0.1", 8000)
    try:
        yield made
    finally:
        made.pool.close()


def get(
    app: App, target: str, accept: str = "application/json"
) -> tuple[int, dict[str, str], bytes]:
    headers = {"host": "127.0.0.1:8000", "accept": accept}
    response = app.handle(Request("GET", target, headers, b"", "127.0.0.1"))
    return response.status, dict(response.headers), response.body


def ask(app: App, question: str) -> dict[str, object]:
    status, headers, body = get(app, "/ask?" + urllib.parse.urlencode({"q": question}))
    assert status == 200 and headers["Content-Type"] == "application/json", body
    answer: dict[str, object] = json.loads(body)
    return answer


@pytest.mark.parametrize(
    ("question", "query", "params"),
    [
        ("谁投资了智谱?", "funding_timeline", {}),
        ("誰投資了智譜", "funding_timeline", {}),  # Traditional, no question mark
        ("Who funded Zhipu", "funding_timeline", {}),
        ("北京投资了智谱吗？", "zhipu_funded_from_city", {"city": "北京"}),
        ("how much did Chengdu invest in Zhipu?", "funding_by_city", {"city": "chengdu"}),
    ],
)
def test_ask_routes_a_question_to_its_named_query(
    app: App, question: str, query: str, params: dict[str, str]
) -> None:
    answer = ask(app, question)
    assert answer["match"] is not None, answer
    match = answer["match"]
    assert isinstance(match, dict)
    assert match["query"] == query and match["params"] == params


def test_ask_without_a_match_offers_the_closest_phrases(app: App) -> None:
    answer = ask(app, "what colour is the sky over zhipu")
    assert answer["match"] is None
    closest = answer["closest"]
    assert isinstance(closest, list) and 0 < len(closest) <= 5
    assert all(p["lang"] == "en" for p in closest)  # the question's language first


def test_ask_suggests_phrases_while_typing(app: App) -> None:
    answer = ask(app, "投资")
    suggestions = answer["suggestions"]
    assert isinstance(suggestions, list)
    assert "谁投资了智谱" in [p["text"] for p in suggestions]


def test_ask_refuses_a_question_given_twice_or_too_long(app: App) -> None:
    assert get(app, "/ask?q=a&q=b")[0] == 400
    assert get(app, "/ask")[0] == 400
    long = urllib.parse.urlencode({"q": "谁" * 501})
    status, _, body = get(app, "/ask?" + long)
    assert status == 400 and b"at most 500" in body


def test_named_query_downloads_as_a_workbook_with_every_quote(app: App) -> None:
    from openpyxl import load_workbook

    status, headers, body = get(app, "/queries/funding_timeline", accept=XLSX)
    assert status == 200 and headers["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(body))["results"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:2] == ["event", "event_label"]  # an IRI column gets its labels beside it
    quotes = {row[header.index("quote")] for row in rows[1:]}
    assert "4月,拿下了北京市人工智能产业投资基金的2亿追加投资" in quotes
    values = {row[header.index("value")] for row in rows[1:]}
    assert 1800000000 in values  # a number Excel can sum, not "18亿"
    investors = {row[header.index("investor_label")] for row in rows[1:]}
    assert "北京市人工智能产业投资基金 / Beijing AI Industry Investment Fund" in investors


def test_sparql_negotiates_xlsx_and_the_page_lists_it(app: App) -> None:
    query = urllib.parse.urlencode({"query": "SELECT ?n WHERE { VALUES ?n { 1 2 } }"})
    status, headers, body = get(app, "/sparql?" + query, accept=XLSX)
    assert status == 200 and headers["Content-Type"] == XLSX and body[:2] == b"PK"
    listing = json.loads(app.catalogue_json)["formats"]
    assert {"name": "xlsx", "label": "XLSX", "media": XLSX, "extension": "xlsx",
            "forms": ["ASK", "SELECT"]} in listing  # fmt: skip
    graph = urllib.parse.urlencode({"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"})
    assert get(app, "/sparql?" + graph, accept=XLSX)[0] == 406


def test_kg_query_refuses_to_print_a_workbook() -> None:
    assert FORMATS.get("xlsx").binary
    result = CliRunner().invoke(
        main, ["query", "-f", "xlsx", "SELECT ?n WHERE { VALUES ?n { 1 } }"]
    )
    assert result.exit_code == 2
    assert "xlsx is a binary format: download it from the query page" in result.output
