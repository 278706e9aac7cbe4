"""The one analysis pass: escapes decoded first, limits that count what crashes parsers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

import kg
from kg.query import safety
from kg.query.safety import MAX_OPERATOR_RUN, MAX_OPERATORS, QueryRejected, analyse

NOT_BOMB = "ASK { FILTER(" + "!" * 10_000 + "true) }"
PLUS_BOMB = "ASK { FILTER(" + "+".join(["1"] * 20_000) + " > 0) }"
MINUS_BOMB = "ASK { FILTER(" + "-" * 5_000 + "1 < 0) }"
AND_BOMB = "ASK { FILTER(" + " && ".join(["true"] * 5_000) + ") }"


@pytest.mark.parametrize(
    ("query", "rule"),
    [
        (NOT_BOMB, "operators in a row"),
        (MINUS_BOMB, "operators in a row"),
        (PLUS_BOMB, "operators in one expression"),
        (AND_BOMB, "operators in one expression"),
    ],
)
def test_operator_bombs_are_rejected_before_any_parser(query: str, rule: str) -> None:
    with pytest.raises(QueryRejected, match=rule):
        analyse(query)


def test_limits_leave_ordinary_expressions_alone() -> None:
    run = "!" * MAX_OPERATOR_RUN + "true"
    chain = "+".join(["1"] * (MAX_OPERATORS // 2))
    assert analyse(f"ASK {{ FILTER({run} && ({chain}) > 0) }}").form == "ASK"


def test_brackets_reset_the_operator_count() -> None:
    groups = " + ".join("(" + "+".join(["1"] * 500) + ")" for _ in range(4))
    assert analyse(f"ASK {{ FILTER({groups} > 0) }}").form == "ASK"


def test_token_cap() -> None:
    values = " ".join(f"<urn:x:{i}>" for i in range(safety.MAX_TOKENS))
    with pytest.raises(QueryRejected, match="tokens"):
        analyse(f"SELECT ?x WHERE {{ VALUES ?x {{ {values} }} }}", max_chars=10**7)


@pytest.mark.parametrize(
    "query",
    [
        r"SELECT * WHERE { \u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        r"SELECT * WHERE { \U00000053ERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }",
        r"SELECT * WHERE { SERVIC\u0045 <http://127.0.0.1:9/> { ?s ?p ?o } }",
        r"\u0049NSERT DATA { <urn:a> <urn:b> <urn:c> }",
    ],
)
@pytest.mark.parametrize("engine", ["oxigraph", "memory"])
def test_escaped_keywords_are_seen_on_every_engine(query: str, engine: str) -> None:
    graph = kg.load(engine=engine) if engine == "memory" else kg.load()
    with pytest.raises(QueryRejected, match=r"SERVICE is not allowed|INSERT is an update"):
        graph.query(query)


def test_escapes_are_decoded_for_the_engine() -> None:
    query = r'SELECT ?l WHERE { kgr:Zhipu rdfs:label ?l FILTER(?l = "\u667a\u8c31"@zh) }'
    rows = kg.load().query(query)
    assert [str(r.l) for r in rows] == ["智谱"]


def test_one_pass_per_query_text(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = safety.tokenize

    def counting(text: str) -> list[safety.Token]:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(safety, "tokenize", counting)
    graph = kg.load()
    text = "SELECT ?s WHERE { ?s a kg:Person } # one pass " + str(id(calls))
    graph.query(text)
    graph.query(text)
    assert calls == [text]


def test_parameters_are_bound_by_substitution_when_projected() -> None:
    graph = kg.load()
    rows = graph.query(
        "SELECT ?p ?l WHERE { ?p rdfs:label ?l FILTER(LANG(?l) = 'en') }",
        {"p": NamedNode("https://w3id.org/zhipu-kg/resource/TangJie")},
    )
    assert [str(r.l) for r in rows] == ["Tang Jie"]


def test_cli_answers_a_bomb_with_exit_2_not_a_crash(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.rq"
    bomb.write_text(NOT_BOMB, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kg", "query", f"@{bomb}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "operators in a row" in result.stderr


# ---------------------------------------------------------------- entailments on demand
INFERENCE = "https://w3id.org/zhipu-kg/graph/inference"
FUNDING_BY_CITY = (Path(__file__).parent.parent / "queries" / "funding_by_city.rq").read_text(
    encoding="utf-8"
)


def _has_entailments(graph: kg.KnowledgeGraph) -> bool:
    store = graph.engine._store  # type: ignore[attr-defined]
    return any(True for _ in store.quads_for_pattern(None, None, None, NamedNode(INFERENCE)))


def test_a_query_that_cannot_see_entailments_does_not_pay_for_them() -> None:
    graph = kg.load()
    graph.query("SELECT ?l WHERE { kgr:Zhipu rdfs:label ?l }")
    assert not _has_entailments(graph)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?x WHERE { ?x a schema:Organization }",  # a superclass
        "SELECT ?x WHERE { ?e kg:involves ?x }",  # a superproperty
        "SELECT ?t WHERE { kgr:Zhipu a ?t }",  # any class
        "SELECT ?p WHERE { kgr:Zhipu ?p ?o }",  # any predicate
        "SELECT ?s WHERE { GRAPH kgg:inference { ?s ?p ?o } }",
        "DESCRIBE kgr:Zhipu",
    ],
)
def test_a_query_that_may_see_entailments_gets_them(query: str) -> None:
    graph = kg.load()
    lazy = graph.query(query)
    assert _has_entailments(graph)
    eager = kg.load()
    eager.engine.store  # noqa: B018 - forces the entailments
    assert sorted(map(str, lazy.rows)) == sorted(map(str, eager.query(query).rows))


def _inferred_types(graph: kg.KnowledgeGraph) -> set[str]:
    store = graph.engine._store  # type: ignore[attr-defined]
    return {
        q.object.value
        for q in store.quads_for_pattern(None, None, None, NamedNode(INFERENCE))
        if q.predicate.value.endswith("#type")
    }


def test_a_query_gets_the_entailments_of_the_parents_it_names_then_all_when_open() -> None:
    kgo, schema = "https://w3id.org/zhipu-kg/ontology#", "https://schema.org/"
    graph = kg.load()
    graph.query("SELECT ?x WHERE { ?x a schema:Organization }")
    assert _inferred_types(graph) == {schema + "Organization"}
    graph.query(FUNDING_BY_CITY)
    named = {schema + "Organization", kgo + "FundingEvent", kgo + "StateInvestmentPlatform"}
    assert _inferred_types(graph) <= named
    assert kgo + "FundingEvent" in _inferred_types(graph)
    graph.query("SELECT ?t WHERE { kgr:Zhipu a ?t }")  # an open pattern: every entailment
    eager = kg.load()
    eager.engine.store  # noqa: B018 - forces the entailments
    every = "SELECT ?s ?p ?o WHERE { GRAPH kgg:inference { ?s ?p ?o } }"
    assert sorted(map(str, graph.query(every).rows)) == sorted(map(str, eager.query(every).rows))


def test_name_lookups_and_term_checks_add_no_entailments() -> None:
    from kg.query.terms import unknown_terms

    graph = kg.load()
    assert graph.resolve("唐杰").endswith("/TangJie")
    assert unknown_terms(graph.engine, "SELECT * { kgr:Zhipu kg:investee ?x ; a kg:Compny }")
    assert not _has_entailments(graph)


def test_every_named_query_answers_alike_with_entailments_forced() -> None:
    from kg.query.catalogue import bind_params, load_catalogue

    eager = kg.load()
    eager.engine.store  # noqa: B018
    for name, named in sorted(load_catalogue().items()):
        if any(not p.optional and p.default is None for p in named.params):
            continue
        bindings = bind_params(named, {})
        fresh = kg.load()
        answer = fresh.query(named.text, bindings)
        expected = eager.query(named.text, bindings)
        assert sorted(map(str, answer.rows)) == sorted(map(str, expected.rows)), name
        assert answer.boolean == expected.boolean, name
        assert sorted(map(str, answer.triples)) == sorted(map(str, expected.triples)), name


def test_entailments_are_added_outside_the_query_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a large graph the one-off entailments take longer than a query may: not its time."""
    import time

    from kg.query.engines import oxigraph

    real = oxigraph.materialise_rdfs_oxigraph

    def slow(*args: object, **kwargs: object) -> None:
        time.sleep(1.0)
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(oxigraph, "materialise_rdfs_oxigraph", slow)
    graph = kg.load()
    assert graph.query("ASK { ?x a schema:Organization }", timeout=0.5).boolean is True
    assert _has_entailments(graph)


@pytest.mark.parametrize(
    "keyword", ["SERVICE", "service", "Service", "sErViCe", "service silent", r"\u0073ervice"]
)
def test_service_is_refused_whatever_its_case(keyword: str) -> None:
    with pytest.raises(QueryRejected, match="SERVICE is not allowed"):
        analyse(f"SELECT * WHERE {{ {keyword} <http://127.0.0.1:9/sparql> {{ ?s ?p ?o }} }}")
