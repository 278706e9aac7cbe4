"""``kg review`` and ``kg init`` from the real command line: lists, decisions, one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desk_bench import Bench, P
from desk_bench import bench_fixture as bench_fixture

ROOT = Path(__file__).resolve().parents[2]


def _kg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "USER": "lin"}
    env.pop("KG_DATA", None)
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def _one_line_error(result: subprocess.CompletedProcess[str], code: int, words: str) -> None:
    assert result.returncode == code, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), result.stderr
    assert words in result.stderr, result.stderr


def test_list_reject_and_undo_from_the_command_line(bench: Bench) -> None:
    listed = _kg("--data", str(bench.root), "review", str(bench.draft), "--list")
    assert listed.returncode == 0, listed.stderr
    names = [line.split("\t")[0] for line in listed.stdout.splitlines()]
    assert names == [P + "000021-1", P + "000057-1", P + "000087-1", P + "000111-1"]
    before = bench.draft.read_bytes()
    rejected = _kg(
        "--data", str(bench.root), "review", str(bench.draft), "--reject", P + "000111-1"
    )
    assert rejected.stdout == f"reject {P}000111-1\n", rejected.stderr
    assert b"000111-1" not in bench.draft.read_bytes()
    undone = _kg("--data", str(bench.root), "review", str(bench.draft), "--undo")
    assert undone.stdout == f"undone: reject {P}000111-1\n"
    assert bench.draft.read_bytes() == before
    assert bench.target_bytes() == bench.initial_target


def test_bad_input_is_one_line_and_a_usage_exit(bench: Bench, tmp_path: Path) -> None:
    data = ("--data", str(bench.root))
    _one_line_error(_kg(*data, "review", str(tmp_path / "none.trig"), "--list"), 2, "no such draft")
    gbk = tmp_path / "gbk.trig"
    gbk.write_bytes("# 草稿\nkgg:provenance { }\n".encode("gbk"))
    _one_line_error(_kg(*data, "review", str(gbk), "--list"), 2, "gbk.trig:1: not UTF-8")
    binary = tmp_path / "binary.trig"
    binary.write_bytes(b"\x00\x01\x02")
    _one_line_error(_kg(*data, "review", str(binary), "--list"), 2, "a binary file")
    broken = tmp_path / "broken.trig"
    broken.write_text(bench.draft.read_text(encoding="utf-8")[:900], encoding="utf-8")
    _one_line_error(_kg(*data, "review", str(broken), "--list"), 2, "not valid TriG")
    _one_line_error(
        _kg(*data, "review", str(bench.draft), "--accept"), 2, "--accept needs the names"
    )
    _one_line_error(
        _kg(*data, "review", str(bench.draft), "--accept", "Zhipu"), 2, "not a proposal's name"
    )
    _one_line_error(_kg(*data, "review", str(bench.draft), "--undo"), 2, "nothing to undo")
    article = tmp_path / "news-gbk.txt"
    article.write_bytes(bench.text.read_text(encoding="utf-8").encode("gbk"))
    _one_line_error(
        _kg(*data, "review", str(bench.draft), "--text", str(article), "--list"),
        2,
        "news-gbk.txt:1: not UTF-8 (byte 0)",
    )
    article.write_bytes(b"")
    _one_line_error(
        _kg(*data, "review", str(bench.draft), "--text", str(article), "--list"), 2, "empty"
    )
    article.write_text("另一篇文章。", encoding="utf-8")
    _one_line_error(
        _kg(*data, "review", str(bench.draft), "--text", str(article), "--list"),
        2,
        "not the draft's article",
    )


def test_kg_init_copies_the_shipped_data_into_a_folder_of_ones_own(tmp_path: Path) -> None:
    made = _kg("init", str(tmp_path / "mine"))
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "mine" / "ontology.ttl").read_bytes() == (ROOT / "ontology.ttl").read_bytes()
    stats = _kg("--data", str(tmp_path / "mine"), "validate", "--sources", str(tmp_path))
    assert stats.returncode == 0, stats.stdout + stats.stderr
    _one_line_error(_kg("init", str(tmp_path / "mine")), 2, "is not an empty folder")
    _one_line_error(_kg("init", str(tmp_path / "no" / "such")), 2, "does not exist")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]
