"""Check the knowledge graph against its contract.

:func:`validate` runs, in order:

1. **syntax** — every file parses in rdflib (errors name file and line);
2. **cross-parse** — every file parses in pyoxigraph too, with the same statement count;
3. **graphs** — every triple sits in a named graph: an evidence graph described in
   ``kgg:provenance``, or the curation, provenance or ontology graph;
4. **shacl** — ``shapes.ttl`` over a validation view (see :func:`validation_view`);
5. **quotes** — each evidence quote is verbatim in the source at its offsets, and the source's
   SHA-256 matches the one recorded; a claim's Chinese words occur in its quote (cited
   evidence, resting on a public report rather than a quote, is required by SHACL to name
   the report's URL, publisher, title and dates instead);
6. **amounts** — each amount, count and price equals what its quote says
   (:mod:`kg.data.quantities`), and each stated date's year is written in its quote or explained
   (:mod:`kg.validate.dates`);
7. **vocabulary** — every term the data or a named query uses is declared
   (:mod:`kg.validate.vocabulary`);
8. **identity** — the judgements file reads, and every judgement names entities the data
   still uses (:mod:`kg.validate.identity`).

Without the source article the quote and source checks are skipped and named in the report;
everything else still runs.

Exit codes (:attr:`ValidationReport.exit_code`): 0 valid, 1 invalid, 2 could not run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from rdflib import Dataset

from kg.data.paths import DataDirError, DataLayout, data_dir, source_text_path
from kg.data.source import SourceText
from kg.data.sources import fingerprint_dir
from kg.data.store import HasDataset, LoadError, ParsedFile, assemble, parse_file
from kg.logs import Log
from kg.progress import progress
from kg.validate.amounts import amount_nodes, check_amounts
from kg.validate.dates import check_dates
from kg.validate.evidence import (
    check_claim_words,
    check_quotes,
    check_source,
    cited_graphs,
    evidence_quotes,
)
from kg.validate.identity import check_judgements
from kg.validate.report import EXIT_ERROR, EXIT_INVALID, EXIT_VALID, Problem, ValidationReport
from kg.validate.shacl import run_shacl, validation_view
from kg.validate.sources import (
    check_drafts,
    check_named_sources,
    check_with_texts,
    quotes_for_article,
)
from kg.validate.structure import check_graphs, cross_parse
from kg.validate.vocabulary import undeclared

__all__ = [
    "EXIT_ERROR",
    "EXIT_INVALID",
    "EXIT_VALID",
    "Loaded",
    "Problem",
    "ValidationReport",
    "validate",
    "validate_files",
    "validation_view",
]

NO_ARTICLE = (
    "the source article is not here: the project ships only quotes; "
    "pass --source FILE (or set KG_SOURCE) to check them"
)

log = Log(__name__)


class Loaded(HasDataset, Protocol):
    """What validation needs of loaded data (a :class:`kg.KnowledgeGraph` is one)."""

    @property
    def layout(self) -> DataLayout: ...  # noqa: D102

    @property
    def files(self) -> list[ParsedFile]: ...  # noqa: D102


@dataclass(frozen=True)
class _Parsed:
    layout: DataLayout
    dataset: Dataset
    files: list[ParsedFile]


def validate(
    graph: Loaded,
    source: str | os.PathLike[str] | None = None,
    sources: str | os.PathLike[str] | None = None,
) -> ValidationReport:
    """Validate loaded data (see the module docstring for the checks).

    Args:
        graph: The loaded data, e.g. a :class:`kg.KnowledgeGraph`.
        source: The source article; by default found by :func:`kg.data.paths.source_text_path`.
            When there is none, the checks that need it are skipped and named in the report.
        sources: A folder of source texts: every quote is then checked against its own source,
            found there by SHA-256; a source not there is named as skipped.

    """
    report = ValidationReport()
    source_path = Path(source) if source is not None else source_text_path()
    if source is not None and not Path(source).is_file():
        report.error = f"source article not found: {source}"
        return report
    files = graph.files
    report.problems += cross_parse(files)
    report.checked["files"] = len(files)
    dataset = graph.dataset
    report.problems += check_graphs(dataset)
    report.problems += run_shacl(dataset, graph.layout.shapes)
    evidence = dict(evidence_quotes(dataset))
    report.checked["quotes"] = len(evidence)
    report.problems += check_named_sources(dataset)
    texts = fingerprint_dir(sources) if sources is not None else {}
    if source_path is not None and source_path.is_file() and (sources is None or source):
        article = SourceText.read(source_path)
        texts.setdefault(article.sha256, source_path)
        if sources is None:  # the one article: its fingerprint, and its quotes even if changed
            report.problems += check_source(dataset, article)
            report.problems += check_quotes(quotes_for_article(dataset, article), article)
    if sources is not None:
        problems, checked, skipped = check_with_texts(dataset, texts)
        report.problems += problems
        report.checked["quotes"] = checked
        report.skipped.update(skipped)
    elif not texts:
        report.skipped["quotes and source fingerprint"] = NO_ARTICLE
    draft_problems, drafts = check_drafts(graph.layout, texts, dataset)
    report.problems += draft_problems
    if drafts:
        report.checked["draft quotes"] = drafts
    amounts = list(amount_nodes(dataset))
    report.checked["amounts"] = len(amounts)
    cited = cited_graphs(dataset)
    if cited:
        report.checked["citations"] = len(cited)
    report.problems += check_amounts(dataset, amounts, evidence, cited)
    report.problems += check_dates(dataset, evidence)
    report.problems += check_claim_words(dataset, evidence)
    report.problems += check_judgements(graph.layout, dataset)
    layout = graph.layout
    queries = sorted(layout.queries_dir.glob("*.rq")) if layout.queries_dir.is_dir() else []
    report.problems += [
        Problem("vocabulary", f"{u.path}:{u.line}", u.message)
        for u in undeclared(layout.ontology, layout.triple_files(), queries)
    ]
    log.info(
        "checked %s: %d problems%s",
        ", ".join(f"{count:,} {what}" for what, count in report.checked.items()),
        len(report.problems),
        f"; skipped {', '.join(report.skipped)}" if report.skipped else "",
    )
    return report


def validate_files(
    data: str | os.PathLike[str] | None = None,
    source: str | os.PathLike[str] | None = None,
    sources: str | os.PathLike[str] | None = None,
) -> ValidationReport:
    """Load and validate, turning syntax errors into problems instead of exceptions.

    Every file is parsed once, even after one fails, so all syntax errors are listed together.
    """
    try:
        layout = data_dir(data, include_drafts=False)
    except DataDirError as err:
        return ValidationReport(error=str(err))
    syntax: list[Problem] = []
    parts = []
    paths = [layout.ontology, *layout.triple_files()]
    with progress(len(paths), "parsing", unit="files") as bar:
        for path in paths:
            try:
                parts.append((path, parse_file(path)))
            except LoadError as err:
                syntax.append(Problem("syntax", f"{err.path}:{err.line or '?'}", err.reason))
            bar.advance()
    try:
        parse_file(layout.shapes)
    except LoadError as err:
        syntax.append(Problem("syntax", f"{err.path}:{err.line or '?'}", err.reason))
    log.info(
        "rdflib parsed %d files from %s; %d did not parse",
        len(parts),
        layout.root,
        len(syntax),
    )
    if syntax:
        return ValidationReport(problems=syntax)
    dataset, files = assemble(parts)
    return validate(_Parsed(layout, dataset, files), source=source, sources=sources)
