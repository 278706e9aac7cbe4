"""The named-query catalogue: headers, parsing and parameter binding (kg.query.catalogue)."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.data.paths import DataLayout, data_dir
from kg.data.prefixes import PREFIXES
from kg.query.catalogue import (
    PARAM_TYPES,
    CatalogueError,
    NamedQuery,
    Param,
    bind_params,
    convert_value,
    load_catalogue,
    load_query,
    parse_query,
)
from kg.query.safety import analyse, tokenize

CATALOGUE = load_catalogue()
XSD = PREFIXES["xsd"]
CJK = re.compile(r"[\u4e00-\u9fff]")


# ---------------------------------------------------------------- the shipped catalogue
def test_at_least_twenty_queries_each_with_both_summaries() -> None:
    assert len(CATALOGUE) >= 20
    for name, query in CATALOGUE.items():
        assert query.name == name == query.path.stem
        assert query.summary and not CJK.search(query.summary), name
        assert CJK.search(query.summary_zh), f"{name}: summary_zh should be Chinese"
        assert query.tags, f"{name} has no tags"


def test_catalogue_covers_every_query_form() -> None:
    forms = {q.form for q in CATALOGUE.values()}
    assert {"SELECT", "ASK", "CONSTRUCT"} <= forms


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_query_parses_on_both_local_engines(name: str) -> None:
    """pyoxigraph and rdflib both parse it, with the predeclared prefixes and no PREFIX lines."""
    from rdflib.plugins.sparql import prepareQuery

    text = CATALOGUE[name].text
    analyse(text)
    ox.Store().query(text, prefixes=PREFIXES)
    prepareQuery(text, initNs=PREFIXES)


@pytest.mark.parametrize(
    "name", sorted(n for n, q in CATALOGUE.items() if analyse(q.text).form == "SELECT")
)
def test_select_orders_by_every_projected_variable(name: str) -> None:
    """Deterministic order: the last ORDER BY names every projected variable."""
    text = CATALOGUE[name].text
    solutions = ox.Store().query(text, prefixes=PREFIXES)
    assert isinstance(solutions, ox.QuerySolutions)
    projected = {v.value for v in solutions.variables}
    tokens = tokenize(text)
    words = [i for i, t in enumerate(tokens) if t.kind == "word" and t.text.upper() == "ORDER"]
    assert words, f"{name} has no ORDER BY"
    ordered = {t.text[1:] for t in tokens[words[-1] :] if t.kind == "var"}
    assert projected <= ordered, f"{name}: ORDER BY misses {sorted(projected - ordered)}"


@pytest.mark.parametrize("name", sorted(n for n, q in CATALOGUE.items() if q.params))
def test_parameters_are_variables_bound_in_the_outer_group(name: str) -> None:
    """A parameter is pre-bound by a VALUES block opening the outer WHERE group, so the outer
    WHERE keyword must come before any nested group (after the template, for CONSTRUCT)."""
    query = CATALOGUE[name]
    tokens = tokenize(query.text)
    where = [t for t in tokens if t.kind == "word" and t.text.upper() == "WHERE"]
    assert where, f"{name} declares parameters but has no WHERE keyword"
    braces = [t for t in tokens if t.kind in {"open", "close"} and t.text in "{}"]
    if analyse(query.text).form == "CONSTRUCT":  # the template's group comes first
        depth = 0
        for index, brace in enumerate(braces):
            depth += 1 if brace.kind == "open" else -1
            if depth == 0:
                braces = braces[index + 1 :]
                break
    assert braces, f"{name} has no WHERE group"
    assert where[0].start < braces[0].start, f"{name}: write WHERE before the first group"


def test_load_query_reads_one_file() -> None:
    assert load_query("funding_by_city") == CATALOGUE["funding_by_city"]
    with pytest.raises(KeyError, match="no named query 'nope'"):
        load_query("nope")
    with pytest.raises(KeyError, match="no named query"):
        load_query("../ontology")


def test_an_empty_or_missing_folder_has_no_queries(tmp_path: Path) -> None:
    assert load_catalogue(DataLayout(tmp_path)) == {}
    (tmp_path / "queries").mkdir()
    assert load_catalogue(DataLayout(tmp_path)) == {}
    assert load_catalogue() == load_catalogue(data_dir())


# ---------------------------------------------------------------- headers
GOOD = """#+ summary: Organisations
#+ summary_zh: 组织
#+ tags: a, b ,, c
#+ param: kind iri "A class" (optional; default=schema:Organization)
#+ param: city iri "A city" (optional; omit for all)
#+ param: month gYearMonth "A month"
# free comment
SELECT ?x WHERE { ?x a ?kind ; kg:location ?city ; kg:date ?month }
"""


def write(tmp_path: Path, text: str, name: str = "q") -> Path:
    path = tmp_path / f"{name}.rq"
    path.write_text(text, encoding="utf-8")
    return path


def test_header_fields_are_read(tmp_path: Path) -> None:
    query = parse_query(write(tmp_path, GOOD))
    assert (query.name, query.summary, query.summary_zh) == ("q", "Organisations", "组织")
    assert query.tags == ("a", "b", "c")
    assert query.params == (
        Param("kind", "iri", "A class", optional=True, default="schema:Organization"),
        Param("city", "iri", "A city (omit for all)", optional=True),
        Param("month", "gYearMonth", "A month"),
    )
    assert [p.name for p in query.required] == ["month"]
    assert query.param("city").optional
    with pytest.raises(ValueError, match="has no parameter 'town'"):
        query.param("town")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("#+ summary_zh: 组织\nASK {}\n", 1, "missing '#+ summary:'"),
        ("#+ summary: S\n# c\nASK {}\n", 2, "missing '#+ summary_zh:'"),
        (
            "#+ summary: S\n#+ summary_zh: 组\n#+ sumary: x\nASK {}\n",
            3,
            "unknown header key 'sumary'",
        ),
        ("#+ summary: S\n#+ summary: T\n#+ summary_zh: 组\nASK {}\n", 2, "given twice"),
        ("#+ summary:\n#+ summary_zh: 组\nASK {}\n", 1, "'summary' is empty"),
        ("#+ summary: S\n#+ summary_zh: 组\n#+ no colon here\nASK {}\n", 3, "#+ key: value"),
        (
            '#+ summary: S\n#+ summary_zh: 组\n#+ param: x colour "X"\nASK { ?x ?p ?o }\n',
            3,
            "unknown parameter type 'colour'",
        ),
        (
            "#+ summary: S\n#+ summary_zh: 组\n#+ param: x iri no-quotes\nASK { ?x ?p ?o }\n",
            3,
            "a parameter reads",
        ),
        (
            '#+ summary: S\n#+ summary_zh: 组\n#+ param: x iri "X"\n#+ param: x iri "Y"\n'
            "ASK { ?x ?p ?o }\n",
            4,
            "declared twice (first on line 3)",
        ),
        (
            '#+ summary: S\n#+ summary_zh: 组\n#+ param: city iri "X"\nASK { ?x ?p ?o }\n',
            3,
            "not a variable of the query",
        ),
        (
            '#+ summary: S\n#+ summary_zh: 组\n#+ param: m gYearMonth "M" (default=2025-13)\n'
            "ASK { ?m ?p ?o }\n",
            3,
            "bad default for 'm'",
        ),
        (
            '#+ summary: S\n#+ summary_zh: 组\n#+ param: 9x iri "X"\nASK { ?x ?p ?o }\n',
            3,
            "not a SPARQL variable name",
        ),
        ("#+ summary: S\n#+ summary_zh: 组\n", 3, "no query after the header"),
    ],
)
def test_bad_headers_are_reported_with_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(CatalogueError, match=re.escape(message)) as caught:
        parse_query(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert (caught.value.path, caught.value.line) == (path, line)


def test_a_parameter_mentioned_only_in_a_comment_or_string_does_not_count(tmp_path: Path) -> None:
    text = '#+ summary: S\n#+ summary_zh: 组\n#+ param: x iri "X"\nASK { ?s ?p "?x" } # ?x\n'
    with pytest.raises(CatalogueError, match="not a variable"):
        parse_query(write(tmp_path, text))


def test_bad_file_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="must match"):
        parse_query(write(tmp_path, GOOD, name="Bad-Name"))


def test_load_catalogue_reports_the_bad_file(tmp_path: Path) -> None:
    folder = tmp_path / "queries"
    folder.mkdir()
    write(folder, GOOD, name="good")
    bad = write(folder, "#+ summary: S\nASK {}\n", name="bad")
    with pytest.raises(CatalogueError, match=re.escape(f"{bad}:1:")):
        load_catalogue(DataLayout(tmp_path))
    bad.unlink()
    assert list(load_catalogue(DataLayout(tmp_path))) == ["good"]


# ---------------------------------------------------------------- binding parameters
def query_with(*params: Param) -> NamedQuery:
    return NamedQuery("q", Path("q.rq"), "", "S", "组", params=params)


@pytest.mark.parametrize(
    ("text", "iri"),
    [
        ("kgr:Zhipu", PREFIXES["kgr"] + "Zhipu"),
        ("kgr:GLM-130B", PREFIXES["kgr"] + "GLM-130B"),
        ("kgr:WuDao-2.0", PREFIXES["kgr"] + "WuDao-2.0"),
        ("schema:Organization", "https://schema.org/Organization"),
        ("<https://schema.org/Organization>", "https://schema.org/Organization"),
        ("https://w3id.org/zhipu-kg/resource/Zhipu", PREFIXES["kgr"] + "Zhipu"),
        ("  kg:Company ", PREFIXES["kg"] + "Company"),
        ("urn:isbn:123", "urn:isbn:123"),
    ],
)
def test_iri_values_expand_prefixes(text: str, iri: str) -> None:
    assert convert_value("iri", text) == ox.NamedNode(iri)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Zhipu", "is not an IRI"),
        ("kgx:Zhipu", "unknown prefix 'kgx'"),
        ("kgr:Zhi pu", "cannot follow a prefix"),
        ("<relative/path>", "not an absolute IRI"),
        ("<https://example.org/a b>", "cannot contain spaces"),
        ('<https://example.org/">', "cannot contain"),
    ],
)
def test_bad_iris_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        convert_value("iri", text)


@pytest.mark.parametrize(
    ("kind", "text", "term"),
    [
        ("string", "智谱", ox.Literal("智谱")),
        ("lang", "智谱@zh", ox.Literal("智谱", language="zh")),
        ("lang", "a@b@EN-GB", ox.Literal("a@b", language="en-gb")),
        ("integer", "+042", ox.Literal("42", datatype=ox.NamedNode(XSD + "integer"))),
        (
            "decimal",
            "1800000000.0",
            ox.Literal("1800000000.0", datatype=ox.NamedNode(XSD + "decimal")),
        ),
        ("decimal", ".50", ox.Literal("0.5", datatype=ox.NamedNode(XSD + "decimal"))),
        ("date", "2025-04-01", ox.Literal("2025-04-01", datatype=ox.NamedNode(XSD + "date"))),
        ("gYear", "2024", ox.Literal("2024", datatype=ox.NamedNode(XSD + "gYear"))),
        ("gYearMonth", "2025-04", ox.Literal("2025-04", datatype=ox.NamedNode(XSD + "gYearMonth"))),
    ],
)
def test_literal_values_take_their_declared_type(kind: str, text: str, term: ox.Literal) -> None:
    assert convert_value(kind, text) == term


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("lang", "智谱"),
        ("lang", "智谱@"),
        ("lang", "智谱@zh_CN"),
        ("integer", "4.2"),
        ("integer", "four"),
        ("decimal", "1e6"),
        ("decimal", "NaN"),
        ("date", "2025-4-1"),
        ("date", "2025-02-30"),
        ("date", "20250401"),
        ("gYear", "25"),
        ("gYear", "2025-04"),
        ("gYearMonth", "2025-4"),
        ("gYearMonth", "2025-13"),
        ("gYearMonth", "2025"),
    ],
)
def test_values_that_do_not_fit_their_type_are_refused(kind: str, text: str) -> None:
    with pytest.raises(
        ValueError, match=re.escape(repr(text)) + " (is not a|needs a language tag)"
    ):
        convert_value(kind, text)


def test_every_declared_type_converts() -> None:
    samples = {
        "iri": "kgr:Zhipu",
        "string": "x",
        "lang": "x@en",
        "integer": "1",
        "decimal": "1.5",
        "date": "2025-01-01",
        "gYear": "2025",
        "gYearMonth": "2025-01",
    }
    assert set(samples) == set(PARAM_TYPES)
    for kind, text in samples.items():
        convert_value(kind, text)
    with pytest.raises(ValueError, match="unknown parameter type"):
        convert_value("colour", "red")


def test_bind_params_applies_defaults_and_leaves_optional_ones_unbound() -> None:
    query = query_with(
        Param("kind", "iri", "", optional=True, default="schema:Organization"),
        Param("city", "iri", "", optional=True),
        Param("month", "gYearMonth", ""),
    )
    bound = bind_params(query, {"month": "2025-04"})
    assert bound == {
        "kind": ox.NamedNode("https://schema.org/Organization"),
        "month": ox.Literal("2025-04", datatype=ox.NamedNode(XSD + "gYearMonth")),
    }
    bound = bind_params(query, {"month": "2025-04", "kind": "kg:Company", "city": "kgr:Beijing"})
    assert bound["kind"] == ox.NamedNode(PREFIXES["kg"] + "Company")
    assert bound["city"] == ox.NamedNode(PREFIXES["kgr"] + "Beijing")


def test_bind_params_errors_name_the_parameter() -> None:
    query = query_with(Param("month", "gYearMonth", ""))
    with pytest.raises(ValueError, match=r"query 'q' needs parameter 'month' \(gYearMonth\)"):
        bind_params(query, {})
    with pytest.raises(ValueError, match="has no parameter 'city'"):
        bind_params(query, {"month": "2025-04", "city": "kgr:Beijing"})
    with pytest.raises(ValueError, match="parameter 'month' of query 'q': '2025' is not a year"):
        bind_params(query, {"month": "2025"})


def test_binding_never_splices_text() -> None:
    """A hostile value stays one literal: the runner pre-binds it, it never becomes SPARQL."""
    query = CATALOGUE["claims_by_speaker"]
    with pytest.raises(ValueError, match="speaker"):
        bind_params(query, {"speaker": "kgr:X> } ; DROP ALL ; #"})
    hostile = '" } } DELETE WHERE { ?s ?p ?o } #'
    query = query_with(Param("text", "string", ""))
    assert bind_params(query, {"text": hostile}) == {"text": ox.Literal(hostile)}


def test_shipped_defaults_and_examples_bind() -> None:
    for query in CATALOGUE.values():
        for param in query.params:
            if param.default is not None:
                convert_value(param.type, param.default)
    assert (
        bind_params(CATALOGUE["events_in_month"], {"month": "2025-04"})["month"].value == "2025-04"
    )
