"""Convert terms between rdflib and pyoxigraph.

Kept apart so that the fast path never imports rdflib: only callers that want rdflib terms (the
memory engine, Python code iterating over results) pay for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.query import ResultRow
from rdflib.term import Identifier, Variable

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term: Any) -> Identifier:
    """An rdflib term for a pyoxigraph term.

    Raises:
        TypeError: For an RDF-star triple term, which rdflib does not model.
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if not isinstance(term, ox.Literal):
        raise TypeError(f"not an IRI, blank node or literal: {term!r}")
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))


def to_oxigraph(term: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A pyoxigraph term for an rdflib term.

    Raises:
        TypeError: For something that is not an IRI, blank node or literal.
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib_row(variables: Sequence[str], row: Sequence[Any]) -> ResultRow:
    """An rdflib ``ResultRow`` (attribute and key access) for one solution."""
    values = {
        Variable(var): to_rdflib(term)
        for var, term in zip(variables, row, strict=True)
        if term is not None
    }
    return ResultRow(values, [Variable(v) for v in variables])


def to_rdflib_triple(triple: ox.Triple) -> tuple[Identifier, Identifier, Identifier]:
    """An rdflib triple for a pyoxigraph triple."""
    return (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
