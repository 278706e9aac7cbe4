"""Drafts as first-class citizens: with drafts included, the named queries and the explorer see
the proposed facts (marked draft, with their quotes); the data folder is the one asked for."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from desk_bench import Bench
from desk_bench import bench_fixture as bench_fixture

import kg
from kg.data.paths import DataLayout, data_dir
from kg.query.catalogue import load_query

QUOTE = "同月，智谱还获得北京市人工智能产业投资基金2亿元追加投资。"


def _timeline(root: Path, include_drafts: bool) -> dict[str, dict[str, str]]:
    graph = kg.load(root, include_drafts=include_drafts)
    query = load_query("funding_timeline", graph.layout)
    return {str(row["as_written"]): row for row in graph.query(query.text).to_dicts()}


def test_named_queries_see_proposed_facts_only_with_drafts(bench: Bench) -> None:
    without = _timeline(bench.root, include_drafts=False)
    assert QUOTE not in {r.get("quote") for r in without.values()}  # cited rows have no quote
    with_drafts = _timeline(bench.root, include_drafts=True)
    assert {r.get("quote") for r in with_drafts.values()} >= {QUOTE}
    assert with_drafts["5亿元"]["date"] == "2026-04-02"


def test_the_explorer_draws_proposals_as_draft_facts_with_their_quotes(bench: Bench) -> None:
    network = kg.load(bench.root, lazy=True, include_drafts=True).to_networkx()
    drafts = [
        (u, v, e)
        for u, v, attrs in network.edges(data=True)
        for e in attrs.get("evidence", [])
        if e.get("draft")
    ]
    assert any(e["quote"] == QUOTE for _, _, e in drafts)
    assert {u for u, _, _ in drafts} >= {"https://w3id.org/zhipu-kg/resource/New-BeijingShiAIFund"}
    assert not [n for n in network.nodes if "draft-" in n or "/Draft-" in n]
    curated = kg.load(bench.root, lazy=True).to_networkx()
    assert not any(
        e.get("draft") for _, _, a in curated.edges(data=True) for e in a.get("evidence", [])
    )


def test_drafts_are_seen_wherever_they_sit_under_the_drafts_folder(bench: Bench) -> None:
    nested = bench.draft.parent / "2026" / "march"
    nested.mkdir(parents=True)
    shutil.move(bench.draft, nested / bench.draft.name)
    layout = DataLayout(bench.root, include_drafts=True)
    assert layout.draft_files() == [nested / bench.draft.name]
    assert nested / bench.draft.name not in DataLayout(bench.root).triple_files()
    reviewed = bench.root / "triples" / "sources" / "Source-zz.trig"
    reviewed.parent.mkdir(exist_ok=True)  # kg sources add made it for the bench's source
    reviewed.write_text("", encoding="utf-8")
    assert DataLayout(bench.root).triple_files()[-1] == reviewed


def test_the_data_folder_is_the_clone_the_command_runs_in(
    bench: Bench, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KG_DATA", raising=False)
    monkeypatch.chdir(bench.root / "triples")
    assert data_dir().root == bench.root.resolve()


def test_the_explorer_page_marks_the_quotes_of_proposals_as_draft(bench: Bench) -> None:
    import json
    import re

    from kg.explore.page import explorer_page

    network = kg.load(bench.root, lazy=True, include_drafts=True).to_networkx()
    html = explorer_page(network, max_nodes=None).html
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert match is not None
    quotes = json.loads(match.group(1))["quotes"]
    assert QUOTE in {q["quote"] for q in quotes.values() if q["draft"]}
    assert not any(q["draft"] for q in quotes.values() if q["source"] == "kgr:SourceArticle")
