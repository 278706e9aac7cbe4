"""The overview ``kg serve`` sends while it builds the projection, drawn from the store's outline.

In headless Chromium (WebGL in software), all network blocked: the page the large view's own
script draws from :func:`kg.explore.sketch.outline_html`, on ~2,500 synthetic nodes, says it is
an outline, and its search, selection, language toggle and path panel work on what it holds.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kg
from kg.explore.sketch import outline_html
from kg.network.outline import outline
from kg.network.paths import PANEL_TEXT

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import synthetic
from chromium import launch_chromium
from explorer_opened import open_explorer


@pytest.fixture(scope="module")
def outline_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = synthetic.write_data_folder(tmp_path_factory.mktemp("syn") / "data", 4_500)
    path = folder.parent / "outline.html"
    engine = kg.load(folder).engine
    path.write_text(outline_html(outline(engine), lang="zh", title="t"), encoding="utf-8")  # type: ignore[arg-type]
    return path


@pytest.fixture(scope="module")
def page(outline_file: Path) -> Iterator[Any]:
    with launch_chromium(webgl=True) as browser:
        yield from open_explorer(browser, outline_file.as_uri(), outline_file.as_uri())


def test_the_outline_is_drawn_and_says_what_it_is(page: Any) -> None:
    assert page.evaluate("kgExplorer.graph.order") > 2_000
    assert page.evaluate("kgExplorer.pixels()") > 1_000
    assert "轮廓" in page.text_content("#notice")
    page.click("#lang-toggle")
    assert "outline" in page.text_content("#notice")
    page.click("#lang-toggle")


def test_a_node_found_shows_its_relations_without_quotes(page: Any) -> None:
    name = page.evaluate("kgExplorer.data.en.find((n) => n.startsWith('Company'))")
    page.fill("#search", name)
    page.press("#search", "Enter")
    assert page.text_content("#details-body h3") == name.replace("Company ", "公司")
    assert "投资" in page.text_content("#details-body")  # its funding, as a relation
    assert page.locator("#details-body blockquote").count() == 0  # no quote yet


def test_the_path_panel_finds_no_path_without_evidence(page: Any) -> None:
    page.evaluate("kgExplorer.showPath('State platform 1', 'State platform 2')")
    assert PANEL_TEXT["zh"]["none"] in page.text_content("#details-body")
    assert page.evaluate("kgExplorer.state.path.edges.size") == 0
