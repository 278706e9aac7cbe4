"""Source rules: every evidence graph names a described source; each quote against its own text.

The texts are found by fingerprint (``kg validate --sources DIR``); a source whose text is not
there is named as skipped, never passed in silence. Draft files are checked for syntax and for
their quotes at their offsets, and the draft mark must stay in the drafts folder.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from rdflib import RDF, Dataset, Literal, URIRef

from kg.data.namespaces import KG, OA, PROV, PROVENANCE_GRAPH
from kg.data.paths import DataLayout
from kg.data.source import SourceText
from kg.data.store import LoadError, parse_file
from kg.validate.evidence import Quote, check_quotes, cited_graphs
from kg.validate.report import Problem, short

__all__ = [
    "check_drafts",
    "check_named_sources",
    "check_with_texts",
    "quotes_by_source",
    "quotes_for_article",
]


_SOURCE_TYPES = (KG.SourceArticle, KG.PublicReport)


def quotes_by_source(dataset: Dataset) -> Iterator[tuple[URIRef, URIRef | None, Quote]]:
    """Each quoted evidence graph, the source it names (``oa:hasSource``) and its quote.

    Cited evidence graphs (a ``kg:Citation``: no quote) are left out.
    """
    provenance = dataset.graph(PROVENANCE_GRAPH)
    described = provenance.subjects(RDF.type, KG.Evidence)
    for evidence in sorted({x for x in described if isinstance(x, URIRef)}):
        for resource in provenance.objects(evidence, PROV.wasDerivedFrom):
            if (resource, RDF.type, KG.Citation) in provenance:
                continue  # cited, not quoted: see check_named_sources
            source = provenance.value(resource, OA.hasSource)
            quote = Quote("", None, None, None)
            for selector in provenance.objects(resource, OA.hasSelector):
                if (selector, RDF.type, OA.TextQuoteSelector) in provenance:
                    prefix = provenance.value(selector, OA.prefix)
                    quote = Quote(
                        str(provenance.value(selector, OA.exact) or ""),
                        str(prefix) if prefix is not None else None,
                        quote.start,
                        quote.end,
                    )
                elif (selector, RDF.type, OA.TextPositionSelector) in provenance:
                    quote = Quote(
                        quote.exact,
                        quote.prefix,
                        _int(provenance.value(selector, OA.start)),
                        _int(provenance.value(selector, OA.end)),
                    )
            yield evidence, source if isinstance(source, URIRef) else None, quote


def _int(node: object) -> int | None:
    return int(node) if isinstance(node, Literal) else None


def check_named_sources(dataset: Dataset) -> list[Problem]:
    """Every evidence graph names a source described as a ``kg:SourceArticle`` (or report)."""
    problems = []
    named = [(evidence, source) for evidence, source, _ in quotes_by_source(dataset)]
    named += sorted(cited_graphs(dataset).items())
    for evidence, source in named:
        if source is None:
            problems.append(
                Problem("source", short(evidence), "names no source (add oa:hasSource)")
            )
        elif not any((source, RDF.type, kind) in dataset for kind in _SOURCE_TYPES):
            problems.append(
                Problem(
                    "source",
                    short(evidence),
                    f"its source {short(source)} is not described "
                    "(record it with `kg sources add FILE --title …`)",
                )
            )
    return problems


def check_with_texts(
    dataset: Dataset, texts: Mapping[str, Path], described: Dataset | None = None
) -> tuple[list[Problem], int, dict[str, str]]:
    """Check each quote against its own source, found among ``texts`` by SHA-256.

    Args:
        dataset: The data.
        texts: Source files by the hex SHA-256 of their bytes.
        described: Where the sources are described (default: ``dataset``).

    Returns:
        The problems, how many quotes were checked, and the skipped sources with the reason.

    """
    by_source: dict[URIRef, dict[URIRef, Quote]] = {}
    for evidence, source, quote in quotes_by_source(dataset):
        if source is not None:
            by_source.setdefault(source, {})[evidence] = quote
    problems: list[Problem] = []
    skipped: dict[str, str] = {}
    checked = 0
    for source, quotes in sorted(by_source.items()):
        sha = (described if described is not None else dataset).value(source, KG.sha256)
        path = texts.get(str(sha)) if sha is not None else None
        if path is None:
            reason = "no SHA-256 recorded" if sha is None else f"no file with SHA-256 {sha}"
            skipped[f"source {short(source)} ({len(quotes)} quote(s))"] = reason
            continue
        problems += check_quotes(quotes, SourceText.read(path))
        checked += len(quotes)
    return problems, checked, skipped


def quotes_for_article(dataset: Dataset, article: SourceText) -> dict[URIRef, Quote]:
    """The quotes ``article`` should hold.

    Those of the source recorded with its SHA-256; for a changed file, those of the source
    recorded with its file name; else those of every source.
    """
    quotes = list(quotes_by_source(dataset))
    for predicate, value in ((KG.sha256, article.sha256), (KG.fileName, article.path.name)):
        sources = set(dataset.subjects(predicate, Literal(value)))
        if sources:
            return {g: q for g, s, q in quotes if s in sources}
    return {g: q for g, _, q in quotes}


def check_drafts(
    layout: DataLayout, texts: Mapping[str, Path], described: Dataset
) -> tuple[list[Problem], int]:
    """Draft files parse, and their quotes are exact at their offsets in their sources.

    A graph marked ``kg:status kg:Draft`` outside ``triples/drafts/`` is a problem: it would be
    mixed into the default answers.

    Returns:
        The problems and how many draft graphs were checked.

    """
    problems: list[Problem] = []
    for path in layout.triple_files() if not layout.include_drafts else []:
        for graph in parse_file(path).graphs():
            if (None, KG.status, KG.Draft) in graph:
                problems.append(
                    Problem(
                        "draft",
                        str(path),
                        "holds graphs marked kg:status kg:Draft; move it to triples/drafts/ "
                        "or curate it and remove the mark",
                    )
                )
                break
    count = 0
    for path in layout.draft_files():
        try:
            dataset = parse_file(path)
        except LoadError as err:
            problems.append(Problem("syntax", f"{err.path}:{err.line or '?'}", err.reason))
            continue
        found, checked, skipped = check_with_texts(dataset, texts, described)
        problems += [Problem(p.rule, f"{path.name}: {p.resource}", p.message) for p in found]
        problems += [
            Problem("draft", f"{path.name}: {what}", f"not checked: {why}")
            for what, why in skipped.items()
        ]
        count += checked
    return problems, count
