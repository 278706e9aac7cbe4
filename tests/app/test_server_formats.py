"""One format record: a format added with one record and its writer reaches ``kg query -f``,
the server's content negotiation and the query page's list of downloads."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator, Mapping

import pytest
from click.testing import CliRunner

from kg.cli.main import main
from kg.query.formats import FORMATS, SOLUTIONS, Format, Result
from kg.server.app import App
from kg.server.build import create_app
from kg.server.messages import Request
from kg.server.settings import ServerConfig

QUERY = "SELECT ?n WHERE { VALUES ?n { 1 2 } }"


def to_markdown(result: Result, labels: Mapping[str, str]) -> str:
    """A Markdown table of the solutions (the worked example of docs/DESIGN.md)."""
    head = "| " + " | ".join(result.variables) + " |"
    rule = "|" + "---|" * len(result.variables)
    rows = [
        "| " + " | ".join("" if t is None else t.value for t in row) + " |" for row in result.rows
    ]
    return "\n".join([head, rule, *rows]) + "\n"


MARKDOWN = Format(
    "markdown", "Markdown", "text/markdown; charset=utf-8", ("text/markdown",), "md",
    SOLUTIONS, to_markdown,
)  # fmt: skip


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    FORMATS.register(MARKDOWN)  # before the workers are forked: they hold the registry too
    made = create_app(ServerConfig(workers=1, timeout=10))
    made.allow("127.0.0.1", 8000)
    try:
        yield made
    finally:
        made.pool.close()
        FORMATS.unregister("markdown")


def test_kg_query_f_writes_the_added_format(app: App) -> None:
    result = CliRunner().invoke(main, ["query", "-f", "markdown", QUERY])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["| n |", "|---|", "| 1 |", "| 2 |"]
    wrong = CliRunner().invoke(main, ["query", "-f", "markdown", "CONSTRUCT WHERE { ?s ?p ?o }"])
    assert wrong.exit_code == 2 and "CONSTRUCT results are written as" in wrong.output


def test_sparql_negotiates_the_added_format(app: App) -> None:
    target = "/sparql?" + urllib.parse.urlencode({"query": QUERY})
    headers = {"host": "127.0.0.1:8000", "accept": "text/markdown"}
    response = app.handle(Request("GET", target, headers, b"", "127.0.0.1"))
    assert response.status == 200, response.body
    assert dict(response.headers)["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.body.decode().startswith("| n |\n|---|\n")
    graph = "/sparql?" + urllib.parse.urlencode({"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"})
    refused = app.handle(Request("GET", graph, headers, b"", "127.0.0.1"))
    assert refused.status == 406 and b"text/markdown" not in refused.body


def test_the_query_page_lists_the_added_format(app: App) -> None:
    listing = json.loads(app.catalogue_json)["formats"]
    markdown = next(f for f in listing if f["name"] == "markdown")
    assert markdown == {
        "name": "markdown",
        "label": "Markdown",
        "media": "text/markdown",
        "extension": "md",
        "forms": ["ASK", "SELECT"],
    }
    assert "table" not in {f["name"] for f in listing}  # the terminal table is not offered


def test_a_name_is_registered_once() -> None:
    with pytest.raises(ValueError, match="a format named 'json' exists already"):
        FORMATS.register(Format("json", "JSON", "x/y", (), "j", SOLUTIONS, to_markdown))
