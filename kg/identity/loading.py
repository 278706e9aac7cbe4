"""The data as identity work sees it: one pyoxigraph store, merges applied, drafts on demand.

:func:`judge` and :func:`draft_candidates` are what a client such as the review desk calls:
the same functions as ``kg merge`` and ``kg xref --draft``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.data.paths import DataLayout
from kg.data.prefixes import ONTOLOGY_GRAPH, PREFIXES
from kg.errors import Findings, NotFound
from kg.identity.judgements import Judgement, judgements_path, read
from kg.identity.merge import decide, now
from kg.identity.referents import apply_to_store
from kg.identity.xref import Candidate, candidates, entities

__all__ = ["draft_candidates", "judge", "judged_pairs", "load_store"]


class DataError(Findings, ValueError):
    """A data or draft file does not parse."""


def load_store(layout: DataLayout, extra: Sequence[Path] = ()) -> ox.Store:
    """The ontology, the data files and ``extra`` files in one store, with merges applied.

    Raises:
        NotFound: If an ``extra`` file does not exist.
        DataError: If a file does not parse (with its name and the parser's line).
    """
    store = ox.Store()
    files = [*layout.triple_files(), *extra]
    for path in extra:
        if not path.is_file():
            raise NotFound(f"{path}: no such file")
    current = layout.ontology
    try:
        store.bulk_load(
            path=str(layout.ontology),
            format=ox.RdfFormat.TURTLE,
            to_graph=ox.NamedNode(ONTOLOGY_GRAPH),
        )
        for path in files:
            current = path
            fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE
            store.bulk_load(path=str(path), format=fmt)
    except SyntaxError as err:
        raise DataError(f"{current}: {err}") from None
    apply_to_store(store)
    return store


def judged_pairs(layout: DataLayout) -> set[frozenset[str]]:
    """The pairs of entities judged so far (same, not the same or unsure)."""
    return {j.pair() for j in read(judgements_path(layout.triples_dir))}


def draft_candidates(layout: DataLayout, draft: Path, *, min_score: float = 0.5) -> list[Candidate]:
    """The candidates that involve the new entities a draft proposes (``kgg:draft-curation``).

    This is what the review desk shows beside a new source's proposals: each new entity the
    draft would add, paired with the entities of the data (or of the draft) it may be.

    Args:
        layout: The data folder.
        draft: A ``kg draft`` document (TriG).
        min_score: The lowest score to list.
    """
    store = load_store(layout, [draft])
    new = {iri for iri, entity in entities(store).items() if entity.draft}
    new |= {
        q.subject.value
        for q in store.quads_for_pattern(
            None, None, None, ox.NamedNode(PREFIXES["kgg"] + "draft-curation")
        )
        if isinstance(q.subject, ox.NamedNode)
    }
    return candidates(store, judged_pairs(layout), involving=new, min_score=min_score)


def judge(
    layout: DataLayout,
    verdict: str,
    left: str,
    right: str,
    *,
    user: str,
    why: str = "",
    force: bool = False,
) -> Judgement:
    """Record a judgement about two entities (IRIs), after every check of ``kg merge``.

    Args:
        layout: The data folder (its drafts too when ``layout.include_drafts``).
        verdict: ``SameAs`` (``left`` stays canonical), ``NotSame`` or ``Unsure``.
        left: The first entity's IRI.
        right: The second entity's IRI.
        user: Who judges.
        why: Why, in the curator's words.
        force: Merge even across unrelated classes.

    Returns:
        The judgement, as recorded (undo: :func:`kg.identity.merge.undo`).
    """
    judgement = Judgement(verdict, left, right, user, now(), why)
    return decide(layout.triples_dir, load_store(layout), judgement, force=force)
