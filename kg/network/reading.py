"""Reading the RDF for the projection: statements by graph, vocabulary terms, evidence order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.data.namespaces import (
    CURATION_GRAPH,
)
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
        if mention:
            for term in (s, o):
                if isinstance(term, URIRef) and p != RDF.type:
                    self.mentioned.add(term)


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


def by_position(quote: Attrs) -> tuple[int, str]:
    """Sort key of quotes: by offset in the article (unknown first), then by graph."""
    start = quote.get("start")
    return (start if isinstance(start, int) else -1, str(quote["graph"]))


def only_curated(graphs: Iterable[URIRef]) -> bool:
    """Whether a statement is asserted by the curators alone (no evidence graph)."""
    return all(g == CURATION_GRAPH for g in graphs)
