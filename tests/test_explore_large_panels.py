"""The large view's panel columns: PageRank for size-by and the ranking, each edge's details."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

import kg
from kg.explore.large import large_data
from kg.explore.large_panels import pagerank_column
from kg.network.analytics import pagerank_of_pairs, scores
from kg.network.paths import hop_kind
from kg.network.projection import to_networkx


@pytest.fixture(scope="module")
def nxg(graph: kg.KnowledgeGraph) -> nx.MultiDiGraph:
    return to_networkx(graph)


def test_pagerank_of_pairs_is_networkx_pagerank_self_loops_and_lone_nodes_included() -> None:
    simple = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3), (3, 3)])
    simple.add_node(4)
    expected = nx.pagerank(simple, tol=1e-6)
    found = pagerank_of_pairs(5, [(0, 1), (1, 2), (0, 2), (2, 3), (3, 3)])
    assert found == pytest.approx([expected[n] for n in range(5)], abs=1e-9)
    assert pagerank_of_pairs(0, []) == []


def test_the_pagerank_column_is_the_explorers_pagerank_times_the_node_count(
    nxg: nx.MultiDiGraph,
) -> None:
    data = large_data(nxg, lang="zh", title="t", message=("", ""), seed=7)
    count = len(data["ids"])
    python = scores(nxg, "pagerank")
    for i, node in enumerate(data["ids"]):
        iri = node.replace("kgr:", "https://w3id.org/zhipu-kg/resource/", 1)
        assert data["pagerank"][i] == pytest.approx(count * python[iri], rel=5e-3)
    assert sum(data["pagerank"]) == pytest.approx(count, rel=1e-2)
    # parallel edges and both directions count once, as in the simple graph
    assert pagerank_column(3, [0, 1, 0, -1, 1, 0, 0, -1, 1, 2, 0, -1]) == pagerank_column(
        3, [0, 1, 0, -1, 1, 2, 0, -1]
    )


def test_each_edge_carries_its_fact_date_amount_claim_and_every_quote(
    nxg: nx.MultiDiGraph,
) -> None:
    data = large_data(nxg, lang="zh", title="t", message=("", ""), seed=7)
    ordered = sorted(
        nxg.edges(data=True), key=lambda e: (str(e[0]), str(e[1]), e[2].get("relation", ""))
    )
    assert len(data["edetail"]) == len(ordered)
    strings = data["estrings"]
    claims = 0
    for e, (u, v, attrs) in enumerate(ordered):
        d = data["edetail"][e]
        keys = ("fact", "fact_label_zh", "fact_label_en", "date", "date_text", "amount_zh")
        if d < 0:
            assert not any(attrs.get(k) for k in keys)
            continue
        row = data["edetails"][d]
        assert [strings[k] for k in row[:6]] == [str(attrs.get(k) or "") for k in keys]
        assert strings[row[7]] == str(attrs.get("fact_class") or "")
        claim = bool(attrs["evidence"]) and hop_kind(nxg, u, v, attrs) == "claim"
        assert row[8] == int(claim)
        claims += claim
        more = [data["quotes"][q] for q in data["emore"].get(e, [])]
        assert [q.get("quote", "") for q in more] == [q["quote"] for q in attrs["evidence"][1:]]
        assert [q.get("start") for q in more] == [q["start"] for q in attrs["evidence"][1:]]
    assert claims >= 10
    assert data["ecurated"] == [e for e, (_, _, a) in enumerate(ordered) if a["curated"]]
    assert data["ecurated"] and all(not ordered[e][2]["evidence"] for e in data["ecurated"])
    rows = [tuple(row) for row in data["edetails"]]
    assert len(rows) == len(set(rows)) and len(strings) == len(set(strings))


def test_the_aliases_column_holds_each_nodes_aliases(nxg: nx.MultiDiGraph) -> None:
    data = large_data(nxg, lang="zh", title="t", message=("", ""), seed=7)
    ids = sorted(nxg.nodes(), key=str)
    expected = {
        i: nxg.nodes[n]["aliases"] for i, n in enumerate(ids) if nxg.nodes[n].get("aliases")
    }
    assert data["aliases"] == expected and len(expected) >= 10


def _first_quote(evidence: list[dict[str, Any]]) -> str | None:
    return (evidence[0].get("quote") or None) if evidence else None


def test_each_facts_own_values_and_related_facts_travel_once(nxg: nx.MultiDiGraph) -> None:
    data = large_data(nxg, lang="zh", title="t", message=("", ""), seed=7)
    strings, props = data["estrings"], data["eprops"]
    seen = 0
    for _, _, attrs in nxg.edges(data=True):
        if not attrs.get("fact") or not (attrs.get("details") or attrs.get("related")):
            continue
        values, related = data["efacts"][strings.index(attrs["fact"])]
        assert [
            (
                props[p][0],
                props[p][1],
                value,
                lang,
                data["quotes"][q].get("quote") if q >= 0 else None,
            )
            for p, value, lang, q in values
        ] == [
            (d["property"], d["label_zh"], d["value"], d["lang"], _first_quote(d["evidence"]))
            for d in attrs["details"]
        ]
        assert [(props[p][0], zh, en) for p, zh, en in related] == [
            (r["property"], r["label_zh"], r["label_en"]) for r in attrs["related"]
        ]
        seen += 1
    assert seen >= 60
    assert len(data["efacts"]) == len(
        {a["fact"] for _, _, a in nxg.edges(data=True) if a.get("details") or a.get("related")}
    )
