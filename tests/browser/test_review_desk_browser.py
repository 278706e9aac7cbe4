"""The review desk in headless Chromium against a real ``kg review`` process: a draft becomes
reviewed facts that the named queries, the explorer and ``kg validate`` see, and undo restores
every file byte for byte."""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import kg
from kg.data.paths import DataLayout
from kg.data.sources import add_source

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "review" / "fixtures"
P = "draft-cd35c5bb-"
KG = [sys.executable, "-m", "kg"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*KG, *args], capture_output=True, text=True, env=ENV, timeout=300, check=False
    )


def _desk(root: Path, draft: Path, text: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            *KG,
            "--data",
            str(root),
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
        env=ENV,
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    assert line.startswith("review desk: http://127.0.0.1:"), line
    return process, line.split()[2]


def _close(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)
    process.wait(timeout=60)
    if process.stderr is not None:
        process.stderr.close()


def _decided(page: Any, expected: str) -> None:
    page.wait_for_selector("body:not([data-busy])", timeout=180_000)
    status = page.locator("#status")
    assert status.get_attribute("class") != "error", status.inner_text()
    assert status.inner_text().startswith(expected), status.inner_text()


def test_a_draft_reviewed_in_the_browser_becomes_facts_and_undo_restores_it(
    browser: Any, data_copy: Path, tmp_path: Path
) -> None:
    text = tmp_path / "xinghe-news.txt"
    shutil.copy(FIXTURES / "xinghe-news.txt", text)
    add_source(DataLayout(data_copy), text, title="智谱完成新一轮融资", date="2026-03-16")
    (data_copy / "triples" / "drafts").mkdir()
    draft = data_copy / "triples" / "drafts" / "xinghe-news.draft.trig"
    shutil.copy(FIXTURES / "xinghe-news.draft.trig", draft)
    original = draft.read_bytes()
    target = data_copy / "triples" / "sources" / "Source-cd35c5bbcc4e.trig"
    target_before = target.read_bytes()  # kg sources add described the source there

    process, url = _desk(data_copy, draft, text)
    try:
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-ready=true] article.proposal")
        assert page.locator("#article mark").count() == 4
        card = page.locator(f"#p-{P}000021-1")
        # edit one amount: the reader read 12亿元 as 12
        card.locator("form.edit select").select_option("amount")
        card.locator("form.edit input").fill("1200000000")
        card.locator("form.edit button").click()
        _decided(page, f"edit {P}000021-1: amount: value 1200000000")
        # name two proposed entities in English (one is created as new, with its class)
        for iri, english in (
            ("kgr:New-XingheZiben", "Xinghe Capital"),
            ("kgr:New-HangzhouChengtouFund", "Hangzhou Chengtou Industry Fund"),
        ):
            entity = page.locator(f'article.entity[data-iri="{iri}"]')
            entity.locator("input[name=label_en]").fill(english)
            entity.locator("form.name select").select_option(
                "kg:GovernmentFund" if "Hangzhou" in iri else "kg:Company"
            )
            entity.locator("form.name button").click()
            _decided(page, f"edit {iri.removeprefix('kgr:')}")
        # the Beijing fund is one the graph holds: kg xref suggests it beside the proposed
        # entity, and its "same as" button takes the suggestion
        entity = page.locator('article.entity[data-iri="kgr:New-BeijingShiAIFund"]')
        suggestion = entity.locator("p.xref")
        assert suggestion.count() == 1
        assert "北京市人工智能产业投资基金 (kgr:BeijingAIFund)" in suggestion.inner_text()
        suggestion.locator("button").click()
        _decided(
            page, "same-as New-BeijingShiAIFund: kgr:New-BeijingShiAIFund is kgr:BeijingAIFund"
        )
        for name in ("000021-1", "000057-1", "000087-1"):
            page.locator(f"#p-{P}{name} button.accept").click()
            _decided(page, f"accept {P}{name}")
        page.locator(f"#p-{P}000111-1 input[name=note]").fill("an opinion, not a fact")
        page.locator(f"#p-{P}000111-1 button.reject").click()
        _decided(page, f"reject {P}000111-1")
        create = page.locator("#create")
        create.locator("input[name=label_zh]").fill("上海云帆科技")
        create.locator("input[name=label_en]").fill("Shanghai Yunfan Technology")
        create.locator("button").click()
        _decided(
            page, "create New-ShanghaiYunfanTechnology: 上海云帆科技 / Shanghai Yunfan Technology"
        )
        page.reload()
        page.wait_for_selector("body[data-ready=true]")
        left = [c.get_attribute("data-name") for c in page.locator("article.proposal").all()]
        assert left == [], left
        assert (
            page.locator('article.entity[data-iri="kgr:New-ShanghaiYunfanTechnology"]').count() == 1
        )
        assert page.locator("#article").inner_text().startswith("新闻稿")
    finally:
        _close(process)

    timeline = _kg(
        "--data", str(data_copy), "query", "--name", "funding_timeline", "--format", "csv"
    )
    assert timeline.returncode == 0, timeline.stderr
    rows = {r["as_written"]: r for r in csv.DictReader(io.StringIO(timeline.stdout))}
    assert rows["12亿元"]["value"] == "1200000000" and rows["12亿元"]["date"] == "2026-03-15"
    assert rows["5亿元"]["quote"] == "4月2日，智谱再获杭州城投产业基金5亿元投资。"
    assert rows["2亿元"]["date"] == "2026-03"
    network = kg.load(data_copy, lazy=True).to_networkx()
    quotes = {
        e["quote"]
        for _, _, attrs in network.edges(data=True)
        for e in attrs.get("evidence", [])
        if "quote" in e
    }
    assert "2026年3月15日，智谱宣布完成新一轮12亿元融资，由星河资本领投。" in quotes
    assert not [n for n in network.nodes if "draft-" in str(n)]
    validated = _kg("--data", str(data_copy), "validate", "--sources", str(tmp_path))
    assert validated.returncode == 0, validated.stdout + validated.stderr

    for _ in range(9):
        undone = _kg("--data", str(data_copy), "review", str(draft), "--user", "lin", "--undo")
        assert undone.returncode == 0 and undone.stdout.startswith("undone: "), undone.stderr
    nothing = _kg("--data", str(data_copy), "review", str(draft), "--user", "lin", "--undo")
    assert nothing.returncode == 2 and nothing.stderr.endswith("nothing to undo\n")
    assert draft.read_bytes() == original
    assert target.read_bytes() == target_before
