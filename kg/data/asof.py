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
from dataclasses import dataclass

import pyoxigraph as ox

from kg.data.prefixes import PREFIXES, shorten
from kg.data.withdraw import withdraw
from kg.errors import InvalidValue

__all__ = ["AsOfError", "AsOfView", "apply_as_of", "parse_as_of", "publication_span"]

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_PUBLISHED = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_KG = PREFIXES["kg"]
_DATE_PUBLISHED = ox.NamedNode(_KG + "datePublished")
_SOURCE_CLASSES = (ox.NamedNode(_KG + "SourceArticle"), ox.NamedNode(_KG + "PublicReport"))
_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_HAS_SOURCE = ox.NamedNode(PREFIXES["oa"] + "hasSource")


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


def apply_as_of(store: ox.Store, day: datetime.date) -> AsOfView:
    """Leave out of ``store`` what was not yet published on ``day`` (see the module's notes).

    Call it after loading and before the RDFS entailments are added.

    Raises:
        AsOfError: If ``day`` is before every source.
    """
    later = _later(_sources(store), day)
    withdrawn = withdraw(store, later)
    return AsOfView(
        day,
        frozenset(s.value for s in later),
        withdrawn.graphs,
        tuple(sorted(withdrawn.quads, key=str)),
    )
