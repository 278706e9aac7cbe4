"""How the data uses each ontology term, read from a loaded store in one pass.

What the ontology page says of a term: how many statements use it (as property, or as the class
of an ``rdf:type``), and one example: its first statement in the order quoted evidence graphs
first, then by graph, subject, property and value. Read from the Oxigraph store ``kg serve``
already holds, in Oxigraph's own terms (no rdflib parse, no conversion of every statement); only
the example statements and what shows them (labels, quotes) are converted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import RDF, URIRef

from kg.data.namespaces import PROV
from kg.data.prefixes import IDENTITY_GRAPH, ONTOLOGY_GRAPH, PROVENANCE_GRAPH
from kg.data.rdflib_bridge import to_rdflib
from kg.network.reading import HasQuads
from kg.network.rules import Vocabulary

__all__ = ["UsedTerm", "store_usage"]

_SKIPPED = frozenset({ox.NamedNode(ONTOLOGY_GRAPH), ox.NamedNode(IDENTITY_GRAPH)})
_PROVENANCE = ox.NamedNode(PROVENANCE_GRAPH)
_TYPE = ox.NamedNode(str(RDF.type))
_DERIVED = ox.NamedNode(str(PROV.wasDerivedFrom))
_CHAIN = 3
"""Steps from an evidence graph to its quote's words (graph → resource → selector → words)."""


class UsedTerm(Protocol):
    """What :func:`store_usage` fills in (a term of the ontology page)."""

    iri: URIRef
    uses: int
    example: Any
    quote: str


def store_usage(terms: Iterable[UsedTerm], store: HasQuads) -> Vocabulary:
    """Fill each term's use count, example and quote from ``store``; what shows the examples.

    Returns:
        The labels and quotes of the examples' nodes and graphs.
    """
    by_iri = {ox.NamedNode(str(t.iri)): t for t in terms}
    derived = store.quads_matching(None, _DERIVED, None)
    quoted = {q.subject for q in derived if q.graph_name not in _SKIPPED}
    uses: Counter[Any] = Counter()
    best: dict[Any, tuple[bool, str, str, str, str]] = {}
    examples: dict[Any, ox.Quad] = {}
    for quad in store.loaded_quads():
        graph: Any = quad.graph_name
        if graph in _SKIPPED:
            continue
        subject, predicate, obj = _terms(quad)
        target = obj if predicate == _TYPE else predicate
        if target not in by_iri:
            continue
        uses[target] += 1
        flag, known = graph not in quoted, best.get(target)
        if known is not None and (flag, graph.value) > known[:2]:  # cheap test first
            continue
        key = (flag, graph.value, subject.value, predicate.value, obj.value)
        if known is None or key < known:
            best[target], examples[target] = key, quad
    vocab = _vocabulary(store, examples.values())
    for iri, term in by_iri.items():
        term.uses = uses[iri]
        example = examples.get(iri)
        if example is not None:
            term.example = tuple(to_rdflib(t) for t in _terms(example))
            quotes = vocab.quotes.get(to_rdflib(example.graph_name))
            term.quote = str(quotes.get("quote", "")) if quotes else ""
    return vocab


def _terms(quad: ox.Quad) -> tuple[Any, Any, Any]:
    """Subject, predicate and object (IRIs, blank nodes and literals: each has ``.value``)."""
    return quad.subject, quad.predicate, quad.object


def _vocabulary(store: HasQuads, examples: Iterable[ox.Quad]) -> Vocabulary:
    """A vocabulary of the examples' nodes (labels) and graphs (their quotes' provenance)."""
    vocab = Vocabulary()
    seen: set[Any] = set()
    nodes: list[Any] = []
    chain: list[Any] = []
    for quad in examples:
        nodes += [t for t in (quad.subject, quad.predicate, quad.object) if _resource(t)]
        chain.append(quad.graph_name)
    for node in nodes:
        _feed(vocab, store, node, seen, provenance_only=False)
    for _ in range(_CHAIN + 1):
        found = [_feed(vocab, store, node, seen, provenance_only=True) for node in chain]
        chain = [o for objects in found for o in objects]
    vocab.finish()
    return vocab


def _feed(
    vocab: Vocabulary, store: HasQuads, node: Any, seen: set[Any], *, provenance_only: bool
) -> list[Any]:
    """Add ``node``'s statements to ``vocab`` once; the resources they point to."""
    if (node, provenance_only) in seen:
        return []
    seen.add((node, provenance_only))
    pointed = []
    for quad in store.quads_matching(node, None, None):
        if quad.graph_name in _SKIPPED or (provenance_only and quad.graph_name != _PROVENANCE):
            continue
        vocab.add(to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
        if _resource(quad.object):
            pointed.append(quad.object)
    return pointed


def _resource(term: Any) -> bool:
    return isinstance(term, ox.NamedNode | ox.BlankNode)
