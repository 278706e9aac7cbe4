"""Writing draft evidence graphs as TriG, with the node types the curated data uses.

Amounts are ``schema:MonetaryAmount`` (``kg:amount``), prices ``schema:UnitPriceSpecification``
(``kg:price``) and other counts ``schema:QuantitativeValue`` (``kg:quantity``), each with
``kg:asWritten`` and ``kg:isApproximate`` and its value or bounds, as in ``triples/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kg.data.prefixes import PREFIXES
from kg.data.quantities import Quantity
from kg.data.sources import turtle_string
from kg.draft.reading import DateMention, Mention, Sentence

__all__ = ["DraftGraph", "render"]

_PREFIXES = ("kg", "kgr", "ev", "kgg", "xsd", "schema", "prov", "oa")
_UNITS = {"PERCENT": "%", "TIMES": "倍", "PERSON": "人", "TOKEN": "token"}


@dataclass(frozen=True)
class DraftGraph:
    """What one draft evidence graph holds."""

    sentence: Sentence
    mentions: list[Mention]
    candidates: list[Mention]
    quantities: list[Quantity]
    dates: list[DateMention]
    cues: list[str]


def _number(value: Decimal) -> str:
    """A decimal literal in Turtle's short form (``1800000000.0``)."""
    text = format(value.normalize(), "f")
    return text if "." in text else text + ".0"


def _bounds(q: Quantity, value_property: str) -> list[str]:
    parts = []
    if q.value is not None:
        parts.append(f"{value_property} {_number(q.value)}")
    if q.min_value is not None:
        parts.append(f"schema:minValue {_number(q.min_value)}")
    if q.max_value is not None:
        parts.append(f"schema:maxValue {_number(q.max_value)}")
    return parts


def _quantity(q: Quantity) -> tuple[str, str]:
    """The property and the node of one quantity."""
    written = [
        f"kg:asWritten {turtle_string(q.text)}",
        f"kg:isApproximate {'true' if q.approximate else 'false'}",
    ]
    if q.is_price and q.reference_quantity is not None:
        unit = _UNITS.get(q.reference_unit or "", q.reference_unit or "")
        reference = (
            f"[ a schema:QuantitativeValue ; schema:value {_number(q.reference_quantity)} ; "
            f"schema:unitText {turtle_string(unit)} ]"
        )
        parts = [
            "a schema:UnitPriceSpecification",
            *_bounds(q, "schema:price"),
            f'schema:priceCurrency "{q.unit}"',
            f"schema:referenceQuantity {reference}",
            *written,
        ]
        return "kg:price", "[ " + " ; ".join(parts) + " ]"
    if q.is_money:
        parts = [
            "a schema:MonetaryAmount",
            *_bounds(q, "schema:value"),
            f'schema:currency "{q.unit}"',
            *written,
        ]
        return "kg:amount", "[ " + " ; ".join(parts) + " ]"
    parts = ["a schema:QuantitativeValue", *_bounds(q, "schema:value")]
    if q.unit:
        parts.append(f"schema:unitText {turtle_string(_UNITS.get(q.unit, q.unit))}")
    return "kg:quantity", "[ " + " ; ".join([*parts, *written]) + " ]"


def _graph_name(sha256: str, sentence: Sentence) -> str:
    return f"ev:draft-{sha256[:8]}-{sentence.start:06d}"


def _body(graph: DraftGraph, name: str) -> list[str]:
    statements: list[str] = []
    for m in graph.mentions:
        statements.append(
            f"kg:mention [ a kg:Mention ; kg:refersTo <{m.iri}> ; "
            f"kg:asWritten {turtle_string(m.text)} ]"
        )
    for m in graph.candidates:
        statements.append(
            f"kg:mention [ a kg:Mention ; kg:candidate {turtle_string(m.text)} ; "
            f"kg:asWritten {turtle_string(m.text)} ]"
        )
    for q in graph.quantities:
        prop, node = _quantity(q)
        statements.append(f"{prop} {node}")
    for d in graph.dates:
        if d.value is not None:
            statements.append(f'kg:date "{d.value}"^^xsd:{d.datatype}')
        statements.append(f"kg:dateText {turtle_string(d.text)}@zh")
    statements += [f"kg:cue {turtle_string(c)}" for c in graph.cues]
    return [f"{name} {{", f"    {name}", *(f"        {s} ;" for s in statements)]


def render(graphs: list[DraftGraph], source: str, sha256: str) -> str:
    """The TriG document of a draft: provenance first, then one graph per sentence."""
    lines = [
        "# A DRAFT written by `kg draft`: every graph is marked kg:status kg:Draft and is left out",
        "# of the default dataset. Curate it (keep what the quote says, give the facts their",
        "# nodes), then move the curated graphs into triples/ and drop the draft mark.",
        *(f"@prefix {p}: <{PREFIXES[p]}> ." for p in _PREFIXES),
        "",
        "kgg:provenance {",
    ]
    for graph in graphs:
        s = graph.sentence
        exact = turtle_string(s.text)
        lines += [
            f"    {_graph_name(sha256, s)} a kg:Evidence ; kg:status kg:Draft ;",
            f"        prov:wasDerivedFrom [ a oa:SpecificResource ; oa:hasSource <{source}> ;",
            f"            oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact {exact} ] ,",
            f"                [ a oa:TextPositionSelector ; oa:start {s.start} ; oa:end {s.end} ]",
            "        ] .",
        ]
    lines.append("}")
    for graph in graphs:
        name = _graph_name(sha256, graph.sentence)
        body = _body(graph, name)
        body[-1] = body[-1][:-2] + " ."
        lines += ["", *body, "}"]
    return "\n".join(lines) + "\n"
