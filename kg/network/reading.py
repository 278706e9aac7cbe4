"""Reading the RDF for the projection: statements by graph, vocabulary terms, evidence order."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol, cast, runtime_checkable

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.data.namespaces import (
    CURATION_GRAPH,
)
from kg.data.rdflib_bridge import to_rdflib
from kg.network.rules import (
    VOCABULARY_NAMESPACES,
)

Attrs = dict[str, Any]


# ---------------------------------------------------------------- reading the RDF
@dataclass
class Statements:
    """The asserted statements, indexed by subject, with the graphs that assert each."""

    out: dict[Node, dict[tuple[URIRef, Node], set[URIRef]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    mentioned: set[URIRef] = field(default_factory=set)

    def add(self, s: Node, p: URIRef, o: Node, graph: URIRef, mention: bool) -> None:
        """Record ``s p o`` as stated in ``graph`` (``mention``: its IRIs are entities)."""
        self.out[s].setdefault((p, o), set()).add(graph)
        if mention and p not in _NOT_MENTIONING:
            if isinstance(s, URIRef):
                self.mentioned.add(s)
            if isinstance(o, URIRef):
                self.mentioned.add(o)


_NOT_MENTIONING = frozenset({RDF.type})
"""Properties whose statements make no entity of their subject or object."""


@lru_cache(maxsize=1 << 16)
def is_vocabulary(term: Node) -> bool:
    """Whether ``term`` belongs to a vocabulary (kg:, rdf:, rdfs:, owl:, xsd:, skos:)."""
    return str(term).startswith(VOCABULARY_NAMESPACES)


def graph_id(graph: Graph | Node | None) -> Node | None:
    """The name of a graph, whether given as a graph or as its name."""
    return graph.identifier if isinstance(graph, Graph) else graph


def graph_quads(
    source: Graph, keep: Callable[[URIRef], bool]
) -> Iterator[tuple[Node, URIRef, Node, URIRef]]:
    """Statements with their graph (all graphs of a Dataset that ``keep`` accepts).

    A plain Graph counts as one graph, named by its identifier.
    """
    if isinstance(source, Dataset):
        for s, p, o, g in source.quads((None, None, None, None)):
            gid = graph_id(g)
            if isinstance(gid, URIRef) and isinstance(p, URIRef) and keep(gid):
                yield s, p, o, gid
    else:
        gid = source.identifier if isinstance(source.identifier, URIRef) else URIRef("urn:x:")
        for s, p, o in source:
            if isinstance(p, URIRef):
                yield s, p, o, gid


@runtime_checkable
class HasQuads(Protocol):
    """A loaded store the projection can read in one pass (an Oxigraph engine is one)."""

    referents: dict[str, str]

    def loaded_quads(self) -> Iterator[ox.Quad]:
        """Every quad as loaded (referents applied), without the entailments."""
        ...

    def quads_matching(
        self,
        subject: ox.NamedNode | ox.BlankNode | None,
        predicate: ox.NamedNode | None,
        obj: ox.NamedNode | ox.BlankNode | ox.Literal | None,
    ) -> Iterator[ox.Quad]:
        """The loaded quads that match a pattern (``None``: anything), in any graph."""
        ...


@runtime_checkable
class HasEngine(Protocol):
    """What holds a query engine (a :class:`kg.KnowledgeGraph`, which opens it on first use)."""

    @property
    def engine(self) -> object:
        """The engine (an Oxigraph engine is also :class:`HasQuads`)."""
        ...


def store_quads(
    store: HasQuads, keep: Callable[[URIRef], bool], known: Iterable[URIRef] = ()
) -> Iterator[tuple[Node, URIRef, Node, URIRef]]:
    """:func:`graph_quads` of a loaded store, in one pass, as rdflib terms.

    Each distinct term is converted once and shared by every statement naming it, and the
    ``known`` IRIs are these very objects, so the reader's indexes find them by identity
    (rdflib compares terms in Python, a slow step when done once per statement).
    """
    terms: dict[Any, Node] = {}
    named = {str(iri): iri for iri in known}
    kept: dict[Any, bool] = {}

    def term(value: Any) -> Node:
        found = terms.get(value)
        if found is None:
            if isinstance(value, ox.NamedNode):
                found = named.get(value.value) or URIRef(value.value)
            else:
                found = to_rdflib(value)
            terms[value] = found
        return found

    known_term = terms.get  # looked up first: most terms are met before (no call of term())
    for subject, predicate, obj, graph in store.loaded_quads():
        wanted = kept.get(graph)
        if wanted is None:
            wanted = kept[graph] = isinstance(graph, ox.NamedNode) and keep(URIRef(graph.value))
        if wanted and isinstance(predicate, ox.NamedNode):
            yield (
                known_term(subject) or term(subject),
                cast(URIRef, known_term(predicate) or term(predicate)),
                known_term(obj) or term(obj),
                cast(URIRef, known_term(graph) or term(graph)),
            )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a projection allocates its objects.

    They form no garbage cycles, but each collection scans all of them again: left on, the
    collector makes the time grow faster than the data.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def by_position(quote: Attrs) -> tuple[int, str]:
    """Sort key of quotes: by offset in the article (unknown first), then by graph."""
    start = quote.get("start")
    return (start if isinstance(start, int) else -1, str(quote["graph"]))


def only_curated(graphs: Iterable[URIRef]) -> bool:
    """Whether a statement is asserted by the curators alone (no evidence graph)."""
    return all(g == CURATION_GRAPH for g in graphs)
