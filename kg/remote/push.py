"""``kg push``: load every named graph into a SPARQL server, and prove that it arrived.

A push that cannot lie:

1. **Stage.** Each graph goes first into its own staging graph (:func:`staging_graph`), in
   chunks below the servers' request limits (:data:`CHUNK_TRIPLES`; Virtuoso's SPARQL compiler
   gives up at a few thousand lines or on a 10,000-line SQL translation). Blank nodes stay blank
   nodes: a chunk holds whole blank-node components (every triple that shares a blank node), and
   a chunk with blank nodes is sent as ``INSERT { … } WHERE {}``, whose template may hold blank
   nodes on every server (Virtuoso refuses them in ``INSERT DATA``). Without a Graph Store URL the
   chunks go by SPARQL Update; with one, by Graph Store ``PUT``/``POST``.
2. **Check the staging graphs** by counting their triples on the server. A difference stops the
   push before any graph is touched: every graph stays fully old.
3. **Switch** with one update request of ``MOVE`` operations, staging → graph (a single
   transaction on Oxigraph and Virtuoso).
4. **Count every graph on the server** and compare with what was sent. Any difference raises
   :class:`PushError` naming the graphs (``kg push`` exits 1).

A re-run converges: it drops old staging graphs first and replaces each graph whole.

``bulk=True`` stages the whole dataset with one N-Quads ``POST`` to a dataset store (Oxigraph,
Fuseki: the fastest way), each graph's quads in its staging graph, then checks and switches as
above: no graph is dropped before its replacement is counted on the server (Virtuoso answers
that request ``200`` and keeps nothing: the check says so and every graph stays as it was).

If the server fails while staging, no graph was replaced, and the message says so; a re-run
clears the staging graphs first.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.data.paths import DataLayout
from kg.errors import EXIT_FINDINGS, UsageError
from kg.remote.client import Credentials, RemoteError, SparqlClient

#: Triples per request: Virtuoso 7.2 translates a 2,000-triple template into too much SQL.
CHUNK_TRIPLES = 500
#: Bytes of N-Triples per request (Graph Store bodies, update texts).
CHUNK_BYTES = 512 * 1024
#: Prefix of the staging graphs (one per pushed graph, gone after a successful push).
STAGING_PREFIX = "urn:x-kg-push:staging:"


class PushError(RemoteError):
    """The push failed or the server does not hold what was sent (exit 1: a finding).

    Attributes:
        report: What was sent, what the server holds, what was replaced (when counted).
    """

    exit_code = EXIT_FINDINGS
    http_status = 502

    def __init__(self, message: str, report: PushReport | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class PushReport:
    """What a push sent and what the server holds afterwards.

    Attributes:
        sent: Triples sent per graph.
        found: Triples counted on the server per graph, after the push.
        replaced: Graphs replaced on the server.
        requests: HTTP requests made.
        seconds: Wall time.
    """

    sent: dict[str, int]
    found: dict[str, int] = field(default_factory=dict)
    replaced: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0

    @property
    def differences(self) -> dict[str, tuple[int, int]]:
        """``graph: (sent, found)`` for every graph whose count differs."""
        return {
            name: (count, self.found.get(name, 0))
            for name, count in self.sent.items()
            if self.found.get(name, 0) != count
        }

    def summary(self) -> str:
        """One line for a push that arrived whole."""
        return (
            f"pushed {sum(self.sent.values())} triples in {len(self.sent)} graphs "
            f"({self.requests} requests, {self.seconds:.1f} s); counted on the server: all there"
        )


def describe_differences(differences: Mapping[str, tuple[int, int]]) -> str:
    """``graph (sent N, server holds M)`` for each graph, one per line."""
    return "\n".join(
        f"  {name} (sent {sent}, server holds {found})"
        for name, (sent, found) in sorted(differences.items())
    )


def dataset_graphs(layout: DataLayout) -> dict[str, list[ox.Triple]]:
    """Every named graph of the dataset (ontology and inference graphs included), sorted."""
    from kg.query.engines.oxigraph import OxigraphEngine

    graphs: dict[str, list[ox.Triple]] = {}
    for quad in OxigraphEngine(layout).store:
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    return dict(sorted(graphs.items()))


def staging_graph(name: str) -> str:
    """The staging graph of graph ``name``."""
    return STAGING_PREFIX + urllib.parse.quote(name, safe="")


def _blank_nodes(triple: ox.Triple) -> list[str]:
    return [t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]


def components(triples: Iterable[ox.Triple]) -> list[list[ox.Triple]]:
    """The triples grouped so that triples sharing a blank node are in the same group."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    triples = list(triples)
    for triple in triples:
        nodes = _blank_nodes(triple)
        for other in nodes[1:]:
            parent[root(other)] = root(nodes[0])
    groups: dict[str, list[ox.Triple]] = {}
    plain: list[list[ox.Triple]] = []
    for triple in triples:
        nodes = _blank_nodes(triple)
        if nodes:
            groups.setdefault(root(nodes[0]), []).append(triple)
        else:
            plain.append([triple])
    return [*groups.values(), *plain]


def chunks(
    triples: Iterable[ox.Triple], max_triples: int = CHUNK_TRIPLES, max_bytes: int = CHUNK_BYTES
) -> Iterator[list[ox.Triple]]:
    """Requests' worth of triples, never splitting a blank-node component."""
    chunk: list[ox.Triple] = []
    size = 0
    for group in components(triples):
        group_size = sum(len(str(t)) + 3 for t in group)
        if chunk and (len(chunk) + len(group) > max_triples or size + group_size > max_bytes):
            yield chunk
            chunk, size = [], 0
        chunk += group
        size += group_size
    if chunk:
        yield chunk


def _ntriples(triples: Sequence[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def insert_text(graph: str, triples: Sequence[ox.Triple]) -> str:
    """The update that adds ``triples`` to ``graph``, accepted by every server.

    ``INSERT DATA``, unless blank nodes need a template: ``INSERT { … } WHERE {}``.
    """
    body = _ntriples(triples).decode("utf-8")
    if any(_blank_nodes(t) for t in triples):
        return f"INSERT {{ GRAPH <{graph}> {{\n{body}}} }} WHERE {{ }}"
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}"


def count_triples(client: SparqlClient, graphs: Iterable[str]) -> dict[str, int]:
    """Triples per graph on the server, for the graphs named (absent graphs are left out)."""
    names = list(graphs)
    if not names:
        return {}
    values = " ".join(f"<{name}>" for name in names)
    text = (
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} "
        "GROUP BY ?g"
    )
    result = client.query(text, "SELECT")
    counts = {}
    for graph, number in result.rows:
        if isinstance(graph, ox.NamedNode) and isinstance(number, ox.Literal):
            counts[graph.value] = int(number.value)
    return counts


def _stage(client: SparqlClient, graphs: Mapping[str, list[ox.Triple]]) -> None:
    client.update(" ;\n".join(f"DROP SILENT GRAPH <{staging_graph(n)}>" for n in graphs))
    for name, triples in graphs.items():
        staging = staging_graph(name)
        for index, chunk in enumerate(chunks(triples)):
            if client.graph_store is not None:
                method = "PUT" if index == 0 else "POST"
                client.graph_store_request(method, staging, _ntriples(chunk))
            else:
                client.update(insert_text(staging, chunk))


def _check_updates(client: SparqlClient) -> None:
    """Refuse at once, changing nothing, when the query URL does not take SPARQL Update.

    Virtuoso and Fuseki take updates at the query URL; ``oxigraph serve`` does not (it answers
    400 "The URL query parameter query must be set"). The probe drops a staging graph of no
    graph of the data, which changes nothing anywhere.

    Raises:
        UsageError: The server refused the update with a 4xx: name ``--update``.
    """
    try:
        client.update(f"DROP SILENT GRAPH <{staging_graph('kg-update-probe')}>")
    except RemoteError as err:
        if err.status is None or not 400 <= err.status < 500 or err.status in {401, 403}:
            raise
        raise UsageError(
            f"{client.query_url} does not take SPARQL Update (it answered {err.status}); give "
            "the server's update URL with --update (oxigraph serve: http://HOST:PORT/update)"
        ) from None


def _push_staged(
    client: SparqlClient,
    graphs: Mapping[str, list[ox.Triple]],
    report: PushReport,
    bulk: bool = False,
) -> None:
    try:
        (_stage_bulk if bulk else _stage)(client, graphs)
        staged = count_triples(client, [staging_graph(n) for n in graphs])
    except RemoteError as err:
        raise RemoteError(
            f"{err}; the push stopped while staging: no graph was replaced; run kg push again "
            "(it clears the staging graphs first)",
            err.status,
        ) from None
    short = {
        name: (len(triples), staged.get(staging_graph(name), 0))
        for name, triples in graphs.items()
        if staged.get(staging_graph(name), 0) != len(triples)
    }
    if short:
        client.update(" ;\n".join(f"DROP SILENT GRAPH <{staging_graph(n)}>" for n in graphs))
        raise PushError(
            "the server did not keep what was sent to these staging graphs; no graph was "
            "replaced:\n" + describe_differences(short),
            report,
        )
    moves = " ;\n".join(f"MOVE GRAPH <{staging_graph(n)}> TO GRAPH <{n}>" for n in graphs)
    try:
        client.update(moves)
    except RemoteError as err:
        now = count_triples(client, graphs)
        report.replaced = [n for n in graphs if now.get(n) == report.sent[n]]
        raise PushError(
            f"switching the staged graphs failed: {err}\n"
            f"graphs that now hold the new data: {len(report.replaced)} of {len(graphs)}; "
            "run the push again",
            report,
        ) from None
    report.replaced = list(graphs)


def _stage_bulk(client: SparqlClient, graphs: Mapping[str, list[ox.Triple]]) -> None:
    """Every graph into its staging graph with one N-Quads ``POST`` (no graph is touched)."""
    client.update(" ;\n".join(f"DROP SILENT GRAPH <{staging_graph(n)}>" for n in graphs))
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(staging_graph(n)))
        for n, triples in graphs.items()
        for t in triples
    ]
    client.post_quads(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")


def push(
    layout: DataLayout,
    endpoint: str,
    *,
    update: str | None = None,
    graph_store: str | None = None,
    bulk: bool = False,
    credentials: Credentials | None = None,
    timeout: float = 600.0,
) -> PushReport:
    """Replace each of the dataset's named graphs on a SPARQL server, then count them there.

    Args:
        layout: The data to push.
        endpoint: The server's query URL (used to count).
        update: Its SPARQL Update URL (default: ``endpoint``).
        graph_store: Its Graph Store Protocol URL, to send the data by GSP instead of Update.
        bulk: One N-Quads ``POST`` of everything to ``graph_store`` (a dataset store).
        credentials: For servers that ask (Basic or Digest).
        timeout: Seconds to wait for each answer.

    Returns:
        The report; every graph's count on the server equals what was sent.

    Raises:
        PushError: The server holds something else than was sent (the graphs are named), or a
            step failed (what was replaced is said).
        RemoteError: The server could not be reached or refused a request.
    """
    if bulk and graph_store is None:
        raise RemoteError("--bulk needs --graph-store, the server's dataset store URL")
    started = time.perf_counter()
    graphs = dataset_graphs(layout)
    report = PushReport(sent={name: len(triples) for name, triples in graphs.items()})
    client = SparqlClient(endpoint, update, graph_store, credentials, timeout)
    if update is None:
        _check_updates(client)
    _push_staged(client, graphs, report, bulk)
    report.found = count_triples(client, graphs)
    report.requests = client.requests
    report.seconds = time.perf_counter() - started
    if report.differences:
        raise PushError(
            "the server does not hold what was sent; these graphs differ:\n"
            + describe_differences(report.differences),
            report,
        )
    return report
