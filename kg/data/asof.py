"""The graph as known on a date: ``--as-of DATE`` keeps the sources published by then.

Two times are kept apart. *When a fact was true* is data on the fact (``kg:date``,
``kg:notBefore``/``kg:notAfter``, ``kg:validFrom``/``kg:validUntil``). *When it was reported* is
the ``kg:datePublished`` of the source of its evidence graph. The view on DATE is the data with
every evidence graph left out whose sources were all published after DATE, together with what
describes those graphs and sources (their provenance, their labels, the inferences resting on
them) and the entities no remaining statement mentions any more.

Partial dates are read conservatively: a source counts as published by DATE only when it was
published by DATE whatever day its date stands for, i.e. its *latest possible day* is on or
before DATE (``2025-07`` counts from 2025-07-31, ``2025`` from 2025-12-31). A source with no
``kg:datePublished`` cannot be placed in time and stays in every view.

Supersession needs no special step: ``newer kg:supersedes older`` is stated in the newer fact's
evidence graph, so it is in the view exactly when the newer fact is known; named queries mark a
fact superseded by asking for it.

The view is built once, when the data is loaded (:func:`apply_as_of` on a pyoxigraph store;
:func:`removed_quads` gives the same removals for an rdflib dataset), so queries on it cost what
they cost on the whole graph.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.data.prefixes import (
    CURATION_GRAPH,
    INFERENCE_GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    PROVENANCE_GRAPH,
    shorten,
)
from kg.errors import InvalidValue

__all__ = ["AsOfError", "AsOfView", "apply_as_of", "parse_as_of", "publication_span"]

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_PUBLISHED = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_KG = PREFIXES["kg"]
_DATE_PUBLISHED = ox.NamedNode(_KG + "datePublished")
_SOURCE_CLASSES = (ox.NamedNode(_KG + "SourceArticle"), ox.NamedNode(_KG + "PublicReport"))
_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_DERIVED = ox.NamedNode(PREFIXES["prov"] + "wasDerivedFrom")
_HAS_SOURCE = ox.NamedNode(PREFIXES["oa"] + "hasSource")
_STATEMENT = tuple(ox.NamedNode(PREFIXES["rdf"] + p) for p in ("subject", "predicate", "object"))
_PROVENANCE = ox.NamedNode(PROVENANCE_GRAPH)
_CURATION = ox.NamedNode(CURATION_GRAPH)
_NOT_MENTIONS = frozenset({CURATION_GRAPH, ONTOLOGY_GRAPH, INFERENCE_GRAPH})


class AsOfError(InvalidValue):
    """An ``--as-of`` date that is malformed or earlier than every source."""


def parse_as_of(text: str) -> datetime.date:
    """The day ``--as-of`` names.

    Raises:
        AsOfError: Unless ``text`` is a real calendar day written ``YYYY-MM-DD``.

    >>> parse_as_of("2025-07-01")
    datetime.date(2025, 7, 1)
    """
    match = _DAY.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise AsOfError(
            f"--as-of {text!r}: not a calendar day; write YYYY-MM-DD, e.g. --as-of 2025-07-01"
        ) from None


def publication_span(value: str) -> tuple[datetime.date, datetime.date] | None:
    """The earliest and latest day a publication date may stand for.

    Args:
        value: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or a date-time.

    Returns:
        The two days, or ``None`` when ``value`` is not such a date.

    >>> publication_span("2025-02")
    (datetime.date(2025, 2, 1), datetime.date(2025, 2, 28))
    """
    match = _PUBLISHED.match(value.strip())
    if match is None:
        return None
    year, month, day = (int(x) if x else None for x in match.groups())
    assert year is not None
    try:
        if month is None:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return datetime.date(year, month, 1), datetime.date(year, month, last)
        return (datetime.date(year, month, day),) * 2
    except ValueError:
        return None


@dataclass(frozen=True)
class AsOfView:
    """What the view on a day left out.

    Attributes:
        day: The ``--as-of`` day.
        later_sources: The sources published after it (IRIs).
        dropped_graphs: The evidence graphs left out (IRIs).
        removed: Every statement left out.
    """

    day: datetime.date
    later_sources: frozenset[str]
    dropped_graphs: frozenset[str]
    removed: tuple[ox.Quad, ...]


def _sources(store: ox.Store) -> dict[ox.NamedNode, str | None]:
    """Every source with its publication date as written (``None``: undated)."""
    found: dict[ox.NamedNode, str | None] = {}
    for cls in _SOURCE_CLASSES:
        for quad in store.quads_for_pattern(None, _TYPE, cls, None):
            if isinstance(quad.subject, ox.NamedNode):
                found.setdefault(quad.subject, None)
    for quad in store.quads_for_pattern(None, _HAS_SOURCE, None, None):
        if isinstance(quad.object, ox.NamedNode):
            found.setdefault(quad.object, None)
    for quad in store.quads_for_pattern(None, _DATE_PUBLISHED, None, None):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
            found[quad.subject] = quad.object.value
    return found


def _later(sources: dict[ox.NamedNode, str | None], day: datetime.date) -> set[ox.NamedNode]:
    """The sources not surely published by ``day``; refuses a day before every source."""
    later: set[ox.NamedNode] = set()
    for source, published in sources.items():
        span = publication_span(published) if published is not None else None
        if span is not None and span[1] > day:
            later.add(source)
    if sources and later == set(sources):
        first = min(sources, key=lambda s: publication_span(sources[s] or "") or ())
        raise AsOfError(
            f"--as-of {day.isoformat()}: before every source (the first, {shorten(first.value)}, "
            f"was published {sources[first]}); give a later day"
        )
    return later


def _evidence_sources(store: ox.Store) -> dict[ox.NamedNode, set[ox.NamedNode]]:
    """Each evidence graph described in ``kgg:provenance`` with the sources it derives from."""
    found: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for quad in store.quads_for_pattern(None, _DERIVED, None, _PROVENANCE):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(
            quad.object, ox.NamedNode | ox.BlankNode
        ):
            for link in store.quads_for_pattern(quad.object, _HAS_SOURCE, None, _PROVENANCE):
                if isinstance(link.object, ox.NamedNode):
                    found.setdefault(quad.subject, set()).add(link.object)
    return found


def _closure(
    store: ox.Store, subjects: Iterable[ox.NamedNode | ox.BlankNode], graph: ox.NamedNode
) -> set[ox.Quad]:
    """The statements about ``subjects`` in ``graph``, with the blank nodes they lead to."""
    found: set[ox.Quad] = set()
    todo = list(subjects)
    seen: set[ox.NamedNode | ox.BlankNode] = set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for quad in store.quads_for_pattern(subject, None, None, graph):
            found.add(quad)
            if isinstance(quad.object, ox.BlankNode) and quad.object not in seen:
                todo.append(quad.object)
    return found


def _inferences(store: ox.Store, dropped: set[ox.NamedNode]) -> set[ox.Quad]:
    """Curators' inference records resting on a dropped graph, and the statements they infer."""
    records = {
        quad.subject
        for graph in dropped
        for quad in store.quads_for_pattern(None, _DERIVED, graph, _CURATION)
        if isinstance(quad.subject, ox.NamedNode | ox.BlankNode)
    }
    found = _closure(store, records, _CURATION)
    for record in records:
        parts = [
            next((q.object for q in store.quads_for_pattern(record, p, None, _CURATION)), None)
            for p in _STATEMENT
        ]
        subject, predicate, value = parts
        if (
            isinstance(subject, ox.NamedNode | ox.BlankNode)
            and isinstance(predicate, ox.NamedNode)
            and isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal)
        ):
            found.add(ox.Quad(subject, predicate, value, _CURATION))
    return found


def _mentioned_elsewhere(store: ox.Store, term: ox.NamedNode) -> bool:
    """Whether a statement outside curation, ontology and entailments names ``term``."""
    for quads in (
        store.quads_for_pattern(term, None, None, None),
        store.quads_for_pattern(None, None, term, None),
    ):
        for quad in quads:
            graph = quad.graph_name
            if not isinstance(graph, ox.NamedNode) or graph.value not in _NOT_MENTIONS:
                return True
    return False


def apply_as_of(store: ox.Store, day: datetime.date) -> AsOfView:
    """Leave out of ``store`` what was not yet published on ``day`` (see the module's notes).

    Call it after loading and before the RDFS entailments are added.

    Raises:
        AsOfError: If ``day`` is before every source.
    """
    later = _later(_sources(store), day)
    dropped = {
        graph for graph, sources in _evidence_sources(store).items() if sources and sources <= later
    }
    removed: set[ox.Quad] = set()
    mentioned: set[ox.NamedNode] = set()
    for graph in dropped:
        for quad in store.quads_for_pattern(None, None, None, graph):
            removed.add(quad)
            mentioned |= {t for t in (quad.subject, quad.object) if isinstance(t, ox.NamedNode)}
    removed |= _closure(store, dropped | later, _PROVENANCE)
    removed |= _closure(store, later, _CURATION)
    removed |= _inferences(store, dropped)
    for quad in removed:
        store.remove(quad)
    orphans = [t for t in mentioned - later if not _mentioned_elsewhere(store, t)]
    for quad in _closure(store, orphans, _CURATION):
        removed.add(quad)
        store.remove(quad)
    return AsOfView(
        day,
        frozenset(s.value for s in later),
        frozenset(g.value for g in dropped),
        tuple(sorted(removed, key=str)),
    )
