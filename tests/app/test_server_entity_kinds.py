"""Entity pages grouped by kind, read as HTML from the app (the browser test looks at them)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from kg.server.app import App, ServerConfig
from kg.server.build import create_app
from kg.server.messages import Request


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    made = create_app(ServerConfig(workers=1, timeout=20))
    made.allow("127.0.0.1", 8000)
    try:
        yield made
    finally:
        made.pool.close()


def page(app: App, name: str) -> str:
    headers = {"host": "127.0.0.1:8000", "accept": "text/html"}
    response = app.handle(Request("GET", "/entity/" + name, headers, b"", "127.0.0.1"))
    assert response.status == 200, response.body
    return response.body.decode("utf-8")


def test_an_authors_claims_are_grouped_with_text_and_translation_told_apart(app: App) -> None:
    html = page(app, "ErLing")
    kinds = re.findall(r'<details class="kind" data-kind="(\w+)"', html)
    assert kinds[0] == "claims_by"
    first = html.split('<tr class="quoted">', 2)[1]
    assert '<span lang="zh">原话</span>' in first
    assert "英译(整理)· English translation (ours)" in first
    assert first.index("原话") < first.index("英译(整理)")  # the words, then ours


def test_zhipu_funding_comes_first_dated_with_investors(app: App) -> None:
    html = page(app, "Zhipu")
    funding = html.split('data-kind="funding"', 1)[1].split("</details>", 1)[0]
    rows = funding.split("<tr class=")[1:]
    assert rows[0].startswith('"quoted"') and "2021-12" in rows[0]  # the Series A, dated first
    beijing = next(r for r in rows if "北京市人工智能产业投资基金追加投资" in r)
    assert '投资方</span> · <span lang="en">investor' in beijing
    assert "2025-04" in beijing and "2亿" in beijing
