"""shapes.ttl, shape by shape: each targeted shape accepts good data and rejects bad data by name.

Every fixture in ``tests/data/shapes/`` is a tiny TriG dataset. Its first line says what it is:

* ``<case>_pass.trig`` — ``# covers: kgsh:A [kgsh:B …]``: conforms to *all* shapes, and has at
  least one focus node for each shape it names (so the pass is not vacuous);
* ``<case>_fail.trig`` — ``# expect: kgsh:A — why``: violates shapes.ttl, and every violation
  belongs to ``kgsh:A`` (a violation of a property shape, or of a shape nested with ``sh:node``,
  ``sh:or`` … belongs to the targeted node shape that owns it).

Each fixture is validated the way ``kg validate`` does it: ontology.ttl is added in
``kgg:ontology`` (with ``inference="none"``, subclass instances reach ``sh:targetClass`` only
through the ``rdfs:subClassOf`` triples in the data), then pyshacl runs over
:func:`kg.validate.validation_view`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

import kg
from kg.data.namespaces import ONTOLOGY_GRAPH
from kg.data.store import parse_file
from kg.validate import validation_view

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "data" / "shapes"
SH = Namespace("http://www.w3.org/ns/shacl#")
KGSH = Namespace("https://w3id.org/zhipu-kg/shapes#")

SHAPES = Graph().parse(ROOT / "shapes.ttl", format="turtle")
ONTOLOGY = Graph().parse(ROOT / "ontology.ttl", format="turtle")

PASS_FIXTURES = sorted(FIXTURES.glob("*_pass.trig"))
FAIL_FIXTURES = sorted(FIXTURES.glob("*_fail.trig"))

_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
_NESTED = (SH.property, SH.node, SH.qualifiedValueShape, SH["not"])
_NESTED_LISTS = (SH["or"], SH["and"], SH.xone)
_PASS_HEADER = re.compile(r"# covers: ((?:kgsh:\w+ ?)+)$")
_FAIL_HEADER = re.compile(r"# expect: kgsh:(\w+)\b")


# ---------------------------------------------------------------- the shapes graph
def targeted_shapes() -> set[URIRef]:
    """The node shapes that select focus nodes themselves (the ones fixtures are about)."""
    return {
        shape
        for shape in SHAPES.subjects(RDF.type, SH.NodeShape)
        if isinstance(shape, URIRef) and any(SHAPES.value(shape, t) is not None for t in _TARGETS)
    }


def _children(shape: Node) -> Iterator[Node]:
    for predicate in _NESTED:
        yield from SHAPES.objects(shape, predicate)
    for predicate in _NESTED_LISTS:
        for members in SHAPES.objects(shape, predicate):
            yield from Collection(SHAPES, members)


def _reachable(shape: Node) -> set[Node]:
    seen: set[Node] = set()
    stack = [shape]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(_children(node))
    return seen


#: For each shape, the targeted node shapes that own it (itself, when it is targeted).
OWNERS: dict[Node, set[URIRef]] = {}
for _top in targeted_shapes():
    for _shape in _reachable(_top):
        OWNERS.setdefault(_shape, set()).add(_top)


def short(node: Node | None) -> str:
    if isinstance(node, URIRef) and str(node).startswith(str(KGSH)):
        return "kgsh:" + str(node)[len(str(KGSH)) :]
    return str(node)


def owner_names(shape: Node | None) -> str:
    """The targeted shape(s) that own ``shape``, for messages."""
    return " ".join(sorted(short(owner) for owner in OWNERS.get(shape, ()))) or short(shape)


def focus_nodes(view: Graph, shape: URIRef) -> set[Node]:
    """The nodes ``shape`` targets in ``view``, as pyshacl selects them without inference."""
    nodes: set[Node] = set(SHAPES.objects(shape, SH.targetNode))
    for cls in SHAPES.objects(shape, SH.targetClass):
        for sub in view.transitive_subjects(RDFS.subClassOf, cls):
            nodes.update(view.subjects(RDF.type, sub))
    for prop in SHAPES.objects(shape, SH.targetSubjectsOf):
        nodes.update(view.subjects(prop, None))
    for prop in SHAPES.objects(shape, SH.targetObjectsOf):
        nodes.update(view.objects(None, prop))
    return nodes


# ---------------------------------------------------------------- running a fixture
def dataset_of(path: Path) -> Dataset:
    """``path`` plus the ontology in ``kgg:ontology``, assembled as :func:`kg.data.store` does."""
    dataset = Dataset(default_union=True)
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    for triple in ONTOLOGY:
        ontology.add(triple)
    part = parse_file(path)
    dataset.addN(
        (s, p, o, dataset.graph(g.identifier if isinstance(g, Graph) else g))
        for s, p, o, g in part.quads((None, None, None, None))
    )
    return dataset


def run_shacl(dataset: Dataset) -> tuple[Graph, bool, Graph, str]:
    view = validation_view(dataset)
    conforms, results, text = pyshacl.validate(
        view,
        shacl_graph=SHAPES,
        inference="none",
        inplace=True,  # the view is ours to spend
    )
    assert isinstance(results, Graph)
    return view, bool(conforms), results, str(text)


def violations(results: Graph) -> list[tuple[Node, Node, str]]:
    """(source shape, focus node, message) of each top-level result."""
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.detail, result) in results:
            continue
        found.append(
            (
                results.value(result, SH.sourceShape),
                results.value(result, SH.focusNode),
                str(results.value(result, SH.resultMessage)),
            )
        )
    return found


def header(path: Path) -> str:
    with path.open(encoding="utf-8") as f:
        return f.readline().rstrip("\n")


def covered(path: Path) -> list[URIRef]:
    match = _PASS_HEADER.match(header(path))
    assert match, f"{path.name}: first line must be '# covers: kgsh:Shape …'"
    return [KGSH[name.removeprefix("kgsh:")] for name in match.group(1).split()]


def expected(path: Path) -> URIRef:
    match = _FAIL_HEADER.match(header(path))
    assert match, f"{path.name}: first line must be '# expect: kgsh:Shape — why'"
    return KGSH[match.group(1)]


# ---------------------------------------------------------------- tests
@pytest.mark.parametrize("path", PASS_FIXTURES, ids=lambda p: p.stem)
def test_pass_fixture_conforms(path: Path) -> None:
    shapes = covered(path)
    view, conforms, _, text = run_shacl(dataset_of(path))
    assert conforms, text
    for shape in shapes:
        assert shape in targeted_shapes(), f"{short(shape)} is not a targeted shape"
        assert focus_nodes(view, shape), f"nothing in {path.name} is a focus of {short(shape)}"


@pytest.mark.parametrize("path", FAIL_FIXTURES, ids=lambda p: p.stem)
def test_fail_fixture_violates_only_its_shape(path: Path) -> None:
    shape = expected(path)
    assert shape in targeted_shapes(), f"{short(shape)} is not a targeted shape"
    _, conforms, results, text = run_shacl(dataset_of(path))
    assert not conforms, f"{path.name} conforms, but should violate {short(shape)}"
    found = violations(results)
    assert found, text
    for source, focus, message in found:
        assert OWNERS.get(source) == {shape}, (
            f"{focus} violates {owner_names(source)} ({message}); expected only {short(shape)}"
        )


def test_every_targeted_shape_has_a_pass_and_a_fail_fixture() -> None:
    passing = {shape for path in PASS_FIXTURES for shape in covered(path)}
    failing = {expected(path) for path in FAIL_FIXTURES}
    shapes = targeted_shapes()
    assert shapes, "no targeted shapes found in shapes.ttl"
    assert sorted(map(short, shapes - passing)) == [], "targeted shapes with no *_pass fixture"
    assert sorted(map(short, shapes - failing)) == [], "targeted shapes with no *_fail fixture"


def test_every_node_shape_is_targeted_or_used() -> None:
    """A node shape with no target that no targeted shape uses would never run."""
    unused = [
        short(shape) for shape in SHAPES.subjects(RDF.type, SH.NodeShape) if shape not in OWNERS
    ]
    assert unused == []


def test_every_fixture_is_named_pass_or_fail() -> None:
    strays = [
        p.name
        for p in FIXTURES.iterdir()
        if p.is_file() and not p.name.endswith(("_pass.trig", "_fail.trig"))
    ]
    assert strays == []


def test_shipped_data_conforms(graph: kg.KnowledgeGraph) -> None:
    _, conforms, results, _ = run_shacl(graph.dataset)
    problems = sorted(
        f"{owner_names(source)} {focus}: {message}"
        for source, focus, message in violations(results)
    )
    assert conforms, "\n".join(problems)
