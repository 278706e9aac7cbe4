"""Counts that describe the knowledge graph: classes, facts with evidence, languages."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.data.coverage import source_share
from kg.data.namespaces import CURATION_GRAPH, KG, KGR, ONTOLOGY_GRAPH, PROVENANCE_GRAPH
from kg.data.store import HasDataset


@dataclass
class Stats:
    """What :func:`compute` counts.

    Attributes:
        triples: All statements in the dataset.
        ontology_triples: Statements of the ontology.
        fact_triples: Statements asserted in evidence graphs (each backed by a quote).
        curation_triples: Statements added by curators (types, labels, translations).
        provenance_triples: Statements that describe the evidence.
        evidence_graphs: Quoted passages (one named graph each).
        entities: Resources (``kgr:``) with a type.
        entities_labelled: Resources labelled per language, e.g. ``{"zh": 120, "en": 120}``.
        classes: Resources per most specific asserted ``kg:`` class.
        quoted_share: Share of the article's non-space text inside some evidence quote
            (``None`` when the article is not at hand).

    """

    triples: int = 0
    ontology_triples: int = 0
    fact_triples: int = 0
    curation_triples: int = 0
    provenance_triples: int = 0
    evidence_graphs: int = 0
    entities: int = 0
    entities_labelled: dict[str, int] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)
    quoted_share: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    def as_text(self) -> str:
        """A readable report."""
        width = max((len(c) for c in self.classes), default=10)
        lines = [
            f"triples              {self.triples}",
            f"  facts with evidence {self.fact_triples} in {self.evidence_graphs} quoted passages",
            f"  curation            {self.curation_triples}",
            f"  provenance          {self.provenance_triples}",
            f"  ontology            {self.ontology_triples}",
            "article quoted       "
            + (
                "unknown (article not found)"
                if self.quoted_share is None
                else f"{self.quoted_share:.1%} of its non-space text"
            ),
            f"entities             {self.entities}",
            "  labelled            "
            + ", ".join(f"@{lang}: {n}" for lang, n in sorted(self.entities_labelled.items())),
            "by class:",
        ]
        lines += [f"  {name:<{width}} {n}" for name, n in self.classes.items()]
        return "\n".join(lines)


def compute(graph: HasDataset) -> Stats:
    """Count what is in ``graph``."""
    dataset = graph.dataset
    stats = Stats(triples=len(dataset))
    special = {CURATION_GRAPH, PROVENANCE_GRAPH, ONTOLOGY_GRAPH, DATASET_DEFAULT_GRAPH_ID}
    for named in dataset.graphs():
        size = len(named)
        if named.identifier == ONTOLOGY_GRAPH:
            stats.ontology_triples = size
        elif named.identifier == CURATION_GRAPH:
            stats.curation_triples = size
        elif named.identifier == PROVENANCE_GRAPH:
            stats.provenance_triples = size
        elif named.identifier not in special and size:
            stats.fact_triples += size
            stats.evidence_graphs += 1
    classes: Counter[str] = Counter()
    labelled: Counter[str] = Counter()
    records = {KG.Judgement, KG.ReviewDecision}  # decisions about the data, not in it
    for subject in set(dataset.subjects(RDF.type, None)):
        if not (isinstance(subject, URIRef) and str(subject).startswith(str(KGR))):
            continue
        if set(dataset.objects(subject, RDF.type)) <= records:
            continue
        stats.entities += 1
        for kind in _most_specific(graph, subject):
            classes[kind] += 1
        languages = {
            label.language
            for label in dataset.objects(subject, RDFS.label)
            if isinstance(label, Literal)
        }
        labelled.update(lang for lang in languages if lang)
    stats.classes = dict(sorted(classes.items(), key=lambda kv: (-kv[1], kv[0])))
    stats.entities_labelled = dict(labelled)
    stats.quoted_share = source_share(dataset)
    return stats


def _most_specific(graph: HasDataset, subject: URIRef) -> list[str]:
    dataset = graph.dataset
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    types = {t for t in dataset.objects(subject, RDF.type) if str(t).startswith(str(KG._NS))}
    supers = {s for t in types for s in ontology.transitive_objects(t, RDFS.subClassOf) if s != t}
    return sorted("kg:" + str(t)[len(str(KG._NS)) :] for t in types - supers)
