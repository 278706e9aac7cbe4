"""An explorer page (either renderer) opened in headless Chromium for a test, network refused.

Shared by the large view's and the outline's browser tests (``tests/browser/``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def open_explorer(browser: Any, address: str, allowed: str) -> Iterator[Any]:
    """The page at ``address`` once ready, every request outside ``allowed`` refused and recorded.

    A generator: the first ``next`` opens the page; the second checks that it tried no network
    and raised no error, and closes it.
    """
    requests: list[str] = []
    errors: list[str] = []
    opened = browser.new_page(viewport={"width": 1400, "height": 900})

    def route(handle: Any) -> None:
        if handle.request.url.startswith(allowed):
            handle.continue_()
        else:
            requests.append(handle.request.url)
            handle.abort()

    opened.route("**/*", route)
    opened.on("pageerror", lambda err: errors.append(str(err)))
    opened.goto(address, timeout=120_000)
    # polled from here: the page's Content-Security-Policy refuses wait_for_function's eval
    for _ in range(600):
        if opened.evaluate("Boolean(window.kgExplorer && window.kgExplorer.ready)"):
            break
        opened.wait_for_timeout(100)
    else:
        raise AssertionError(f"the explorer was not ready after 60 s: {errors}")
    yield opened
    assert requests == [], f"the page tried the network: {requests}"
    assert errors == [], errors
    opened.close()
