"""Progress lines (:mod:`kg.progress`): on a terminal only, never in a pipe or with ``-q``.

A real ``kg validate`` runs with its standard error on a pseudo-terminal, then on a pipe.
``KG_PROGRESS_DELAY=0`` shows the line at once (the default waits 2 s, for jobs that take long).
"""

from __future__ import annotations

import io
import logging
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from kg.progress import Progress, progress

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "KG_PROGRESS_DELAY": "0"}


def _on_a_terminal(*args: str) -> str:
    """What ``kg ARGS`` writes to standard error when that is a pseudo-terminal."""
    main, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", *args], stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=secondary, cwd=ROOT, env=ENV,
    )  # fmt: skip
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closes when the process ends (EIO on Linux)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert process.wait(timeout=120) in {0, 1}
    return b"".join(chunks).decode("utf-8", "replace")


def test_the_line_shows_on_a_terminal() -> None:
    shown = _on_a_terminal("validate")
    assert "parsing: " in shown and " files (100%)" in shown, shown[-500:]
    assert "\r" in shown


def test_no_line_in_a_pipe() -> None:
    done = subprocess.run([sys.executable, "-m", "kg", "validate"], capture_output=True,
                          text=True, cwd=ROOT, env=ENV, timeout=120)  # fmt: skip
    assert done.returncode in {0, 1}, done.stderr[-500:]
    assert "parsing: " not in done.stderr


def test_no_line_with_quiet_even_on_a_terminal() -> None:
    shown = _on_a_terminal("-q", "validate")
    assert "parsing: " not in shown


def test_the_numbers_go_to_the_log_at_info(caplog: pytest.LogCaptureFixture) -> None:
    stream = io.StringIO()  # not a terminal: nothing drawn
    with (
        caplog.at_level(logging.INFO, logger="kg.progress"),
        progress(10, "pushing", unit="triples", stream=stream) as bar,
    ):
        bar._delay = 0  # a long job, as far as the bar can tell
        bar.advance(4)
        bar.advance(6)
    assert stream.getvalue() == ""
    lines = [r.getMessage() for r in caplog.records if r.name == "kg.progress"]
    assert lines[0].startswith("pushing: 4/10 triples (40%)")
    assert lines[-1].startswith("pushing: 10/10 triples (100%)") and "in all" in lines[-1]


def test_a_quick_job_prints_and_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    with (
        caplog.at_level(logging.INFO, logger="kg.progress"),
        progress(3, "loading", stream=stream) as bar,
    ):
        bar.advance(3)
    assert stream.getvalue() == ""
    assert not [r for r in caplog.records if r.name == "kg.progress"]


def test_the_line_says_rate_and_time_left() -> None:
    bar = Progress(1000, "pushing", "triples")
    bar.done = 250
    line = bar.line(bar._started + 5.0)
    assert line == "pushing: 250/1,000 triples (25%), 50 triples/s, about 15 s left"
