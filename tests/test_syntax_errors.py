"""Syntax errors name the spot (line, column, a caret) and the cause, in a few words."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import kg
from kg.cli.main import main
from kg.query.run import QuerySyntaxError
from kg.query.syntax import Located, explain, undeclared_prefixes


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_unknown_prefix_is_named_with_how_to_declare_it(graph: kg.KnowledgeGraph) -> None:
    with pytest.raises(QuerySyntaxError) as err:
        graph.query("SELECT * WHERE {\n  ?x foaf:name ?n }")
    message = str(err.value)
    assert message.splitlines() == [
        "syntax error: line 2, column 6: unknown prefix foaf: — declare it with PREFIX foaf: <…>",
        "    ?x foaf:name ?n }",
        "       ^",
    ]
    assert (err.value.line, err.value.column) == (2, 6)
    assert "\\u{" not in message and "Prefix not found" not in message


def test_cli_prints_the_caret_and_exits_2() -> None:
    code, _, err = invoke("query", "SELECT * WHERE { ?x ?p ?n ")
    assert code == 2
    lines = err.splitlines()
    assert lines[0].startswith("error: syntax error: line 1, column 27: expected one of")
    assert lines[1] == "  SELECT * WHERE { ?x ?p ?n "
    assert lines[2] == "  " + " " * 26 + "^"


def test_columns_count_characters_and_the_caret_sits_under_wide_ones() -> None:
    code, _, err = invoke("query", 'SELECT * WHERE { ?x ?p "唐杰" . ?x foo ?y }')
    assert code == 2
    head, _, caret = err.splitlines()[:3]
    assert "column 35" in head  # Oxigraph counts bytes: column 39
    assert caret.index("^") == 2 + 34 + 2  # two wide characters before it


def test_the_memory_engine_gives_the_same_shape_of_message(tmp_path: object) -> None:
    code, _, err = invoke("query", "-e", "memory", "SELECT * WHERE { ?x ?p ?n . ?x foo ?y }")
    assert code == 2
    assert (
        err.startswith("error: syntax error: line 1, column ")
        and err.splitlines()[2].strip() == "^"
    )


def test_declared_and_predeclared_prefixes_are_not_flagged() -> None:
    text = (
        'PREFIX ex: <urn:x#>\nSELECT * { ?s ex:p kgr:x ; rdfs:label "foaf:x" . _:b ?p <urn:a:b> }'
    )
    assert undeclared_prefixes(text) == {}
    assert undeclared_prefixes("SELECT * { ?s ?p :x }") == {"": Located(1, 18)}


def test_long_token_lists_are_cut_and_character_classes_dropped() -> None:
    message = "expected one of " + ", ".join(f'"T{i}"' for i in range(20)) + ", ['a' ..= 'z']"
    text = explain("SELECT", message, 1, 1)
    assert "'a'" not in text and "…" in text and '"T11"' in text and '"T12"' not in text


def test_unknown_tag_lists_the_tags() -> None:
    code, _, err = invoke("queries", "--tag", "fundng")
    assert code == 2
    assert "did you mean funding?" in err and "state-capital" in err
