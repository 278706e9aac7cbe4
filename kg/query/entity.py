"""An entity and every statement about it, each with its quote and offsets.

This is what the entity page of ``kg serve`` and ``kg describe`` show.

>>> import kg
>>> engine = kg.load().engine
>>> view = entity_view(engine, PREFIXES["kgr"] + "TangJie", load_labels(engine))
>>> view.labels["en"], view.types
('Tang Jie', ['https://w3id.org/zhipu-kg/ontology#Person'])
>>> any(fact.quote and "唐杰" in fact.quote for fact in view.facts)
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.data.prefixes import INFERENCE_GRAPH, ONTOLOGY_GRAPH, PREFIXES
from kg.query.engines import Engine
from kg.query.results import QueryResult, Term
from kg.query.run import run

__all__ = [
    "RDF_TYPE",
    "EntityFact",
    "EntityView",
    "Labels",
    "entity_view",
    "load_labels",
    "local_id",
]

RDF_TYPE = PREFIXES["rdf"] + "type"
SKOS_ALT_LABEL = PREFIXES["skos"] + "altLabel"
REPORTED_IN = PREFIXES["kg"] + "reportedIn"

#: Labels by IRI, then by language (``zh``, ``en``).
Labels = dict[str, dict[str, str]]

_LABELS = "SELECT ?s ?label WHERE { ?s rdfs:label ?label FILTER(isIRI(?s)) }"
_ENTITY_FACTS = f"""SELECT ?direction ?p ?value ?g ?part_p ?part_value ?quote ?start ?end WHERE {{
  {{ GRAPH ?g {{ ?entity ?p ?value }} BIND("out" AS ?direction)
     OPTIONAL {{ GRAPH ?g {{ ?value ?part_p ?part_value }} FILTER(isBlank(?value)) }} }}
  UNION
  {{ GRAPH ?g {{ ?value ?p ?entity }} BIND("in" AS ?direction) }}
  FILTER(?g != <{INFERENCE_GRAPH}> && ?g != <{ONTOLOGY_GRAPH}>)
  OPTIONAL {{
    GRAPH kgg:provenance {{
      ?g prov:wasDerivedFrom/oa:hasSelector ?quote_selector .
      ?quote_selector oa:exact ?quote .
      OPTIONAL {{
        ?g prov:wasDerivedFrom/oa:hasSelector ?position_selector .
        ?position_selector oa:start ?start ; oa:end ?end .
      }}
    }}
  }}
}}"""


def local_id(iri: str) -> str | None:
    """The part of a ``kgr:`` IRI after the namespace; ``None`` for other IRIs."""
    base = PREFIXES["kgr"]
    return iri[len(base) :] if iri.startswith(base) and len(iri) > len(base) else None


@dataclass
class EntityFact:
    """One statement about the entity, as asserted in one graph.

    Attributes:
        outgoing: True when the entity is the subject, False when it is the object.
        predicate: The property IRI.
        value: The other end of the statement.
        graph: The graph asserting it (an evidence graph, or ``kgg:curation``).
        quote: The article's words that support it, when the graph is evidence.
        span: Code-point offsets of the quote in the article, as written in the data.
        parts: The properties of a structured value (an amount, a quantity).
    """

    outgoing: bool
    predicate: str
    value: Term
    graph: str
    quote: str | None = None
    span: tuple[str, str] | None = None
    parts: list[tuple[str, Term]] = field(default_factory=list)

    def sort_key(self) -> tuple[bool, bool, str, str, str]:
        """Types first, then outgoing facts by property, then incoming ones."""
        return (
            self.predicate != RDF_TYPE,
            not self.outgoing,
            self.predicate,
            str(self.value),
            self.graph,
        )


@dataclass
class EntityView:
    """What an entity page shows.

    Attributes:
        iri: The entity.
        labels: Its ``rdfs:label`` by language.
        facts: Every statement about it (see :class:`EntityFact`).
    """

    iri: str
    labels: dict[str, str]
    facts: list[EntityFact]

    @property
    def types(self) -> list[str]:
        """Its asserted classes."""
        found = [
            f.value.value
            for f in self.facts
            if f.outgoing and f.predicate == RDF_TYPE and isinstance(f.value, ox.NamedNode)
        ]
        return list(dict.fromkeys(found))

    @property
    def neighbours(self) -> list[str]:
        """Every resource (``kgr:``) it is directly linked to, in order of appearance."""
        found = [
            f.value.value
            for f in self.facts
            if isinstance(f.value, ox.NamedNode) and local_id(f.value.value) is not None
        ]
        return [iri for iri in dict.fromkeys(found) if iri != self.iri]

    @property
    def reported_in(self) -> list[str]:
        """The claims it is known only from (``kg:reportedIn``): its facts are what they report."""
        found = [
            f.value.value
            for f in self.facts
            if f.outgoing and f.predicate == REPORTED_IN and isinstance(f.value, ox.NamedNode)
        ]
        return list(dict.fromkeys(found))

    @property
    def aliases(self) -> list[str]:
        """Its ``skos:altLabel`` values."""
        found = [
            f.value.value
            for f in self.facts
            if f.outgoing and f.predicate == SKOS_ALT_LABEL and isinstance(f.value, ox.Literal)
        ]
        return list(dict.fromkeys(found))


def load_labels(engine: Engine) -> Labels:
    """Every ``rdfs:label`` in the data, by IRI and primary language subtag."""
    labels: Labels = {}
    for subject, label in run(engine, _LABELS, timeout=None).rows:
        if isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal):
            language = (label.language or "").split("-")[0].lower()
            labels.setdefault(subject.value, {}).setdefault(language, label.value)
    return labels


def entity_view(engine: Engine, iri: str, labels: Labels) -> EntityView:
    """The entity ``iri`` with every statement about it (no facts, no labels: unknown)."""
    result = run(engine, _ENTITY_FACTS, bindings={"entity": ox.NamedNode(iri)}, timeout=None)
    return EntityView(iri, labels.get(iri, {}), _facts(result))


def _facts(result: QueryResult) -> list[EntityFact]:
    """Group the entity query's rows into facts (one per statement and evidence graph)."""
    facts: dict[tuple[str, str, str, str], EntityFact] = {}
    names = result.variables
    for row in result.rows:
        cell = dict(zip(names, row, strict=True))
        value, graph = cell["value"], cell["g"]
        if value is None or graph is None or cell["p"] is None or cell["direction"] is None:
            continue
        key = (cell["direction"].value, cell["p"].value, str(value), graph.value)
        fact = facts.get(key)
        if fact is None:
            quote, start, end = cell["quote"], cell["start"], cell["end"]
            fact = facts[key] = EntityFact(
                outgoing=cell["direction"].value == "out",
                predicate=cell["p"].value,
                value=value,
                graph=graph.value,
                quote=quote.value if quote is not None else None,
                span=(start.value, end.value) if start is not None and end is not None else None,
            )
        part_p, part_value = cell["part_p"], cell["part_value"]
        if part_p is not None and part_value is not None:
            part = (part_p.value, part_value)
            if part not in fact.parts:
                fact.parts.append(part)
    return sorted(facts.values(), key=EntityFact.sort_key)
