"""The counted language rules (:mod:`kg.validate.shacl_counts`) report what pySHACL reports.

:func:`kg.validate.shacl.run_shacl` takes the rules "at least one label in Chinese" (and the
like) out of ``shapes.ttl`` and evaluates them itself; here its problems are compared with those
of pySHACL run over the whole of ``shapes.ttl``, on every shape fixture, on the shipped data,
and on hand-made cases of language tags (a region, upper case, none, an IRI).
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, Namespace, URIRef

import kg
from kg.data.namespaces import ONTOLOGY_GRAPH
from kg.data.prefixes import PREFIXES
from kg.data.store import parse_file
from kg.validate.shacl import read_results, run_shacl, validation_view
from kg.validate.shacl_counts import split_counted

ROOT = Path(__file__).resolve().parent.parent
SHAPES_PATH = ROOT / "shapes.ttl"
FIXTURES = sorted((Path(__file__).resolve().parent / "data" / "shapes").glob("*.trig"))
SH = Namespace("http://www.w3.org/ns/shacl#")
KG = Namespace(PREFIXES["kg"])
KGR = Namespace(PREFIXES["kgr"])
KGSH = Namespace("https://w3id.org/zhipu-kg/shapes#")
TAGS = {"Chinese": "zh", "English": "en"}
ONTOLOGY = Graph().parse(ROOT / "ontology.ttl", format="turtle")


def pyshacl_problems(dataset: Dataset) -> list[str]:
    """The problems of pySHACL over the whole ``shapes.ttl``, read as ``run_shacl`` reads them."""
    shapes = Graph().parse(SHAPES_PATH, format="turtle")
    conforms, results, _ = pyshacl.validate(
        validation_view(dataset), shacl_graph=shapes, inference="none", allow_warnings=True
    )
    assert isinstance(results, Graph)
    return [] if conforms else sorted(str(p) for p in read_results(results))


def with_ontology(part: Dataset) -> Dataset:
    dataset = Dataset(default_union=True)
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    ontology.addN((s, p, o, ontology) for s, p, o in ONTOLOGY)
    for s, p, o, g in part.quads((None, None, None, None)):
        dataset.graph(g.identifier if isinstance(g, Graph) else g).add((s, p, o))
    return dataset


def test_the_language_rules_of_plain_shapes_are_counted_and_the_rest_stays() -> None:
    shapes = Graph().parse(SHAPES_PATH, format="turtle")
    rest, rules = split_counted(shapes)
    owners = sorted(
        (str(next(shapes.subjects(SH.property, r.shape)))[len(str(KGSH)) :], r.message)
        for r in rules
    )
    assert owners == [
        ("BilingualLabels", "needs an rdfs:label in Chinese (@zh)"),
        ("BilingualLabels", "needs an rdfs:label in English (@en)"),
        ("Inference", "needs a kg:inferenceNote in Chinese (@zh)"),
        ("Inference", "needs a kg:inferenceNote in English (@en)"),
        ("TermComments", "needs an rdfs:comment in Chinese (@zh)"),
        ("TermComments", "needs an rdfs:comment in English (@en)"),
    ]
    assert {(r.path, r.count) for r in rules} == {
        (RDFS.label, 1),
        (RDFS.comment, 1),
        (KG.inferenceNote, 1),
    }
    assert {r.languages for r in rules} == {frozenset({"zh"}), frozenset({"en"})}
    # kgsh:Claim says more than its targets and properties (sh:or): its rule stays with pySHACL
    # only the links to the counted property shapes are gone; the labels' datatype rule stays
    assert len(shapes) - len(rest) == 6
    assert (KGSH.BilingualLabels, SH.property, None) in rest
    assert len(Graph().parse(SHAPES_PATH, format="turtle")) == len(shapes)  # not changed


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_each_shape_fixture_has_the_problems_pyshacl_finds(path: Path) -> None:
    dataset = with_ontology(parse_file(path))
    assert sorted(str(p) for p in run_shacl(dataset, SHAPES_PATH)) == pyshacl_problems(dataset)


def test_the_shipped_data_has_the_problems_pyshacl_finds(graph: kg.KnowledgeGraph) -> None:
    found = sorted(str(p) for p in run_shacl(graph.dataset, SHAPES_PATH))
    assert found == pyshacl_problems(graph.dataset)


def labelled(*labels: Literal | URIRef, cls: URIRef = KG.Company) -> Dataset:
    data = Dataset()
    curation = data.graph(URIRef(PREFIXES["kgg"] + "curation"))
    node = KGR.Somebody
    curation.add((node, RDF.type, cls))
    for label in labels:
        curation.add((node, RDFS.label, label))
    return with_ontology(data)


@pytest.mark.parametrize(
    ("labels", "missing"),
    [
        ((Literal("某公司", lang="zh"), Literal("A company", lang="en")), []),
        ((Literal("某公司", lang="zh-Hans"), Literal("A company", lang="EN-gb")), []),
        ((Literal("某公司", lang="ZH"),), ["English"]),
        ((Literal("某公司", lang="zhx"), Literal("A company", lang="en")), ["Chinese"]),
        ((Literal("某公司"), Literal("A company", lang="en")), ["Chinese"]),
        ((URIRef("http://example.org/zh"), Literal("A", lang="en")), ["Chinese"]),
        ((), ["Chinese", "English"]),
        ((Literal("A", lang="en"), Literal("B", lang="en-US")), ["Chinese"]),
    ],
    ids=["both", "regions", "upper-case", "zhx", "untagged", "iri", "none", "two-english"],
)
def test_labels_of_each_kind_are_counted_as_pyshacl_counts_them(
    labels: tuple[Literal | URIRef, ...], missing: list[str]
) -> None:
    dataset = labelled(*labels)
    found = sorted(str(p) for p in run_shacl(dataset, SHAPES_PATH))
    assert found == pyshacl_problems(dataset)
    counted = [p for p in found if "needs an rdfs:label in" in p]
    assert counted == [
        f"[shacl] kgr:Somebody (shape): rdfs:label: needs an rdfs:label in {language} "
        f"(@{TAGS[language]})"
        for language in missing
    ]


def test_a_subclass_instance_is_a_focus_node_and_a_blank_node_too() -> None:
    dataset = labelled(Literal("A", lang="en"), cls=KG.GovernmentFund)  # a kg:Organization
    curation = dataset.graph(URIRef(PREFIXES["kgg"] + "curation"))
    blank = BNode("b1")
    curation.add((blank, RDF.type, KG.Person))
    curation.add((blank, RDFS.label, Literal("某人", lang="zh")))
    found = sorted(str(p) for p in run_shacl(dataset, SHAPES_PATH))
    assert found == pyshacl_problems(dataset)
    assert "[shacl] kgr:Somebody (shape): rdfs:label: needs an rdfs:label in Chinese (@zh)" in found
    assert "[shacl] _:b1 (shape): rdfs:label: needs an rdfs:label in English (@en)" in found
