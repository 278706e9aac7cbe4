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
from kg.explore.page import explorer_page
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
    sketch = outline(store)  # type: ignore[arg-type]
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
    assert all(a["facts"] == [] and a["events"] == [] for _, a in sketch.nodes(data=True))
    assert all(a["evidence"] == [] for _, _, a in sketch.edges(data=True))


def test_synthetic_funding_outlined_is_its_projection(tmp_path: Path) -> None:
    folder = synthetic.write_data_folder(tmp_path / "syn", 600)
    sketch = _same_drawing(kg.load(folder).engine)
    funding = [a for _, _, a in sketch.edges(data=True) if a["relation"] == "kg:FundingEvent"]
    assert len(funding) == 200 and {a["label_en"] for a in funding} == {"invests in"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_outline_page_says_it_is_an_outline(tmp_path: Path, lang: str) -> None:
    folder = synthetic.write_data_folder(tmp_path / "syn", 600)
    page = explorer_page(outline(kg.load(folder).engine), lang=lang, renderer="sigma")  # type: ignore[arg-type]
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page.html)
    assert found is not None
    data = json.loads(found.group(1))
    assert page.mode == "large"
    assert "轮廓" in data["message_zh"] and "outline" in data["message_en"]
    assert data["quotes"] == [] and data["facts"] == {}
    assert set(data["edges"][3::4]) == {-1}  # no edge has a quote yet
