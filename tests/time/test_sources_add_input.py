"""``kg sources add`` refuses metadata that would break the data: one line, exit 2, no file.

Issue 24 item 4: a carriage return in a title, author or file name used to be written into the
TriG (every later ``kg query`` then failed); a title in invalid UTF-8 gave a traceback; an
impossible date was accepted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from dated_fixture import make_dated_data

from kg.data.sources import describe_source
from kg.errors import InvalidValue


@pytest.fixture
def dated_data(tmp_path: Path) -> Path:
    """The data folder with a dated fixture report (see ``dated_fixture``)."""
    return make_dated_data(tmp_path)


def add(data: Path, *args: str | bytes) -> subprocess.CompletedProcess[bytes]:
    command: list[str | bytes] = [sys.executable, "-m", "kg", "--data", str(data)]
    return subprocess.run([*command, "sources", "add", *args], capture_output=True, timeout=120)


def written(data: Path) -> list[Path]:
    folder = data / "triples" / "sources"
    return sorted(folder.glob("Source-*.trig")) if folder.is_dir() else []


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text("智谱在2025年6月又获得10亿元融资。\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--title", "智谱\r融资"], "--title"),
        (["--title", "ok", "--author", "耳\r令"], "--author"),
        (["--title", "ok", "--publisher", "华商\x07韬略"], "--publisher"),
        (["--title", "ok", "--title-en", "line\nbreak"], "--title-en"),
        (["--title", "ok", "--language", "zh\r"], "--language"),
        (["--title", "ok", "--date", "2025-13-45"], "--date"),
        (["--title", "ok", "--date", "2025-02-30"], "--date"),
        (["--title", "ok", "--date", "2025-00"], "--date"),
    ],
)
def test_bad_metadata_is_refused_and_nothing_is_written(
    dated_data: Path, article: Path, options: list[str], message: str
) -> None:
    done = add(dated_data, str(article), *options)
    assert done.returncode == 2, done.stderr
    err = done.stderr.decode("utf-8")
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert written(dated_data) == []


def test_a_title_in_invalid_utf8_is_refused(dated_data: Path, article: Path) -> None:
    done = add(dated_data, str(article), b"--title", "智谱".encode("gb18030"))
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert b"--title" in done.stderr and b"UTF-8" in done.stderr
    assert written(dated_data) == []


def test_a_file_name_with_a_carriage_return_is_refused(dated_data: Path, tmp_path: Path) -> None:
    path = tmp_path / "a\rb.txt"
    path.write_text("智谱融资。\n", encoding="utf-8")
    done = add(dated_data, str(path), "--title", "ok")
    assert done.returncode == 2 and b"file name" in done.stderr
    assert written(dated_data) == []


def test_a_good_source_is_written_under_triples_sources_and_loads(
    dated_data: Path, article: Path
) -> None:
    done = add(dated_data, str(article), "--title", "智谱 \u201c融资\u201d", "--date", "2024-02-29")
    assert done.returncode == 0, done.stderr
    assert len(written(dated_data)) == 1
    query = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg",
            "query",
            'ASK { ?s kg:title ?t FILTER(CONTAINS(?t, "融资")) }',
        ],
        capture_output=True,
        timeout=120,
        env={**os.environ, "KG_DATA": str(dated_data)},
    )
    assert query.returncode == 0 and query.stdout == b"yes\n"


def test_describe_source_refuses_control_characters() -> None:
    with pytest.raises(InvalidValue, match="--author: control character"):
        describe_source("x", "0" * 64, title="t", file_name="a.txt", author="a\tb")
