"""The explorer's view in headless Chromium, at 1280×800 and 1920×1080, both as ``kg serve``
serves it (``/explore``) and as ``kg viz`` writes it (a standalone file): the language toggle,
selection, the details panel, search misses, image export, the address and the first sight.

Needs ``/usr/bin/chromium`` (``bash scripts/install-browser.sh``) and the ``playwright`` package;
without them the tests are skipped, loudly, and in CI (``$CI`` set) they fail.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from kg_server import RunningServer

import kg
from kg.explore.page import render_html
from kg.network.projection import to_networkx
from kg.network.style import FIRST_SIGHT
from kg.query.resolve import Names

ROOT = Path(__file__).resolve().parents[2]
RESOURCE = "https://w3id.org/zhipu-kg/resource/"
FIRST_SIGHT_JS = (Path(__file__).parent / "first_sight.js").read_text(encoding="utf-8")
SIZES = [(1280, 800), (1920, 1080)]
TARGETS = ["served", "viz"]
#: Every label vis-network holds for a node or an edge that is drawn (not hidden).
LABELS = """() => {
  const net = kgExplorer.network;
  const out = {};
  for (const item of [...Object.values(net.body.nodes), ...Object.values(net.body.edges)]) {
    if (!item.options.hidden) out[item.id] = item.options.label || "";
  }
  return out;
}"""


@pytest.fixture(scope="module")
def viz_files(
    graph: kg.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("explorer-viz")
    nxg = to_networkx(graph)
    files = {}
    for lang in ("zh", "en"):
        files[lang] = folder / f"explorer-{lang}.html"
        render_html(nxg, files[lang], lang=lang)  # type: ignore[arg-type]
    return files


class View:
    """An explorer page in a browser tab: it records script errors and outside requests."""

    def __init__(self, browser: Any, url: str, size: tuple[int, int], own: str) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.page.route("**/*", lambda route: self._route(route, own))
        self.page.goto(url)
        # polled from here: wait_for_function evaluates a string, which the CSP refuses
        for _ in range(600):
            if self.js("Boolean(window.kgExplorer && window.kgExplorer.ready)"):
                break
            self.page.wait_for_timeout(100)
        else:
            raise AssertionError(f"the explorer was not ready after 60 s: {self.errors}")

    def _route(self, route: Any, own: str) -> None:
        if route.request.url.startswith((own, "blob:", "data:")):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def text(self, selector: str) -> str:
        return str(self.page.inner_text(selector))

    def click_node(self, node: str) -> None:
        """Click the node where it is drawn, with the mouse, once the view has stopped moving
        (a refit after a filter or date change animates), then wait for the page to select it."""
        at = self.js(
            """id => new Promise(done => {
              const net = kgExplorer.network;
              let last = "", still = 0;
              const tick = () => {
                const at = net.canvasToDOM(net.getPositions([id])[id]);
                const view = net.getViewPosition();
                const key = [at.x, at.y, view.x, view.y, net.getScale()]
                  .map(v => v.toFixed(2)).join();
                still = key === last ? still + 1 : 0;
                last = key;
                if (still >= 5) done(at); else requestAnimationFrame(tick);
              };
              requestAnimationFrame(tick);
            })""",
            node,
        )
        box = self.page.locator("#graph canvas").bounding_box()
        self.page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
        self.page.wait_for_function(
            "id => (kgExplorer.state.selection || {}).id === id", arg=node, timeout=10_000
        )

    def close(self) -> None:
        assert self.errors == [], self.errors
        assert self.outside == [], self.outside
        self.page.close()


@pytest.fixture
def opener(browser: Any, server: RunningServer, viz_files: dict[str, Path]) -> Iterator[Any]:
    """Opens the explorer of a target (served or viz) in a language, with extra query text."""
    opened: list[View] = []

    def open_view(target: str, size: tuple[int, int], lang: str = "zh", query: str = "") -> View:
        if target == "served":
            url = f"{server.base}/explore" + (f"?lang={lang}" if lang == "en" else "")
            own = server.base + "/"
        else:
            url = viz_files[lang].as_uri()
            own = "file://"
        if query:
            url += ("&" if "?" in url else "?") + query
        view = View(browser, url, size, own)
        opened.append(view)
        return view

    yield open_view
    for view in opened:
        view.close()


both = pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
targets = pytest.mark.parametrize("target", TARGETS)


@both
@targets
def test_toggle_draws_the_labels_of_a_page_opened_in_english(
    opener: Any, target: str, size: tuple[int, int]
) -> None:
    toggled = opener(target, size)
    toggled.page.click("#lang-toggle")
    toggled.page.wait_for_timeout(200)  # the panels settle; the view refits once
    fresh = opener(target, size, "en")
    assert toggled.js("kgExplorer.network.getScale()") == pytest.approx(
        fresh.js("kgExplorer.network.getScale()")
    )
    after, english = toggled.js(LABELS), fresh.js(LABELS)
    differ = {k: (after[k], english.get(k)) for k in after if after[k] != english.get(k)}
    assert differ == {}
    assert sum(1 for text in english.values() if text) >= 60
    assert toggled.text("#legend") == fresh.text("#legend")
    # and back: the Chinese page as it opened
    toggled.page.click("#lang-toggle")
    toggled.page.wait_for_timeout(200)
    chinese = opener(target, size).js(LABELS)
    assert toggled.js(LABELS) == chinese


@both
@targets
def test_a_click_lights_the_nodes_own_neighbourhood(
    opener: Any, target: str, size: tuple[int, int]
) -> None:
    view = opener(target, size)
    sensetime = RESOURCE + "SenseTime"
    view.click_node(sensetime)
    edges = view.js(
        "id => kgExplorer.data.edges.filter(e => e.from === id || e.to === id).map(e => e.id)",
        sensetime,
    )
    around = {sensetime} | set(
        view.js(
            "id => kgExplorer.data.edges.filter(e => e.from === id || e.to === id)"
            ".map(e => (e.from === id ? e.to : e.from))",
            sensetime,
        )
    )
    assert sorted(view.js("kgExplorer.network.getSelectedEdges()")) == sorted(edges)
    assert set(view.js("kgExplorer.network.getSelectedNodes()")) == around
    # the hub among the neighbours keeps its other edges unlit
    zhipu_edges = view.js(
        "id => kgExplorer.data.edges.filter(e => e.from === id || e.to === id).length",
        RESOURCE + "Zhipu",
    )
    assert zhipu_edges > 50 and len(edges) < 10
    assert view.text("#details-body h3") == "商汤科技"


@both
@targets
def test_details_name_each_field_once_and_call_a_translation_a_translation(
    opener: Any, target: str, size: tuple[int, int]
) -> None:
    view = opener(target, size)
    view.click_node(RESOURCE + "TangJie")
    cards = view.js(
        "[...document.querySelectorAll('#details-body .card')].map(c =>"
        " [...c.querySelectorAll(':scope > .kv > b')].map(b => b.textContent))"
    )
    assert cards and all(len(keys) == len(set(keys)) for keys in cards), cards
    panel = view.text("#details-body")
    assert "原话" not in panel
    assert "原文:科研就像登山,一定要登到顶峰,不登顶就是失败" in panel
    assert "英译(整理者翻译):Research is like climbing a mountain" in panel
    assert "确定程度:有据可查" in panel and "On record" not in panel
    view.page.click("#lang-toggle")
    panel = view.text("#details-body")
    assert "The article's words (Chinese):科研就像登山" in panel
    assert "English translation (the curators'):Research is like climbing" in panel
    assert "certainty:On record" in panel and "有据可查" not in panel


TYPOS = ["唐洁", "tang jei", "kgr:TangJei", "shangtang", "商场科技", "GLM-13B", "zhi pu ai", "张朋"]


@both
@targets
def test_a_search_miss_says_so_and_suggests_the_resolvers_names(
    opener: Any, target: str, size: tuple[int, int], graph: kg.KnowledgeGraph
) -> None:
    view = opener(target, size)
    view.page.fill("#search", "唐洁")
    view.page.press("#search", "Enter")
    assert view.text("#details-body .miss") == "找不到实体:唐洁"
    assert view.text("#details-body .did-you-mean") == "你是不是要找:唐杰"
    view.page.click("#details-body .did-you-mean button")
    assert view.text("#details-body h3") == "唐杰"
    view.page.fill("#search", "xyzzy")
    view.page.press("#search", "Enter")
    assert view.text("#details-body").startswith("找不到实体:xyzzy\n")
    assert "没有相近的名称" in view.text("#details-body")
    names = Names.from_engine(graph.engine)
    for typo in TYPOS:
        assert view.js("t => kgExplorer.suggest(t)", typo) == [
            e.iri for e in names.suggest(typo)
        ], typo


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@both
@targets
def test_export_saves_the_view_as_png_and_svg(
    opener: Any, target: str, size: tuple[int, int]
) -> None:
    view = opener(target, size)
    view.click_node(RESOURCE + "TangJie")  # a view with a selection and pinned labels
    with view.page.expect_download() as png:
        view.page.click("#export-png")
    assert png.value.suggested_filename == "zhipu-kg.png"
    canvas = view.js("(c => [c.width, c.height])(kgExplorer.network.canvas.frame.canvas)")
    assert _png_size(Path(png.value.path()).read_bytes()) == tuple(canvas)
    with view.page.expect_download() as svg:
        view.page.click("#export-svg")
    assert svg.value.suggested_filename == "zhipu-kg.svg"
    root = ET.fromstring(Path(svg.value.path()).read_bytes())
    ns = "{http://www.w3.org/2000/svg}"
    seen = view.js(FIRST_SIGHT_JS)
    shapes = [s for tag in ("circle", "polygon", "rect") for s in root.iter(ns + tag)]
    shapes = [s for s in shapes if s.get("data-id")]
    assert len(shapes) == len(view.js("kgExplorer.visibleNodeIds()"))
    texts = sorted(t.text or "" for t in root.iter(ns + "text"))
    drawn = view.js(
        "() => Object.values(kgExplorer.network.body.nodes)"
        ".filter(n => !n.options.hidden && n.options.label).map(n => n.options.label)"
    )
    # every label drawn (node labels, and edge labels when drawn at this zoom) and no other
    assert seen["drawn"] == len(texts) and not set(drawn) - set(texts)
    assert "唐杰" in texts
    assert [root.get("width"), root.get("height")] == [str(n) for n in seen["canvas"]]


@both
@targets
def test_the_address_records_the_view_and_reopens_it(
    opener: Any, target: str, size: tuple[int, int]
) -> None:
    view = opener(target, size)
    view.page.click("#lang-toggle")
    view.page.uncheck('input[data-class="kg:City"]')
    view.js("kgExplorer.setDate('2025-03')")
    view.click_node(RESOURCE + "TangJie")
    query = parse_qs(urlsplit(view.page.url).query)
    assert query == {
        "lang": ["en"],
        "hide": ["kg:City"],
        "date": ["2025-03"],
        "node": ["kgr:TangJie"],
    }
    again = opener(target, size, "zh", urlsplit(view.page.url).query)
    assert again.js("kgExplorer.state.lang") == "en"
    assert again.text("#lang-toggle") == "中文"
    assert again.text("#date-label") == "2025-03"
    assert not again.page.is_checked('input[data-class="kg:City"]')
    assert again.js("kgExplorer.visibleNodeIds()") == view.js("kgExplorer.visibleNodeIds()")
    assert again.text("#details-body h3") == "Tang Jie"
    assert set(again.js("kgExplorer.network.getSelectedNodes()")) == set(
        view.js("kgExplorer.network.getSelectedNodes()")
    )
    assert again.js("kgExplorer.state.selection.id") == RESOURCE + "TangJie"


@both
@targets
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_first_sight_names_every_entity_of_the_brief(
    opener: Any, target: str, size: tuple[int, int], lang: str
) -> None:
    view = opener(target, size, lang)
    seen = view.js(FIRST_SIGHT_JS)
    assert set(view.js("kgExplorer.data.first")) == set(FIRST_SIGHT)
    assert seen["firstMissing"] == [], seen
    assert seen["overlapping"] <= 0.1 * seen["drawn"], seen["overlaps"]
    assert seen["readable"] >= 40, seen["labels"]
    assert seen["topReadable"] == 15, seen["topMissing"]


def test_the_readme_shows_the_explorer_screenshot() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"!\[[^\]]*\]\(docs/explorer\.png\)", readme)
    assert _png_size((ROOT / "docs" / "explorer.png").read_bytes()) == (1280, 800)
