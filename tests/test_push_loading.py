"""The pieces a push to Virtuoso serves for it to ``LOAD``, and the one-off server of them.

The server is the real one, answering real HTTP requests on loopback.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest

from kg.errors import UsageError
from kg.remote.chunking import chunks, ntriples, split_ntriples
from kg.remote.loading import pieces, serve_address
from kg.remote.piece_server import NQUADS, PieceServer


def status_of(url: str, method: str = "GET") -> int:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code


def test_the_piece_server_serves_exactly_its_pieces_and_nothing_else() -> None:
    with PieceServer("127.0.0.1") as files:
        url = files.add(b"<urn:a> <urn:p> <urn:b> <urn:g> .\n")
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.headers["Content-Type"] == NQUADS
            assert response.read() == b"<urn:a> <urn:p> <urn:b> <urn:g> .\n"
        path = urllib.parse.urlsplit(url).path
        token = path.split("/")[1]
        assert len(token) >= 32
        assert files.fetched == [path]
        for other in ("/", f"/{token}/", f"/{token}", "/x/1.nq", f"{path}?x=1", f"/{token}/2.nq",
                      f"/{token}/../{token}/1.nq", "/etc/passwd"):  # fmt: skip
            assert status_of(files.base + other) == 404, other
        assert status_of(url, "POST") == 501
        assert status_of(url, "HEAD") == 200
        files.remove(url)
        assert status_of(url) == 404
        assert files.fetched == [path]
    with pytest.raises(urllib.error.URLError, match="refused"):
        urllib.request.urlopen(url, timeout=10)


def test_the_piece_server_is_gone_with_its_port_after_the_push() -> None:
    with PieceServer("127.0.0.1") as files:
        port = int(urllib.parse.urlsplit(files.base).port or 0)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    with pytest.raises(ConnectionRefusedError, match="refused"):
        connection.request("GET", "/")


def _graph(name: str, size: int) -> list[ox.Triple]:
    triples = [
        ox.Triple(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(f"值 {i} " * 5))
        for i in range(size)
    ]
    node = ox.BlankNode()
    triples += [
        ox.Triple(ox.NamedNode(f"urn:{name}"), ox.NamedNode("urn:has"), node),
        *(ox.Triple(node, ox.NamedNode(f"urn:q{i}"), ox.Literal(str(i))) for i in range(30)),
    ]
    return triples


def test_pieces_stay_under_the_limit_keep_graph_names_and_blank_node_components() -> None:
    parts = {"urn:g1": _graph("g1", 300), "urn:g2": _graph("g2", 10), "urn:g3": _graph("g3", 50)}
    made = list(pieces(parts, limit=8_000))
    assert len(made) > 3
    assert all(len(data) <= 8_000 for data, _ in made)
    quads = [list(ox.parse(data, format=ox.RdfFormat.N_QUADS)) for data, _ in made]
    assert [len(q) for q in quads] == [count for _, count in made]
    by_graph: dict[str, int] = {}
    for piece in quads:
        for quad in piece:
            by_graph[str(quad.graph_name.value)] = by_graph.get(quad.graph_name.value, 0) + 1
    assert by_graph == {name: len(triples) for name, triples in parts.items()}
    # each graph's blank node and its 31 triples are in one piece (labels are per document)
    holding = [sum(isinstance(q.object, ox.BlankNode) for q in piece) for piece in quads]
    assert sum(holding) == 3
    for piece in quads:
        for node in {q.object for q in piece if isinstance(q.object, ox.BlankNode)}:
            assert sum(q.subject == node for q in piece) == 30


def test_pieces_of_small_graphs_share_one_document() -> None:
    parts = {f"urn:g{i}": _graph(f"g{i}", 2) for i in range(20)}
    assert [count for _, count in pieces(parts)] == [sum(len(t) for t in parts.values())]


def _chained(count: int) -> list[ox.Triple]:
    """Plain triples and chains of blank nodes (a subject and an object blank in one triple)."""
    triples = []
    for i in range(count):
        first, second = ox.BlankNode(f"a{i}"), ox.BlankNode(f"b{i}")
        triples += [
            ox.Triple(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(f"v{i} x" * 3)),
            ox.Triple(second, ox.NamedNode("urn:q"), ox.Literal(f"{i}")),
            ox.Triple(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:has"), first),
            ox.Triple(first, ox.NamedNode("urn:next"), second),
        ]
    return triples


@pytest.mark.parametrize("limit", [200, 1_000, 5_000, 10**6])
def test_lines_split_as_the_triples_would_be(limit: int) -> None:
    # the same documents as chunks() makes of the triples, read from their N-Triples bytes
    triples = _chained(60)
    made = list(split_ntriples(ntriples(triples), limit))
    expected = list(chunks(triples, max_triples=len(triples), max_bytes=limit))
    assert [(ntriples(chunk), len(chunk)) for chunk in expected] == made


def test_a_literal_that_reads_like_a_blank_node_joins_no_component() -> None:
    node = ox.BlankNode("x")
    tricky = [
        ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("see _:x")),
        ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("_:x", language="en")),
        ox.Triple(node, ox.NamedNode("urn:p"), ox.Literal("a")),
        ox.Triple(ox.NamedNode("urn:t"), ox.NamedNode("urn:p"), node),
    ]
    text = ntriples(tricky)
    line = len(max(text.split(b"\n"), key=len)) + 1
    made = list(split_ntriples(text, 2 * line))
    # the component (two triples) first, whole, then the literals, one document each at most
    assert made[0][1] == 2
    first = [q.triple for q in ox.parse(made[0][0], format=ox.RdfFormat.N_TRIPLES)]
    assert first[0].subject == first[1].object and isinstance(first[0].subject, ox.BlankNode)
    rest = [q.triple for data, _ in made[1:] for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    assert rest == tricky[:2]
    assert sum(count for _, count in made) == 4


def test_a_line_larger_than_a_document_goes_alone() -> None:
    long = ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("x" * 500))
    short = [
        ox.Triple(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal("y"))
        for i in range(3)
    ]
    text = ntriples([*short, long, *short])
    made = list(split_ntriples(text, 100))  # three short lines fit in 100 bytes, the long one not
    assert [count for _, count in made] == [3, 1, 3]
    assert made == [(ntriples(c), len(c)) for c in chunks([*short, long, *short], 7, 100)]
    assert b"".join(data for data, _ in made) == text
    assert list(split_ntriples(text[:-1], 100)) == made  # a last line without its line break
    assert list(split_ntriples(b"", 100)) == []


def test_load_by_default_only_to_a_virtuoso_on_loopback() -> None:
    virtuoso = "Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu"
    for host in ("127.0.0.1", "localhost", "[::1]"):
        assert serve_address(f"http://{host}:8890/sparql", virtuoso, None) == ("127.0.0.1", 0)
    assert serve_address("http://db.example:8890/sparql", virtuoso, None) is None
    assert serve_address("http://127.0.0.1:7878/update", "Oxigraph/0.5.13", None) is None
    given = serve_address("http://db.example:8890/sparql", virtuoso, "10.0.0.5:8000")
    assert given == ("10.0.0.5", 8000)
    assert serve_address("http://127.0.0.1:8890/sparql", virtuoso, None, "sparql-only") is None


@pytest.mark.parametrize(
    ("server", "serve_data", "other", "said"),
    [
        ("Oxigraph/0.5.13", "127.0.0.1", None, "--serve-data is for Virtuoso"),
        ("Virtuoso/07.20.3229", "0.0.0.0", None, "not a wildcard"),
        ("Virtuoso/07.20.3229", "[::]:80", None, "not a wildcard"),
        ("Virtuoso/07.20.3229", "host:port", None, "HOST or HOST:PORT"),
        ("Virtuoso/07.20.3229", "10.0.0.5", "sparql-only", "not with --sparql-only"),
        ("Virtuoso/", None, "load", "give --serve-data to resume it"),
    ],
)
def test_serve_data_refused_where_it_cannot_work(
    server: str, serve_data: str | None, other: str | None, said: str
) -> None:
    with pytest.raises(UsageError, match=said):
        serve_address("http://db.example:8890/sparql", server, serve_data, other)
