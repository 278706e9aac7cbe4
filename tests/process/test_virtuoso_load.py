"""``kg push`` to a Virtuoso on loopback goes by ``LOAD`` of pieces it fetches from the push.

A real Virtuoso 7.2 (:mod:`virtuoso_server`, its own database for this module); that it fetched
the pieces is read from its own table of fetched sources (``DB.DBA.SYS_HTTP_SPONGE``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from test_virtuoso import kg_cli, server_counts, update
from virtuoso_server import Virtuoso, started_virtuoso

from kg.data.paths import data_dir
from kg.remote.push import dataset_graphs

#: A piece's URL: the push's listener on loopback, a random token, a numbered N-Quads file.
PIECE = re.compile(r"http://127\.0\.0\.1:\d+/[\w-]{32}/\d+\.nq")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    with started_virtuoso(tmp_path_factory.mktemp("virtuoso-load")) as started:
        yield started


@pytest.fixture(scope="module")
def expected() -> dict[str, int]:
    return {name: len(triples) for name, triples in dataset_graphs(data_dir()).items()}


def fetched(server: Virtuoso) -> list[str]:
    """The URLs Virtuoso says it fetched for a LOAD (its table of fetched sources)."""
    return PIECE.findall(server.isql("select HS_ORIGIN_URI from DB.DBA.SYS_HTTP_SPONGE;\n"))


def test_a_default_push_goes_by_load_and_counts_every_graph(
    server: Virtuoso, expected: dict[str, int]
) -> None:
    done = kg_cli("push", "--endpoint", server.sparql)
    assert done.returncode == 0, done.stderr
    assert "counted on the server: all there" in done.stdout
    counts = server_counts(server.sparql)
    assert {g: counts.get(g, 0) for g in expected} == expected
    assert not [g for g in counts if g.startswith("urn:x-kg-push:")], "staging left over"
    first = fetched(server)
    assert first, "Virtuoso fetched no piece"
    # a push that replaces every graph: staged by LOAD, counted, switched
    target = next(iter(expected))
    update(server.sparql, f'INSERT DATA {{ GRAPH <{target}> {{ <urn:x:stray> <urn:x:p> "o" }} }}')
    again = kg_cli("push", "--endpoint", server.sparql, "--serve-data", "127.0.0.1", "--force")
    assert again.returncode == 0, again.stderr
    counts = server_counts(server.sparql)
    assert {g: counts.get(g, 0) for g in expected} == expected
    assert not [g for g in counts if g.startswith("urn:x-kg-push:")], "staging left over"
    second = fetched(server)
    assert len(second) > len(first)
    assert len({url.rsplit("/", 2)[1] for url in second}) == 2, "one token per push"
    # --sparql-only sends by SPARQL Update: nothing more fetched
    plain = kg_cli("push", "--endpoint", server.sparql, "--sparql-only", "--force")
    assert plain.returncode == 0, plain.stderr
    assert fetched(server) == second


def test_a_refused_piece_stops_the_push_and_replaces_nothing(
    server: Virtuoso, expected: dict[str, int]
) -> None:
    target = next(iter(expected))
    update(server.sparql, f'INSERT DATA {{ GRAPH <{target}> {{ <urn:x:stray> <urn:x:p> "o" }} }}')
    before = server_counts(server.sparql)
    assert before[target] == expected[target] + 1
    ini = server.workdir / "virtuoso.ini"
    kept = ini.read_text()
    ini.write_text(kept + "MaxDataSourceSize = 10000\n")  # Virtuoso reads it at each LOAD
    try:
        done = kg_cli("push", "--endpoint", server.sparql, "--force")
    finally:
        ini.write_text(kept)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    first = done.stderr.splitlines()[0]
    assert "the server refused to LOAD" in first
    assert "is over the limit 10000" in first
    assert "MaxDataSourceSize" in first
    assert "no graph was replaced" in done.stderr
    assert server_counts(server.sparql) == before
    done = kg_cli("push", "--endpoint", server.sparql)
    assert done.returncode == 0, done.stderr
    counts = server_counts(server.sparql)
    assert {g: counts.get(g, 0) for g in expected} == expected


def test_serve_data_to_oxigraph_or_with_graph_store_is_a_usage_error(server: Virtuoso) -> None:
    store = server.base + "/sparql-graph-crud"
    done = kg_cli(
        "push", "--endpoint", server.sparql, "--graph-store", store, "--serve-data", "127.0.0.1"
    )
    assert done.returncode == 2
    assert "--serve-data is a way to send the data: not with --graph-store" in done.stderr


def test_help_says_serve_data_opens_a_listener() -> None:
    done = kg_cli("push", "--help")
    assert "opens a listener" in " ".join(done.stdout.split())
