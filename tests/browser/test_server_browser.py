"""The query page in headless Chromium (Debian's, driven by Playwright): it runs named queries,
links entities, stays on its own server, and shows hostile labels as text.

Needs ``/usr/bin/chromium`` (``bash scripts/install-browser.sh``) and the ``playwright`` package;
without them the tests are skipped, loudly, and in CI (``$CI`` set) they fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import replace_in
from kg_server import RunningServer, start

HOSTILE = "<img src=x onerror=window.__xss=1>"


@pytest.fixture
def hostile_server(data_copy: Path, tmp_path: Path) -> Iterator[RunningServer]:
    """A server whose data labels kgr:Zhipu with an HTML payload."""
    label = HOSTILE.replace('"', '\\"')
    replace_in(data_copy / "triples" / "entities.trig", '"智谱"@zh', f'"{label}"@zh')
    running = start([], tmp_path / "stderr.log", data=data_copy)
    yield running
    running.stop()


class Page:
    """A browser page that records every request it makes and every script error."""

    def __init__(self, browser: Any, server: RunningServer) -> None:
        self.server = server
        self.page = browser.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def outside(self) -> list[str]:
        """Requests that went anywhere but the server (or in-page blob:/data: URLs)."""
        own = self.server.base + "/"
        return [u for u in self.requests if not u.startswith((own, "blob:", "data:"))]

    def open_query_page(self) -> None:
        self.page.goto(self.server.base + "/")
        self.page.wait_for_selector("body[data-ready=true]")

    def run_text(self, text: str) -> None:
        self.page.evaluate(
            "text => document.querySelector('.CodeMirror').CodeMirror.setValue(text)", text
        )
        self.page.click("#run")
        self.page.wait_for_selector("#results table tbody tr")


def test_named_query_rows_entity_link_and_no_outside_request(
    browser: Any, server: RunningServer
) -> None:
    tab = Page(browser, server)
    tab.open_query_page()
    assert tab.page.locator(".CodeMirror").count() == 1  # the syntax-aware editor loaded
    button = tab.page.locator("#named button[data-name=funding_by_city]")
    assert (
        "各城市国资入股智谱" in button.inner_text()
        and "State capital by city" in button.inner_text()
    )
    button.click()
    tab.page.wait_for_selector("#results table tbody tr")
    rows = tab.page.locator("#results tbody tr.row")
    assert rows.count() == 8  # four cities the article quotes, with the reports that cite them
    assert "北京" in tab.page.inner_text("#results")  # labels in Chinese by default
    assert "上海" in tab.page.inner_text("#results")  # Shanghai's money: a report, cited
    tab.page.click("#lang")
    assert "Beijing" in tab.page.inner_text("#results")  # and in English after the toggle
    with tab.page.expect_download() as download:
        tab.page.click("#download-csv")
    assert Path(download.value.path()).read_text(encoding="utf-8").startswith("city,")
    link = tab.page.locator("#results a[href^='/entity/']").first
    href = link.get_attribute("href")
    link.click()
    tab.page.wait_for_load_state()
    assert tab.page.url == server.base + href
    assert tab.page.locator("h1").count() == 1
    assert tab.page.locator("table.facts blockquote").count() >= 1  # evidence quotes
    tab.page.click("text=在关系图中查看")
    tab.page.wait_for_load_state()
    assert "/explore?focus=" in tab.page.url
    tab.page.wait_for_selector("canvas")  # its inline scripts ran under the hash-based CSP
    assert tab.outside() == []
    assert tab.errors == []
    tab.page.close()


def test_errors_are_shown_in_place(browser: Any, server: RunningServer) -> None:
    tab = Page(browser, server)
    tab.open_query_page()
    tab.page.evaluate(
        "() => document.querySelector('.CodeMirror').CodeMirror.setValue('SELECT * {')"
    )
    tab.page.click("#run")
    tab.page.wait_for_selector("#error:not([hidden])")
    assert "line 1, column" in tab.page.inner_text("#error")
    # no navigation: the page stays, its address now carries the query (a share link)
    assert tab.page.url.startswith(server.base + "/?query=SELECT")
    tab.page.close()


def test_syntax_error_names_the_prefix_and_the_editor_marks_the_spot(
    browser: Any, server: RunningServer
) -> None:
    tab = Page(browser, server)
    tab.open_query_page()
    tab.page.evaluate(
        "t => document.querySelector('.CodeMirror').CodeMirror.setValue(t)",
        "SELECT * WHERE {\n  ?x foaf:name ?n }",
    )
    tab.page.click("#run")
    tab.page.wait_for_selector("#error:not([hidden])")
    shown = tab.page.inner_text("#error")
    assert "line 2, column 6: unknown prefix foaf: — declare it with PREFIX foaf: <…>" in shown
    assert "Prefix not found" not in shown and "\\u{" not in shown
    mark = tab.page.locator(".CodeMirror .error-mark")
    assert mark.count() == 1 and mark.inner_text() == "f"
    assert tab.errors == []
    tab.page.close()


def test_hostile_label_shows_as_text_and_runs_nothing(
    browser: Any, hostile_server: RunningServer
) -> None:
    tab = Page(browser, hostile_server)
    tab.open_query_page()
    tab.run_text(
        "SELECT ?entity ?label WHERE { BIND(kgr:Zhipu AS ?entity) ?entity rdfs:label ?label }"
    )
    table = tab.page.inner_text("#results")
    assert HOSTILE in table  # both as the literal and as the link's label
    assert tab.page.locator("#results img").count() == 0
    tab.page.click("#results a[href='/entity/Zhipu']")
    tab.page.wait_for_load_state()
    assert HOSTILE in tab.page.inner_text("h1")
    assert tab.page.locator("img").count() == 0
    tab.page.goto(hostile_server.base + "/explore?focus=Zhipu")
    tab.page.wait_for_load_state()
    assert tab.page.locator("img[src=x]").count() == 0
    assert tab.page.evaluate("() => window.__xss") is None
    assert not any(url.endswith("/x") for url in tab.requests)
    assert tab.outside() == []
    tab.page.close()


def test_explore_first_sight_is_readable(browser: Any, server: RunningServer) -> None:
    """The served explorer's opening view, measured as tests/browser/first_sight.js measures it."""
    measure = (Path(__file__).parent / "first_sight.js").read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.base + "/explore")
    for _ in range(300):
        if page.evaluate("() => Boolean(window.kgExplorer && window.kgExplorer.ready)"):
            break
        page.wait_for_timeout(100)
    seen = page.evaluate(measure)
    page.close()
    assert errors == []
    assert seen["readable"] >= 15, seen["labels"]
    assert seen["overlapping"] <= 0.1 * seen["readable"], seen
    assert max(seen["spanX"], seen["spanY"]) >= 0.7, seen
    assert seen["topReadable"] == 15, seen["topMissing"]  # the 15 most central
