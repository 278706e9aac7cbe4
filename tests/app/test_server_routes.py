"""Route records and the one error path: the records drive the front, the app and the docs.

A route added with one record runs where its record says (through the real asyncio front, with
a real forked worker pool); the docs' route and status tables are the ones the code writes.
"""

from __future__ import annotations

import asyncio
import http.client
import logging
import re
import threading
from pathlib import Path

import pytest

from kg.errors import EnvironmentProblem, Findings, NotFound, UsageError
from kg.server.app import App
from kg.server.build import create_app
from kg.server.front import SparqlServer
from kg.server.messages import Request
from kg.server.response import CSP, TEXT, Answer
from kg.server.routes import ROUTES
from kg.server.routing import LOOP, NO_STORE, WORKER, Route, Routed, RouteTable
from kg.server.settings import ServerConfig
from kg.server.status import OVERRIDES, error_answer, status_of, status_table

DOCS = Path(__file__).resolve().parents[2] / "docs" / "server.md"


def _where(app: App, request: Request, path: str, query_string: str) -> Routed:
    """Say where this handler runs: on the event loop's thread, or off it."""
    try:
        asyncio.get_running_loop()
        place = "loop"
    except RuntimeError:
        place = "worker"
    return Answer(200, TEXT, f"{place} {threading.current_thread().name}".encode()), CSP, []


def _block(name: str) -> str:
    text = DOCS.read_text(encoding="utf-8")
    match = re.search(f"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.DOTALL)
    assert match, f"docs/server.md has no {name} block"
    return match.group(1)


def test_the_docs_route_table_is_the_records() -> None:
    assert _block("routes") == ROUTES.markdown()


def test_the_docs_status_table_is_the_mapping() -> None:
    assert _block("statuses") == status_table()


def test_one_record_per_path() -> None:
    record = Route("/health", ("GET",), LOOP, _where)
    with pytest.raises(ValueError, match="more than one route record for /health"):
        ROUTES.with_route(record)


def test_patterns_match_by_prefix_and_exact_paths_win() -> None:
    table = RouteTable(
        [Route("/a/{x}", ("GET",), WORKER, _where), Route("/a/b", ("GET",), LOOP, _where)]
    )
    assert (table.find("/a/b") or Route("", (), LOOP, _where)).runs == LOOP
    assert (table.find("/a/c/d") or Route("", (), LOOP, _where)).runs == WORKER
    assert table.find("/a") is None


def test_an_added_route_runs_where_its_record_says() -> None:
    routes = ROUTES.with_route(Route("/probe/loop", ("GET",), LOOP, _where, NO_STORE, "probe"))
    routes = routes.with_route(Route("/probe/worker", ("GET",), WORKER, _where, NO_STORE, "probe"))
    server = SparqlServer(create_app(ServerConfig(port=0, workers=1, timeout=10), routes))
    seen: dict[str, tuple[int, str, str | None]] = {}

    def client() -> None:
        try:
            for target in ("/probe/loop", "/probe/worker"):
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
                connection.request("GET", target)
                reply = connection.getresponse()
                seen[target] = (reply.status, reply.read().decode(), reply.getheader("ETag"))
                connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            connection.request("DELETE", "/probe/loop")
            reply = connection.getresponse()
            seen["DELETE"] = (reply.status, reply.read().decode(), reply.getheader("Allow"))
        finally:
            loop.call_soon_threadsafe(server.stop)

    def listening() -> None:
        nonlocal loop
        loop = asyncio.get_running_loop()
        threading.Thread(target=client).start()

    loop: asyncio.AbstractEventLoop
    assert server.run(listening) == 0
    status, body, etag = seen["/probe/loop"]
    assert status == 200 and body == f"loop {threading.current_thread().name}" and etag is None
    status, body, _ = seen["/probe/worker"]
    assert status == 200 and body.startswith("worker kg-handler")
    assert seen["DELETE"][0] == 405 and seen["DELETE"][2] == "GET"


class _Odd:
    """A job no worker knows: its failure is a bug inside the worker."""


def test_an_error_in_a_worker_crosses_as_status_and_message(tmp_path: Path) -> None:
    log_file = tmp_path / "worker.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    logger = logging.getLogger("kg.server")
    logger.addHandler(handler)  # before the fork: the workers inherit it
    try:
        app = create_app(ServerConfig(workers=1, timeout=10))
        try:
            answer = app.run(Request("GET", "/", client="127.0.0.1"), _Odd(), 10)
        finally:
            app.pool.close()
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert answer.status == 500 and answer.body == b"internal error: TypeError\n"
    logged = log_file.read_text(encoding="utf-8")
    assert logged.count("Traceback") == 1 and "unknown job _Odd" in logged
    assert "worker: _Odd failed" in logged


def test_kg_errors_map_to_their_family_status() -> None:
    answer, headers = error_answer(NotFound("no such thing"))
    assert (answer.status, answer.body, headers) == (404, b"no such thing\n", [])
    bug, _ = error_answer(KeyError("secret detail"))
    assert bug.status == 500 and b"secret" not in bug.body


@pytest.mark.parametrize("doc", ["README.md", "docs/DESIGN.md"])
def test_the_family_status_tables_agree_with_the_code(doc: str) -> None:
    """The exit code / HTTP status tables of the README and DESIGN.md say what the code does."""
    text = (DOCS.parents[1] / doc).read_text(encoding="utf-8")
    rows = {
        int(match.group(1)): {int(n) for n in re.findall(r"\b[1-5]\d\d\b", match.group(2))}
        for match in re.finditer(r"^\| ([0-3]) \| [^|]+ \| ([^|]+) \|", text, re.MULTILINE)
    }
    families: dict[int, set[int]] = {0: {200}}
    for family in (Findings, UsageError, NotFound, EnvironmentProblem):
        families.setdefault(family.exit_code, set()).add(status_of(family("x")))
    for overridden, status in OVERRIDES:  # statuses of narrower errors, by their family's exit
        families[overridden.exit_code].add(status)
    assert rows == families
