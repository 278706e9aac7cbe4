"""Referents (kg.identity.referents) at the edges of their rules, on both engines' datasets.

What only the identity graph says, what a repeated judgement does, which statements move and
which stay, and how many (see docs/mutation.md).
"""

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
    referents_in_dataset,
    referents_in_store,
)

KGR, RDFS, SKOS, KG = PREFIXES["kgr"], PREFIXES["rdfs"], PREFIXES["skos"], PREFIXES["kg"]
A, B, C, D = (KGR + x for x in "ABCD")


def test_a_judgement_stated_twice_is_one() -> None:
    assert canonical_map([(B, A), (B, A), (C, B)]) == {B: A, C: A}


def test_chains_resolve_whatever_the_order_of_the_statements() -> None:
    assert canonical_map([(A, B), (B, C), (C, D)]) == {A: D, B: D, C: D}
    assert canonical_map([(C, D), (B, C), (A, B)]) == {A: D, B: D, C: D}
    assert canonical_map([]) == {}


def test_the_messages_name_the_entities_as_curies() -> None:
    with pytest.raises(
        ReferentCycle,
        match=r"^kgg:identity: kgr:B is merged into both kgr:A and kgr:C; undo one judgement$",
    ):
        canonical_map([(B, A), (B, C)])
    with pytest.raises(
        ReferentCycle,
        match=r"^kgg:identity: merges go round in a circle: kgr:A → kgr:B → kgr:C → kgr:A$",
    ):
        canonical_map([(A, B), (B, C), (C, A)])
    with pytest.raises(ReferentCycle, match=r"circle: kgr:A → kgr:A$"):
        canonical_map([(A, A)])


def _nn(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _store() -> ox.Store:
    store = ox.Store()
    cur, ev = _nn(CURATION_GRAPH), _nn(KGR + "ev")
    label, alias, investee = _nn(RDFS + "label"), _nn(SKOS + "altLabel"), _nn(KG + "investee")
    store.add(ox.Quad(_nn(A), label, ox.Literal("甲", language="zh"), cur))
    store.add(ox.Quad(_nn(B), label, ox.Literal("乙", language="zh"), cur))
    store.add(ox.Quad(_nn(B), alias, ox.Literal("乙公司", language="zh"), cur))
    store.add(ox.Quad(_nn(C), label, ox.Literal("丙", language="zh"), cur))
    store.add(ox.Quad(_nn(KGR + "F"), investee, _nn(B), ev))
    store.add(ox.Quad(_nn(B), _nn(KG + "partnerOf"), _nn(C), ev))  # both ends are referents
    store.add(ox.Quad(ox.BlankNode("x"), investee, _nn(C), ev))
    store.add(ox.Quad(_nn(B), SAME_AS, _nn(A), IDENTITY))
    store.add(ox.Quad(_nn(C), SAME_AS, _nn(B), IDENTITY))
    store.add(ox.Quad(_nn(D), SAME_AS, _nn(A), cur))  # not in the identity graph: no merge
    store.add(ox.Quad(_nn(D), SAME_AS, ox.Literal("A"), IDENTITY))  # not an IRI: no merge
    store.add(ox.Quad(_nn(B), _nn(KG + "memberOf"), _nn(KGR + "G"), ev))
    # The judgement itself, as the identity graph records it beside the owl:sameAs: no merge.
    judgement = _nn(KGR + "Judgement-1")
    store.add(ox.Quad(judgement, _nn(KG + "leftEntity"), _nn(A), IDENTITY))
    store.add(ox.Quad(judgement, _nn(KG + "rightEntity"), _nn(B), IDENTITY))
    return store


def _triples(store: ox.Store, graph: str) -> set[tuple[str, str, str]]:
    return {
        (
            q.subject.value if isinstance(q.subject, ox.NamedNode) else "_",
            q.predicate.value,
            q.object.value,
        )
        for q in store.quads_for_pattern(None, None, None, _nn(graph))
    }


def test_only_the_identity_graphs_links_between_iris_merge() -> None:
    assert referents_in_store(_store()) == {B: A, C: A}


def test_every_statement_of_a_referent_moves_and_its_labels_become_aliases() -> None:
    store = _store()
    assert apply_to_store(store) == 7
    assert _triples(store, CURATION_GRAPH) == {
        (A, RDFS + "label", "甲"),
        (A, SKOS + "altLabel", "乙"),
        (A, SKOS + "altLabel", "乙公司"),
        (A, SKOS + "altLabel", "丙"),
        (D, PREFIXES["owl"] + "sameAs", A),
    }
    assert _triples(store, KGR + "ev") == {
        (KGR + "F", KG + "investee", A),
        (A, KG + "partnerOf", A),
        ("_", KG + "investee", A),
        (A, KG + "memberOf", KGR + "G"),
    }
    assert len(_triples(store, IDENTITY_GRAPH)) == 5  # the judgements stay as they are


def test_a_store_with_no_referents_is_left_alone() -> None:
    store = ox.Store()
    store.add(ox.Quad(_nn(A), _nn(RDFS + "label"), ox.Literal("甲"), _nn(CURATION_GRAPH)))
    assert apply_to_store(store) == 0
    assert len(store) == 1


def _dataset() -> Dataset:
    dataset = Dataset()
    for quad in _store():
        graph = dataset.graph(URIRef(quad.graph_name.value))
        s = quad.subject
        subject = URIRef(s.value) if isinstance(s, ox.NamedNode) else None
        if subject is None:
            continue
        o = quad.object
        obj = Literal(o.value, lang=o.language) if isinstance(o, ox.Literal) else URIRef(o.value)
        graph.add((subject, URIRef(quad.predicate.value), obj))
    return dataset


def test_the_rdflib_dataset_moves_the_same_statements() -> None:
    dataset = _dataset()
    assert referents_in_dataset(dataset) == {B: A, C: A}
    assert apply_to_dataset(dataset) == {B: A, C: A}
    curation = dataset.graph(URIRef(CURATION_GRAPH))
    a = URIRef(A)
    assert set(curation.predicate_objects(a)) == {
        (URIRef(RDFS + "label"), Literal("甲", lang="zh")),
        (URIRef(SKOS + "altLabel"), Literal("乙", lang="zh")),
        (URIRef(SKOS + "altLabel"), Literal("乙公司", lang="zh")),
        (URIRef(SKOS + "altLabel"), Literal("丙", lang="zh")),
    }
    ev = dataset.graph(URIRef(KGR + "ev"))
    assert set(ev) == {
        (URIRef(KGR + "F"), URIRef(KG + "investee"), a),
        (a, URIRef(KG + "partnerOf"), a),
        (a, URIRef(KG + "memberOf"), URIRef(KGR + "G")),
    }
    assert len(dataset.graph(URIRef(IDENTITY_GRAPH))) == 5
    assert (URIRef(D), URIRef(PREFIXES["owl"] + "sameAs"), a) in curation


def test_a_dataset_with_no_referents_is_left_alone() -> None:
    dataset = Dataset()
    dataset.graph(URIRef(CURATION_GRAPH)).add((URIRef(B), URIRef(RDFS + "label"), Literal("乙")))
    assert apply_to_dataset(dataset) == {}
    assert len(dataset.graph(URIRef(CURATION_GRAPH))) == 1
