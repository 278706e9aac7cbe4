"""Name the terms of a query that the data does not know, before the answer misleads.

A query that mentions ``kg:Compny`` or ``kgr:TangJei`` answers "0 rows" or "no" with
confidence. :func:`unknown_terms` finds such terms in the query text: a ``kg:`` class or
property the ontology does not declare, and a ``kgr:`` resource the data does not use; each
comes back as a warning naming the closest known terms.

>>> import kg
>>> engine = kg.load().engine
>>> print(*unknown_terms(engine, "SELECT ?x WHERE { ?x a kg:Compny }"))
kg:Compny is not declared in the ontology; did you mean kg:Company or kg:CompanyGroup or ...?
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.data.prefixes import ONTOLOGY_GRAPH, PREFIXES
from kg.query.engines import Engine
from kg.query.resolve import EntityNotFound, Names, used_in_data
from kg.query.run import run
from kg.query.safety import tokenize

__all__ = ["declared_terms", "mentioned_terms", "unknown_terms"]

_ONTOLOGY = PREFIXES["kg"]
_RESOURCE = PREFIXES["kgr"]
_DECLARED = (
    f"SELECT DISTINCT ?t WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?t ?p ?o }} FILTER(isIRI(?t)) }}"
)


def mentioned_terms(text: str) -> list[str]:
    """The ``kg:`` and ``kgr:`` IRIs the query text names, in order, each once.

    A prefix the query redeclares with ``PREFIX`` is left alone.

    >>> mentioned_terms('SELECT * { ?x a kg:City ; rdfs:label "kg:Not" } # kgr:Nor')
    ['https://w3id.org/zhipu-kg/ontology#City']
    """
    found: dict[str, None] = {}
    redeclared: set[str] = set()
    tokens = tokenize(text)
    for i, token in enumerate(tokens):
        if token.kind == "iri":
            if token.text[1:-1].startswith((_ONTOLOGY, _RESOURCE)):
                found.setdefault(token.text[1:-1])
            continue
        if token.kind != "pname":
            continue
        prefix, _, local = token.text.partition(":")
        if i and tokens[i - 1].kind == "word" and tokens[i - 1].text.upper() == "PREFIX":
            redeclared.add(prefix)
        elif prefix in {"kg", "kgr"} and prefix not in redeclared and local:
            found.setdefault(PREFIXES[prefix] + local.replace("\\", ""))  # ``kg:a\.b`` is a.b
    return list(found)


def declared_terms(engine: Engine, among: list[str] | None = None) -> set[str]:
    """Every ``kg:`` IRI the ontology describes (of ``among`` only, when given)."""
    text = _DECLARED
    if among is not None:  # the IRIs are written by pyoxigraph (checked, escaped), not spliced
        terms = " ".join(written for written in map(_written, among) if written)
        text = (
            f"SELECT DISTINCT ?t WHERE {{ VALUES ?t {{ {terms} }} "
            f"GRAPH <{ONTOLOGY_GRAPH}> {{ ?t ?p ?o }} }}"
        )
    rows = run(engine, text, timeout=None, entailments=False).rows  # the ontology graph only
    return {str(row[0].value) for row in rows if row[0] is not None}


def _written(iri: str) -> str | None:
    """``<iri>`` as pyoxigraph writes it, or ``None`` when it is not a valid IRI."""
    try:
        return str(ox.NamedNode(iri))
    except ValueError:
        return None


def unknown_terms(engine: Engine, text: str, names: Names | None = None) -> list[str]:
    """Warnings for the ``kg:`` and ``kgr:`` terms of ``text`` that the data does not know.

    Args:
        engine: Holds the ontology and the data.
        text: The query.
        names: The resolver's index, if already built (else built when a ``kgr:`` term is
            missing, for suggestions).
    """
    mentioned = mentioned_terms(text)
    warnings: list[str] = []
    vocabulary: set[str] | None = None  # read whole only to suggest
    terms = [iri for iri in mentioned if iri.startswith(_ONTOLOGY)]
    declared = declared_terms(engine, terms) if terms else set()
    for iri in mentioned:
        if iri.startswith(_ONTOLOGY):
            if iri not in declared:
                vocabulary = vocabulary if vocabulary is not None else declared_terms(engine)
                warnings.append(_undeclared(iri, vocabulary))
            continue
        if names.exists(iri) if names is not None else used_in_data(engine, iri):
            continue
        names = names if names is not None else Names.from_engine(engine)  # for suggestions
        local = "kgr:" + iri[len(_RESOURCE) :]
        warnings.append(f"{local} is not in the data; " + _hint(names, local))
    return warnings


def _undeclared(iri: str, vocabulary: set[str]) -> str:
    import difflib  # only for a term the ontology lacks

    local = iri[len(_ONTOLOGY) :]
    known = {term[len(_ONTOLOGY) :]: term for term in vocabulary if term.startswith(_ONTOLOGY)}
    close = difflib.get_close_matches(local, list(known), n=3, cutoff=0.6)
    folded = [name for name in known if name.casefold() == local.casefold()]
    close = list(dict.fromkeys(folded + close))[:3]
    hint = (
        "did you mean " + " or ".join(f"kg:{name}" for name in close) + "?"
        if close
        else "see ontology.ttl for the declared classes and properties"
    )
    return f"kg:{local} is not declared in the ontology; {hint}"


def _hint(names: Names, local: str) -> str:
    message = str(EntityNotFound(local, names.suggest(local)))
    return message.split("; ", 1)[1]
