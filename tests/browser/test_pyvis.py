"""``kg.to_pyvis``: a configured pyvis network, styled by the fixed table, offline in Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import kg
from kg.network.style import style_of

HOSTILE = '<img src=x onerror=alert(1)> <a href="javascript:alert(2)">x</a>'


def test_to_pyvis_is_a_pyvis_network_styled_by_the_fixed_table(graph: kg.KnowledgeGraph) -> None:
    from pyvis.network import Network

    net = kg.to_pyvis(graph, lang="en")
    assert isinstance(net, Network)
    nxg = graph.to_networkx()
    assert len(net.nodes) == nxg.number_of_nodes()
    zhipu = next(n for n in net.nodes if n["id"].endswith("/Zhipu"))
    assert zhipu["label"] == "Zhipu AI"
    assert zhipu["color"] == style_of("kg:Organization")["color"]
    assert zhipu["shape"] == style_of("kg:Organization")["shape"]
    assert "智谱" in zhipu["title"]


def test_focus_draws_a_neighbourhood(graph: kg.KnowledgeGraph) -> None:
    net = kg.to_pyvis(graph, focus="唐杰", hops=1)
    assert 1 < len(net.nodes) < graph.to_networkx().number_of_nodes()


def _hostile_graph() -> nx.MultiDiGraph:
    nxg = nx.MultiDiGraph()
    nxg.add_node("a", label_zh=HOSTILE, label_en=HOSTILE, family="kg:Person", curie="kgr:a")
    nxg.add_node("b", label_zh="乙", label_en="B", family="kg:Organization")
    nxg.add_edge("a", "b", relation="kg:x", label_zh=HOSTILE, evidence=[{"quote": HOSTILE}])
    return nxg


@pytest.mark.parametrize("source", ["shipped", "hostile"])
def test_written_page_loads_offline_with_no_request_and_no_error(
    source: str, graph: kg.KnowledgeGraph, browser: Any, tmp_path: Path
) -> None:
    net = kg.to_pyvis(graph if source == "shipped" else _hostile_graph())
    out = tmp_path / "net.html"
    net.write_html(str(out))
    outside: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.route("**/*", route)
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(out.as_uri())
    page.wait_for_function("typeof network !== 'undefined' && network.body", timeout=30_000)
    drawn = page.evaluate("Object.keys(network.body.nodes).length")
    page.mouse.move(600, 400)
    page.wait_for_timeout(300)
    injected = page.evaluate("document.querySelectorAll('img, a[href^=javascript]').length")
    page.close()
    assert outside == []
    assert errors == []
    assert dialogs == []
    assert drawn == len(net.nodes)
    assert injected == 0
