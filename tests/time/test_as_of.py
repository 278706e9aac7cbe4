"""``--as-of DATE``: the graph as known on a day (API, ``kg query``, ``kg viz``, ``kg serve``).

The fixture report (``conftest.REPORT``) is dated 2026-01 and says Zhipu listed, superseding
the article's IPO plan; the article itself is undated, so it is in every view.
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest
from dated_fixture import make_dated_data
from kg_server import start

import kg
from kg.data.asof import AsOfError, parse_as_of, publication_span

KGR = "https://w3id.org/zhipu-kg/resource/"


@pytest.fixture
def dated_data(tmp_path: Path) -> Path:
    """The data folder with a dated fixture report (see ``dated_fixture``)."""
    return make_dated_data(tmp_path)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=120
    )


def plan_rows(data: Path, day: str | None, engine: str) -> dict[str, set[str]]:
    """``listing_plan``'s steps as known on ``day``: step → the facts that supersede it."""
    graph = kg.load(data, engine, as_of=day)
    from kg.query.catalogue import load_query

    text = load_query("listing_plan", graph.layout).text
    result = graph.query(text, {"company": ox.NamedNode(KGR + "Zhipu")})
    rows: dict[str, set[str]] = {}
    for row in result.to_dicts():
        newer = rows.setdefault(str(row["step"]).removeprefix(KGR), set())
        if row.get("superseded_by") is not None:
            newer.add(str(row["superseded_by"]).removeprefix(KGR))
    return rows


@pytest.mark.parametrize("engine", ["oxigraph", "memory"])
def test_before_the_report_the_plan_stands(dated_data: Path, engine: str) -> None:
    rows = plan_rows(dated_data, "2025-07-01", engine)
    assert rows["Zhipu-IPOPlan"] == set()  # nothing known by then supersedes it
    assert "Zhipu-Listing-test" not in rows


@pytest.mark.parametrize("engine", ["oxigraph", "memory"])
def test_after_the_report_the_listing_supersedes_the_plan(dated_data: Path, engine: str) -> None:
    rows = plan_rows(dated_data, "2026-02-01", engine)
    assert "Zhipu-Listing-test" in rows["Zhipu-IPOPlan"]  # marked, not deleted
    assert rows["Zhipu-Listing-test"] == set()
    whole = plan_rows(dated_data, None, engine)  # all the data: as known today
    assert whole["Zhipu-IPOPlan"] >= rows["Zhipu-IPOPlan"] and "Zhipu-Listing-test" in whole


def test_a_month_counts_from_its_last_day(dated_data: Path) -> None:
    assert "Zhipu-Listing-test" not in plan_rows(dated_data, "2026-01-30", "oxigraph")
    assert "Zhipu-Listing-test" in plan_rows(dated_data, "2026-01-31", "oxigraph")


def test_the_view_leaves_out_the_report_its_description_and_its_new_entities(
    dated_data: Path,
) -> None:
    before = kg.load(dated_data, as_of="2025-07-01")
    for iri in ("Report-test", "TestExchange", "Zhipu-Listing-test"):
        assert before.query(f"ASK {{ kgr:{iri} ?p ?o }}").askAnswer is False, iri
        assert before.query(f"ASK {{ ?s ?p kgr:{iri} }}").askAnswer is False, iri
    assert before.query("ASK { GRAPH ev:report-test-listing { ?s ?p ?o } }").askAnswer is False
    # what the article says, and the entities the report shares with it, are all there
    whole = kg.load(dated_data)
    for probe in (
        "SELECT (COUNT(*) AS ?n) { GRAPH ev:ipo-plan { ?s ?p ?o } }",
        "SELECT (COUNT(*) AS ?n) { GRAPH kgg:curation { kgr:Zhipu ?p ?o } }",
    ):
        n_before = before.query(probe).rows[0][0]
        n_whole = whole.query(probe).rows[0][0]
        assert n_before is not None and n_before == n_whole


def test_kg_query_as_of_answers_as_known_then(dated_data: Path) -> None:
    def steps(day: str) -> dict[str, str]:
        done = run("--data", str(dated_data), "query", "-n", "listing_plan", "--as-of", day,
                   "-f", "json")  # fmt: skip
        assert done.returncode == 0, done.stderr
        found: dict[str, set[str]] = {}
        for b in json.loads(done.stdout)["results"]["bindings"]:
            newer = found.setdefault(b["step"]["value"].removeprefix(KGR), set())
            newer |= {b["superseded_by"]["value"]} if "superseded_by" in b else set()
        return found

    assert steps("2025-07-01")["Zhipu-IPOPlan"] == set()
    later = steps("2026-02-01")
    assert KGR + "Zhipu-Listing-test" in later["Zhipu-IPOPlan"]
    assert "Zhipu-Listing-test" in later


@pytest.mark.parametrize("day", ["2025-13-45", "2025-7-1", "yesterday", "2025-02-29", "2025"])
def test_a_bad_day_is_one_line_and_exit_2(dated_data: Path, day: str) -> None:
    for command in (["query", "-n", "listing_plan"], ["viz", "-o", "-"], ["serve"]):
        done = run("--data", str(dated_data), *command, "--as-of", day)
        assert done.returncode == 2, (command, done.stderr)
        assert done.stderr.count("\n") == 1 and "YYYY-MM-DD" in done.stderr, done.stderr
        assert done.stdout == ""
    with pytest.raises(AsOfError, match="not a calendar day"):
        parse_as_of(day)


def test_a_day_before_every_source_is_refused(dated_data: Path) -> None:
    # the article is undated, so in every view; this copy dates it (a fixture, not data) and
    # keeps no other source but the fixture report
    for other in (dated_data / "triples" / "sources").glob("*.trig"):
        if other.name != "Report-test.trig":
            other.unlink()
    source = dated_data / "triples" / "00-source.trig"
    text = source.read_text(encoding="utf-8")
    dated = text.replace(
        "kg:characterCount 3028 ;",
        'kg:characterCount 3028 ;\n        kg:datePublished "2025-06"^^xsd:gYearMonth ;',
    )
    source.write_text(dated, encoding="utf-8")
    done = run("--data", str(dated_data), "query", "-n", "listing_plan", "--as-of", "2024-12-31")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "before every source" in done.stderr
    assert "kgr:SourceArticle" in done.stderr and "2025-06" in done.stderr
    with pytest.raises(AsOfError, match="before every source"):
        kg.load(dated_data, as_of="2025-06-29")  # June counts from its last day
    assert plan_rows(dated_data, "2025-07-01", "oxigraph")["Zhipu-IPOPlan"] == set()


def test_the_endpoint_engine_refuses_as_of(dated_data: Path) -> None:
    done = run("--data", str(dated_data), "query", "SELECT * { ?s ?p ?o } LIMIT 1",
               "--endpoint", "http://127.0.0.1:9/sparql", "--as-of", "2025-07-01")  # fmt: skip
    assert done.returncode == 2 and "local engines" in done.stderr


def test_publication_spans() -> None:
    d = datetime.date
    assert publication_span("2025") == (d(2025, 1, 1), d(2025, 12, 31))
    assert publication_span("2024-02") == (d(2024, 2, 1), d(2024, 2, 29))
    assert publication_span("2026-01-15") == (d(2026, 1, 15), d(2026, 1, 15))
    assert publication_span("2026-01-15T08:00:00Z") == (d(2026, 1, 15), d(2026, 1, 15))
    assert publication_span("2025-13") is None
    assert publication_span("mid-2025") is None


def test_kg_viz_draws_the_graph_as_known_then(dated_data: Path, tmp_path: Path) -> None:
    pages = {}
    for day in ("2025-07-01", "2026-02-01"):
        out = tmp_path / f"{day}.html"
        done = run("--data", str(dated_data), "viz", "-o", str(out), "--as-of", day)
        assert done.returncode == 0, done.stderr
        pages[day] = out.read_text(encoding="utf-8")
    assert "测试交易所" not in pages["2025-07-01"] and "智谱" in pages["2025-07-01"]
    assert "测试交易所" in pages["2026-02-01"]


def test_kg_serve_as_of_answers_and_explores_as_known_then(
    dated_data: Path, tmp_path: Path
) -> None:
    server = start(["--as-of", "2025-07-01", "--workers", "1"], tmp_path / "log", dated_data)
    try:
        ask = urllib.parse.quote("ASK { kgr:Zhipu-Listing-test ?p ?o }")
        connection = server.connection()
        connection.request(
            "GET", f"/sparql?query={ask}", headers={"Accept": "application/sparql-results+json"}
        )
        answer = connection.getresponse()
        assert answer.status == 200 and json.loads(answer.read())["boolean"] is False
        connection.request("GET", "/explore")
        page = connection.getresponse()
        body = page.read().decode("utf-8")
        assert page.status == 200 and "智谱" in body and "测试交易所" not in body
        connection.close()
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("day", "superseded_by"), [("2025-07-01", None), ("2026-02-01", "Zhipu-Valuation-test")]
)
def test_a_newer_valuation_marks_the_articles_as_superseded(
    dated_data: Path, day: str, superseded_by: str | None
) -> None:
    graph = kg.load(dated_data, as_of=day)
    from kg.query.catalogue import load_query

    rows = graph.query(load_query("state_capital_total", graph.layout).text).to_dicts()
    assert rows and all(row["valuation"] is not None for row in rows)  # the article's, kept
    newer = {str(r["valuation_superseded_by"]) for r in rows if r.get("valuation_superseded_by")}
    assert (KGR + "Zhipu-Valuation-test" in newer) == (superseded_by is not None)
