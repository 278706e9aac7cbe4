"""What the data of a push is: the fingerprint of the data folder, and each graph's content hash.

The fingerprint tells a resumed push that the data did not change since it stopped. The content
hashes, kept in the journal of the last push to a server, tell the next push which graphs it
need not send again: a graph whose hash is the one pushed last time and whose count on the
server is still the one pushed is left as it is (see :mod:`kg.remote.push`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from kg.data.paths import DataLayout

#: A blank node's label in N-Triples (labels change from one reading of the files to the next).
_BLANK = re.compile(rb"_:[^ ]+")


def fingerprint(layout: DataLayout, sent: Mapping[str, int]) -> str:
    """What the data is: its graphs and their sizes, and its files' sizes and times."""
    digest = hashlib.sha256()
    for name, count in sent.items():
        digest.update(f"{name}\t{count}\n".encode())
    for path in sorted(layout.root.rglob("*")):
        if path.suffix in {".ttl", ".trig", ".nq", ".nt"} and path.is_file():
            info = path.stat()
            digest.update(
                f"{path.relative_to(layout.root)}\t{info.st_size}\t{info.st_mtime_ns}\n".encode()
            )
    return digest.hexdigest()


def content_hash(triples: Sequence[ox.Triple]) -> str:
    """A hash of a graph's triples, whatever their order and their blank nodes' labels.

    The triples' N-Triples lines, each blank-node label written alike, sorted: two graphs that
    differ only in how their blank nodes are labelled hash alike, and so (a limit worth knowing)
    do two graphs that differ only in which of their blank nodes a triple hangs on.
    """
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    lines = _BLANK.sub(b"_:", text).split(b"\n")
    lines.sort()
    return hashlib.sha256(b"\n".join(lines)).hexdigest()[:32]
