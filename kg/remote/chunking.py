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

import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

import pyoxigraph as ox

from kg.remote.digest import StoredGraph

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
_Item = TypeVar("_Item")
#: A line of N-Triples that mentions a blank node's prefix ``_:`` (a blank node, or a literal).
_MARKED = re.compile(rb"^[^\n]*_:[^\n]*\n", re.MULTILINE)


def _blank_nodes(triple: ox.Triple) -> list[str]:
    return [t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]


def _line_blank_nodes(line: bytes) -> list[bytes]:
    """The blank nodes of an N-Triples line (without its line break): subject, object.

    The subject is a blank node when the line starts with ``_:``; the object when the line's
    last term (before `` .``) starts with ``_:`` and holds no ``"`` (a literal's last
    space-separated piece always does: it ends with its quote, language tag or datatype).
    """
    if b"_:" not in line:
        return []
    nodes = [line[: line.index(b" ")]] if line.startswith(b"_:") else []
    last = line[line.rindex(b" ", 0, len(line) - 2) + 1 : -2]
    if last.startswith(b"_:") and b'"' not in last:
        nodes.append(last)
    return nodes


def _grouped(items: list[_Item], nodes_of: Callable[[_Item], Sequence[Hashable]]) -> list[
    list[_Item]
]:  # fmt: skip
    """The items grouped so that items sharing a blank node are in the same group.

    The groups with blank nodes first (in the order of their first item), then each item without
    one alone, in order.
    """
    parent: dict[Hashable, Hashable] = {}

    def root(node: Hashable) -> Hashable:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    found = [nodes_of(item) for item in items]
    for nodes in found:
        for other in nodes[1:]:
            parent[root(other)] = root(nodes[0])
    groups: dict[Hashable, list[_Item]] = {}
    plain: list[list[_Item]] = []
    for item, nodes in zip(items, found, strict=True):
        if nodes:
            groups.setdefault(root(nodes[0]), []).append(item)
        else:
            plain.append([item])
    return [*groups.values(), *plain]


def components(triples: Iterable[ox.Triple]) -> list[list[ox.Triple]]:
    """The triples grouped so that triples sharing a blank node are in the same group."""
    return _grouped(list(triples), _blank_nodes)


def split_ntriples(text: bytes, max_bytes: int) -> Iterator[tuple[bytes, int]]:
    """An N-Triples document cut into documents of at most ``max_bytes`` and their triples.

    What :func:`chunks` does with triples, on the serialised lines (a line is a triple: N-Triples
    escapes every line break inside a term), without a Python object for each term (at a
    million triples the triples' way cost a push seconds): the blank-node components first, each
    whole in one document (one larger than ``max_bytes`` is a document of its own), then the
    other lines, in order.
    """
    if text and not text.endswith(b"\n"):
        text += b"\n"  # the last line ends as the others
    marked = _MARKED.findall(text) if b"_:" in text else []  # each with its line break
    rest = _MARKED.sub(b"", text) if marked else text
    groups = _grouped([line[:-1] for line in marked], _line_blank_nodes)
    chunk: list[bytes] = []
    size = 0
    for group in groups:
        group_size = sum(len(line) + 1 for line in group)
        if chunk and size + group_size > max_bytes:
            yield b"\n".join(chunk) + b"\n", len(chunk)
            chunk, size = [], 0
        chunk += group
        size += group_size
    head = b"\n".join(chunk) + b"\n" if chunk else b""
    start = 0
    while start < len(rest):  # the lines without blank nodes: cut at the last line break that fits
        end = rest.rfind(b"\n", start, start + max_bytes - size) + 1
        if end <= start:  # the next line does not fit beside what is there
            if head:
                yield head, head.count(b"\n")
                head, size = b"", 0
                continue
            end = rest.index(b"\n", start) + 1  # a line larger than a document: alone
        head += rest[start:end]
        yield head, head.count(b"\n")
        head, size, start = b"", 0, end
    if head:
        yield head, head.count(b"\n")


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
    """The triples as N-Triples (a :class:`~kg.remote.digest.StoredGraph`: from its store)."""
    if isinstance(triples, StoredGraph):
        return triples.ntriples()
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def nquads(parts: Iterable[tuple[str, Sequence[ox.Triple]]]) -> bytes:
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
