"""The two tiers of evidence: quoted (words at offsets) and cited (a public report, no words).

The shipped data holds both: the article's facts are quoted, the later reports' facts
(``triples/sources/Report-*.trig``) are cited. Every view says which tier a fact rests on, and
``kg validate`` refuses a cited fact whose report has no URL.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from click.testing import CliRunner
from conftest import replace_in

import kg
from kg.cli.main import main
from kg.data.namespaces import KGR
from kg.query.entity import Citation, EntityFact, EntityView, entity_view, load_labels
from kg.server.pages import entity_page

INFOQ = "https://www.infoq.cn/news/VIJ9o1qFoOvttecimCwC"
REPORTS = sorted((Path(__file__).resolve().parent.parent / "triples" / "sources").glob("*.trig"))


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout


def test_at_least_five_reports_each_one_file_and_no_quote_of_them() -> None:
    reports = [p for p in REPORTS if p.name.startswith("Report-")]
    assert len(reports) >= 5
    for path in reports:
        text = path.read_text(encoding="utf-8")
        assert f"kgr:{path.stem} a kg:PublicReport" in text, path.name
        assert "oa:exact" not in text and "oa:hasSelector" not in text, path.name


def test_describe_says_cited_with_publisher_date_and_link(graph: kg.KnowledgeGraph) -> None:
    code, out = invoke("describe", "kgr:Zhipu-HKIPO")
    assert code == 0
    assert f"[cited: InfoQ, 2026-01-08, {INFOQ}; ev:report-infoq-listing: Opening" in out
    assert "quoted:" not in out  # the listing rests on reports only
    code, out = invoke("describe", "kgr:Funding-2025-03")
    assert code == 0
    assert "quoted: “3月,连跑珠海、成都、杭州三地签下18亿元国资” (ev:funding-2025-03" in out
    assert "cited: 聯合新聞網, 2025-08-19, https://udn.com/news/story/7241/8949906" in out


def test_entity_page_links_the_report_and_quotes_nothing_of_it(graph: kg.KnowledgeGraph) -> None:
    engine = graph.engine
    labels = load_labels(engine)
    view = entity_view(engine, str(KGR["Zhipu-HKIPO"]), labels)
    cited = [f for f in view.facts if f.tier == "cited"]
    assert cited and all(f.quote is None and f.citation for f in cited)
    assert {f.citation.report for f in cited if f.citation} >= {
        str(KGR["Report-infoq-20260108"]),
        str(KGR["Report-reuters-20260108"]),
    }
    html = entity_page(view, labels)
    assert f'<a href="{INFOQ}" rel="noopener noreferrer nofollow">{INFOQ}</a>' in html
    assert "cited 引用: InfoQ, 2026-01-08" in html and "<blockquote" not in html


def test_entity_page_links_only_web_addresses() -> None:
    citation = Citation("kgr:R", "Example <b>News</b>", "2026", "javascript:alert(1)", "Top")
    fact = EntityFact(True, "kg:date", ox.Literal("2026"), "ev:x", citation=citation)
    assert fact.tier == "cited"
    html = entity_page(EntityView(str(KGR.R), {"zh": "例", "en": "Example"}, [fact]), {})
    assert "<a href" not in html.split("<table", 1)[-1]
    assert "javascript:alert(1)" in html and "Example &lt;b&gt;News&lt;/b&gt;" in html


def test_evidence_for_entity_asks_for_one_tier(graph: kg.KnowledgeGraph) -> None:
    from kg.query.catalogue import load_catalogue

    query = load_catalogue()["evidence_for_entity"]
    both = graph.query(query.text, bindings={"entity": ox.NamedNode(str(KGR["Funding-2025-03"]))})
    tiers = {row[both.variables.index("tier")].value for row in both.rows}
    assert tiers == {"quoted", "cited"}
    for tier in ("quoted", "cited"):
        only = graph.query(
            query.text,
            bindings={
                "entity": ox.NamedNode(str(KGR["Funding-2025-03"])),
                "tier": ox.Literal(tier),
            },
        )
        rows = [dict(zip(only.variables, row, strict=True)) for row in only.rows]
        assert rows and {r["tier"].value for r in rows} == {tier}
        assert all((r["quote"] is None) == (tier == "cited") for r in rows)


def test_explorer_edge_carries_the_citation(graph: kg.KnowledgeGraph, tmp_path: Path) -> None:
    projection = graph.to_networkx()
    (edge,) = (
        nx.MultiDiGraph(projection).get_edge_data(str(KGR.HuafaGroup), str(KGR.Zhipu)).values()
    )
    (record,) = edge["evidence"]
    assert record["tier"] == "cited" and record["quote"] == "" and record["start"] is None
    assert record["publisher"] == "Devdiscourse" and record["published"] == "2025-03-13"
    assert record["url"].startswith("https://www.devdiscourse.com/") and record["locator"]
    page = tmp_path / "explorer.html"
    code, out = invoke("viz", "-o", str(page), "--focus", "kgr:HuafaGroup", "--hops", "1")
    assert code == 0, out
    data = re.search(r'id="kg-data">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
    assert data is not None
    quotes = json.loads(data.group(1))["quotes"]
    assert quotes["ev:report-devdiscourse-huafa"]["tier"] == "cited"
    assert quotes["ev:funding-2025-03"]["tier"] == "quoted"


def test_validate_refuses_a_cited_fact_without_a_url(data_copy: Path, source_path: Path) -> None:
    report = data_copy / "triples" / "sources" / "Report-udn-20250819.trig"
    before = report.read_bytes()
    replace_in(
        report, '        schema:url "https://udn.com/news/story/7241/8949906"^^xsd:anyURI ;\n', ""
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg",
            "--data",
            str(data_copy),
            "validate",
            "--source",
            str(source_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    problems = [line for line in result.stdout.splitlines() if line.startswith("  [")]
    assert problems == [
        "  [shacl] kgr:Report-udn-20250819 (shape): schema:url: needs schema:url (one xsd:anyURI):"
        " the report's address; a cited fact without a URL cannot be checked"
    ]
    assert "Traceback" not in result.stderr and report.read_bytes() != before
