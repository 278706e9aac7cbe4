"""Take docs/review-desk.png from the real desk page.

A scratch data folder, the test fixture's article and draft, ``kg review`` on 127.0.0.1, and
headless Chromium at /usr/bin/chromium.

Run from the clone: ``python scripts/review_desk_screenshot.py [OUT.png]``.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "review" / "fixtures"


def main() -> None:
    """Write the screenshot."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "review-desk.png"
    kg = [sys.executable, "-m", "kg"]
    with tempfile.TemporaryDirectory(prefix="kg-desk-shot-") as folder:
        home = Path(folder)
        data = home / "data"
        subprocess.run([*kg, "init", str(data)], check=True, capture_output=True)
        text = home / "xinghe-news.txt"
        shutil.copy(FIXTURES / "xinghe-news.txt", text)
        subprocess.run(
            [
                *kg,
                "--data",
                str(data),
                "sources",
                "add",
                str(text),
                "--title",
                "智谱完成新一轮融资",
            ],
            check=True,
            capture_output=True,
        )
        drafts = data / "triples" / "drafts"
        drafts.mkdir()
        draft = drafts / "xinghe-news.trig"
        shutil.copy(FIXTURES / "xinghe-news.draft.trig", draft)
        desk = subprocess.Popen(
            [
                *kg,
                "--data",
                str(data),
                "review",
                str(draft),
                "--no-browser",
                "--user",
                "lin",
                "--text",
                str(text),
            ],
            stderr=subprocess.PIPE,
            text=True,
        )
        assert desk.stderr is not None
        url = desk.stderr.readline().split()[2]
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
                )
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(url)
                page.wait_for_selector("body[data-ready=true] article.proposal")
                page.locator("#article mark").first.click()
                page.screenshot(path=str(out), full_page=False)
                browser.close()
        finally:
            desk.send_signal(signal.SIGINT)
            desk.wait(timeout=60)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
