"""The second wall: with the static SERVICE check switched off, queries still connect nowhere.

Each test runs ``kg`` in a process of its own whose static check is emptied by a test-only hook
(:data:`kg.query.safety.FEDERATION_KEYWORDS`), on both local engines, from the command line and
through a real server, and counts the connections a listener on 127.0.0.1 receives. A control
run, with the wall switched off as well, shows the listener does see what the wall stops.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Listener
from kg_server import RunningServer, start

from kg.sandbox import second_wall

pytestmark = pytest.mark.skipif(second_wall() is not None, reason=str(second_wall()))

NO_STATIC_CHECK = "import kg.query.safety as s; s.FEDERATION_KEYWORDS = frozenset()"
NO_WALL = "import kg.query.run as r; r.wall_off_network = lambda: False"
ENGINES = ("oxigraph", "memory")


def queries(port: int) -> list[str]:
    """SERVICE as written, in lower case, escaped, and FROM a web address."""
    url = f"http://127.0.0.1:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
        f"ASK FROM NAMED <{url}> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ]


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def kg_query(prelude: str, engine: str, query: str) -> subprocess.CompletedProcess[str]:
    main = "from kg.cli.entry import run; run()"
    return subprocess.run(
        [sys.executable, "-c", f"{prelude}\n{main}", "query", "--engine", engine, query],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_cli_connects_nowhere_without_the_static_check(listener: Listener, engine: str) -> None:
    for query in queries(listener.port):
        out = kg_query(NO_STATIC_CHECK, engine, query)
        assert "is not allowed" not in out.stderr, "the hook did not switch the check off"
        assert "Traceback" not in out.stderr, out.stderr
    time.sleep(0.3)  # a connection in flight reaches the listener's accept loop
    assert listener.connections == 0


def test_control_without_either_defence_the_listener_is_reached(listener: Listener) -> None:
    out = kg_query(f"{NO_STATIC_CHECK}\n{NO_WALL}", "oxigraph", queries(listener.port)[0])
    assert "SERVICE is not allowed" not in out.stderr
    deadline = time.monotonic() + 10
    while listener.connections == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.connections >= 1


@pytest.fixture(params=ENGINES)
def unchecked_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RunningServer]:
    server = start(
        ["--engine", request.param, "--workers", "2"],
        tmp_path / "server.log",
        prelude=NO_STATIC_CHECK,
    )
    yield server
    server.stop()


def test_server_connects_nowhere_without_the_static_check(
    unchecked_server: RunningServer, listener: Listener
) -> None:
    for query in queries(listener.port):
        connection = unchecked_server.connection()
        connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}))
        response = connection.getresponse()
        body = response.read()
        connection.close()
        assert b"is not allowed" not in body, "the test-only hook did not switch the check off"
    time.sleep(0.3)
    assert listener.connections == 0
