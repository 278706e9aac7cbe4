"""Check the knowledge graph against its contract.

:func:`validate` runs, in order:

1. **syntax** — every file parses in rdflib (errors name file and line);
2. **cross-parse** — every file parses in pyoxigraph too, with the same statement count;
3. **graphs** — every triple sits in a named graph: an evidence graph described in
   ``kgg:provenance``, or the curation, provenance or ontology graph;
4. **shacl** — ``shapes.ttl`` over a validation view (see :func:`validation_view`);
5. **quotes** — each evidence quote is verbatim in the source at its offsets, and the source's
   SHA-256 matches the one recorded; a claim's Chinese words occur in its quote;
6. **amounts** — each amount, count and price equals what its quote says (:mod:`kg.quantities`);
7. **vocabulary** — every term the data or a named query uses is declared (:mod:`kg.vocabulary`).

Exit codes (:attr:`ValidationReport.exit_code`): 0 valid, 1 invalid, 2 could not run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import RDF, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from kg.namespaces import (
    KG,
    OA,
    PROV,
    PROVENANCE_GRAPH,
    SCHEMA,
)
from kg.paths import source_text_path
from kg.prefixes import NON_EVIDENCE_GRAPHS, shorten
from kg.quantities import Quantity, QuantityError, find_quantities, matches, parse_quantity
from kg.source import QuoteError, SourceText, locate
from kg.store import LoadError, ParsedFile, parse_file
from kg.vocabulary import undeclared

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

#: Validation-only vocabulary: never in the data, only in the view SHACL sees.
KGV = Namespace("https://w3id.org/zhipu-kg/validation#")

EXIT_VALID, EXIT_INVALID, EXIT_ERROR = 0, 1, 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data.

    Attributes:
        rule: Which check found it (``syntax``, ``cross-parse``, ``graphs``, ``shacl``,
            ``quote``, ``source``, ``amount``, ``claim``, ``vocabulary``).
        resource: The file, node or graph concerned.
        message: What is wrong, and where possible what would be right.

    """

    rule: str
    resource: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.resource}: {self.message}"


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`.

    Attributes:
        problems: Everything found wrong (empty when valid).
        error: Why validation could not run, if it could not.
        checked: How many items each rule looked at.

    """

    problems: list[Problem] = field(default_factory=list)
    error: str | None = None
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """True when validation ran and found nothing wrong."""
        return self.error is None and not self.problems

    @property
    def exit_code(self) -> int:
        """0 valid, 1 invalid, 2 could not run."""
        if self.error is not None:
            return EXIT_ERROR
        return EXIT_VALID if not self.problems else EXIT_INVALID

    def summary(self) -> str:
        """A human-readable account, one problem a line."""
        if self.error is not None:
            return f"could not validate: {self.error}"
        checks = ", ".join(f"{n} {rule}" for rule, n in self.checked.items())
        if not self.problems:
            return f"valid ({checks})"
        lines = [f"{len(self.problems)} problem(s) ({checks}):"]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


def validate(
    graph: KnowledgeGraph, source: str | os.PathLike[str] | None = None
) -> ValidationReport:
    """Validate a loaded knowledge graph (see the module docstring for the checks).

    Args:
        graph: The loaded graph.
        source: The source article; by default found by :func:`kg.paths.source_text_path`.

    """
    report = ValidationReport()
    source_path = Path(source) if source is not None else source_text_path()
    if source_path is None or not source_path.is_file():
        report.error = (
            f"source article not found ({source_path or 'shared/seeds/'}); "
            "pass --source FILE or set KG_SOURCE"
        )
        return report
    article = SourceText.read(source_path)
    files = graph.files
    report.problems += _cross_parse(files)
    report.checked["files"] = len(files)
    dataset = graph.dataset
    report.problems += _check_graphs(dataset)
    report.problems += _run_shacl(dataset, graph.layout.shapes)
    evidence = dict(_evidence_quotes(dataset))
    report.checked["quotes"] = len(evidence)
    report.problems += _check_source(dataset, article)
    report.problems += _check_quotes(evidence, article)
    amounts = list(_amount_nodes(dataset))
    report.checked["amounts"] = len(amounts)
    report.problems += _check_amounts(dataset, amounts, evidence)
    report.problems += _check_claim_words(dataset, evidence)
    layout = graph.layout
    queries = sorted(layout.queries_dir.glob("*.rq")) if layout.queries_dir.is_dir() else []
    report.problems += [
        Problem("vocabulary", f"{u.path}:{u.line}", u.message)
        for u in undeclared(layout.ontology, layout.triple_files(), queries)
    ]
    return report


def validate_files(
    data: str | os.PathLike[str] | None = None, source: str | os.PathLike[str] | None = None
) -> ValidationReport:
    """Load and validate, turning syntax errors into problems instead of exceptions.

    Every file is parsed even after one fails, so all syntax errors are listed together.
    """
    from kg.graph import load
    from kg.paths import DataDirError, data_dir

    try:
        layout = data_dir(data)
    except DataDirError as err:
        return ValidationReport(error=str(err))
    syntax = []
    for path in [layout.ontology, layout.shapes, *layout.triple_files()]:
        try:
            parse_file(path)
        except LoadError as err:
            syntax.append(Problem("syntax", f"{err.path}:{err.line or '?'}", err.reason))
    if syntax:
        return ValidationReport(problems=syntax)
    return validate(load(data), source=source)


# ---------------------------------------------------------------- cross-parse
def _cross_parse(files: Iterable[ParsedFile]) -> list[Problem]:
    import pyoxigraph

    problems = []
    for parsed in files:
        fmt = (
            pyoxigraph.RdfFormat.TRIG
            if parsed.path.suffix == ".trig"
            else pyoxigraph.RdfFormat.TURTLE
        )
        try:
            count = len(set(pyoxigraph.parse(path=str(parsed.path), format=fmt)))
        except SyntaxError as err:
            problems.append(Problem("cross-parse", str(parsed.path), f"pyoxigraph: {err}"))
            continue
        if count != parsed.statements:
            problems.append(
                Problem(
                    "cross-parse",
                    str(parsed.path),
                    f"rdflib reads {parsed.statements} statements, pyoxigraph {count}",
                )
            )
    return problems


# ---------------------------------------------------------------- graphs
def _evidence_graph_ids(dataset: Dataset) -> set[URIRef]:
    return {
        g.identifier
        for g in dataset.graphs()
        if isinstance(g.identifier, URIRef)
        and str(g.identifier) not in NON_EVIDENCE_GRAPHS
        and g.identifier != DATASET_DEFAULT_GRAPH_ID
        and len(g) > 0
    }


def _check_graphs(dataset: Dataset) -> list[Problem]:
    problems = []
    default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    if len(default) > 0:
        problems.append(
            Problem("graphs", "default graph", f"{len(default)} triple(s) outside any named graph")
        )
    provenance = dataset.graph(PROVENANCE_GRAPH)
    described = {s for s in provenance.subjects(RDF.type, KG.Evidence) if isinstance(s, URIRef)}
    evidence_graphs = _evidence_graph_ids(dataset)
    for graph_id in sorted(evidence_graphs):
        if graph_id not in described:
            problems.append(
                Problem(
                    "graphs",
                    _short(graph_id),
                    "named graph is not described as kg:Evidence in kgg:provenance",
                )
            )
    for graph_id in sorted(described - evidence_graphs):
        problems.append(
            Problem(
                "graphs", _short(graph_id), "evidence is described but its graph holds no facts"
            )
        )
    return problems


# ---------------------------------------------------------------- SHACL
def validation_view(dataset: Dataset) -> Graph:
    """The graph SHACL validates: all triples, plus ``?s kgv:assertedIn ?g`` for evidence graphs."""
    view = Graph()
    view.addN((s, p, o, view) for s, p, o, _ in dataset.quads((None, None, None, None)))
    for graph_id in _evidence_graph_ids(dataset):
        for subject in set(dataset.graph(graph_id).subjects()):
            view.add((subject, KGV.assertedIn, graph_id))
    return view


def _run_shacl(dataset: Dataset, shapes_path: Path) -> list[Problem]:
    import pyshacl

    shapes = Graph().parse(shapes_path, format="turtle")
    conforms, results, _ = pyshacl.validate(
        validation_view(dataset), shacl_graph=shapes, inference="none", allow_warnings=True
    )
    if conforms:
        return []
    sh = Namespace("http://www.w3.org/ns/shacl#")
    assert isinstance(results, Graph)
    problems = []
    for result in results.subjects(RDF.type, sh.ValidationResult):
        focus = results.value(result, sh.focusNode)
        path = results.value(result, sh.resultPath)
        message = results.value(result, sh.resultMessage)
        shape = results.value(result, sh.sourceShape)
        rule = _short(shape) if isinstance(shape, URIRef) else "shape"
        text = str(message) if message is not None else "violates the shape"
        details = sorted(
            str(m)
            for d in results.objects(result, sh.detail)
            for m in results.objects(d, sh.resultMessage)
        )
        if details:
            text += " (" + "; ".join(details) + ")"
        if isinstance(path, URIRef):
            text = f"{_short(path)}: {text}"
        problems.append(Problem("shacl", f"{_short(focus)} ({rule})", text))
    return sorted(problems, key=str)


def _short(node: Node | None) -> str:
    if node is None:
        return "?"
    if isinstance(node, URIRef):
        return shorten(str(node))
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


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


def _evidence_quotes(dataset: Dataset) -> Iterator[tuple[URIRef, Quote]]:
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


def _text(node: Node | None) -> str | None:
    return str(node) if isinstance(node, Literal) else None


def _int(node: Node | None) -> int | None:
    if isinstance(node, Literal):
        try:
            return int(node)
        except (TypeError, ValueError):
            return None
    return None


def _check_source(dataset: Dataset, article: SourceText) -> list[Problem]:
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


def _check_quotes(evidence: dict[URIRef, Quote], article: SourceText) -> list[Problem]:
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
                _short(graph_id),
                f"oa:exact is not the source text at {quote.start}–{quote.end} "
                f"(found {at!r}){hint}",
            )
        )
    return problems


# ---------------------------------------------------------------- amounts
@dataclass(frozen=True)
class AmountNode:
    """A money, count or price node and the evidence graph it is asserted in."""

    node: Node
    graph: URIRef


def _amount_nodes(dataset: Dataset) -> Iterator[AmountNode]:
    for graph_id in sorted(_evidence_graph_ids(dataset)):
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


def _check_amounts(
    dataset: Dataset, amounts: list[AmountNode], evidence: dict[URIRef, Quote]
) -> list[Problem]:
    problems = []
    for amount in amounts:
        where = f"{_owner(dataset, amount.node)} in {_short(amount.graph)}"
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
            return _short(subject)
        return _owner(dataset, subject)
    return _short(node)


# ---------------------------------------------------------------- claims
def _check_claim_words(dataset: Dataset, evidence: dict[URIRef, Quote]) -> list[Problem]:
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
                            "claim", _short(claim), f"its words {str(words)!r} are not in its quote"
                        )
                    )
    return problems
