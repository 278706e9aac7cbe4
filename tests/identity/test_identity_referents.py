"""Referents: chains resolve to their end, circles are refused, loading moves statements."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef

from kg.data.prefixes import CURATION_GRAPH, PREFIXES
from kg.identity.referents import (
    IDENTITY,
    IDENTITY_GRAPH,
    SAME_AS,
    ReferentCycle,
    apply_to_dataset,
    apply_to_store,
    canonical_map,
)

KGR, RDFS, SKOS = PREFIXES["kgr"], PREFIXES["rdfs"], PREFIXES["skos"]


def test_a_chain_of_merges_resolves_to_its_end() -> None:
    assert canonical_map([("C", "B"), ("B", "A")]) == {"C": "A", "B": "A"}


def test_a_circle_of_merges_is_refused() -> None:
    with pytest.raises(ReferentCycle, match="circle: <A> → <B> → <A>"):
        canonical_map([("A", "B"), ("B", "A")])
    with pytest.raises(ReferentCycle, match="circle"):
        canonical_map([("A", "B"), ("B", "C"), ("C", "A")])


def test_one_referent_cannot_be_two_entities() -> None:
    with pytest.raises(ReferentCycle, match="merged into both"):
        canonical_map([("B", "A"), ("B", "C")])


def _store() -> ox.Store:
    store = ox.Store()
    curation = ox.NamedNode(CURATION_GRAPH)
    a, b = ox.NamedNode(KGR + "A"), ox.NamedNode(KGR + "B")
    fact = ox.NamedNode(KGR + "Funding")
    store.add(ox.Quad(a, ox.NamedNode(RDFS + "label"), ox.Literal("甲", language="zh"), curation))
    store.add(ox.Quad(b, ox.NamedNode(RDFS + "label"), ox.Literal("乙", language="zh"), curation))
    store.add(ox.Quad(fact, ox.NamedNode(PREFIXES["kg"] + "investee"), b, ox.NamedNode(KGR + "ev")))
    store.add(ox.Quad(b, SAME_AS, a, IDENTITY))
    return store


def test_loading_moves_a_referents_statements_to_the_canonical_iri() -> None:
    store = _store()
    assert apply_to_store(store) == 2
    a, b = ox.NamedNode(KGR + "A"), ox.NamedNode(KGR + "B")
    left = {(q.predicate.value, q.object.value) for q in store.quads_for_pattern(a, None, None)}
    assert left == {(RDFS + "label", "甲"), (SKOS + "altLabel", "乙")}  # its label: an alias
    assert [
        q.object for q in store.quads_for_pattern(ox.NamedNode(KGR + "Funding"), None, None)
    ] == [a]
    assert [q.graph_name for q in store.quads_for_pattern(b, None, None)] == [IDENTITY]


def test_the_rdflib_dataset_gets_the_same_rewriting() -> None:
    dataset = Dataset(default_union=True)
    for quad in _store():
        graph = dataset.graph(URIRef(quad.graph_name.value))
        obj = quad.object
        term = (
            Literal(obj.value, lang=obj.language)
            if isinstance(obj, ox.Literal)
            else URIRef(obj.value)
        )
        graph.add((URIRef(quad.subject.value), URIRef(quad.predicate.value), term))
    assert apply_to_dataset(dataset) == {KGR + "B": KGR + "A"}
    b = URIRef(KGR + "B")
    assert {str(g.identifier) for g in dataset.graphs() if (b, None, None) in g} == {IDENTITY_GRAPH}
    assert (URIRef(KGR + "A"), URIRef(SKOS + "altLabel"), Literal("乙", lang="zh")) in dataset
