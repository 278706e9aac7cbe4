"""Write output files the way users expect: whole or not at all, with the usual permissions.

:func:`write_atomically` is the one writer of every file the project produces (``kg viz``,
``kg export``, ``kg fix-offsets``):

* the content goes to a temporary file in the target's folder, renamed over the target only
  when complete: a failure leaves the old file (or none) and no half-written one;
* a new file gets the mode the user's umask gives (``0644`` under the usual ``022``); an
  existing file keeps its mode;
* ``-`` is standard output;
* a missing folder, a path under a regular file, or a folder in the file's place is a
  :class:`~kg.errors.UsageError` (exit 2) that says so; nothing is created on the way.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from kg.errors import UsageError
from kg.logs import Log

__all__ = ["STDOUT", "OutputError", "write_atomically", "write_text"]

#: The path that means standard output.
STDOUT = "-"

log = Log(__name__)


class OutputError(UsageError, OSError):
    """The output file cannot be written where asked."""


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _check_target(path: Path) -> None:
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder; give a file name")
    parent = path.parent
    if parent.is_dir():
        return
    for ancestor in (parent, *parent.parents):
        if ancestor.exists() and not ancestor.is_dir():
            raise OutputError(f"cannot write {path}: {ancestor} is a file, not a folder")
    raise OutputError(f"cannot write {path}: the folder {parent} does not exist; create it first")


def write_atomically(path: str | os.PathLike[str], write: Callable[[Path], object]) -> None:
    """Let ``write`` fill a temporary file, then put it in place of ``path`` (``-``: stdout).

    Args:
        path: The file to write, or ``-`` for standard output.
        write: Called with the temporary file's path; it writes the whole content there.

    Raises:
        OutputError: If the folder is missing, a file stands in the way, or the write fails.
    """
    if str(path) == STDOUT:
        with tempfile.TemporaryDirectory(prefix="kg-out-") as folder:
            tmp = Path(folder) / "output"
            write(tmp)
            sys.stdout.flush()
            with tmp.open("rb") as handle:
                shutil.copyfileobj(handle, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        return
    target = Path(path)
    _check_target(target)
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise OutputError(f"cannot write {target}: {err.strerror}") from None
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        log.info("wrote %s (%s bytes)", target, f"{target.stat().st_size:,}")
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {target}: {err.strerror or err}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 (line ends as given) through :func:`write_atomically`."""

    def fill(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)

    write_atomically(path, fill)
