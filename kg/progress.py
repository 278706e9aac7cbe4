"""Progress lines for long jobs: done/total, rate and time left, on a terminal and in the log.

::

    with progress(len(files), "loading", unit="files") as bar:
        for file in files:
            load(file)
            bar.advance()

The line is drawn on standard error only when it is a terminal, only once the job has run for
:data:`DELAY` seconds (a quick job prints nothing), redrawn at most every :data:`REDRAW`
seconds, and never after :func:`set_quiet` (``kg -q``). The same numbers go to the logger
``kg.progress`` at INFO, at most every :data:`LOG_EVERY` seconds and once at the end, so a server's
log shows how far its start-up has got. ``$KG_PROGRESS_DELAY`` sets :data:`DELAY` (tests use 0).

This module imports nothing heavy: the commands that use it import it on every cold start.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from kg.logs import Log

logger = Log("kg.progress")  # logging is imported only when in use (a cold start)

#: Seconds a job runs before its first line (a job that ends sooner prints nothing).
DELAY = 2.0
#: Seconds between two redraws of the line.
REDRAW = 0.25
#: Seconds between two log records.
LOG_EVERY = 5.0

_quiet = False


def set_quiet(quiet: bool = True) -> None:
    """Draw no progress line from now on (``kg -q``); the log records are unchanged."""
    global _quiet
    _quiet = quiet


def _delay() -> float:
    value = os.environ.get("KG_PROGRESS_DELAY")
    try:
        return float(value) if value else DELAY
    except ValueError:
        return DELAY


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class Progress:
    """How far one job has got; see :func:`progress`.

    Attributes:
        total: Items the job has to do.
        done: Items done so far.
        label: What the job is (``pushing``, ``loading``).
        unit: What an item is (``triples``, ``files``).
    """

    def __init__(
        self, total: int, label: str, unit: str, stream: TextIO | None = None, delay: float = DELAY
    ) -> None:
        self.total = max(0, total)
        self.done = 0
        self.label = label
        self.unit = unit
        self._stream = stream if stream is not None else sys.stderr
        self._delay = delay
        self._started = time.monotonic()
        self._drawn = 0.0
        self._logged = 0.0
        self._shown = False
        try:
            self._terminal = not _quiet and self._stream.isatty()
        except (AttributeError, ValueError):  # a closed or unusual stream
            self._terminal = False

    def line(self, now: float | None = None) -> str:
        """The numbers as one line: ``label: done/total unit (pct), rate/s, time left``."""
        elapsed = (now if now is not None else time.monotonic()) - self._started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        share = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        text = f"{self.label}: {self.done:,}/{self.total:,} {self.unit}{share}"
        if rate > 0:
            text += f", {rate:,.0f} {self.unit}/s"
            if self.done < self.total:
                text += f", about {_duration((self.total - self.done) / rate)} left"
        return text

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more items done; redraw the line and log when it is time."""
        self.done += n
        now = time.monotonic()
        if now - self._started < self._delay:
            return
        if self._terminal and now - self._drawn >= REDRAW:
            self._draw(self.line(now))
            self._drawn = now
        if now - self._logged >= LOG_EVERY:
            logger.info("%s", self.line(now))
            self._logged = now

    def _draw(self, text: str) -> None:
        try:
            self._stream.write("\r" + text + "\x1b[K")
            self._stream.flush()
        except (OSError, ValueError):
            self._terminal = False
            return
        self._shown = True

    def finish(self) -> None:
        """End the line (when one was drawn) and log the last numbers of a long job."""
        now = time.monotonic()
        elapsed = now - self._started
        if elapsed < self._delay:
            return
        text = f"{self.line(now)}; {_duration(elapsed)} in all"
        if self._shown:
            self._draw(text)
            self._stream.write("\n")
            self._stream.flush()
        logger.info("%s", text)


@contextmanager
def progress(
    total: int, label: str, *, unit: str = "items", stream: TextIO | None = None
) -> Iterator[Progress]:
    """A :class:`Progress` for a job of ``total`` items; the line is ended when the job ends.

    Args:
        total: Items the job has to do.
        label: What the job is, as the line starts (``pushing``).
        unit: What an item is (``triples``, ``files``, ``graphs``).
        stream: Where the line goes (default: standard error, when it is a terminal).

    Yields:
        The job's progress; call ``advance(n)`` as items get done.
    """
    bar = Progress(total, label, unit, stream, _delay())
    try:
        yield bar
    finally:
        bar.finish()
