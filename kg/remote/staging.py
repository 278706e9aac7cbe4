"""The server side of a push: staging and backup graphs, grouped counts, batched switches.

Every request here is about a batch of graphs, never one graph alone: counts name their graphs
(:data:`COUNTS_PER_QUERY` a time, one query; on Virtuoso, one scan of a store small beside the
graphs counted, :func:`count_triples`), drops and switches
go :data:`GRAPHS_PER_REQUEST` / :data:`MOVES_PER_REQUEST` graphs to an update request. (An update
of many ``MOVE`` operations costs Oxigraph more per triple than the same operations in requests
of ten: its transaction's cost grows faster than its size; 0.36 ms a triple moved at a hundred
graphs a request, 0.06–0.2 ms at ten, on 150k triples.)

A switch keeps the old version of each graph in its backup graph (:func:`backup_graph`) until
the whole push is done, so that a rollback can put it back (:func:`restore`).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Mapping, Sequence

import pyoxigraph as ox

from kg.remote.chunking import chunks, insert_request, nquads, ntriples, packs
from kg.remote.client import PartialAnswer, SparqlClient
from kg.remote.wire import Reply

#: Prefix of the staging graphs (one per graph the server held before; gone after the push).
STAGING_PREFIX = "urn:x-kg-push:staging:"
#: Prefix of the backup graphs (the old version of a switched graph, until the push is done).
BACKUP_PREFIX = "urn:x-kg-push:backup:"
#: Graphs named in one request of drops.
GRAPHS_PER_REQUEST = 500
#: Graphs counted by one ``UNION`` query.
COUNTS_PER_QUERY = 50
#: Graphs counted by one grouped query (Virtuoso, graphs under :data:`BIG_GRAPH` triples).
GROUPED_PER_QUERY = 500
#: Triples from which a graph is counted by its own ``UNION`` branch on Virtuoso too.
BIG_GRAPH = 1_000
#: Seconds a graph of a grouped count above which the rest go by ``UNION`` (a ``UNION`` branch
#: costs Virtuoso 1–3.5 ms a graph, a grouped query 0.2–0.5 ms, or, on a new database just
#: loaded, up to 7 ms and more as the store grows).
GROUPED_SLOW = 0.005
#: Graphs from which a count on Virtuoso may scan the whole store (see :func:`count_triples`).
SCAN_FROM = 200
#: Triples of the store per graph counted below which Virtuoso's scan of it is the cheaper count
#: (the scan costs 2.6 µs a triple at 150k and 1M triples, a ``UNION`` branch 1–3.5 ms a graph).
SCAN_PER_GRAPH = 400
#: Graphs switched in one update request.
MOVES_PER_REQUEST = 10
#: Triples per N-Quads request of a bulk push.
BULK_TRIPLES = 200_000


def _key(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:32]


def staging_graph(name: str) -> str:
    """The staging graph of graph ``name``."""
    return STAGING_PREFIX + _key(name)


def backup_graph(name: str) -> str:
    """The backup graph of graph ``name`` (its old version, from its switch to the push's end)."""
    return BACKUP_PREFIX + _key(name)


def _slices(names: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(names), size):
        yield names[start : start + size]


def count_triples(
    client: SparqlClient,
    graphs: Iterable[str],
    expected: Mapping[str, int] | None = None,
    *,
    grouped: bool = False,
) -> dict[str, int]:
    """Triples per graph on the server, for the graphs named (absent graphs count 0).

    Each graph is counted on its own (its exact count, blank nodes included), never by a scan
    of the whole store: by a ``UNION`` of one sub-select per graph with the graph's name written
    in, :data:`COUNTS_PER_QUERY` a query, an index lookup of that graph on every server.
    (Oxigraph 0.5 runs the grouped form, ``VALUES ?g { … } GRAPH ?g { … } GROUP BY ?g``, as a
    scan of the whole store for every query: 0.002 s a query in a store of 3,000 triples, 0.14 s
    in one of a million. Virtuoso 7.2.5 runs it, for graphs this push has just loaded into a new
    database, in a time that grows with the store: 2 s for a batch of 1,700 graphs at 100k
    triples, 15 s at 900k; naming graphs of 20k triples or more, 23 s to over a minute for one
    query at 149k.)

    With ``grouped`` (the graphs are not ones this push has just loaded: the count of what the
    server held before the push), a Virtuoso (its ``Server`` header, :attr:`SparqlClient.server`)
    counts the graphs expected to hold fewer than :data:`BIG_GRAPH` triples
    :data:`GROUPED_PER_QUERY` to one grouped query: a ``UNION`` branch costs Virtuoso 2–3 ms a
    graph to compile, 46 s of a 115 s push at a million triples (17k graphs counted on an empty
    store), the grouped query 0.3 ms a graph there. A grouped query that costs more than
    :data:`GROUPED_SLOW` a graph (a new database just loaded, whose plan scans the store: see
    above) sends the rest by ``UNION``: the counts are the same either way.

    Args:
        client: The server.
        graphs: The graphs to count.
        expected: Triples each graph is expected to hold; a graph not in it counts as big.
        grouped: Count small graphs by grouped queries on Virtuoso (see above).

    On Virtuoso, :data:`SCAN_FROM` graphs or more are counted by one grouped query over the
    whole store (``GRAPH ?g { ?s ?p ?o } GROUP BY ?g``, one scan: 2.6 s at a million triples,
    after a push by ``LOAD`` into a new database too) when the store holds fewer than
    :data:`SCAN_PER_GRAPH` triples per graph counted (its total is one cheap query): then the
    scan costs less than the graphs' ``UNION`` branches, and the counts are the same, each
    graph's own. A store that turns out larger, or an answer cut at the server's row cap
    (``ResultSetMaxRows`` under the store's graphs), goes the way above.
    """
    names = list(graphs)
    counts: dict[str, int] = {}
    if client.server.startswith("Virtuoso/") and len(names) >= SCAN_FROM:
        scanned = _scan(client, names)
        if scanned is not None:
            return scanned
    if grouped and client.server.startswith("Virtuoso/"):
        sizes = expected or {}
        small = [n for n in names if sizes.get(n, BIG_GRAPH) < BIG_GRAPH]
        names = [n for n in names if sizes.get(n, BIG_GRAPH) >= BIG_GRAPH]
        for start in range(0, len(small), GROUPED_PER_QUERY):
            listed = small[start : start + GROUPED_PER_QUERY]
            values = " ".join(f"<{name}>" for name in listed)
            began = time.perf_counter()
            _read(client, f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                          "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", counts)  # fmt: skip
            if time.perf_counter() - began > GROUPED_SLOW * len(listed):  # the store's plan
                names = small[start + len(listed) :] + names  # the rest by UNION
                break
    for group in _slices(names, COUNTS_PER_QUERY):
        branches = " UNION ".join(
            f"{{ SELECT (<{name}> AS ?g) (COUNT(*) AS ?n) "
            f"WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }} }}"
            for name in group
        )
        _read(client, f"SELECT ?g ?n WHERE {{ {branches} }}", counts)
    return counts


_CUT_SCANS: set[str] = set()
"""Query URLs whose row cap cut a scan's answer in this process (not scanned again)."""


def _scan(client: SparqlClient, names: Sequence[str]) -> dict[str, int] | None:
    """Each graph's triples by one scan of the store.

    Returns:
        The counts, or ``None`` when the scan is not the cheaper count (a store of
        :data:`SCAN_PER_GRAPH` triples a graph counted or more) or its answer is cut short.
    """
    total: dict[str, int] = {}
    _read(client, "SELECT (<urn:x-kg-push:all> AS ?g) (COUNT(*) AS ?n) "
                  "WHERE { GRAPH ?g { ?s ?p ?o } }", total)  # fmt: skip
    if total.get("urn:x-kg-push:all", 0) >= SCAN_PER_GRAPH * len(names):
        return None
    if client.query_url in _CUT_SCANS:
        return None
    every: dict[str, int] = {}
    try:
        _read(client, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
              every)  # fmt: skip
    except PartialAnswer:  # the server's row cap: fewer rows than the store's graphs
        _CUT_SCANS.add(client.query_url)  # the store only grows during a push: not again
        return None
    return {name: every[name] for name in names if name in every}


def _read(client: SparqlClient, text: str, counts: dict[str, int]) -> None:
    """The ``?g ?n`` rows of a count query into ``counts`` (rows of 0 left out)."""
    for graph, number in client.query(text, "SELECT").rows:
        if (
            isinstance(graph, ox.NamedNode)
            and isinstance(number, ox.Literal)
            and number.value != "0"
        ):
            counts[graph.value] = int(number.value)


def drop(client: SparqlClient, graphs: Iterable[str]) -> None:
    """``DROP SILENT`` each graph, :data:`GRAPHS_PER_REQUEST` to a request."""
    for names in _slices(list(graphs), GRAPHS_PER_REQUEST):
        client.update(" ;\n".join(f"DROP SILENT GRAPH <{name}>" for name in names))


def switch(client: SparqlClient, graphs: Sequence[str], backed_up: Iterable[str] = ()) -> None:
    """Each graph's old version into its backup graph, then its staging graph into place.

    Each graph's two ``MOVE`` operations go in the same request (one transaction on Oxigraph):
    the graph holds its old version or its new one, never neither.

    Args:
        client: The server.
        graphs: The graphs to switch.
        backed_up: Those of ``graphs`` whose backup is already made (a switch resumed after
            the server died between the two operations, on a server without transactions).
    """
    kept = set(backed_up)
    for names in _slices(graphs, MOVES_PER_REQUEST):
        client.update(
            " ;\n".join(
                ("" if n in kept else f"MOVE SILENT GRAPH <{n}> TO GRAPH <{backup_graph(n)}> ;\n")
                + f"MOVE GRAPH <{staging_graph(n)}> TO GRAPH <{n}>"
                for n in names
            )
        )


def restore(client: SparqlClient, graphs: Sequence[str]) -> None:
    """Each graph's backup back into place (its new version dropped in the same operation)."""
    for names in _slices(graphs, MOVES_PER_REQUEST):
        client.update(" ;\n".join(f"MOVE GRAPH <{backup_graph(n)}> TO GRAPH <{n}>" for n in names))


def send(
    client: SparqlClient,
    parts: Mapping[str, Sequence[ox.Triple]],
    mode: str,
    advance: Callable[[int], None],
) -> None:
    """Every ``destination: triples`` part to the server, in as few requests as it takes.

    Args:
        client: The server.
        parts: Triples by the graph they go to (a staging graph, or the graph itself).
        mode: ``update`` (SPARQL Update, many graphs per request), ``graph-store`` (Graph Store
            ``POST`` requests per graph) or ``bulk`` (N-Quads ``POST`` to a dataset store).
        advance: Called with the triples of each request once the server has answered it.
    """
    if mode == "bulk":
        pack: list[tuple[str, Sequence[ox.Triple]]] = []
        size = 0
        for destination, triples in parts.items():
            pack.append((destination, triples))
            size += len(triples)
            if size >= BULK_TRIPLES:
                client.post_quads(nquads(pack))
                advance(size)
                pack, size = [], 0
        if pack:
            client.post_quads(nquads(pack))
            advance(size)
    elif mode == "graph-store":
        for destination, triples in parts.items():  # empty: dropped or absent before
            for chunk in chunks(triples):  # POST adds; a PUT would clear the graph first, which
                client.graph_store_request("POST", destination, ntriples(chunk))  # costs more
                advance(len(chunk))
    else:
        for request in packs(parts):
            post_update(client, insert_request(request))
            advance(sum(len(triples) for _, triples in request))


def post_update(client: SparqlClient, text: str) -> Reply:
    """One update sent as the request's body (``application/sparql-update``).

    The SPARQL 1.1 Protocol's other way to send an update, taken by Oxigraph, Virtuoso 7.2 and
    Fuseki alike; unlike a form it needs no percent-encoding, which cost the client a third of a
    push's time (about 60 % of an update's bytes are escaped: IRIs' punctuation, spaces, every
    byte of Chinese text).
    """
    return client.send(
        client.update_url,
        text.encode("utf-8"),
        "POST",
        {"Content-Type": "application/sparql-update; charset=utf-8", "Accept": "text/plain, */*"},
    )
