"""The dates rule: a date an evidence graph states says no more than its quote.

A year in a stated date (``kg:date``, ``kg:notBefore``, ``kg:notAfter``, ``kg:approximateDate``,
``kg:validFrom``, ``kg:validUntil``, ``schema:foundingDate``) must be written in the quote
(``2022``), or follow from a relative phrase the quote writes (今年, 去年, 同年, …, read against
the source's date), or be the year the source was published in (``3月`` in a March 2026 report),
or be named by the fact's ``kg:dateNote``. So a year changed by hand against
its quote is caught, as the amounts rule catches a changed figure.
"""

from __future__ import annotations

import re

from rdflib import Dataset, Literal, URIRef

from kg.data.namespaces import KG, OA, PROV, PROVENANCE_GRAPH, SCHEMA
from kg.validate.evidence import Quote
from kg.validate.report import Problem, short

__all__ = ["DATE_PROPERTIES", "check_dates"]

DATE_PROPERTIES = (
    KG.date,
    KG.notBefore,
    KG.notAfter,
    KG.approximateDate,
    KG.validFrom,
    KG.validUntil,
    SCHEMA.foundingDate,
)
_RELATIVE = re.compile(r"今年|去年|明年|前年|同年|当年|本年|年前|年后|年底|年初|上半年|下半年")


def check_dates(dataset: Dataset, evidence: dict[URIRef, Quote]) -> list[Problem]:
    """Each stated date's year against its quote (quoted evidence only; a citation has none)."""
    problems = []
    provenance = dataset.graph(PROVENANCE_GRAPH)
    for graph_id, quote in sorted(evidence.items()):
        graph = dataset.graph(graph_id)
        relative = bool(_RELATIVE.search(quote.exact))
        published = {
            str(day)[:4]
            for target in provenance.objects(graph_id, PROV.wasDerivedFrom)
            for source in provenance.objects(target, OA.hasSource)
            for day in dataset.objects(source, KG.datePublished)
        }
        for prop in DATE_PROPERTIES:
            for subject, value in graph.subject_objects(prop):
                year = str(value)[:4]
                if not isinstance(value, Literal) or not year.isdigit() or year in quote.exact:
                    continue
                notes = " ".join(str(n) for n in dataset.objects(subject, KG.dateNote))
                if relative or year in notes or year in published:
                    continue
                problems.append(
                    Problem(
                        "date",
                        f"{short(subject)} in {short(graph_id)}",
                        f"{short(prop)} {value} names the year {year}, which its quote does not "
                        "write; correct the date, or say where the year comes from in kg:dateNote",
                    )
                )
    return problems
