"""What one push request carries: whole blank-node components, many graphs per request.

Virtuoso 7.2 gives up on an update of a few thousand lines (``SP030 … memory exhausted``) or a
2,000-triple template (``SQL text has exceeded 10000 lines``), so an update carries at most
:data:`CHUNK_TRIPLES` triples; a small graph does not cost a request of its own (many graphs
share one ``INSERT DATA { GRAPH <a> {…} GRAPH <b> {…} }``). Blank nodes stay blank nodes: a
request holds whole blank-node components (every triple that shares a blank node), and a request
with blank nodes is sent as ``INSERT { … } WHERE {}``, whose template may hold blank nodes on every
server (Virtuoso refuses them in ``INSERT DATA``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox

#: Triples per update request: Virtuoso 7.2 translates a 2,000-triple template into too much SQL.
CHUNK_TRIPLES = 500
#: Bytes of N-Triples per request (Graph Store bodies, update texts).
CHUNK_BYTES = 512 * 1024
#: Triples per update request with blank nodes (an ``INSERT { … } WHERE {}`` template): Virtuoso
#: 7.2 compiles a template at a cost that grows faster than its size (about 1.3 ms a triple at
#: 500 triples, 0.9 ms at 100).
BLANK_CHUNK_TRIPLES = 100

#: Triples of one graph bound for one destination graph.
Part = tuple[str, list[ox.Triple]]


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


def _size(group: Sequence[ox.Triple]) -> int:
    return sum(len(str(t)) + 3 for t in group)


def chunks(
    triples: Iterable[ox.Triple], max_triples: int = CHUNK_TRIPLES, max_bytes: int = CHUNK_BYTES
) -> Iterator[list[ox.Triple]]:
    """Requests' worth of triples, never splitting a blank-node component."""
    chunk: list[ox.Triple] = []
    size = 0
    for group in components(triples):
        group_size = _size(group)
        if chunk and (len(chunk) + len(group) > max_triples or size + group_size > max_bytes):
            yield chunk
            chunk, size = [], 0
        chunk += group
        size += group_size
    if chunk:
        yield chunk


def packs(
    graphs: Mapping[str, Sequence[ox.Triple]],
    max_triples: int = CHUNK_TRIPLES,
    max_bytes: int = CHUNK_BYTES,
) -> Iterator[list[Part]]:
    """Requests' worth of ``(destination, triples)`` parts, many small graphs per request.

    A graph larger than a request is split between requests at blank-node component borders; a
    request with blank nodes carries at most :data:`BLANK_CHUNK_TRIPLES` triples.
    """
    pack: list[Part] = []
    count = size = 0
    blank = False
    for destination, triples in graphs.items():
        for group in components(triples):
            group_size = _size(group)
            group_blank = any(_blank_nodes(t) for t in group)
            limit = min(max_triples, BLANK_CHUNK_TRIPLES) if blank or group_blank else max_triples
            if pack and (count + len(group) > limit or size + group_size > max_bytes):
                yield pack
                pack, count, size, blank = [], 0, 0, False
            blank = blank or group_blank
            if not pack or pack[-1][0] != destination:
                pack.append((destination, []))
            pack[-1][1].extend(group)
            count += len(group)
            size += group_size
    if pack:
        yield pack


def ntriples(triples: Sequence[ox.Triple]) -> bytes:
    """The triples as N-Triples."""
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def nquads(parts: Iterable[Part]) -> bytes:
    """The parts as one N-Quads document, each triple in its destination graph.

    N-Triples lines end with `` .`` and escape every line break inside a term, so a line becomes a
    quad by naming the graph before that end. Blank-node labels are per document: a component
    keeps its nodes.
    """
    out = []
    for destination, triples in parts:
        graph = f" <{destination}> .\n".encode()
        out.append(ntriples(triples).replace(b" .\n", graph))
    return b"".join(out)


def insert_text(graph: str, triples: Sequence[ox.Triple]) -> str:
    """The update that adds ``triples`` to ``graph``, accepted by every server."""
    return insert_request([(graph, list(triples))])


def insert_request(parts: Sequence[Part]) -> str:
    """The update that adds each part's triples to its graph, accepted by every server.

    ``INSERT DATA``, unless blank nodes need a template: ``INSERT { … } WHERE {}``.
    """
    body = "\n".join(
        f"GRAPH <{graph}> {{\n{ntriples(triples).decode('utf-8')}}}" for graph, triples in parts
    )
    if any(_blank_nodes(t) for _, triples in parts for t in triples):
        return f"INSERT {{ {body} }} WHERE {{ }}"
    return f"INSERT DATA {{ {body} }}"
