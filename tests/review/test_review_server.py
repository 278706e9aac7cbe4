"""The desk's HTTP handlers over a real socket: loopback only, token, Host and Origin checked."""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from desk_bench import Bench, P
from desk_bench import bench_fixture as bench_fixture

from kg.review.desk import Desk
from kg.review.server import DeskServer, make_server


@pytest.fixture
def served(bench: Bench) -> Iterator[DeskServer]:
    with Desk(bench.layout, bench.draft, user="lin", text=bench.text) as desk:
        server = make_server(desk)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield server
        server.shutdown()
        server.server_close()
        thread.join()


def _ask(
    server: DeskServer, method: str, path: str, body: Any = None, **headers: str
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=120)
    data = json.dumps(body).encode() if body is not None else None
    sent = {"Host": f"127.0.0.1:{server.server_address[1]}", **headers}
    if data is not None:
        sent.setdefault("Content-Type", "application/json")
    connection.request(method, path, body=data, headers=sent)
    response = connection.getresponse()
    answer = response.status, dict(response.getheaders()), response.read()
    connection.close()
    return answer


def test_the_page_binds_loopback_and_carries_its_token_under_a_strict_csp(
    served: DeskServer,
) -> None:
    assert served.server_address[0] == "127.0.0.1"
    status, headers, page = _ask(served, "GET", "/")
    assert status == 200 and "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    match = re.search(rb'name="desk-token" content="([\w-]+)"', page)
    assert match is not None and match.group(1).decode() == served.token
    status, _, body = _ask(served, "GET", "/api/state")
    state = json.loads(body)
    assert status == 200 and next(p["name"] for p in state["proposals"]) == P + "000021-1"
    assert state["text"].startswith("新闻稿") and state["user"] == "lin"
    status, _, body = _ask(served, "GET", "/api/suggest?q=" + quote("北京市人工智能"))
    assert status == 200 and "kgr:BeijingAIFund" in {n["iri"] for n in json.loads(body)["names"]}


@pytest.mark.parametrize(
    ("headers", "status", "message"),
    [
        ({}, 403, "missing or wrong desk token"),
        ({"X-Desk-Token": "guess"}, 403, "missing or wrong desk token"),
        ({"X-Desk-Token": "{token}", "Origin": "http://evil.example"}, 403, "cross-site"),
        ({"X-Desk-Token": "{token}", "Host": "evil.example:80"}, 403, "wrong Host"),
        ({"X-Desk-Token": "{token}", "Content-Type": "text/plain"}, 415, "send JSON"),
    ],
)
def test_a_request_from_anywhere_but_the_page_is_refused(
    served: DeskServer, bench: Bench, headers: dict[str, str], status: int, message: str
) -> None:
    before = bench.draft.read_bytes()
    sent = {k: v.replace("{token}", served.token) for k, v in headers.items()}
    got, _, body = _ask(
        served, "POST", "/api/decide", {"action": "reject", "proposal": P + "000111-1"}, **sent
    )
    assert got == status and message in json.loads(body)["error"]
    assert bench.draft.read_bytes() == before


def test_a_decision_from_the_page_and_its_refusal_with_the_reason(served: DeskServer) -> None:
    token = {"X-Desk-Token": served.token, "Origin": f"http://127.0.0.1:{served.server_address[1]}"}
    status, _, body = _ask(
        served, "POST", "/api/decide", {"action": "accept", "proposal": P + "000021-1"}, **token
    )
    assert status == 422 and "'12亿元' reads as value=1200000000" in json.loads(body)["error"]
    status, _, body = _ask(
        served, "POST", "/api/decide", {"action": "reject", "proposal": P + "000111-1"}, **token
    )
    assert status == 200 and json.loads(body)["done"] == "reject " + P + "000111-1"
    status, _, body = _ask(served, "POST", "/api/decide", {"action": "drop table"}, **token)
    assert status == 400 and "unknown action" in json.loads(body)["error"]
