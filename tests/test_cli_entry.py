"""The console script's fast path reads ``kg query`` exactly as the click command does."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from kg.cli.answer import QueryRequest
from kg.cli.entry import QUICK_OPTIONS, quick_request
from kg.cli.query import query as query_command


def _click_request(args: list[str]) -> QueryRequest:
    """The request the click command builds from the same arguments."""
    ctx = query_command.make_context("query", list(args))
    p = ctx.params
    return QueryRequest(
        p["query"],
        p["name"],
        p["params"],
        p["fmt"],
        p["lang"],
        p["engine"],
        p["endpoint"],
        p["timeout"],
        p["max_rows"],
        p["user"],
        p["as_of"],
    )


@pytest.mark.parametrize(
    "args",
    [
        ["-n", "funding_by_city"],
        ["--name", "funding_by_city", "-p", "city=kgr:Beijing", "--param=city=北京"],
        ["--name=zhipu_funded_from_city", "--format", "csv", "--lang", "en"],
        ["SELECT * { ?s ?p ?o } LIMIT 1", "-f", "json", "--timeout", "2.5", "--max-rows", "3"],
        ["@-", "--engine", "memory", "-e", "oxigraph"],  # the last value wins, as in click
        ["ASK { kgr:Zhipu a kg:Company }", "--format=tsv", "--timeout=10"],
        ["-n", "listing_plan", "--as-of", "2025-07-01"],
    ],
)
def test_fast_path_reads_what_click_reads(args: list[str]) -> None:
    assert quick_request(["query", *args]) == _click_request(args)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["-n", "funding_by_city", "--format", "docx"],  # click names the valid choices
        ["-n", "funding_by_city", "--lang", "fr"],
        ["-n", "funding_by_city", "--timeout", "soon"],
        ["-n", "funding_by_city", "--max-rows", "1.5"],
        ["-n"],  # a flag without its value
        ["-n", "--format", "csv"],
        ["-n", "funding_by_city", "--endpoint", "http://127.0.0.1:9/sparql"],
        ["-n", "funding_by_city", "--nmae", "x"],
        ["SELECT 1", "SELECT 2"],  # two queries
        ["-nfunding_by_city"],  # attached short values are click's to read
        ["--", "-n"],
    ],
)
def test_everything_else_goes_to_click(args: list[str]) -> None:
    assert quick_request(["query", *args]) is None


def test_other_commands_and_global_options_go_to_click() -> None:
    assert quick_request([]) is None
    assert quick_request(["queries"]) is None
    assert quick_request(["-v", "query", "-n", "funding_by_city"]) is None
    assert quick_request(["--data", ".", "query", "-n", "funding_by_city"]) is None


def test_every_quick_flag_is_an_option_of_the_click_command() -> None:
    options = {
        flag: param.name
        for param in query_command.params
        if isinstance(param, click.Option)
        for flag in param.opts
    }
    for flag, field in QUICK_OPTIONS.items():
        assert options.get(flag) == field, flag
        assert field in QueryRequest._fields


def test_a_plain_kg_query_imports_nothing_it_does_not_need() -> None:
    """What the cold start saves: click and dataclasses (with inspect) cost more than the query."""
    script = (
        "import sys\n"
        "sys.argv = ['kg', 'query', '-n', 'funding_by_city', '--format', 'csv']\n"
        "from kg.cli.entry import run\n"
        "try:\n"
        "    run()\n"
        "except SystemExit as end:\n"
        "    heavy = {'click', 'dataclasses', 'inspect', 'rdflib', 'networkx', 'pyvis', 'json',\n"
        "             'decimal', 'difflib', 'opencc'} & set(sys.modules)\n"
        "    print(end.code, *sorted(heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.splitlines()[-1] == "0", done.stdout[-300:] + done.stderr
    assert done.stdout.startswith("city,city_zh,city_en,investor")
