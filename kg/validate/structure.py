"""Structure rules: every file cross-parses in pyoxigraph, every triple sits in a known graph."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rdflib import RDF, Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.data.namespaces import (
    KG,
    PROVENANCE_GRAPH,
)
from kg.data.prefixes import NON_EVIDENCE_GRAPHS
from kg.data.store import ParsedFile

if TYPE_CHECKING:
    pass
from kg.validate.report import Problem, short


# ---------------------------------------------------------------- cross-parse
def cross_parse(files: Iterable[ParsedFile]) -> list[Problem]:
    """Each file parses in pyoxigraph with the statement count rdflib found."""
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
def evidence_graph_ids(dataset: Dataset) -> set[URIRef]:
    """The evidence graphs ``kgg:provenance`` describes."""
    return {
        g.identifier
        for g in dataset.graphs()
        if isinstance(g.identifier, URIRef)
        and str(g.identifier) not in NON_EVIDENCE_GRAPHS
        and g.identifier != DATASET_DEFAULT_GRAPH_ID
        and len(g) > 0
    }


def check_graphs(dataset: Dataset) -> list[Problem]:
    """Every triple sits in a described evidence graph or a known graph."""
    problems = []
    default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    if len(default) > 0:
        problems.append(
            Problem("graphs", "default graph", f"{len(default)} triple(s) outside any named graph")
        )
    provenance = dataset.graph(PROVENANCE_GRAPH)
    described = {s for s in provenance.subjects(RDF.type, KG.Evidence) if isinstance(s, URIRef)}
    evidence_graphs = evidence_graph_ids(dataset)
    for graph_id in sorted(evidence_graphs):
        if graph_id not in described:
            problems.append(
                Problem(
                    "graphs",
                    short(graph_id),
                    "named graph is not described as kg:Evidence in kgg:provenance",
                )
            )
    for graph_id in sorted(described - evidence_graphs):
        problems.append(
            Problem("graphs", short(graph_id), "evidence is described but its graph holds no facts")
        )
    return problems
