"""The large-graph explorer (sigma.js, WebGL) in headless Chromium, on ~3k synthetic nodes.

Chromium draws WebGL in software (SwiftShader) here, all network blocked. Needs
``/usr/bin/chromium`` (``bash scripts/install-browser.sh``) and the ``playwright`` package;
skipped, saying why, where Chromium is absent, and failing under CI.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import networkx as nx
import pytest

import kg
from kg.data.namespaces import KGR
from kg.explore.page import render_html
from kg.network.paths import ranked_paths
from kg.network.projection import to_networkx

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import synthetic
from chromium import launch_chromium
from explorer_opened import open_explorer
from kg_server import start

ENTITIES = 5_500
"""Synthetic entities giving about 3,000 nodes: above the 2,000 that vis-network draws."""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic.write_data_folder(tmp_path_factory.mktemp("syn") / "data", ENTITIES)


@pytest.fixture(scope="module")
def nxg(folder: Path) -> nx.MultiDiGraph:
    return to_networkx(kg.load(folder))


@pytest.fixture(scope="module")
def large_file(nxg: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("large") / "explorer.html"
    report = render_html(nxg, path)
    assert report.mode == "large"
    assert report.nodes == nxg.number_of_nodes() > 2_000
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch_chromium(webgl=True) as chromium:
        yield chromium


_open = open_explorer


@pytest.fixture
def page(browser: Any, large_file: Path) -> Iterator[Any]:
    yield from _open(browser, large_file.as_uri(), large_file.as_uri())


def test_sigma_draws_every_node_on_a_webgl_canvas(page: Any, nxg: nx.MultiDiGraph) -> None:
    assert page.evaluate("kgExplorer.graph.order") == nxg.number_of_nodes()
    assert page.evaluate("kgExplorer.graph.size") == nxg.number_of_edges()
    assert page.evaluate("kgExplorer.renderer.getCanvases().nodes.getContext('webgl2') !== null")
    assert page.evaluate("kgExplorer.pixels()") > 1_000


def test_search_focuses_the_node_and_shows_its_details(page: Any) -> None:
    page.fill("#search", "Company 42")
    page.press("#search", "Enter")
    index = page.evaluate("kgExplorer.state.selected")
    assert page.evaluate("i => kgExplorer.data.en[i]", index) == "Company 42"
    assert page.evaluate("kgExplorer.renderer.getCamera().ratio") < 0.5
    assert page.text_content("#details-body h3") == "公司42"


@pytest.mark.parametrize(
    ("query", "label"),
    [("國資平臺3", "国资平台3"), ("Ｃｏｍｐａｎｙ　４２", "公司42"), ("  company   42 ", "公司42")],
)
def test_search_reads_traditional_full_width_and_spaced_text(
    page: Any, query: str, label: str
) -> None:
    page.fill("#search", query)
    page.press("#search", "Enter")
    assert page.text_content("#details-body h3") == label


def test_a_missing_name_says_so(page: Any) -> None:
    page.fill("#search", "no such thing")
    page.press("#search", "Enter")
    assert page.text_content("#notice") == "没有找到:no such thing"
    assert page.evaluate("kgExplorer.state.selected") == -1


def test_a_click_on_a_node_shows_its_relations_with_quotes(page: Any) -> None:
    page.fill("#search", "Company 7")
    page.press("#search", "Enter")
    index = page.evaluate("kgExplorer.state.selected")
    page.evaluate("kgExplorer.select(-1)")
    assert page.text_content("#details-body") == "点击节点查看详情。"
    at = page.evaluate(
        "i => kgExplorer.renderer.framedGraphToViewport("
        "kgExplorer.renderer.getNodeDisplayData(String(i)))",
        index,
    )
    box = page.locator("#graph").bounding_box()
    page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    assert page.evaluate("kgExplorer.state.selected") == index
    assert page.text_content("#details-body h3") == "公司7"
    items = page.locator("#details-body li")
    assert items.count() >= 1
    assert "公司7" in (items.first.text_content() or "")
    assert page.locator("#details-body blockquote").count() >= 1


def test_language_toggle_changes_labels_and_panels(page: Any) -> None:
    page.fill("#search", "Company 42")
    page.press("#search", "Enter")
    node = str(page.evaluate("kgExplorer.state.selected"))
    assert page.evaluate("n => kgExplorer.graph.getNodeAttribute(n, 'label')", node) == "公司42"
    page.click("#lang-toggle")
    assert page.evaluate("n => kgExplorer.graph.getNodeAttribute(n, 'label')", node) == "Company 42"
    assert page.text_content("#details-body h3") == "Company 42"
    assert page.text_content("#lang-toggle") == "中文"
    assert page.evaluate("document.documentElement.lang") == "en"


def test_a_class_in_the_legend_is_a_way_in_to_its_members(page: Any) -> None:
    smallest = page.evaluate(
        "kgExplorer.data.classes.map((c, i) => [c.count, i]).sort((a, b) => a[0] - b[0])[0][1]"
    )
    page.click(f"#legend button[data-class='{smallest}']")
    assert page.evaluate("kgExplorer.state.klass") == smallest
    assert page.get_attribute(f"#legend button[data-class='{smallest}']", "aria-pressed") == "true"
    dimmed = page.evaluate(
        "c => [...Array(kgExplorer.data.ids.length).keys()]"
        ".filter(i => kgExplorer.data.cls[i] !== c)"
        ".every(i => kgExplorer.renderer.getNodeDisplayData(String(i)).color === '#eeeeee')",
        smallest,
    )
    assert dimmed
    assert page.evaluate("kgExplorer.renderer.getCamera().ratio") < 1
    inside = page.evaluate(
        """c => {
          const r = kgExplorer.renderer, {width, height} = r.getDimensions();
          return [...Array(kgExplorer.data.ids.length).keys()]
            .filter(i => kgExplorer.data.cls[i] === c)
            .every(i => {
              const at = r.framedGraphToViewport(r.getNodeDisplayData(String(i)));
              return at.x >= 0 && at.x <= width && at.y >= 0 && at.y <= height;
            });
        }""",
        smallest,
    )
    assert inside
    page.click("#legend button:first-child")
    assert page.evaluate("kgExplorer.state.klass") == -1
    assert page.evaluate("kgExplorer.renderer.getCamera().ratio") == 1


def test_the_address_reopens_the_view_and_follows_it(browser: Any, large_file: Path) -> None:
    opened = _open(browser, large_file.as_uri() + "?lang=en&node=kgr:SynCo42", large_file.as_uri())
    page = next(opened)
    assert page.text_content("#details-body h3") == "Company 42"
    assert page.evaluate("kgExplorer.renderer.getCamera().ratio") < 0.5
    page.click("#lang-toggle")
    assert parse_qs(urlsplit(page.url).query) == {"lang": ["zh"], "node": ["kgr:SynCo42"]}
    next(opened, None)


def test_the_server_sends_the_large_view_under_its_script_hashes(
    browser: Any, folder: Path, nxg: nx.MultiDiGraph, tmp_path: Path
) -> None:
    server = start(["--workers", "1"], tmp_path / "stderr.log", data=folder)
    try:
        opened = _open(browser, server.base + "/explore", server.base + "/")
        page = next(opened)
        assert page.evaluate("kgExplorer.large") is True
        assert page.evaluate("kgExplorer.graph.order") == nxg.number_of_nodes()
        assert page.evaluate("kgExplorer.pixels()") > 1_000
        next(opened, None)
    finally:
        server.stop()


def test_the_shipped_data_drawn_with_sigma_shows_a_nodes_facts_with_quotes(
    browser: Any, graph: kg.KnowledgeGraph, tmp_path: Path
) -> None:
    shipped = to_networkx(graph)
    path = tmp_path / "shipped.html"
    render_html(shipped, path, renderer="sigma")
    node, fact = next(
        (n, fact)
        for n, a in sorted(shipped.nodes(data=True))
        for fact in a.get("facts", [])
        if fact["evidence"] and fact["lang"] in ("", "zh")
    )
    opened = _open(browser, path.as_uri(), path.as_uri())
    page = next(opened)
    page.evaluate(
        "i => kgExplorer.select(i)", page.evaluate("n => kgExplorer.data.ids.indexOf(n)", node)
    )
    items = page.locator("#details-body li.fact")
    texts = [items.nth(k).text_content() or "" for k in range(items.count())]
    first = fact["evidence"][0]
    place = f"摘录 · {first['source']} · 字符位置 {first['start']}–{first['end']}"
    assert any(
        text.startswith(f"{fact['label_zh']}: {fact['value']}")
        and text.endswith(first["quote"] + place)
        for text in texts
    ), texts
    # a public report is cited (publisher, date, link, where in it), never quoted
    alibaba, zhipu = (str(KGR.Alibaba), str(KGR.Zhipu))
    cited = next(
        e
        for e in shipped.get_edge_data(alibaba, zhipu).values()
        if e["evidence"] and e["evidence"][0].get("tier") == "cited"
    )["evidence"][0]
    page.evaluate(
        "i => kgExplorer.select(i)", page.evaluate("n => kgExplorer.data.ids.indexOf(n)", alibaba)
    )
    citation = page.locator("#details-body .citation", has_text=cited["publisher"]).first
    assert citation.text_content() == (
        f"引用: {cited['publisher']}, {cited['published']}, {cited['url']}"
    )
    assert citation.locator("a").get_attribute("href") == cited["url"]
    assert citation.locator("a").get_attribute("rel") == "noopener noreferrer nofollow"
    next(opened, None)


def _displayed(page: Any, kind: str, key: int) -> Any:
    getter = "getNodeDisplayData" if kind == "node" else "getEdgeDisplayData"
    return page.evaluate(f"k => kgExplorer.renderer.{getter}(String(k))", key)


def test_a_class_filtered_out_hides_its_nodes_and_edges_and_the_address_keeps_it(
    page: Any, browser: Any, large_file: Path
) -> None:
    klass, curie = page.evaluate(
        "[kgExplorer.data.classes.findIndex(c => c.class === 'kg:City'), 'kg:City']"
    )
    page.uncheck(f"#legend input[data-class='{klass}']")
    members = page.evaluate("c => kgExplorer.data.cls.flatMap((k, i) => k === c ? [i] : [])", klass)
    assert members
    assert all(_displayed(page, "node", i)["hidden"] for i in members[:20])
    touching = page.evaluate(
        """c => { const d = kgExplorer.data, out = [];
          for (let e = 0; e < d.edges.length / 4; e++)
            if (d.cls[d.edges[4 * e]] === c || d.cls[d.edges[4 * e + 1]] === c) out.push(e);
          return out; }""",
        klass,
    )
    assert touching and not any(page.evaluate(f"kgExplorer.edgeShown({e})") for e in touching)
    total = page.evaluate("kgExplorer.data.ids.length")
    assert page.text_content("#counts") == f"显示节点: {total - len(members):,} / {total:,}"
    assert parse_qs(urlsplit(page.url).query)["hide"] == [curie]
    page.click(f"#legend button[data-class='{klass}']")  # going in shows the class again
    assert page.is_checked(f"#legend input[data-class='{klass}']")
    assert page.evaluate(f"kgExplorer.nodeShown({members[0]})")
    assert "hide" not in parse_qs(urlsplit(page.url).query)
    opened = _open(browser, large_file.as_uri() + "?hide=" + curie, large_file.as_uri())
    again = next(opened)
    assert not again.is_checked(f"#legend input[data-class='{klass}']")
    assert not again.evaluate(f"kgExplorer.nodeShown({members[0]})")
    again.click("#classes-all")
    assert again.evaluate(f"kgExplorer.nodeShown({members[0]})")
    next(opened, None)


def test_a_search_for_a_hidden_node_shows_it_again(page: Any) -> None:
    page.click("#classes-none")
    assert (
        page.text_content("#counts")
        == f"显示节点: 0 / {page.evaluate('kgExplorer.count || kgExplorer.data.ids.length'):,}"
    )
    page.fill("#search", "Company 42")
    page.press("#search", "Enter")
    index = page.evaluate("kgExplorer.state.selected")
    assert page.evaluate(f"kgExplorer.nodeShown({index})")
    assert not _displayed(page, "node", index)["hidden"]


def test_the_timeline_hides_what_came_after_its_date(page: Any) -> None:
    page.focus("#date-slider")
    page.keyboard.press("Home")
    first = page.evaluate("kgExplorer.data.dates.slice().sort()[0]")
    assert page.text_content("#date-label") == first
    assert page.evaluate("kgExplorer.state.cutoff") == first
    later = page.evaluate(
        "c => kgExplorer.data.edate"
        ".flatMap((d, e) => d >= 0 && kgExplorer.data.dates[d] > c ? [e] : [])",
        first,
    )
    assert later and not any(page.evaluate(f"kgExplorer.edgeShown({e})") for e in later[:50])
    listed = page.locator("#timeline li .date").all_text_contents()
    assert listed and all(text.strip() <= first for text in listed)
    assert parse_qs(urlsplit(page.url).query)["date"] == [first]
    page.keyboard.press("End")
    assert page.text_content("#date-label") == "全部时间"
    assert page.evaluate(f"kgExplorer.edgeShown({later[0]})")


def test_the_timeline_lists_earlier_facts_forty_at_a_time(page: Any) -> None:
    first = [d.strip() for d in page.locator("#timeline li .date").all_text_contents()]
    assert len(first) == 40
    assert page.text_content("#timeline-more") == "再列出更早的 40 条"
    page.click("#timeline-more")
    listed = [d.strip() for d in page.locator("#timeline li .date").all_text_contents()]
    assert len(listed) == 80
    assert listed[:40] == first
    assert listed == sorted(listed, reverse=True)  # the latest first, then the earlier ones
    page.evaluate("kgExplorer.setLang('en')")  # the language changes, the list stays as long
    assert len(page.locator("#timeline li .date").all_text_contents()) == 80
    assert page.text_content("#timeline-more") == "List 40 earlier"
    page.evaluate("kgExplorer.setDate(kgExplorer.data.dates.slice().sort().at(-1))")
    assert len(page.locator("#timeline li .date").all_text_contents()) == 40  # a new date: anew


def _path_nodes(page: Any) -> list[str]:
    return [
        page.evaluate("i => kgExplorer.data.ids[i]", int(node))
        for node in page.evaluate("[...kgExplorer.state.path.nodes].map(String)")
    ]


def test_the_path_panel_finds_the_path_kg_path_ranks_first(page: Any, nxg: nx.MultiDiGraph) -> None:
    page.fill("#path-from", "Company 42")
    page.fill("#path-to", "State platform 7")
    page.click("#path-go")
    best = ranked_paths(nxg, "Company 42", "State platform 7")[0]
    hops = page.locator("#details-body ol > li")
    assert hops.count() == len(best.hops)
    shown = page.evaluate(
        "[...document.querySelectorAll('#details-body ol > li')].map(li => +li.dataset.edge)"
    )
    ends = [
        page.evaluate(
            "e => [4 * e, 4 * e + 1].map(k => kgExplorer.data.ids[kgExplorer.data.edges[k]])", e
        )
        for e in shown
    ]
    assert [set(pair) for pair in ends] == [{hop.source, hop.target} for hop in best.hops]
    assert _displayed(page, "edge", shown[0])["color"] == "#d1495b"
    assert page.locator("#details-body blockquote").count() == len(best.hops)
    assert parse_qs(urlsplit(page.url).query)["from"] == ["Company 42"]
    page.click("#lang-toggle")
    assert (page.text_content("#details-body h3") or "").startswith("Path, by meaning")


def test_the_address_reopens_a_path(browser: Any, large_file: Path) -> None:
    opened = _open(
        browser, large_file.as_uri() + "?lang=en&from=Company+7&to=Company+42", large_file.as_uri()
    )
    page = next(opened)
    assert page.text_content("#details-body h3") == (
        "Path, by meaning (facts first, claims last): Company 7 → Company 42"
    )
    assert page.input_value("#path-from") == "Company 7"
    next(opened, None)


def test_a_name_the_path_panel_cannot_find_is_said(page: Any) -> None:
    page.fill("#path-from", "Company 42")
    page.fill("#path-to", "nobody at all")
    page.click("#path-go")
    assert page.text_content("#details-body") == "找不到实体:nobody at all"


def test_the_shipped_data_drawn_with_sigma_ranks_paths_as_kg_path(
    browser: Any, graph: kg.KnowledgeGraph, tmp_path: Path
) -> None:
    shipped = to_networkx(graph)
    path = tmp_path / "shipped.html"
    render_html(shipped, path, renderer="sigma")
    opened = _open(browser, path.as_uri() + "?from=唐杰&to=SenseTime", path.as_uri())
    page = next(opened)
    best = ranked_paths(shipped, "唐杰", "商汤")[0]
    walked = page.evaluate(
        """([a, b]) => { const d = kgExplorer.data;
          let at = d.ids.indexOf(a); const out = [at];
          for (const e of kgExplorer.bestPath(at, d.ids.indexOf(b))) {
            at = d.edges[4 * e] === at ? d.edges[4 * e + 1] : d.edges[4 * e];
            out.push(at);
          }
          return out.map(i => d.ids[i]); }""",
        [best.nodes[0], best.nodes[-1]],
    )
    assert walked == [str(n) for n in best.nodes]
    assert page.locator("#details-body ol > li").count() == len(best.hops)
    next(opened, None)


def test_communities_are_named_regions_and_a_way_in_to_their_members(page: Any) -> None:
    assert page.evaluate("kgExplorer.communityNames().length") >= 3
    first = page.locator("#communities button[data-community='0']")
    name = first.text_content() or ""
    assert name.endswith(" 个") and " 等 " in name
    first.click()
    assert page.evaluate("kgExplorer.state.community") == 0
    members = page.evaluate("kgExplorer.data.com.filter(c => c === 0).length")
    assert page.text_content("#details-body h4") == f"成员 ({members:,})"
    assert page.text_content("#details-body h3") == name
    listed = page.locator("#details-body ol.members button")
    assert listed.count() == min(60, members)
    outside = page.evaluate("kgExplorer.data.com.findIndex(c => c !== 0)")
    assert _displayed(page, "node", outside)["color"] == "#eeeeee"
    assert page.evaluate("kgExplorer.renderer.getCamera().ratio") < 1
    listed.first.click()
    assert page.evaluate("kgExplorer.state.selected") >= 0
    assert page.evaluate("kgExplorer.state.community") == 0
    page.click("#communities button:first-child")
    assert page.evaluate("kgExplorer.state.community") == -1
    page.click("#lang-toggle")
    assert (page.text_content("#communities button[data-community='0']") or "").endswith(" more")


def test_export_saves_the_view_as_png_and_svg(page: Any, tmp_path: Path) -> None:
    with page.expect_download() as png:
        page.click("#export-png")
    saved = tmp_path / "view.png"
    png.value.save_as(saved)
    data = saved.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == tuple(
        page.evaluate("Object.values(kgExplorer.renderer.getDimensions())")
    )
    with page.expect_download() as svg:
        page.click("#export-svg")
    assert svg.value.suggested_filename.endswith(".svg")
    svg.value.save_as(tmp_path / "view.svg")
    root = ElementTree.parse(tmp_path / "view.svg").getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{ns}g/{ns}circle")) > 1_000
    assert len(root.findall(f"{ns}g/{ns}line")) > 1_000
    labels = [t.text for t in root.findall(f"{ns}g/{ns}text")]
    shown = page.evaluate("kgExplorer.renderer.getNodeDisplayedLabels().size")
    assert labels and len(labels) <= shown


def test_a_double_click_inside_a_community_goes_into_it(page: Any) -> None:
    # zoomed in on community 0 (its nodes grow slower than the gaps between them), a point of
    # its disc that no node covers
    page.evaluate(
        """() => { const r = kgExplorer.renderer, [x, y] = kgExplorer.data.communities[0];
          const at = r.viewportToFramedGraph(r.graphToViewport({ x, y }));
          r.getCamera().setState({ x: at.x, y: at.y, ratio: 0.1 }); r.refresh(); }"""
    )
    at = page.evaluate(
        """() => {
          const r = kgExplorer.renderer, d = kgExplorer.data, [x, y, radius] = d.communities[0];
          for (let k = 0; k < 360; k++) {
            const a = (k * Math.PI) / 36, f = 0.2 + 0.15 * (k % 5);
            const g = { x: x + f * radius * Math.cos(a), y: y + f * radius * Math.sin(a) };
            const p = r.graphToViewport(g);
            const clear = [...Array(d.ids.length).keys()].every((i) => {
              const n = r.getNodeDisplayData(String(i)), q = r.framedGraphToViewport(n);
              return Math.hypot(q.x - p.x, q.y - p.y) > r.scaleSize(n.size) + 4;
            });
            const inside = d.communities.every(
              ([cx, cy, cr], c) => c === 0 || Math.hypot(g.x - cx, g.y - cy) > cr);
            const { width, height } = r.getDimensions();
            if (clear && inside && p.x > 0 && p.y > 0 && p.x < width && p.y < height) return p;
          }
          return null;
        }"""
    )
    assert at is not None
    box = page.locator("#graph").bounding_box()
    ratio = page.evaluate("kgExplorer.renderer.getCamera().ratio")
    page.mouse.dblclick(box["x"] + at["x"], box["y"] + at["y"])
    assert page.evaluate("kgExplorer.state.community") == 0
    assert page.evaluate("kgExplorer.renderer.getCamera().ratio") != ratio


@pytest.mark.parametrize(("typed", "first"), [("Compnay 42", None), ("gongsi 42", "公司42")])
def test_a_name_not_found_gets_the_closest_names(page: Any, typed: str, first: str | None) -> None:
    page.fill("#search", typed)
    page.press("#search", "Enter")
    assert page.text_content("#details-body p.miss") == "找不到实体:" + typed
    close = page.locator("#details-body p.did-you-mean button")
    names = close.all_text_contents()
    assert "公司42" in names and len(names) <= 3
    if first is not None:
        assert names[0] == first
    close.nth(names.index("公司42")).click()
    assert page.text_content("#details-body h3") == "公司42"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("City 3", "Company 900"),
        ("State platform 5", "State platform 1800"),
        ("Company 5", "Company 1200"),
    ],
)
def test_paths_found_in_the_page_are_the_first_of_kg_paths_ranking(
    page: Any, nxg: nx.MultiDiGraph, a: str, b: str
) -> None:
    best = ranked_paths(nxg, a, b, k=1)[0]
    walked = page.evaluate(
        """([a, b]) => { const d = kgExplorer.data;
          let at = d.ids.indexOf(a); const out = [at];
          for (const e of kgExplorer.bestPath(at, d.ids.indexOf(b))) {
            at = d.edges[4 * e] === at ? d.edges[4 * e + 1] : d.edges[4 * e];
            out.push(at);
          }
          return out.map(i => d.ids[i]); }""",
        [best.nodes[0], best.nodes[-1]],
    )
    assert walked == [str(n) for n in best.nodes]


def test_the_path_panel_walks_around_what_the_filters_hide(page: Any) -> None:
    city = page.evaluate("kgExplorer.data.classes.findIndex(c => c.class === 'kg:City')")
    page.fill("#path-from", "Company 42")
    page.fill("#path-to", "Company 7")
    page.click("#path-go")
    through = page.evaluate("[...kgExplorer.state.path.nodes].map(i => kgExplorer.data.cls[i])")
    assert city in through  # with everything shown the first path passes a city
    page.uncheck(f"#legend input[data-class='{city}']")
    page.click("#path-go")
    # companies meet only through cities here: with the cities hidden, every path is hidden
    assert page.evaluate("kgExplorer.state.path.nodes.size") == 0
    assert page.text_content("#details-body") == (
        "两者之间的路径都经过被筛选隐藏的节点或关系:显示全部即可看到。"
    )
    page.check(f"#legend input[data-class='{city}']")
    page.click("#path-go")
    assert page.evaluate("kgExplorer.state.path.nodes.size") == len(through)
