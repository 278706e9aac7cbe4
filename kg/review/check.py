"""Validating a decision in memory, before anything is written.

:func:`problems` assembles the data as it would be with some files replaced and runs the
project's own checks on it (:mod:`kg.validate`): graphs described, SHACL, sources named, amounts
equal to their words, claims' words in their quotes, every term declared, and the quotes at their
offsets in the source's text when the desk has it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.data.paths import DataLayout
from kg.data.source import SourceText
from kg.data.store import LoadError, assemble, parse_file
from kg.validate import Problem
from kg.validate.amounts import amount_nodes, check_amounts
from kg.validate.evidence import check_claim_words, check_quotes, evidence_quotes
from kg.validate.shacl import run_shacl
from kg.validate.sources import check_named_sources, quotes_by_source
from kg.validate.structure import check_graphs
from kg.validate.vocabulary import check_data, declared_terms

__all__ = ["Version", "problems", "version"]


def _stamp(path: Path) -> tuple[int, int]:
    """A file's version: its modification time (ns) and size (the desk replaces files whole)."""
    status = path.stat()
    return status.st_mtime_ns, status.st_size


#: Each file's path, modification time (ns) and size.
Version = tuple[tuple[str, int, int], ...]


def version(layout: DataLayout, but: Path) -> Version:
    """The version of the files the checks read but ``but``: each one's path and :func:`_stamp`.

    The desk knows the problems of the data by the source's file it replaces and this version
    of the rest (the ontology, the shapes, the other data files), which others may change.
    """
    files = [layout.ontology, layout.shapes, *layout.triple_files()]
    return tuple((str(path), *_stamp(path)) for path in files if path != but)


@lru_cache(maxsize=256)
def _parsed(path: Path, stamp: tuple[int, int]) -> Dataset:
    """A data file's parse, once per version of it (:func:`assemble` copies it, never changes it).

    The desk checks every decision against the whole data; the files it does not replace are
    the same from one decision to the next.
    """
    return parse_file(path)


@lru_cache(maxsize=8)
def _declared(ontology: Path, stamp: tuple[int, int]) -> frozenset[URIRef]:
    """The terms ``ontology`` declares, once per version of it."""
    return frozenset(declared_terms(Graph().parse(ontology, format="turtle")))


def _parse(path: Path, data: bytes) -> Dataset:
    dataset = Dataset()
    try:
        dataset.parse(data=data.decode("utf-8"), format="trig")
    except BadSyntax as err:
        raise LoadError(path, err.lines + 1, f"syntax error: {err.message}") from None
    return dataset


def problems(
    layout: DataLayout, replaced: Mapping[Path, bytes], text: SourceText | None
) -> list[Problem]:
    """What the checks find in the data of ``layout`` with ``replaced`` files' new content.

    Args:
        layout: The data folder (drafts left out).
        replaced: New content of data files (new files included).
        text: The source's text, to check the quotes of its evidence at their offsets.

    """
    parts = [
        (path, _parsed(path, _stamp(path)))
        for path in [layout.ontology, *layout.triple_files()]
        if path not in replaced
    ]
    parts += [(path, _parse(path, data)) for path, data in replaced.items()]
    dataset, _ = assemble(parts)
    found = check_graphs(dataset)
    found += run_shacl(dataset, layout.shapes)
    found += check_named_sources(dataset)
    evidence = dict(evidence_quotes(dataset))
    found += check_amounts(dataset, list(amount_nodes(dataset)), evidence)
    found += check_claim_words(dataset, evidence)
    if text is not None:
        sources = set(dataset.subjects(predicate=None, object=Literal(text.sha256)))
        mine = {g: q for g, s, q in quotes_by_source(dataset) if s in sources}
        found += check_quotes(mine, text)
    declared = _declared(layout.ontology, _stamp(layout.ontology))
    with tempfile.TemporaryDirectory(prefix="kg-review-") as folder:
        for path, data in replaced.items():
            copy = Path(folder) / path.name
            copy.write_bytes(data)
            found += [
                Problem("vocabulary", f"{path.name}:{u.line}", u.message)
                for u in check_data([copy], declared)
            ]
    return found
