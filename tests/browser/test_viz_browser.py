"""The explorer in headless Chromium (Debian's, driven by Playwright), all network blocked.

Chromium comes from ``bash scripts/install-browser.sh`` (never ``playwright install``); these
tests are skipped, saying why, where ``/usr/bin/chromium`` is absent, and fail under CI.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import RDFS

import kg
from kg.data.namespaces import CURATION_GRAPH, KGR, OA, PROVENANCE_GRAPH
from kg.explore.page import render_html
from kg.network.projection import to_networkx

ROOT = Path(__file__).resolve().parents[2]
ZHIPU = str(KGR.Zhipu)
HOSTILE_LABEL = "<img src=x onerror=alert(1)>"
HOSTILE_QUOTE = '4月,拿下了<a href="javascript:alert(2)">北京</a><script>alert(3)</script>'


class Page:
    """A page of the explorer, opened from disk with every non-file request refused."""

    def __init__(self, browser: Any, path: Path, size: tuple[int, int] = (1600, 1000)) -> None:
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        self.page.route("**/*", self._route)
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.page.goto(path.as_uri())
        # polled from here: wait_for_function's polling evaluates a string in the page, which
        # the page's Content-Security-Policy (no 'unsafe-eval') refuses when not ready at once
        for _ in range(600):
            if self.js("Boolean(window.kgExplorer && window.kgExplorer.ready)"):
                break
            self.page.wait_for_timeout(100)
        else:
            raise AssertionError(f"the explorer was not ready after 60 s: {self.errors}")

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def text(self, selector: str) -> str:
        return str(self.page.text_content(selector) or "")

    def label_of(self, node: str) -> str:
        return str(self.js("id => kgExplorer.nodes.get(id).label", node))

    def visible_nodes(self) -> set[str]:
        return set(self.js("kgExplorer.visibleNodeIds()"))

    def edge_of_fact(self, fact: str) -> str:
        return str(self.js("f => kgExplorer.data.edges.find(e => e.fact === f).id", fact))

    def edge_hidden(self, edge: str) -> bool:
        return bool(self.js("id => kgExplorer.edges.get(id).hidden", edge))

    def close(self) -> None:
        assert self.requests == [], f"the page tried the network: {self.requests}"
        assert self.errors == [], self.errors
        self.page.close()


@pytest.fixture(scope="module")
def nxg(graph: kg.KnowledgeGraph) -> nx.MultiDiGraph:
    return to_networkx(graph)


@pytest.fixture(scope="module")
def explorer_file(nxg: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("explorer") / "explorer.html"
    render_html(nxg, path)
    return path


@pytest.fixture
def page(browser: Any, explorer_file: Path) -> Iterator[Page]:
    opened = Page(browser, explorer_file)
    yield opened
    opened.close()


def test_page_shows_every_node_of_the_graph(page: Page, nxg: nx.MultiDiGraph) -> None:
    assert page.js("kgExplorer.network.body.data.nodes.length") == nxg.number_of_nodes()
    assert page.js("Object.keys(kgExplorer.network.body.nodes).length") == nxg.number_of_nodes()
    assert page.js("kgExplorer.network.body.data.edges.length") == nxg.number_of_edges()
    assert page.visible_nodes() == set(nxg.nodes)
    assert page.js("document.characterSet") == "UTF-8"


def test_typing_zhipu_in_search_focuses_zhipu(page: Page) -> None:
    page.page.fill("#search", "Zhipu")
    assert page.js("kgExplorer.network.getSelectedNodes()") == [ZHIPU]
    assert page.text("#details-body h3") == "智谱"
    details = page.text("#details-body")
    assert (
        "半年时间,智谱集齐了5座城市的国资平台,累计获得资金30亿元,估值更是飙升至400亿元" in details
    )
    assert "智谱估值400亿元" in details


@pytest.mark.parametrize(("typed", "local"), [("唐傑", "TangJie"), ("商湯", "SenseTime")])
def test_search_in_traditional_characters_finds_the_simplified_name(
    page: Page, typed: str, local: str
) -> None:
    page.page.fill("#search", typed)
    assert page.js("kgExplorer.network.getSelectedNodes()") == [
        "https://w3id.org/zhipu-kg/resource/" + local
    ]


def test_class_filter_hides_a_class(page: Page, nxg: nx.MultiDiGraph) -> None:
    cities = {n for n, d in nxg.nodes(data=True) if d["class"] == "kg:City"}
    assert len(cities) == 5
    page.page.uncheck('input[data-class="kg:City"]')
    visible = page.visible_nodes()
    assert visible == set(nxg.nodes) - cities
    assert all(page.js("id => kgExplorer.nodes.get(id).hidden", c) for c in cities)
    page.page.check('input[data-class="kg:City"]')
    assert page.visible_nodes() == set(nxg.nodes)


def test_language_toggle_swaps_labels(page: Page) -> None:
    assert page.label_of(ZHIPU) == "智谱"
    assert page.text("#lang-toggle") == "English"
    page.page.click("#lang-toggle")
    assert page.label_of(ZHIPU) == "Zhipu AI"
    assert page.text("#lang-toggle") == "中文"
    assert page.text("#legend").startswith("●Organization")
    assert page.js("document.documentElement.lang") == "en"
    page.page.click("#lang-toggle")
    assert page.label_of(ZHIPU) == "智谱"


def test_chinese_text_in_menus_and_panels_renders_as_written(page: Page) -> None:
    assert page.text("#title") == "智谱知识图谱 · Zhipu knowledge graph"
    assert page.js("document.getElementById('search').placeholder") == "搜索实体:中文或英文名、别名"
    headings = page.js("[...document.querySelectorAll('h2')].map(h => h.textContent)")
    assert headings[:4] == ["图例与类别筛选", "路径", "详情", "时间线"]
    options = page.js("[...document.querySelectorAll('#size-by option')].map(o => o.textContent)")
    assert options == ["度中心性", "介数中心性", "PageRank"]
    assert page.text("#ranking") == "中心性排名"
    assert "城市 (5)" in page.text("#legend")
    assert "政府产业投资基金 (1)" in page.text("#legend")
    item = '#timeline li[data-fact="kgr:Funding-2025-04-Beijing"]'
    assert page.text(item) == "2025-042025年4月北京市人工智能产业投资基金追加投资2亿元 · 2亿元"
    assert page.text("#date-label") == "全部时间"
    page.page.click("text=2025年4月北京市人工智能产业投资基金追加投资2亿元")
    details = page.text("#details-body")
    assert "4月,拿下了北京市人工智能产业投资基金的2亿追加投资" in details
    assert "ev:funding-2025-04 · 字符位置 161–187" in details
    assert "1 个来源支持" in details  # how many sources support the fact
    tooltip = page.js("id => kgExplorer.nodes.get(id).title.textContent", str(KGR.BeijingAIFund))
    assert tooltip.startswith("北京市人工智能产业投资基金\nBeijing AI Industry Investment Fund")


def test_date_slider_at_march_2025_hides_the_april_top_up(page: Page) -> None:
    top_up = page.edge_of_fact("kgr:Funding-2025-04-Beijing")
    march = page.edge_of_fact("kgr:Funding-2025-03")
    assert not page.edge_hidden(top_up)
    index = page.js("kgExplorer.dates.indexOf('2025-03')")
    assert index >= 0
    page.page.eval_on_selector(
        "#date-slider",
        "(el, i) => { el.value = String(i); el.dispatchEvent(new Event('input')); }",
        index,
    )
    assert page.text("#date-label") == "2025-03"
    assert page.edge_hidden(top_up)
    assert not page.edge_hidden(march)
    assert page.js("id => kgExplorer.network.body.edges[id].options.hidden", top_up) is True
    future = page.js(
        "[...document.querySelectorAll('#timeline li.future')].map(li => li.dataset.fact)"
    )
    assert "kgr:Funding-2025-04-Beijing" in future and "kgr:Funding-2025-03" not in future
    page.js("kgExplorer.setDate(null)")
    assert not page.edge_hidden(top_up)


def test_path_view_lists_hops_with_quotes(page: Page) -> None:
    page.page.fill("#path-from", "唐杰")
    page.page.fill("#path-to", "商汤科技")
    page.page.click("#path-go")
    assert page.text("#details-body h3").endswith(": 唐杰 → 商汤科技")
    hops = page.js("document.querySelectorAll('#details-body ol > li').length")
    # Facts before claims (kg.network.paths): Tang Jie's route into Zhipu, then the business
    # model Zhipu and SenseTime share; the shorter route through the author's lesson comes later.
    assert hops == 3
    assert page.js("document.querySelectorAll('#details-body .card blockquote').length") >= 3


FIRST_SIGHT = (Path(__file__).parent / "first_sight.js").read_text(encoding="utf-8")


@pytest.fixture
def first_view(browser: Any, explorer_file: Path) -> Iterator[Page]:
    opened = Page(browser, explorer_file, (1400, 900))
    yield opened
    opened.close()


def test_first_sight_is_readable_without_a_click(first_view: Page) -> None:
    seen = first_view.js(FIRST_SIGHT)
    assert seen["readable"] >= 15, seen["labels"]
    assert seen["overlapping"] <= 0.1 * seen["readable"], seen
    assert max(seen["spanX"], seen["spanY"]) >= 0.7, seen
    assert seen["topReadable"] == 15, seen["topMissing"]  # the 15 most central
    assert "智谱" in seen["labels"]


def test_zooming_in_shows_more_labels_and_reset_restores_the_view(first_view: Page) -> None:
    before = first_view.js(FIRST_SIGHT)
    labelled = "() => kgExplorer.nodes.get().filter(n => n.label).map(n => n.id)"
    labelled_before = set(first_view.js(labelled))
    # a node drawn as a shape with its label beside it (a box holds its label: one that does
    # not fit is not drawn, and the box shrinks)
    shaped = set(
        first_view.js("kgExplorer.nodes.get().filter(n => n.shape !== 'box').map(n => n.id)")
    )
    unlabelled = [n for n in before["inView"] if n not in labelled_before and n in shaped]
    assert unlabelled, "the opening view labels every node: nothing for the zoom to reveal"
    # zoom in where the level of detail left a label out (the wheel zooms around the pointer)
    at = first_view.js(
        "id => kgExplorer.network.canvasToDOM(kgExplorer.network.getPositions([id])[id])",
        unlabelled[0],
    )
    box = first_view.page.locator("#graph canvas").bounding_box()
    first_view.page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    for _ in range(10):
        first_view.page.mouse.wheel(0, -300)
        first_view.page.wait_for_timeout(50)
    first_view.page.wait_for_timeout(300)
    zoomed = first_view.js(FIRST_SIGHT)
    assert zoomed["scale"] > 2 * before["scale"]
    share = zoomed["readable"] / zoomed["nodesInView"]
    assert share > before["readable"] / before["nodesInView"], (before, zoomed)
    assert unlabelled[0] in set(first_view.js(labelled))
    assert zoomed["overlapping"] <= 0.1 * zoomed["readable"], zoomed
    first_view.page.click("#reset-view")
    assert first_view.js("kgExplorer.network.getScale()") == pytest.approx(before["scale"])


def test_click_expands_a_neighbourhood_and_double_click_focuses_it(
    first_view: Page, nxg: nx.MultiDiGraph
) -> None:
    around = set(nx.all_neighbors(nxg, "https://w3id.org/zhipu-kg/resource/TangJie"))
    first_view.js("id => kgExplorer.expand(id)", "https://w3id.org/zhipu-kg/resource/TangJie")
    selected = set(first_view.js("kgExplorer.network.getSelectedNodes()"))
    assert selected == around | {"https://w3id.org/zhipu-kg/resource/TangJie"}
    labelled = {n for n in selected if first_view.label_of(n)}
    assert labelled == selected
    scale = first_view.js("kgExplorer.network.getScale()")
    first_view.js("id => kgExplorer.focusView(id)", "https://w3id.org/zhipu-kg/resource/TangJie")
    assert first_view.js("kgExplorer.network.getScale()") > scale
    assert "唐杰" in first_view.text("#details-body")


def test_screenshot_is_kept_as_an_artefact(page: Page) -> None:
    page.page.fill("#search", "智谱")
    out = ROOT / "artifacts" / "explorer.png"
    out.parent.mkdir(exist_ok=True)
    page.page.screenshot(path=str(out))
    assert out.stat().st_size > 50_000


def _hostile_copy(dataset: Dataset) -> Dataset:
    """The data with a label and a quote that would run script if treated as HTML."""
    hostile = Dataset()
    hostile.addN(
        (s, p, o, hostile.graph(g)) for s, p, o, g in dataset.quads((None, None, None, None))
    )
    curation = hostile.graph(CURATION_GRAPH)
    curation.remove((KGR.Zhipu, RDFS.label, Literal("智谱", lang="zh")))
    curation.add((KGR.Zhipu, RDFS.label, Literal(HOSTILE_LABEL, lang="zh")))
    provenance = hostile.graph(PROVENANCE_GRAPH)
    exact = Literal("4月,拿下了北京市人工智能产业投资基金的2亿追加投资")
    (selector,) = provenance.subjects(OA.exact, exact)
    provenance.set((selector, OA.exact, Literal(HOSTILE_QUOTE)))
    return hostile


def test_markup_in_labels_and_quotes_is_shown_as_text_and_runs_nothing(
    browser: Any, graph: kg.KnowledgeGraph, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.html"
    render_html(to_networkx(_hostile_copy(graph.dataset)), path)
    page = Page(browser, path)
    try:
        page.page.fill("#search", "Zhipu")
        assert page.text("#details-body h3") == HOSTILE_LABEL
        page.page.click("text=2025年4月北京市人工智能产业投资基金追加投资2亿元")
        assert HOSTILE_QUOTE in page.text("#details-body")
        page.page.hover("#graph", position={"x": 400, "y": 400})
        page.js("id => kgExplorer.focusNode(id)", ZHIPU)
        assert page.label_of(ZHIPU) == HOSTILE_LABEL
        assert page.js("document.querySelectorAll('img, #details-body script').length") == 0
        # the only links are the cited reports' addresses, written by the page, never markup
        links = page.js(
            "[...document.querySelectorAll('a')].map(a => [a.closest('.card.cited') !== null,"
            " a.getAttribute('href')])"
        )
        assert all(cited and href.startswith("https://") for cited, href in links), links
        assert page.js("document.querySelectorAll('script').length") == 3
        page.page.wait_for_timeout(300)
        assert page.dialogs == []
    finally:
        page.close()


def test_cited_fact_shows_publisher_date_and_link_not_a_quote(page: Page) -> None:
    """A fact from a public report: the panel names the report and links it, quoting nothing."""
    edge = page.edge_of_fact("kgr:Funding-2025-03-Zhuhai")
    page.js("id => kgExplorer.network.emit('click', {nodes: [], edges: [id]})", edge)
    assert "引用: Devdiscourse, 2025-03-13, https://www.devdiscourse.com/" in page.text(
        "#details-body .card.cited"
    )
    link = page.js("document.querySelector('#details-body .card.cited a').getAttribute('href')")
    assert link.startswith("https://www.devdiscourse.com/article/business/3306332-")
    assert page.js("document.querySelectorAll('#details-body .card.cited blockquote').length") == 0
    quoted = page.edge_of_fact("kgr:Funding-2025-03")
    page.js("id => kgExplorer.network.emit('click', {nodes: [], edges: [id]})", quoted)
    assert "摘录 · ev:funding-2025-03" in page.text("#details-body")
    assert "引用: 聯合新聞網, 2025-08-19" in page.text("#details-body .card.cited")
