"""A push by ``LOAD`` (:mod:`kg.remote.loading`) and the one-off server of its pieces
(:mod:`kg.remote.piece_server`): the cases mutation testing showed missing.

The piece server is the real one, on loopback. The ``LOAD`` requests go to a real scratch
``oxigraph serve`` where the server must refuse them (Oxigraph does not ``LOAD`` N-Quads into
named graphs: ``Named graphs are not allowed``), and, where the server must take them, to a small
update endpoint on loopback that does what Virtuoso's ``LOAD`` does: it fetches each piece's URL
over HTTP and reads it as N-Quads into a pyoxigraph store. (A real Virtuoso takes ten seconds and
more to start, once per mutant: ``tests/process/test_virtuoso_load.py`` pushes to one.)
"""

from __future__ import annotations

import re
import socket
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from load_endpoint import Loading, get, held, loading  # noqa: F401 - loading: the fixture, by name
from oxigraph_server import free_port, serving_oxigraph

from kg.errors import UsageError
from kg.remote.chunking import chunks
from kg.remote.client import RemoteError, SparqlClient
from kg.remote.loading import (
    PIECE_BYTES,
    PIECES_PER_REQUEST,
    Loader,
    LoadRefused,
    pieces,
    serve_address,
)
from kg.remote.piece_server import NQUADS, PieceServer

VIRTUOSO = "Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu"
P = ox.NamedNode("urn:p")


def plain(graph: str, n: int) -> list[ox.Triple]:
    return [ox.Triple(ox.NamedNode(f"{graph}/s{i}"), P, ox.Literal(str(i))) for i in range(n)]


# ------------------------------------------------------------------- where the pieces are served


def test_a_resumed_load_push_goes_on_by_load() -> None:
    for host in ("127.0.0.1", "localhost", "[::1]"):
        url = f"http://{host}:8890/sparql"
        assert serve_address(url, "Oxigraph/0.5", None, "load") == ("127.0.0.1", 0)
    remote = "http://db.example:8890/sparql"
    assert serve_address(remote, VIRTUOSO, "10.0.0.5:81", "load") == ("10.0.0.5", 81)
    with pytest.raises(
        UsageError, match=r"^this push went by LOAD: give --serve-data to resume it$"
    ):
        serve_address(remote, VIRTUOSO, None, "load")
    with pytest.raises(
        UsageError, match=r"^this push went by LOAD: give --serve-data to resume it$"
    ):
        serve_address(remote, VIRTUOSO, "", "load")


def test_another_way_to_send_leaves_load_out() -> None:
    local = "http://127.0.0.1:8890/sparql"
    for other in ("graph-store", "sparql-only", "bulk"):
        assert serve_address(local, VIRTUOSO, None, other) is None
        assert serve_address(local, VIRTUOSO, "", other) is None
        said = f"^--serve-data is a way to send the data: not with --{other}$"
        with pytest.raises(UsageError, match=said):
            serve_address(local, VIRTUOSO, "10.0.0.5", other)


def test_serve_data_is_for_virtuoso_only_and_says_what_the_server_is() -> None:
    url = "http://127.0.0.1:7878/update"
    with pytest.raises(UsageError, match=f"^--serve-data is for Virtuoso; {url} is Oxigraph/0.5$"):
        serve_address(url, "Oxigraph/0.5", "127.0.0.1")
    with pytest.raises(UsageError, match=f"^--serve-data is for Virtuoso; {url} is not$"):
        serve_address(url, "", "127.0.0.1")
    assert serve_address(url, "", None) is None
    assert serve_address(url, "virtuoso/7", None) is None  # the header as Virtuoso writes it
    assert serve_address(url, "OpenLink Virtuoso/7", None) is None


@pytest.mark.parametrize(
    ("given", "address"),
    [
        ("10.0.0.5", ("10.0.0.5", 0)),
        ("10.0.0.5:8000", ("10.0.0.5", 8000)),
        ("[fe80::1]:9", ("fe80::1", 9)),
        ("host.lan", ("host.lan", 0)),
    ],
)
def test_serve_data_names_a_host_and_a_port(given: str, address: tuple[str, int]) -> None:
    assert serve_address("http://db.example:8890/sparql", VIRTUOSO, given) == address
    assert serve_address("http://127.0.0.1:8890/sparql", VIRTUOSO, given) == address


@pytest.mark.parametrize("given", ["0.0.0.0", "[::]", "[::]:80", ":80", "host:port", "h:99999"])
def test_a_wildcard_or_a_broken_serve_data_is_refused(given: str) -> None:
    said = (
        f"--serve-data {given}: give an address of this machine the server can reach "
        "(HOST or HOST:PORT), not a wildcard"
    )
    with pytest.raises(UsageError, match=f"^{re.escape(said)}$"):
        serve_address("http://db.example:8890/sparql", VIRTUOSO, given)


# -------------------------------------------------------------------------------- the pieces


def test_a_piece_holds_whole_graphs_while_they_fit() -> None:
    parts = {"urn:a": plain("urn:a", 3), "urn:b": plain("urn:b", 2), "urn:c": plain("urn:c", 4)}
    sizes = {name: len(pieces({name: t}).__next__()[0]) for name, t in parts.items()}
    # exactly the size of a and b: one piece for both, then one for c
    made = list(pieces(parts, limit=sizes["urn:a"] + sizes["urn:b"]))
    assert [count for _, count in made] == [5, 4]
    assert made[0][0] == b"".join(pieces({n: parts[n]}).__next__()[0] for n in ("urn:a", "urn:b"))
    under = sizes["urn:a"] + sizes["urn:b"] - 1
    assert [count for _, count in pieces(parts, limit=under)] == [3, 2, 4]
    # a graph exactly at the limit is whole
    assert [count for _, count in pieces({"urn:a": parts["urn:a"]}, limit=sizes["urn:a"])] == [3]
    assert list(pieces({})) == []
    assert PIECE_BYTES == 16 * 1024 * 1024


def test_small_graphs_share_a_piece_up_to_the_limit_counted_whole() -> None:
    parts = {name: plain(name, 2) for name in ("urn:a", "urn:b", "urn:c")}
    docs = [next(pieces({name: t}))[0] for name, t in parts.items()]
    assert list(pieces(parts)) == [(b"".join(docs), 6)]
    # room for two and a half: the third does not fit beside the first two
    limit = len(docs[0]) * 5 // 2
    assert list(pieces(parts, limit=limit)) == [(docs[0] + docs[1], 4), (docs[2], 2)]


def test_load_by_default_to_a_virtuoso_on_loopback_only() -> None:
    for host in ("127.0.0.1", "localhost", "[::1]"):
        url = f"http://{host}:8890/sparql"
        assert serve_address(url, VIRTUOSO, None) == ("127.0.0.1", 0)
        assert serve_address(url, VIRTUOSO, "") == ("127.0.0.1", 0)
    assert serve_address("http://db.example:8890/sparql", VIRTUOSO, None) is None
    assert serve_address("http://127.0.0.1:7878/update", "Oxigraph/0.5.13", None) is None


def test_a_piece_after_a_full_one_starts_empty() -> None:
    parts = {"urn:a": plain("urn:a", 3), "urn:b": plain("urn:b", 2), "urn:c": plain("urn:c", 2)}
    size = {name: len(next(pieces({name: t}))[0]) for name, t in parts.items()}
    assert [count for _, count in pieces(parts, limit=size["urn:b"] + size["urn:c"])] == [3, 4]


def test_a_graph_at_the_limit_keeps_its_order_and_one_over_it_is_split_by_components() -> None:
    node = ox.BlankNode("x")
    triples = [*plain("urn:g", 2), ox.Triple(node, P, ox.Literal("b")), *plain("urn:g", 1)]
    whole = next(pieces({"urn:g": triples}))[0]
    assert list(pieces({"urn:g": triples}, limit=len(whole))) == [(whole, 4)]
    # one byte less: split at components (the blank-node component first)
    split = list(pieces({"urn:g": triples}, limit=len(whole) - 1))
    assert sum(count for _, count in split) == 4 and len(split) > 1
    assert split[0][0].startswith(b"_:x <urn:p>")


def test_a_graph_over_the_limit_is_split_in_pieces_of_half_the_limit() -> None:
    triples = plain("urn:g", 40)
    whole = len(next(pieces({"urn:g": triples}))[0])
    limit = whole // 4
    made = list(pieces({"urn:g": triples}, limit=limit))
    assert sum(count for _, count in made) == 40
    assert all(len(data) <= limit for data, _ in made)
    # split in halves of the limit (by their N-Triples size: with the graph's name on every
    # line, two of them no longer fit in one piece)
    halves = list(chunks(triples, max_triples=40, max_bytes=limit // 2))
    assert [count for _, count in made] == [len(half) for half in halves]
    quads = [q for data, _ in made for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)]
    assert {q.graph_name for q in quads} == {ox.NamedNode("urn:g")}
    assert [q.triple for q in quads] == triples
    # a large graph is cut by bytes only, never at 500 triples
    many = plain("urn:g", 1200)
    limit = len(next(pieces({"urn:g": many}))[0]) - 1
    halves = list(chunks(many, max_triples=1200, max_bytes=limit // 2))
    assert [len(half) for half in halves] == [776, 424]
    assert [count for _, count in pieces({"urn:g": many}, limit=limit)] == [776, 424]
    # a blank-node component larger than the limit is not split
    node = ox.BlankNode("x")
    big = [ox.Triple(node, P, ox.Literal(str(i))) for i in range(40)]
    assert [count for _, count in pieces({"urn:g": big}, limit=limit)] == [40]


# ------------------------------------------------------------------------------ the piece server


def test_the_piece_server_numbers_its_pieces_under_one_token_and_says_little() -> None:
    with PieceServer("127.0.0.1") as files:
        first, second = files.add(b"one\n"), files.add(b"two\n")
        token = first.split("/")[3]
        assert len(token) == 32
        assert first == f"{files.base}/{token}/1.nq"
        assert second == f"{files.base}/{token}/2.nq"
        status, headers, body = get(second)
        assert (status, body) == (200, b"two\n")
        assert headers["Content-Type"] == NQUADS == "application/n-quads"
        assert headers["Content-Length"] == "4"
        assert headers["Server"] == "kg-push-pieces "  # no Python version
        status, headers, body = get(first, "HEAD")
        assert (status, headers["Content-Length"], body) == (200, "4", b"")
        assert files.fetched == [f"/{token}/2.nq"]  # a HEAD is no fetch
        status, headers, body = get(files.base + "/nothing")
        assert (status, headers["Content-Length"], body) == (404, "0", b"")
        assert get(files.base + "/nothing", "HEAD")[0] == 404
        files.remove(files.base + "/not/a/piece.nq")  # no error
        files.remove(second)
        assert get(second)[0] == 404
        assert get(first)[0] == 200
        fetched = files.fetched
        fetched.append("x")  # a copy
        assert files.fetched == [f"/{token}/2.nq", f"/{token}/1.nq"]
        assert files.base.startswith("http://127.0.0.1:")


def test_the_piece_server_forgets_its_pieces_and_its_port_when_done() -> None:
    files = PieceServer("127.0.0.1")
    with files:
        url = files.add(b"x")
    assert files._files.pieces == {}
    port = int(urllib.parse.urlsplit(url).port or 0)
    with socket.socket() as probe:  # the port is free again
        probe.bind(("127.0.0.1", port))
    PieceServer("127.0.0.1").__exit__(None, None, None)  # never entered: closes quietly


def test_the_piece_server_binds_the_port_asked_and_says_ipv6_hosts_in_brackets() -> None:
    with PieceServer("127.0.0.1") as one, PieceServer("127.0.0.1") as two:  # any free port
        assert one.base != two.base
    port = free_port()
    with PieceServer("127.0.0.1", port) as files:
        assert files.base == f"http://127.0.0.1:{port}"
        with pytest.raises(OSError, match="in use"):
            PieceServer("127.0.0.1", port).__enter__()
    try:
        six = PieceServer("::1")
    except OSError:  # no IPv6 on this machine: the brackets are all there is to see
        pytest.skip("no IPv6 loopback here")
    with six as files:
        assert re.fullmatch(r"http://\[::1\]:\d+", files.base)
        url = files.add(b"six")
        assert get(url)[2] == b"six"


# ------------------------------------------------------------------------------- the loader


def test_the_loader_loads_every_piece_four_to_a_request_and_forgets_them(loading: str) -> None:  # noqa: F811
    client = SparqlClient(loading)
    # five graphs of one triple each, each over half a piece: five pieces (9 MiB each)
    big = "值" * (3 << 20)
    parts = {
        f"urn:g{i}": [ox.Triple(ox.NamedNode(f"urn:s{i}"), P, ox.Literal(big + str(i)))]
        for i in range(5)
    }
    advanced: list[int] = []
    with PieceServer("127.0.0.1") as files:
        loader = Loader(client, files)
        assert (loader.client, loader.files) == (client, files)
        loader.send(parts, advanced.append)
        assert files._files.pieces == {}  # each piece removed once loaded
        assert len(files.fetched) == 5
    assert held(Loading.store) == dict.fromkeys(parts, 1)
    assert [text.count("LOAD <") for text in Loading.updates] == [4, 1]
    assert PIECES_PER_REQUEST == 4
    loads = [f"LOAD <{files.base}{path}>" for path in files.fetched]
    assert Loading.updates == [" ;\n".join(loads[:4]), loads[4]]
    assert advanced == [4, 1]


def test_the_loader_sends_a_last_request_of_fewer_pieces(loading: str) -> None:  # noqa: F811
    advanced: list[int] = []
    with PieceServer("127.0.0.1") as files:
        Loader(SparqlClient(loading), files).send({"urn:g": plain("urn:g", 3)}, advanced.append)
        Loader(SparqlClient(loading), files).send({}, advanced.append)
    assert (len(Loading.updates), advanced) == (1, [3])


def test_a_load_the_server_refuses_stops_the_push_saying_what_to_do(tmp_path: Path) -> None:
    with serving_oxigraph(tmp_path) as base, PieceServer("127.0.0.1") as files:
        loader = Loader(SparqlClient(base + "/query", base + "/update"), files)
        advanced: list[int] = []
        with pytest.raises(LoadRefused, match=re.escape(
            f"the server refused to LOAD the push's N-Quads from {files.base}: "
            f"{base}/update answered 500: "
        )) as caught:  # fmt: skip
            loader.send({"urn:g": plain("urn:g", 2)}, advanced.append)
        message = str(caught.value)
        assert message.endswith(
            "(it refuses a file over its [SPARQL] MaxDataSourceSize, and must reach this machine "
            "at that address: --serve-data ADDRESS; or push with --sparql-only)"
        )
        assert caught.value.__cause__ is None and caught.value.__suppress_context__
        assert advanced == []
        assert files._files.pieces == {}  # removed, refused or not


def test_a_server_out_of_reach_stops_the_push_as_it_is() -> None:
    url = f"http://127.0.0.1:{free_port()}/update"
    with PieceServer("127.0.0.1") as files:
        with pytest.raises(RemoteError, match=f"^cannot reach {url}") as caught:
            Loader(SparqlClient(url), files).send({"urn:g": plain("urn:g", 1)}, print)
        assert not isinstance(caught.value, LoadRefused)
        assert files._files.pieces == {}
