"""The kg command, run as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import replace_in


def kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=120, env=env
    )


def test_validate_exit_0_on_shipped_data(source_path: Path) -> None:
    result = kg("validate", "--source", str(source_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("valid (")


def test_validate_exit_1_lists_problem_with_resource_and_rule(
    data_copy: Path, source_path: Path
) -> None:
    replace_in(data_copy / "triples" / "field.trig", "schema:value 31.2 ;", "schema:value 32.1 ;")
    result = kg("--data", str(data_copy), "validate", "--source", str(source_path))
    assert result.returncode == 1
    assert "[amount] kgr:AIFundingDrop-2025Q1" in result.stdout
    assert "31.2%" in result.stdout


def test_validate_exit_2_without_source(tmp_path: Path) -> None:
    result = kg("validate", "--source", str(tmp_path / "missing.txt"))
    assert result.returncode == 2
    assert "source article not found" in result.stderr


def test_stats_json(source_path: Path) -> None:
    result = kg("stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["evidence_graphs"] >= 50
    assert stats["entities_labelled"]["zh"] == stats["entities_labelled"]["en"] == stats["entities"]
    assert stats["classes"]["kg:Claim"] >= 10


def test_stats_text_mentions_facts_with_evidence() -> None:
    result = kg("stats")
    assert result.returncode == 0
    assert "facts with evidence" in result.stdout


def test_locate_prints_offsets(source_path: Path) -> None:
    result = kg("locate", "估值更是飙升至400亿元", "--source", str(source_path))
    assert result.returncode == 0
    start, end = map(int, result.stdout.split())
    assert source_path.read_text(encoding="utf-8")[start:end] == "估值更是飙升至400亿元"


def test_locate_unknown_quote_fails_clearly(source_path: Path) -> None:
    result = kg("locate", "智谱上市成功", "--source", str(source_path))
    assert result.returncode == 1
    assert "quote not found" in result.stderr


def test_bad_data_folder_exit_2(tmp_path: Path) -> None:
    result = kg("--data", str(tmp_path), "stats")
    assert result.returncode == 2
    assert "not a data folder" in result.stderr


def test_named_query_on_the_default_engine_imports_no_heavy_library() -> None:
    """The cold-start budget: rdflib alone costs 0.25-0.36 s to import, networkx 0.35 s, pyvis
    0.6 s, pyshacl 0.7 s; none of them may be on the path of a default-engine query."""
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['kg', 'query', '--name', 'funding_by_city', '--format', 'table']\n"
        "try:\n"
        "    runpy.run_module('kg', run_name='__main__')\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        "heavy = ('rdflib', 'networkx', 'pyvis', 'pyshacl', 'owlrl', 'pandas', 'urllib.request')\n"
        "print('LOADED', sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "8 row(s)" in result.stdout
    assert result.stdout.splitlines()[-1] == "LOADED []"


def test_queries_show_prints_a_named_query_that_runs_from_standard_input() -> None:
    shown = kg("queries", "--show", "facts_without_second_source")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("#+ summary: Facts without a second source")
    unbound = subprocess.run(
        [sys.executable, "-m", "kg", "query", "@-", "--format", "json"],
        input=shown.stdout,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert unbound.returncode == 0, unbound.stderr
    rows = json.loads(unbound.stdout)["results"]["bindings"]
    assert len(rows) == 924  # the whole-graph audit: ?subject left unbound
    assert len({row["subject"]["value"] for row in rows}) > 50


def test_queries_show_unknown_name_exit_2() -> None:
    result = kg("queries", "--show", "no_such_query")
    assert result.returncode == 2
    assert "no named query 'no_such_query'" in result.stderr
    assert "funding_by_city" in result.stderr


def test_named_query_missing_required_parameter_says_what_to_give() -> None:
    result = kg("query", "--name", "organisations")
    assert result.returncode == 2
    assert "needs parameter 'class' (iri): missing; give class=VALUE" in result.stderr
    assert "schema:Organization" in result.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["-n", "funding_by_city", "--format", "csv"], 0),
        (["-n", "zhipu_funded_from_city", "-p", "city=北京", "--lang", "en"], 0),
        (["ASK { kgr:Zhipu a kg:Compny }"], 2),  # the answer, a warning naming the typo
        (["SELECT ?x WHERE { ?x a kg:Company "], 2),  # a syntax error
        (["-n", "funding_by_cty"], 2),  # no such named query
        (["-n", "zhipu_funded_from_city", "-p", "city=Atlantis"], 2),  # no such entity
    ],
)
def test_the_fast_path_answers_as_the_click_command_does(args: list[str], code: int) -> None:
    """``kg query`` runs without click (cold start); through click it must say the same."""
    fast = kg("query", *args)
    through_click = subprocess.run(
        [sys.executable, "-c", "from kg.cli.main import main; main()", "query", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert fast.returncode == code, fast.stderr
    assert (fast.returncode, fast.stdout, fast.stderr) == (
        through_click.returncode,
        through_click.stdout,
        through_click.stderr,
    )
    assert fast.stdout or fast.stderr


def test_kg_data_in_the_environment_is_read_by_the_fast_path_as_by_data(data_copy: Path) -> None:
    replace_in(data_copy / "triples" / "entities.trig", '"成都"@zh', '"成都市"@zh')
    import os

    # the same environment on both sides (pytest's readline may have set $COLUMNS beneath it)
    env = {key: value for key, value in os.environ.items() if key != "KG_DATA"}
    from_env = kg("query", "-n", "funding_by_city", env={**env, "KG_DATA": str(data_copy)})
    from_option = kg("--data", str(data_copy), "query", "-n", "funding_by_city", env=env)
    assert from_env.returncode == 0, from_env.stderr
    assert "成都市" in from_env.stdout
    assert from_env.stdout == from_option.stdout


@pytest.mark.parametrize("through", ["fast", "click"])
def test_a_reader_that_leaves_early_gets_no_traceback(through: str) -> None:
    """``kg query … | head -1``: the pipe closes before the answer is written."""
    start = ["-m", "kg"] if through == "fast" else ["-c", "from kg.cli.main import main; main()"]
    process = subprocess.Popen(
        [sys.executable, *start, "query", "-n", "funding_by_city"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    process.stdout.close()  # before the child can have answered
    _, errors = process.communicate(timeout=120)
    assert "Traceback" not in errors, errors
    assert process.returncode == 1
