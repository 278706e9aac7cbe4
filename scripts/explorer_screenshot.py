"""Take docs/explorer.png from the real explorer's first view.

``kg viz`` writes the explorer of the shipped data to a scratch file; headless Chromium at
/usr/bin/chromium opens it at 1280×800 and, once the explorer says it is ready, takes the
picture as a person first sees it (no click).

Run from the clone: ``python scripts/explorer_screenshot.py [OUT.png]``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SIZE = {"width": 1280, "height": 800}


def main() -> None:
    """Write the screenshot."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "explorer.png"
    with tempfile.TemporaryDirectory(prefix="kg-explorer-shot-") as folder:
        page_file = Path(folder) / "explorer.html"
        subprocess.run(
            [sys.executable, "-m", "kg", "viz", "-o", str(page_file)],
            check=True,
            capture_output=True,
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport=SIZE)
            page.goto(page_file.as_uri())
            for _ in range(600):
                if page.evaluate("Boolean(window.kgExplorer && window.kgExplorer.ready)"):
                    break
                page.wait_for_timeout(100)
            else:
                raise SystemExit("the explorer was not ready after 60 s")
            page.screenshot(path=str(out))
            browser.close()
    print(f"{out}: the explorer's first view at {SIZE['width']}×{SIZE['height']}")


if __name__ == "__main__":
    main()
