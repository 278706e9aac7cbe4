"""The journal of source edits: the prior bytes of every file, so that an edit can be undone.

``kg sources remove`` and ``kg sources replace`` save, before they write anything, the bytes of
every file they will touch (or that it did not exist) in the data folder's ``.kg-journal/``
(outside ``triples/``: never loaded). :func:`undo` puts the last edit's files back, byte for
byte, and drops its entry.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

from kg.data.output import write_atomically, write_text
from kg.data.paths import DataLayout
from kg.errors import NotFound

__all__ = ["JOURNAL_DIR", "record", "undo"]

#: The journal's folder, in the data folder.
JOURNAL_DIR = ".kg-journal"


def record(layout: DataLayout, verb: str, source: str, files: list[Path]) -> Path:
    """Save the bytes ``files`` hold now; return the journal entry."""
    journal = layout.root / JOURNAL_DIR
    journal.mkdir(exist_ok=True)
    number = 1 + max((int(p.name.split("-")[0]) for p in journal.glob("*.json")), default=0)
    local = source.rsplit("/", 1)[-1]
    entry = journal / f"{number:04d}-sources-{verb}-{local}.json"
    prior = {
        path.relative_to(layout.root).as_posix(): (
            base64.b64encode(path.read_bytes()).decode() if path.exists() else None
        )
        for path in files
    }
    document = {"verb": verb, "source": source, "files": prior}
    write_text(entry, json.dumps(document, indent=1) + "\n")
    return entry


def _bytes_writer(content: bytes) -> Callable[[Path], object]:
    def write(tmp: Path) -> object:
        return tmp.write_bytes(content)

    return write


def undo(layout: DataLayout) -> tuple[str, str, list[Path]]:
    """Put back the files of the last edit, byte for byte, and drop its journal entry.

    Returns:
        The edit (``remove`` or ``replace``), its source and the files restored.

    Raises:
        NotFound: If the journal holds no edit.
    """
    entries = sorted((layout.root / JOURNAL_DIR).glob("*-sources-*.json"))
    if not entries:
        raise NotFound(f"{layout.root / JOURNAL_DIR}: no source edit to undo")
    document = json.loads(entries[-1].read_text(encoding="utf-8"))
    restored = []
    for name, data in sorted(document["files"].items()):
        path = layout.root / name
        if data is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, _bytes_writer(base64.b64decode(data)))
        restored.append(path)
    entries[-1].unlink()
    return str(document["verb"]), str(document["source"]), restored
