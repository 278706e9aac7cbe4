"""Long answers go through a pager on a terminal, and never in a pipe."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest


def run_on_terminal(args: list[str], pager_out: Path) -> int:
    """Run ``kg ARGS`` with a pseudo-terminal as standard input and output; PAGER records."""
    leader, follower = pty.openpty()
    env = {**os.environ, "PAGER": f"cat > {pager_out}", "LINES": "24", "COLUMNS": "100"}
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", *args],
        stdin=follower,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(follower)
    try:
        while True:  # drain the terminal so the process never blocks on a full buffer
            try:
                if not os.read(leader, 65536):
                    break
            except OSError:
                break
        return process.wait(timeout=120)
    finally:
        os.close(leader)


@pytest.mark.parametrize(
    "args",
    [["query", "--name", "article_argument"], ["describe", "智谱"]],
)
def test_long_output_on_a_terminal_goes_through_the_pager(args: list[str], tmp_path: Path) -> None:
    pager_out = tmp_path / "paged.txt"
    assert run_on_terminal(args, pager_out) == 0
    assert pager_out.exists() and pager_out.read_text(encoding="utf-8").count("\n") > 24


def test_in_a_pipe_there_is_no_pager(tmp_path: Path) -> None:
    pager_out = tmp_path / "paged.txt"
    out = subprocess.run(
        [sys.executable, "-m", "kg", "query", "--name", "article_argument"],
        capture_output=True,
        text=True,
        env={**os.environ, "PAGER": f"cat > {pager_out}"},
        timeout=120,
    )
    assert out.returncode == 0 and out.stdout.count("\n") > 24
    assert not pager_out.exists()


def test_short_output_on_a_terminal_is_printed_directly(tmp_path: Path) -> None:
    pager_out = tmp_path / "paged.txt"
    assert run_on_terminal(["query", "ASK { ?s ?p ?o }"], pager_out) == 0
    assert not pager_out.exists()
