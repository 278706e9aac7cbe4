"""Querying: formats, safety rules, deadlines, no network, engines that agree."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import Listener
from rdflib.query import Result

import kg
from kg.data.paths import data_dir
from kg.query.engines import OxigraphEngine
from kg.query.results import QueryResult, to_table
from kg.query.run import QuerySyntaxError, QueryTimeout, call_with_deadline
from kg.query.safety import QueryRejected, analyse, prebind, tokenize

# the article's funding events (the public reports' rounds are in their own graphs)
FUNDING = """SELECT ?event ?investor ?amount ?date WHERE {
  GRAPH ?ev { ?event a kg:FundingEvent ; kg:investor ?investor ; kg:amount/schema:value ?amount ;
                     kg:date ?date }
  ?ev prov:wasDerivedFrom/oa:hasSource kgr:SourceArticle
} ORDER BY ?date ?investor"""
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def kg_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}  # tables at natural width
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


@pytest.fixture(scope="module", params=["oxigraph", "memory"])
def engine_graph(request: pytest.FixtureRequest) -> kg.KnowledgeGraph:
    return kg.load(engine=request.param)


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


# ---------------------------------------------------------------- formats
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_w3c_formats_parse_with_rdflib_and_match_rows(fmt: str) -> None:
    graph = kg.load()
    result = graph.query(FUNDING)
    text = result.serialize(fmt)
    parser = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"}[fmt]
    parsed = Result.parse(io.StringIO(text), format=parser)
    rows = [tuple(str(v) for v in row) for row in parsed]
    expected = [tuple(str(t.value) for t in row) for row in result.rows]
    assert [r[:2] for r in rows] == [r[:2] for r in expected]
    assert len(rows) == 4
    if fmt in {"json", "xml", "tsv"}:
        assert [str(r[3]) for r in parsed] == ["2025-03", "2025-03", "2025-03", "2025-04"]


def test_ask_formats() -> None:
    result = kg.load().query("ASK { kgr:Zhipu a kg:Company }")
    assert Result.parse(io.StringIO(result.serialize("json")), format="json").askAnswer is True
    assert Result.parse(io.StringIO(result.serialize("xml")), format="xml").askAnswer is True
    assert result.serialize("table") == "yes"


def test_table_uses_labels_curies_and_readable_numbers() -> None:
    out = kg_cli("query", "--lang", "en", FUNDING)
    assert out.returncode == 0, out.stderr
    assert "Beijing AI Industry Investment" in out.stdout
    assert "(kgr:BeijingAIFund)" in out.stdout
    assert "200,000,000" in out.stdout
    assert "4 row(s)" in out.stdout
    zh = kg_cli("query", "--lang", "zh", FUNDING)
    assert "北京市人工智能产业投资基金 (kgr:BeijingAIFund)" in zh.stdout


def test_construct_formats_parse() -> None:
    from rdflib import Graph

    result = kg.load().query("CONSTRUCT { kgr:Zhipu ?p ?o } WHERE { GRAPH ?g { kgr:Zhipu ?p ?o } }")
    for fmt, rdflib_format in (("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")):
        parsed = Graph().parse(data=result.serialize(fmt), format=rdflib_format)
        assert len(parsed) == len(result) > 10


def test_python_api_rows() -> None:
    result = kg.load().query(FUNDING)
    dicts = result.to_dicts()
    assert dicts[-1]["investor"] == "https://w3id.org/zhipu-kg/resource/BeijingAIFund"
    assert str(dicts[-1]["amount"]) == "200000000"
    rows = list(result)
    assert str(rows[-1].investor).endswith("BeijingAIFund")
    pandas = pytest.importorskip("pandas", reason="pandas is an optional extra")
    frame = result.to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == ["event", "investor", "amount", "date"]


# ---------------------------------------------------------------- engines
def test_subclass_aware_answers_agree_across_engines() -> None:
    query = "SELECT ?x WHERE { ?x a schema:Organization } ORDER BY ?x"
    answers = [
        [row[0].value for row in kg.load(engine=name).query(query).rows]
        for name in ("oxigraph", "memory")
    ]
    assert answers[0] == answers[1]
    assert {"BeijingAIFund", "BAAI", "Tsinghua", "CCTVnet", "Zhipu"} <= {
        iri.rsplit("/", 1)[1] for iri in answers[0]
    }


def test_subproperty_aware_answers(engine_graph: kg.KnowledgeGraph) -> None:
    rows = engine_graph.query(
        "SELECT DISTINCT ?x WHERE { kgr:Funding-2025-04-Beijing kg:involves ?x } ORDER BY ?x"
    ).rows
    # Every role is a sub-property of kg:involves (issue 10): investor, investee, the city, the
    # campaign it is part of and Zhang Peng, who ran it.
    assert [r[0].value.rsplit("/", 1)[1] for r in rows] == [
        "Beijing",
        "BeijingAIFund",
        "StateCapitalCampaign-2025",
        "ZhangPeng",
        "Zhipu",
    ]


def test_bindings_are_pre_bound(engine_graph: kg.KnowledgeGraph) -> None:
    query = "SELECT ?label WHERE { ?x rdfs:label ?label FILTER(lang(?label) = 'en') }"
    result = engine_graph.query(
        query, {"x": ox.NamedNode("https://w3id.org/zhipu-kg/resource/Zhipu")}
    )
    assert [r[0].value for r in result.rows] == ["Zhipu AI"]


def test_prebind_ignores_braces_in_strings_and_comments() -> None:
    text = 'SELECT ?x # { not this\nWHERE { ?x ?p "{" }'
    bound = prebind(text, {"p": ox.NamedNode("http://e/p")})
    assert bound.endswith('WHERE { BIND(<http://e/p> AS ?p) ?x ?p "{" }')


def test_row_cap_says_it_truncated(engine_graph: kg.KnowledgeGraph) -> None:
    result = engine_graph.query("SELECT ?s WHERE { ?s ?p ?o }", max_rows=5)
    assert len(result.rows) == 5
    assert result.truncated
    assert "truncated" in result.serialize("table")


def test_persistent_oxigraph_store_is_reused_until_data_changes(
    tmp_path: Path, data_copy: Path
) -> None:
    layout = data_dir(data_copy)
    first = OxigraphEngine(layout, tmp_path / "store")
    count = len(first.store)
    del first
    second = OxigraphEngine(layout, tmp_path / "store")
    assert len(second.store) == count
    del second
    with (data_copy / "triples" / "people.trig").open("a", encoding="utf-8") as handle:
        handle.write('\nkgg:curation { kgr:ZhangPeng rdfs:comment "changed"@en . }\n')
    third = OxigraphEngine(layout, tmp_path / "store")
    assert len(third.store) == count + 1


# ---------------------------------------------------------------- safety
def test_syntax_error_exit_2_with_line_and_column() -> None:
    out = kg_cli("query", "SELECT ?x WHERE {\n  ?x a kg:Company .\n  FILTER(?x = ) }")
    assert out.returncode == 2
    assert "syntax error: line 3, column" in out.stderr


def test_syntax_error_on_memory_engine_too() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        kg.load(engine="memory").query("SELECT ?x WHERE {\n ?x a }")
    assert caught.value.line == 2


def test_cartesian_product_stops_at_deadline() -> None:
    out = kg_cli("query", "--timeout", "1", CARTESIAN)
    assert out.returncode == 3
    assert "deadline of 1 s" in out.stderr


def test_deadline_in_python_api(engine_graph: kg.KnowledgeGraph) -> None:
    with pytest.raises(QueryTimeout, match=r"deadline of 0\.5 s"):
        engine_graph.query(CARTESIAN, timeout=0.5)
    assert engine_graph.query("ASK { ?s ?p ?o }").askAnswer


@pytest.mark.parametrize("engine", ["oxigraph", "memory"])
@pytest.mark.parametrize(
    "keyword", ["SERVICE", "service", "Service", "\\u0053ERVICE", "\\U00000073ervice"]
)
def test_service_query_is_refused_and_connects_nowhere(
    listener: Listener, engine: str, keyword: str
) -> None:
    url = f"http://127.0.0.1:{listener.port}/sparql"
    out = kg_cli(
        "query", "--engine", engine, f"SELECT * WHERE {{ {keyword} <{url}> {{ ?s ?p ?o }} }}"
    )
    assert out.returncode == 2
    assert "SERVICE is not allowed" in out.stderr
    assert listener.connections == 0


@pytest.mark.parametrize("engine", ["oxigraph", "memory"])
def test_second_wall_holds_in_process_without_the_static_check(
    listener: Listener, engine: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    from kg.query import safety

    monkeypatch.setattr(safety, "FEDERATION_KEYWORDS", frozenset())
    safety._analyse.cache_clear()  # the analysis is cached per text: before and after
    request.addfinalizer(safety._analyse.cache_clear)
    graph = kg.load(engine=engine)
    url = f"http://127.0.0.1:{listener.port}/sparql"
    with pytest.raises(QueryRejected, match="no outbound requests"):
        graph.query(f"SELECT * WHERE {{ service <{url}> {{ ?s ?p ?o }} }}")
    assert listener.connections == 0


@pytest.mark.parametrize("engine", ["oxigraph", "memory"])
@pytest.mark.parametrize("clause", ["FROM", "FROM NAMED"])
def test_remote_from_is_an_empty_graph_never_fetched(
    listener: Listener, engine: str, clause: str
) -> None:
    query = f"SELECT * {clause} <http://127.0.0.1:{listener.port}/data.ttl> WHERE {{ ?s ?p ?o }}"
    out = kg_cli("query", "--engine", engine, "--format", "csv", query)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[1:] == []
    assert listener.connections == 0


def test_file_from_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.ttl"
    secret.write_text("<http://e/s> <http://e/p> <http://e/o> .", encoding="utf-8")
    result = kg.load(engine="memory").query(
        f"SELECT * FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}"
    )
    assert result.rows == []


@pytest.mark.parametrize("walls", ["both", "audit hook alone"])
def test_network_guard_refuses_connections_from_query_threads(
    listener: Listener, walls: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.query.run

    if walls == "audit hook alone":
        monkeypatch.setattr(kg.query.run, "wall_off_network", lambda: False)

    def connect() -> object:
        return urllib.request.urlopen(f"http://127.0.0.1:{listener.port}/", timeout=2)

    with pytest.raises(QueryRejected, match="no outbound requests"):
        call_with_deadline(connect, 5)
    assert listener.connections == 0


def test_network_guard_catches_rdflib_service_even_past_the_static_check(
    listener: Listener, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    from kg.query import safety

    monkeypatch.setattr(safety, "FEDERATION_KEYWORDS", frozenset())
    safety._analyse.cache_clear()  # the analysis is cached per text: before and after
    request.addfinalizer(safety._analyse.cache_clear)
    memory = kg.load(engine="memory").engine
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/q> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryRejected, match="no outbound requests"):
        call_with_deadline(lambda: memory.query(query), 5)
    assert listener.connections == 0


def test_deep_nesting_is_an_error_not_a_traceback() -> None:
    deep = "SELECT * WHERE " + "{" * 1000 + " ?s ?p ?o " + "}" * 1000
    out = kg_cli("query", deep)
    assert out.returncode == 2
    assert "nest more than" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("LOAD <http://example.org/x>", "LOAD is an update"),
        ("INSERT DATA { <a:b> <a:c> <a:d> }", "INSERT is an update"),
        ("DROP ALL", "DROP is an update"),
        ("SELECT * WHERE { ?s ?p ?o } " + "#" * 200_000, "the limit is"),
        ("PREFIX x: <http://e/> x:y", "not a query"),
    ],
)
def test_refused_queries(query: str, message: str) -> None:
    with pytest.raises(QueryRejected, match=message):
        analyse(query)


def test_keywords_inside_strings_iris_and_names_are_not_refused() -> None:
    plan = analyse(
        'SELECT ?load WHERE { ?s kg:service "SERVICE LOAD" ; <http://e/DROP> ?load } # SERVICE'
    )
    assert plan.form == "SELECT"


def test_prefixed_names_in_any_script_are_one_token() -> None:
    tokens = tokenize("SELECT ?名 { 前缀:名字 kg:a.b 智谱:𠀀x :c . ?名 a kg:Company. }")
    assert [(t.kind, t.text) for t in tokens] == [
        ("word", "SELECT"),
        ("var", "?名"),
        ("open", "{"),
        ("pname", "前缀:名字"),
        ("pname", "kg:a.b"),
        ("pname", "智谱:𠀀x"),
        ("pname", ":c"),
        ("other", "."),
        ("var", "?名"),
        ("word", "a"),
        ("pname", "kg:Company"),  # the full stop ends the triple, not the name
        ("other", "."),
        ("close", "}"),
    ]


def test_table_wraps_wide_characters_by_terminal_columns() -> None:
    text = "智谱" * 40 + " GLM"
    result = QueryResult("SELECT", ["quote"], [(ox.Literal(text),)])
    lines = [line.rstrip() for line in to_table(result, {}).splitlines()[2:-1]]
    assert lines == ["智谱" * 12] * 3 + ["智谱" * 4 + " GLM"]  # 48 columns hold 24 hanzi


def test_result_kinds() -> None:
    assert QueryResult("ASK", boolean=True).askAnswer is True
    with pytest.raises(ValueError, match="written as"):
        QueryResult("SELECT").serialize("turtle")


def test_both_engines_materialise_the_same_inference() -> None:
    query = "SELECT ?s ?p ?o WHERE { GRAPH kgg:inference { ?s ?p ?o } }"
    graphs = [
        {
            tuple(t.value for t in row if t is not None)
            for row in kg.load(engine=name).query(query).rows
        }
        for name in ("oxigraph", "memory")
    ]
    assert graphs[0] == graphs[1]
    zhipu = "https://w3id.org/zhipu-kg/resource/Zhipu"
    assert (
        zhipu,
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "https://schema.org/Organization",
    ) in graphs[0]
