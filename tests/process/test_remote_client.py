"""The SPARQL protocol client (:mod:`kg.remote.client`) and push's chunking.

Against a real ``oxigraph serve`` where it can produce the case, and otherwise against a small
real HTTP server on loopback (Basic auth, a ``406``, an HTML error page, Virtuoso's ASK table),
whose handler answers as the servers measured in ``docs/scaling-out.md`` do.
"""

from __future__ import annotations

import base64
import contextlib
import io
import os
import socket
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest
from loopback_http import running, serving_raw
from oxigraph_server import oxigraph_endpoint  # noqa: F401 - the fixture, used by name below

from kg.remote.chunking import chunks, components, insert_text
from kg.remote.client import (
    MAX_GET_URL,
    Credentials,
    CredentialsInUrl,
    MissingPassword,
    RemoteError,
    SparqlClient,
    one_line,
)
from kg.remote.wire import Budgeted

ROOT = Path(__file__).resolve().parents[2]
ASK_TABLE = (
    b'{"head":{"vars":["__ASK_RETVAL"]},"results":{"bindings":[{"__ASK_RETVAL":'
    b'{"type":"typed-literal","datatype":"http://www.w3.org/2001/XMLSchema#integer",'
    b'"value":"1"}}]}}'
)
BNODE_TABLE = (
    b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"bnode",'
    b'"value":"nodeID://b10000"}},{"s":{"type":"bnode","value":"nodeID://b10001"}}]}}'
)


class Handler(BaseHTTPRequestHandler):
    """Answers by path; records what it was sent."""

    seen: ClassVar[list[tuple[str, str, str]]] = []

    def log_message(self, *args: object) -> None:
        pass

    def _reply(self, status: int, body: bytes, media: str, extra: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._answer("")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self._answer(self.rfile.read(length).decode())

    def _answer(self, body: str) -> None:
        path = urllib.parse.urlsplit(self.path).path
        Handler.seen.append((self.command, self.path, body))
        accept = self.headers.get("Accept", "")
        if path == "/basic":
            expected = "Basic " + base64.b64encode(b"alice:s3cret").decode()
            if self.headers.get("Authorization") != expected:
                self._reply(401, b"", "text/plain", {"WWW-Authenticate": 'Basic realm="kg"'})
                return
            self._reply(200, ASK_TABLE, "application/sparql-results+json")
        elif path == "/picky":
            if accept != "*/*":
                self._reply(406, b"Not Acceptable", "text/plain")
                return
            self._reply(200, b'{"head":{},"boolean":true}', "application/sparql-results+json")
        elif path == "/broken":
            page = b"<html><body><h1>Error</h1>\n<p>Parse error: line 1\n  near }</p></body></html>"
            self._reply(400, page, "text/html")
        elif path == "/html":
            self._reply(200, b"<html>a form</html>", "text/html")
        elif path == "/bnodes":
            self._reply(200, BNODE_TABLE, "application/sparql-results+json")
        else:
            self._reply(200, ASK_TABLE, "application/sparql-results+json")


@pytest.fixture(scope="module")
def loopback() -> Iterator[str]:
    with running(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}"


def test_virtuoso_ask_table_becomes_a_boolean(loopback: str) -> None:
    assert SparqlClient(loopback + "/sparql").query("ASK {}", "ASK").boolean is True


def test_short_queries_go_as_get_long_ones_as_form_post(loopback: str) -> None:
    client = SparqlClient(loopback + "/sparql")
    Handler.seen.clear()
    client.query("ASK {}", "ASK")
    long_query = "ASK { " + " ".join(f"<urn:x:{i}> ?p ?o ." for i in range(200)) + " }"
    assert len(long_query) > MAX_GET_URL
    client.query(long_query, "ASK")
    (get, _, _), (post, path, body) = Handler.seen
    assert get == "GET"
    assert post == "POST" and "?" not in path
    assert urllib.parse.parse_qs(body)["query"] == [long_query]


def test_basic_auth_answers_the_challenge(loopback: str) -> None:
    with pytest.raises(RemoteError, match="answered 401"):
        SparqlClient(loopback + "/basic").query("ASK {}", "ASK")
    client = SparqlClient(loopback + "/basic", credentials=Credentials("alice", "s3cret"))
    assert client.query("ASK {}", "ASK").boolean is True
    assert "s3cret" not in repr(Credentials("alice", "s3cret"))


def test_password_only_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_PASSWORD", raising=False)
    assert Credentials.from_env(None) is None
    with pytest.raises(MissingPassword, match="KG_PASSWORD"):
        Credentials.from_env("alice")
    monkeypatch.setenv("KG_PASSWORD", "pw")
    assert Credentials.from_env("alice") == Credentials("alice", "pw")


def test_406_is_retried_with_any_type(loopback: str) -> None:
    assert SparqlClient(loopback + "/picky").query("ASK {}", "ASK").boolean is True


def test_server_error_text_comes_back_in_one_line(loopback: str) -> None:
    with pytest.raises(RemoteError) as caught:
        SparqlClient(loopback + "/broken").query("SELECT * WHERE { ?s ?p }", "SELECT")
    message = str(caught.value)
    assert "\n" not in message and "<" not in message
    assert message.endswith("answered 400: Error Parse error: line 1 near }")
    assert "query=" not in message  # the URL, not the query it carried


def test_an_html_page_is_not_a_result(loopback: str) -> None:
    with pytest.raises(RemoteError, match="text/html, not SPARQL results"):
        SparqlClient(loopback + "/html").query("SELECT * {}", "SELECT")


def test_invalid_blank_node_labels_are_relabelled(loopback: str) -> None:
    rows = SparqlClient(loopback + "/bnodes").query("SELECT ?s {}", "SELECT").rows
    assert all(isinstance(row[0], ox.BlankNode) for row in rows)
    assert rows[0][0] != rows[1][0]


def test_one_line_cuts_virtuosos_echoed_query() -> None:
    text = "Virtuoso 37000 Error SP030: syntax error\n\nSPARQL query:\nSELECT * WHERE { ?s ?p }"
    assert one_line(text) == "Virtuoso 37000 Error SP030: syntax error"


def test_unreachable_server_is_a_remote_error() -> None:
    from oxigraph_server import free_port

    with pytest.raises(RemoteError, match="cannot reach"):
        SparqlClient(f"http://127.0.0.1:{free_port()}/sparql", timeout=5).query("ASK {}", "ASK")


def test_real_oxigraph_server_select_ask_construct(oxigraph_endpoint: str) -> None:  # noqa: F811
    client = SparqlClient(oxigraph_endpoint)
    assert client.query("ASK { ?s ?p ?o }", "ASK").boolean is True
    rows = client.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "SELECT").rows
    assert int(rows[0][0].value) > 1000  # type: ignore[union-attr]
    graph = client.query("CONSTRUCT WHERE { ?s a ?o } LIMIT 3", "CONSTRUCT")
    assert len(graph.triples) == 3
    with pytest.raises(RemoteError, match="answered 400"):
        client.query("SELECT * WHERE { ?s ?p }", "SELECT")


def test_chunks_keep_blank_node_components_whole() -> None:
    p = ox.NamedNode("urn:x:p")
    b1, b2 = ox.BlankNode("a"), ox.BlankNode("b")
    linked = [ox.Triple(b1, p, b2), ox.Triple(b2, p, ox.Literal("x")), ox.Triple(b1, p, b1)]
    plain = [ox.Triple(ox.NamedNode(f"urn:x:{i}"), p, ox.Literal(str(i))) for i in range(5)]
    assert sorted(map(len, components(linked + plain))) == [1, 1, 1, 1, 1, 3]
    parts = list(chunks(plain + linked, max_triples=2))
    assert sum(map(len, parts)) == 8
    assert any(set(linked) <= set(part) for part in parts)
    assert insert_text("urn:g", plain[:1]).startswith("INSERT DATA")
    assert insert_text("urn:g", linked).endswith("WHERE { }")


def test_kg_load_passes_the_user_to_an_endpoint_that_asks(
    loopback: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ``kg query --user`` and ``kg serve --endpoint … --user`` open."""
    import kg
    from kg.query.engines import EngineError

    monkeypatch.setenv("KG_PASSWORD", "s3cret")
    graph = kg.load(endpoint=loopback + "/basic", user="alice")
    assert graph.query("ASK {}").askAnswer is True
    with pytest.raises((RemoteError, EngineError), match="401"):
        kg.load(endpoint=loopback + "/basic").query("ASK {}")


# ---------------------------------------------------------------- malformed replies
_ASK_JSON = b'{"head":{},"boolean":true}'
MALFORMED = {
    "/many-headers": b"HTTP/1.1 200 OK\r\n" + b"X-Filler: 1\r\n" * 150 + b"\r\n" + _ASK_JSON,
    "/bad-status": b"HTTP/1.1 two hundred OK\r\nContent-Length: 2\r\n\r\n{}",
    "/not-http": b"SSH-2.0-OpenSSH_9.6\r\n",
    "/long-header": b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n",
}
ODD_LENGTH = {
    "/superscript-length": "²",
    "/huge-length": "9" * 5000,
}


def _hostile_reply(path: str) -> bytes | None:
    """The malformed reply a path names (``None``: the target dies, the connection closes)."""
    if path == "/dies-update":
        return b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"
    if path == "/dies-store":
        return None  # the target dies mid-push: the connection closes unanswered
    if path in ODD_LENGTH:
        return (
            "HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
            f"Content-Length: {ODD_LENGTH[path]}\r\n\r\n"
        ).encode() + _ASK_JSON
    return MALFORMED.get(path, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")


@pytest.fixture(scope="module")
def hostile_endpoint() -> Iterator[str]:
    with serving_raw(_hostile_reply) as (host, port):
        yield f"http://{host}:{port}"


def kg(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True, text=True, timeout=60, cwd=ROOT, env={**os.environ, **env},
    )  # fmt: skip


@pytest.mark.parametrize("path", sorted(MALFORMED))
def test_a_malformed_reply_is_one_line_and_exit_3(hostile_endpoint: str, path: str) -> None:
    done = kg("query", "--endpoint", hostile_endpoint + path, "ASK { ?s ?p ?o }")
    assert done.returncode == 3, done.stderr[-800:]
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert path in done.stderr


@pytest.mark.parametrize("path", sorted(ODD_LENGTH))
def test_an_odd_content_length_in_a_reply_is_read_to_the_close(
    hostile_endpoint: str, path: str
) -> None:
    client = SparqlClient(hostile_endpoint + path, timeout=10)
    assert client.query("ASK { ?s ?p ?o }", "ASK").boolean is True


def test_a_password_in_the_endpoint_url_is_refused_unechoed(hostile_endpoint: str) -> None:
    address = hostile_endpoint.removeprefix("http://")
    for command in (
        ["query", "--endpoint", f"http://reader:s3cr3t-pw@{address}/sparql", "ASK {}"],
        ["push", "--endpoint", f"http://reader:s3cr3t-pw@{address}/sparql"],
    ):
        done = kg(*command)
        assert done.returncode == 2, done.stderr[-800:]
        assert "use --user" in done.stderr and "Traceback" not in done.stderr
        assert "s3cr3t-pw" not in done.stdout + done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    with pytest.raises(CredentialsInUrl, match="use --user NAME") as refused:
        SparqlClient("http://127.0.0.1/sparql", graph_store=f"http://u:s3cr3t-pw@{address}/store")
    assert "s3cr3t-pw" not in str(refused.value)


def test_push_with_graph_store_alone_to_oxigraph_serve_refuses_in_one_line(
    oxigraph_endpoint: str,  # noqa: F811
) -> None:
    client = SparqlClient(oxigraph_endpoint, timeout=30)
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = client.query(count, "SELECT").rows
    store = oxigraph_endpoint.removesuffix("/query") + "/store"
    done = kg("push", "--endpoint", oxigraph_endpoint, "--graph-store", store)
    assert done.returncode == 2, done.stderr[-800:]
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert "--update" in done.stderr and "does not take SPARQL Update" in done.stderr
    assert client.query(count, "SELECT").rows == before  # nothing changed
    update = oxigraph_endpoint.removesuffix("/query") + "/update"
    works = kg("push", "--endpoint", oxigraph_endpoint, "--update", update, "--graph-store", store)
    assert works.returncode == 0, works.stderr[-800:]


# ---------------------------------------------------------------- answers on a byte budget
def _endless_answer(sock: socket.socket, sent: list[int] | None = None) -> None:
    """Announce a 1 GiB SPARQL JSON answer and send rows until the client hangs up."""
    connection, _ = sock.accept()
    with connection:
        connection.settimeout(30)
        connection.recv(65536)
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
            f"Content-Length: {1 << 30}\r\n\r\n"
        )
        row = b'{"s":{"type":"uri","value":"http://example.org/' + b"x" * 900 + b'"}},'
        with contextlib.suppress(OSError):
            connection.sendall(head.encode() + b'{"head":{"vars":["s"]},"results":{"bindings":[')
            for _ in range((1 << 30) // len(row)):
                connection.sendall(row * 64)
                if sent is not None:
                    sent.append(len(row) * 64)


def test_max_rows_stops_reading_a_huge_answer(tmp_path: Path) -> None:
    """With --max-rows 5, a 1 GiB answer costs a few rows, not 1 GB (the client's peak RSS)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    sent: list[int] = []
    thread = threading.Thread(target=_endless_answer, args=(sock, sent), daemon=True)
    thread.start()
    script = (
        "import sys\n"
        "from kg.remote.client import SparqlClient\n"
        "result = SparqlClient(sys.argv[1], timeout=30).query('SELECT ?s {}', 'SELECT', "
        "max_rows=5)\n"
        # VmHWM: this image's own peak (ru_maxrss would count the forked copy of pytest too)
        "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print(len(result.rows), result.truncated, int(peak.split()[1]) // 1024)\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", script, f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"],
            capture_output=True, text=True, timeout=120, cwd=ROOT,
        )  # fmt: skip
    finally:
        sock.close()
        thread.join(timeout=30)
    rows, truncated, peak_mb = done.stdout.split()
    assert (rows, truncated) == ("5", "True"), done.stderr[-500:]
    sent_mb = sum(sent) >> 20
    assert sent_mb < 64, f"the client read {sent_mb} MB of the answer"
    assert int(peak_mb) < 200, f"the client peaked at {peak_mb} MB, having read {sent_mb} MB"


def test_an_answer_over_the_byte_budget_is_one_line() -> None:
    stream = Budgeted(io.BytesIO(b"x" * 100), 10)
    assert stream.read() == b""
    with pytest.raises(RemoteError, match="http://h/sparql answered more than 10 bytes"):
        stream.check("http://h/sparql")
    whole = Budgeted(io.BytesIO(b"x" * 10), 10)
    assert whole.read() == b"x" * 10
    whole.check("http://h/sparql")


# ---------------------------------------------------------------- a push never leaves it worse
def test_a_bulk_push_to_oxigraph_serve_stages_then_switches(oxigraph_endpoint: str) -> None:  # noqa: F811
    base = oxigraph_endpoint.removesuffix("/query")
    done = kg("push", "--endpoint", oxigraph_endpoint, "--update", base + "/update",
              "--graph-store", base + "/store", "--bulk")  # fmt: skip
    assert done.returncode == 0, done.stderr[-800:]
    client = SparqlClient(oxigraph_endpoint, timeout=30)
    staging = client.query(
        "ASK { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), 'staging')) }", "ASK"
    )
    assert staging.boolean is False  # every staging graph was moved into place


def test_a_target_that_dies_while_staging_is_left_as_it_was(hostile_endpoint: str) -> None:
    done = kg("push", "--endpoint", hostile_endpoint + "/dies-update",
              "--update", hostile_endpoint + "/dies-update",
              "--graph-store", hostile_endpoint + "/dies-store", "--bulk")  # fmt: skip
    assert done.returncode == 3, done.stderr[-800:]
    assert "no graph was replaced" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
