"""What the data of a push is: the fingerprint of the data folder, and each graph's content hash.

The fingerprint tells a resumed push that the data did not change since it stopped. The content
hashes, kept in the journal of the last push to a server, tell the next push which graphs it
need not send again: a graph whose hash is the one pushed last time and whose count on the
server is still the one pushed is left as it is (see :mod:`kg.remote.push`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import cast, overload

import pyoxigraph as ox

from kg.data.paths import DataLayout

#: A blank node's label in N-Triples (labels change from one reading of the files to the next).
_BLANK = re.compile(rb"_:[^ ]+")


def fingerprint(layout: DataLayout, sent: Mapping[str, int]) -> str:
    """What the data is: its graphs and their sizes, and its files' sizes and times."""
    digest = hashlib.sha256()
    for name, count in sent.items():
        digest.update(f"{name}\t{count}\n".encode())
    for path in sorted(layout.root.rglob("*")):
        if path.suffix in {".ttl", ".trig", ".nq", ".nt"} and path.is_file():
            info = path.stat()
            digest.update(
                f"{path.relative_to(layout.root)}\t{info.st_size}\t{info.st_mtime_ns}\n".encode()
            )
    return digest.hexdigest()


def content_hash(triples: Sequence[ox.Triple]) -> str:
    """A hash of a graph's triples, whatever their order and their blank nodes' labels.

    The triples' N-Triples lines, each blank-node label written alike, sorted: two graphs that
    differ only in how their blank nodes are labelled hash alike, and so (a limit worth knowing)
    do two graphs that differ only in which of their blank nodes a triple hangs on.
    """
    return ntriples_hash(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")


def ntriples_hash(text: bytes) -> str:
    """:func:`content_hash` of the graph whose N-Triples document is ``text``."""
    lines = (_BLANK.sub(b"_:", text) if b"_:" in text else text).split(b"\n")
    lines.sort()
    return hashlib.sha256(b"\n".join(lines)).hexdigest()[:32]


class StoredGraph(Sequence[ox.Triple]):
    """One named graph of a store, read from the store each time it is read.

    What a push holds of each graph until it sends it: its name and size, no triple (at a million
    triples, making a Python object of each cost the push seconds before it sent anything;
    :func:`kg.remote.chunking.ntriples` takes the graph's N-Triples from the store directly).

    Args:
        store: The store.
        name: The graph's name.
        size: Its triples.
    """

    def __init__(self, store: ox.Store, name: str, size: int) -> None:
        self.store = store
        self.name = name
        self.size = size

    def ntriples(self) -> bytes:
        """The graph as N-Triples."""
        graph = ox.NamedNode(self.name)
        return self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[ox.Triple]:
        found = self.store.quads_for_pattern(None, None, None, ox.NamedNode(self.name))
        return (quad.triple for quad in found)

    @overload
    def __getitem__(self, index: int) -> ox.Triple: ...

    @overload
    def __getitem__(self, index: slice) -> list[ox.Triple]: ...

    def __getitem__(self, index: int | slice) -> ox.Triple | list[ox.Triple]:
        return list(self)[index]


def stored_graphs(layout: DataLayout) -> dict[str, StoredGraph]:
    """Every named graph of the dataset with its size, sorted, as :class:`StoredGraph`.

    The ontology and inference graphs included, as :func:`kg.remote.push.dataset_graphs`; the
    sizes from one grouped count of the store.
    """
    from kg.query.engines.oxigraph import OxigraphEngine

    store = OxigraphEngine(layout).store
    found = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    sizes = {
        row["g"].value: int(row["n"].value)
        for row in cast(ox.QuerySolutions, found)
        if isinstance(row["g"], ox.NamedNode) and isinstance(row["n"], ox.Literal)
    }
    return {name: StoredGraph(store, name, sizes[name]) for name in sorted(sizes)}


def graph_hashes(graphs: Mapping[str, Sequence[ox.Triple]]) -> list[str]:
    """Each graph's :func:`content_hash`, in order (a stored graph's from its N-Triples)."""
    return [
        ntriples_hash(graph.ntriples()) if isinstance(graph, StoredGraph) else content_hash(graph)
        for graph in graphs.values()
    ]


def hashes_ahead(graphs: Mapping[str, Sequence[ox.Triple]]) -> Future[list[str]]:
    """:func:`graph_hashes` in a thread of its own: the push goes on meanwhile."""
    pool = ThreadPoolExecutor(1, thread_name_prefix="kg-push-hashes")
    hashing = pool.submit(graph_hashes, graphs)
    pool.shutdown(wait=False)  # the thread ends when the hashes are made
    return hashing
