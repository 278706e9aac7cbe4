"""Output files: whole or not at all, umask-decided mode, kept mode, `-` is stdout, clear errors."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli.main import main
from kg.data.output import OutputError, write_atomically, write_text


@pytest.fixture
def umask_027() -> Iterator[None]:
    old = os.umask(0o027)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_umask_mode(tmp_path: Path, umask_027: None) -> None:
    write_text(tmp_path / "a.txt", "x")
    assert mode(tmp_path / "a.txt") == 0o640
    os.umask(0o022)
    write_text(tmp_path / "b.txt", "x")
    assert mode(tmp_path / "b.txt") == 0o644


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old")
    for kept in (0o600, 0o664):
        target.chmod(kept)
        write_text(target, "new")
        assert mode(target) == kept and target.read_text() == "new"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old")

    def half(tmp: Path) -> None:
        tmp.write_text("half")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        write_atomically(target, half)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_missing_folder_and_file_in_the_way_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist; create it first"):
        write_text(tmp_path / "no" / "such" / "x.txt", "x")
    assert not (tmp_path / "no").exists()
    (tmp_path / "f").write_text("a file")
    with pytest.raises(OutputError, match=r"f is a file, not a folder"):
        write_text(tmp_path / "f" / "x.txt", "x")
    with pytest.raises(OutputError, match="is a folder"):
        write_text(tmp_path, "x")


def invoke(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout_bytes, result.stderr


def test_export_to_stdout_writes_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke("export", "--format", "nt", "-o", "-")
    assert code == 0
    # N-Triples on standard output (in no fixed order: parse it, do not read its first line)
    subjects = {q.subject.value for q in ox.parse(out, format=ox.RdfFormat.N_TRIPLES)}
    assert "https://w3id.org/zhipu-kg/resource/Zhipu" in subjects
    assert list(tmp_path.iterdir()) == []


def test_viz_to_stdout_prints_html_and_reports_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("viz", "-o", "-", "--focus", "唐杰")
    assert code == 0
    assert out.startswith(b"<!DOCTYPE html>") and "focus view" in err
    assert list(tmp_path.iterdir()) == []


def test_cli_output_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    code, _, err = invoke("export", "--format", "json", "-o", str(tmp_path / "missing" / "x"))
    assert code == 2 and "does not exist" in err and "Traceback" not in err
    (tmp_path / "file").write_text("")
    code, _, err = invoke("viz", "-o", str(tmp_path / "file" / "x.html"))
    assert code == 2 and "is a file, not a folder" in err


def test_cli_keeps_the_mode_of_an_existing_output(tmp_path: Path) -> None:
    target = tmp_path / "net.json"
    target.write_text("{}")
    target.chmod(0o644)
    code, _, err = invoke("export", "--format", "json", "-o", str(target))
    assert code == 0, err
    assert mode(target) == 0o644 and target.stat().st_size > 1000
