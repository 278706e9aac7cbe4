"""Headless Chromium for the browser tests: one place that finds it, launches it and says why not.

Every browser test drives the real ``/usr/bin/chromium`` through Playwright (never a browser
Playwright downloads). Where Chromium or Playwright is absent the test is skipped saying why,
and fails under CI, which installs both (``bash scripts/install-browser.sh``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
QUIET = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
"""Flags every launch gets: no sandbox (containers) and no traffic of Chromium's own."""
CANVAS_2D = ["--disable-gpu"]
"""For pages that draw on a 2D canvas (vis-network, the query page)."""
SOFTWARE_WEBGL = ["--use-angle=swiftshader", "--enable-unsafe-swiftshader"]
"""For pages that draw with WebGL (sigma.js): SwiftShader renders it without a GPU."""


def require_chromium() -> None:
    """Skip (fail under CI) unless Chromium and Playwright are both present."""
    reason = ""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "playwright is not installed (pip install playwright)"
    if not reason and not CHROMIUM.is_file():
        reason = "no /usr/bin/chromium (bash scripts/install-browser.sh)"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI installs it")
        pytest.skip(reason)


@contextmanager
def launch_chromium(*, webgl: bool = False) -> Iterator[Any]:
    """A running headless Chromium, closed on exit.

    Args:
        webgl: Render WebGL in software instead of disabling the GPU.

    Yields:
        Playwright's ``Browser``.
    """
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=QUIET + (SOFTWARE_WEBGL if webgl else CANVAS_2D),
        )
        try:
            yield browser
        finally:
            browser.close()
