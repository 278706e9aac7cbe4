"""The parser's size: caps that each hold can still multiply (brackets × operators) into an
expression tree deep enough to crash a native parser. The product is refused before any parser
runs, in the CLI (``kg query @FILE``) and in the server."""

from __future__ import annotations

import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.query.safety import MAX_EXPRESSION_DEPTH, MAX_NESTING, MAX_OPERATORS, QueryRejected, analyse
from kg.server.app import App
from kg.server.build import create_app
from kg.server.messages import Request
from kg.server.settings import ServerConfig

ROOT = Path(__file__).resolve().parents[2]


def nested(levels: int, operators: int, inner_first: bool = True) -> str:
    """``levels`` brackets, each holding a chain of ``operators`` ``*1`` around the next one."""
    expression = "1"
    for _ in range(levels):
        chain = "*1" * operators
        expression = f"({expression}{chain})" if inner_first else f"({chain[1:]}*{expression})"
    return f"SELECT ({expression} AS ?x) {{}}"


#: The probe of issue 24: under every single cap (8 levels, 999 operators each, 16 KB).
PROBE = nested(8, 999)


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    made = create_app(ServerConfig(workers=1, timeout=20))
    made.allow("127.0.0.1", 8000)
    yield made
    made.pool.close()


def test_the_probe_is_under_each_single_cap() -> None:
    assert len(PROBE) < 20_000 and MAX_NESTING > 8 and MAX_OPERATORS > 999


@pytest.mark.parametrize("inner_first", [True, False])
def test_the_product_is_refused_whichever_side_the_inner_bracket_is(inner_first: bool) -> None:
    with pytest.raises(QueryRejected, match=r"line 1, column \d+: this bracket sits under"):
        analyse(nested(8, 999, inner_first))


def test_ordinary_nesting_still_passes() -> None:
    assert analyse(nested(1, MAX_OPERATORS)).form == "SELECT"
    assert analyse(nested(MAX_NESTING - 2, 20)).form == "SELECT"
    assert analyse(nested(MAX_EXPRESSION_DEPTH // 1000, 990)).form == "SELECT"


def test_the_server_answers_400_and_its_worker_lives(app: App) -> None:
    headers = {"host": "127.0.0.1:8000"}
    target = "/sparql?" + urllib.parse.urlencode({"query": PROBE})
    response = app.handle(Request("GET", target, headers, b"", "127.0.0.1"))
    assert response.status == 400 and b"this bracket sits under" in response.body
    posted = app.handle(
        Request("POST", "/sparql", {**headers, "content-type": "application/sparql-query"},
                PROBE.encode(), "127.0.0.1")
    )  # fmt: skip
    assert posted.status == 400
    ask = "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    assert app.handle(Request("GET", ask, headers, b"", "127.0.0.1")).status == 200


def test_kg_query_at_file_says_one_line_and_exits_2(tmp_path: Path) -> None:
    query = tmp_path / "deep.rq"
    query.write_text(PROBE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kg", "query", f"@{query}"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])
    assert len(done.stderr.strip().splitlines()) == 1 and "this bracket sits under" in done.stderr
    assert "Traceback" not in done.stderr
