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


# Hand-made shapes: which property shapes are taken from pySHACL, and what each taken rule says.
FORMS = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .

ex:Full a sh:NodeShape ; rdfs:label "full" ; rdfs:comment "every allowed key" ;
    sh:targetClass ex:A ;
    sh:property [ sh:path rdfs:label ; sh:qualifiedValueShape [ sh:languageIn ( "zh" ) ] ;
                  sh:qualifiedMinCount 1 ; sh:message "a zh label" ] ,
                ex:NamedEnglish .
ex:NamedEnglish sh:path rdfs:label ; sh:qualifiedValueShape [ sh:languageIn ( "en" "*" ) ] ;
    sh:qualifiedMinCount 2 ; sh:message "two labels" .
ex:Other a sh:NodeShape ; sh:targetClass ex:C ;
    sh:property [ sh:path rdfs:comment ; sh:qualifiedValueShape [ sh:languageIn ( "*" ) ] ;
                  sh:qualifiedMinCount 1 ; sh:message "a tagged comment" ] .
ex:Kept a sh:NodeShape ; sh:targetClass ex:B ;
    sh:property
        [ sh:path rdfs:label ; sh:qualifiedValueShape [ sh:languageIn ( "zh" ) ] ;
          sh:qualifiedMinCount 1 ; sh:message "two messages" , "deux" ] ,
        [ sh:path rdfs:label ; sh:qualifiedValueShape ex:ZhValues ;
          sh:qualifiedMinCount 1 ; sh:message "a shape by name" ] ,
        [ sh:path rdfs:label ; sh:qualifiedValueShape [ sh:languageIn ( "zh" ) ] ;
          sh:qualifiedMinCount "1" ; sh:message "a count in words" ] ,
        [ sh:path rdfs:label ; sh:qualifiedValueShape [ sh:languageIn ( ) ] ;
          sh:qualifiedMinCount 1 ; sh:message "no language" ] ,
        [ sh:path rdfs:label ; sh:qualifiedValueShape [ sh:languageIn ( 1 ) ] ;
          sh:qualifiedMinCount 1 ; sh:message "a number for a tag" ] ,
        [ sh:path rdfs:label ; sh:name "named" ; sh:qualifiedValueShape [ sh:languageIn ( "zh" ) ] ;
          sh:qualifiedMinCount 1 ; sh:message "a key more" ] .
ex:ZhValues sh:languageIn ( "zh" ) .  # the form of a taken value shape, but by name
ex:Untargeted a sh:NodeShape ;
    sh:property [ sh:path rdfs:label ; sh:qualifiedValueShape [ sh:languageIn ( "zh" ) ] ;
                  sh:qualifiedMinCount 1 ; sh:message "no target" ] .
ex:Referenced a sh:NodeShape ; sh:targetClass ex:A ;
    sh:property [ sh:path rdfs:label ; sh:qualifiedValueShape [ sh:languageIn ( "zh" ) ] ;
                  sh:qualifiedMinCount 1 ; sh:message "also checked elsewhere" ] .
ex:Referrer a sh:NodeShape ; sh:targetClass ex:D ; sh:node ex:Referenced .
ex:Warned a sh:NodeShape ; sh:targetClass ex:A ; sh:severity sh:Warning ;
    sh:property [ sh:path rdfs:label ; sh:qualifiedValueShape [ sh:languageIn ( "zh" ) ] ;
                  sh:qualifiedMinCount 1 ; sh:message "a warning" ] .
ex:Typed a sh:PropertyShape ; sh:path rdfs:label ; sh:minCount 0 .
"""


def test_only_property_shapes_of_the_counted_form_are_taken_from_pyshacl() -> None:
    shapes = Graph().parse(data=FORMS, format="turtle")
    rest, rules = split_counted(shapes)
    ex = Namespace("http://example.org/")
    taken = sorted(
        (str(r.shape) if isinstance(r.shape, URIRef) else "_", sorted(map(str, r.classes)),
         str(r.path), sorted(r.languages), r.count, r.message)
        for r in rules
    )  # fmt: skip
    assert taken == [
        ("_", [str(ex.A)], str(RDFS.label), ["zh"], 1, "a zh label"),
        ("_", [str(ex.C)], str(RDFS.comment), ["*"], 1, "a tagged comment"),
        (str(ex.NamedEnglish), [str(ex.A)], str(RDFS.label), ["*", "en"], 2, "two labels"),
    ]
    assert all(isinstance(r.count, int) for r in rules)
    taken_shapes = {r.shape for r in rules}
    assert {(s, o) for s, o in rest.subject_objects(SH.property)} == {
        (s, o) for s, o in shapes.subject_objects(SH.property) if o not in taken_shapes
    }
    assert len(rest) == len(shapes) - len(rules)
    assert dict(rest.namespaces())["ex"] == URIRef(str(ex))


def test_taken_rules_report_what_pyshacl_reports_for_them() -> None:
    ex = Namespace("http://example.org/")
    shapes = Graph().parse(data=FORMS, format="turtle")
    for s, p, o in list(shapes):  # only the forms that are taken, for pySHACL to compare with
        if s in (ex.Kept, ex.Untargeted, ex.Referenced, ex.Referrer, ex.Warned, ex.Typed):
            shapes.remove((s, p, o))
    data = Graph()
    data.add((ex.sub, RDFS.subClassOf, ex.A))
    for node, cls, values in [
        (ex.a1, ex.A, [Literal("某", lang="zh"), Literal("x", lang="en"), Literal("y", lang="fr")]),
        (ex.a2, ex.sub, [Literal("x", lang="en")]),  # an instance of a subclass: no zh label
        (ex.a3, ex.A, [Literal("某", lang="zh-Hans")]),  # one label matched by "*" only: 1 < 2
        (ex.c1, ex.C, []),  # a comment tagged fr below; a label is no comment
        (ex.c2, ex.C, [Literal("某", lang="zh")]),  # no comment at all
        (ex.b1, ex.B, []),  # of no taken shape's class
    ]:
        data.add((node, RDF.type, cls))
        for value in values:
            data.add((node, RDFS.label, value))
    data.add((ex.c1, RDFS.comment, Literal("commentaire", lang="fr")))
    _, rules = split_counted(shapes)
    ours = sorted(str(p) for rule in rules for p in rule.problems(data))
    _, results, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    assert isinstance(results, Graph)
    assert ours == sorted(str(p) for p in read_results(results))
    named = "<http://example.org/NamedEnglish>"
    assert ours == sorted(
        [
            "[shacl] <http://example.org/a2> (shape): rdfs:label: a zh label",
            f"[shacl] <http://example.org/a2> ({named}): rdfs:label: two labels",
            f"[shacl] <http://example.org/a3> ({named}): rdfs:label: two labels",
            "[shacl] <http://example.org/c2> (shape): rdfs:comment: a tagged comment",
        ]
    )
