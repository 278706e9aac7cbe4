"""``kg sources replace``: a corrected text for a quoted source, its quotes re-anchored.

Every evidence graph quoting the source keeps its quote (``oa:exact``: the words reviewed) and
gets new code-point offsets where those words now stand in the new text (of several places, the
one nearest the old offset); the source's description gets the new text's SHA-256 and length.
A quote the new text no longer holds is left as it was and listed: the reviewed fact needs a
person. The files are edited, not rewritten (each offset pair and fingerprint in place), every
edit is checked by parsing the result, and the prior bytes go to the journal first
(:mod:`kg.data.journal`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from kg.data.journal import record
from kg.data.output import write_text
from kg.data.paths import DataLayout
from kg.data.prefixes import PROVENANCE_GRAPH
from kg.data.removal import chunks, resolve_source, source_names
from kg.data.sources import read_article
from kg.errors import Findings

__all__ = ["Anchor", "Replacement", "apply_replacement", "plan_replacement"]

_PROVENANCE = ox.NamedNode(PROVENANCE_GRAPH)
_FORMATS = {".trig": ox.RdfFormat.TRIG, ".ttl": ox.RdfFormat.TURTLE}
_QUOTES = """PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?g ?exact ?start ?end ?source WHERE { GRAPH ?prov {
  ?g prov:wasDerivedFrom ?d .
  ?d oa:hasSource ?source ; oa:hasSelector ?q , ?p .
  ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end } }"""


def _quotes(store: ox.Store, source: str) -> list[tuple[str, str, int, int]]:
    """Every quote of ``source``: (evidence graph, words, start, end)."""
    solutions = store.query(_QUOTES, substitutions={ox.Variable("source"): ox.NamedNode(source)})
    assert isinstance(solutions, ox.QuerySolutions)
    found = []
    for row in solutions:
        graph, exact, start, end = (row[v] for v in ("g", "exact", "start", "end"))
        assert graph is not None and exact is not None and start is not None and end is not None
        found.append((graph.value, exact.value, int(start.value), int(end.value)))
    return found


class Anchor(NamedTuple):
    """One quote of the source: where it was and where it is now (``None``: gone)."""

    graph: str
    quote: str
    old: tuple[int, int]
    new: tuple[int, int] | None


class Replacement(NamedTuple):
    """What replacing a source's text does.

    Attributes:
        source: The source's IRI.
        sha256: The new text's SHA-256.
        anchors: Every quote of the source, re-anchored or not.
        files: The new text of each file changed.
    """

    source: str
    sha256: str
    anchors: list[Anchor]
    files: dict[Path, str]

    @property
    def lost(self) -> list[Anchor]:
        """The quotes the new text no longer holds."""
        return [a for a in self.anchors if a.new is None]


def _nearest(text: str, quote: str, old: int) -> tuple[int, int] | None:
    places = [m.start() for m in re.finditer(re.escape(quote), text)]
    if not places:
        return None
    start = min(places, key=lambda p: (abs(p - old), p))
    return start, start + len(quote)


def _parse(text: str, path: Path) -> list[ox.Quad]:
    return list(ox.parse(text.encode("utf-8"), format=_FORMATS.get(path.suffix, _FORMATS[".ttl"])))


def _edit(text: str, path: Path, moves: dict[str, Anchor], source: str, new: dict[str, str]) -> str:
    """``text`` with the moved offsets and the source's fingerprint written in place."""
    prefixes = "".join(line for line in text.splitlines(keepends=True) if line.startswith("@"))
    out = []
    for block, piece in chunks(text):
        if block is not None:
            subjects = {
                q.subject.value
                for q in _parse(f"{prefixes}{block} {{\n{piece}}}\n", path)
                if isinstance(q.subject, ox.NamedNode)
            }
            for graph in subjects & moves.keys():
                anchor = moves[graph]
                assert anchor.new is not None
                pattern = rf"(oa:start\s+){anchor.old[0]}(\s*;\s*oa:end\s+){anchor.old[1]}\b"
                piece = re.sub(pattern, rf"\g<1>{anchor.new[0]}\g<2>{anchor.new[1]}", piece)
            if source in subjects:
                for key, value in new.items():
                    piece = re.sub(rf'({key}\s+)("[0-9a-f]{{64}}"|\d+)', rf"\g<1>{value}", piece)
        out.append(piece)
    return "".join(out)


def plan_replacement(layout: DataLayout, name: str, path: str | os.PathLike[str]) -> Replacement:
    """Re-anchor the quotes of the source ``name`` in the text of ``path``; nothing written.

    Raises:
        kg.data.removal.SourceNotFound: If no source has that name.
        kg.errors.InvalidValue: If ``path`` is not a plain-text article.
        Findings: If a file cannot be parsed, or an edit does not hold what it should.
    """
    text, sha = read_article(path)
    texts = {p: p.read_text(encoding="utf-8") for p in layout.triple_files()}
    store = ox.Store()
    parsed = {}
    for file, content in texts.items():
        try:
            parsed[file] = _parse(content, file)
        except SyntaxError as err:
            raise Findings(f"{file}: cannot be parsed: {err}") from None
        store.extend(parsed[file])
    source = resolve_source(set().union(*map(source_names, parsed.values())), name)
    anchors = [
        Anchor(graph, exact, (start, end), _nearest(text, exact, start))
        for graph, exact, start, end in _quotes(store, source)
    ]
    anchors.sort(key=lambda a: (a.old, a.graph))
    moves = {a.graph: a for a in anchors if a.new is not None and a.new != a.old}
    fingerprint = {"kg:sha256": f'"{sha}"', "kg:characterCount": str(len(text))}
    files = {}
    check = ox.Store()
    for file, content in texts.items():
        edited = _edit(content, file, moves, source, fingerprint)
        quads = _parse(edited, file)
        if len(quads) != len(parsed[file]):
            raise Findings(f"{file}: the edit would change its statements; nothing written")
        check.extend(quads)
        if edited != content:
            files[file] = edited
    found = {(graph, start, end) for graph, _, start, end in _quotes(check, source)}
    missing = [a.graph for a in moves.values() if (a.graph, *(a.new or ())) not in found]
    if missing:
        raise Findings(f"cannot re-anchor {', '.join(missing)} in place; nothing written")
    return Replacement(source, sha, anchors, files)


def apply_replacement(
    layout: DataLayout, replacement: Replacement, also: tuple[Path, ...] = ()
) -> Path:
    """Journal the prior bytes, then write the edited files; returns the journal entry.

    Args:
        layout: The data folder.
        replacement: What :func:`plan_replacement` found.
        also: Files the caller writes next (the new draft): journalled with the others.
    """
    entry = record(layout, "replace", replacement.source, [*replacement.files, *also])
    for file, content in replacement.files.items():
        write_text(file, content)
    return entry
