"""Evidence rules: quotes verbatim at their offsets, the source's fingerprint, claims' words.

An evidence graph rests on one of two tiers: a *quote* (``oa:SpecificResource`` with a
text-quote and a text-position selector, for a text the user has) or a *citation* (a
``kg:Citation`` naming a ``kg:PublicReport`` and a ``kg:locator``, no words copied). SHACL
requires one or the other; the quote checks here apply to quotes only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import RDF, Dataset, Literal, URIRef
from rdflib.term import Node

from kg.data.namespaces import (
    KG,
    OA,
    PROV,
    PROVENANCE_GRAPH,
    SCHEMA,
)
from kg.data.source import QuoteError, SourceText, locate

if TYPE_CHECKING:
    pass
from kg.validate.report import Problem, short


# ---------------------------------------------------------------- quotes
@dataclass(frozen=True)
class Quote:
    """An evidence graph's quote as recorded.

    Attributes:
        exact: The verbatim text.
        prefix: The ``oa:prefix`` that disambiguates it, if any.
        start: Recorded start offset.
        end: Recorded end offset.

    """

    exact: str
    prefix: str | None
    start: int | None
    end: int | None


def evidence_quotes(dataset: Dataset) -> Iterator[tuple[URIRef, Quote]]:
    """Each evidence graph's quote and offsets, as ``kgg:provenance`` describes them."""
    provenance = dataset.graph(PROVENANCE_GRAPH)
    for evidence in provenance.subjects(RDF.type, KG.Evidence):
        if not isinstance(evidence, URIRef):
            continue
        for resource in provenance.objects(evidence, PROV.wasDerivedFrom):
            exact: str | None = None
            prefix: str | None = None
            start = end = None
            for selector in provenance.objects(resource, OA.hasSelector):
                if (selector, RDF.type, OA.TextQuoteSelector) in provenance:
                    exact = _text(provenance.value(selector, OA.exact))
                    prefix = _text(provenance.value(selector, OA.prefix))
                elif (selector, RDF.type, OA.TextPositionSelector) in provenance:
                    start = _int(provenance.value(selector, OA.start))
                    end = _int(provenance.value(selector, OA.end))
            if exact is not None:
                yield evidence, Quote(exact, prefix, start, end)


def cited_graphs(dataset: Dataset) -> dict[URIRef, URIRef | None]:
    """Each cited evidence graph (one derived from a ``kg:Citation``) and the report it names."""
    provenance = dataset.graph(PROVENANCE_GRAPH)
    cited: dict[URIRef, URIRef | None] = {}
    for evidence in provenance.subjects(RDF.type, KG.Evidence):
        for resource in provenance.objects(evidence, PROV.wasDerivedFrom):
            if isinstance(evidence, URIRef) and (resource, RDF.type, KG.Citation) in provenance:
                report = provenance.value(resource, OA.hasSource)
                cited[evidence] = report if isinstance(report, URIRef) else None
    return cited


def _text(node: Node | None) -> str | None:
    return str(node) if isinstance(node, Literal) else None


def _int(node: Node | None) -> int | None:
    if isinstance(node, Literal):
        try:
            return int(node)
        except (TypeError, ValueError):
            return None
    return None


def check_source(dataset: Dataset, article: SourceText) -> list[Problem]:
    """The article's SHA-256 against the one the data records."""
    recorded = {str(v) for v in dataset.objects(None, KG.sha256)}
    if article.sha256 not in recorded:
        return [
            Problem(
                "source",
                str(article.path),
                f"SHA-256 {article.sha256} does not match the recorded "
                f"{sorted(recorded) or 'none'}",
            )
        ]
    return []


def check_quotes(evidence: dict[URIRef, Quote], article: SourceText) -> list[Problem]:
    """Each quote verbatim in the article at its offsets (with the right ones when they drift)."""
    problems = []
    for graph_id, quote in sorted(evidence.items()):
        at = article.text[quote.start : quote.end] if quote.start is not None else None
        if at == quote.exact:
            continue
        try:
            span = locate(article.text, quote.exact, quote.prefix)
            hint = f"; the quote is at {span.start}–{span.end}"
        except QuoteError as err:
            hint = f"; {err}"
        problems.append(
            Problem(
                "quote",
                short(graph_id),
                f"oa:exact is not the source text at {quote.start}–{quote.end} "
                f"(found {at!r}){hint}",
            )
        )
    return problems


# ---------------------------------------------------------------- claims
def check_claim_words(dataset: Dataset, evidence: dict[URIRef, Quote]) -> list[Problem]:
    """A claim's Chinese words occur in its quote."""
    problems = []
    for graph_id, quote in evidence.items():
        graph = dataset.graph(graph_id)
        for claim in graph.subjects(RDF.type, KG.Claim):
            for words in graph.objects(claim, SCHEMA.text):
                if (
                    isinstance(words, Literal)
                    and words.language == "zh"
                    and str(words) not in quote.exact
                ):
                    problems.append(
                        Problem(
                            "claim", short(claim), f"its words {str(words)!r} are not in its quote"
                        )
                    )
    return problems
