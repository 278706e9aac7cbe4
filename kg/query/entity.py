"""An entity and every statement about it, each with its evidence and its tier.

This is what the entity page of ``kg serve`` and ``kg describe`` show. A statement rests on a
quote (the words and offsets of a text the user has: tier "quoted"), on a citation of a public
report (publisher, date, URL and where in it; no words: tier "cited"), or on the curators alone.

>>> import kg
>>> engine = kg.load().engine
>>> view = entity_view(engine, PREFIXES["kgr"] + "TangJie", load_labels(engine))
>>> view.labels["en"], view.types
('Tang Jie', ['https://w3id.org/zhipu-kg/ontology#Person'])
>>> any(fact.quote and "唐杰" in fact.quote for fact in view.facts)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.data.prefixes import INFERENCE_GRAPH, ONTOLOGY_GRAPH, PREFIXES
from kg.query.engines import Engine
from kg.query.results import QueryResult, Term
from kg.query.run import run

__all__ = [
    "RDF_TYPE",
    "Citation",
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

#: Labels by IRI, then by language (``zh``, ``en``): a dictionary (:func:`load_labels`) or
#: labels read when asked (:class:`kg.query.labels.StoreLabels`).
Labels = Mapping[str, dict[str, str]]

_LABELS = "SELECT ?s ?label WHERE { ?s rdfs:label ?label FILTER(isIRI(?s)) }"
_ENTITY_FACTS = f"""SELECT ?direction ?p ?value ?g ?part_p ?part_value ?quote ?start ?end
       ?report ?publisher ?published ?url ?locator WHERE {{
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
  OPTIONAL {{
    GRAPH kgg:provenance {{
      ?g prov:wasDerivedFrom ?citation .
      ?citation a kg:Citation ; oa:hasSource ?report ; kg:locator ?locator .
      OPTIONAL {{ ?report kg:publisherName ?publisher }}
      OPTIONAL {{ ?report kg:datePublished ?published }}
      OPTIONAL {{ ?report schema:url ?url }}
    }}
  }}
}}"""


def local_id(iri: str) -> str | None:
    """The part of a ``kgr:`` IRI after the namespace; ``None`` for other IRIs."""
    base = PREFIXES["kgr"]
    return iri[len(base) :] if iri.startswith(base) and len(iri) > len(base) else None


@dataclass(frozen=True)
class Citation:
    """Where a cited statement sits: a public report, never its words.

    Attributes:
        report: The ``kg:PublicReport``'s IRI.
        publisher: Its ``kg:publisherName``.
        published: Its ``kg:datePublished``, as written (a year, a month or a day).
        url: Its ``schema:url``.
        locator: Where in the report the statement sits, in the curators' words.
    """

    report: str
    publisher: str | None
    published: str | None
    url: str | None
    locator: str

    def summary(self) -> str:
        """``cited: publisher, date, url``: what a view shows in place of a quote."""
        parts = [p for p in (self.publisher, self.published, self.url) if p]
        return "cited: " + ", ".join(parts)


@dataclass
class EntityFact:
    """One statement about the entity, as asserted in one graph.

    Attributes:
        outgoing: True when the entity is the subject, False when it is the object.
        predicate: The property IRI.
        value: The other end of the statement.
        graph: The graph asserting it (an evidence graph, or ``kgg:curation``).
        quote: The source's words that support it, when the graph is quoted evidence.
        span: Code-point offsets of the quote in the source, as written in the data.
        citation: The public report it rests on, when the graph is cited evidence.
        parts: The properties of a structured value (an amount, a quantity).
    """

    outgoing: bool
    predicate: str
    value: Term
    graph: str
    quote: str | None = None
    span: tuple[str, str] | None = None
    citation: Citation | None = None
    parts: list[tuple[str, Term]] = field(default_factory=list)

    @property
    def tier(self) -> str | None:
        """``quoted``, ``cited``, or ``None`` for what the curators added alone."""
        if self.quote is not None:
            return "quoted"
        return "cited" if self.citation is not None else None

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


def load_labels(engine: Engine) -> dict[str, dict[str, str]]:
    """Every ``rdfs:label`` in the data, by IRI and primary language subtag."""
    labels: dict[str, dict[str, str]] = {}
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
                citation=_citation(cell),
            )
        part_p, part_value = cell["part_p"], cell["part_value"]
        if part_p is not None and part_value is not None:
            part = (part_p.value, part_value)
            if part not in fact.parts:
                fact.parts.append(part)
    return sorted(facts.values(), key=EntityFact.sort_key)


def _citation(cell: dict[str, Term | None]) -> Citation | None:
    report, locator = cell["report"], cell["locator"]
    if report is None or locator is None:
        return None
    publisher, published, url = cell["publisher"], cell["published"], cell["url"]
    return Citation(
        report=report.value,
        publisher=publisher.value if publisher is not None else None,
        published=published.value if published is not None else None,
        url=url.value if url is not None else None,
        locator=locator.value,
    )
