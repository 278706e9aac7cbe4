"""The wire under the SPARQL client (:mod:`kg.remote.wire`): one-line errors, budgets, headers.

Real HTTP answers from a small server on loopback, read with ``http.client`` as the client
reads them: headers that announce a cut, a chunked body closed before its last chunk, a body
shorter than its ``Content-Length``; and server error pages as Virtuoso and others write them.
"""

from __future__ import annotations

import http.client
import io
from collections.abc import Iterator

import pytest
from loopback_http import serving_raw

from kg.remote.wire import (
    MAX_ERROR_CHARS,
    Budgeted,
    RemoteError,
    malformed,
    media_type,
    one_line,
    reply_of,
    shown,
)

#: What the raw server answers, by path.
ANSWERS = {
    "/headers": (
        b"HTTP/1.1 200 OK\r\nContent-Type: Application/SPARQL-Results+JSON; charset=utf-8\r\n"
        b"X-SPARQL-MaxRows: 1000\r\nX-SQL-State:  s1tat \r\nX-SQL-Message: RC...: Returning "
        b"incomplete results, query interrupted by result timeout.  Activity:  1R rnd 0R seq\r\n"
        b"Server: Virtuoso/07.20.3240\r\nContent-Length: 2\r\n\r\n{}"
    ),
    "/plain": b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}",
    "/odd-cap": (
        b"HTTP/1.1 200 OK\r\nX-SPARQL-MaxRows: 10 rows\r\nX-SQL-State: 08S01\r\n"
        b"Content-Length: 2\r\n\r\n{}"
    ),
    "/quiet-anytime": (
        b"HTTP/1.1 200 OK\r\nX-SQL-State: S1TAT\r\nX-SQL-Message: . \r\nContent-Length: 2\r\n\r\n{}"
    ),
    "/superscript-cap": b"HTTP/1.1 200 OK\r\nX-SPARQL-MaxRows: \xb2\r\nContent-Length: 2\r\n\r\n{}",
    "/silent-anytime": b"HTTP/1.1 200 OK\r\nX-SQL-State: S1TAT\r\nContent-Length: 2\r\n\r\n{}",
    "/length-cut-1": b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n123456789",
    "/chunked-cut": (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n10\r\nshort"
    ),
    "/length-cut": b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly this",
}


@pytest.fixture(scope="module")
def raw() -> Iterator[tuple[str, int]]:
    with serving_raw(ANSWERS.get) as address:
        yield address


def answer(raw: tuple[str, int], path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(*raw, timeout=10)
    connection.request("GET", path)
    return connection.getresponse()


def test_a_remote_error_keeps_its_status() -> None:
    assert RemoteError("x", 503).status == 503 and RemoteError("x").status is None
    assert str(RemoteError("the message", 404)) == "the message"


def test_an_error_page_is_one_line_without_tags_or_the_echoed_query() -> None:
    page = "<html><body><h1>Error</h1>\n<p>Virtuoso 37000 Error SP030:\n  near }</p>"
    assert one_line(page) == "Error Virtuoso 37000 Error SP030: near }"
    echoed = "Virtuoso 37000 Error SP030: syntax SPARQL query: SELECT * { ?s ?p ?o }"
    assert one_line(echoed) == "Virtuoso 37000 Error SP030: syntax"
    assert one_line("bad SPARQL request: define input:x SELECT") == "bad"
    twice = "Error SPARQL query: SELECT 1 SPARQL query: SELECT 2"
    assert one_line(twice) == "Error"
    assert one_line("a" * MAX_ERROR_CHARS) == "a" * MAX_ERROR_CHARS
    assert one_line("a" * (MAX_ERROR_CHARS + 1)) == "a" * (MAX_ERROR_CHARS - 1) + "…"
    assert one_line("  \n ") == ""


@pytest.mark.parametrize(
    ("header", "media"),
    [
        ("Application/SPARQL-Results+JSON; charset=utf-8", "application/sparql-results+json"),
        (" text/turtle ", "text/turtle"),
        (None, ""),
        ("", ""),
        ("text/html; charset=utf-8; q=1", "text/html"),
    ],
)
def test_the_media_type_of_a_header(header: str | None, media: str) -> None:
    assert media_type(header) == media


def test_a_url_is_shown_without_its_query() -> None:
    assert shown("http://h:8890/sparql?query=SELECT+secret#top") == "http://h:8890/sparql#top"
    assert shown("http://h/sparql") == "http://h/sparql"


def test_a_malformed_reply_is_named_by_its_error() -> None:
    assert malformed(http.client.BadStatusLine("SPARQL!\r\n")) == "SPARQL!"
    assert malformed(http.client.LineTooLong("header")) == (
        "got more than 65536 bytes when reading header"
    )
    assert malformed(http.client.IncompleteRead(b"")) == "IncompleteRead(0 bytes read)"
    assert malformed(http.client.HTTPException()) == "HTTPException"


def test_the_headers_say_the_media_type_the_cuts_and_the_server(raw: tuple[str, int]) -> None:
    with answer(raw, "/headers") as response:
        reply = reply_of(response, b"{}")
    assert reply.body == b"{}"
    assert (reply.media, reply.row_cap, reply.server) == (
        "application/sparql-results+json",
        1000,
        "Virtuoso/07.20.3240",
    )
    assert reply.anytime == (
        "X-SQL-State S1TAT: RC...: Returning incomplete results, query interrupted by result "
        "timeout"
    )


def test_headers_that_say_nothing_of_a_cut(raw: tuple[str, int]) -> None:
    with answer(raw, "/plain") as response:
        reply = reply_of(response, b"")
    assert (reply.media, reply.row_cap, reply.anytime, reply.server) == ("", None, None, "")
    with answer(raw, "/odd-cap") as response:
        odd = reply_of(response, b"")
    assert (odd.row_cap, odd.anytime) == (None, None)
    for path in ("/quiet-anytime", "/silent-anytime"):
        with answer(raw, path) as response:
            assert reply_of(response, b"").anytime == "X-SQL-State S1TAT: incomplete results"


def test_a_cap_in_other_digits_is_no_cap(raw: tuple[str, int]) -> None:
    with answer(raw, "/superscript-cap") as response:  # "²" is a digit to Python, not to int()
        assert response.headers["X-SPARQL-MaxRows"] == "²"
        assert reply_of(response, b"").row_cap is None


def test_a_budget_reads_up_to_its_limit_and_no_further() -> None:
    stream = Budgeted(io.BytesIO(b"x" * 10), 10)
    assert stream.readable()
    assert stream.read() == b"x" * 10 and stream.failure is None and stream.cut is None
    stream.check("http://h/sparql")
    assert stream.left == 0 and stream.limit == 10
    over = Budgeted(io.BytesIO(b"x" * 15), 10)
    assert over.read() == b""
    assert over.failure == (
        "answered more than 10 bytes; ask for less (LIMIT, or --max-rows: rows past it are "
        "never read)"
    )
    with pytest.raises(RemoteError, match=r"^http://h/sparql answered more than 10 bytes; ask"):
        over.check("http://h/sparql")
    assert over.read() == b""  # failed: ended, though four bytes are left that would fit


def test_a_budget_of_thousands_is_written_with_separators() -> None:
    over = Budgeted(io.BytesIO(b"x" * 1001), 1000)
    over.read()
    assert over.failure is not None and over.failure.startswith("answered more than 1,000 bytes")


def test_a_budget_asks_one_byte_past_what_is_left_and_counts_every_read() -> None:
    body = io.BytesIO(b"x" * 100)
    assert Budgeted(body, 10).readinto(bytearray(50)) == 0 and body.tell() == 11
    stream = Budgeted(io.BytesIO(b"x" * 150), 100)
    read = []
    while n := stream.readinto(buffer := bytearray(40)):
        read.append(bytes(buffer[:n]))
    assert [len(part) for part in read] == [40, 40] and stream.left == 20
    assert stream.failure is not None and stream.failure.startswith("answered more than 100 ")


def test_a_read_is_at_most_64_kib() -> None:
    stream = Budgeted(io.BytesIO(b"x" * 200_000), 1 << 30)
    assert stream.readinto(bytearray(200_000)) == 1 << 16
    assert Budgeted(io.BytesIO(b"x" * 200_000), 10).readinto(bytearray(100)) == 0  # 11 > 10


def test_a_chunked_body_closed_before_its_last_chunk_is_cut(raw: tuple[str, int]) -> None:
    with answer(raw, "/chunked-cut") as response:
        stream = Budgeted(response, 1 << 20)
        data = stream.read()
    assert data.startswith(b"hello")
    assert stream.cut == "closed the connection before the last chunk of its answer"
    assert stream.failure is None and stream.read() == b""


def test_a_body_shorter_than_its_length_is_cut(raw: tuple[str, int]) -> None:
    with answer(raw, "/length-cut") as response:
        stream = Budgeted(response, 1 << 20)
        assert stream.read() == b"only this"
    assert stream.cut == "sent a body 991 bytes shorter than its Content-Length"
    stream.check("http://h/sparql")  # a cut is no failure


def test_a_body_one_byte_short_is_cut(raw: tuple[str, int]) -> None:
    with answer(raw, "/length-cut-1") as response:
        stream = Budgeted(response, 1 << 20)
        assert stream.read() == b"123456789"
    assert stream.cut == "sent a body 1 bytes shorter than its Content-Length"


def test_a_failed_read_ends_the_body_and_is_named() -> None:
    class Broken(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def read(self, size: int | None = -1) -> bytes:
            raise ConnectionResetError(104, "Connection reset by peer")

    stream = Budgeted(Broken(), 100)
    assert stream.read() == b""
    assert stream.failure == "sent a malformed reply ([Errno 104] Connection reset by peer)"
    with pytest.raises(RemoteError, match=r"^http://h/s sent a malformed reply \(\[Errno 104\]"):
        stream.check("http://h/s")
