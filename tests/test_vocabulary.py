"""The [vocabulary] rule: every term the data or a named query uses is declared in ontology.ttl."""

from __future__ import annotations

from pathlib import Path

from conftest import replace_in
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from kg.validate import EXIT_INVALID, validate_files
from kg.validate.vocabulary import check_data, check_queries, declared_terms

ROOT = Path(__file__).resolve().parent.parent
REUSED = (
    "https://schema.org/",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/ns/oa#",
    "http://www.w3.org/2004/02/skos/core#",
)


def vocabulary_problems(report) -> list[str]:
    return [f"{p.resource} {p.message}" for p in report.problems if p.rule == "vocabulary"]


def test_shipped_data_and_queries_use_only_declared_terms() -> None:
    declared = declared_terms(Graph().parse(ROOT / "ontology.ttl", format="turtle"))
    assert check_data(sorted((ROOT / "triples").glob("*.trig")), declared) == []
    assert check_queries(sorted((ROOT / "queries").glob("*.rq")), declared) == []


def test_reused_terms_are_documented_with_their_source_vocabulary() -> None:
    onto = Graph().parse(ROOT / "ontology.ttl", format="turtle")
    reused = [t for t in declared_terms(onto) if str(t).startswith(REUSED)]
    assert len(reused) >= 34
    for term in reused:
        defined_by = onto.value(term, RDFS.isDefinedBy)
        assert isinstance(defined_by, URIRef), term
        assert str(term).startswith(str(defined_by)), (term, defined_by)
        for prop in (RDFS.label, RDFS.comment):
            langs = {o.language for o in onto.objects(term, prop) if isinstance(o, Literal)}
            assert {"zh", "en"} <= langs, (term, prop)
        kinds = set(onto.objects(term, RDF.type))
        assert kinds & {
            OWL.Class,
            OWL.ObjectProperty,
            OWL.DatatypeProperty,
            OWL.AnnotationProperty,
        }, term


def test_undeclared_property_in_data_fails_with_file_and_line(
    data_copy: Path, source_path: Path
) -> None:
    path = data_copy / "triples" / "funding.trig"
    replace_in(
        path,
        '        kg:roundName "A轮"@zh ;\n',
        '        kg:roundName "A轮"@zh ;\n        schema:roundLabel "A" ;\n',
    )
    line = 1 + path.read_text(encoding="utf-8").split("schema:roundLabel")[0].count("\n")
    report = validate_files(data_copy, source_path)
    assert report.exit_code == EXIT_INVALID
    found = vocabulary_problems(report)
    assert found == [
        f"{path}:{line} property schema:roundLabel is not declared in ontology.ttl; declare it "
        "there (type, rdfs:label and rdfs:comment in zh and en, rdfs:isDefinedBy) or use a "
        "declared term"
    ]


def test_undeclared_class_in_data_fails(data_copy: Path, source_path: Path) -> None:
    path = data_copy / "triples" / "funding.trig"
    replace_in(
        path,
        "kgr:Funding-SeriesA a kg:FundingRound ;",
        "kgr:Funding-SeriesA a kg:FundingRound , kg:SeedRound ;",
    )
    report = validate_files(data_copy, source_path)
    found = vocabulary_problems(report)
    assert len(found) == 1 and "class kg:SeedRound" in found[0], found
    assert found[0].startswith(f"{path}:")


def test_undeclared_term_in_a_named_query_fails_with_file_and_line(
    data_copy: Path, source_path: Path
) -> None:
    path = data_copy / "queries" / "departures.rq"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    where = next(i for i, line in enumerate(lines) if line.strip().startswith("WHERE"))
    lines.insert(where + 1, "  ?x kg:leftCompany ?y .")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate_files(data_copy, source_path)
    assert report.exit_code == EXIT_INVALID
    found = vocabulary_problems(report)
    assert len(found) == 1, found
    assert found[0].startswith(f"{path}:{where + 2} query term kg:leftCompany is not declared")


def test_terms_in_query_comments_are_not_checked(tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text("# kg:NotATerm is only mentioned\nSELECT * WHERE { ?s kg:about ?o }\n")
    declared = {URIRef("https://w3id.org/zhipu-kg/ontology#about")}
    assert check_queries([query], declared) == []
    query.write_text("SELECT * WHERE { ?s <https://w3id.org/zhipu-kg/ontology#abut> ?o }\n")
    [problem] = check_queries([query], declared)
    assert (problem.line, problem.term) == (1, "https://w3id.org/zhipu-kg/ontology#abut")


def test_readme_lists_every_property_from_the_ontology() -> None:
    """The README's property table is the one generated from ontology.ttl."""
    from kg.validate.vocabulary import property_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- properties:start -->\n", 1)[1].split("\n<!-- properties:end -->")[0]
    onto = Graph().parse(ROOT / "ontology.ttl", format="turtle")
    assert block == property_table(onto)
    for prop in ("kg:involves", "kg:statedCause", "schema:value", "org:heldBy", "oa:exact"):
        assert f"| `{prop}` |" in block
