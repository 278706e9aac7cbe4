"""The large-graph page's Python side: its renderer choice, compact data, layout and escaping."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

import kg
from kg.cli.main import main as kg_main
from kg.data.namespaces import KGR
from kg.explore.large import large_data, large_layout, large_places
from kg.explore.page import explorer_page
from kg.network.paths import meaning_graph
from kg.network.projection import to_networkx

HOSTILE = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"


@pytest.fixture(scope="module")
def nxg(graph: kg.KnowledgeGraph) -> nx.MultiDiGraph:
    return to_networkx(graph)


def _short(iri: str) -> str:
    return iri.replace(str(KGR), "kgr:")


def _long(curie: str) -> str:
    return curie.replace("kgr:", str(KGR), 1)


def _data(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_sigma_draws_every_node_and_vis_stays_below_the_threshold(nxg: nx.MultiDiGraph) -> None:
    large = explorer_page(nxg, renderer="sigma")
    assert (large.mode, large.nodes, large.edges) == (
        "large",
        nxg.number_of_nodes(),
        nxg.number_of_edges(),
    )
    assert "Sigma=" in large.html and "graphology=" in large.html
    assert explorer_page(nxg).mode == "full"
    assert explorer_page(nxg, max_nodes=50).mode == "large"


def test_the_data_is_in_columns_with_each_relation_and_quote_once(nxg: nx.MultiDiGraph) -> None:
    data = large_data(nxg, lang="zh", title="t", message=("", ""), seed=7)
    count = nxg.number_of_nodes()
    assert all(len(data[k]) == count for k in ("ids", "zh", "en", "cls", "x", "y", "degree"))
    assert len(data["edges"]) == 4 * nxg.number_of_edges()
    relations = [row[0] for row in data["relations"]]
    assert len(relations) == len(set(relations))
    quotes = [json.dumps(q, sort_keys=True) for q in data["quotes"]]
    assert len(quotes) == len(set(quotes))
    zhipu = data["ids"].index("kgr:Zhipu")
    assert data["zh"][zhipu] == "智谱"


def test_labels_from_the_data_never_become_markup(nxg: nx.MultiDiGraph) -> None:
    hostile = nxg.copy()
    hostile.nodes[str(KGR.Zhipu)]["label_zh"] = HOSTILE
    html = explorer_page(hostile, renderer="sigma").html
    assert HOSTILE not in html
    data = _data(html)
    assert data["zh"][data["ids"].index("kgr:Zhipu")] == HOSTILE


def test_the_layout_is_seeded(nxg: nx.MultiDiGraph) -> None:
    assert large_layout(nxg, 7) == large_layout(nxg, 7)
    assert large_layout(nxg, 7) != large_layout(nxg, 8)


def test_a_nodes_literal_facts_travel_with_their_quotes(nxg: nx.MultiDiGraph) -> None:
    data = large_data(nxg, lang="zh", title="t", message=("", ""), seed=7)
    node, k, first = next(
        (n, k, fact)
        for n, a in sorted(nxg.nodes(data=True))
        for k, fact in enumerate(a.get("facts", []))
        if fact["evidence"]
    )
    prop, value, lang, quote = data["facts"][data["ids"].index(_short(node))][k]
    assert data["relations"][prop][0] == first["property"]
    assert (value, lang) == (first["value"], first["lang"])
    assert data["quotes"][quote]["quote"] == first["evidence"][0]["quote"]


@pytest.mark.parametrize(("renderer", "mode"), [("sigma", "large"), ("vis", "full")])
def test_kg_viz_draws_with_the_renderer_asked_for(renderer: str, mode: str, tmp_path: Path) -> None:
    page = tmp_path / "explorer.html"
    result = CliRunner().invoke(kg_main, ["viz", "-o", str(page), "--renderer", renderer])
    assert result.exit_code == 0, result.output
    assert f"({mode} view)" in result.output
    assert ("Sigma=" in page.read_text(encoding="utf-8")) is (renderer == "sigma")


def test_the_edges_paths_walk_carry_their_hop_kind_one_per_pair(nxg: nx.MultiDiGraph) -> None:
    data = large_data(nxg, lang="zh", title="t", message=("", ""), seed=7)
    simple = meaning_graph(nxg)
    walked = [e for e, code in enumerate(data["hops"]) if code]
    assert sorted(data["paths"]["order"]) == walked
    first: dict[frozenset[str], int] = {}  # per pair, the first edge of the ranking's order
    for e in data["paths"]["order"]:
        pair = frozenset(_long(data["ids"][data["edges"][4 * e + k]]) for k in (0, 1))
        first.setdefault(pair, e)
    assert len(first) == simple.number_of_edges()
    for u, v, attrs in simple.edges(data=True):
        e = first[frozenset((u, v))]
        assert data["hop_kinds"][data["hops"][e]] == attrs["kind"]
        assert data["paths"]["weights"][e] == attrs["weight"]
    assert data["paths_text"]["en"]["title"].startswith("Path, by meaning")


def test_dated_edges_carry_their_date_once(nxg: nx.MultiDiGraph) -> None:
    data = large_data(nxg, lang="zh", title="t", message=("", ""), seed=7)
    assert len(data["dates"]) == len(set(data["dates"]))
    ordered = sorted(
        nxg.edges(keys=True, data=True),
        key=lambda e: (str(e[0]), str(e[1]), e[3].get("relation", "")),
    )
    assert len(data["edate"]) == len(ordered)
    for (_, _, _, attrs), d in zip(ordered, data["edate"], strict=True):
        assert (data["dates"][d] if d >= 0 else "") == (attrs.get("date_start") or "")
    assert any(d >= 0 for d in data["edate"])


def test_communities_hold_every_node_once_named_after_their_best_connected(
    nxg: nx.MultiDiGraph,
) -> None:
    data = large_data(nxg, lang="zh", title="t", message=("", ""), seed=7)
    assert len(data["com"]) == len(data["ids"])
    sizes = [data["com"].count(c) for c in range(len(data["communities"]))]
    assert sizes == sorted(sizes, reverse=True) and min(sizes) >= 1
    for c, (x, y, radius, first) in enumerate(data["communities"]):
        assert data["com"][first] == c
        members = [i for i, k in enumerate(data["com"]) if k == c]
        assert data["degree"][first] == max(data["degree"][i] for i in members)
        assert all(math.hypot(data["x"][i] - x, data["y"][i] - y) <= radius + 0.2 for i in members)
    _, discs = large_places(nxg, 7)
    assert [len(c.members) for c in discs] == sizes
