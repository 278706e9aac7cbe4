"""The NetworkX projection, its files, paths and centrality, checked against SPARQL on the data."""

from __future__ import annotations

import json
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

import click
import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef

import kg
from kg.cli.main import main as kg_main
from kg.data.namespaces import KGR, PREFIXES
from kg.data.prefixes import shorten
from kg.network.analytics import AmbiguousEntity, EntityNotFound, centrality, resolve
from kg.network.export import EXPORT_FORMATS, export, read, write
from kg.network.paths import ranked_paths
from kg.network.projection import from_construct, to_networkx

ZHIPU = str(KGR.Zhipu)
NOT_A_FACT = """FILTER NOT EXISTS {
    VALUES ?fact { kg:Event kg:Observation kg:Claim } ?e a/rdfs:subClassOf* ?fact }"""


@pytest.fixture(scope="module")
def nxg(graph: kg.KnowledgeGraph) -> nx.MultiDiGraph:
    return to_networkx(graph)


@pytest.fixture(scope="module")
def expanded(graph: kg.KnowledgeGraph) -> nx.MultiDiGraph:
    return to_networkx(graph, collapse=False)


def sparql(graph: kg.KnowledgeGraph, text: str) -> list[Any]:
    return list(graph.dataset.query(text, initNs=PREFIXES))


def mentioned_entities(graph: kg.KnowledgeGraph) -> set[str]:
    rows = sparql(
        graph,
        f"""SELECT DISTINCT ?e WHERE {{
          GRAPH ?g {{ {{ ?e ?p ?o }} UNION {{ ?s ?p ?e FILTER(?p != rdf:type) }} }}
          FILTER(STRSTARTS(STR(?g), STR(ev:)))
          FILTER(isIRI(?e) && STRSTARTS(STR(?e), STR(kgr:)))
          ?e a ?type .
          {NOT_A_FACT}
        }}""",
    )
    return {str(row.e) for row in rows}


# ---------------------------------------------------------------- projection vs SPARQL
def test_entity_nodes_are_the_typed_resources_the_article_mentions(
    graph: kg.KnowledgeGraph, nxg: nx.MultiDiGraph
) -> None:
    entities = {n for n, d in nxg.nodes(data=True) if d["kind"] == "entity"}
    assert entities == mentioned_entities(graph)
    assert len(entities) > 80


def test_every_entity_has_labels_class_and_family(nxg: nx.MultiDiGraph) -> None:
    for node, attrs in nxg.nodes(data=True):
        assert attrs["id"] == node
        assert attrs["label_zh"] and attrs["label_en"], node
        assert attrs["class"].startswith("kg:"), node
        assert attrs["family"].startswith("kg:"), node
    zhipu = nxg.nodes[ZHIPU]
    assert (zhipu["label_zh"], zhipu["label_en"]) == ("智谱", "Zhipu AI")
    assert zhipu["class"] == "kg:AIStartup"
    assert zhipu["family"] == "kg:Organization"
    assert {"智谱AI", "Zhipu", "中国版OpenAI"} <= set(zhipu["aliases"])
    assert nxg.nodes[str(KGR.Beijing)]["family"] == "kg:Place"
    assert nxg.nodes[str(KGR["GLM-130B"])]["class"] == "kg:LargeLanguageModel"


def test_funding_edges_equal_sparql_funding_events_times_investors(
    graph: kg.KnowledgeGraph, nxg: nx.MultiDiGraph
) -> None:
    rows = sparql(
        graph,
        """SELECT ?f ?investor ?investee ?date ?written WHERE {
          ?f a/rdfs:subClassOf* kg:FundingEvent ; kg:investor ?investor ; kg:investee ?investee .
          OPTIONAL { ?f kg:date ?date }
          OPTIONAL { ?f kg:amount/kg:asWritten ?written }
        }""",
    )
    edges = [
        (u, v, d)
        for u, v, d in nxg.edges(data=True)
        if d["kind"] == "fact" and d["role_source"] == "kg:investor"
    ]
    # a fact two sources give (the article and a cited report) has a row per figure, one edge
    dates: dict[tuple[str, str, str], set[str]] = {}
    written: dict[tuple[str, str, str], set[str]] = {}
    for row in rows:
        key = (str(row.investor), str(row.investee), shorten(str(row.f)))
        dates.setdefault(key, set()).add(str(row.date))
        written.setdefault(key, set()).add(str(row.written))
    found = {(u, v, d["fact"]): d for u, v, d in edges}
    assert len(edges) == len(found) == len(dates) == 13
    for key, edge in found.items():
        if dates[key] != {"None"}:  # the cornerstone round has only a lower bound (≥2025-12-30)
            assert edge["date"] in dates[key]
        assert any(edge["amount_zh"].startswith(w) for w in written[key]), (key, edge)
        assert edge["label_zh"] == "投资"
        assert edge["evidence"] and all(
            q["quote"] if q["tier"] == "quoted" else q["url"] and q["locator"]
            for q in edge["evidence"]
        )


def test_beijing_top_up_edge_reads_like_the_article(nxg: nx.MultiDiGraph) -> None:
    (edge,) = nxg.get_edge_data(str(KGR.BeijingAIFund), ZHIPU).values()
    assert (edge["label_zh"], edge["amount_zh"], edge["date"]) == ("投资", "2亿元", "2025-04")
    assert edge["amount_en"] == "CNY 200 million"
    assert edge["date_start"] == "2025-04"
    # The event is also in ev:zhangpeng-led, whose quote runs from the March financing to the
    # sentence naming Zhang Peng, who ran them (kg:ledBy).
    assert edge["evidence"] == [
        {
            "graph": "ev:zhangpeng-led",
            "quote": "3月,连跑珠海、成都、杭州三地签下18亿元国资;"
            "4月,拿下了北京市人工智能产业投资基金的2亿追加投资。"
            "期间,还主导将公司主体改制为股份公司\n2025年,智谱的高管中,"
            "主管融资与政府合作的CEO张鹏,大概是最忙的一位",
            "start": 137,
            "end": 244,
            "source": "kgr:SourceArticle",
            "reported": "",
            "tier": "quoted",
        },
        {
            "graph": "ev:funding-2025-04",
            "quote": "4月,拿下了北京市人工智能产业投资基金的2亿追加投资",
            "start": 161,
            "end": 187,
            "source": "kgr:SourceArticle",
            "reported": "",
            "tier": "quoted",
        },
    ]


def test_direct_edges_equal_entity_to_entity_triples_in_evidence_graphs(
    graph: kg.KnowledgeGraph, nxg: nx.MultiDiGraph
) -> None:
    rows = sparql(
        graph,
        f"""SELECT DISTINCT ?e ?p ?o WHERE {{
          GRAPH ?g {{ ?e ?p ?o }}
          FILTER(STRSTARTS(STR(?g), STR(ev:)))
          FILTER(?p NOT IN (rdf:type, rdfs:label, skos:altLabel, skos:prefLabel))
          ?e a ?t1 . ?o a ?t2 .
          FILTER(STRSTARTS(STR(?e), STR(kgr:)) && STRSTARTS(STR(?o), STR(kgr:)))
          {NOT_A_FACT}
          FILTER NOT EXISTS {{
            VALUES ?fact {{ kg:Event kg:Observation kg:Claim }} ?o a/rdfs:subClassOf* ?fact }}
        }}""",
    )
    expected = set()
    for row in rows:
        s, p, o = str(row.e), shorten(str(row.p)), str(row.o)
        expected.add((o, "org:heldBy", s) if p == "org:holds" else (s, p, o))
    direct = {
        (u, d["relation"], v)
        for u, v, d in nxg.edges(data=True)
        if d["kind"] == "direct" and not d["curated"]
    }
    assert direct == expected


def test_curated_edges_cite_no_quote_and_others_do(nxg: nx.MultiDiGraph) -> None:
    kinds = Counter(d["curated"] for *_, d in nxg.edges(data=True))
    assert kinds[False] > 100
    for u, v, d in nxg.edges(data=True):
        assert bool(d["evidence"]) != d["curated"], (u, v, d["relation"])
        for quote in d["evidence"]:
            assert quote["graph"].startswith("ev:")
            if quote["tier"] == "quoted":
                assert quote["quote"] and 0 <= quote["start"] < quote["end"]
            else:  # cited: a public report and where in it, no words
                assert quote["tier"] == "cited" and quote["url"] and quote["locator"]
                assert not quote["quote"] and quote["start"] is None
    based_on = nxg.get_edge_data(str(KGR["GLM-Z1"]), str(KGR.GLM))
    assert [d["curated"] for d in based_on.values()] == [True]


def test_single_entity_facts_become_that_entitys_events(
    graph: kg.KnowledgeGraph, nxg: nx.MultiDiGraph
) -> None:
    events = {e["fact"]: e for e in nxg.nodes[ZHIPU]["events"]}
    revenue = events["kgr:Zhipu-Revenue-2024"]
    assert (revenue["amount_zh"], revenue["date"]) == ("3亿元", "2024")
    assert revenue["evidence"][0]["graph"] == "ev:results-2024"
    assert events["kgr:Funding-SeriesA"]["amount_en"] == "≥ CNY 100 million"
    rows = sparql(
        graph,
        """SELECT ?f (COUNT(DISTINCT ?e) AS ?n) WHERE {
          ?f a/rdfs:subClassOf* ?root ; ?p ?e .
          VALUES ?root { kg:Event kg:Observation kg:Claim }
          ?e a ?t .
          FILTER(STRSTARTS(STR(?e), STR(kgr:)))
          FILTER NOT EXISTS {
            VALUES ?fact { kg:Event kg:Observation kg:Claim } ?e a/rdfs:subClassOf* ?fact }
          # the article's own voice is drawn about what it concerns, not from its author
          # (an event of its author's only when it concerns no entity)
          FILTER NOT EXISTS {
            ?f kg:claimType ?voice . VALUES ?voice { kg:AuthorAssessment kg:StatedCause }
            FILTER(?p = kg:claimant)
            ?f ?q ?other . ?other a ?kind .
            FILTER(?q != kg:claimant && STRSTARTS(STR(?other), STR(kgr:)))
            FILTER NOT EXISTS {
              VALUES ?root2 { kg:Event kg:Observation kg:Claim } ?other a/rdfs:subClassOf* ?root2 }
          }
        } GROUP BY ?f HAVING (COUNT(DISTINCT ?e) = 1)""",
    )
    attached = [e["fact"] for _, d in nxg.nodes(data=True) for e in d["events"]]
    assert sorted(attached) == sorted(shorten(str(row.f)) for row in rows)


def test_expanded_projection_has_a_node_per_fact(
    graph: kg.KnowledgeGraph, expanded: nx.MultiDiGraph
) -> None:
    (row,) = sparql(
        graph,
        """SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {
          ?f a/rdfs:subClassOf* ?root . VALUES ?root { kg:Event kg:Observation kg:Claim }
          FILTER(STRSTARTS(STR(?f), STR(kgr:))) }""",
    )
    facts = [n for n, d in expanded.nodes(data=True) if d["kind"] == "fact"]
    assert len(facts) == int(row.n)
    funding = str(KGR["Funding-2025-04-Beijing"])
    assert expanded.nodes[funding]["date"] == "2025-04"
    roles = {d["relation"] for _, _, d in expanded.out_edges(funding, data=True)}
    assert {"kg:investor", "kg:investee", "kg:location"} <= roles


def test_projection_does_not_change_the_dataset(graph: kg.KnowledgeGraph) -> None:
    before = len(graph.dataset)
    to_networkx(graph.dataset)
    assert len(graph.dataset) == before


# ---------------------------------------------------------------- CONSTRUCT results
def test_from_construct_projects_a_query_result_with_labels_and_evidence(
    graph: kg.KnowledgeGraph,
) -> None:
    result = graph.dataset.query(
        """CONSTRUCT { ?f a kg:FundingEvent ; kg:investor ?i ; kg:investee ?t ; kg:date ?d }
           WHERE { ?f a kg:FundingEvent ; kg:investor ?i ; kg:investee ?t ; kg:date ?d }""",
        initNs=PREFIXES,
    )
    assert result.graph is not None
    sub = from_construct(result.graph, context=graph)
    # the article's 4 investors in 2 events, and 7 more in 3 rounds the public reports date
    assert sub.number_of_nodes() == 12
    assert sub.number_of_edges() == 11
    assert sub.nodes[ZHIPU]["label_zh"] == "智谱"
    for _, v, d in sub.edges(data=True):
        assert v == ZHIPU and d["label_en"] == "invests in" and d["evidence"]


def test_from_construct_without_context_uses_what_the_result_holds() -> None:
    result = Graph()
    a, b = URIRef("http://example.org/a"), URIRef("http://example.org/b")
    result.add((a, URIRef("http://example.org/knows"), b))
    sub = from_construct(result)
    assert sorted(sub.nodes) == [str(a), str(b)]
    (edge,) = sub.get_edge_data(str(a), str(b)).values()
    assert edge["label_en"] == "knows" and not edge["curated"]


# ---------------------------------------------------------------- files
@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_network_files_round_trip_through_networkx_readers(
    nxg: nx.MultiDiGraph, tmp_path: Path, fmt: str
) -> None:
    path = write(nxg, tmp_path / f"kg.{fmt}", fmt)
    back = read(path)
    assert set(back.nodes) == set(nxg.nodes)
    assert set(back.edges(keys=True)) == set(nxg.edges(keys=True))
    for node, attrs in nxg.nodes(data=True):
        for key, value in attrs.items():
            assert back.nodes[node][key] == value, (node, key)
    for u, v, key, attrs in nxg.edges(keys=True, data=True):
        for name, value in attrs.items():
            assert back.edges[u, v, key][name] == value, (u, v, key, name)


def test_graphml_and_gexf_read_by_plain_networkx(nxg: nx.MultiDiGraph, tmp_path: Path) -> None:
    graphml = nx.read_graphml(write(nxg, tmp_path / "kg.graphml", "graphml"))
    gexf = nx.read_gexf(write(nxg, tmp_path / "kg.gexf", "gexf"))
    for plain in (graphml, gexf):
        assert plain.is_multigraph() and plain.is_directed()
        assert plain.number_of_nodes() == nxg.number_of_nodes()
        assert plain.number_of_edges() == nxg.number_of_edges()
        assert plain.nodes[ZHIPU]["label_zh"] == "智谱"
        edges = plain.get_edge_data(str(KGR.BeijingAIFund), ZHIPU)
        (edge,) = edges.values()
        quotes = [e["quote"] for e in json.loads(edge["evidence"])]
        assert any(q.startswith("4月,拿下了北京市") for q in quotes), quotes


@pytest.mark.parametrize("fmt", ["ttl", "nt", "trig", "jsonld"])
def test_rdf_exports_hold_every_asserted_statement(
    graph: kg.KnowledgeGraph, tmp_path: Path, fmt: str
) -> None:
    path = export(graph, fmt, tmp_path / f"kg.{fmt}")
    asserted = {(s, p, o) for s, p, o, _ in graph.dataset.quads((None, None, None, None))}
    if fmt in ("ttl", "nt"):
        back = Graph().parse(path, format={"ttl": "turtle", "nt": "nt"}[fmt])
        assert len(back) == len(asserted)
    else:
        dataset = Dataset().parse(path, format={"trig": "trig", "jsonld": "json-ld"}[fmt])
        quads = {(s, p, o, g) for s, p, o, g in dataset.quads((None, None, None, None))}
        assert len(quads) == len(set(graph.dataset.quads((None, None, None, None))))


def test_export_is_atomic_and_rejects_unknown_formats(
    graph: kg.KnowledgeGraph, tmp_path: Path
) -> None:
    target = tmp_path / "out.graphml"
    target.write_text("old", encoding="utf-8")
    export(graph, "graphml", target)
    assert target.read_text(encoding="utf-8").startswith("<?xml")
    with pytest.raises(ValueError, match="unknown format"):
        export(graph, "dot", tmp_path / "out.dot")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.graphml"]
    assert set(EXPORT_FORMATS) == {
        *("graphml", "gexf", "json", "ttl", "trig", "nt", "jsonld", "ftm", "xlsx", "csv")
    }


# ---------------------------------------------------------------- paths and centrality
@pytest.mark.parametrize("name", ["唐杰", "Tang Jie", "tang jie", "kgr:TangJie", str(KGR.TangJie)])
def test_resolve_by_id_curie_or_label_in_either_language(nxg: nx.MultiDiGraph, name: str) -> None:
    assert resolve(nxg, name) == str(KGR.TangJie)


def test_resolve_by_alias_and_errors(nxg: nx.MultiDiGraph) -> None:
    assert resolve(nxg, "商汤") == str(KGR.SenseTime)
    assert resolve(nxg, "ZHIPU") == ZHIPU
    with pytest.raises(EntityNotFound, match="nobody at all"):
        resolve(nxg, "nobody at all")
    twins = nx.MultiDiGraph()
    twins.add_node("a", label_zh="同名", label_en="Same")
    twins.add_node("b", label_zh="同名", label_en="Other")
    with pytest.raises(AmbiguousEntity) as err:
        resolve(twins, "同名")
    assert err.value.candidates == ["a", "b"]


def test_paths_from_tang_jie_to_sensetime_cite_evidence_on_every_hop(
    nxg: nx.MultiDiGraph,
) -> None:
    paths = ranked_paths(nxg, "唐杰", "商汤科技", k=10)
    assert len(paths) == 10
    for path in paths:
        hops = path.hops
        assert hops[0].source == str(KGR.TangJie)
        assert hops[-1].target == str(KGR.SenseTime)
        for a, b in pairwise(hops):
            assert a.target == b.source
        for hop in hops:
            assert hop.evidence, hop
            assert all(
                q["graph"].startswith("ev:") and (q["quote"] or q["tier"] == "cited")
                for q in hop.evidence
            )
            assert hop.label_zh and hop.label_en
    routes = [[hop.relation for hop in path.hops] for path in paths]
    # The Zhipu–SenseTime lesson is the author's claim, drawn about both companies (never
    # through the author); the shared business model is a fact and comes first.
    assert routes[0] == ["kg:ledBy", "kg:businessModel", "kg:businessModel"]
    assert not any(str(KGR.ErLing) in path.nodes for path in paths)
    assert paths[0].hops[-1].forward is False


def test_no_path_between_disconnected_entities(nxg: nx.MultiDiGraph) -> None:
    assert ranked_paths(nxg, "唐杰", "2025年一季度AI融资额同比下降31.2%") == []


def test_centrality_ranks_zhipu_first(nxg: nx.MultiDiGraph) -> None:
    for measure in ("degree", "betweenness", "pagerank"):
        ranked = centrality(nxg, measure, top=5)  # type: ignore[arg-type]
        assert len(ranked) == 5
        assert ranked[0].id == ZHIPU, measure
        assert ranked[0].score > ranked[1].score
    with pytest.raises(ValueError, match="unknown measure"):
        centrality(nxg, "closeness")  # type: ignore[arg-type]


# ---------------------------------------------------------------- the commands
@pytest.fixture(scope="module")
def cli() -> click.Group:
    return kg_main


def test_path_command_prints_hops_and_quotes(cli: click.Group) -> None:
    result = CliRunner().invoke(cli, ["path", "Tang Jie", "SenseTime", "-k", "1", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Zhipu AI —business model (kg:businessModel)→ Selling services plus scenarios" in (
        result.output
    )
    assert "“而导致其市值大缩水的关键就是" in result.output
    missing = CliRunner().invoke(cli, ["path", "唐杰", "nobody"])
    assert missing.exit_code == 2 and "no entity is called" in missing.output


def test_central_command_json(cli: click.Group) -> None:
    result = CliRunner().invoke(cli, ["central", "--top", "3", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["label_zh"] == "智谱"


def test_export_and_viz_commands_write_files(cli: click.Group, tmp_path: Path) -> None:
    out = tmp_path / "kg.gexf"
    result = CliRunner().invoke(cli, ["export", "--format", "gexf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert nx.read_gexf(out).number_of_nodes() > 80
    page = tmp_path / "focus.html"
    result = CliRunner().invoke(cli, ["viz", "-o", str(page), "--focus", "唐杰", "--hops", "1"])
    assert result.exit_code == 0, result.output
    assert "(focus view)" in result.output and page.is_file()
    query = tmp_path / "funding.rq"
    query.write_text(
        "CONSTRUCT { ?f a kg:FundingEvent ; kg:investor ?i ; kg:investee ?t }"
        " WHERE { ?f a kg:FundingEvent ; kg:investor ?i ; kg:investee ?t }",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["viz", "-o", str(page), "--query", str(query)])
    assert result.exit_code == 0, result.output
    assert "14 nodes, 13 edges" in result.output  # 6 funding events, 13 investors
    query.write_text("SELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    result = CliRunner().invoke(cli, ["viz", "-o", str(page), "--query", str(query)])
    assert result.exit_code == 2 and "CONSTRUCT or DESCRIBE" in result.output


def test_gexf_carries_the_explorers_colours(nxg: nx.MultiDiGraph, tmp_path: Path) -> None:
    from kg.network.style import style_of

    gexf = nx.read_gexf(write(nxg, tmp_path / "kg.gexf", "gexf"))
    colour = gexf.nodes[ZHIPU]["viz"]["color"]
    expected = style_of("kg:Organization")["color"]
    assert "#{:02x}{:02x}{:02x}".format(colour["r"], colour["g"], colour["b"]) == expected


def test_the_author_is_not_a_hub_of_the_network(graph: kg.KnowledgeGraph) -> None:
    """The article's own assessments are drawn about what they concern, not from its author."""
    nxg = to_networkx(graph)
    author = "https://w3id.org/zhipu-kg/resource/ErLing"
    assert nxg.degree(author) <= 2  # the article wrote it; it makes no claim edges
    for path in ranked_paths(nxg, "唐杰", "商汤", k=3):
        assert author not in path.nodes
