"""Applying judgements: merge two entities, say they differ, and undo either exactly.

The checks run before anything is written, so a refused judgement changes nothing: an entity
judged against itself, an unknown one, a pair judged already, a merge that would make a circle
of referents, and a merge across unrelated classes (a person with a company) unless forced.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from kg.data.prefixes import shorten
from kg.errors import InvalidValue, NotFound
from kg.identity.judgements import VERDICTS, Judgement, append, judgements_path, read, remove
from kg.identity.referents import ReferentCycle, canonical_map
from kg.identity.xref import class_ancestors, compatible

__all__ = ["decide", "now", "referents_of", "split", "undo"]

_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def now() -> str:
    """The current time as an ``xsd:dateTime`` in UTC, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def referents_of(judgements: list[Judgement]) -> dict[str, str]:
    """Each referent of ``judgements`` mapped to its canonical IRI."""
    return canonical_map((j.right, j.left) for j in judgements if j.verdict == "SameAs")


def _types(store: ox.Store, iri: str) -> set[str]:
    quads = store.quads_for_pattern(ox.NamedNode(iri), _TYPE, None, None)
    return {q.object.value for q in quads if isinstance(q.object, ox.NamedNode)}


def _known(store: ox.Store, iri: str) -> bool:
    node = ox.NamedNode(iri)
    return any(True for _ in store.quads_for_pattern(node, None, None, None)) or any(
        True for _ in store.quads_for_pattern(None, None, node, None)
    )


def decide(
    triples_dir: Path,
    store: ox.Store,
    judgement: Judgement,
    *,
    force: bool = False,
) -> Judgement:
    """Check ``judgement`` against the data and the judgements so far, then record it.

    Args:
        triples_dir: The data folder's ``triples/``.
        store: The data as loaded (referents applied), to check the entities and their classes.
        judgement: What to record.
        force: Merge even across unrelated classes.

    Raises:
        InvalidValue: The same entity twice, a pair judged already, a circle, unrelated classes.
        NotFound: An entity the data does not use.
    """
    left, right = judgement.left, judgement.right
    if judgement.verdict not in VERDICTS:
        raise InvalidValue(f"unknown verdict {judgement.verdict!r}; use one of {VERDICTS}")
    if left == right:
        raise InvalidValue(f"{shorten(left)} is one entity already: nothing to judge")
    path = judgements_path(triples_dir)
    previous = read(path)
    referents = referents_of(previous)
    for iri in (left, right):
        if iri in referents:
            raise InvalidValue(
                f"{shorten(iri)} is merged into {shorten(referents[iri])} already; judge"
                f" {shorten(referents[iri])} instead, or `kg split {shorten(iri)}` first"
            )
        if not _known(store, iri):
            raise NotFound(f"no entity is called {shorten(iri)} in the data")
    for earlier in previous:
        if earlier.pair() == judgement.pair():
            raise InvalidValue(
                f"{shorten(left)} and {shorten(right)} were judged {earlier.verdict} by"
                f" {earlier.user or 'someone'} on {earlier.when}; `kg merge --undo"
                f" {shorten(earlier.left)} {shorten(earlier.right)}` first"
            )
    if judgement.verdict == "SameAs":
        try:
            canonical_map(
                [*((j.right, j.left) for j in previous if j.verdict == "SameAs"), (right, left)]
            )
        except ReferentCycle as err:
            raise InvalidValue(str(err)) from None
        mine, theirs = _types(store, left), _types(store, right)
        if not force and not compatible(mine, theirs, class_ancestors(store)):
            raise InvalidValue(
                f"{shorten(left)} ({', '.join(sorted(map(shorten, mine)))}) and {shorten(right)}"
                f" ({', '.join(sorted(map(shorten, theirs)))}) have unrelated classes;"
                " add --force to merge them anyway"
            )
    append(path, judgement)
    return judgement


def undo(triples_dir: Path, left: str, right: str) -> Judgement:
    """Remove the judgement about ``left`` and ``right``, leaving the file as it was before it.

    Raises:
        NotFound: If no judgement concerns the pair.
    """
    path = judgements_path(triples_dir)
    pair = frozenset((left, right))
    found = [j for j in read(path) if j.pair() == pair]
    if not found:
        raise NotFound(f"no judgement about {shorten(left)} and {shorten(right)} to undo")
    remove(path, found[-1])
    return found[-1]


def split(triples_dir: Path, iri: str) -> Judgement:
    """Undo the merge that made ``iri`` a referent (or, for a canonical IRI, its only merge).

    Raises:
        NotFound: If ``iri`` takes part in no merge.
        InvalidValue: If ``iri`` is canonical for several referents (name the one to split).
    """
    path = judgements_path(triples_dir)
    merges = [j for j in read(path) if j.verdict == "SameAs"]
    own = [j for j in merges if j.right == iri] or [j for j in merges if j.left == iri]
    if not own:
        raise NotFound(f"{shorten(iri)} takes part in no merge; `kg xref --judged` lists them")
    if len(own) > 1:
        listed = ", ".join(shorten(j.right) for j in own)
        raise InvalidValue(f"{shorten(iri)} has several referents ({listed}); split one of them")
    remove(path, own[0])
    return own[0]
