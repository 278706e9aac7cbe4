"""What one push request carries (:mod:`kg.remote.chunking`) and what the data of a push is
(:mod:`kg.remote.digest`): the cases mutation testing showed missing.

Requests are read back by pyoxigraph's own parsers and applied to a real pyoxigraph store, so a
request that a server would refuse, or that lands a triple in the wrong graph, fails here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.data.paths import DataLayout
from kg.remote.chunking import (
    BLANK_CHUNK_TRIPLES,
    chunks,
    components,
    insert_request,
    insert_text,
    nquads,
    ntriples,
    packs,
)
from kg.remote.digest import content_hash, fingerprint

P = ox.NamedNode("urn:p")


def iri(n: int | str) -> ox.NamedNode:
    return ox.NamedNode(f"urn:s{n}")


def plain(n: int) -> ox.Triple:
    return ox.Triple(iri(n), P, ox.Literal(f"v{n}"))


def size(triples: list[ox.Triple]) -> int:
    """Bytes a group counts for: each triple's N-Triples text and its end."""
    return sum(len(str(t)) + 3 for t in triples)


def test_triples_sharing_a_blank_node_in_any_position_form_one_group() -> None:
    a, b, c, d = (ox.BlankNode(x) for x in "abcd")
    t1 = ox.Triple(a, P, ox.Literal("1"))
    t2 = ox.Triple(iri(1), P, b)  # b alone for now: a group of its own
    t3 = ox.Triple(c, P, d)  # c and d together
    t4 = ox.Triple(b, P, a)  # joins a's and b's groups
    t5 = ox.Triple(d, P, ox.Literal("5"))
    t6 = ox.Triple(c, P, ox.Literal("6"))
    p1, p2 = plain(1), plain(2)
    groups = components([p1, t1, t2, t3, p2, t4, t5, t6])
    # groups in the order of their first triple, plain triples one by one after them
    assert groups == [[t1, t2, t4], [t3, t5, t6], [p1], [p2]]


def test_a_long_chain_of_blank_nodes_is_one_group() -> None:
    nodes = [ox.BlankNode(f"n{i}") for i in range(12)]
    # linked from the far end first, so the roots must be followed through several steps
    chain = [ox.Triple(nodes[i], P, nodes[i + 1]) for i in reversed(range(11))]
    extra = [ox.Triple(nodes[i], P, ox.Literal(str(i))) for i in range(12)]
    groups = components([*chain, *extra])
    assert len(groups) == 1
    assert groups[0] == [*chain, *extra]
    assert components([]) == []


def test_chunks_fill_to_the_triple_limit_and_never_split_a_component() -> None:
    triples = [plain(i) for i in range(7)]
    assert list(chunks(triples, max_triples=3)) == [triples[0:3], triples[3:6], triples[6:7]]
    assert list(chunks(triples, max_triples=7)) == [triples]
    assert list(chunks([], max_triples=3)) == []
    node = ox.BlankNode("x")
    group = [ox.Triple(node, P, ox.Literal(str(i))) for i in range(4)]
    # a component larger than the limit is sent whole, in a request of its own (components
    # first, then the plain triples)
    assert list(chunks([plain(0), *group, plain(1)], max_triples=3)) == [
        group,
        [plain(0), plain(1)],
    ]


def test_chunks_fill_to_the_byte_limit() -> None:
    triples = [plain(i) for i in range(4)]
    two = size(triples[:2])
    assert list(chunks(triples, max_bytes=two)) == [triples[:2], triples[2:]]
    assert list(chunks(triples, max_bytes=two - 1)) == [[t] for t in triples]
    assert list(chunks(triples, max_bytes=size(triples))) == [triples]


def test_packs_share_a_request_between_small_graphs_and_split_large_ones() -> None:
    graphs = {
        "urn:g1": [plain(1), plain(2)],
        "urn:g2": [plain(3)],
        "urn:g3": [plain(4), plain(5), plain(6)],
    }
    assert list(packs(graphs, max_triples=4)) == [
        [("urn:g1", [plain(1), plain(2)]), ("urn:g2", [plain(3)]), ("urn:g3", [plain(4)])],
        [("urn:g3", [plain(5), plain(6)])],
    ]
    assert list(packs(graphs, max_triples=6)) == [list(graphs.items())]
    assert list(packs({})) == []
    every = [t for part in graphs.values() for t in part]
    assert list(packs(graphs, max_bytes=size(every[:3]))) == [
        [("urn:g1", [plain(1), plain(2)]), ("urn:g2", [plain(3)])],
        [("urn:g3", [plain(4), plain(5), plain(6)])],
    ]
    assert len(list(packs(graphs, max_bytes=size(every[:3]) - 1))) == 3


def test_a_request_with_blank_nodes_carries_fewer_triples() -> None:
    blank = [ox.Triple(ox.BlankNode(f"b{i}"), P, ox.Literal(str(i))) for i in range(150)]
    iris = [plain(i) for i in range(150)]
    assert [sum(len(t) for _, t in pack) for pack in packs({"urn:g": iris})] == [150]
    assert [sum(len(t) for _, t in pack) for pack in packs({"urn:g": blank})] == [
        BLANK_CHUNK_TRIPLES,
        50,
    ]
    # once a blank node is in a request, the lower limit holds for what follows it
    mixed = {"urn:a": blank[:1], "urn:b": iris}
    assert [sum(len(t) for _, t in pack) for pack in packs(mixed)] == [100, 51]
    # plain triples before a blank group: the group may not take the request past the limit
    pair = [ox.Triple(ox.BlankNode("pair"), P, ox.Literal(str(i))) for i in range(2)]
    before = {"urn:a": iris[:99], "urn:b": pair}
    assert [sum(len(t) for _, t in pack) for pack in packs(before)] == [99, 2]
    # a request after one with blank nodes starts with the ordinary limit again
    after = {"urn:a": blank[:100], "urn:b": iris}
    assert [sum(len(t) for _, t in pack) for pack in packs(after)] == [100, 150]
    # the caller's limit holds when it is below the blank one
    assert [sum(len(t) for _, t in pack) for pack in packs({"urn:g": blank}, 40)] == [
        40,
        40,
        40,
        30,
    ]


def test_n_quads_put_each_triple_in_its_destination_and_keep_components() -> None:
    node = ox.BlankNode("x")
    text = ox.Literal("line one .\nline two")
    parts = [
        ("urn:g1", [ox.Triple(node, P, text), ox.Triple(iri(1), P, node)]),
        ("urn:g2", [plain(2)]),
    ]
    quads = list(ox.parse(nquads(parts), format=ox.RdfFormat.N_QUADS))
    assert [(q.graph_name, q.object) for q in quads][1:] == [
        (ox.NamedNode("urn:g1"), quads[0].subject),
        (ox.NamedNode("urn:g2"), ox.Literal("v2")),
    ]
    assert quads[0].graph_name == ox.NamedNode("urn:g1")
    assert quads[0].object == text
    assert nquads([]) == b""
    assert ntriples([]) == b""
    assert ntriples([plain(1)]) == b'<urn:s1> <urn:p> "v1" .\n'


def test_insert_requests_are_accepted_and_land_each_triple_in_its_graph() -> None:
    plain_update = insert_text("urn:g", [plain(1), plain(2)])
    assert plain_update.startswith("INSERT DATA { GRAPH <urn:g> {\n<urn:s1>")
    node = ox.BlankNode("x")
    parts = [("urn:a", [ox.Triple(node, P, ox.Literal("é"))]), ("urn:b", [plain(3)])]
    blank_update = insert_request(parts)
    assert blank_update.startswith("INSERT { GRAPH <urn:a> {\n_:")
    assert blank_update.endswith('<urn:s3> <urn:p> "v3" .\n} } WHERE { }')
    store = ox.Store()
    store.update(plain_update)
    store.update(blank_update)
    got = {(str(q.graph_name), str(q.object)) for q in store}
    assert got == {
        ("<urn:g>", '"v1"'),
        ("<urn:g>", '"v2"'),
        ("<urn:a>", '"é"'),
        ("<urn:b>", '"v3"'),
    }
    in_a = store.quads_for_pattern(None, None, None, ox.NamedNode("urn:a"))
    assert all(isinstance(q.subject, ox.BlankNode) for q in in_a)


def test_a_graph_hashes_alike_in_any_order_and_with_any_blank_labels() -> None:
    one = [ox.Triple(ox.BlankNode("a1"), P, ox.Literal("x")), plain(1), plain(2)]
    two = [plain(2), ox.Triple(ox.BlankNode("zz9"), P, ox.Literal("x")), plain(1)]
    assert content_hash(one) == content_hash(two)
    digest = content_hash(one)
    assert len(digest) == 32
    assert int(digest, 16) >= 0
    assert content_hash(one) != content_hash([*one, plain(3)])
    assert content_hash(one) != content_hash(one[:2])
    assert content_hash([plain(1)]) != content_hash([ox.Triple(iri(1), P, ox.Literal("v1 "))])
    # a blank node's label is left out, not what follows it
    other = [ox.Triple(ox.BlankNode("a1"), P, ox.Literal("y")), plain(1), plain(2)]
    assert content_hash(one) != content_hash(other)
    # the empty graph has a hash of its own
    assert len(content_hash([])) == 32
    assert content_hash([]) != content_hash([plain(1)])


def test_a_hash_tells_lines_apart_not_only_their_characters() -> None:
    # the same characters split into lines differently must not hash alike
    a = [ox.Triple(iri("1"), P, ox.Literal("x")), ox.Triple(iri("2"), P, ox.Literal("y"))]
    b = [ox.Triple(iri("2"), P, ox.Literal("x")), ox.Triple(iri("1"), P, ox.Literal("y"))]
    assert content_hash(a) != content_hash(b)


def write(path: Path, text: str, mtime_ns: int = 10**18) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))


def test_the_fingerprint_changes_with_the_graphs_and_the_data_files(tmp_path: Path) -> None:
    root = tmp_path / "data"
    write(root / "ontology.ttl", "o")
    write(root / "triples" / "a.trig", "a")
    layout = DataLayout(root)
    sent = {"urn:g1": 3, "urn:g2": 4}
    first = fingerprint(layout, sent)
    assert len(first) == 64
    assert fingerprint(layout, dict(sent)) == first
    assert fingerprint(layout, {"urn:g1": 3, "urn:g2": 5}) != first
    assert fingerprint(layout, {"urn:g1": 3}) != first
    assert fingerprint(layout, {"urn:g1": 34}) != fingerprint(layout, {"urn:g13": 4})
    # files of other kinds, and folders named like data files, are not the data
    write(root / "notes.md", "n")
    write(root / "triples" / "b.txt", "b")
    (root / "triples" / "dir.ttl").mkdir()
    assert fingerprint(layout, sent) == first
    for name in ("c.ttl", "c.trig", "c.nq", "c.nt"):
        write(root / "triples" / name, "c")
        changed = fingerprint(layout, sent)
        assert changed != first, name
        (root / "triples" / name).unlink()
    assert fingerprint(layout, sent) == first
    # a file's size and its time of change each count, and its place in the folder
    write(root / "triples" / "a.trig", "aa")
    assert fingerprint(layout, sent) != first
    write(root / "triples" / "a.trig", "a", mtime_ns=10**18 + 1)
    assert fingerprint(layout, sent) != first
    write(root / "triples" / "a.trig", "a")
    assert fingerprint(layout, sent) == first
    (root / "triples" / "a.trig").rename(root / "a.trig")
    assert fingerprint(layout, sent) != first


def test_the_fingerprint_is_the_same_wherever_the_folder_is(tmp_path: Path) -> None:
    for name in ("one", "two"):
        write(tmp_path / name / "triples" / "a.trig", "a")
    sent = {"urn:g": 1}
    assert fingerprint(DataLayout(tmp_path / "one"), sent) == fingerprint(
        DataLayout(tmp_path / "two"), sent
    )


@pytest.mark.parametrize("count", [0, 1])
def test_a_graph_of_no_triples_is_not_a_graph_left_out(tmp_path: Path, count: int) -> None:
    layout = DataLayout(tmp_path)
    assert fingerprint(layout, {"urn:g": count}) != fingerprint(layout, {})


def test_a_graph_s_hash_is_the_one_earlier_pushes_wrote_in_their_journals() -> None:
    # the journal of the last push keeps these hashes: a hash computed otherwise by a later
    # kg would make its next push send every graph again
    graph = [ox.Triple(ox.BlankNode("a1"), P, ox.Literal("x")), plain(1)]
    assert content_hash(graph) == "a98d80ca634569c66ae3ac1e15811567"
    assert content_hash([]) == "e3b0c44298fc1c149afbf4c8996fb924"  # SHA-256 of nothing
