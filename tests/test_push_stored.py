"""What a push holds of the data before it sends it: each graph's name, size and hash, no triple.

Read from the project's own data folder (blank nodes included), against the triples the push
read before (:func:`kg.remote.push.dataset_graphs`).
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.data.paths import data_dir
from kg.remote.chunking import ntriples
from kg.remote.digest import (
    StoredGraph,
    content_hash,
    graph_hashes,
    hashes_ahead,
    ntriples_hash,
    stored_graphs,
)
from kg.remote.loading import pieces
from kg.remote.push import dataset_graphs


def test_stored_graphs_are_the_dataset_graphs_with_their_sizes_and_hashes() -> None:
    graphs = stored_graphs(data_dir())
    triples = dataset_graphs(data_dir())
    assert list(graphs) == list(triples)  # the same names, sorted
    assert {n: len(g) for n, g in graphs.items()} == {n: len(t) for n, t in triples.items()}
    hashes = [content_hash(t) for t in triples.values()]
    assert graph_hashes(graphs) == hashes == graph_hashes(triples)
    assert hashes_ahead(graphs).result(timeout=60) == hashes  # made in a thread of its own
    assert any(
        isinstance(t.subject, ox.BlankNode) for ts in triples.values() for t in ts
    )  # the hashes hold blank nodes' triples too


def test_a_stored_graph_reads_its_triples_from_the_store_each_time() -> None:
    graphs = stored_graphs(data_dir())
    triples = dataset_graphs(data_dir())
    name = max(graphs, key=lambda n: len(graphs[n]))
    graph = graphs[name]
    assert isinstance(graph, StoredGraph) and graph.name == name
    assert sorted(map(str, graph)) == sorted(map(str, triples[name]))
    assert sorted(map(str, graph[:3])) == sorted(map(str, list(graph)[:3]))
    assert str(graph[-1]) == str(list(graph)[-1])
    # its N-Triples come from the store, as the push makes them of triples
    text = ntriples(graph)
    assert text == graph.ntriples() and text.count(b"\n") == len(graph)
    assert ntriples_hash(text) == content_hash(triples[name])
    parsed = [q.triple for q in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)]
    assert len(parsed) == len(triples[name])


def test_pieces_of_stored_graphs_hold_what_the_triples_hold() -> None:
    graphs = stored_graphs(data_dir())
    triples = dataset_graphs(data_dir())
    made = list(pieces(graphs, limit=64_000))  # several pieces, big graphs split
    assert len(made) > 3 and all(len(data) <= 64_000 for data, _ in made)
    store = ox.Store()
    for data, count in made:
        assert data.count(b"\n") == count
        store.load(data, format=ox.RdfFormat.N_QUADS)
    expected = ox.Store()
    expected.extend(ox.Quad(*t, ox.NamedNode(n)) for n, ts in triples.items() for t in ts)
    assert len(store) == len(expected)

    def blank(held: ox.Store) -> set[ox.BlankNode]:
        return {t for q in held for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}

    assert len(blank(store)) == len(blank(expected))  # no blank-node component split
    held = {str(g.value): len(list(store.quads_for_pattern(None, None, None, g)))
            for g in store.named_graphs()}  # fmt: skip
    assert held == {n: len(t) for n, t in triples.items()}
