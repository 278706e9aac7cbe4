"""Paths by meaning (kg.network.paths): facts before claims, in the API, page table and kg path."""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import combinations
from typing import Any

import networkx as nx
import pytest

import kg
from kg.data.namespaces import KGR
from kg.network.paths import (
    Path,
    meaning_graph,
    page_path_table,
    path_document,
    path_table,
    ranked_paths,
)
from kg.network.projection import to_networkx

ZHIPU = str(KGR.Zhipu)
#: Entities the project's brief names, and a few more the article links to them.
NAMED = [
    "智谱", "唐杰", "张鹏", "商汤科技", "清华大学", "北京市人工智能产业投资基金", "杭州国资平台",
    "珠海国资平台", "成都国资平台", "阿里巴巴", "腾讯", "字节跳动", "Meta", "微软", "OpenAI",
    "GLM-130B", "GLM-4-Air", "卖服务+卖场景", "巨头", "港股",
]  # fmt: skip


@pytest.fixture(scope="module")
def nxg(graph: kg.KnowledgeGraph) -> nx.MultiDiGraph:
    return to_networkx(graph)


def relations(path: Path) -> list[str]:
    return [hop.relation for hop in path.hops]


def rank(path: Path) -> tuple[int, int, int]:
    return path.detours, path.weight, len(path.hops)


# ---------------------------------------------------------------- the acceptance pair
def test_tang_jie_to_sensetime_first_shows_the_shared_business_model(
    nxg: nx.MultiDiGraph,
) -> None:
    paths = ranked_paths(nxg, "唐杰", "商汤", k=10)
    first = paths[0]
    assert relations(first) == ["kg:ledBy", "kg:businessModel", "kg:businessModel"]
    assert first.nodes == [str(KGR.TangJie), ZHIPU, str(KGR.SellingServicesAndScenarios),
                           str(KGR.SenseTime)]  # fmt: skip
    assert first.detours == 0 and {hop.kind for hop in first.hops} == {"fact"}
    for hop in first.hops:  # a quote per hop, with its offsets
        assert hop.evidence and all(q["tier"] == "quoted" and q["quote"] for q in hop.evidence)
        assert all(q["end"] > q["start"] >= 0 for q in hop.evidence)
    assert "卖服务+卖场景" in first.hops[1].evidence[0]["quote"]
    assert "卖服务+卖场景" in first.hops[2].evidence[0]["quote"]
    # the two-hop route through the author's SenseTime lesson exists and is shorter, but the
    # lesson is a claim, context, so it ranks after every chain of facts
    claimed = next(p for p in paths if len(p.hops) == 2)
    assert relations(claimed) == ["kg:ledBy", "kg:about"] and claimed.hops[1].kind == "claim"
    assert paths.index(claimed) > max(i for i, p in enumerate(paths) if p.detours == 0)
    assert claimed.hops[1].says_en.startswith("Author:") and claimed.hops[1].says_zh


def test_the_public_api_ranks_as_the_network_module(
    graph: kg.KnowledgeGraph, nxg: nx.MultiDiGraph
) -> None:
    assert graph.paths("Tang Jie", "SenseTime", k=4) == ranked_paths(nxg, "唐杰", "商汤", k=4)


def test_zhipu_and_sensetime_meet_through_the_business_model_before_the_lesson(
    nxg: nx.MultiDiGraph,
) -> None:
    paths = ranked_paths(nxg, "智谱", "商汤", k=3)
    assert relations(paths[0]) == ["kg:businessModel", "kg:businessModel"]
    lesson = [p for p in paths if len(p.hops) == 1]
    assert lesson and lesson[0].hops[0].kind == "claim"  # one hop, but a claim: later
    assert lesson[0].hops[0].says_en.startswith("Author:")


# ---------------------------------------------------------------- order by meaning, many pairs
def test_every_investor_reaches_zhipu_first_through_its_funding(
    graph: kg.KnowledgeGraph, nxg: nx.MultiDiGraph
) -> None:
    rows = graph.query(
        "SELECT DISTINCT ?i WHERE { ?e a kg:FundingEvent ; kg:investee kgr:Zhipu ; kg:investor ?i }"
    ).rows
    investors = sorted(row[0].value for row in rows)
    assert len(investors) >= 10
    for investor in investors:
        first = ranked_paths(nxg, investor, "智谱", k=3)[0]
        assert relations(first) == ["kg:FundingEvent"], investor
        assert first.hops[0].evidence and first.hops[0].forward, investor


def test_tang_jie_reaches_tsinghua_through_zhipu_and_its_models_not_claims(
    nxg: nx.MultiDiGraph,
) -> None:
    paths = ranked_paths(nxg, "唐杰", "清华", k=5)
    assert all(p.detours == 0 for p in paths)
    first = paths[0]
    assert first.hops[0].relation == "kg:ledBy" and first.nodes[1] == ZHIPU
    assert first.hops[-1].relation in {"kg:developer", "kg:ModelRelease"}  # Tsinghua's GLM work


@pytest.mark.parametrize("rival", ["字节跳动", "Meta", "微软"])
def test_zhipu_meets_a_big_tech_rival_through_the_competition(
    nxg: nx.MultiDiGraph, rival: str
) -> None:
    first = ranked_paths(nxg, "智谱", rival, k=3)[0]
    assert relations(first) == ["kg:competesWith", "kg:memberOf"]
    assert first.nodes[1] == str(KGR.BigTechFirms)


def test_a_direct_funding_beats_the_big_tech_route(nxg: nx.MultiDiGraph) -> None:
    paths = ranked_paths(nxg, "智谱", "阿里巴巴", k=3)
    assert relations(paths[0]) == ["kg:FundingEvent"]
    assert relations(paths[1]) == ["kg:competesWith", "kg:memberOf"]


def test_when_only_a_claim_links_them_the_claim_is_the_path_and_says_who(
    nxg: nx.MultiDiGraph,
) -> None:
    first = ranked_paths(nxg, "kgr:UnnamedRumour", "BAT", k=1)[0]
    assert [hop.kind for hop in first.hops] == ["claim"] and first.detours == 1
    assert first.hops[0].says_zh.startswith("传言")


def test_rankings_are_ordered_and_evidenced_for_every_pair_of_named_entities(
    nxg: nx.MultiDiGraph,
) -> None:
    for a, b in combinations(NAMED, 2):
        paths = ranked_paths(nxg, a, b, k=4)
        assert paths, (a, b)
        assert [rank(p) for p in paths] == sorted(rank(p) for p in paths), (a, b)
        assert len({tuple(p.nodes) for p in paths}) == len(paths)
        for path in paths:
            assert path.detours == sum(h.kind in {"claim", "provenance"} for h in path.hops)
            assert all(hop.evidence for hop in path.hops), (a, b)
        assert ranked_paths(nxg, a, b, k=4) == paths  # the same order every time


# ---------------------------------------------------------------- the rule, on a graph of its own
def _graph(edges: list[tuple[str, str, dict[str, Any]]], **classes: str) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for node in sorted({n for u, v, _ in edges for n in (u, v)}):
        g.add_node(node, label_zh=node, label_en=node, **{"class": classes.get(node, "kg:Thing")})
    quote = [{"graph": "ev:x", "quote": "原文", "start": 0, "end": 2, "tier": "quoted"}]
    for u, v, attrs in edges:
        g.add_edge(u, v, **{"kind": "direct", "evidence": quote, **attrs})
    return g


def link(u: str, v: str, relation: str, **attrs: Any) -> tuple[str, str, dict[str, Any]]:
    return u, v, {"relation": relation, **attrs}


def test_a_long_chain_of_facts_beats_one_claim_and_a_claim_beats_a_source() -> None:
    facts = [link(u, v, "kg:partOf") for u, v in [("a", "f1"), ("f1", "f2"), ("f2", "f3")]]
    claim = link("a", "b", "kg:Claim", kind="fact", fact_label_en="a: b wins")
    source = [link("a", "s", "kg:about"), link("s", "b", "kg:about")]
    g = _graph([*facts, link("f3", "b", "kg:partOf"), claim, *source], s="kg:SourceArticle")
    paths = ranked_paths(g, "a", "b", k=3)
    assert [p.nodes for p in paths] == [["a", "f1", "f2", "f3", "b"], ["a", "b"], ["a", "s", "b"]]
    assert [p.detours for p in paths] == [0, 1, 2]
    assert paths[1].hops[0].says_en == "a: b wins"
    assert [h.kind for h in paths[2].hops] == ["provenance", "provenance"]


def test_a_place_is_a_weaker_link_than_a_fact_and_curated_edges_wait_to_be_asked() -> None:
    places = [link("a", "city", "kg:location"), link("city", "b", "kg:location")]
    facts = [link("a", "m", "kg:developer"), link("m", "b", "kg:developer")]
    curated = link("a", "b", "kg:basedOn", evidence=[], curated=True)
    g = _graph([*places, *facts, curated])
    found = ranked_paths(g, "a", "b", k=3)
    assert [p.nodes for p in found] == [["a", "m", "b"], ["a", "city", "b"]]
    walked = ranked_paths(g, "a", "b", k=3, evidence_only=False)
    assert [p.nodes for p in walked][:2] == [["a", "m", "b"], ["a", "city", "b"]]
    assert walked[2].hops[0].kind == "curated" and walked[2].detours == 1


def test_between_two_nodes_the_most_meaningful_edge_stands_for_all() -> None:
    g = _graph(
        [link("a", "b", "kg:Claim", kind="fact"), link("a", "b", "kg:location"),
         link("a", "b", "kg:memberOf")]
    )  # fmt: skip
    assert meaning_graph(g).edges["a", "b"]["kind"] == "fact"
    assert relations(ranked_paths(g, "a", "b")[0]) == ["kg:memberOf"]


# ---------------------------------------------------------------- the page's table, the JSON
def test_the_page_table_orders_edges_as_the_ranking_does(nxg: nx.MultiDiGraph) -> None:
    edges = [
        {"from": u, "to": v, "relation": d.get("relation", ""), "fact": str(d.get("fact", ""))}
        for u, v, d in nxg.edges(data=True)
    ]
    table = path_table(nxg, edges)
    first: dict[frozenset[str], int] = {}
    for i in table["order"]:  # per pair, the first edge of the order stands for the pair
        first.setdefault(frozenset((edges[i]["from"], edges[i]["to"])), i)
    simple = meaning_graph(nxg)
    assert len(first) == simple.number_of_edges()
    for u, v, attrs in simple.edges(data=True):
        i = first[frozenset((u, v))]
        tail, head, key = attrs["edge"]
        assert (edges[i]["from"], edges[i]["to"]) == (tail, head)
        assert edges[i]["relation"] == nxg.edges[tail, head, key].get("relation", "")
        assert (table["weights"][i], table["kinds"][i]) == (attrs["weight"], attrs["kind"])
    walked = set(table["order"])
    assert all(table["kinds"][i] == "" for i in range(len(edges)) if i not in walked)
    assert any(table["kinds"][i] == "claim" for i in walked)  # claims walked, as context


def test_a_page_of_every_edge_gets_the_same_table_in_one_pass(nxg: nx.MultiDiGraph) -> None:
    # the large view's order: by the ends' ids, then relation (not the graph's own order)
    graph_order = list(enumerate(nxg.edges(keys=True, data=True)))
    drawn = sorted(graph_order, key=lambda e: (e[1][0], e[1][1], str(e[1][3].get("relation"))))
    page = [(u, v, key, position, attrs) for position, (u, v, key, attrs) in drawn]
    edges = [
        {"from": u, "to": v, "relation": a.get("relation", ""), "fact": a.get("fact", "")}
        for u, v, _, _, a in page
    ]
    table = page_path_table(nxg, page)
    assert table == path_table(nxg, edges)
    assert len(table["order"]) > 100 and table["order"] != sorted(table["order"])


def test_the_json_document_carries_both_languages_and_the_evidence(nxg: nx.MultiDiGraph) -> None:
    document = path_document(nxg, ranked_paths(nxg, "唐杰", "商汤", k=2))
    hop = document["paths"][0]["hops"][1]
    assert hop["from"]["label_zh"] == "智谱" and hop["to"]["label_en"]
    assert hop["relation"] == "kg:businessModel" and hop["kind"] == "fact"
    assert hop["evidence"][0]["graph"] == "ev:business-model-shift"
    json.dumps(document, ensure_ascii=False)  # JSON-ready


# ---------------------------------------------------------------- kg path, as a real process
def kg_path(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", "path", *args], capture_output=True, text=True, timeout=120
    )


def test_kg_path_prints_the_shared_business_model_first_with_a_quote_per_hop() -> None:
    result = kg_path("唐杰", "商汤")
    assert result.returncode == 0, result.stderr
    first = result.stdout.split("\npath 2")[0].splitlines()
    assert first[0] == "path 1 (3 hops, facts only):"
    assert first[1] == "  唐杰 —主导者 (kg:ledBy)← 智谱  [唐杰把全国产路线带进智谱]"
    assert first[3] == "  智谱 —商业模式 (kg:businessModel)→ 卖服务+卖场景"
    assert first[5] == "  卖服务+卖场景 —商业模式 (kg:businessModel)← 商汤科技"
    for quote_line in (first[2], first[4], first[6]):
        assert quote_line.startswith("      “") and "(ev:" in quote_line
    assert "卖服务+卖场景的苦力赚钱" in first[6]


def test_kg_path_shows_a_claim_as_context_and_json_as_the_api_ranks() -> None:
    shown = kg_path("智谱", "商汤", "-k", "3", "--lang", "en")
    assert shown.returncode == 0, shown.stderr
    assert "  Zhipu AI ⋯ SenseTime  (a claim: context, not a link) Author:" in shown.stdout
    assert "—about (kg:about)" not in shown.stdout  # never drawn as a link
    as_json = kg_path("唐杰", "商汤", "--format", "json", "-k", "2")
    document = json.loads(as_json.stdout)
    assert [h["relation"] for h in document["paths"][0]["hops"]] == [
        "kg:ledBy", "kg:businessModel", "kg:businessModel",
    ]  # fmt: skip


def test_kg_path_cites_a_report_where_a_hop_rests_on_one() -> None:
    result = kg_path("张鹏", "珠海国资平台", "-k", "1", "--lang", "en")
    assert result.returncode == 0, result.stderr
    cited = [line for line in result.stdout.splitlines() if line.startswith("      cited: ")]
    assert cited and all("<https://" in line and "(ev:" in line for line in cited)
