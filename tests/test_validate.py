"""kg validate: the shipped data passes, and each kind of damage is caught and named."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import replace_in

from kg.data.store import ParsedFile
from kg.validate import EXIT_ERROR, EXIT_INVALID, EXIT_VALID, validate_files
from kg.validate.structure import cross_parse as _cross_parse


def rules(report) -> set[str]:
    return {p.rule for p in report.problems}


def test_shipped_data_is_valid(source_path: Path) -> None:
    report = validate_files(source=source_path)
    assert report.problems == []
    assert report.exit_code == EXIT_VALID
    assert report.checked["quotes"] >= 50
    assert report.checked["amounts"] >= 25


def test_altered_quote_is_reported_with_its_real_position(
    data_copy: Path, source_path: Path
) -> None:
    replace_in(data_copy / "triples" / "funding.trig", '签下18亿元国资" ]', '签下19亿元国资" ]')
    report = validate_files(data_copy, source_path)
    assert report.exit_code == EXIT_INVALID
    quote_problems = [p for p in report.problems if p.rule == "quote"]
    assert [p.resource for p in quote_problems] == ["ev:funding-2025-03"]
    assert "not found" in quote_problems[0].message


def test_shifted_offsets_suggest_the_right_ones(data_copy: Path, source_path: Path) -> None:
    path = data_copy / "triples" / "funding.trig"
    text = path.read_text(encoding="utf-8")
    marker = '签下18亿元国资" ] ,\n            [ a oa:TextPositionSelector ; oa:start '
    start = text.index(marker) + len(marker)
    number = text[start : text.index(" ", start)]
    path.write_text(
        text[:start] + str(int(number) + 1) + text[start + len(number) :], encoding="utf-8"
    )
    report = validate_files(data_copy, source_path)
    (problem,) = [p for p in report.problems if p.rule == "quote"]
    assert f"the quote is at {number}–" in problem.message


def test_amount_that_disagrees_with_its_quote(data_copy: Path, source_path: Path) -> None:
    replace_in(
        data_copy / "triples" / "funding.trig",
        "schema:value 1800000000.0",
        "schema:value 1900000000.0",
    )
    report = validate_files(data_copy, source_path)
    assert report.exit_code == EXIT_INVALID
    (problem,) = report.problems
    assert problem.rule == "amount"
    assert "kgr:Funding-2025-03" in problem.resource
    assert "18亿元" in problem.message


def test_year_that_disagrees_with_its_quote(data_copy: Path, source_path: Path) -> None:
    replace_in(
        data_copy / "triples" / "technology.trig",
        'kg:date "2022"^^xsd:gYear ;\n        kg:approximateDate "2022-08"',
        'kg:date "2021"^^xsd:gYear ;\n        kg:approximateDate "2022-08"',
    )
    report = validate_files(data_copy, source_path)
    problems = [p for p in report.problems if p.rule == "date"]
    assert [p.resource for p in problems] == ["kgr:Release-GLM-130B in ev:glm-130b"]
    assert "names the year 2021, which its quote does not write" in problems[0].message


def test_vague_amount_given_false_precision(data_copy: Path, source_path: Path) -> None:
    replace_in(
        data_copy / "triples" / "funding.trig",
        "schema:minValue 100000000.0 ;",
        "schema:value 100000000.0 ; schema:minValue 100000000.0 ;",
    )
    report = validate_files(data_copy, source_path)
    assert [p.rule for p in report.problems] == ["amount"]
    assert "过亿元" in report.problems[0].message


def test_wrong_currency_is_caught(data_copy: Path, source_path: Path) -> None:
    replace_in(
        data_copy / "triples" / "field.trig",
        'schema:value 650000000.0 ; schema:currency "USD"',
        'schema:value 650000000.0 ; schema:currency "CNY"',
    )
    report = validate_files(data_copy, source_path)
    assert [p.rule for p in report.problems] == ["amount"]


def test_missing_label_language(data_copy: Path, source_path: Path) -> None:
    replace_in(
        data_copy / "triples" / "entities.trig",
        'rdfs:label "智谱"@zh , "Zhipu AI"@en',
        'rdfs:label "智谱"@zh',
    )
    report = validate_files(data_copy, source_path)
    assert report.exit_code == EXIT_INVALID
    (problem,) = report.problems
    assert problem.rule == "shacl"
    assert problem.resource.startswith("kgr:Zhipu ")
    assert "English" in problem.message


def test_syntax_error_names_file_and_line(data_copy: Path, source_path: Path) -> None:
    path = data_copy / "triples" / "people.trig"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    broken_line = next(i for i, line in enumerate(lines) if "kgr:ZhangPeng org:holds" in line)
    lines[broken_line] = lines[broken_line].replace(" kgr:Zhipu-CEO .", " .")
    path.write_text("".join(lines), encoding="utf-8")
    report = validate_files(data_copy, source_path)
    assert report.exit_code == EXIT_INVALID
    (problem,) = report.problems
    assert problem.rule == "syntax"
    assert problem.resource == f"{path}:{broken_line + 1}"


def test_a_variable_in_the_data_is_a_syntax_error_with_its_line(
    data_copy: Path, source_path: Path
) -> None:
    # rdflib's Turtle parser takes `?x` for a formula's variable and raised AttributeError
    path = data_copy / "triples" / "people.trig"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    broken_line = next(i for i, line in enumerate(lines) if "kgr:ZhangPeng org:holds" in line)
    lines[broken_line] = lines[broken_line].replace(" kgr:Zhipu-CEO .", " ?post .")
    path.write_text("".join(lines), encoding="utf-8")
    report = validate_files(data_copy, source_path)
    assert report.exit_code == EXIT_INVALID
    (problem,) = report.problems
    assert (problem.rule, problem.resource) == ("syntax", f"{path}:{broken_line + 1}")
    assert "variable" in problem.message and "_:x" in problem.message


def test_every_syntax_error_is_listed(data_copy: Path, source_path: Path) -> None:
    for name in ("people.trig", "field.trig"):
        with (data_copy / "triples" / name).open("a", encoding="utf-8") as handle:
            handle.write("\nkgr:Broken kgr:is \n")
    report = validate_files(data_copy, source_path)
    assert sorted(Path(p.resource.rsplit(":", 1)[0]).name for p in report.problems) == [
        "field.trig",
        "people.trig",
    ]


def test_claim_words_must_be_in_the_quote(data_copy: Path, source_path: Path) -> None:
    replace_in(
        data_copy / "triples" / "roadmap.trig",
        'schema:text "我们目前正处在L2和L3的交汇处"@zh',
        'schema:text "我们已经到了L3"@zh',
    )
    report = validate_files(data_copy, source_path)
    assert [(p.rule, p.resource) for p in report.problems] == [("claim", "kgr:Claim-TangJie-L2L3")]


def test_fact_outside_any_evidence_graph(data_copy: Path, source_path: Path) -> None:
    with (data_copy / "triples" / "funding.trig").open("a", encoding="utf-8") as handle:
        handle.write("\nev:unquoted { kgr:Zhipu kg:competesWith kgr:OpenAI . }\n")
    report = validate_files(data_copy, source_path)
    assert [(p.rule, p.resource) for p in report.problems] == [("graphs", "ev:unquoted")]


def test_changed_source_fails_its_fingerprint(tmp_path: Path, source_path: Path) -> None:
    altered = tmp_path / "article.txt"
    altered.write_text(
        source_path.read_text(encoding="utf-8").replace("智谱", "智譜", 1), encoding="utf-8"
    )
    report = validate_files(source=altered)
    assert "source" in rules(report)
    assert "quote" in rules(report)


def test_missing_source_means_could_not_run(tmp_path: Path) -> None:
    report = validate_files(source=tmp_path / "absent.txt")
    assert report.exit_code == EXIT_ERROR
    assert "source article not found" in report.summary()


def test_missing_data_folder_means_could_not_run(tmp_path: Path) -> None:
    report = validate_files(tmp_path)
    assert report.exit_code == EXIT_ERROR
    assert "not a data folder" in report.summary()


def test_cross_parse_compares_counts_with_pyoxigraph(graph) -> None:
    first = graph.files[1]
    assert _cross_parse([first]) == []
    (problem,) = _cross_parse([ParsedFile(first.path, first.statements + 1)])
    assert problem.rule == "cross-parse"
    assert (
        f"rdflib reads {first.statements + 1} statements, pyoxigraph {first.statements}"
        in problem.message
    )


@pytest.mark.parametrize(
    "path", sorted((Path(__file__).parent.parent / "triples").glob("*.trig")), ids=lambda p: p.name
)
def test_every_file_parses_equally_in_rdflib_and_pyoxigraph(path: Path) -> None:
    import pyoxigraph
    from rdflib import Dataset

    rdflib_count = len(list(Dataset().parse(path, format="trig").quads()))
    oxigraph_count = len(set(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TRIG)))
    assert rdflib_count == oxigraph_count > 0
