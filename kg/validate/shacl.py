"""The SHACL rule: ``shapes.ttl`` over a validation view of the data."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import RDF, Dataset, Graph, URIRef

from kg.validate.report import KGV, Problem, short
from kg.validate.shacl_counts import SH, CountedRule, split_counted
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


@lru_cache(maxsize=4)
def _shapes(path: Path, version: tuple[int, int]) -> tuple[Graph, tuple[CountedRule, ...]]:
    """The shapes of ``path`` for pySHACL and its counted language rules, once per version."""
    rest, counted = split_counted(Graph().parse(path, format="turtle"))
    return rest, tuple(counted)


def run_shacl(dataset: Dataset, shapes_path: Path) -> list[Problem]:
    """Problems SHACL finds in the validation view of ``dataset``.

    The counted language rules (:mod:`kg.validate.shacl_counts`) are evaluated directly, the rest
    by pySHACL; the problems are those pySHACL finds with the whole of ``shapes_path``.
    """
    import pyshacl

    status = shapes_path.stat()
    shapes, counted = _shapes(shapes_path, (status.st_mtime_ns, status.st_size))
    view = validation_view(dataset)
    found = [problem for rule in counted for problem in rule.problems(view)]
    conforms, results, _ = pyshacl.validate(
        view, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    assert isinstance(results, Graph)
    return sorted(found + ([] if conforms else read_results(results)), key=str)


def read_results(results: Graph) -> list[Problem]:
    """The problems of a pySHACL results graph, one per validation result."""
    problems = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        shape = results.value(result, SH.sourceShape)
        rule = short(shape) if isinstance(shape, URIRef) else "shape"
        text = str(message) if message is not None else "violates the shape"
        details = sorted(
            str(m)
            for d in results.objects(result, SH.detail)
            for m in results.objects(d, SH.resultMessage)
        )
        if details:
            text += " (" + "; ".join(details) + ")"
        if isinstance(path, URIRef):
            text = f"{short(path)}: {text}"
        problems.append(Problem("shacl", f"{short(focus)} ({rule})", text))
    return problems
