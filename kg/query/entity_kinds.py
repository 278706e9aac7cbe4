"""An entity's facts grouped by kind, each fact node with its own fields.

An entity page lists many statements; a reader looks for one kind at a time: the money it
raised, its people and their posts, its products, what others say about it and what it says.
:func:`group_facts` sorts the statements of an :class:`~kg.query.entity.EntityView` into
:data:`KINDS` by the classes of the fact node they point to (``kgr:Funding-2025-03 a
kg:FundingEvent`` puts ``Funding-2025-03 kg:investee kgr:Zhipu`` under funding) or by their
property (``org:headOf`` under people and roles); within a group, statements that rest on
evidence come first, in the order of their fact nodes' dates, and curated ones last.
:func:`fact_fields` reads each fact node's own statements (investor, amount as written,
date …), so a row reads "2025-03 · 18亿元 · 珠海国资平台" rather than a bare event name.

>>> import kg
>>> from kg.query.entity import entity_view, load_labels
>>> engine = kg.load().engine
>>> view = entity_view(engine, PREFIXES["kgr"] + "Zhipu", load_labels(engine))
>>> groups = group_facts(view, fact_fields(engine, view))
>>> groups[0].kind.name, len(groups[0].facts) > 0
('funding', True)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import pyoxigraph as ox

from kg.data.prefixes import INFERENCE_GRAPH, ONTOLOGY_GRAPH, PREFIXES
from kg.query.engines import Engine
from kg.query.entity import RDF_TYPE, EntityFact, EntityView
from kg.query.results import Term
from kg.query.run import run

__all__ = ["KINDS", "FactGroup", "FactNode", "Field", "Kind", "fact_fields", "group_facts"]

KG = PREFIXES["kg"]
ORG = PREFIXES["org"]
SCHEMA = PREFIXES["schema"]
RDFS = PREFIXES["rdfs"]
SKOS = PREFIXES["skos"]


class Kind(NamedTuple):
    """A group of an entity page.

    Attributes:
        name: Its id (the ``data-kind`` of the page's section).
        zh: Its heading in Chinese.
        en: Its heading in English.
        classes: A statement whose fact node has one of these classes belongs here.
        properties: So does a statement by one of these properties.
    """

    name: str
    zh: str
    en: str
    classes: frozenset[str] = frozenset()
    properties: frozenset[str] = frozenset()


def _kg(*names: str) -> frozenset[str]:
    return frozenset(KG + n for n in names)


#: The groups, in the page's order; a statement goes to the first that takes it, else "other".
KINDS = (
    Kind("funding", "融资", "Funding",
         _kg("FundingEvent", "FundraisingCampaign", "FundingTotal", "Valuation"),
         _kg("investor", "investee")),
    Kind("market", "上市、市值与经营", "Listing, market and results",
         _kg("Listing", "ListingStep", "MarketCapitalisation", "SharePrice", "Revenue", "Loss",
             "PriceChange", "Restructuring", "GovernmentContract")),
    Kind("roles", "人物与职务", "People and roles",
         _kg("Departure", "DepartureWave", "StaffReduction", "Team") | {ORG + "Post"},
         _kg("memberOf", "ledBy", "person") | {ORG + "headOf", ORG + "postIn"}),
    Kind("products", "产品与技术", "Products and technology",
         _kg("AIModel", "ModelArchitecture", "ModelRelease", "Product", "ResearchProject",
             "Roadmap", "RoadmapProgress"),
         _kg("technicalApproach", "developer", "releasedBy") | {SCHEMA + "manufacturer"}),
    Kind("claims_by", "它的说法", "Claims it makes", frozenset(), _kg("claimant")),
    Kind("claims_about", "关于它的说法与判断", "Claims and assessments about it",
         _kg("Claim", "Situation", "Challenge")),
    Kind("other", "其他事实", "Other facts"),
    Kind("names", "名称与类型(整理)", "Names and types (curated)", frozenset(),
         frozenset({RDF_TYPE, RDFS + "label", SKOS + "altLabel"})),
)  # fmt: skip

#: Statements of a fact node that say nothing a reader needs beside the fact.
_HIDDEN = frozenset(
    {
        RDF_TYPE,
        RDFS + "label",
        RDFS + "comment",
        SKOS + "altLabel",
        KG + "involves",
        KG + "dateNote",
        KG + "inferenceNote",
    }
)

_FIELDS = f"""SELECT ?fact ?p ?o ?written ?value ?min ?max ?currency WHERE {{
  GRAPH ?g {{ ?fact ?p ?o }}
  FILTER(?g != <{INFERENCE_GRAPH}> && ?g != <{ONTOLOGY_GRAPH}>)
  OPTIONAL {{ ?o kg:asWritten ?written }}
  OPTIONAL {{ ?o schema:value ?value }}
  OPTIONAL {{ ?o schema:minValue ?min }}
  OPTIONAL {{ ?o schema:maxValue ?max }}
  OPTIONAL {{ ?o schema:currency ?currency }}
}}"""
_TYPES = "SELECT ?fact ?type WHERE { ?fact a ?type }"


class Field(NamedTuple):
    """One statement of a fact node: its property and its value, read out.

    Attributes:
        predicate: The property IRI.
        value: An IRI, or a literal; for an amount, what the text wrote (or its figure).
    """

    predicate: str
    value: Term


class FactGroup(NamedTuple):
    """The statements of one kind, evidence first, curated last."""

    kind: Kind
    facts: list[EntityFact]


class FactNode(NamedTuple):
    """A node an entity's statement points to: its classes and its own fields."""

    classes: frozenset[str]
    fields: tuple[Field, ...]


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{iri}>" for iri in iris)


def _amount(row: dict[str, Term | None]) -> Term | None:
    written, value, low, high = row["written"], row["value"], row["min"], row["max"]
    if written is not None:
        return written
    figure = value or low or high
    if figure is None:
        return None
    currency = row["currency"].value if row["currency"] is not None else ""
    bound = "≥ " if value is None and low is not None else "≤ " if value is None else ""
    return ox.Literal(f"{bound}{figure.value} {currency}".strip())


def fact_fields(engine: Engine, view: EntityView) -> dict[str, FactNode]:
    """The classes and fields of every node the entity's statements point to, by IRI."""
    iris = sorted(
        {f.value.value for f in view.facts if isinstance(f.value, ox.NamedNode)} - {view.iri}
    )
    if not iris:
        return {}
    classes: dict[str, set[str]] = {}
    types = run(engine, _TYPES.replace("WHERE {", f"WHERE {{ VALUES ?fact {{ {_values(iris)} }}"),
                timeout=None)  # fmt: skip
    for fact, kind in types.rows:
        if isinstance(fact, ox.NamedNode) and isinstance(kind, ox.NamedNode):
            classes.setdefault(fact.value, set()).add(kind.value)
    events = [iri for iri in iris if classes.get(iri, set()) & _FACT_CLASSES]
    fields: dict[str, list[Field]] = {}
    if events:
        text = _FIELDS.replace("WHERE {", f"WHERE {{ VALUES ?fact {{ {_values(events)} }}", 1)
        result = run(engine, text, timeout=None)
        for row in result.rows:
            cell = dict(zip(result.variables, row, strict=True))
            fact, prop, value = cell["fact"], cell["p"], cell["o"]
            if fact is None or prop is None or value is None or prop.value in _HIDDEN:
                continue
            if value == ox.NamedNode(view.iri):
                continue  # the entity itself: the page is about it
            shown = _amount(cell) if isinstance(value, ox.BlankNode) else value
            if shown is None:
                continue
            found = fields.setdefault(fact.value, [])
            if Field(prop.value, shown) not in found:
                found.append(Field(prop.value, shown))
    return {
        iri: FactNode(frozenset(classes.get(iri, ())), tuple(sorted(fields.get(iri, []), key=str)))
        for iri in iris
    }


_FACT_CLASSES = frozenset().union(*(k.classes for k in KINDS)) | {KG + "Event", KG + "Observation"}


def _kind(fact: EntityFact, nodes: dict[str, FactNode]) -> Kind:
    node = nodes.get(fact.value.value) if isinstance(fact.value, ox.NamedNode) else None
    for kind in KINDS:
        if fact.predicate in kind.properties and (kind.name != "names" or fact.outgoing):
            return kind
        if node is not None and not fact.outgoing and node.classes & kind.classes:
            return kind
    return KINDS[-2]  # other


def group_facts(view: EntityView, nodes: dict[str, FactNode]) -> list[FactGroup]:
    """The view's statements by kind, in the order of :data:`KINDS`; empty groups left out."""
    grouped: dict[str, list[EntityFact]] = {kind.name: [] for kind in KINDS}
    for fact in view.facts:
        grouped[_kind(fact, nodes).name].append(fact)

    def order(fact: EntityFact) -> tuple[bool, str, tuple[bool, bool, str, str, str]]:
        node = nodes.get(fact.value.value) if isinstance(fact.value, ox.NamedNode) else None
        dates = [f.value.value for f in node.fields if f.predicate in _DATES] if node else []
        return (fact.tier is None, min(dates, default="~"), fact.sort_key())

    return [
        FactGroup(kind, sorted(grouped[kind.name], key=order))
        for kind in KINDS
        if grouped[kind.name]
    ]


#: A fact node's dates, by which a group's rows follow one another (undated ones last).
_DATES = _kg("date", "notBefore", "notAfter", "approximateDate")
