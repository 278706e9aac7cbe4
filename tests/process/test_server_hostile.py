"""A real ``kg serve`` against hostile clients: slow heads, stalled bodies, slow queries, bombs,
a dead worker factory, SIGTERM. Loopback only; every test bounds its sockets and its time.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import select
import signal
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from kg_server import RunningServer, start

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    log = tmp_path_factory.mktemp("hostile") / "stderr.log"
    running = start(["--timeout", "6", "--head-timeout", "4", "--body-timeout", "1"], log)
    yield running
    running.stop()


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def timed_query(server: RunningServer, query: str, timeout: float = 10) -> tuple[int, float]:
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}))
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        connection.close()


def raw(server: RunningServer, source: str = "127.0.0.1") -> socket.socket:
    sock = socket.socket()
    sock.bind((source, 0))
    sock.settimeout(10)
    sock.connect(("127.0.0.1", server.port))
    return sock


def test_200_dripping_sockets_do_not_stop_a_normal_query(server: RunningServer) -> None:
    drips = [raw(server, f"127.0.0.{2 + i % 4}") for i in range(200)]
    stop = threading.Event()

    def drip() -> None:
        line = b"GET /sparql HTTP/1.1\r\nX-Slow: " + b"a" * 100
        for byte in line:
            if stop.wait(0.5):
                return
            for sock in drips:
                with contextlib.suppress(OSError):  # the server may have cut it
                    sock.send(bytes([byte]))

    dripper = threading.Thread(target=drip)
    dripper.start()
    try:
        time.sleep(1.0)
        status, seconds = timed_query(server, CHEAP)
        assert status == 200 and seconds < 3
    finally:
        stop.set()
        dripper.join()
        for sock in drips:
            sock.close()


def test_a_dripped_head_is_cut_at_its_deadline(server: RunningServer) -> None:
    sock = raw(server, "127.0.0.6")
    started = time.monotonic()
    try:
        for byte in b"GET / HTTP/1.1\r\nX-Slow: " + b"a" * 40:  # one byte every 0.25 s: 16 s
            if select.select([sock], [], [], 0.25)[0]:
                break  # the server answered or closed
            try:
                sock.send(bytes([byte]))
            except OSError:
                break
        seconds = time.monotonic() - started
    finally:
        sock.close()
    assert 3.5 < seconds < 6  # the head deadline is 4 s, however the bytes trickle


def test_connections_over_the_per_client_cap_are_shed(tmp_path: Path) -> None:
    capped = start(["--max-per-client", "5", "--workers", "2"], tmp_path / "stderr.log")
    try:
        held = [raw(capped, "127.0.0.7") for _ in range(5)]
        time.sleep(0.2)
        extra = raw(capped, "127.0.0.7")
        started = time.monotonic()
        answer = extra.recv(4096)
        assert answer.startswith(b"HTTP/1.1 503") and time.monotonic() - started < 2
        status, seconds = timed_query(capped, CHEAP)  # another address is still served
        assert status == 200 and seconds < 3
        for sock in [*held, extra]:
            sock.close()
    finally:
        capped.stop()


def test_a_stalled_body_gets_408(server: RunningServer) -> None:
    sock = raw(server)
    try:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\nASK"
        )
        started = time.monotonic()
        answer = sock.recv(4096)
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 408") and time.monotonic() - started < 3


def test_a_cheap_query_does_not_wait_behind_two_slow_ones(server: RunningServer) -> None:
    slow: list[int] = []
    threads = [
        threading.Thread(target=lambda: slow.append(timed_query(server, CARTESIAN)[0]))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    status, seconds = timed_query(server, CHEAP)
    for thread in threads:
        thread.join(timeout=15)
    assert status == 200 and seconds < 3
    assert slow == [503, 503]  # stopped at the 6 s deadline


def test_the_slow_lane_serves_cheap_queries_when_slow_ones_hold_every_worker(
    tmp_path: Path,
) -> None:
    running = start(["--workers", "2", "--timeout", "5"], tmp_path / "stderr.log")
    try:
        (factory,) = children(running.process.pid)
        slow: list[int] = []
        threads = [
            threading.Thread(target=lambda: slow.append(timed_query(running, CARTESIAN)[0]))
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        time.sleep(1.5)  # both workers held for over a second: the lane is open
        cheap = [timed_query(running, CHEAP) for _ in range(3)]
        for thread in threads:
            thread.join(timeout=15)
        deadline = time.monotonic() + 5
        while len(children(factory)) != 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(status == 200 and seconds < 3 for status, seconds in cheap), cheap
        assert slow == [503, 503]
        assert len(children(factory)) == 2  # the extra workers are gone
    finally:
        running.stop()


def _post(server: RunningServer, query: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
    try:
        headers = {"Content-Type": "application/sparql-query"}
        connection.request("POST", "/sparql", query.encode(), headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@pytest.mark.parametrize(
    "bomb",
    [
        "ASK { FILTER(" + "!" * 10_000 + "true) }",
        "SELECT (" + "+".join(["1"] * 20_000) + " AS ?x) {}",
    ],
    ids=["not-10000", "plus-20000"],
)
def test_bombs_are_4xx_and_keep_the_workers(server: RunningServer, bomb: str) -> None:
    (factory,) = children(server.process.pid)
    workers = sorted(children(factory))
    status = _post(server, bomb)
    assert 400 <= status < 500
    assert sorted(children(factory)) == workers


def test_killing_the_factory_stops_the_server_non_zero(tmp_path: Path) -> None:
    running = start(["--workers", "2"], tmp_path / "stderr.log")
    try:
        (factory,) = children(running.process.pid)
        os.kill(factory, signal.SIGKILL)
        code = running.process.wait(timeout=10)
    finally:
        running.stop()
    assert code == 3
    assert "worker factory has stopped" in (tmp_path / "stderr.log").read_text()


def test_sigterm_finishes_the_request_in_flight(tmp_path: Path) -> None:
    running = start(["--workers", "2", "--timeout", "3"], tmp_path / "stderr.log")
    try:
        outcome: list[int] = []
        thread = threading.Thread(target=lambda: outcome.append(timed_query(running, CARTESIAN)[0]))
        thread.start()
        time.sleep(0.5)
        running.process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        with pytest.raises(OSError):
            timed_query(running, CHEAP, timeout=2)  # no longer accepting
        thread.join(timeout=10)
        code = running.process.wait(timeout=10)
    finally:
        running.stop()
    assert outcome == [503]  # the in-flight query got its answer (its deadline), not a reset
    assert code == 0


def test_request_lines_are_logged(server: RunningServer) -> None:
    timed_query(server, CHEAP)
    assert '"GET /sparql?query=ASK' in server.log.read_text()


def test_a_killed_idle_worker_never_gets_a_request(server: RunningServer) -> None:
    (factory,) = children(server.process.pid)
    workers = children(factory)
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    statuses = [timed_query(server, CHEAP)[0] for _ in range(len(workers) + 2)]
    assert statuses == [200] * (len(workers) + 2)  # each dead worker replaced before use
    deadline = time.monotonic() + 5
    while len(children(factory)) != len(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(children(factory)) == len(workers)


def _exchange(server: RunningServer, data: bytes, wait: float = 3.0) -> bytes:
    """Send ``data`` and read until the server closes (or ``wait`` seconds pass)."""
    sock = raw(server)
    sock.settimeout(wait)
    received = b""
    try:
        sock.sendall(data)
        while chunk := sock.recv(65536):
            received += chunk
    except TimeoutError:
        pass
    finally:
        sock.close()
    return received


def test_http_framing_edges(server: RunningServer) -> None:
    host = f"Host: 127.0.0.1:{server.port}\r\n".encode()
    one_oh = _exchange(server, b"GET /health HTTP/1.0\r\n" + host + b"\r\n")
    assert one_oh.startswith(b"HTTP/1.1 200") and b"Connection: close" in one_oh  # closed
    body = b"ASK { ?s ?p ?o }"
    expect = _exchange(
        server,
        b"POST /sparql HTTP/1.1\r\n" + host + b"Content-Type: application/sparql-query\r\n"
        b"Expect: 100-continue\r\nConnection: close\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body,
    )
    assert expect.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200")
    assert _exchange(server, b"NONSENSE\r\n\r\n").startswith(b"HTTP/1.1 400")
    assert _exchange(server, b"GET / HTTP/2.0\r\n\r\n").startswith(b"HTTP/1.1 505")
    huge = b"GET / HTTP/1.1\r\n" + host + b"X-Big: " + b"a" * 1_200_000 + b"\r\n\r\n"
    assert _exchange(server, huge).startswith(b"HTTP/1.1 431")
    chunked = b"POST /sparql HTTP/1.1\r\n" + host + b"Transfer-Encoding: chunked\r\n\r\n"
    assert _exchange(server, chunked).startswith(b"HTTP/1.1 411")


@pytest.mark.parametrize(
    "length", ["²", "9" * 5000, "-1", "1_0", "12 34", "0x10", "１２"], ids=lambda v: repr(v[:8])
)
def test_an_odd_content_length_is_400(server: RunningServer, length: str) -> None:
    sock = raw(server, "127.0.0.7")
    try:
        head = f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\n\r\n"
        sock.sendall(head.encode("utf-8"))
        reply = sock.recv(65536)
    finally:
        sock.close()
    assert reply.startswith(b"HTTP/1.1 400 "), reply[:200]
    assert b"Content-Length must be a decimal number" in reply
    assert timed_query(server, CHEAP)[0] == 200


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/{pid}/status")


def test_unfinished_heads_share_one_memory_budget(tmp_path: Path) -> None:
    """200 unfinished heads of 1 MiB: before, each cost the server ~1 MB (200 MB in all; 72 now)."""
    running = start(["--head-timeout", "4", "--workers", "1"], tmp_path / "stderr.log")
    try:
        pid = running.process.pid
        before = _status_kib(pid, "VmHWM")
        head = b"GET /sparql?query=" + b"a" * ((1 << 20) - 100)  # no end of head: never finished
        sockets = []
        for _ in range(200):
            sock = socket.create_connection(("127.0.0.1", running.port), timeout=15)
            with contextlib.suppress(OSError):  # shed ones may be closed mid-send
                sock.sendall(head)
            sockets.append(sock)
        busy = 0
        for sock in sockets:  # each ends: a 503, or closed at its head deadline
            with contextlib.suppress(OSError):
                busy += sock.recv(65536).startswith(b"HTTP/1.1 503 ")
            sock.close()
        grown_mb = (_status_kib(pid, "VmHWM") - before) / 1024
        assert busy > 0
        assert grown_mb < 100, f"the server grew by {grown_mb:.0f} MB"  # 64 MiB budget
        assert timed_query(running, CHEAP)[0] == 200
    finally:
        running.stop()


def _slow_query_socket(server: RunningServer, source: str) -> socket.socket:
    sock = raw(server, source)
    target = "/sparql?" + urllib.parse.urlencode({"query": CARTESIAN})
    sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    return sock


def test_one_clients_slow_queries_wait_behind_its_own(tmp_path: Path) -> None:
    """8 slow queries from one client (twice the workers and lane) leave room for another's."""
    running = start(["--workers", "2", "--timeout", "20"], tmp_path / "stderr.log")
    slow = [_slow_query_socket(running, "127.0.0.2") for _ in range(8)]
    try:
        time.sleep(1.5)  # the slow ones hold their workers for over a second: the lane is open
        status, seconds = timed_query_from(running, CHEAP, "127.0.0.3")
        assert status == 200 and seconds < 5, (status, seconds)
    finally:
        for sock in slow:
            sock.close()
        running.stop()


def test_work_for_a_closed_connection_is_given_up(tmp_path: Path) -> None:
    """9 slow queries on sockets closed at once no longer hold the workers to their deadline."""
    running = start(["--workers", "2", "--timeout", "30"], tmp_path / "stderr.log")
    try:
        slow = [_slow_query_socket(running, f"127.0.0.{2 + i % 3}") for i in range(9)]
        time.sleep(1.5)  # running, and the lane open
        for sock in slow:
            sock.close()
        status, seconds = timed_query_from(running, CHEAP, "127.0.0.6", timeout=20)
        assert status == 200 and seconds < 5, (status, seconds)
        assert "gone: work given up" in running.log.read_text(encoding="utf-8", errors="replace")
    finally:
        running.stop()


def timed_query_from(
    server: RunningServer, query: str, source: str, timeout: float = 20
) -> tuple[int, float]:
    """Like :func:`timed_query`, from another client address."""
    started = time.monotonic()
    connection = http.client.HTTPConnection(
        "127.0.0.1", server.port, timeout=timeout, source_address=(source, 0)
    )
    try:
        connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}))
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        connection.close()
