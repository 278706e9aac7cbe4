"""``kg sources remove``: take one source out of the data files, exactly, and undo it.

What goes is what :func:`kg.data.withdraw.withdraw` finds for the source (its evidence graphs,
their provenance, its description and labels, the entities only it introduced; a fact that
also rests on another source keeps that evidence). The files are edited, not rewritten:

* a file all of whose statements go is deleted (a source's own ``triples/sources/<name>.trig``);
* in a file that keeps some, the statements that go are cut out of its text (a graph block, or
  one statement of a block, comments before it included), and the result is parsed again and
  checked to hold exactly the statements that stay; when a cut cannot be made that way (a
  statement only part of which goes), the file is written anew from what stays, and said so;
* every other file is untouched, byte for byte.

Before anything is written the prior bytes of every file touched are saved in the data
folder's journal (:mod:`kg.data.journal`), which puts them back.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from kg.data.journal import record
from kg.data.output import write_text
from kg.data.paths import DataLayout
from kg.data.prefixes import PREFIXES, shorten
from kg.data.withdraw import withdraw
from kg.errors import Findings, NotFound

__all__ = ["Removal", "apply_removal", "chunks", "plan_removal", "resolve_source", "source_names"]

_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_HAS_SOURCE = ox.NamedNode(PREFIXES["oa"] + "hasSource")
_SOURCE_CLASSES = {PREFIXES["kg"] + c for c in ("SourceArticle", "PublicReport")}
_BLOCK = re.compile(r"^(\S[^{]*?)\s*\{\s*$")
_STATEMENT_END = re.compile(r"(^|[\s\]\"'>)])\.\s*(#.*)?$")


class SourceNotFound(NotFound):
    """No source has the name given."""


class Removal(NamedTuple):
    """What removing a source does to the files.

    Attributes:
        source: The source's IRI.
        graphs: The evidence graphs dropped whole.
        statements: How many statements go.
        files: Each file touched and its new text (``None``: the file is deleted).
        rewritten: Files written anew from what stays (their text could not be cut).
    """

    source: str
    graphs: frozenset[str]
    statements: int
    files: dict[Path, str | None]
    rewritten: tuple[Path, ...]


def _rdf_format(path: Path) -> ox.RdfFormat:
    return ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE


def _parse(text: str, path: Path) -> list[ox.Quad]:
    return list(ox.parse(text.encode("utf-8"), format=_rdf_format(path)))


def source_names(quads: list[ox.Quad]) -> set[str]:
    """The IRIs of the sources ``quads`` describe or cite."""
    found = set()
    for quad in quads:
        subject, predicate, value = quad.subject, quad.predicate, quad.object
        if not isinstance(value, ox.NamedNode):
            continue
        if predicate == _HAS_SOURCE:
            found.add(value.value)
        elif predicate == _TYPE and value.value in _SOURCE_CLASSES:
            found |= {subject.value} if isinstance(subject, ox.NamedNode) else set()
    return found


def resolve_source(known: set[str], name: str) -> str:
    """The IRI of the source ``name`` designates (an IRI, a CURIE or a local name).

    Raises:
        SourceNotFound: If none does, naming the closest sources.
    """
    wanted = name.strip().strip("<>")
    for iri in known:
        if wanted in (iri, shorten(iri), iri.removeprefix(PREFIXES["kgr"])):
            return iri
    names = sorted(shorten(iri) for iri in known)
    close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.5)
    close += difflib.get_close_matches("kgr:" + wanted, names, n=3, cutoff=0.5)
    hint = f"did you mean {' or '.join(dict.fromkeys(close))}? " if close else ""
    raise SourceNotFound(f"no source {name!r}; {hint}(kg sources lists them)")


def _plain(quads: list[ox.Quad] | set[ox.Quad]) -> set[ox.Quad]:
    """The statements with no blank node: comparable across two parses of a text."""
    return {
        q
        for q in quads
        if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
    }


def chunks(text: str) -> list[tuple[str | None, str]]:
    """The text as pieces: (a graph block's name, one statement) or (``None``, fixed text)."""
    pieces: list[tuple[str | None, str]] = []
    block: str | None = None
    pending = ""
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if block is None:
            match = _BLOCK.match(line)
            if match:
                block = match.group(1)
            pieces.append((None, line))
        elif stripped == "}":
            if pending:
                pieces.append((None, pending))
                pending = ""
            block = None
            pieces.append((None, line))
        elif not pending and not stripped:
            pieces.append((None, line))
        else:
            pending += line
            if not stripped.startswith("#") and _STATEMENT_END.search(line.rstrip()):
                pieces.append((block, pending))
                pending = ""
    if pending:
        pieces.append((None, pending))
    return pieces


def _prefixes(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if line.startswith("@prefix"))


def _cut(path: Path, text: str, gone: set[ox.Quad]) -> str | None:
    """``text`` without the statements ``gone``, cut out; ``None`` if they cannot be cut."""
    prefixes = _prefixes(text)
    kept: list[tuple[str | None, str]] = []
    for block, piece in chunks(text):
        if block is None:
            kept.append((block, piece))
            continue
        statements = _plain(_parse(f"{prefixes}{block} {{\n{piece}}}\n", path))
        going = statements & gone
        if going and going != statements:
            return None
        if not going:
            kept.append((block, piece))
    # a block left empty goes too, with its opening and closing lines; the end stays as it was
    cut = "".join(piece for _, piece in kept)
    cut = re.sub(r"(?m)^(\S[^{\n]*?)\s*\{\s*\n(\s*\n)*\}\s*\n(\s*\n)?", "", cut)
    return cut.rstrip("\n") + "\n" * (len(text) - len(text.rstrip("\n")))


def plan_removal(layout: DataLayout, name: str) -> Removal:
    """What removing the source ``name`` does to each file, computed and checked, not written.

    Raises:
        SourceNotFound: If no source has that name.
        kg.errors.Findings: If a file cannot be parsed.
    """
    files = [*layout.triple_files(), *([] if layout.include_drafts else layout.draft_files())]
    texts = {path: path.read_text(encoding="utf-8") for path in files}
    parsed: dict[Path, list[ox.Quad]] = {}
    store = ox.Store()
    for path, text in texts.items():
        try:
            parsed[path] = _parse(text, path)
        except SyntaxError as err:
            raise Findings(f"{path}: cannot be parsed: {err}") from None
        store.extend(parsed[path])
    source = resolve_source(set().union(*map(source_names, parsed.values())), name)
    withdrawn = withdraw(store, {ox.NamedNode(source)})
    changes: dict[Path, str | None] = {}
    rewritten: list[Path] = []
    for path, quads in parsed.items():
        gone = set(quads) & withdrawn.quads
        if not gone:
            continue
        if len(gone) == len(set(quads)):
            changes[path] = None
            continue
        stays = [q for q in quads if q not in gone]
        cut = _cut(path, texts[path], _plain(gone))
        if cut is None or not _holds(cut, path, stays):
            cut = _serialise(stays, texts[path])
            rewritten.append(path)
        changes[path] = cut
    return Removal(source, withdrawn.graphs, len(withdrawn.quads), changes, tuple(rewritten))


def _holds(text: str, path: Path, stays: list[ox.Quad]) -> bool:
    """Whether ``text`` holds exactly the statements ``stays`` (blank nodes by count)."""
    try:
        quads = _parse(text, path)
    except SyntaxError:
        return False
    return len(set(quads)) == len(set(stays)) and _plain(quads) == _plain(stays)


def _serialise(quads: list[ox.Quad], original: str) -> str:
    prefixes = {
        m.group(1): m.group(2)
        for m in re.finditer(r"(?m)^@prefix\s+(\w*):\s*<([^>]*)>\s*\.", original)
    }
    body = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes)
    assert body is not None
    return body.decode("utf-8")


def apply_removal(layout: DataLayout, removal: Removal) -> Path:
    """Save the prior bytes of every file in the journal, then write the changes.

    Returns:
        The journal entry (what :func:`kg.data.journal.undo` reads).
    """
    entry = record(layout, "remove", removal.source, list(removal.files))
    for path, text in removal.files.items():
        if text is None:
            path.unlink()
        else:
            write_text(path, text)
    return entry
