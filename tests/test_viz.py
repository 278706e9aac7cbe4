"""The explorer's HTML, without a browser: self-contained, escaped, deterministic, bounded."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import networkx as nx
import pytest

import kg
from kg.data.namespaces import KGR
from kg.explore.large import SCRIPTS as LARGE_SCRIPTS
from kg.explore.page import SCRIPTS, LargeGraphWarning, layout, render_html
from kg.network.analytics import EntityNotFound
from kg.network.projection import to_networkx

ZHIPU = str(KGR.Zhipu)
UNSAFE_SINKS = ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(")


@pytest.fixture(scope="module")
def nxg(graph: kg.KnowledgeGraph) -> nx.MultiDiGraph:
    return to_networkx(graph)


@pytest.fixture(scope="module")
def page(nxg: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("viz") / "explorer.html"
    render_html(nxg, path)
    return path.read_text(encoding="utf-8")


def embedded_data(html: str) -> dict[str, object]:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert match is not None
    data: dict[str, object] = json.loads(match.group(1))
    return data


WEB = Path(kg.__file__).parent / "web"
OWN_ASSETS = sorted(
    {*SCRIPTS, "explorer.html", "explorer.css"}
    | {p.name for p in WEB.iterdir() if p.suffix in {".js", ".html"}}
)
"""The explorer's files and the query page's own ones (not the vendored editor)."""


def test_every_explorer_script_exists() -> None:
    assert {p.name for p in WEB.glob("explorer*.js")} == {*SCRIPTS, *LARGE_SCRIPTS}


@pytest.mark.parametrize("asset", OWN_ASSETS)
def test_templates_write_no_markup_from_data(asset: str) -> None:
    text = resources.files("kg").joinpath(f"web/{asset}").read_text(encoding="utf-8")
    for sink in UNSAFE_SINKS:
        assert sink not in text, f"{asset} uses {sink}"


def test_page_is_self_contained_utf8_and_has_no_unsafe_sink(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    for sink in UNSAFE_SINKS:
        assert sink not in page, sink
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page)
    assert "default-src 'none'" in page
    assert "vis-network" in page and "new vis.Network(" in page
    assert len(re.findall(r"</script>", page)) == 3


def test_page_carries_the_full_graph(page: str, nxg: nx.MultiDiGraph) -> None:
    data = embedded_data(page)
    assert data["mode"] == "full"
    nodes = data["nodes"]
    assert isinstance(nodes, list) and len(nodes) == nxg.number_of_nodes()
    edges = data["edges"]
    assert isinstance(edges, list) and len(edges) == nxg.number_of_edges()
    zhipu = next(n for n in nodes if n["id"] == ZHIPU)
    assert (zhipu["label_zh"], zhipu["label_en"]) == ("智谱", "Zhipu AI")
    assert "Zhipu" in zhipu["aliases"]
    top_up = next(e for e in edges if e["fact"] == "kgr:Funding-2025-04-Beijing")
    assert (top_up["label_zh"], top_up["amount_zh"], top_up["date"]) == ("投资", "2亿元", "2025-04")
    quotes = data["quotes"]
    assert isinstance(quotes, dict)
    assert (
        quotes["ev:funding-2025-04"]["quote"] == "4月,拿下了北京市人工智能产业投资基金的2亿追加投资"
    )


def test_markup_in_data_is_escaped_in_the_json_block(nxg: nx.MultiDiGraph, tmp_path: Path) -> None:
    hostile = copy.deepcopy(nxg)
    hostile.nodes[ZHIPU]["label_zh"] = "</script><img src=x onerror=alert(1)>"
    render_html(hostile, tmp_path / "x.html")
    text = (tmp_path / "x.html").read_text(encoding="utf-8")
    assert "<img src=x" not in text
    assert "\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e" in text
    data = embedded_data(text)
    nodes = data["nodes"]
    assert isinstance(nodes, list)
    assert next(n for n in nodes if n["id"] == ZHIPU)["label_zh"].startswith("</script><img")


def test_same_data_same_page(nxg: nx.MultiDiGraph, tmp_path: Path) -> None:
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    render_html(nxg, first)
    render_html(to_networkx(kg.load()), second)
    assert first.read_bytes() == second.read_bytes()
    positions = layout(nxg)
    assert positions == layout(nxg)
    assert len(set(positions.values())) == nxg.number_of_nodes()


LAYOUT_IN_A_PROCESS = """
import json, kg
from kg.explore.page import layout
from kg.network.projection import to_networkx
print(json.dumps(sorted(layout(to_networkx(kg.load())).items())))
"""


def test_same_data_same_picture_in_every_process() -> None:
    """String hashing changes between processes; the positions must not."""
    runs = [
        subprocess.run(
            [sys.executable, "-c", LAYOUT_IN_A_PROCESS],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    ]
    assert runs[0] == runs[1] == runs[2]
    assert len(json.loads(runs[0])) > 80


def test_rendering_leaves_the_graph_untouched(nxg: nx.MultiDiGraph, tmp_path: Path) -> None:
    before = copy.deepcopy(nxg)
    render_html(nxg, tmp_path / "x.html", focus="唐杰", hops=2)
    assert nx.utils.graphs_equal(before, nxg)
    assert list(before.nodes(data=True)) == list(nxg.nodes(data=True))


def test_focus_draws_the_ego_network(nxg: nx.MultiDiGraph, tmp_path: Path) -> None:
    report = render_html(nxg, tmp_path / "x.html", focus="Tang Jie", hops=1)
    around = nx.ego_graph(nxg.to_undirected(as_view=True), str(KGR.TangJie), radius=1)
    assert report.mode == "focus"
    assert report.nodes == around.number_of_nodes()
    data = embedded_data((tmp_path / "x.html").read_text(encoding="utf-8"))
    nodes = data["nodes"]
    assert isinstance(nodes, list)
    assert {n["id"] for n in nodes} == set(around.nodes)
    with pytest.raises(EntityNotFound, match="nobody"):
        render_html(nxg, tmp_path / "y.html", focus="nobody")
    with pytest.raises(ValueError, match="--hops needs --focus"):
        render_html(nxg, tmp_path / "y.html", hops=2)
    assert not (tmp_path / "y.html").exists()


def test_large_graphs_are_aggregated_by_class_with_a_warning(
    nxg: nx.MultiDiGraph, tmp_path: Path
) -> None:
    # The count is the network's own (it grows with the data), written out in the warning.
    with pytest.warns(LargeGraphWarning, match=f"has {nxg.number_of_nodes()} nodes, more than"):
        report = render_html(nxg, tmp_path / "x.html", max_nodes=50, renderer="vis")
    assert report.mode == "aggregated"
    assert "one node per class" in report.message
    data = embedded_data((tmp_path / "x.html").read_text(encoding="utf-8"))
    nodes = data["nodes"]
    assert isinstance(nodes, list)
    classes = {d["class"] for _, d in nxg.nodes(data=True)}
    assert report.nodes == len(nodes) == len(classes)
    assert sum(n["count"] for n in nodes) == nxg.number_of_nodes()
    assert "按类别汇总" in str(data["message_zh"])


def test_english_page(nxg: nx.MultiDiGraph, tmp_path: Path) -> None:
    render_html(nxg, tmp_path / "en.html", lang="en", title="Zhipu <KG>")
    text = (tmp_path / "en.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in text
    assert "<title>Zhipu &lt;KG&gt;</title>" in text
    assert embedded_data(text)["lang"] == "en"
