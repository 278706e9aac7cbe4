"""The server side of a push (:mod:`kg.remote.staging`): staging and backup graphs, drops,
switches, restores and sends, against a real scratch ``oxigraph serve``: the cases mutation
testing showed missing. (``count_triples`` is the ``push_verify`` unit's.)

What the server holds after each step is read back by the server's own Graph Store and query
endpoints; the client's request counter says how many requests a step took.
"""

from __future__ import annotations

import hashlib
import http.server
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest
from loopback_http import running
from oxigraph_server import serving_oxigraph

from kg.remote import staging
from kg.remote.client import RemoteError, SparqlClient
from kg.remote.staging import (
    BACKUP_PREFIX,
    GRAPHS_PER_REQUEST,
    MOVES_PER_REQUEST,
    STAGING_PREFIX,
    backup_graph,
    drop,
    post_update,
    restore,
    send,
    staging_graph,
    switch,
)

P = ox.NamedNode("urn:p")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving_oxigraph(tmp_path_factory.mktemp("staging")) as url:
        yield url


@pytest.fixture
def client(base: str) -> SparqlClient:
    client = SparqlClient(base + "/query", base + "/update", base + "/store")
    client.update("CLEAR ALL")
    return client


def triples(graph: str, n: int, start: int = 0) -> list[ox.Triple]:
    numbers = range(start, start + n)
    return [ox.Triple(ox.NamedNode(f"{graph}/s{i}"), P, ox.Literal(str(i))) for i in numbers]


def held(client: SparqlClient) -> dict[str, set[str]]:
    """Every graph on the server with its subjects' IRIs (blank nodes as ``_``)."""
    rows = client.query("SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } }", "SELECT").rows
    graphs: dict[str, set[str]] = {}
    for graph, subject in rows:
        assert isinstance(graph, ox.NamedNode)
        value = subject.value if isinstance(subject, ox.NamedNode) else "_"
        graphs.setdefault(graph.value, set()).add(value)
    return graphs


def put(client: SparqlClient, graph: str, content: list[ox.Triple]) -> None:
    client.graph_store_request("PUT", graph, ox.serialize(content, format=ox.RdfFormat.N_TRIPLES))


def subjects(content: list[ox.Triple]) -> set[str]:
    return {t.subject.value for t in content}


def test_staging_and_backup_graphs_are_named_by_the_graph_s_hash() -> None:
    key = hashlib.sha256("urn:图".encode()).hexdigest()[:32]
    assert staging_graph("urn:图") == STAGING_PREFIX + key == "urn:x-kg-push:staging:" + key
    assert backup_graph("urn:图") == BACKUP_PREFIX + key == "urn:x-kg-push:backup:" + key
    assert staging_graph("urn:a") != staging_graph("urn:b")


def test_drops_go_five_hundred_graphs_a_request_and_ignore_absent_graphs(
    client: SparqlClient,
) -> None:
    names = [f"urn:g{i}" for i in range(GRAPHS_PER_REQUEST + 1)]
    for name in ("urn:g0", f"urn:g{GRAPHS_PER_REQUEST}", "urn:kept"):
        put(client, name, triples(name, 2))
    before = client.requests
    drop(client, names)
    assert client.requests - before == 2
    assert held(client) == {"urn:kept": subjects(triples("urn:kept", 2))}
    before = client.requests
    drop(client, [])
    drop(client, names[:GRAPHS_PER_REQUEST])
    assert client.requests - before == 1


def test_a_switch_moves_each_old_version_to_its_backup_and_the_new_into_place(
    client: SparqlClient,
) -> None:
    names = [f"urn:g{i}" for i in range(MOVES_PER_REQUEST + 1)]
    for name in names:
        put(client, name, triples(name, 1))
        put(client, staging_graph(name), triples(name, 2, start=10))
    before = client.requests
    switch(client, names)
    assert client.requests - before == 2
    after = held(client)
    assert set(after) == set(names) | {backup_graph(n) for n in names}
    for name in names:
        assert after[name] == subjects(triples(name, 2, start=10))
        assert after[backup_graph(name)] == subjects(triples(name, 1))
    # and back: each backup into place, the new version gone, ten graphs a request
    before = client.requests
    restore(client, names)
    assert client.requests - before == 2
    assert held(client) == {name: subjects(triples(name, 1)) for name in names}


def test_a_resumed_switch_does_not_back_up_again_and_a_graph_new_here_has_no_backup(
    client: SparqlClient,
) -> None:
    put(client, "urn:a", triples("urn:a", 1, start=5))
    put(client, backup_graph("urn:a"), triples("urn:a", 1))
    put(client, staging_graph("urn:a"), triples("urn:a", 1, start=10))
    put(client, staging_graph("urn:new"), triples("urn:new", 1))
    switch(client, ["urn:a", "urn:new"], backed_up=["urn:a"])
    assert held(client) == {
        "urn:a": subjects(triples("urn:a", 1, start=10)),
        backup_graph("urn:a"): subjects(triples("urn:a", 1)),  # the backup made before stays
        "urn:new": subjects(triples("urn:new", 1)),
    }
    # a graph without a staging graph is an error, not an emptied graph
    with pytest.raises(RemoteError, match="answered 500: The graph does not exist"):
        switch(client, ["urn:gone"])
    assert "urn:a" in held(client)


@pytest.mark.parametrize("mode", ["update", "graph-store", "bulk"])
def test_every_mode_sends_each_part_to_its_graph(client: SparqlClient, mode: str) -> None:
    node = ox.BlankNode("x")
    parts = {
        "urn:big": triples("urn:big", 1100),
        "urn:small": triples("urn:small", 3),
        "urn:blank": [
            ox.Triple(node, P, ox.Literal("é")),
            ox.Triple(ox.NamedNode("urn:o"), P, node),
        ],
        "urn:empty": [],
    }
    advanced: list[int] = []
    send(client, parts, mode, advanced.append)
    after = held(client)
    assert after == {
        "urn:big": subjects(parts["urn:big"]),
        "urn:small": subjects(parts["urn:small"]),
        "urn:blank": {"_", "urn:o"},
    }
    count = client.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "SELECT")
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    assert count.rows[0][0] == ox.Literal("1105", datatype=integer)
    # the blank node is one node, shared by its two triples
    shared = client.query(
        "ASK { GRAPH <urn:blank> { ?b <urn:p> 'é' . <urn:o> <urn:p> ?b } }", "ASK"
    )
    assert shared.boolean
    assert sum(advanced) == 1105
    assert (
        advanced
        == {
            "bulk": [1105],  # one N-Quads request (up to 200,000 triples)
            "graph-store": [500, 500, 100, 3, 2],  # per graph, 500 triples a request
            # many graphs a request; with a blank node, at most 100 triples
            "update": [500, 500, 103, 2],
        }[mode]
    )


def test_an_update_goes_as_the_request_s_body(client: SparqlClient, base: str) -> None:
    reply = post_update(client, "INSERT DATA { GRAPH <urn:u> { <urn:u> <urn:p> '统一' } }")
    assert held(client) == {"urn:u": {"urn:u"}}
    assert reply.body == b""
    with pytest.raises(RemoteError, match="400"):
        post_update(client, "INSERT DATA { nonsense")
    # the body is UTF-8 text: a server that reads it as it is finds the Chinese text
    query = urllib.request.Request(
        base + "/query?query=" + urllib.request.quote("ASK { GRAPH ?g { ?s ?p '统一' } }"),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(query, timeout=10) as answer:
        assert b"true" in answer.read()


def test_a_send_without_a_graph_store_is_refused_before_any_request(
    base: str, tmp_path: Path
) -> None:
    client = SparqlClient(base + "/query", base + "/update")
    for mode in ("bulk", "graph-store"):
        with pytest.raises(RemoteError, match=r"^no Graph Store Protocol URL given$"):
            send(client, {"urn:g": triples("urn:g", 1)}, mode, lambda n: None)
    assert client.requests == 0


def test_a_bulk_push_posts_a_dataset_each_time_its_size_is_reached(
    client: SparqlClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(staging, "BULK_TRIPLES", 4)  # 200,000 in a real push
    parts = {
        "urn:a": triples("urn:a", 3),
        "urn:b": triples("urn:b", 1),
        "urn:c": triples("urn:c", 2),
    }
    advanced: list[int] = []
    before = client.requests
    send(client, parts, "bulk", advanced.append)
    assert (advanced, client.requests - before) == ([4, 2], 2)
    assert held(client) == {name: subjects(t) for name, t in parts.items()}
    advanced.clear()
    send(client, {"urn:d": triples("urn:d", 5)}, "bulk", advanced.append)
    assert advanced == [5]


class Recording(http.server.BaseHTTPRequestHandler):
    """Records what each request carries, and takes it."""

    seen: ClassVar[list[tuple[str, str, str, bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append((self.command, self.headers["Content-Type"], self.headers["Accept"], body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet."""


def test_an_update_is_sent_as_utf_8_sparql_update_text() -> None:
    Recording.seen = []
    with running(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recording)) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}/update"
        post_update(SparqlClient(url), "INSERT DATA { <urn:a> <urn:p> '统一' }")
    assert Recording.seen == [
        (
            "POST",
            "application/sparql-update; charset=utf-8",
            "text/plain, */*",
            "INSERT DATA { <urn:a> <urn:p> '统一' }".encode(),
        )
    ]
