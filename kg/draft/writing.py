"""Writing draft proposals as TriG, each fact as the curated data writes it.

One evidence graph per proposal, ``ev:draft-<sha8>-<start:06d>-<k>`` (``start``: the sentence's
offset, ``k``: 1, 2 … within the sentence), holding the fact ``kgr:Draft-<sha8>-<start:06d>-<k>``
with its class, roles and value nodes. ``kgg:provenance`` describes each graph as curated
evidence is described, plus ``kg:status kg:Draft``, the cue words (``kg:cue``) and a
``kg:confidence``. New entities are written in ``kgg:draft-curation``, marked draft too.

Amounts are ``schema:MonetaryAmount`` (``kg:amount``), unit prices
``schema:UnitPriceSpecification`` (``kg:price``, ``kg:priceBefore``, ``kg:priceAfter``; a share
price per one 股 is ``kg:sharePrice``) and other counts ``schema:QuantitativeValue``
(``kg:quantity``), each with ``kg:asWritten`` and ``kg:isApproximate`` and its value or bounds.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from kg.data.prefixes import PREFIXES
from kg.data.quantities import Quantity
from kg.data.sources import turtle_string
from kg.draft.facts import Proposal
from kg.draft.names import NewEntity
from kg.draft.reading import Sentence

__all__ = ["graph_name", "render"]

_PREFIXES = ("kg", "kgr", "ev", "kgg", "xsd", "schema", "prov", "oa", "org", "rdfs", "skos")
_UNITS = {"PERCENT": "%", "TIMES": "倍", "PERSON": "人", "TOKEN": "token"}
_EVENTS = frozenset(
    {"kg:FundingEvent", "kg:Listing", "kg:ModelRelease", "kg:Departure", "kg:PriceChange"}
)


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


def _written(q: Quantity) -> list[str]:
    return [
        f"kg:asWritten {turtle_string(q.text)}",
        f"kg:isApproximate {'true' if q.approximate else 'false'}",
    ]


def _unit_price(q: Quantity, amount: Decimal, unit: str) -> str:
    reference = (
        f"[ a schema:QuantitativeValue ; schema:value {_number(amount)} ; "
        f"schema:unitText {turtle_string(unit)} ]"
    )
    parts = [
        "a schema:UnitPriceSpecification",
        *_bounds(q, "schema:price"),
        f'schema:priceCurrency "{q.unit}"',
        f"schema:referenceQuantity {reference}",
        *_written(q),
    ]
    return "[ " + " ; ".join(parts) + " ]"


def node(q: Quantity, kind: str) -> str:
    """The value node of one amount.

    Args:
        q: The amount.
        kind: ``money``, ``quantity``, ``unit_price`` (the amount is a price per N units),
            ``share_price`` (per one share) or ``per:<N>:<unit>`` (a price per N units that the
            words around the amount give).

    """
    if kind == "share_price":
        return _unit_price(q, Decimal(1), "股")
    if kind.startswith("per:"):
        _, amount, unit = kind.split(":", 2)
        return _unit_price(q, Decimal(amount), unit)
    if kind == "unit_price" and q.reference_quantity is not None:
        unit = _UNITS.get(q.reference_unit or "", q.reference_unit or "")
        return _unit_price(q, q.reference_quantity, unit)
    if q.is_money:
        parts = [
            "a schema:MonetaryAmount",
            *_bounds(q, "schema:value"),
            f'schema:currency "{q.unit}"',
        ]
        return "[ " + " ; ".join([*parts, *_written(q)]) + " ]"
    parts = ["a schema:QuantitativeValue", *_bounds(q, "schema:value")]
    parts.append(f"schema:unitText {turtle_string(_UNITS.get(q.unit or '', q.unit or '个'))}")
    return "[ " + " ; ".join([*parts, *_written(q)]) + " ]"


def graph_name(sha256: str, sentence: Sentence, k: int) -> str:
    """The local name of a proposal's evidence graph: ``draft-<sha8>-<start:06d>-<k>``."""
    return f"draft-{sha256[:8]}-{sentence.start:06d}-{k}"


def _fact(proposal: Proposal, fact: str) -> list[str]:
    """The statements of one proposal's graph."""
    statements = [f"a {proposal.cls}"]
    by_property: dict[str, list[str]] = {}
    for prop, iri in proposal.roles:
        by_property.setdefault(prop, []).append(f"<{iri}>")
    for prop, q, kind in proposal.amounts:
        by_property.setdefault(prop, []).append(node(q, kind))
    for prop, term in proposal.values:
        by_property.setdefault(prop, []).append(term)
    for prop, objects in by_property.items():
        statements.append(f"{prop} " + " , ".join(dict.fromkeys(objects)))
    date = proposal.date
    if date is not None and date.value is not None:
        statements.append(f'kg:date "{date.value}"^^xsd:{date.datatype}')
    if date is not None:
        statements.append(f"kg:dateText {turtle_string(date.text)}@zh")
    elif proposal.cls in _EVENTS:
        statements.append('kg:dateNote "The sentence gives no date."@en')
    lines = [f"    {fact} " + statements[0] + " ;"]
    lines += [f"        {s} ;" for s in statements[1:]]
    lines[-1] = lines[-1][:-2] + " ."
    for subject, prop, obj in proposal.extra:
        lines.append(f"    <{subject}> {prop} {obj.replace('{fact}', fact)} .")
    return lines


def _entity(entity: NewEntity) -> list[str]:
    statements = [
        f"a {entity.cls}",
        f"rdfs:label {turtle_string(entity.label)}@zh",
        *(f"skos:altLabel {turtle_string(a)}@zh" for a in sorted(entity.aliases - {entity.label})),
        "kg:status kg:Draft",
        *(f"kg:asWritten {turtle_string(w)}" for w in sorted(entity.written)),
    ]
    lines = [f"    <{entity.iri}> {statements[0]} ;"]
    lines += [f"        {s} ;" for s in statements[1:]]
    lines[-1] = lines[-1][:-2] + " ."
    return lines


def render(
    proposals: Iterable[tuple[str, Proposal]],
    entities: Iterable[NewEntity],
    source: str,
) -> str:
    """The TriG document of a draft.

    Args:
        proposals: Each proposal with its graph's local name (:func:`graph_name`).
        entities: The new entities to describe in ``kgg:draft-curation``.
        source: The source's IRI.

    """
    items = list(proposals)
    lines = [
        "# A DRAFT written by `kg draft`: each graph proposes one fact, marked kg:status kg:Draft",
        "# and left out of the default dataset. Review it (kg review), or curate it by hand: keep",
        "# what the quote says, drop the draft mark, move it to triples/sources/.",
        *(f"@prefix {p}: <{PREFIXES[p]}> ." for p in _PREFIXES),
        "",
        "kgg:provenance {",
    ]
    for name, p in items:
        s = p.sentence
        cue_words = " , ".join(turtle_string(c) for c in dict.fromkeys(p.cues))
        exact = turtle_string(s.text)
        lines += [
            f"    ev:{name} a kg:Evidence ; kg:status kg:Draft ;",
            f"        kg:cue {cue_words} ; kg:confidence {p.confidence} ;",
            f"        prov:wasDerivedFrom [ a oa:SpecificResource ; oa:hasSource <{source}> ;",
            f"            oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact {exact} ] ,",
            f"                [ a oa:TextPositionSelector ; oa:start {s.start} ; oa:end {s.end} ]",
            "        ] .",
        ]
    lines.append("}")
    for name, p in items:
        fact = "kgr:D" + name[1:]
        lines += ["", f"ev:{name} {{", *_fact(p, fact), "}"]
    described = list(entities)
    if described:
        lines += ["", "kgg:draft-curation {"]
        for entity in described:
            lines += _entity(entity)
        lines.append("}")
    return "\n".join(lines) + "\n"
