"""The SHACL rule: ``shapes.ttl`` over a validation view of the data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import RDF, Dataset, Graph, Namespace, URIRef

if TYPE_CHECKING:
    pass
from kg.validate.report import KGV, Problem, short
from kg.validate.structure import evidence_graph_ids


# ---------------------------------------------------------------- SHACL
def validation_view(dataset: Dataset) -> Graph:
    """The graph SHACL validates: all triples, plus ``?s kgv:assertedIn ?g`` for evidence graphs."""
    view = Graph()
    view.addN((s, p, o, view) for s, p, o, _ in dataset.quads((None, None, None, None)))
    for graph_id in evidence_graph_ids(dataset):
        for subject in set(dataset.graph(graph_id).subjects()):
            view.add((subject, KGV.assertedIn, graph_id))
    return view


def run_shacl(dataset: Dataset, shapes_path: Path) -> list[Problem]:
    """Problems SHACL finds in the validation view of ``dataset``."""
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
        rule = short(shape) if isinstance(shape, URIRef) else "shape"
        text = str(message) if message is not None else "violates the shape"
        details = sorted(
            str(m)
            for d in results.objects(result, sh.detail)
            for m in results.objects(d, sh.resultMessage)
        )
        if details:
            text += " (" + "; ".join(details) + ")"
        if isinstance(path, URIRef):
            text = f"{short(path)}: {text}"
        problems.append(Problem("shacl", f"{short(focus)} ({rule})", text))
    return sorted(problems, key=str)
