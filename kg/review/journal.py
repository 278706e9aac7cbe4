"""Writing the desk's files all together or not at all, one desk at a time, and undoing it.

* :class:`DeskLock` — one desk per draft: a lock file beside the draft holds the owner's process
  id; a second desk (page or command) refuses with one line while the owner lives.
* :func:`commit` — writes several files, each atomically, with their folders locked (``flock``);
  if one fails, those already written get their prior bytes back. Every file's prior bytes (or
  its absence) go to the draft's journal, with the SHA-256 of what was written.
* :func:`undo` — the last journal entry: every file it touched gets its prior bytes back, byte for
  byte, but only if nobody changed it since (compare-and-swap on the SHA-256).
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg.data.output import OutputError, write_atomically
from kg.errors import EnvironmentProblem, UsageError

__all__ = ["DeskBusy", "DeskLock", "Stale", "commit", "journal_path", "sha256", "undo", "undone"]


class DeskBusy(UsageError):
    """Another desk holds the draft."""


class Stale(UsageError):
    """A file changed on disk since the desk read it."""


def sha256(data: bytes | None) -> str:
    """Hex SHA-256 of ``data`` (``-`` for a file that does not exist)."""
    return hashlib.sha256(data).hexdigest() if data is not None else "-"


def _lock_path(draft: Path) -> Path:
    return draft.parent / f".{draft.name}.lock"


def journal_path(draft: Path) -> Path:
    """Where the decisions on ``draft`` are journaled (beside it, hidden)."""
    return draft.parent / f".{draft.name}.journal.json"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class DeskLock:
    """The lock of one draft, held by this process while a desk works on it."""

    def __init__(self, draft: Path) -> None:
        self.path = _lock_path(draft)
        self.draft = draft

    def acquire(self) -> None:
        """Take the lock (a stale one, whose process is gone, is taken over).

        Raises:
            DeskBusy: If a living process holds it.
            EnvironmentProblem: If the lock file cannot be written.

        """
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                owner = self._owner()
                if owner is not None and owner != os.getpid() and _alive(owner):
                    raise DeskBusy(
                        f"{self.draft}: another desk (process {owner}) is reviewing this draft; "
                        f"close it first (or remove {self.path} if that process is gone)"
                    ) from None
                self.path.unlink(missing_ok=True)
                continue
            except OSError as err:
                raise EnvironmentProblem(
                    f"cannot lock {self.draft}: {err.strerror or err} ({self.path})"
                ) from None
            try:
                with os.fdopen(fd, "w") as handle:
                    handle.write(str(os.getpid()))
            except OSError as err:
                self.path.unlink(missing_ok=True)
                raise EnvironmentProblem(
                    f"cannot lock {self.draft}: {err.strerror or err} ({self.path})"
                ) from None
            return
        raise DeskBusy(f"{self.draft}: another desk took the draft at the same moment; try again")

    def _owner(self) -> int | None:
        try:
            return int(self.path.read_text(encoding="ascii").strip() or "0") or None
        except (OSError, ValueError):
            return None

    def release(self) -> None:
        """Let go of the lock, if this process holds it."""
        if self._owner() == os.getpid():
            self.path.unlink(missing_ok=True)

    def __enter__(self) -> DeskLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


@dataclass(frozen=True)
class _Touched:
    path: Path
    before: bytes | None
    after: str


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):  # no file there (a folder is refused later)
        return None


def _put(path: Path, data: bytes | None) -> None:
    if data is None:
        path.unlink(missing_ok=True)
        return

    def fill(tmp: Path) -> None:
        tmp.write_bytes(data)

    write_atomically(path, fill)


def _entries(draft: Path) -> list[dict[str, object]]:
    data = _read(journal_path(draft))
    if data is None:
        return []
    try:
        entries = json.loads(data)
    except ValueError:
        raise UsageError(f"{journal_path(draft)}: not a desk journal (invalid JSON)") from None
    if not isinstance(entries, list):
        raise UsageError(f"{journal_path(draft)}: not a desk journal")
    return entries


def _save(draft: Path, entries: list[dict[str, object]]) -> None:
    _put(journal_path(draft), json.dumps(entries, ensure_ascii=False, indent=1).encode("utf-8"))


def commit(
    draft: Path,
    expected: Mapping[Path, str],
    writes: Mapping[Path, bytes | None],
    what: str,
) -> None:
    """Write ``writes`` (``None``: delete) all together, and journal the prior bytes.

    The folders of the files are locked (``flock``) from the check to the last write, so that
    two desks writing one source's file (from two drafts) take turns.

    Args:
        draft: The draft the decision is about (its journal is beside it).
        expected: The SHA-256 each file had when it was read: a file changed since is refused.
        writes: The new content of each file.
        what: One line naming the decision, for the journal.

    Raises:
        Stale: If a file changed on disk since it was read (nothing is written).
        OutputError: If a write fails (what was written is put back first).

    """
    with _folders_locked([*writes, journal_path(draft)]):
        _commit(draft, expected, writes, what)


def _commit(
    draft: Path,
    expected: Mapping[Path, str],
    writes: Mapping[Path, bytes | None],
    what: str,
) -> None:
    """:func:`commit`, with the folders locked."""
    before = {path: _read(path) for path in writes}
    for path, digest in expected.items():
        if sha256(before.get(path, _read(path))) != digest:
            raise Stale(f"{path}: changed on disk since the desk read it; reload and decide again")
    entries = _entries(draft)
    done: list[Path] = []
    made: list[Path] = []
    try:
        for path, data in writes.items():
            if data is not None and not path.parent.is_dir():
                path.parent.mkdir()
                made.append(path.parent)
            _put(path, data)
            done.append(path)
        touched = [_Touched(p, before[p], sha256(writes[p])) for p in writes]
        entries.append(
            {
                "decision": what,
                "files": [
                    {
                        "path": str(t.path),
                        "before": None
                        if t.before is None
                        else base64.b64encode(t.before).decode("ascii"),
                        "after": t.after,
                    }
                    for t in touched
                ],
            }
        )
        _save(draft, entries)
    except OutputError as err:  # an OSError too: caught first, its message says it all
        _restore(done, before, made)
        raise OutputError(f"{err}; nothing was changed") from None
    except OSError as err:
        _restore(done, before, made)
        raise OutputError(f"cannot write: {err.strerror or err}; nothing was changed") from None


def _restore(
    done: list[Path], before: Mapping[Path, bytes | None], made: list[Path] | None = None
) -> None:
    for path in reversed(done):
        _put(path, before[path])
    for folder in reversed(made or []):
        folder.rmdir()


def undone(draft: Path) -> str | None:
    """What :func:`undo` would undo next, or ``None``."""
    entries = _entries(draft)
    return str(entries[-1]["decision"]) if entries else None


def undo(draft: Path) -> str:
    """Undo the last decision on ``draft``: each file it touched gets its prior bytes back.

    Returns:
        The decision undone.

    Raises:
        UsageError: If there is nothing to undo.
        Stale: If a file changed since the decision (nothing is restored).

    """
    entries = _entries(draft)
    paths = [Path(str(item["path"])) for e in entries[-1:] for item in _files(e)]
    with _folders_locked([*paths, journal_path(draft)]):
        return _undo(draft)


def _files(entry: dict[str, object]) -> list[dict[str, str]]:
    files = entry.get("files")
    return files if isinstance(files, list) else []


@contextmanager
def _folders_locked(paths: list[Path]) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the folders of ``paths`` (their nearest existing one)."""
    folders = set()
    for path in paths:
        folder = path.parent
        while not folder.is_dir() and folder != folder.parent:
            folder = folder.parent
        folders.add(folder)
    descriptors: list[int] = []
    try:
        for folder in sorted(folders):  # one order for every desk: no deadlock
            descriptor = os.open(folder, os.O_RDONLY)
            descriptors.append(descriptor)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        for descriptor in descriptors:
            os.close(descriptor)


def _undo(draft: Path) -> str:
    entries = _entries(draft)
    if not entries:
        raise UsageError(f"{draft}: nothing to undo")
    last = entries[-1]
    files = last["files"]
    assert isinstance(files, list)
    restores: dict[Path, bytes | None] = {}
    for item in files:
        path = Path(item["path"])
        if sha256(_read(path)) != item["after"]:
            raise Stale(
                f"{path}: changed since `{last['decision']}`; undo refused, nothing restored"
            )
        restores[path] = None if item["before"] is None else base64.b64decode(item["before"])
    current = {path: _read(path) for path in restores}
    done: list[Path] = []
    try:
        for path, data in restores.items():
            _put(path, data)
            done.append(path)
        _save(draft, entries[:-1])
    except (OSError, OutputError) as err:
        _restore(done, current)
        raise OutputError(f"cannot undo: {err}; nothing was changed") from None
    return str(last["decision"])
