"""The large explorer's panels in headless Chromium: size-by and the centrality ranking, edge
details on a click, and the view address (community gone into, edge, ranking) in both languages.

On the shipped data drawn with sigma.js (``renderer="sigma"``): small enough to check every
score and every quote against Python's. Chromium draws WebGL in software, all network blocked.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import networkx as nx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import synthetic
from chromium import launch_chromium
from explorer_opened import open_explorer

import kg
from kg.data.namespaces import KGR
from kg.explore.large import large_data, large_html
from kg.explore.page import render_html
from kg.network.analytics import scores
from kg.network.projection import to_networkx

TOP = 20
SHOWN = "[kgExplorer.state.klass, kgExplorer.edgeKey(kgExplorer.state.edge)]"


@pytest.fixture(scope="module")
def nxg(graph: kg.KnowledgeGraph) -> nx.MultiDiGraph:
    return to_networkx(graph)


@pytest.fixture(scope="module")
def large_file(nxg: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("panels") / "explorer.html"
    assert render_html(nxg, path, renderer="sigma").mode == "large"
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch_chromium(webgl=True) as chromium:
        yield chromium


def _opened(browser: Any, large_file: Path, query: str = "") -> Iterator[Any]:
    return open_explorer(browser, large_file.as_uri() + query, large_file.as_uri())


@pytest.fixture
def page(browser: Any, large_file: Path) -> Iterator[Any]:
    yield from _opened(browser, large_file)


def _query(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _ranking(page: Any) -> list[tuple[str, str]]:
    rows = page.locator("#details-body ol.ranking li")
    return [
        (
            rows.nth(k).locator("button").text_content() or "",
            rows.nth(k).locator(".score").text_content() or "",
        )
        for k in range(rows.count())
    ]


def _expected(nxg: nx.MultiDiGraph, score: dict[str, float]) -> list[tuple[str, float]]:
    """The TOP entities by ``score``, facts left out, ties by English label then id."""
    nodes = sorted(
        (n for n, a in nxg.nodes(data=True) if a.get("kind") != "fact"),
        key=lambda n: (-score[n], nxg.nodes[n].get("label_en", n), str(n)),
    )
    return [(nxg.nodes[n].get("label_zh", n), score[n]) for n in nodes[:TOP]]


def test_size_by_pagerank_resizes_the_nodes_and_reorders_the_ranking(
    page: Any, nxg: nx.MultiDiGraph
) -> None:
    assert page.locator("#size-by option").all_text_contents() == ["度(关系数)", "PageRank(相对值)"]
    page.click("#ranking")
    degree = {str(n): float(d) for n, d in nxg.degree()}
    assert [(name, float(value)) for name, value in _ranking(page)] == _expected(nxg, degree)
    assert page.text_content("#details-body h3") == "中心性排名 · 度(关系数)"
    assert "介数中心性在此视图中不计算" in (page.text_content("#details-body p.betweenness") or "")
    before = page.evaluate("kgExplorer.graph.mapNodes((n, a) => a.size)")

    page.select_option("#size-by", "pagerank")
    count = nxg.number_of_nodes()
    pagerank = {n: float(f"{count * s:.3g}") for n, s in scores(nxg, "pagerank").items()}
    assert [(name, float(value)) for name, value in _ranking(page)] == _expected(nxg, pagerank)
    assert _ranking(page) != [(name, str(int(d))) for name, d in _expected(nxg, degree)]
    assert page.text_content("#details-body h3") == "中心性排名 · PageRank(相对值)"
    # each node as large as its PageRank ranks it, whatever its degree
    sizes = dict(
        zip(
            page.evaluate("kgExplorer.data.ids"),
            page.evaluate("kgExplorer.graph.mapNodes((n, a) => a.size)"),
            strict=True,
        )
    )
    by_rank = sorted(sizes, key=lambda n: scores(nxg, "pagerank")[n])
    assert all(sizes[a] <= sizes[b] for a, b in itertools.pairwise(by_rank))
    assert sizes != dict(zip(sizes, before, strict=True))
    assert _query(page)["size"] == ["pagerank"] and _query(page)["panel"] == ["ranking"]
    page.click("#lang-toggle")
    assert page.text_content("#details-body h3") == "Centrality ranking · PageRank (relative)"
    assert _ranking(page)[0][0] == nxg.nodes[str(KGR.Zhipu)]["label_en"]
    assert _query(page)["size"] == ["pagerank"] and _query(page)["lang"] == ["en"]


def _single_edges(nxg: nx.MultiDiGraph) -> list[tuple[str, str, dict[str, Any]]]:
    """Edges alone between their two nodes, quoted from the article, the most quotes first."""
    pairs: dict[frozenset[str], int] = {}
    for u, v in nxg.edges():
        pairs[frozenset((u, v))] = pairs.get(frozenset((u, v)), 0) + 1
    alone = [
        (u, v, a)
        for u, v, a in nxg.edges(data=True)
        if pairs[frozenset((u, v))] == 1
        and u != v
        and a["evidence"]
        and all(q.get("tier") == "quoted" for q in a["evidence"])
    ]
    return sorted(alone, key=lambda e: -len(e[2]["evidence"]))


def _page_edges(nxg: nx.MultiDiGraph) -> list[tuple[str, str, dict[str, Any]]]:
    """The edges in the page's order (kg.explore.large.large_data's)."""
    return sorted(
        nxg.edges(data=True), key=lambda e: (str(e[0]), str(e[1]), e[2].get("relation", ""))
    )


def _edge_index(page: Any, u: str, v: str) -> int:
    index: int = page.evaluate(
        """([u, v]) => { const d = kgExplorer.data, [a, b] = [d.ids.indexOf(u), d.ids.indexOf(v)];
          for (let e = 0; e < d.edges.length / 4; e++)
            if (d.edges[4 * e] === a && d.edges[4 * e + 1] === b) return e;
          return -1; }""",
        [u, v],
    )
    return index


def test_a_click_on_a_drawn_edge_shows_its_relation_date_and_every_quote(
    page: Any, nxg: nx.MultiDiGraph
) -> None:
    for u, v, attrs in _single_edges(nxg):  # noqa: B007 (the one found is used below)
        e = _edge_index(page, u, v)
        # the middle of the edge as drawn, if no node covers it and no other edge passes near
        at = page.evaluate(
            """e => { const r = kgExplorer.renderer, d = kgExplorer.data;
              const at = (i) => r.framedGraphToViewport(r.getNodeDisplayData(String(i)));
              const [a, b] = [at(d.edges[4 * e]), at(d.edges[4 * e + 1])];
              const p = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
              const clear = d.ids.every((_, i) => { const n = r.getNodeDisplayData(String(i));
                const q = r.framedGraphToViewport(n);
                return Math.hypot(q.x - p.x, q.y - p.y) > r.scaleSize(n.size) + 3; });
              const gap = (f) => { const [s, o] = [at(d.edges[4 * f]), at(d.edges[4 * f + 1])];
                const [dx, dy] = [o.x - s.x, o.y - s.y], n = dx * dx + dy * dy;
                const t = n ? ((p.x - s.x) * dx + (p.y - s.y) * dy) / n : 0;
                const k = Math.max(0, Math.min(1, t));
                return Math.hypot(p.x - s.x - k * dx, p.y - s.y - k * dy); };
              const alone = [...Array(d.edges.length / 4).keys()].every(f => f === e || gap(f) > 8);
              return clear && alone ? p : null; }""",
            e,
        )
        if at is not None:
            break
    else:
        raise AssertionError("no single quoted edge has its middle clear of nodes")
    box = page.locator("#graph").bounding_box()
    page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    assert page.evaluate("kgExplorer.state.edge") == e
    assert page.evaluate(f"kgExplorer.renderer.getEdgeDisplayData('{e}').color") == "#d1495b"
    caption = " · ".join(
        x
        for x in (" ".join(x for x in (attrs["label_zh"], attrs["amount_zh"]) if x), attrs["date"])
        if x
    )
    assert page.text_content("#details-body h3") == caption
    ends = page.locator("#details-body h3 + p button").all_text_contents()
    assert ends == [nxg.nodes[u]["label_zh"], nxg.nodes[v]["label_zh"]]
    assert (
        page.text_content("#details-body p.kv")
        == f"关系: {attrs['label_zh']} ({attrs['relation']})"
    )
    quotes = page.locator("#details-body .evidence")
    expected = [
        (q["quote"], f"摘录 · {q['source']} · 字符位置 {q['start']}–{q['end']}")
        for q in attrs["evidence"]
    ]
    found = [
        (
            quotes.nth(k).locator("blockquote").text_content(),
            quotes.nth(k).locator("cite").text_content(),
        )
        for k in range(quotes.count())
    ]
    assert found == expected
    assert _query(page)["edge"] == [page.evaluate(f"kgExplorer.edgeKey({e})")]
    assert page.evaluate("kgExplorer.edgeAt({x: 3, y: 3})") == -1  # an empty corner: no edge


def test_a_cited_relation_a_claim_and_a_curated_edge_say_what_they_are(
    page: Any, nxg: nx.MultiDiGraph
) -> None:
    alibaba, zhipu = str(KGR.Alibaba), str(KGR.Zhipu)
    page.evaluate(
        "i => kgExplorer.select(i)", page.evaluate(f"kgExplorer.data.ids.indexOf('{alibaba}')")
    )
    cited = next(
        a
        for a in nxg.get_edge_data(alibaba, zhipu).values()
        if a["evidence"] and a["evidence"][0].get("tier") == "cited"
    )
    page.locator("#details-body li button", has_text=cited["label_zh"]).first.click()
    assert page.evaluate("kgExplorer.state.edge") >= 0
    report = cited["evidence"][0]
    citation = page.locator("#details-body .citation").first
    assert (
        citation.text_content()
        == f"引用: {report['publisher']}, {report['published']}, {report['url']}"
    )
    assert citation.locator("a").get_attribute("href") == report["url"]
    assert page.locator("#details-body .evidence cite").first.text_content() == report["locator"]
    assert report["quote"] == "" or report["quote"] not in (
        page.text_content("#details-body") or ""
    )
    # a claim: what its author says, context and not a link
    claim = page.evaluate(
        "kgExplorer.data.edetail.findIndex(d => d >= 0 && kgExplorer.data.edetails[d][8])"
    )
    page.evaluate(f"kgExplorer.showEdge({claim})")
    assert page.text_content("#details-body p.claim") == "说法,作为背景,不是联系"
    # its words, the article's and the curators' translation, each called what it is
    attrs = _page_edges(nxg)[claim][2]
    said = {d["lang"]: d["value"] for d in attrs["details"] if d["property"] == "schema:text"}
    rows = page.locator("#details-body .card p.kv").all_text_contents()
    assert f"原文: {said['zh']}" in rows and f"英译(整理者翻译): {said['en']}" in rows
    curated = page.evaluate("kgExplorer.data.ecurated[0]")
    page.evaluate(f"kgExplorer.showEdge({curated})")
    assert page.text_content("#details-body p.curated") == "整理者添加,原文无对应引语"
    assert page.locator("#details-body .evidence").count() == 0


def test_the_address_reopens_a_community_gone_into_in_either_language(
    page: Any, browser: Any, large_file: Path
) -> None:
    page.click("#communities button[data-community='1']")
    first = page.evaluate("kgExplorer.data.ids[kgExplorer.data.communities[1][3]]")
    curie = first.replace(str(KGR), "kgr:")
    assert _query(page)["com"] == [curie]
    title = page.text_content("#details-body h3")
    page.locator("#details-body ol.members button").nth(1).click()  # a member, still inside
    member = page.evaluate("kgExplorer.state.selected")
    assert _query(page)["com"] == [curie] and "node" in _query(page)

    opened = _opened(browser, large_file, f"?lang=en&com={curie}")
    again = next(opened)
    assert again.evaluate("kgExplorer.state.community") == 1
    assert again.get_attribute("#communities button[data-community='1']", "aria-pressed") == "true"
    assert (again.text_content("#details-body h3") or "").endswith(" more")
    outside = again.evaluate("kgExplorer.data.com.findIndex(c => c !== 1)")
    assert again.evaluate(f"kgExplorer.renderer.getNodeDisplayData('{outside}').color") == "#eeeeee"
    again.click("#lang-toggle")
    assert again.text_content("#details-body h3") == title
    assert again.evaluate("kgExplorer.state.community") == 1
    assert _query(again) == {"lang": ["zh"], "com": [curie]}
    next(opened, None)

    node = page.evaluate(f"kgExplorer.data.ids[{member}]").replace(str(KGR), "kgr:")
    opened = _opened(browser, large_file, f"?com={curie}&node={node}")
    both = next(opened)
    assert both.evaluate("[kgExplorer.state.community, kgExplorer.state.selected]") == [1, member]
    next(opened, None)


def test_the_address_reopens_an_edge_the_ranking_and_a_class_and_the_language_keeps_them(
    browser: Any, large_file: Path, nxg: nx.MultiDiGraph
) -> None:
    u, v, attrs = _single_edges(nxg)[0]
    key = " ".join(
        x
        for x in (
            u.replace(str(KGR), "kgr:"),
            attrs["relation"],
            v.replace(str(KGR), "kgr:"),
            attrs.get("fact", ""),
        )
        if x
    )
    opened = _opened(browser, large_file, "?class=kg:Person&edge=" + key.replace(" ", "+"))
    page = next(opened)
    person = page.evaluate("kgExplorer.data.classes.findIndex(c => c.class === 'kg:Person')")
    assert page.evaluate(SHOWN) == [person, key]
    assert page.get_attribute(f"#legend button[data-class='{person}']", "aria-pressed") == "true"
    page.click("#lang-toggle")
    assert page.evaluate(SHOWN) == [person, key]
    assert page.text_content("#details-body .evidence-list h4") == "Quoted evidence"
    assert _query(page) == {"lang": ["en"], "class": ["kg:Person"], "edge": [key]}
    next(opened, None)

    opened = _opened(browser, large_file, "?lang=en&size=pagerank&panel=ranking")
    page = next(opened)
    assert page.input_value("#size-by") == "pagerank"
    assert page.text_content("#details-body h3") == "Centrality ranking · PageRank (relative)"
    page.click("#lang-toggle")
    assert page.text_content("#details-body h3") == "中心性排名 · PageRank(相对值)"
    assert _query(page) == {"lang": ["zh"], "size": ["pagerank"], "panel": ["ranking"]}
    next(opened, None)

    fact = next(a["fact"] for _, _, a in nxg.edges(data=True) if a.get("fact"))
    opened = _opened(browser, large_file, "?fact=" + fact)
    page = next(opened)
    shown = page.evaluate("kgExplorer.state.edge")
    assert page.evaluate(f"kgExplorer.edgeKey({shown})").endswith(" " + fact)
    next(opened, None)


def test_the_small_explorer_reads_and_writes_the_same_size_ranking_and_edge(
    browser: Any, nxg: nx.MultiDiGraph, tmp_path: Path
) -> None:
    small = tmp_path / "small.html"
    assert render_html(nxg, small).mode == "full"
    u, v, attrs = _single_edges(nxg)[0]
    ends = (u.replace(str(KGR), "kgr:"), v.replace(str(KGR), "kgr:"))
    key = " ".join(x for x in (ends[0], attrs["relation"], ends[1], attrs.get("fact", "")) if x)
    opened = open_explorer(browser, small.as_uri() + "?size=pagerank&panel=ranking", small.as_uri())
    page = next(opened)
    assert page.input_value("#size-by") == "pagerank"
    assert page.text_content("#details-body h3") == "中心性排名 · PageRank"
    page.select_option("#size-by", "betweenness")
    assert _query(page) == {"lang": ["zh"], "size": ["betweenness"], "panel": ["ranking"]}
    next(opened, None)

    opened = open_explorer(
        browser, small.as_uri() + "?edge=" + key.replace(" ", "+"), small.as_uri()
    )
    page = next(opened)
    assert page.evaluate("kgExplorer.state.selection.kind") == "edge"
    head = " ".join(x for x in (attrs["label_zh"], attrs["amount_zh"]) if x)
    assert page.text_content("#details-body h3") == " · ".join(
        x for x in (head, attrs["date"]) if x
    )
    page.click("#lang-toggle")
    assert _query(page) == {"lang": ["en"], "edge": [key]}
    next(opened, None)


def test_a_selected_node_lights_its_neighbours_and_a_double_click_frames_them(
    page: Any, nxg: nx.MultiDiGraph
) -> None:
    tang = str(KGR.TangJie)
    index = page.evaluate(f"kgExplorer.data.ids.indexOf('{tang}')")
    around = {str(n) for n in nx.Graph(nxg.to_undirected(as_view=True)).neighbors(tang)} - {tang}
    at = page.evaluate(
        "i => kgExplorer.renderer.framedGraphToViewport("
        "kgExplorer.renderer.getNodeDisplayData(String(i)))",
        index,
    )
    box = page.locator("#graph").bounding_box()
    page.mouse.dblclick(box["x"] + at["x"], box["y"] + at["y"])
    assert page.evaluate("kgExplorer.state.selected") == index
    lit = page.evaluate("[...kgExplorer.state.around].map(i => kgExplorer.data.ids[i])")
    assert set(lit) == around
    shown = page.evaluate(
        """() => { const r = kgExplorer.renderer, { width, height } = r.getDimensions();
          return [...kgExplorer.state.around].map(i => {
            const n = r.getNodeDisplayData(String(i)), p = r.framedGraphToViewport(n);
            return n.forceLabel && p.x >= 0 && p.y >= 0 && p.x <= width && p.y <= height; }); }"""
    )
    assert shown and all(shown)
    own = page.evaluate(
        """i => { const d = kgExplorer.data, out = [];
          for (let e = 0; e < d.edges.length / 4; e++)
            if (d.edges[4 * e] === i || d.edges[4 * e + 1] === i) out.push(e);
          return out.map(e => kgExplorer.renderer.getEdgeDisplayData(String(e)).color); }""",
        index,
    )
    assert own and set(own) == {"#d1495b"}


def test_a_value_only_in_the_other_language_is_shown_rather_than_left_out(
    page: Any, nxg: nx.MultiDiGraph
) -> None:
    roadmap = str(KGR["OpenAI-Roadmap"])
    note = next(f for f in nxg.nodes[roadmap]["facts"] if f["property"] == "kg:dateNote")
    assert note["lang"] == "en"
    page.evaluate(f"kgExplorer.select(kgExplorer.data.ids.indexOf('{roadmap}'))")
    texts = page.locator("#details-body li.fact").all_text_contents()
    assert any(text.startswith(f"{note['label_zh']}: {note['value']}") for text in texts), texts


def test_the_timeline_lists_each_fact_once_by_its_name_and_opens_its_edge(
    page: Any, nxg: nx.MultiDiGraph
) -> None:
    items = page.locator("#timeline li")
    edges = page.evaluate(
        "[...document.querySelectorAll('#timeline li')].map(li => Number(li.dataset.edge))"
    )
    keys = [page.evaluate(f"kgExplorer.edgeKey({e})").split(" ") for e in edges]
    facts = [key[3] for key in keys if len(key) == 4]
    assert len(facts) >= 10 and len(facts) == len(set(facts))
    labels = {a["fact"]: a["fact_label_zh"] for _, _, a in nxg.edges(data=True) if a.get("fact")}
    k = next(k for k, key in enumerate(keys) if len(key) == 4)
    assert items.nth(k).locator("button").text_content() == labels[keys[k][3]]
    items.nth(k).locator("button").click()
    assert page.evaluate("kgExplorer.state.edge") == edges[k]
    assert page.text_content("#details-body .card h4") == labels[keys[k][3]]


def test_an_alias_finds_its_node_and_the_panel_lists_the_aliases(page: Any) -> None:
    page.fill("#search", "阿里")
    page.press("#search", "Enter")
    assert page.evaluate("kgExplorer.data.ids[kgExplorer.state.selected]") == str(KGR.Alibaba)
    assert page.locator("#details-body p", has_text="别名").text_content() == "别名: 阿里"
    page.fill("#search", "北京AI产业基")  # part of an alias of one node only
    page.press("#search", "Enter")
    assert page.evaluate("kgExplorer.data.ids[kgExplorer.state.selected]") == str(KGR.BeijingAIFund)


def test_the_search_boxes_suggest_the_best_connected_names_as_one_types(
    page: Any, nxg: nx.MultiDiGraph
) -> None:
    page.fill("#search", "智")
    options = page.evaluate(
        "[...document.querySelectorAll('#search-options option')].map(o => o.value)"
    )
    holding = [n for n, a in nxg.nodes(data=True) if "智" in a["label_zh"]]
    best = max(holding, key=lambda n: (nxg.degree(n), -sorted(nxg.nodes, key=str).index(n)))
    assert options[0] == nxg.nodes[best]["label_zh"] and 1 < len(options) <= 12
    assert all("智" in text for text in options)
    assert page.evaluate("kgExplorer.state.selected") == -1  # a part of a name: nothing yet
    page.fill("#search", "智谱")  # a whole name: found as it is typed
    assert page.evaluate("kgExplorer.data.ids[kgExplorer.state.selected]") == str(KGR.Zhipu)
    page.fill("#path-to", "tang")
    assert "Tang Jie" in page.evaluate(
        "[...document.querySelectorAll('#search-options option')].map(o => o.value)"
    )


def test_the_pointer_on_a_node_names_it_in_both_languages_with_its_class_and_aliases(
    page: Any, nxg: nx.MultiDiGraph
) -> None:
    alibaba = str(KGR.Alibaba)
    index = page.evaluate(f"kgExplorer.data.ids.indexOf('{alibaba}')")
    at = page.evaluate(
        "i => kgExplorer.renderer.framedGraphToViewport("
        "kgExplorer.renderer.getNodeDisplayData(String(i)))",
        index,
    )
    box = page.locator("#graph").bounding_box()
    page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    attrs = nxg.nodes[alibaba]
    klass = page.evaluate(f"kgExplorer.data.classes[kgExplorer.data.cls[{index}]].class_label_zh")
    expected = [attrs["label_zh"], attrs["label_en"], klass, "别名: " + ", ".join(attrs["aliases"])]
    assert page.is_visible("#tooltip")
    assert page.inner_text("#tooltip").split("\n") == expected
    page.mouse.move(box["x"] + 2, box["y"] + 2)
    assert page.is_hidden("#tooltip")


EDGE_TO_POINT = """() => {
  const { renderer, data, edgeAt } = kgExplorer;
  const { width, height } = renderer.getDimensions();
  const at = (i) => renderer.framedGraphToViewport(renderer.getNodeDisplayData(String(i)));
  for (let e = 0; e < data.edges.length / 4; e++) {
    const q = data.edges[4 * e + 3];
    if (q < 0 || data.quotes[q].tier === "cited") continue;
    const [a, b] = [at(data.edges[4 * e]), at(data.edges[4 * e + 1])];
    const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    if (Math.hypot(b.x - a.x, b.y - a.y) < 80 || mid.x > width || mid.y > height) continue;
    if (renderer.getNodeAtPosition(mid) === null && edgeAt(mid) === e) return { e, mid };
  }
  return null;
}"""
"""An edge with a quote whose middle is on no node and nearer to it than to any other edge."""


def test_the_pointer_resting_on_an_edge_names_it_with_its_fact_and_first_quote(
    page: Any, nxg: nx.MultiDiGraph
) -> None:
    found = page.evaluate(EDGE_TO_POINT)
    assert found is not None
    e, mid = found["e"], found["mid"]
    source, target, quote = page.evaluate(
        "e => [kgExplorer.data.ids[kgExplorer.data.edges[4 * e]],"
        " kgExplorer.data.ids[kgExplorer.data.edges[4 * e + 1]],"
        " kgExplorer.data.quotes[kgExplorer.data.edges[4 * e + 3]].quote]",
        e,
    )
    box = page.locator("#graph").bounding_box()
    page.mouse.move(box["x"] + mid["x"], box["y"] + mid["y"])
    page.wait_for_selector("#tooltip", state="visible")
    lines = page.inner_text("#tooltip").split("\n")
    assert lines[0] == f"{nxg.nodes[source]['label_zh']} → {nxg.nodes[target]['label_zh']}"
    assert lines[-1] == f"“{quote}”" and quote in {
        q["quote"] for _, _, a in nxg.edges(data=True) for q in a.get("evidence", [])
    }
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] - 20)  # off the drawing: gone
    assert page.is_hidden("#tooltip")


PANEL_COLUMNS = (
    "pagerank",
    "aliases",
    "edetail",
    "edetails",
    "estrings",
    "efacts",
    "eprops",
    "emore",
    "ecurated",
)


def test_data_without_the_panels_columns_still_draws_and_says_less(
    browser: Any, nxg: nx.MultiDiGraph, tmp_path: Path
) -> None:
    """An outline drawn before its projection is built has none of these columns yet."""
    data = large_data(nxg, lang="zh", title="t", message=("", ""), seed=7)
    for key in PANEL_COLUMNS:
        del data[key]
    bare = tmp_path / "bare.html"
    bare.write_text(large_html(data), encoding="utf-8")
    opened = open_explorer(browser, bare.as_uri() + "?size=pagerank&panel=ranking", bare.as_uri())
    page = next(opened)
    assert page.input_value("#size-by") == "degree"
    assert page.is_disabled("#size-by option[value='pagerank']")
    assert page.text_content("#details-body h3") == "中心性排名 · 度(关系数)"
    page.evaluate("kgExplorer.showEdge(0)")
    assert page.evaluate("kgExplorer.state.edge") == 0
    page.fill("#search", "智谱")
    assert page.evaluate("kgExplorer.data.ids[kgExplorer.state.selected]") == str(KGR.Zhipu)
    next(opened, None)  # no error on the page


def test_a_facts_card_lights_every_edge_that_draws_the_fact(
    page: Any, nxg: nx.MultiDiGraph
) -> None:
    edges = _page_edges(nxg)
    drawing: dict[str, list[int]] = {}
    for e, (_, _, a) in enumerate(edges):
        if a.get("fact"):
            drawing.setdefault(a["fact"], []).append(e)
    drawn = max(drawing.values(), key=len)  # the fact drawn as the most edges
    assert len(drawn) >= 3
    page.evaluate(f"kgExplorer.showEdge({drawn[0]})")
    page.click("#details-body button.light")
    colours = [page.evaluate(f"kgExplorer.renderer.getEdgeDisplayData('{e}').color") for e in drawn]
    assert set(colours) == {"#d1495b"}
    ends = {
        i
        for e in drawn
        for i in page.evaluate(f"kgExplorer.data.edges.slice({4 * e}, {4 * e + 2})")
    }
    assert all(
        page.evaluate(f"kgExplorer.renderer.getNodeDisplayData('{i}').forceLabel") for i in ends
    )
    page.evaluate("kgExplorer.select(-1)")
    assert page.evaluate(f"kgExplorer.renderer.getEdgeDisplayData('{drawn[1]}').color") != "#d1495b"


def test_the_legend_groups_the_classes_by_family_the_largest_first(page: Any) -> None:
    classes = page.evaluate("kgExplorer.data.classes")
    totals: dict[str, int] = {}
    for row in classes:
        totals[row["family"]] = totals.get(row["family"], 0) + row["count"]
    label = {row["family"]: row["family_label_zh"] for row in classes}
    families = sorted(totals, key=lambda f: (-totals[f], f))
    headings = page.locator("#legend .family").all_text_contents()
    assert headings == [f"{label[f]} ({totals[f]:,})" for f in families]
    # each class under its family's heading
    rows = page.evaluate(
        """[...document.querySelectorAll('#legend .family, #legend button[data-class]')]
          .map(n => n.classList.contains('family') ? 'F' : +n.dataset.class)"""
    )
    family_at = -1
    for item in rows:
        if item == "F":
            family_at += 1
        else:
            assert classes[item]["family"] == families[family_at]


def test_a_name_not_found_is_said_again_in_the_other_language(page: Any) -> None:
    page.fill("#search", "Zhipo")
    page.press("#search", "Enter")
    assert page.text_content("#details-body p.miss") == "找不到实体:Zhipo"
    close = page.locator("#details-body p.did-you-mean button").all_text_contents()
    page.click("#lang-toggle")
    assert page.text_content("#details-body p.miss") == "No entity called: Zhipo"
    again = page.locator("#details-body p.did-you-mean button").all_text_contents()
    assert len(again) == len(close) >= 1 and "Zhipu AI" in again


def test_curated_and_draft_only_edges_are_drawn_apart_and_the_legend_says_why(
    browser: Any, nxg: nx.MultiDiGraph, tmp_path: Path
) -> None:
    drafted = nxg.copy()
    u, v, key, attrs = next(
        (u, v, k, a) for u, v, k, a in drafted.edges(keys=True, data=True) if a["evidence"]
    )
    drafted.edges[u, v, key]["evidence"] = [{**q, "draft": True} for q in attrs["evidence"]]
    path = tmp_path / "drafted.html"
    render_html(drafted, path, renderer="sigma")
    opened = open_explorer(browser, path.as_uri(), path.as_uri())
    page = next(opened)
    edges = _page_edges(drafted)
    colour = {
        e: page.evaluate(f"kgExplorer.graph.getEdgeAttribute('{e}', 'color')")
        for e in range(len(edges))
    }
    draft = [
        e
        for e, (a, b, x) in enumerate(edges)
        if all(q.get("draft") for q in x["evidence"]) and x["evidence"]
    ]
    curated = [e for e, (_, _, x) in enumerate(edges) if x["curated"]]
    assert draft and curated
    assert {colour[e] for e in draft} == {"#d48806"}
    assert {colour[e] for e in curated} == {"#8fa3bf"}
    assert {colour[e] for e in colour if e not in draft and e not in curated} == {"#d5d5d5"}
    keys = page.locator("#legend .edge-key").all_text_contents()
    assert keys == ["整理者添加,原文无对应引语", "草稿提议,未经审阅"]
    page.evaluate(f"kgExplorer.showEdge({draft[0]})")
    assert (
        page.locator("#details-body .evidence cite")
        .first.text_content()
        .endswith(" · 草稿提议,未经审阅")
    )
    next(opened, None)


def test_the_small_explorer_says_when_betweenness_is_an_estimate(
    browser: Any, nxg: nx.MultiDiGraph, tmp_path: Path
) -> None:
    folder = synthetic.write_data_folder(tmp_path / "syn", 1_000)
    bigger = to_networkx(kg.load(folder))
    assert 500 < bigger.number_of_nodes() <= 2_000
    for graph, estimated in ((nxg, False), (bigger, True)):
        path = tmp_path / f"small-{estimated}.html"
        assert render_html(graph, path).mode == "full"
        opened = open_explorer(
            browser, path.as_uri() + "?size=betweenness&panel=ranking", path.as_uri()
        )
        page = next(opened)
        assert page.text_content("#details-body h3") == "中心性排名 · 介数中心性"
        option = '#size-by option[value="betweenness"]'
        assert page.text_content(option) == ("介数中心性(估计值)" if estimated else "介数中心性")
        note = page.locator("#details-body p.sampled")
        if estimated:
            assert note.text_content() == (
                "估计值:节点超过 500 个时,介数中心性从 50 个随机抽取的源点算出"
                "(精确计算的代价为节点数 × 边数)。"
            )
        else:
            assert note.count() == 0
        page.click("#lang-toggle")
        assert page.text_content(option) == (
            "Betweenness (estimated)" if estimated else "Betweenness"
        )
        next(opened, None)
