"""The SPARQL protocol client (:mod:`kg.remote.client`), request by request.

Against a real ``oxigraph serve`` for what a server does with what the client sends (queries of
each form, updates, Graph Store requests, a dataset of N-Quads), and against a scripted server on
loopback for what a real server does only sometimes: a row cap or a time limit announced in the
headers, a body shorter than announced, a ``406``, a ``401`` asking for Basic or an unknown
scheme, Virtuoso's blank node labels, a reply that is not HTTP. The scripted server records each
request (method, path, headers, body), so the tests assert what went over the wire.
"""

from __future__ import annotations

import base64
import logging
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest
from loopback_http import running
from oxigraph_server import free_port, serving_oxigraph

from kg.query.results import PartialAnswer
from kg.remote.client import (
    MAX_GET_URL,
    PASSWORD_ENV,
    Credentials,
    CredentialsInUrl,
    MissingPassword,
    RemoteError,
    SparqlClient,
)

EX = "http://example.org/"
ASK_TRUE = b'{"head":{},"boolean":true}'
ROWS = (
    b'{"head":{"vars":["s"]},"results":{"bindings":['
    b'{"s":{"type":"uri","value":"http://example.org/a"}},'
    b'{"s":{"type":"uri","value":"http://example.org/b"}}]}}'
)
VIRTUOSO_BNODES = (
    b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"bnode",'
    b'"value":"nodeID://b10000"}},{"s":{"type":"bnode","value":"nodeID://b10001"}}]}}'
)
RESULTS = "application/sparql-results+json"
#: Virtuoso's answer to an ASK: a one-column table.
ASK_TABLE = (
    b'{"head":{"vars":["__ASK_RETVAL"]},"results":{"bindings":[{"__ASK_RETVAL":'
    b'{"type":"typed-literal","datatype":"http://www.w3.org/2001/XMLSchema#integer",'
    b'"value":"1"}}]}}'
)
#: An answer of 3,000 rows, over 200 KB: more than one read of the client's (64 KiB).
MANY_ROWS = (
    b'{"head":{"vars":["s"]},"results":{"bindings":['
    + b",".join(b'{"s":{"type":"uri","value":"http://example.org/r%d"}}' % i for i in range(3000))
    + b"]}}"
)


class Scripted(BaseHTTPRequestHandler):
    """Answers by path; records each request."""

    seen: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def _reply(
        self, status: int, body: bytes, media: str = RESULTS, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        headers = {"Content-Length": str(len(body)), **(extra or {})}
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._answer(b"")

    def do_POST(self) -> None:
        self._answer(self.rfile.read(int(self.headers.get("Content-Length", 0))))

    do_PUT = do_DELETE = do_POST

    def _answer(self, body: bytes) -> None:
        path = urllib.parse.urlsplit(self.path).path
        Scripted.seen.append((self.command, self.path, dict(self.headers.items()), body))
        if path == "/basic":
            expected = "Basic " + base64.b64encode(b"alice:s3cret").decode()
            if self.headers.get("Authorization") != expected:
                self._reply(401, b"", "text/plain", {"WWW-Authenticate": 'Basic realm="kg"'})
            else:
                self._reply(200, ASK_TRUE)
        elif path == "/negotiate":
            self._reply(401, b"", "text/plain", {"WWW-Authenticate": "Negotiate"})
        elif path == "/picky":
            if self.headers.get("Accept") != "*/*":
                self._reply(406, b"<p>Not Acceptable</p>", "text/html")
            else:
                self._reply(200, ASK_TRUE)
        elif path == "/refuses":
            self._reply(503, b"<h1>busy</h1>\n<p>try   later</p>", "text/html")
        elif path == "/silent":
            self._reply(404, b"", "text/plain")
        elif path == "/capped":
            self._reply(200, ROWS, extra={"X-SPARQL-MaxRows": "2"})
        elif path == "/anytime":
            extra = {"X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete results"}
            self._reply(200, ROWS, extra=extra)
        elif path in {"/short", "/short-ask", "/short-many"}:
            whole = {"/short": ROWS, "/short-ask": ASK_TRUE, "/short-many": MANY_ROWS}[path]
            self.send_response(200)
            self.send_header("Content-Type", RESULTS)
            self.send_header("Content-Length", str(len(whole) + 40))
            self.end_headers()
            self.wfile.write(whole)
            self.close_connection = True
        elif path == "/both":
            extra = {"X-SPARQL-MaxRows": "2", "X-SQL-State": "S1TAT", "X-SQL-Message": "RC"}
            self._reply(200, ROWS, extra=extra)
        elif path == "/short-broken":  # the body stops inside the JSON
            self.send_response(200)
            self.send_header("Content-Type", RESULTS)
            self.send_header("Content-Length", str(len(ROWS)))
            self.end_headers()
            self.wfile.write(ROWS[:40])
            self.close_connection = True
        elif path == "/refuses-gbk":
            self._reply(503, "服务器忙".encode("gbk"), "text/plain")
        elif path in {"/short-ask-broken", "/short-ask-capped"}:
            broken = path == "/short-ask-broken"
            self.send_response(200)
            self.send_header("Content-Type", RESULTS)
            self.send_header("Content-Length", str(len(ASK_TRUE) + (0 if broken else 40)))
            if not broken:
                self.send_header("X-SPARQL-MaxRows", "1")
            self.end_headers()
            self.wfile.write(ASK_TRUE[:12] if broken else ASK_TRUE)
            self.close_connection = True
        elif path == "/ask-table":
            self._reply(200, ASK_TABLE)
        elif path == "/bnodes":
            self._reply(200, VIRTUOSO_BNODES)
        elif path == "/html":
            self._reply(200, b"<html>a form</html>", "text/html")
        elif path == "/rows":
            self._reply(200, ROWS)
        else:
            self._reply(200, ASK_TRUE)


@pytest.fixture(scope="module")
def scripted() -> Iterator[str]:
    with running(ThreadingHTTPServer(("127.0.0.1", 0), Scripted)) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def seen() -> list[tuple[str, str, dict[str, str], bytes]]:
    """The scripted server's record of this test's requests."""
    Scripted.seen.clear()
    return Scripted.seen


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh ``oxigraph serve``'s base URL."""
    with serving_oxigraph(tmp_path_factory.mktemp("client-mutants")) as base:
        yield base


# ---------------------------------------------------------------- credentials
def test_credentials_hide_the_password() -> None:
    assert repr(Credentials("alice", "s3cret")) == "Credentials(user='alice', password=<hidden>)"


def test_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "s3cret")
    monkeypatch.setenv("OTHER_PASSWORD", "other")
    assert Credentials.from_env("alice") == Credentials("alice", "s3cret")
    assert Credentials.from_env("bob", "OTHER_PASSWORD") == Credentials("bob", "other")
    assert Credentials.from_env(None) is None and Credentials.from_env("") is None
    monkeypatch.delenv(PASSWORD_ENV)
    with pytest.raises(
        MissingPassword,
        match=r"^--user alice needs the password in the environment variable KG_PASSWORD "
        r"\(it is never read from the command line\)$",
    ):
        Credentials.from_env("alice")
    monkeypatch.setenv(PASSWORD_ENV, "")
    assert Credentials.from_env("alice") == Credentials("alice", "")


# ---------------------------------------------------------------- URLs
@pytest.mark.parametrize("which", [0, 1, 2])
def test_a_password_in_any_url_is_refused_without_showing_it(which: int) -> None:
    urls: list[str | None] = ["http://h/query", "http://h/update", "http://h/store"]
    urls[which] = "http://alice:s3cret@h:8890/sparql?x=1"
    with pytest.raises(
        CredentialsInUrl,
        match=r"^http://h:8890/sparql: a user name or password in the URL is refused; use "
        r"--user NAME and the password in the environment variable KG_PASSWORD$",
    ):
        SparqlClient(*urls)


@pytest.mark.parametrize("which", [0, 1, 2])
def test_every_url_must_be_http(which: int) -> None:
    urls: list[str | None] = ["http://h/query", "https://h/update", "http://h/store"]
    urls[which] = "ftp://h/sparql"
    with pytest.raises(RemoteError, match=r"^endpoint must be an http\(s\) URL: ftp://h/sparql$"):
        SparqlClient(*urls)


def test_a_url_with_a_second_at_sign_shows_no_part_of_the_password() -> None:
    with pytest.raises(CredentialsInUrl, match=r"^http://h:8890/sparql: a user name") as refused:
        SparqlClient("http://alice:pa@ss@h:8890/sparql")
    assert "pa" not in str(refused.value).split(":", 2)[1]


def test_a_url_after_one_not_given_is_checked_too() -> None:
    with pytest.raises(RemoteError, match=r"^endpoint must be an http\(s\) URL: ftp://h/store$"):
        SparqlClient("http://h/query", None, "ftp://h/store")


def test_the_update_url_defaults_to_the_query_url() -> None:
    client = SparqlClient("http://h/q", timeout=7.5)
    assert (client.query_url, client.update_url, client.graph_store) == ("http://h/q",) * 2 + (
        None,
    )
    assert (client.timeout, client.requests) == (7.5, 0)
    other = SparqlClient("http://h/q", "http://h/u", "http://h/s")
    assert (other.update_url, other.graph_store, other.timeout) == ("http://h/u", "http://h/s", 30)


# ---------------------------------------------------------------- the wire
def test_short_queries_go_as_get_and_long_ones_as_a_form(
    scripted: str, seen: list[tuple[str, str, dict[str, str], bytes]]
) -> None:
    client = SparqlClient(scripted + "/ask")
    prefix = f"{scripted}/ask?" + urllib.parse.urlencode([("query", "")])
    fits = "A" * (MAX_GET_URL - len(prefix))
    assert client.query(fits, "ASK").boolean is True
    assert client.query(fits + "A", "ASK").boolean is True
    (method, path, headers, body), (method2, path2, headers2, body2) = seen
    assert (method, body, len(scripted) + len(path)) == ("GET", b"", MAX_GET_URL)
    assert headers["Accept"].startswith("application/sparql-results+json")
    assert "Content-Type" not in headers
    assert (method2, path2) == ("POST", "/ask")
    assert headers2["Content-Type"] == "application/x-www-form-urlencoded"
    assert urllib.parse.parse_qs(body2.decode()) == {"query": [fits + "A"]}
    assert client.requests == 2


def test_a_query_url_with_parameters_gets_the_query_after_them(
    scripted: str, seen: list[tuple[str, str, dict[str, str], bytes]]
) -> None:
    SparqlClient(scripted + "/ask?timeout=5").query("ASK {}", "ASK", [EX + "d"], [EX + "n"])
    [(_, path, _, _)] = seen
    assert urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query) == [
        ("timeout", "5"),
        ("query", "ASK {}"),
        ("default-graph-uri", EX + "d"),
        ("named-graph-uri", EX + "n"),
    ]


def test_each_request_is_logged_without_its_query(
    scripted: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="kg.remote.client"):
        SparqlClient(scripted + "/ask").query("ASK { ?secret ?p ?o }", "ASK")
        SparqlClient(scripted + "/ask").update("DROP SILENT GRAPH <http://example.org/g>")
    assert [r.getMessage() for r in caplog.records if r.name == "kg.remote.client"] == [
        f"GET {scripted}/ask (0 bytes sent)",
        f"POST {scripted}/ask (59 bytes sent)",
    ]


def test_a_406_is_asked_again_with_any_type(
    scripted: str, seen: list[tuple[str, str, dict[str, str], bytes]]
) -> None:
    assert SparqlClient(scripted + "/picky").query("ASK {}", "ASK").boolean is True
    assert [h["Accept"] for _, _, h, _ in seen][1] == "*/*"
    assert len(seen) == 2


def test_a_refusal_is_one_line_with_its_status(scripted: str) -> None:
    client = SparqlClient(scripted + "/refuses")
    with pytest.raises(
        RemoteError, match=rf"^{scripted}/refuses answered 503: busy try later$"
    ) as err:
        client.query("ASK { ?s ?p ?o }", "ASK")
    assert err.value.status == 503
    with pytest.raises(RemoteError, match=rf"^{scripted}/silent answered 404: Not Found$"):
        SparqlClient(scripted + "/silent").update("DROP ALL")


def test_an_unreachable_server_is_named(scripted: str) -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    with pytest.raises(RemoteError, match=rf"^cannot reach {url}: ") as err:
        SparqlClient(url).query("ASK {}", "ASK")
    assert err.value.status is None


def test_a_reply_that_is_not_http_is_named() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)

    def answer() -> None:
        connection, _ = sock.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b"SPARQL!\r\n\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"
    try:
        with pytest.raises(RemoteError, match=rf"^{url} sent a malformed reply \(.*SPARQL!.*\)$"):
            SparqlClient(url).query("ASK {}", "ASK")
    finally:
        thread.join(timeout=10)
        sock.close()


def test_basic_auth_answers_on_every_url(
    scripted: str, seen: list[tuple[str, str, dict[str, str], bytes]]
) -> None:
    who = Credentials("alice", "s3cret")
    client = SparqlClient(scripted + "/q", scripted + "/basic", scripted + "/basic", who)
    client.update("DROP ALL")
    client.post_quads(b"")
    client.graph_store_request("DELETE", EX + "g", None)
    assert SparqlClient(scripted + "/basic", credentials=who).query("ASK {}", "ASK").boolean
    with pytest.raises(RemoteError, match="answered 401") as refused:
        SparqlClient(scripted + "/basic").query("ASK {}", "ASK")
    assert refused.value.status == 401
    wrong = Credentials("alice", "wrong")
    with pytest.raises(RemoteError, match="answered 401"):
        SparqlClient(scripted + "/q", scripted + "/basic", credentials=wrong).update("DROP ALL")


def test_an_unknown_auth_scheme_is_one_line(scripted: str) -> None:
    client = SparqlClient(scripted + "/negotiate", credentials=Credentials("alice", "s3cret"))
    with pytest.raises(RemoteError, match=rf"^{scripted}/negotiate: .*Negotiate"):
        client.query("ASK {}", "ASK")


# ---------------------------------------------------------------- answers
def test_a_row_cap_announced_refuses_the_answer_or_says_so(scripted: str) -> None:
    client = SparqlClient(scripted + "/capped")
    cut = (
        rf"^the answer is incomplete: {scripted}/capped cut its answer at its own cap of 2 "
        r"rows \(X-SPARQL-MaxRows; "
        r"Virtuoso's ResultSetMaxRows\): ask for fewer rows \(LIMIT, or --max-rows 2\) or raise "
        r"the cap \(kg query --allow-partial accepts it\)$"
    )
    with pytest.raises(PartialAnswer, match=cut):
        client.query("SELECT ?s {}", "SELECT")
    with pytest.raises(PartialAnswer, match=cut):
        client.query("SELECT ?s {}", "SELECT", max_rows=3)
    assert len(client.query("SELECT ?s {}", "SELECT", max_rows=2).rows) == 2  # asked no more
    partial = client.query("SELECT ?s {}", "SELECT", allow_partial=True)
    assert len(partial.rows) == 2 and partial.partial is not None
    assert partial.partial.startswith(f"{scripted}/capped cut its answer at its own cap of 2")
    assert client.query("SELECT ?s {}", "SELECT", max_rows=2).partial is None


def test_a_time_limit_announced_refuses_the_answer_or_says_so(scripted: str) -> None:
    client = SparqlClient(scripted + "/anytime")
    said = (
        rf"^the answer is incomplete: {scripted}/anytime stopped the query at its time limit "
        r"and sent what it had found "
        r"\(X-SQL-State S1TAT: RC\.\.\.: Returning incomplete results\): give it more time "
        r"\(the timeout in the URL\) or ask for less \(kg query --allow-partial accepts it\)$"
    )
    with pytest.raises(PartialAnswer, match=said):
        client.query("SELECT ?s {}", "SELECT", max_rows=10)
    partial = client.query("SELECT ?s {}", "SELECT", allow_partial=True)
    assert len(partial.rows) == 2 and partial.partial and "time limit" in partial.partial


def test_a_body_cut_short_is_partial(scripted: str) -> None:
    client = SparqlClient(scripted + "/short")
    with pytest.raises(
        PartialAnswer,
        match=rf"^the answer is incomplete: {scripted}/short sent a body 40 bytes shorter than",
    ):
        client.query("SELECT ?s {}", "SELECT")
    partial = client.query("SELECT ?s {}", "SELECT", allow_partial=True)
    assert (
        partial.partial == f"{scripted}/short sent a body 40 bytes shorter than its Content-Length"
    )
    with pytest.raises(PartialAnswer, match="40 bytes shorter"):  # an ASK cut short: no answer
        SparqlClient(scripted + "/short-ask").query("ASK {}", "ASK", allow_partial=True)


def test_a_whole_answer_is_not_partial(scripted: str) -> None:
    result = SparqlClient(scripted + "/rows").query("SELECT ?s {}", "SELECT")
    assert [str(row[0].value) for row in result.rows] == [EX + "a", EX + "b"]
    assert result.partial is None and not result.truncated
    few = SparqlClient(scripted + "/rows").query("SELECT ?s {}", "SELECT", max_rows=1)
    assert len(few.rows) == 1 and few.truncated and few.partial is None


def test_virtuosos_blank_node_labels_are_read_again_whole(
    scripted: str, seen: list[tuple[str, str, dict[str, str], bytes]]
) -> None:
    result = SparqlClient(scripted + "/bnodes").query("SELECT ?s {}", "SELECT")
    first, second = (row[0] for row in result.rows)
    assert isinstance(first, ox.BlankNode) and first != second
    assert len(seen) == 2  # asked again, and read whole


def test_an_html_page_is_not_an_answer(scripted: str) -> None:
    with pytest.raises(RemoteError, match=rf"{scripted}/html"):
        SparqlClient(scripted + "/html").query("SELECT ?s {}", "SELECT")


# ---------------------------------------------------------------- against oxigraph serve
def test_every_form_against_oxigraph_serve(oxigraph: str) -> None:
    client = SparqlClient(oxigraph + "/query", oxigraph + "/update", oxigraph + "/store")
    client.update(f"DROP SILENT ALL; INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> <{EX}b> }} }}")
    assert client.query(f"ASK {{ GRAPH <{EX}g> {{ ?s ?p ?o }} }}", "ASK").boolean is True
    rows = client.query(f"SELECT ?o WHERE {{ GRAPH ?g {{ <{EX}a> ?p ?o }} }}", "SELECT").rows
    assert [str(row[0].value) for row in rows] == [EX + "b"]
    built = client.query(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{EX}g> {{ ?s ?p ?o }} }}", "CONSTRUCT"
    )
    assert [(t.subject.value, t.object.value) for t in built.triples] == [(EX + "a", EX + "b")]
    described = client.query(f"DESCRIBE <{EX}a> FROM <{EX}g>", "DESCRIBE")
    assert len(described.triples) == 1
    named = client.query(
        "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }", "SELECT", named_graphs=[EX + "other"]
    )
    assert named.rows == []  # only the named graph asked for
    assert client.requests == 6


def test_graph_store_requests_against_oxigraph_serve(oxigraph: str) -> None:
    client = SparqlClient(oxigraph + "/query", oxigraph + "/update", oxigraph + "/store")
    client.update("DROP SILENT ALL")
    client.graph_store_request("PUT", EX + "g", f"<{EX}a> <{EX}p> <{EX}b> .\n".encode())
    client.graph_store_request("POST", EX + "g", f"<{EX}a> <{EX}p> <{EX}c> .\n".encode())
    client.post_quads(f"<{EX}a> <{EX}p> <{EX}d> <{EX}h> .\n".encode())
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?s ?p ?o } }"
    assert int(client.query(count % (EX + "g"), "SELECT").rows[0][0].value) == 2
    assert int(client.query(count % (EX + "h"), "SELECT").rows[0][0].value) == 1
    client.graph_store_request("DELETE", EX + "g", None)
    assert int(client.query(count % (EX + "g"), "SELECT").rows[0][0].value) == 0


def test_graph_store_requests_need_its_url(
    scripted: str, seen: list[tuple[str, str, dict[str, str], bytes]]
) -> None:
    client = SparqlClient(scripted + "/q")
    with pytest.raises(RemoteError, match=r"^no Graph Store Protocol URL given$"):
        client.graph_store_request("PUT", EX + "g", b"")
    with pytest.raises(RemoteError, match=r"^no Graph Store Protocol URL given$"):
        client.post_quads(b"")
    assert seen == []
    store = SparqlClient(scripted + "/q", graph_store=scripted + "/store")
    store.graph_store_request("PUT", EX + "g", b"<a> <b> <c> .\n")
    store.graph_store_request("DELETE", EX + "g", None)
    store.post_quads(b"<a> <b> <c> <d> .\n")
    (put, put_path, put_headers, put_body), (delete, _, delete_headers, _), (post, path, h, _) = (
        seen
    )
    assert (put, put_body) == ("PUT", b"<a> <b> <c> .\n")
    assert put_path == "/store?" + urllib.parse.urlencode({"graph": EX + "g"})
    assert put_headers["Content-Type"] == "application/n-triples"
    assert delete == "DELETE" and "Content-Type" not in delete_headers
    assert (post, path, h["Content-Type"]) == ("POST", "/store", "application/n-quads")


def test_an_update_is_a_form_to_the_update_url(
    scripted: str, seen: list[tuple[str, str, dict[str, str], bytes]]
) -> None:
    SparqlClient(scripted + "/q", scripted + "/u").update("DROP ALL")
    [(method, path, headers, body)] = seen
    assert (method, path, body) == ("POST", "/u", b"update=DROP+ALL")
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert headers["Accept"] == "text/plain, */*;q=0.1"


def test_send_reads_the_answer_and_what_the_server_says_it_is(
    scripted: str, tmp_path: Path
) -> None:
    reply = SparqlClient(scripted + "/q").send(scripted + "/q", b"x", "POST", {"X-Test": "1"})
    assert (reply.body, reply.media) == (ASK_TRUE, RESULTS)
    assert reply.server.startswith("BaseHTTP/")


def test_a_cap_and_a_time_limit_are_both_said(scripted: str) -> None:
    partial = SparqlClient(scripted + "/both").query("SELECT ?s {}", "SELECT", allow_partial=True)
    assert partial.partial is not None
    cap, limit = partial.partial.rsplit("; ", 1)
    assert cap.endswith("or raise the cap") and limit.startswith(f"{scripted}/both stopped")
    with pytest.raises(PartialAnswer, match=r"or raise the cap; http://127\.0\.0\.1:\d+/both stop"):
        SparqlClient(scripted + "/both").query("SELECT ?s {}", "SELECT")


def test_an_answer_over_the_byte_budget_names_the_url(
    scripted: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.remote.client as client_module

    monkeypatch.setattr(client_module, "MAX_ANSWER_BYTES", 10)
    over = rf"^{scripted}/rows answered more than 10 bytes; ask for less"
    client = SparqlClient(scripted + "/rows", graph_store=scripted + "/rows")
    with pytest.raises(RemoteError, match=over):
        client.post_quads(b"")
    with pytest.raises(RemoteError, match=over):
        client.query("SELECT ?s {}", "SELECT")


def test_a_graph_answer_keeps_its_form_its_row_limit_and_names_its_url(
    oxigraph: str, scripted: str
) -> None:
    client = SparqlClient(oxigraph + "/query", oxigraph + "/update")
    client.update(f"DROP SILENT ALL; INSERT DATA {{ <{EX}a> <{EX}p> <{EX}b> , <{EX}c> , <{EX}d> }}")
    built = client.query("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", max_rows=2)
    assert (built.form, len(built.triples), built.truncated) == ("CONSTRUCT", 2, True)
    assert client.query(f"DESCRIBE <{EX}a>", "DESCRIBE").form == "DESCRIBE"
    assert client.query("SELECT * WHERE { ?s ?p ?o }", "SELECT").form == "SELECT"
    with pytest.raises(RemoteError, match=rf"{scripted}/html"):
        SparqlClient(scripted + "/html").query("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT")


def test_a_body_cut_inside_its_answer_is_an_empty_partial_answer(scripted: str) -> None:
    client = SparqlClient(scripted + "/short-broken")
    result = client.query("SELECT ?s {}", "SELECT", allow_partial=True)
    assert (result.form, result.rows) == ("SELECT", [])
    assert result.partial is not None and "shorter than its Content-Length" in result.partial
    with pytest.raises(PartialAnswer, match="shorter than its Content-Length"):
        client.query("SELECT ?s {}", "SELECT")


def test_rows_past_max_rows_are_never_read_so_a_cut_after_them_is_unseen(scripted: str) -> None:
    client = SparqlClient(scripted + "/short-many")
    with pytest.raises(PartialAnswer, match="40 bytes shorter"):  # read whole: the cut is seen
        client.query("SELECT ?s {}", "SELECT")
    result = client.query("SELECT ?s {}", "SELECT", max_rows=1)
    assert (len(result.rows), result.truncated, result.partial) == (1, True, None)


def test_a_406_to_a_form_is_asked_again_with_the_same_form(
    scripted: str, seen: list[tuple[str, str, dict[str, str], bytes]]
) -> None:
    long = "ASK { " + " ".join(f"<{EX}{i}> ?p ?o ." for i in range(100)) + " }"
    assert SparqlClient(scripted + "/picky").query(long, "ASK").boolean is True
    (first, _, _, sent), (again, _, headers, resent) = seen
    assert (first, again) == ("POST", "POST") and sent and resent == sent
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_an_error_page_that_is_not_utf8_is_one_line(scripted: str) -> None:
    with pytest.raises(RemoteError, match=rf"^{scripted}/refuses-gbk answered 503: \S+$"):
        SparqlClient(scripted + "/refuses-gbk").query("ASK {}", "ASK")


def test_an_ask_answered_as_virtuosos_table_is_a_boolean(scripted: str) -> None:
    result = SparqlClient(scripted + "/ask-table").query("ASK {}", "ASK")
    assert (result.form, result.boolean) == ("ASK", True)


def test_an_ask_cut_inside_its_answer_has_no_answer(scripted: str) -> None:
    client = SparqlClient(scripted + "/short-ask-broken")
    for allow in (False, True):
        with pytest.raises(PartialAnswer, match=rf"{scripted}/short-ask-broken sent a body"):
            client.query("ASK {}", "ASK", allow_partial=allow)


def test_an_ask_cut_after_a_cap_says_both(scripted: str) -> None:
    with pytest.raises(PartialAnswer, match=r"or raise the cap; http://127\.0\.0\.1:\d+/short-ask"):
        SparqlClient(scripted + "/short-ask-capped").query("ASK {}", "ASK", allow_partial=True)
