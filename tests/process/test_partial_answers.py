"""An endpoint's incomplete answer is never passed on as the answer (``kg query --endpoint``).

A server may send part of an answer with ``200 OK``: Virtuoso cuts it at its
``ResultSetMaxRows`` (saying so in ``X-SPARQL-MaxRows``) and, when the query URL carries a
``timeout``, sends what it found when the time ran out (an "anytime" answer, ``X-SQL-State:
S1TAT``); any server's connection may close before the body it announced. Each is refused in one
line, exit 1, or printed with a warning under ``--allow-partial``. Against a real Virtuoso whose
row cap is lowered to 5, and a loopback server that cuts its bodies.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from kg_server import start
from loopback_http import serving_raw
from virtuoso_server import capped_virtuoso  # noqa: F401 - the fixture, used by name below

import kg
from kg.query.results import PartialAnswer
from kg.remote import staging
from kg.remote.client import SparqlClient
from kg.remote.engine import EndpointEngine
from kg.remote.staging import SCAN_FROM, count_triples

ROOT = Path(__file__).resolve().parents[2]
ANY_TRIPLES = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 50"  # its system graphs hold more than 5
#: Three scans of Virtuoso's system triples, crossed: minutes of work, stopped by a timeout.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def kg_query(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", "query", *args],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=dict(os.environ),
    )  # fmt: skip


def anytime_query(*args: str) -> subprocess.CompletedProcess[str]:
    """``kg query`` of an anytime answer. Whether Virtuoso answers one is its own race: on a busy
    machine it may instead cancel the statement (500, ``SR203 … killed by SQLCancel``), which is
    no partial answer; such a reply is asked again, at most four times."""
    for _ in range(4):
        done = kg_query(*args)
        if "SR203" not in done.stderr:
            break
    return done


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in done.stderr, done.stderr[-800:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


# ---------------------------------------------------------------- Virtuoso's own cuts
def test_an_answer_cut_at_the_servers_row_cap_is_refused(capped_virtuoso: str) -> None:  # noqa: F811
    client = SparqlClient(capped_virtuoso, timeout=30)
    with pytest.raises(PartialAnswer, match="cut its answer at its own cap of 5 rows"):
        client.query(ANY_TRIPLES, "SELECT")
    small = client.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3", "SELECT")
    assert len(small.rows) == 3 and not small.truncated  # under the cap: complete
    ours = client.query(ANY_TRIPLES, "SELECT", max_rows=4)
    assert len(ours.rows) == 4 and ours.truncated and ours.partial is None  # our own cut first
    done = kg_query("--endpoint", capped_virtuoso, ANY_TRIPLES)
    assert done.returncode == 1, done.stderr[-800:]
    line = one_line(done)
    assert "incomplete" in line and "own cap of 5 rows" in line and "--allow-partial" in line
    assert done.stdout == ""


def test_a_push_count_cut_at_the_row_cap_counts_again_graph_by_graph(
    capped_virtuoso: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A count by one scan of the store whose answer (one row a graph) the row cap cuts is not
    taken as the counts: the graphs are counted again by ``UNION``, absent ones 0 (four graphs a
    query here: an answer of 5 rows, the cap, reads as cut)."""
    monkeypatch.setattr(staging, "COUNTS_PER_QUERY", 4)
    graphs = {f"urn:x-kg-test:cap:{i}": i + 1 for i in range(8)}
    data = " ".join(
        f"GRAPH <{name}> {{ " + " ".join(f"<urn:x:s{j}> <urn:x:p> {j} ." for j in range(n)) + " }"
        for name, n in graphs.items()
    )
    client = SparqlClient(capped_virtuoso, update_url=capped_virtuoso, timeout=30)
    client.update(f"INSERT DATA {{ {data} }}")
    names = [*graphs, *(f"urn:x-kg-test:cap:absent:{i}" for i in range(SCAN_FROM))]
    before = client.requests
    assert count_triples(client, names) == graphs
    assert client.requests - before == 2 + -(-len(names) // 4)  # total, the cut scan, UNIONs


def test_the_graphs_of_a_store_with_more_than_the_row_cap_are_read_page_by_page(
    capped_virtuoso: str,  # noqa: F811
) -> None:
    """``kg serve --endpoint`` lists the server's graphs at start (the service description, the
    graphs a request may name): more graphs than the cap of 5 rows are read 4 a page, after the
    last name of the page before."""
    client = SparqlClient(capped_virtuoso, update_url=capped_virtuoso, timeout=30)
    names = [f"urn:x-kg-test:page:{i:02}" for i in range(11)]
    client.update("INSERT DATA { " + " ".join(f"GRAPH <{n}> {{ <urn:x:s> <urn:x:p> 1 }}"
                                              for n in names) + " }")  # fmt: skip
    every = client.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "SELECT",
                         allow_partial=True)  # fmt: skip
    assert every.partial is not None  # more than the cap
    listed = EndpointEngine(capped_virtuoso, timeout=30).graph_names()
    assert set(names) <= listed and len(listed) >= len(names) + 3  # and Virtuoso's own graphs


def test_allow_partial_prints_the_cut_answer_with_a_warning(capped_virtuoso: str) -> None:  # noqa: F811
    done = kg_query("--endpoint", capped_virtuoso, "--allow-partial", "-f", "tsv", ANY_TRIPLES)
    assert done.returncode == 0, done.stderr[-800:]
    assert len(done.stdout.strip().splitlines()) == 1 + 5  # the header and the 5 rows it sent
    assert one_line(done).startswith("warning: the answer is incomplete: ")
    graph = kg.load(endpoint=capped_virtuoso)
    result = graph.query(ANY_TRIPLES, allow_partial=True)
    assert len(result.rows) == 5 and result.partial and "own cap of 5 rows" in result.partial
    with pytest.raises(PartialAnswer, match=r"the answer is incomplete: .* own cap of 5 rows"):
        graph.query(ANY_TRIPLES)


def test_an_anytime_answer_is_refused_and_allowed_with_a_warning(capped_virtuoso: str) -> None:  # noqa: F811
    """With ``timeout`` (ms) in its URL, Virtuoso answers ``SLOW`` 200 OK with a count of what
    it had seen: a number that is no answer."""
    anytime = capped_virtuoso + "?timeout=200"
    done = anytime_query("--endpoint", anytime, SLOW)
    assert done.returncode == 1, done.stderr[-800:]
    line = one_line(done)
    assert "incomplete" in line and "time limit" in line and "S1TAT" in line
    assert "timeout=" not in line  # the URL is shown without its query string
    allowed = anytime_query("--endpoint", anytime, "--allow-partial", "-f", "tsv", SLOW)
    assert allowed.returncode == 0, allowed.stderr[-800:]
    assert allowed.stdout.splitlines()[0] == "?n"
    assert "S1TAT" in one_line(allowed) and "warning: the answer is incomplete" in allowed.stderr


# ---------------------------------------------------------------- bodies cut short
_ROWS = b"".join(b'{"s":{"type":"uri","value":"http://example.org/%d"}},' % n for n in range(3))
_SELECT = b'{"head":{"vars":["s"]},"results":{"bindings":[' + _ROWS + b'{"s":{"type":"ur'
_TRIPLES = b'<http://e.org/1> <http://e.org/p> "a" .\n<http://e.org/2> <http://e.org/p> "b" .\n<h'
CUT = {
    "/short-select": (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
        b"Content-Length: %d\r\n\r\n" % (len(_SELECT) + 500) + _SELECT
    ),
    "/short-construct": (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/n-triples\r\n"
        b"Content-Length: %d\r\n\r\n" % (len(_TRIPLES) + 500) + _TRIPLES
    ),
    "/cut-chunks": (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n%x\r\n" % len(_SELECT) + _SELECT + b"\r\n"
    ),
    "/short-ask": (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
        b'Content-Length: 500\r\n\r\n{"head":{},"boolean":tr'
    ),
}


@pytest.fixture(scope="module")
def cutting_endpoint() -> Iterator[str]:
    """A raw server answering each connection with the cut reply its path names, then closing."""
    with serving_raw(CUT.get) as (host, port):
        yield f"http://{host}:{port}"


@pytest.mark.parametrize(
    ("path", "query", "said"),
    [
        ("/short-select", "SELECT ?s {}", "500 bytes shorter than its Content-Length"),
        ("/short-construct", "CONSTRUCT WHERE { ?s ?p ?o }", "shorter than its Content-Length"),
        ("/cut-chunks", "SELECT ?s {}", "closed the connection before the last chunk"),
    ],
)
def test_a_body_cut_short_is_refused_or_kept_up_to_the_cut(
    cutting_endpoint: str, path: str, query: str, said: str
) -> None:
    done = kg_query("--endpoint", cutting_endpoint + path, query)
    assert done.returncode == 1, done.stderr[-800:]
    line = one_line(done)
    assert "the answer is incomplete" in line and said in line and path in line
    fmt = "ntriples" if query.startswith("CONSTRUCT") else "tsv"
    allowed = kg_query("--endpoint", cutting_endpoint + path, "--allow-partial", "-f", fmt, query)
    assert allowed.returncode == 0, allowed.stderr[-800:]
    whole = [line for line in allowed.stdout.splitlines() if line.startswith("<")]
    assert len(whole) == (2 if fmt == "ntriples" else 3)  # each that arrived whole, none made up
    assert said in one_line(allowed)


def test_an_ask_cut_short_has_no_answer_even_when_partial_is_allowed(
    cutting_endpoint: str,
) -> None:
    done = kg_query("--endpoint", cutting_endpoint + "/short-ask", "--allow-partial", "ASK {}")
    assert done.returncode == 1, done.stderr[-800:]
    assert "shorter than its Content-Length" in one_line(done)


def test_kg_serve_answers_502_for_a_relayed_answer_cut_at_the_servers_cap(
    capped_virtuoso: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    """``kg serve --endpoint`` reads nothing whole at start (labels and names are asked for when
    needed); an answer the server cuts at its own cap is never relayed as if whole: 502, saying
    why (the status table), while an answer under the cap is relayed."""
    server = start(["--endpoint", capped_virtuoso], tmp_path / "stderr.log")
    try:
        answers = {}
        for name, query in (
            ("cut", ANY_TRIPLES),
            ("whole", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"),
        ):
            connection = server.connection()
            connection.request(
                "GET",
                "/sparql?" + urllib.parse.urlencode({"query": query}),
                headers={"Accept": "application/sparql-results+json"},
            )
            response = connection.getresponse()
            answers[name] = (response.status, response.read().decode("utf-8"))
            connection.close()
    finally:
        server.stop()
    status, body = answers["cut"]
    assert status == 502 and "own cap of 5 rows" in body
    status, body = answers["whole"]
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3
