"""Exports investigators load: FollowTheMoney entities (checked by the real followthemoney
library), and every fact with its evidence as a workbook (opened with openpyxl) or CSV files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from followthemoney import model
from openpyxl import load_workbook

import kg
from kg.cli.main import main
from kg.data.prefixes import PREFIXES
from kg.network.facts import facts, statements


@pytest.fixture(scope="module")
def graph() -> kg.KnowledgeGraph:
    return kg.load(lazy=True)


def export(fmt: str, target: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["export", "--format", fmt, "-o", str(target)])
    return result.exit_code, result.output


def test_ftm_entities_are_valid_for_followthemoney(tmp_path: Path) -> None:
    code, _ = export("ftm", tmp_path / "zhipu.ftm.json")
    assert code == 0
    entities = [json.loads(line) for line in (tmp_path / "zhipu.ftm.json").read_text().splitlines()]
    ids = {e["id"] for e in entities}
    for entity in entities:
        proxy = model.get_proxy(entity, cleaned=False)  # unknown schema or property: raises
        assert proxy.schema.validate(entity) is None, entity
        for prop in proxy.iterprops():
            if prop.type.name == "entity":  # every reference resolves inside the file
                assert set(proxy.get(prop)) <= ids, (entity["id"], prop.name)
    schemata = {e["schema"] for e in entities}
    assert {"Company", "Person", "PublicBody", "Ownership", "Employment", "Article"} <= schemata


def test_ftm_investment_carries_amount_date_and_quote(tmp_path: Path) -> None:
    export("ftm", tmp_path / "zhipu.ftm.json")
    entities = [json.loads(line) for line in (tmp_path / "zhipu.ftm.json").read_text().splitlines()]
    by_id = {e["id"]: e for e in entities}
    beijing = [
        e
        for e in entities
        if e["schema"] == "Ownership"
        and "北京市人工智能产业投资基金" in by_id[e["properties"]["owner"][0]]["properties"]["name"]
    ]
    [ownership] = beijing
    props = ownership["properties"]
    assert by_id[props["asset"][0]]["properties"]["name"][0] == "智谱"
    assert props["startDate"] == ["2025-04"]
    assert props["sharesValue"] == ["200000000.0"] and props["sharesCurrency"] == ["CNY"]
    assert "2亿追加投资" in props["summary"][0]
    assert by_id[props["proof"][0]]["schema"] == "Article"
    assert props["recordId"] == ["ev:funding-2025-04"]


def test_workbook_holds_every_fact_with_its_evidence(
    graph: kg.KnowledgeGraph, tmp_path: Path
) -> None:
    code, _ = export("xlsx", tmp_path / "facts.xlsx")
    assert code == 0
    book = load_workbook(tmp_path / "facts.xlsx", read_only=True)
    rows = {
        name: [list(row) for row in book[name].iter_rows(values_only=True)]
        for name in book.sheetnames
    }
    expected = list(facts(graph.dataset))
    for fact in expected:
        header, *body = rows[fact.kind.split(":")[1]]
        hits = [
            r
            for r in body
            if r[0] == fact.iri and r[header.index("evidence")] == fact.evidence["evidence"]
        ]
        assert len(hits) == 1, fact.iri
        quote, url = hits[0][header.index("quote")], hits[0][header.index("url")]
        if fact.evidence["tier"] == "quoted":
            assert quote == fact.evidence["quote"] and quote, fact.iri
        else:  # a cited report: its address and where in it, none of its words
            assert fact.evidence["tier"] == "cited" and url.startswith("http") and not quote
            assert hits[0][header.index("where_in_source")], fact.iri
        assert "label_zh" in header and "label_en" in header
    header, *body = rows["statements"]
    assert len(body) == len(list(statements(graph.dataset)))
    graphs = {r[header.index("evidence")] for r in body}
    for _, (sheet_header, *sheet_rows) in [(n, rows[n]) for n in rows if n != "statements"]:
        graphs |= {r[sheet_header.index("evidence")] for r in sheet_rows}
    every = {
        "ev:" + str(g.identifier)[len(PREFIXES["ev"]) :]
        for g in graph.dataset.graphs()
        if str(g.identifier).startswith(PREFIXES["ev"]) and len(g) > 0
    }
    assert every <= graphs  # no evidence graph is left out of the workbook
    funding_header, *funding = rows["FundingEvent"]
    march = next(r for r in funding if r[0] == "kgr:Funding-2025-03")
    assert march[funding_header.index("amount_value")] == 1800000000.0
    assert "珠海国资平台" in march[funding_header.index("investor_zh")]
    assert "Zhuhai" in march[funding_header.index("investor_en")]
    assert march[funding_header.index("start")] == 137


def test_csv_folder_one_file_per_kind_and_refuses_a_full_folder(tmp_path: Path) -> None:
    code, output = export("csv", tmp_path / "facts")
    assert code == 0, output
    files = sorted(p.name for p in (tmp_path / "facts").iterdir())
    assert "FundingEvent.csv" in files and "statements.csv" in files
    with (tmp_path / "facts" / "FundingEvent.csv").open(encoding="utf-8-sig") as handle:
        table = list(csv.DictReader(handle))
    assert any(row["quote"].startswith("3月,连跑珠海") for row in table)
    before = sorted(p.name for p in (tmp_path / "facts").iterdir())
    code, output = export("csv", tmp_path / "facts")
    assert code == 2 and "not an empty folder" in output
    assert sorted(p.name for p in (tmp_path / "facts").iterdir()) == before
