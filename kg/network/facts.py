"""Facts as rows: one row per fact and evidence graph, with labels in both languages.

What a spreadsheet or an investigator's tool needs from the graph, read once from the rdflib
dataset: every fact node typed in an evidence graph (a funding event, a valuation, a claim …),
the statements that graph makes about it (participants as labels in Chinese and English, amounts
as value, bounds, currency and the words written, dates at their precision), and the evidence
itself — the quote and its offsets for a quoted source, or the report, its address and where in
it for a cited one. A fact two sources support is two rows, each with what its own source says.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.data.namespaces import CURATION_GRAPH, KG, OA, PROV, PROVENANCE_GRAPH, SCHEMA
from kg.data.prefixes import PREFIXES, shorten

__all__ = ["EVIDENCE_COLUMNS", "Fact", "Parties", "Statement", "facts", "label", "statements"]

EVIDENCE_COLUMNS = (
    "evidence",
    "tier",
    "quote",
    "start",
    "end",
    "source",
    "publisher",
    "url",
    "published",
    "where_in_source",
)
"""The evidence columns every row ends with."""

_VALUE_PARTS = (
    ("value", SCHEMA.value),
    ("price", SCHEMA.price),
    ("min", SCHEMA.minValue),
    ("max", SCHEMA.maxValue),
    ("currency", SCHEMA.currency),
    ("currency", SCHEMA.priceCurrency),
    ("unit", SCHEMA.unitText),
    ("as_written", KG.asWritten),
    ("approximate", KG.isApproximate),
)


@dataclass
class Fact:
    """One fact as one evidence graph states it.

    Attributes:
        iri: The fact node.
        kind: Its class, as a CURIE (``kg:FundingEvent``).
        cells: Column → text (``investor_zh``, ``amount_value``, ``date`` …), in first-seen order.
        links: Role property CURIE → the IRIs it points to (for graph-shaped exports).
        evidence: The evidence columns (:data:`EVIDENCE_COLUMNS`).
    """

    iri: str
    kind: str
    cells: dict[str, str] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    evidence: dict[str, str] = field(default_factory=dict)

    def add(self, column: str, text: str) -> None:
        """Add a value to a column (several values are joined with ``; ``)."""
        previous = self.cells.get(column)
        self.cells[column] = text if not previous else f"{previous}; {text}"


class Parties:
    """Labels and types of the entities, from the curation graph."""

    def __init__(self, dataset: Dataset) -> None:
        curation = dataset.graph(CURATION_GRAPH)
        self.labels: dict[Node, dict[str, str]] = defaultdict(dict)
        self.aliases: dict[Node, list[str]] = defaultdict(list)
        self.types: dict[Node, list[str]] = defaultdict(list)
        for subject, text in curation.subject_objects(RDFS.label):
            if isinstance(text, Literal):
                self.labels[subject].setdefault((text.language or "").split("-")[0], str(text))
        for subject, text in curation.subject_objects(URIRef(PREFIXES["skos"] + "altLabel")):
            self.aliases[subject].append(str(text))
        for subject, kind in curation.subject_objects(RDF.type):
            self.types[subject].append(shorten(str(kind)))


def label(parties: Parties, node: Node, lang: str) -> str:
    """A node's label in ``lang``, else in the other language, else its CURIE."""
    names = parties.labels.get(node, {})
    other = "en" if lang == "zh" else "zh"
    return names.get(lang) or names.get(other) or shorten(str(node))


def _column(predicate: Node) -> str:
    return shorten(str(predicate)).split(":", 1)[-1]


def _literal(node: Node) -> str:
    return str(node) if not isinstance(node, URIRef) else shorten(str(node))


def _evidence(dataset: Dataset, graph: URIRef, parties: Parties) -> dict[str, str]:
    provenance = dataset.graph(PROVENANCE_GRAPH)
    found = {"evidence": shorten(str(graph)), "tier": "curation"}
    for target in provenance.objects(graph, PROV.wasDerivedFrom):
        source = provenance.value(target, OA.hasSource)
        cited = (target, RDF.type, KG.Citation) in provenance
        found["tier"] = "cited" if cited else "quoted"
        for selector in provenance.objects(target, OA.hasSelector):
            for key, prop in (("quote", OA.exact), ("start", OA.start), ("end", OA.end)):
                value = provenance.value(selector, prop)
                if value is not None:
                    found[key] = str(value)
        where = provenance.value(target, KG.locator)
        if where is not None:
            found["where_in_source"] = str(where)
        if source is not None:
            found["source"] = str(
                provenance.value(source, KG.title) or label(parties, source, "zh")
            )
            publisher = dataset.value(source, KG.publisher)
            if publisher is not None:
                found["publisher"] = label(parties, publisher, "zh")
            for key, prop in (
                ("publisher", KG.publisherName),
                ("url", SCHEMA.url),
                ("published", KG.datePublished),
            ):
                value = provenance.value(source, prop)
                if value is not None:
                    found[key] = str(value)
    return found


@dataclass
class Statement:
    """A statement of an evidence graph about a node that is not a fact of that graph.

    Attributes:
        subject: Its subject (an entity, a post …).
        predicate: Its property.
        value: Its object.
        evidence: The evidence columns (:data:`EVIDENCE_COLUMNS`).
    """

    subject: Node
    predicate: Node
    value: Node
    evidence: dict[str, str]


def _evidence_graphs(dataset: Dataset) -> list[Graph]:
    prefix = PREFIXES["ev"]
    return sorted(
        (g for g in dataset.graphs() if str(g.identifier).startswith(prefix)),
        key=lambda g: str(g.identifier),
    )


def statements(dataset: Dataset) -> Iterator[Statement]:
    """Every statement of an evidence graph whose subject is not typed in that graph.

    A value node (an amount, a count) is the statement's value, as it stands in the graph.
    """
    parties = Parties(dataset)
    for graph in _evidence_graphs(dataset):
        gid = graph.identifier
        assert isinstance(gid, URIRef)
        typed = set(graph.subjects(RDF.type, None))
        evidence: dict[str, str] | None = None
        for subject, predicate, value in sorted(graph, key=lambda t: tuple(map(str, t))):
            if subject in typed or isinstance(subject, BNode):  # facts, and parts of values
                continue
            if evidence is None:
                evidence = _evidence(dataset, gid, parties)
            yield Statement(subject, predicate, value, evidence)


def facts(dataset: Dataset) -> Iterator[Fact]:
    """Every fact typed in an evidence graph, once per evidence graph, in graph order."""
    parties = Parties(dataset)
    for graph in _evidence_graphs(dataset):
        gid = graph.identifier
        assert isinstance(gid, URIRef)
        evidence: dict[str, str] | None = None
        for subject in sorted(set(graph.subjects(RDF.type, None)), key=str):
            if not isinstance(subject, URIRef) or not str(subject).startswith(PREFIXES["kgr"]):
                continue
            kinds = sorted(shorten(str(k)) for k in graph.objects(subject, RDF.type))
            fact = Fact(shorten(str(subject)), kinds[0])
            fact.cells["label_zh"] = label(parties, subject, "zh")
            fact.cells["label_en"] = label(parties, subject, "en")
            for predicate, value in sorted(graph.predicate_objects(subject), key=str):
                if predicate == RDF.type:
                    continue
                name = _column(predicate)
                if isinstance(value, URIRef) and not str(value).startswith(PREFIXES["kg"]):
                    fact.add(f"{name}_zh", label(parties, value, "zh"))
                    fact.add(f"{name}_en", label(parties, value, "en"))
                    fact.links[shorten(str(predicate))].append(str(value))
                elif isinstance(value, BNode):
                    for part, prop in _VALUE_PARTS:
                        for inner in graph.objects(value, prop):
                            fact.add(f"{name}_{part}", _literal(inner))
                else:
                    fact.add(name, _literal(value))
            if evidence is None:
                evidence = _evidence(dataset, gid, parties)
            fact.evidence = evidence
            yield fact
