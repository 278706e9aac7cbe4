"""The explorer's date slider reads when a fact was reported as ``--as-of`` does (Chromium).

At a day before the fixture report was surely published the report's listing is hidden and the
article's plan shown; after it, both are shown; ``kg viz --as-of`` draws the same facts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from dated_fixture import make_dated_data

LISTING = "kgr:Zhipu-Listing-test"
PLAN = "kgr:Zhipu-IPOPlan"


@pytest.fixture
def dated_data(tmp_path: Path) -> Path:
    """The data folder with a dated fixture report (see ``dated_fixture``)."""
    return make_dated_data(tmp_path)


def viz(data: Path, out: Path, *extra: str) -> Path:
    done = subprocess.run(
        [sys.executable, "-m", "kg", "--data", str(data), "viz", "-o", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return out


class Explorer:
    """One explorer page, opened from disk; every request off the disk is refused."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("file://") else route.abort()
            ),
        )
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.page.goto(path.as_uri())
        for _ in range(600):  # polled from Python: the page's CSP refuses string evaluation
            if self.page.evaluate("Boolean(window.kgExplorer && window.kgExplorer.ready)"):
                break
            self.page.wait_for_timeout(100)
        else:
            raise AssertionError(f"the explorer was not ready: {self.errors}")

    def facts_shown(self) -> set[str]:
        """The facts the timeline lists as known and happened (not marked future)."""
        return set(
            self.page.evaluate(
                "[...document.querySelectorAll('#timeline li:not(.future)')]"
                ".map(li => li.dataset.fact)"
            )
        )

    def edges_shown(self) -> set[str]:
        """The facts with a visible edge."""
        return set(
            self.page.evaluate(
                "kgExplorer.data.edges.filter(e => e.fact && !kgExplorer.edges.get(e.id).hidden)"
                ".map(e => e.fact)"
            )
        )

    def set_date(self, day: str | None) -> None:
        self.page.evaluate("d => kgExplorer.setDate(d)", day)


def test_the_slider_shows_the_graph_as_known_then(
    browser: Any, dated_data: Path, tmp_path: Path
) -> None:
    page = Explorer(browser, viz(dated_data, tmp_path / "all.html"))
    try:
        reported = page.page.evaluate("kgExplorer.data.quotes['ev:report-test-listing'].reported")
        assert reported == "2026-01-31"  # the month counts from its last day
        assert {LISTING, PLAN} <= page.facts_shown()
        assert LISTING in page.edges_shown()
        page.set_date("2025-07-01")
        july = page.facts_shown()
        assert PLAN in july and LISTING not in july
        assert LISTING not in page.edges_shown()
        page.set_date("2026-01-15")  # the month of the report, before its last day
        assert LISTING not in page.facts_shown() and LISTING not in page.edges_shown()
        page.set_date("2026-02-01")
        assert {LISTING, PLAN} <= page.facts_shown() and LISTING in page.edges_shown()
        assert page.errors == []
    finally:
        page.page.close()
    # kg viz --as-of draws the facts the slider shows at that day
    as_of = Explorer(browser, viz(dated_data, tmp_path / "july.html", "--as-of", "2025-07-01"))
    try:
        drawn = as_of.facts_shown()
        assert PLAN in drawn and LISTING not in drawn and LISTING not in as_of.edges_shown()
    finally:
        as_of.page.close()
