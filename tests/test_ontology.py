"""The ontology and the code's namespace agree; every term is documented in both languages."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from kg.data.namespaces import KG, ONTOLOGY_GRAPH


def ontology_terms(graph) -> set[str]:
    onto: Graph = graph.dataset.graph(ONTOLOGY_GRAPH)
    base = str(KG._NS)
    return {str(s)[len(base) :] for s in onto.subjects(RDF.type, None) if str(s).startswith(base)}


def test_namespace_lists_exactly_the_ontology_terms(graph) -> None:
    declared = set(KG.__annotations__)
    assert declared == ontology_terms(graph)


def test_misspelt_term_fails() -> None:
    with pytest.raises(AttributeError, match="Compnay"):
        KG.Compnay  # noqa: B018


def test_terms_used_in_data_are_defined(graph) -> None:
    defined = {URIRef(str(KG._NS) + t) for t in ontology_terms(graph)}
    used = {
        node
        for triple in graph.dataset.triples((None, None, None))
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(str(KG._NS))
    }
    assert used - defined == set()


def test_every_class_and_property_is_documented_in_zh_and_en(graph) -> None:
    onto: Graph = graph.dataset.graph(ONTOLOGY_GRAPH)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    for kind in kinds:
        for term in onto.subjects(RDF.type, kind):
            for prop in (RDFS.label, RDFS.comment):
                langs = {o.language for o in onto.objects(term, prop) if isinstance(o, Literal)}
                assert {"zh", "en"} <= langs, f"{term} {prop}"


def test_classes_refine_public_vocabularies(graph) -> None:
    onto: Graph = graph.dataset.graph(ONTOLOGY_GRAPH)
    public = ("https://schema.org/", "http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#")
    for top in (KG.Organization, KG.Person, KG.Event, KG.Claim, KG.Observation, KG.Post):
        parents = {str(p) for p in onto.transitive_objects(top, RDFS.subClassOf)}
        assert any(p.startswith(public) for p in parents), top
