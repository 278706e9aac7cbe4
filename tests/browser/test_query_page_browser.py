"""The query page at YASGUI's level, in headless Chromium against a real ``kg serve``: share
links, history, sorting, filtering, paging, readable values, the error marker, autocompletion
and the download links."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kg_server import RunningServer

NUMBERS = "SELECT ?n WHERE { VALUES ?n { 3 10 2 } }"
MANY = "SELECT ?n WHERE { VALUES ?n { " + " ".join(str(i) for i in range(1, 121)) + " } }"
MONEY = """SELECT ?event ?amount ?currency WHERE {
  ?event kg:amount ?a . ?a schema:value ?amount ; schema:currency ?currency .
} ORDER BY ?amount"""
QUOTES = "SELECT ?s ?quote WHERE { ?s oa:exact ?quote } ORDER BY DESC(STRLEN(?quote)) LIMIT 5"
BROKEN = "SELECT ?x WHERE {\n  ?x a kg:Company .\n  FILTER( }"


class Tab:
    """The query page in a fresh browser context (its own localStorage)."""

    def __init__(self, browser: Any, server: RunningServer) -> None:
        self.server = server
        self.context = browser.new_context(accept_downloads=True)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, address: str = "/") -> None:
        self.page.goto(self.server.base + address)
        self.page.wait_for_selector("body[data-ready=true]")

    def run(self, text: str) -> None:
        self.page.evaluate(
            "t => document.querySelector('.CodeMirror').CodeMirror.setValue(t)", text
        )
        self.page.click("#run")
        self.page.wait_for_selector("body:not([data-running])", state="attached")

    def column(self, index: int = 0) -> list[str]:
        cells = self.page.locator(f"#results tbody tr.row td:nth-child({index + 1})")
        return [c.strip() for c in cells.all_inner_texts()]

    def close(self) -> None:
        own = self.server.base + "/"
        assert [u for u in self.requests if not u.startswith((own, "blob:", "data:"))] == []
        assert self.errors == []
        self.context.close()


@pytest.fixture
def tab(browser: Any, server: RunningServer) -> Iterator[Tab]:
    opened = Tab(browser, server)
    yield opened
    opened.close()


def test_share_link_reopens_and_runs_the_query(tab: Tab, browser: Any) -> None:
    tab.open()
    tab.run(NUMBERS)
    assert tab.column() == ["3", "10", "2"]
    link = tab.page.get_attribute("#share", "href")
    assert link is not None and "query=" in link
    assert tab.page.url.endswith(link)  # the address bar carries the query too
    other = Tab(browser, tab.server)
    other.open(link)
    other.page.wait_for_selector("#results tbody tr")
    assert other.column() == ["3", "10", "2"]
    editor_text = "document.querySelector('.CodeMirror').CodeMirror.getValue()"
    assert other.page.evaluate(editor_text) == NUMBERS
    other.close()


def test_named_query_share_link_keeps_its_parameters(tab: Tab, browser: Any) -> None:
    tab.open()
    tab.page.click("#named button[data-name=evidence_for_entity]")
    tab.page.wait_for_selector("#params input")
    tab.page.fill("#params input[name=entity]", "kgr:TangJie")
    tab.page.click("#run")
    tab.page.wait_for_selector("#results tbody tr")
    link = tab.page.get_attribute("#share", "href") or ""
    assert "named=evidence_for_entity" in link and "TangJie" in link
    other = Tab(browser, tab.server)
    other.open(link)
    other.page.wait_for_selector("#results tbody tr")
    assert other.page.input_value("#params input[name=entity]") == "kgr:TangJie"
    assert other.column() == tab.column()
    other.close()


def test_history_is_kept_in_local_storage_and_reruns(tab: Tab) -> None:
    tab.open()
    tab.run(NUMBERS)
    tab.run(MONEY)
    tab.open()
    assert tab.page.locator("#history li").count() == 2
    tab.page.click("#history li:nth-child(2) a")
    tab.page.wait_for_selector("#results tbody tr")
    assert tab.column() == ["3", "10", "2"]


def test_columns_sort_numerically_both_ways(tab: Tab) -> None:
    tab.open()
    tab.run(NUMBERS)
    tab.page.click("#results th[data-var=n]")
    assert tab.column() == ["2", "3", "10"]
    tab.page.click("#results th[data-var=n]")
    assert tab.column() == ["10", "3", "2"]


def test_large_results_are_paged_and_filtered(tab: Tab) -> None:
    tab.open()
    tab.run(MANY)
    assert len(tab.column()) == 50
    tab.page.click("#results .pager .next")
    assert tab.column()[0] == "51"
    tab.page.fill("#results .filter", "11")
    assert tab.column() == [
        "11",
        "110",
        "111",
        "112",
        "113",
        "114",
        "115",
        "116",
        "117",
        "118",
        "119",
    ]


def test_values_are_readable_and_quotes_wrap(tab: Tab) -> None:
    tab.open()
    tab.run(MONEY)
    amounts = tab.column(1)  # the figure as the CLI writes it, read out in words beside it
    assert "1,800,000,000 18亿元" in amounts and "300,000,000 3亿美元" in amounts
    assert "131.5" in amounts  # small sums need no reading
    assert "xsd:decimal" not in tab.page.inner_text("#results")
    raw = tab.page.get_attribute("#results tbody tr td:nth-child(2) .literal", "title") or ""
    assert "xsd:decimal" in raw  # the exact value stays on hover
    tab.page.click("#lang")
    assert "1,800,000,000 CN¥1.8B" in tab.column(1)
    tab.run(QUOTES)
    wide = tab.page.evaluate(
        "() => { const r = document.getElementById('results');"
        " return [r.querySelector('table').scrollWidth, r.clientWidth]; }"
    )
    assert wide[0] <= wide[1]


def test_syntax_error_is_marked_at_its_line_and_column(tab: Tab) -> None:
    tab.open()
    tab.page.evaluate("t => document.querySelector('.CodeMirror').CodeMirror.setValue(t)", BROKEN)
    tab.page.click("#run")
    tab.page.wait_for_selector("#error:not([hidden])")
    assert "line 3, column" in tab.page.inner_text("#error")
    assert tab.page.locator(".CodeMirror .error-mark").count() == 1
    where = tab.page.evaluate(
        "() => document.querySelector('.CodeMirror').CodeMirror.getAllMarks()[0].find().from"
    )
    assert where["line"] == 2
    assert tab.page.locator(".CodeMirror .error-gutter").count() == 1
    tab.run(NUMBERS)
    assert tab.page.locator(".CodeMirror .error-mark").count() == 0


def test_autocompletion_offers_kg_company_after_kg_com(tab: Tab) -> None:
    tab.open()
    tab.page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.setValue('')")
    tab.page.click(".CodeMirror-code")
    tab.page.keyboard.type("SELECT * WHERE { ?x a kg:Com")
    tab.page.wait_for_selector("#completions:not([hidden])")
    offered = tab.page.locator("#completions li").evaluate_all("ls => ls.map(l => l.dataset.text)")
    assert "kg:Company" in offered
    company = tab.page.inner_text("#completions li[data-text='kg:Company']")
    assert "公司" in company and "Company" in company  # with its zh/en labels
    tab.page.locator("#completions li[data-text='kg:Company']").dispatch_event("mousedown")
    value = tab.page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert value == "SELECT * WHERE { ?x a kg:Company"
    tab.page.keyboard.type(" . ?x kg:investor 智谱")  # an entity name offers its kgr: IRI
    tab.page.wait_for_selector("#completions li[data-text='kgr:Zhipu']")


def test_download_links_return_the_w3c_formats(tab: Tab) -> None:
    tab.open()
    tab.run(NUMBERS)
    bodies = {}
    for kind in ("json", "csv", "tsv", "xml"):
        with tab.page.expect_download() as download:
            tab.page.click(f"#download-{kind}")
        bodies[kind] = Path(download.value.path()).read_text(encoding="utf-8")
        assert download.value.suggested_filename == f"results.{kind}"
    parsed = json.loads(bodies["json"])
    assert parsed["head"]["vars"] == ["n"]
    assert [b["n"]["value"] for b in parsed["results"]["bindings"]] == ["3", "10", "2"]
    assert bodies["csv"].splitlines() == ["n", "3", "10", "2"]
    assert bodies["tsv"].splitlines()[0] == "?n"
    assert 'xmlns="http://www.w3.org/2005/sparql-results#"' in bodies["xml"]
