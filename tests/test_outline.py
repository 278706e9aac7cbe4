"""The projection's outline, read from the loaded store: the projection's nodes and edges.

``kg serve`` draws its first overview of a large graph from the outline
(:mod:`kg.network.outline`) while the full projection is built: what it draws must be what the
projection draws (nodes, edges, keys, relations, labels, classes), with no facts, quotes or
dates, and the page must say it is an outline.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import kg
from kg.explore.large import large_data
from kg.explore.sketch import outline_html
from kg.network.outline import outline
from kg.network.projection import to_networkx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import synthetic

NODE_KEYS = (
    "id",
    "kind",
    "label_zh",
    "label_en",
    "label",
    "class",
    "class_label_zh",
    "class_label_en",
    "family",
    "family_label_zh",
    "family_label_en",
)
EDGE_KEYS = ("relation", "label_zh", "label_en", "kind", "curated", "fact", "fact_class")


def _nodes(graph: nx.MultiDiGraph) -> dict[str, tuple[Any, ...]]:
    return {n: tuple(a.get(k) for k in NODE_KEYS) for n, a in graph.nodes(data=True)}


def _edges(graph: nx.MultiDiGraph) -> Counter[tuple[Any, ...]]:
    return Counter(
        (u, v, key, *(a.get(k) for k in EDGE_KEYS))
        for u, v, key, a in graph.edges(keys=True, data=True)
    )


def _same_drawing(store: object) -> nx.MultiDiGraph:
    sketch = outline(store).to_networkx()  # type: ignore[arg-type]
    full = to_networkx(store)  # type: ignore[arg-type]
    assert _nodes(sketch) == _nodes(full)
    assert _edges(sketch) == _edges(full)
    assert sketch.graph["referents"] == full.graph["referents"]
    return sketch


def test_the_shipped_graph_outlined_is_the_projection_without_its_facts() -> None:
    sketch = _same_drawing(kg.load().engine)
    assert sketch.graph["outline"] is True
    assert sketch.number_of_nodes() > 100 and sketch.number_of_edges() > 100
    kinds = Counter(a["kind"] for _, _, a in sketch.edges(data=True))
    assert kinds["direct"] and kinds["fact"] and kinds["role"]  # every way an edge is drawn
    assert sketch.nodes["https://w3id.org/zhipu-kg/resource/Zhipu"]["label_zh"] == "智谱"


def test_synthetic_funding_outlined_is_its_projection(tmp_path: Path) -> None:
    folder = synthetic.write_data_folder(tmp_path / "syn", 600)
    sketch = _same_drawing(kg.load(folder).engine)
    funding = [a for _, _, a in sketch.edges(data=True) if a["relation"] == "kg:FundingEvent"]
    assert len(funding) == 200 and {a["label_en"] for a in funding} == {"invests in"}


@pytest.fixture(scope="module")
def synthetic_graph(tmp_path_factory: pytest.TempPathFactory) -> kg.KnowledgeGraph:
    return kg.load(synthetic.write_data_folder(tmp_path_factory.mktemp("syn") / "data", 4_500))


def _data(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_outline_page_is_the_full_pages_picture_and_says_it_is_an_outline(
    synthetic_graph: kg.KnowledgeGraph, lang: str
) -> None:
    sketch = outline(synthetic_graph.engine)  # type: ignore[arg-type]
    data = _data(outline_html(sketch, lang=lang, title="t"))
    full = large_data(to_networkx(synthetic_graph), lang=lang, title="t", message=("", ""), seed=7)
    assert len(data["ids"]) > 2_000  # what the server sketches: more than vis-network draws
    assert "轮廓" in data["message_zh"] and "outline" in data["message_en"]
    assert data["lang"] == lang
    same = (
        "ids",
        "zh",
        "en",
        "cls",
        "x",
        "y",
        "degree",
        "pagerank",
        "classes",
        "relations",
        "communities",
    )
    for key in (*same, "com", "variants", "hop_kinds", "paths_text"):
        assert data[key] == full[key], key
    assert sorted(zip(*[data["edges"][k::4] for k in range(3)], strict=True)) == sorted(
        zip(*[full["edges"][k::4] for k in range(3)], strict=True)
    )
    assert data["quotes"] == [] and data["facts"] == {} and data["dates"] == []
    assert set(data["edges"][3::4]) == {-1} and data["paths"]["order"] == []
    assert full["quotes"] and full["paths"]["order"]  # what the full page adds
