"""The projection read in one pass from the store the data was loaded into.

``to_networkx`` of a :class:`kg.KnowledgeGraph` (or of its Oxigraph engine) reads the engine's
quads, not a second, rdflib parse of the files; what it draws must be what the rdflib reading
draws, attribute for attribute.
"""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path

import networkx as nx
import pytest

import kg
from kg.network.projection import to_networkx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import synthetic


def _dump(nxg: nx.MultiDiGraph) -> str:
    return json.dumps(
        {
            "nodes": sorted(nxg.nodes(data=True)),
            "edges": sorted(nxg.edges(keys=True, data=True)),
            "graph": nxg.graph,
        },
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )


@pytest.fixture(scope="module")
def shipped() -> kg.KnowledgeGraph:
    return kg.load()


def test_the_engine_and_the_rdflib_dataset_draw_the_same_graph(shipped: kg.KnowledgeGraph) -> None:
    from_engine = to_networkx(shipped.engine)  # type: ignore[arg-type]
    from_dataset = to_networkx(shipped.dataset)
    assert from_engine.number_of_nodes() > 100
    assert _dump(from_engine) == _dump(from_dataset)
    assert from_engine.nodes["https://w3id.org/zhipu-kg/resource/Zhipu"]["label_en"] == "Zhipu AI"


def test_a_loaded_graph_is_projected_from_its_engine_with_no_second_parse() -> None:
    graph = kg.load()
    nxg = to_networkx(graph)
    assert nxg.number_of_edges() > 100
    assert "_parsed" not in vars(graph)  # the rdflib dataset was never built


def test_synthetic_funding_reads_the_same_from_both(tmp_path: Path) -> None:
    folder = synthetic.write_data_folder(tmp_path / "syn", 300)
    graph = kg.load(folder)
    from_engine = to_networkx(graph)
    assert _dump(from_engine) == _dump(to_networkx(graph.dataset))
    amounts = {d["amount_zh"] for _, _, d in from_engine.edges(data=True) if d["kind"] == "fact"}
    assert amounts == {"18亿元"}


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_as_it_was(shipped: kg.KnowledgeGraph, enabled: bool) -> None:
    (gc.enable if enabled else gc.disable)()
    try:
        to_networkx(shipped.engine)  # type: ignore[arg-type]
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_the_ontology_page_reads_the_same_from_the_store(shipped: kg.KnowledgeGraph) -> None:
    import re

    from kg.explore.ontology_page import ontology_html

    def blank_nodes_named_alike(page: str) -> str:
        """Blank nodes' labels are each store's own, and so is the order among them: an
        example whose subject is one is left out of the comparison."""
        page = re.sub(r"&lt;[0-9A-Za-z]{16,}&gt;", "&lt;_:b&gt;", page)
        example = (
            r'<tr><th>示例 · Example</th><td><div class="triple"><code>&lt;_:b&gt;.*?</td></tr>'
        )
        return re.sub(example, "", page)

    from_store = ontology_html(shipped.layout, shipped.engine, "x.css")  # type: ignore[arg-type]
    from_dataset = ontology_html(shipped.layout, shipped.dataset, "x.css")
    assert 'id="FundingEvent"' in from_store and "<blockquote>" in from_store
    assert blank_nodes_named_alike(from_store) == blank_nodes_named_alike(from_dataset)


def test_a_statement_keeps_each_graph_that_states_it_once() -> None:
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS

    from kg.data.namespaces import CURATION_GRAPH, PROVENANCE_GRAPH
    from kg.network.reading import Statements, graphs_in
    from kg.network.rules import SKIPPED_GRAPHS, Vocabulary

    base = "https://w3id.org/zhipu-kg/"
    zhipu, city = URIRef(base + "resource/Zhipu"), URIRef(base + "resource/Beijing")
    near, other = URIRef(base + "resource/Tsinghua"), URIRef(base + "resource/Other")
    located = URIRef(base + "ontology#location")
    first, second = URIRef(base + "evidence/a"), URIRef(base + "evidence/b")
    label = Literal("智谱", lang="zh")
    statements, vocabulary = Statements(), Vocabulary()
    statements.read(
        [
            (zhipu, located, city, first),
            (zhipu, RDFS.label, label, CURATION_GRAPH),
            (zhipu, located, city, second),
            (zhipu, located, city, first),  # again in the same graph: recorded once
            (near, located, city, CURATION_GRAPH),
            (near, located, city, first),
            (other, located, city, PROVENANCE_GRAPH),  # a graph the projection does not draw
        ],
        vocabulary,
        SKIPPED_GRAPHS,
    )
    assert graphs_in(statements.out[zhipu][(located, city)]) == (first, second)
    assert statements.out[zhipu][(RDFS.label, label)] == CURATION_GRAPH  # one graph: as it is
    assert graphs_in(statements.out[near][(located, city)]) == (CURATION_GRAPH, first)
    assert other not in statements.out
    assert statements.mentioned == {zhipu, city, near}  # the curation graph mentions no entity
    assert vocabulary.labels[zhipu] == {"zh": "智谱"}  # the vocabulary saw the label
