"""The journalist's desk in headless Chromium against a real ``kg serve``, at 1280×800 and
1920×1080: results with their evidence where a person reads them, one label column per
language, examples by theme, the question box, the XLSX download and entity pages grouped by
kind. Each test keeps a screenshot in ``artifacts/`` (the README shows the 1280×800 ones, copied
to ``docs/``)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kg_server import RunningServer

ROOT = Path(__file__).resolve().parents[2]
SIZES = [(1280, 800), (1920, 1080)]
APRIL = "4月,拿下了北京市人工智能产业投资基金的2亿追加投资"


class Desk:
    """One page in a fresh browser context of a given size."""

    def __init__(self, browser: Any, server: RunningServer, size: tuple[int, int]) -> None:
        self.server = server
        self.size = size
        self.context = browser.new_context(
            accept_downloads=True, viewport={"width": size[0], "height": size[1]}
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, address: str = "/") -> None:
        self.page.goto(self.server.base + address)
        self.page.wait_for_selector("body[data-ready=true]")

    def wait_rows(self) -> None:
        self.page.wait_for_selector("body:not([data-running])", state="attached")
        self.page.wait_for_selector("#results tbody tr.row")

    def headers(self) -> list[str]:
        return [h.strip() for h in self.page.locator("#results th").all_inner_texts()]

    def shot(self, name: str) -> Path:
        out = ROOT / "artifacts" / f"{name}-{self.size[0]}x{self.size[1]}.png"
        out.parent.mkdir(exist_ok=True)
        self.page.screenshot(path=str(out))
        assert out.stat().st_size > 30_000
        return out

    def close(self) -> None:
        own = self.server.base + "/"
        assert [u for u in self.requests if not u.startswith((own, "blob:", "data:"))] == []
        assert self.errors == []
        self.context.close()


@pytest.fixture(params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def desk(request: pytest.FixtureRequest, browser: Any, server: RunningServer) -> Iterator[Desk]:
    opened = Desk(browser, server, request.param)
    yield opened
    opened.close()


def test_funding_timeline_reads_with_its_evidence_under_each_row(desk: Desk) -> None:
    desk.open("/?named=funding_timeline&lang=zh")
    desk.wait_rows()
    headers = desk.headers()
    assert "?investor" in headers  # who put the money in
    assert not any(h.endswith(("_en", "_zh")) for h in headers)  # one label column, no repeats
    assert "?quote" not in headers  # the quote is under its row, not the 14th column
    investors = desk.page.inner_text("#results tbody")
    assert "北京市人工智能产业投资基金" in investors and "珠海国资平台" in investors
    quote = desk.page.locator("#results tr.detail blockquote", has_text=APRIL).first
    box = quote.bounding_box()
    assert box is not None and box["width"] > 300  # read in a line, not four characters a line
    hover = quote.get_attribute("title") or ""  # found by its words: the query gives no offsets
    assert "字符 161–187" in hover and "ev:funding-2025-04" in hover
    for figure in desk.page.locator("#results .literal.atomic").all():  # never split
        assert figure.evaluate("e => e.getClientRects().length") == 1
    assert "2025-04" in investors and "200,000,000" in investors  # as the CLI writes them
    table = desk.page.evaluate(
        "() => { const r = document.getElementById('results');"
        " return [r.querySelector('table').scrollWidth, r.clientWidth]; }"
    )
    assert table[0] <= table[1]  # no sideways scrolling to reach a column
    if desk.size == (1280, 800):
        desk.shot("query-results")
    desk.page.click("#lang")
    headers = desk.headers()
    assert not any(h.endswith(("_en", "_zh")) for h in headers)
    assert "Beijing AI Industry Investment Fund" in desk.page.inner_text("#results tbody")


def test_offsets_and_source_on_hover_and_cited_rows_show_their_report(desk: Desk) -> None:
    desk.open("/?named=evidence_for_entity&p.entity=kgr%3AZhipu&lang=zh")
    desk.wait_rows()
    quoted = desk.page.locator("#results .evidence.quoted blockquote").first
    hover = quoted.get_attribute("title") or ""
    assert "字符" in hover and "–" in hover  # the offsets
    cited = desk.page.locator("#results .evidence.cited .where").first
    text = cited.inner_text()
    assert (
        "公开报道引用" in text and "2025-03-03" in text and "paragraph" in text
    )  # report, locator
    assert desk.page.locator("#results .evidence.cited blockquote").count() == 0  # no words copied


def test_examples_are_grouped_by_theme_and_searchable(desk: Desk) -> None:
    desk.open()
    themes = desk.page.locator("#named details").evaluate_all("ds => ds.map(d => d.dataset.theme)")
    assert themes[:5] == ["money", "people", "technology", "argument", "sources"]
    money = desk.page.locator("#named details[data-theme=money] button")
    names = money.evaluate_all("bs => bs.map(b => b.dataset.name)")
    assert "funding_timeline" in names and "funding_by_city" in names
    desk.page.fill("#example-search", "出处")
    shown = desk.page.locator("#named button").evaluate_all("bs => bs.map(b => b.dataset.name)")
    assert "evidence_for_entity" in shown and "model_lineage" not in shown
    desk.page.fill("#example-search", "lineage")
    assert desk.page.locator("#named button").evaluate_all("bs => bs.map(b => b.dataset.name)") == [
        "model_lineage"
    ]


def test_the_question_box_suggests_routes_and_answers_with_evidence(desk: Desk) -> None:
    desk.open()
    desk.page.click("#ask")
    desk.page.keyboard.type("谁投资")
    desk.page.wait_for_selector("#ask-suggestions button.phrase:has-text('谁投资了智谱')")
    desk.page.fill("#ask", "誰投資了智譜?")  # Traditional, with a full-width question mark
    desk.page.press("#ask", "Enter")
    desk.page.wait_for_selector("#ask-said[data-query=funding_timeline]")
    desk.wait_rows()
    assert desk.page.locator("#named button.current").get_attribute("data-name") == (
        "funding_timeline"
    )
    assert desk.page.locator("#results tr.detail blockquote", has_text=APRIL).count() >= 1
    if desk.size == (1280, 800):
        desk.page.fill("#ask", "智谱的融")
        desk.page.wait_for_selector("#ask-suggestions:not([hidden])")
        desk.shot("ask-box")
    desk.page.fill("#ask", "did Beijing invest in Zhipu")
    desk.page.press("#ask", "Enter")
    desk.page.wait_for_selector("#ask-said[data-query=zhipu_funded_from_city]")
    desk.page.wait_for_selector("body:not([data-running])", state="attached")
    assert desk.page.input_value("#params input[name=city]").lower() == "beijing"


def test_a_question_no_phrase_matches_shows_the_closest_phrases(desk: Desk) -> None:
    desk.open("/?lang=en")
    desk.page.fill("#ask", "what colour is the sky above zhipu")
    desk.page.press("#ask", "Enter")
    desk.page.wait_for_selector("#ask-said.miss")
    assert "No phrase matches" in desk.page.inner_text("#ask-said")
    desk.page.wait_for_selector("#ask-suggestions:not([hidden])")
    offered = desk.page.locator("#ask-suggestions button.phrase")
    assert 1 <= offered.count() <= 5
    first = offered.first
    query = first.get_attribute("data-query")
    if "{" not in first.inner_text():
        first.click()
        desk.page.wait_for_selector(f"#ask-said[data-query={query}]")


def test_results_download_as_xlsx_with_every_quote(desk: Desk) -> None:
    from openpyxl import load_workbook

    desk.open("/?named=funding_timeline")
    desk.wait_rows()
    with desk.page.expect_download() as download:
        desk.page.click("#download-xlsx")
    assert download.value.suggested_filename == "funding_timeline.xlsx"
    data = Path(download.value.path()).read_bytes()
    rows = list(load_workbook(io.BytesIO(data))["results"].iter_rows(values_only=True))
    column = list(rows[0]).index("quote")
    assert APRIL in {row[column] for row in rows[1:]}
    shown = desk.page.locator("#results tbody tr.row").count()
    assert len(rows) - 1 == shown


def test_entity_page_groups_facts_by_kind_with_their_fields(desk: Desk) -> None:
    desk.page.goto(desk.server.base + "/entity/Zhipu")
    kinds = desk.page.locator("details.kind").evaluate_all("ds => ds.map(d => d.dataset.kind)")
    assert kinds[0] == "funding" and "claims_about" in kinds and kinds[-1] == "names"
    funding = desk.page.locator("details.kind[data-kind=funding]")
    april = funding.locator("tr", has_text="北京市人工智能产业投资基金追加投资").first
    fields = april.locator("ul.fields").inner_text()
    assert "投资方 · investor" in fields and "北京市人工智能产业投资基金" in fields
    assert "2亿" in fields and "2025-04" in fields  # amount as written, date
    assert APRIL in april.inner_text()  # and its quote
    for group in desk.page.locator("details.kind").all():  # curated rows last in every group
        tiers = group.locator("tbody tr").evaluate_all("rs => rs.map(r => r.className)")
        curated = [t == "curated" for t in tiers]
        assert curated == sorted(curated)
    table = funding.locator("table.facts")
    assert table.is_visible()
    funding.locator("summary").click()  # a group closes
    assert not table.is_visible()
    funding.locator("summary").click()
    if desk.size == (1280, 800):
        desk.shot("entity-page")
    claims_by = desk.page.goto(desk.server.base + "/entity/TangJie")
    assert claims_by is not None and claims_by.status == 200
    assert desk.page.locator("details.kind[data-kind=claims_by] tbody tr").count() >= 1


def test_a_column_no_row_fills_is_left_out_and_named(desk: Desk) -> None:
    desk.open("/?named=sensetime_market_value&lang=en")
    desk.wait_rows()
    assert "?min_value" not in desk.headers()
    assert "?min_value" in desk.page.inner_text("#results .empty-columns")


def test_a_question_shared_as_a_link_is_asked_on_opening(desk: Desk) -> None:
    desk.open("/?ask=" + "谁给智谱投了钱")
    desk.page.wait_for_selector("#ask-said[data-query=funding_timeline]")
    desk.wait_rows()
    assert desk.page.input_value("#ask") == "谁给智谱投了钱"
    assert "named=funding_timeline" in desk.page.url  # the address now reopens the answer


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_named_query_fits_a_1280_pixel_screen(
    lang: str, browser: Any, server: RunningServer
) -> None:
    from kg.query.catalogue import load_catalogue

    desk = Desk(browser, server, (1280, 800))
    overflowing, drawn = [], 0
    for name in sorted(load_catalogue()):
        desk.open(f"/?named={name}&lang={lang}")
        desk.page.wait_for_selector("body:not([data-running])", state="attached")
        if desk.page.locator("#results table").count() == 0:
            continue  # a query that waits for its parameter draws no table yet
        drawn += 1
        width, room = desk.page.evaluate(
            "() => { const r = document.getElementById('results');"
            " return [r.querySelector('table').scrollWidth, r.clientWidth]; }"
        )
        if width > room:
            overflowing.append(f"{name}: {width} px in {room} px")
    desk.close()
    assert drawn >= 28
    assert overflowing == []  # no sideways scrolling to reach a column of any named query
