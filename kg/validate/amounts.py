"""The amounts rule: every amount, count and price equals what its quote says."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from rdflib import RDF, Dataset, Literal, URIRef
from rdflib.term import Node

from kg.data.namespaces import (
    KG,
    SCHEMA,
)
from kg.data.quantities import Quantity, QuantityError, find_quantities, matches, parse_quantity

if TYPE_CHECKING:
    pass
from kg.validate.evidence import Quote
from kg.validate.report import Problem, short
from kg.validate.structure import evidence_graph_ids


# ---------------------------------------------------------------- amounts
@dataclass(frozen=True)
class AmountNode:
    """A money, count or price node and the evidence graph it is asserted in."""

    node: Node
    graph: URIRef


def amount_nodes(dataset: Dataset) -> Iterator[AmountNode]:
    """Every amount, count and price node in an evidence graph, with its graph."""
    for graph_id in sorted(evidence_graph_ids(dataset)):
        for node in set(dataset.graph(graph_id).subjects(KG.asWritten, None)):
            yield AmountNode(node, graph_id)


def _decimal(dataset: Dataset, node: Node, prop: URIRef) -> Decimal | None:
    value = dataset.value(node, prop)
    if not isinstance(value, Literal):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def check_amounts(
    dataset: Dataset,
    amounts: list[AmountNode],
    evidence: dict[URIRef, Quote],
    cited: Collection[URIRef] = (),
) -> list[Problem]:
    """Each amount's value and bounds against what its quote says.

    Amounts in ``cited`` graphs (a public report's facts: no quote to read them from) are left
    out: they are checked by hand against the report the citation names.
    """
    problems = []
    for amount in amounts:
        if amount.graph in cited:
            continue
        where = f"{_owner(dataset, amount.node)} in {short(amount.graph)}"
        written = str(dataset.value(amount.node, KG.asWritten))
        quote = evidence.get(amount.graph)
        if quote is None:
            problems.append(Problem("amount", where, "its evidence graph has no quote"))
            continue
        if written not in quote.exact:
            problems.append(
                Problem(
                    "amount", where, f"kg:asWritten {written!r} is not in the quote {quote.exact!r}"
                )
            )
            continue
        parsed = _parse_in_quote(written, quote.exact)
        if parsed is None:
            problems.append(Problem("amount", where, f"cannot read {written!r} as an amount"))
            continue
        problems += _compare(dataset, amount.node, parsed, where)
    return problems


def _parse_in_quote(written: str, quote: str) -> Quantity | None:
    in_context = [q for q in find_quantities(quote) if q.text == written]
    if in_context:
        return in_context[0]
    try:
        return parse_quantity(written)
    except QuantityError:
        return None


def _compare(dataset: Dataset, node: Node, parsed: Quantity, where: str) -> list[Problem]:
    is_price = (node, RDF.type, SCHEMA.UnitPriceSpecification) in dataset
    if is_price:
        value = _decimal(dataset, node, SCHEMA.price)
        reference = dataset.value(node, SCHEMA.referenceQuantity)
        ref_value = _decimal(dataset, reference, SCHEMA.value) if reference is not None else None
        currency = dataset.value(node, SCHEMA.priceCurrency)
        agrees = matches(
            parsed,
            value=value,
            currency=str(currency) if currency else None,
            reference_quantity=ref_value,
        )
        stated = f"price {value} {currency} per {ref_value}"
    else:
        value = _decimal(dataset, node, SCHEMA.value)
        low = _decimal(dataset, node, SCHEMA.minValue)
        high = _decimal(dataset, node, SCHEMA.maxValue)
        currency = dataset.value(node, SCHEMA.currency)
        from_context = dataset.value(node, KG.currencyFromContext) == Literal(True)
        check_currency = (
            str(currency)
            if currency is not None and not (from_context and parsed.unit is None)
            else None
        )
        agrees = (
            matches(parsed, value=value, min_value=low, max_value=high, currency=check_currency)
            and (value is None) == (parsed.value is None)
            and (low is None) == (parsed.min_value is None)
            and (high is None) == (parsed.max_value is None)
        )
        stated = f"value={value} min={low} max={high} currency={currency}"
    problems = []
    if not agrees:
        problems.append(
            Problem(
                "amount",
                where,
                f"data says {stated}, but {parsed.text!r} reads as value={parsed.value} "
                f"min={parsed.min_value} max={parsed.max_value} unit={parsed.unit}"
                + (f" per {parsed.reference_quantity}" if parsed.reference_quantity else ""),
            )
        )
    approximate = dataset.value(node, KG.isApproximate)
    if isinstance(approximate, Literal) and bool(approximate.toPython()) != parsed.approximate:
        problems.append(
            Problem(
                "amount",
                where,
                f"kg:isApproximate is {approximate}, but {parsed.text!r} is "
                + ("approximate" if parsed.approximate else "exact"),
            )
        )
    return problems


def _owner(dataset: Dataset, node: Node) -> str:
    for subject, _ in dataset.subject_predicates(node):
        if isinstance(subject, URIRef):
            return short(subject)
        return _owner(dataset, subject)
    return short(node)
