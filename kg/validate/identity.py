"""Identity rule: every judgement names entities the data still has (``kg merge``).

A judgement can outlive what it judged: a source removed, an entity renamed. The judgements
file is read as :mod:`kg.identity.judgements` reads it (a broken file is a problem too), and
each entity a judgement names must be used by the data outside ``kgg:identity``. A merge's
referent is not checked: loading moved its statements to the canonical entity.
"""

from __future__ import annotations

from rdflib import Dataset, URIRef

from kg.data.namespaces import IDENTITY_GRAPH
from kg.data.paths import DataLayout
from kg.data.prefixes import shorten
from kg.identity.judgements import JudgementFileError, judgements_path, read
from kg.validate.report import Problem

__all__ = ["check_judgements"]


def _used(dataset: Dataset, iri: URIRef) -> bool:
    for pattern in ((iri, None, None, None), (None, None, iri, None)):
        for *_, graph in dataset.quads(pattern):
            if getattr(graph, "identifier", graph) != IDENTITY_GRAPH:
                return True
    return False


def check_judgements(layout: DataLayout, dataset: Dataset) -> list[Problem]:
    """Problems of the judgements file of ``layout`` against the loaded ``dataset``."""
    path = judgements_path(layout.triples_dir)
    try:
        judgements = read(path)
    except JudgementFileError as err:
        return [Problem("identity", str(path), str(err).removeprefix(f"{path}: "))]
    problems = []
    for judgement in judgements:
        named = (
            [judgement.left] if judgement.verdict == "SameAs" else [judgement.left, judgement.right]
        )
        for iri in named:
            if not _used(dataset, URIRef(iri)):
                problems.append(
                    Problem(
                        "identity",
                        shorten(judgement.iri),
                        f"judges {shorten(iri)}, which the data no longer uses; undo it with"
                        f" `kg merge --undo {shorten(judgement.left)} {shorten(judgement.right)}`",
                    )
                )
    return problems
