"""The query safety pass, rule by rule, in the cases mutation testing found untested.

Each test states one behaviour of :mod:`kg.query.safety` on real query text; together they kill
the mutants the other tests let live (``benchmarks/mutation.py safety``; see docs/mutation.md).
"""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode

from kg.data.prefixes import PREFIXES
from kg.query import safety
from kg.query.safety import QueryRejected, Token, analyse, decode_escapes, prebind, tokenize

KG = PREFIXES["kg"]
URL = "http://127.0.0.1:9/sparql"


@pytest.fixture(autouse=True)
def fresh_analysis() -> None:
    """Analyse every text afresh: the pass is cached per text, and a cached analysis made by
    another test (or, under mutation testing, by the unmutated code) would hide what is tested."""
    safety._analyse.cache_clear()


def test_an_analysis_shows_its_form_and_variables() -> None:
    assert repr(analyse("SELECT ?b ?a WHERE { ?a ?p ?b }")) == (
        "QueryAnalysis(form='SELECT', variables=['a', 'b', 'p'])"
    )


@pytest.mark.parametrize("keyword", ["SERVICE", "service", "Service", "sErViCe"])
def test_service_is_refused_in_any_case_with_its_place(keyword: str) -> None:
    query = f"SELECT * WHERE {{\n  {keyword} <{URL}> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryRejected, match=r"^line 2, column 3: SERVICE is not allowed \(fed"):
        analyse(query)


@pytest.mark.parametrize(
    "keyword",
    ["LOAD", "insert", "Delete", "CLEAR", "drop", "CREATE", "ADD", "MOVE", "COPY", "with"],
)
def test_every_update_keyword_is_refused_in_any_case(keyword: str) -> None:
    rule = rf"^line 1, column 1: {keyword.upper()} is an update; the knowledge graph is read-only$"
    with pytest.raises(QueryRejected, match=rule):
        analyse(f"{keyword} <urn:a> <urn:b>")


def test_keywords_inside_literals_iris_and_names_are_not_keywords() -> None:
    query = 'SELECT ?s WHERE { ?s kg:service "SERVICE" ; <urn:DROP> ?o } # DELETE'
    assert analyse(query).form == "SELECT"


def test_not_a_query_is_refused() -> None:
    with pytest.raises(QueryRejected, match=r"^not a query: expected SELECT, ASK, CONSTRUCT or"):
        analyse("PREFIX x: <urn:x:> ")


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("ask { ?s ?p ?o }", "ASK"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <urn:a>", "DESCRIBE"),
        ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }", "SELECT"),
        ("ASK { { SELECT ?s WHERE { ?s ?p ?o } } }", "ASK"),
    ],
)
def test_the_form_is_the_first_query_word(query: str, form: str) -> None:
    assert analyse(query).form == form


def test_the_size_cap_counts_characters_and_says_both_numbers() -> None:
    query = "ASK { ?s ?p ?o }"
    assert analyse(query, max_chars=len(query)).form == "ASK"
    with pytest.raises(QueryRejected, match=r"^query is 16 characters; the limit is 15$"):
        analyse(query, max_chars=len(query) - 1)
    big = "ASK { ?s ?p ?o }" + " " * safety.MAX_QUERY_CHARS
    with pytest.raises(QueryRejected, match=r"^query is 100,016 characters; the limit is 100,000"):
        analyse(big)


def test_the_token_cap_is_inclusive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "MAX_TOKENS", 6)
    # Each text differs (by its comment) so the cached analysis of another run is not reused.
    assert analyse("ASK { ?s ?p ?o } # cap 6").form == "ASK"
    monkeypatch.setattr(safety, "MAX_TOKENS", 5)
    with pytest.raises(QueryRejected, match=r"^query has 6 tokens; the limit is 5$"):
        analyse("ASK { ?s ?p ?o } # cap 5")


def test_tokens_know_their_kind_line_column_and_offset() -> None:
    text = 'SELECT ?s\n  WHERE { ?s kg:p "a b" ; <urn:x> 1.5e3 , _:b1 . } # note\nLIMIT 2'
    tokens = tokenize(text)
    assert [(t.kind, t.text) for t in tokens] == [
        ("word", "SELECT"),
        ("var", "?s"),
        ("word", "WHERE"),
        ("open", "{"),
        ("var", "?s"),
        ("pname", "kg:p"),
        ("string", '"a b"'),
        ("other", ";"),
        ("iri", "<urn:x>"),
        ("number", "1.5e3"),
        ("other", ","),
        ("bnode", "_:b1"),
        ("other", "."),
        ("close", "}"),
        ("word", "LIMIT"),
        ("number", "2"),
    ]
    where, limit = tokens[2], tokens[14]
    assert (where.line, where.column, where.start) == (2, 3, text.index("WHERE"))
    assert (limit.line, limit.column, limit.start) == (3, 1, text.index("LIMIT"))


def test_a_long_string_spanning_lines_moves_the_line_count() -> None:
    text = 'ASK { ?s ?p """one\ntwo\nthree""" }\n FILTER'
    last = tokenize(text)[-1]
    assert (last.text, last.line, last.column) == ("FILTER", 4, 2)


def test_the_column_after_a_token_spanning_lines_counts_from_its_last_newline() -> None:
    text = 'ASK { ?s ?p """one\ntwo\nthree""" . }'
    dot = tokenize(text)[-2]
    assert (dot.text, dot.line, dot.column) == (".", 3, 10)
    blank = tokenize("ASK\n\n  {")[-1]
    assert (blank.text, blank.line, blank.column) == ("{", 3, 3)


def test_operators_are_tokens_of_their_own() -> None:
    kinds = [(t.kind, t.text) for t in tokenize("?a&&?b||!?c!=1 <= 2 >= 3^4")]
    assert [text for kind, text in kinds if kind == "operator"] == [
        "&&", "||", "!", "!=", "<=", ">=", "^"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "decoded"),
    [
        (r"\u0053ERVICE", "SERVICE"),
        (r"\U00000073ervice", "service"),
        (r"\u667a\u8c31", "智谱"),
        ("no escapes", "no escapes"),
        (r"\U0001F600", "\U0001f600"),
    ],
)
def test_codepoint_escapes_are_decoded(text: str, decoded: str) -> None:
    assert decode_escapes(text) == decoded


@pytest.mark.parametrize("escape", [r"\uD800", r"\uDFFF", r"\U00110000"])
def test_an_escape_that_names_no_character_is_refused(escape: str) -> None:
    with pytest.raises(QueryRejected, match=rf"^\{escape} is not a character$"):
        decode_escapes(f"ASK {{ FILTER({escape}) }}")


def test_the_edges_of_the_surrogates_and_of_unicode_are_characters() -> None:
    assert decode_escapes(r"\uD7FF\uE000\U0010FFFF") == "\ud7ff\ue000\U0010ffff"


def test_the_analysis_runs_on_the_decoded_text() -> None:
    analysis = analyse(r'SELECT ?l WHERE { ?s ?p "\u667a" }')
    assert analysis.text == 'SELECT ?l WHERE { ?s ?p "智" }'


def test_nesting_is_capped_at_the_limit_inclusive() -> None:
    limit = safety.MAX_NESTING
    inner = "(" * (limit - 1) + "1" + ")" * (limit - 1)
    assert analyse(f"ASK {{ FILTER{inner} }}").form == "ASK"
    deeper = "(" * limit + "1" + ")" * limit
    rule = rf"^line 1, column {12 + limit}: brackets nest more than {limit} deep$"
    with pytest.raises(QueryRejected, match=rule):
        analyse(f"ASK {{ FILTER{deeper} }}")


def test_closing_brackets_lower_the_depth_but_never_below_zero() -> None:
    # Stray closers first: a depth that went negative would let the next run nest deeper.
    limit = safety.MAX_NESTING
    text = "ASK } } FILTER" + "(" * (limit + 1) + "1" + ")" * (limit + 1)
    with pytest.raises(QueryRejected, match="brackets nest more than"):
        analyse(text)
    siblings = " ".join(["(" * 40 + "1" + ")" * 40] * 3)
    assert analyse(f"ASK {{ FILTER({siblings}) }}").form == "ASK"


def test_closing_a_bracket_lowers_the_depth_by_one() -> None:
    limit = safety.MAX_NESTING
    # { and limit - 1 brackets: at the limit; one closed and two opened: one past it.
    text = "ASK { " + "(" * (limit - 1) + "1)" + "((1" + ")" * (limit + 1) + " }"
    with pytest.raises(QueryRejected, match=rf"brackets nest more than {limit} deep$"):
        analyse(text)


def test_a_closed_group_leaves_no_depth_behind() -> None:
    limit = safety.MAX_NESTING
    assert analyse("ASK { } " + "(" * limit + "1" + ")" * limit).form == "ASK"


def test_a_run_at_the_very_start_is_counted_from_zero() -> None:
    limit = safety.MAX_OPERATOR_RUN
    assert analyse("!" * limit + " ASK { }").form == "ASK"
    with pytest.raises(QueryRejected, match="operators in a row"):
        analyse("!" * (limit + 1) + " ASK { }")


def test_operators_outside_every_bracket_are_counted_from_zero() -> None:
    limit = safety.MAX_OPERATORS
    chain = "1" + " + 1" * limit
    assert analyse(f"ASK {chain}").form == "ASK"
    with pytest.raises(QueryRejected, match="operators in one expression"):
        analyse(f"ASK {chain} + 1")


def test_a_closed_bracket_takes_its_operators_with_it() -> None:
    six_hundred = "+".join(["1"] * 601)
    five_hundred = "+".join(["1"] * 501)
    assert analyse(f"ASK ({six_hundred}) + {five_hundred}").form == "ASK"
    assert analyse(f"ASK {{ FILTER(({six_hundred}) + {five_hundred}) }}").form == "ASK"


def test_a_closed_bracket_is_no_parent_of_the_next() -> None:
    # As siblings: 1,000 and 1,001 deep; were the second inside the first, 2,001.
    first = "+".join(["1"] * 1000)  # 999 operators
    second = "+".join(["1"] * 1001)  # 1,000 operators
    assert analyse(f"ASK ({first}) ({second})").form == "ASK"


def test_an_operator_run_at_the_limit_passes_one_more_does_not() -> None:
    limit = safety.MAX_OPERATOR_RUN
    assert analyse(f"ASK {{ FILTER({'!' * limit}true) }}").form == "ASK"
    rule = rf"^line 1, column {14 + limit}: more than {limit} operators in a row$"
    with pytest.raises(QueryRejected, match=rule):
        analyse(f"ASK {{ FILTER({'!' * (limit + 1)}true) }}")


def test_a_term_between_operators_ends_the_run() -> None:
    limit = safety.MAX_OPERATOR_RUN
    runs = " && ".join(["!" * (limit - 1) + "true"] * 3)
    assert analyse(f"ASK {{ FILTER({runs}) }}").form == "ASK"


def test_operators_per_bracket_at_the_limit_pass_one_more_does_not() -> None:
    limit = safety.MAX_OPERATORS
    at_limit = "+".join(["1"] * limit) + " > 0"  # limit - 1 pluses and one comparison
    assert analyse(f"ASK {{ FILTER({at_limit}) }}").form == "ASK"
    over = "+".join(["1"] * (limit + 1)) + " > 0"
    rule = rf"^line 1, column \d+: more than {limit:,} operators in one expression; split it"
    with pytest.raises(QueryRejected, match=rule):
        analyse(f"ASK {{ FILTER({over}) }}")


def test_stray_closers_are_ignored_by_the_operator_count() -> None:
    assert analyse("ASK { } ) ) + 1 FILTER(1 + 1 > 0) }").form == "ASK"


def test_the_expression_depth_adds_up_the_operators_of_enclosing_brackets() -> None:
    limit = safety.MAX_EXPRESSION_DEPTH
    # 3 nested brackets, each under 900 operators: every cap on its own holds, the sum does not.
    chain = "+".join(["1"] * 900)
    query = f"ASK {{ FILTER({chain} + ({chain} + ({chain} + (1)))) }}"
    rule = r"^line 1, column \d+: this bracket sits under 2,704 operators and brackets; "
    rule += rf"the limit is {limit:,} \(a parser would build an expression too deep to evaluate\): "
    rule += "compute it in steps$"
    with pytest.raises(QueryRejected, match=rule):
        analyse(query)
    two = f"ASK {{ FILTER({chain} + ({chain} + (1))) }}"
    assert analyse(two).form == "ASK"


def test_the_expression_depth_counts_brackets_as_well_as_operators() -> None:
    # Depth of a bracket: its operators, plus its parent's depth, plus one per bracket. Here
    # {: 1; FILTER(: 999 + 1 + 1; the inner one: its operators + 1001 + 1.
    outer = "+".join(["1"] * 999)
    inner = "+".join(["1"] * 999)  # 998 operators: 2,000, at the limit
    assert analyse(f"ASK {{ FILTER({outer} + ({inner})) }}").form == "ASK"
    inner = "+".join(["1"] * 1000)  # 999 operators: 2,001
    query = f"ASK {{ FILTER({outer} + ({inner})) }}"
    column = query.index("(", len("ASK { FILTER(")) + 1
    rule = rf"^line 1, column {column}: this bracket sits under 2,001 operators and brackets; the"
    with pytest.raises(QueryRejected, match=rule):
        analyse(query)


def test_sibling_brackets_do_not_add_up() -> None:
    chain = "+".join(["1"] * 900)
    siblings = " && ".join(f"({chain} > 0)" for _ in range(4))
    assert analyse(f"ASK {{ FILTER({siblings}) }}").form == "ASK"


def test_prefixes_it_declares_and_the_graphs_it_reads() -> None:
    query = (
        "PREFIX ex: <http://example.org/>\n"
        "PREFIX kg: <urn:shadow:>\n"
        "SELECT ?s FROM <urn:g1> FROM ex:g2 FROM NAMED <urn:g3> FROM named ex:g4 FROM kg:g5 "
        "WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    analysis = analyse(query)
    assert analysis.prefixes == (("ex", "http://example.org/"), ("kg", "urn:shadow:"))
    assert analysis.from_graphs == ("urn:g1", "http://example.org/g2", "urn:shadow:g5")
    assert analysis.from_named_graphs == ("urn:g3", "http://example.org/g4")
    assert analysis.variables == frozenset({"s", "g", "p", "o"})


def test_a_shipped_prefix_resolves_in_from() -> None:
    assert analyse("SELECT * FROM kg:x WHERE { ?s ?p ?o }").from_graphs == (KG + "x",)


def test_a_graph_name_whose_local_part_has_a_colon() -> None:
    query = "PREFIX ex: <urn:ex:> SELECT * FROM ex:a:b WHERE { ?s ?p ?o }"
    assert analyse(query).from_graphs == ("urn:ex:a:b",)


def test_a_predicate_of_an_unknown_prefix_before_a_variable_is_not_a_type() -> None:
    assert not analyse("SELECT ?s WHERE { ?s kg:p <urn:o> . ?s nowhere:type ?o }").has_open_pattern


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM nowhere:g WHERE { ?s ?p ?o }",
        "SELECT * FROM ?g WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED 'g' WHERE { ?s ?p ?o }",
    ],
)
def test_from_needs_a_graph_iri(query: str) -> None:
    with pytest.raises(QueryRejected, match=r"^line 1, column \d+: FROM needs a graph IRI$"):
        analyse(query)


def test_a_prefix_line_without_an_iri_declares_nothing() -> None:
    assert analyse("PREFIX ex: ex:y SELECT ?s WHERE { ?s ?p ?o }").prefixes == ()


@pytest.mark.parametrize(
    ("query", "projected"),
    [
        ("SELECT ?a ?b WHERE { ?a ?p ?b }", {"a", "b"}),
        ("SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?p ?b } GROUP BY ?a", {"a", "n"}),
        ("SELECT * WHERE { ?a ?p ?b }", None),
        ("SELECT DISTINCT ?a FROM <urn:g> WHERE { ?a ?p ?b }", {"a"}),
        ("SELECT ?a { ?a ?p ?b }", {"a"}),
        ("select ?a where { ?a ?p ?b }", {"a"}),
        ("ASK { ?a ?p ?b }", None),
    ],
)
def test_the_projected_variables(query: str, projected: set[str] | None) -> None:
    expected = None if projected is None else frozenset(projected)
    assert analyse(query).projected == expected


def test_used_prefixes_and_iris() -> None:
    query = (
        "PREFIX ex: <urn:ex:> SELECT ?s WHERE { ?s ex:p <urn:o> ; kg:q\\.x ?o ; nowhere:r ?z ; "
        "ex:a:b ?w }"
    )
    analysis = analyse(query)
    assert analysis.used_prefixes() == {"ex", "kg", "nowhere"}
    assert analysis.iris == frozenset({"urn:ex:", "urn:ex:p", "urn:o", KG + "q.x", "urn:ex:a:b"})


@pytest.mark.parametrize(
    "query",
    [
        "DESCRIBE <urn:a>",
        "BASE <urn:b> SELECT ?s WHERE { ?s <p> ?o }",
        "SELECT ?s WHERE { ?s ?p ?o }",
        "SELECT ?s WHERE { ?s kg:name ?n ; ?p ?o }",
        "SELECT ?s WHERE { ?s a ?class }",
        "SELECT ?s WHERE { ?s rdf:type ?class }",
        "SELECT ?s WHERE { ?s kg:p <urn:o> , ?o }",
        "SELECT ?s WHERE { ?s !kg:p ?o }",
        "SELECT ?s WHERE { ?s !a ?o }",
        "SELECT ?s WHERE { ?s !(kg:p|kg:q) ?o }",
        "SELECT ?s WHERE { ?s !^kg:p ?o }",
        "SELECT ?s WHERE { [ ?p ?o ] }",
        "SELECT ?s WHERE { <urn:s> ?p 1 }",
        "SELECT ?s WHERE { ?s ?p true }",
        "SELECT ?s WHERE { _:b ?p 'x' }",
    ],
)
def test_patterns_that_may_match_any_predicate_or_class_are_open(query: str) -> None:
    assert analyse(query).has_open_pattern


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s WHERE { ?s kg:name ?n }",
        "SELECT ?s WHERE { ?s a kg:Person ; kg:name ?n }",
        "SELECT ?s WHERE { ?s kg:name ?n FILTER(?n != ?s) }",
        "SELECT ?s WHERE { ?s kg:p ?o FILTER(!BOUND(?o)) }",
        "SELECT ?s WHERE { ?s kg:p ?o BIND(COALESCE(?o, ?s) AS ?x) }",
        "SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s kg:p ?o } GROUP BY ?s",
        "SELECT ?s WHERE { ?s kg:p ?o } ORDER BY ?s ?o",
        "SELECT ?s WHERE { VALUES ?s { <urn:a> } ?s kg:p ?o }",
    ],
)
def test_patterns_that_name_their_predicates_and_classes_are_closed(query: str) -> None:
    assert not analyse(query).has_open_pattern


def test_prebind_opens_the_outer_where_group() -> None:
    bound = prebind("SELECT ?x WHERE { ?x ?p ?o }", {"p": NamedNode("urn:p"), "o": Literal("智谱")})
    assert bound == 'SELECT ?x WHERE { BIND(<urn:p> AS ?p) BIND("智谱" AS ?o) ?x ?p ?o }'


def test_prebind_finds_the_group_after_where_not_a_brace_in_construct() -> None:
    query = "CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }"
    assert prebind(query, {"p": NamedNode("urn:p")}) == (
        "CONSTRUCT { ?x ?p ?o } WHERE { BIND(<urn:p> AS ?p) ?x ?p ?o }"
    )


def test_prebind_without_where_uses_the_first_group() -> None:
    assert prebind("ASK { ?x ?p ?o }", {"p": NamedNode("urn:p")}) == (
        "ASK { BIND(<urn:p> AS ?p) ?x ?p ?o }"
    )


def test_prebind_with_nothing_to_bind_leaves_the_text_alone() -> None:
    assert prebind("ASK{?x ?p ?o}", {}) == "ASK{?x ?p ?o}"


def test_prebind_needs_a_group() -> None:
    rule = r"^cannot bind parameters: the query has no WHERE group$"
    with pytest.raises(QueryRejected, match=rule):
        prebind("DESCRIBE <urn:a>", {"p": NamedNode("urn:p")})


def test_tokens_are_named_tuples_with_a_default_offset() -> None:
    assert Token("word", "ASK", 1, 1) == ("word", "ASK", 1, 1, 0)
