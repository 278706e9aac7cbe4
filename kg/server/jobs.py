"""The job records the server sends to a worker process (:mod:`kg.server.workers`).

A job says *what* to compute; :meth:`kg.server.answers.Service.handle` computes it in the worker
and returns an :class:`~kg.server.response.Answer`. Jobs travel pickled, so they hold plain
values only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

__all__ = ["EntityJob", "ExploreJob", "OntologyJob", "QueryJob"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class QueryJob:
    """Run a query and serialise its result.

    Attributes:
        text: The SPARQL query (already passed :func:`kg.query.safety.analyse` in the server).
        fmt: The name of a format of :mod:`kg.query.results` that suits the query's form.
        bindings: Pre-bound variables (named queries' parameters).
        default_graphs: ``default-graph-uri`` values, or ``None`` for the union of all graphs.
        named_graphs: ``named-graph-uri`` values, or ``None`` for every graph.
        base_iri: What relative IRIs in the query resolve against (the request's URL, as the
            SPARQL 1.1 Protocol tests expect), or ``None``.
    """

    text: str
    fmt: str
    bindings: Mapping[str, Term] = field(default_factory=dict)
    default_graphs: Sequence[str] | None = None
    named_graphs: Sequence[str] | None = None
    base_iri: str | None = None


@dataclass(frozen=True)
class EntityJob:
    """Render the page of the entity ``iri`` (the server resolved ``name``, as typed, to it)."""

    iri: str
    name: str


@dataclass(frozen=True)
class ExploreJob:
    """Render the graph explorer (:mod:`kg.explore.page`), whole or around ``focus``."""

    focus: str | None
    lang: str


@dataclass(frozen=True)
class OntologyJob:
    """Render the ontology page (:mod:`kg.explore.ontology_page`): its terms and their use."""
