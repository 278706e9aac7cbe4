"""``kg sources replace``: a corrected text, the reviewed quotes re-anchored, the rest listed."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from dated_fixture import make_dated_data
from test_sources_remove import snapshot


@pytest.fixture
def dated_data(tmp_path: Path) -> Path:
    """The data folder with a dated fixture report (see ``dated_fixture``)."""
    return make_dated_data(tmp_path)


def kg_run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", "--data", str(data), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_corrected_text_re_anchors_what_still_matches_and_lists_the_rest(
    dated_data: Path, source_path: Path, tmp_path: Path
) -> None:
    article = source_path.read_text(encoding="utf-8")
    # a correction note inserted inside the first quote, and one figure changed in another
    corrected = article[:50] + "【更正】" + article[50:]
    corrected = corrected.replace("智谱将在10月完成辅导", "智谱将在11月完成辅导")
    path = tmp_path / "corrected.txt"
    path.write_text(corrected, encoding="utf-8")
    before = snapshot(dated_data)
    done = kg_run(dated_data, "sources", "replace", "SourceArticle", str(path))
    assert done.returncode == 1, done.stderr
    lost = [line for line in done.stderr.splitlines() if not line.startswith("error:")]
    assert [line.split(": ")[0] for line in lost] == ["ev:five-cities", "ev:ipo-plan"]
    assert "70 re-anchored, 2 no longer in corrected.txt" in done.stdout
    # the new fingerprint is recorded, and every quote but the two listed is where it says
    sha = hashlib.sha256(corrected.encode("utf-8")).hexdigest()
    assert sha in (dated_data / "triples" / "00-source.trig").read_text(encoding="utf-8")
    checked = kg_run(dated_data, "validate", "--source", str(path))
    problems = [line for line in checked.stdout.splitlines() if "[quote]" in line]
    assert checked.returncode == 1 and len(problems) == 2, checked.stdout
    assert all("ev:five-cities" in p or "ev:ipo-plan" in p for p in problems)
    # the corrected text is re-drafted for the review desk, naming the same source
    draft = (dated_data / "triples" / "drafts" / "SourceArticle.trig").read_text(encoding="utf-8")
    assert "resource/SourceArticle>" in draft or "kgr:SourceArticle" in draft
    assert "drafted\tdrafts/SourceArticle.trig" in done.stdout
    # the report and the queries are untouched; undo puts every byte back
    after = snapshot(dated_data)
    assert after["triples/sources/Report-test.trig"] == before["triples/sources/Report-test.trig"]
    assert kg_run(dated_data, "sources", "remove", "--undo").returncode == 0
    assert snapshot(dated_data) == before


def test_the_same_text_changes_nothing(dated_data: Path, source_path: Path) -> None:
    before = snapshot(dated_data)
    done = kg_run(
        dated_data, "sources", "replace", "kgr:SourceArticle", str(source_path), "--no-draft"
    )
    assert done.returncode == 0, done.stderr
    assert "73 quote(s), 0 re-anchored, 0 no longer" in done.stdout
    assert snapshot(dated_data) == before


def test_an_unknown_source_is_refused(dated_data: Path, source_path: Path) -> None:
    before = snapshot(dated_data)
    done = kg_run(dated_data, "sources", "replace", "SourceArtcle", str(source_path))
    assert done.returncode == 2 and "did you mean kgr:SourceArticle" in done.stderr
    assert snapshot(dated_data) == before
