"""Paths by meaning: how two entities are linked, ranked by what the hops say about them.

One ranking serves ``kg path``, the Python API, the server's ``/path`` and the explorer's path
panel (which walks the order :func:`path_table` writes into the page, under its filters). Edges
are taken as undirected ("how is A linked to B" does not care which way a triple points);
between two nodes the most meaningful edge stands for all of them. Each hop is one of:

* ``fact``: a fact about the two ends (a business model, a technical approach, a role, a
  funding, a product, a listing…), weight 2;
* ``setting``: a fact that only places or pictures something (``kg:location``, a direct
  ``kg:about``, ``kg:depicts``, ``kg:credit``, ``kg:broadcastOn``), weight 3;
* ``claim``: a claim (a ``kg:Claim`` drawn as an edge, or one of its roles): someone *says*
  something about the ends. It is context, not a link;
* ``provenance``: any other hop into a source (``kg:SourceArticle``, ``kg:UnnamedSource``);
* ``curated``: a curated edge that cites no quote (only walked when asked for).

A path's rank is, in order: the fewer claim, provenance and curated hops (*detours*), the lower
the sum of the weights of the rest (a curated or provenance hop counts 1 more than a claim), the
fewer hops, and last the ids of the nodes it passes (so equal paths always come in one order).
A claim hop weighs more than any path of facts, so a chain of facts, however long, comes first.

>>> import kg
>>> from kg.network.projection import to_networkx
>>> best = ranked_paths(to_networkx(kg.load()), "唐杰", "商汤")[0]
>>> [(hop.relation, hop.kind) for hop in best.hops]
[('kg:ledBy', 'fact'), ('kg:businessModel', 'fact'), ('kg:businessModel', 'fact')]
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from itertools import islice, pairwise
from typing import Any, Literal

import networkx as nx

from kg.network.analytics import resolve

__all__ = [
    "PANEL_TEXT",
    "Hop",
    "HopKind",
    "Path",
    "meaning_graph",
    "page_path_table",
    "path_document",
    "path_table",
    "ranked_paths",
]

HopKind = Literal["fact", "setting", "claim", "provenance", "curated"]
Attrs = dict[str, Any]

CLAIM = "kg:Claim"
#: Relations that only place or picture something: facts, but weak links.
SETTING = frozenset({"kg:location", "kg:about", "kg:depicts", "kg:credit", "kg:broadcastOn"})
#: Node classes that are sources, not subjects: a hop through one is provenance.
SOURCES = frozenset({"kg:SourceArticle", "kg:UnnamedSource"})
#: Hops that are not links between the two ends.
DETOURS = frozenset({"claim", "provenance", "curated"})
_FACT_WEIGHT = {"fact": 2, "setting": 3}
#: Candidates read past the k-th path at most, to order paths of equal weight.
_TIE_ROOM = 20

Label = tuple[int, int, tuple[str, ...]]


@dataclass(frozen=True)
class Hop:
    """One step of a path.

    Attributes:
        source: The node the step leaves (an id).
        target: The node it reaches.
        relation: The edge's relation (property or fact class, as a CURIE).
        label_zh: The relation's Chinese label.
        label_en: The relation's English label.
        forward: Whether the edge points from ``source`` to ``target`` (else it is walked
            backwards).
        kind: ``fact``, ``setting``, ``claim``, ``provenance`` or ``curated`` (module docstring).
        says_zh: For a claim, what is said, in Chinese (the claim's label); else "".
        says_en: The same in English.
        date: The fact's date, as precise as the text ("" if none).
        amount: The fact's amount as written ("" if none).
        evidence: The quotes or citations asserting it: dicts with ``graph``, ``quote``,
            ``start``, ``end``, ``tier`` and, when cited, ``publisher``, ``published``, ``url``
            and ``locator``.
        attrs: Every attribute of the edge.

    """

    source: str
    target: str
    relation: str
    label_zh: str
    label_en: str
    forward: bool
    kind: HopKind
    says_zh: str
    says_en: str
    date: str
    amount: str
    evidence: list[dict[str, Any]]
    attrs: dict[str, Any]


@dataclass(frozen=True)
class Path:
    """A path and its rank.

    Attributes:
        hops: The steps, from the first entity to the second.
        detours: How many hops are claims, provenance or curated edges.
        weight: The sum of the hops' weights (the rank's second key).

    """

    hops: list[Hop]
    detours: int
    weight: int

    @property
    def nodes(self) -> list[str]:
        """The nodes passed, both ends included."""
        return [self.hops[0].source, *(hop.target for hop in self.hops)]


def hop_kind(nxg: nx.MultiDiGraph, u: str, v: str, attrs: dict[str, Any]) -> HopKind:
    """What an edge between ``u`` and ``v`` says about them (see the module docstring)."""
    nodes = nxg.nodes
    return _kind(attrs, _is_claim(nodes[u]) or _is_claim(nodes[v]), _is_source(nodes[u])
                 or _is_source(nodes[v]))  # fmt: skip


def _is_claim(node: dict[str, Any]) -> bool:
    return node.get("kind") == "fact" and node.get("class") == CLAIM


def _is_source(node: dict[str, Any]) -> bool:
    return node.get("class") in SOURCES


def _kind(attrs: dict[str, Any], claim_end: bool, source_end: bool) -> HopKind:
    """:func:`hop_kind`'s rule, given whether either end is a claim, either a source."""
    if not attrs.get("evidence"):
        return "curated"
    if claim_end or CLAIM in (attrs.get("relation"), attrs.get("fact_class")):
        return "claim"
    if source_end:
        return "provenance"
    return "setting" if attrs.get("relation") in SETTING else "fact"


def _walkable(
    nxg: nx.MultiDiGraph, *, evidence_only: bool
) -> list[tuple[tuple[int, bool, str, str, str], str, str, Any, HopKind]]:
    """The edges paths may walk, in their order of meaning.

    The lightest first; among equals a plain triple before a fact's edge, then by relation,
    fact and key (stable: ties keep the graph's order). A detour weighs more than any path of
    facts can (4 × nodes + 1).
    """
    detour = 4 * nxg.number_of_nodes() + 1
    weights = {**_FACT_WEIGHT, "claim": detour, "provenance": detour + 1, "curated": detour + 1}
    # each node looked at once (10⁵ edges would look at their ends 4 times an edge)
    claims = {n for n, a in nxg.nodes(data=True) if _is_claim(a)}
    sources = {n for n, a in nxg.nodes(data=True) if _is_source(a)}
    walkable = []
    for u, v, key, attrs in nxg.edges(keys=True, data=True):
        kind = _kind(attrs, u in claims or v in claims, u in sources or v in sources)
        if kind == "curated" and evidence_only:
            continue
        not_plain = attrs.get("kind") != "direct"  # a plain triple says it most directly
        order = (weights[kind], not_plain, str(attrs.get("relation", "")),
                 str(attrs.get("fact", "")), str(key))  # fmt: skip
        walkable.append((order, u, v, key, kind))
    walkable.sort(key=lambda item: item[0])
    return walkable


def meaning_graph(nxg: nx.MultiDiGraph, *, evidence_only: bool = True) -> nx.Graph:
    """The undirected graph paths are ranked on: per node pair, the most meaningful edge.

    The most meaningful edge is the first in the order of :func:`_walkable`. Each edge carries
    ``weight`` (an int), ``kind`` and ``edge``, the ``(u, v, key)`` of ``nxg`` it stands for.

    Args:
        nxg: A projection from :func:`kg.network.projection.to_networkx`.
        evidence_only: Leave out curated edges that cite no quote.

    """
    simple = nx.Graph()
    simple.add_nodes_from(nxg.nodes)
    for order, u, v, key, kind in _walkable(nxg, evidence_only=evidence_only):
        if not simple.has_edge(u, v):
            simple.add_edge(u, v, weight=order[0], kind=kind, edge=(u, v, key))
    return simple


def _best_tree(simple: nx.Graph, source: str) -> dict[str, str]:
    """Each reachable node's predecessor on its best path from ``source``.

    Dijkstra on the labels (weight, hops, nodes passed): appending a hop keeps their order, so
    the tree holds, for every node, the first path of the ranking.
    """
    best: dict[str, Label] = {source: (0, 0, ())}
    previous: dict[str, str] = {}
    done: set[str] = set()
    heap: list[tuple[int, int, tuple[str, ...], str]] = [(0, 0, (), source)]
    while heap:
        weight, hops, passed, node = heapq.heappop(heap)
        if node in done:
            continue
        done.add(node)
        for neighbour, attrs in simple[node].items():
            if neighbour in done:
                continue
            label = (weight + attrs["weight"], hops + 1, (*passed, str(neighbour)))
            if neighbour not in best or label < best[neighbour]:
                best[neighbour] = label
                previous[neighbour] = node
                heapq.heappush(heap, (*label, neighbour))
    return previous


def _label(simple: nx.Graph, nodes: list[str]) -> Label:
    weight = sum(simple.edges[u, v]["weight"] for u, v in pairwise(nodes))
    return weight, len(nodes) - 1, tuple(map(str, nodes[1:]))


def ranked_paths(
    nxg: nx.MultiDiGraph, a: str, b: str, k: int = 3, *, evidence_only: bool = True
) -> list[Path]:
    """The ``k`` best simple paths between two entities, by meaning (module docstring).

    Args:
        nxg: A projection from :func:`kg.network.projection.to_networkx`.
        a: The first entity (id, CURIE, label or alias in either language).
        b: The second entity.
        k: How many paths at most.
        evidence_only: Walk only edges that cite evidence (curated edges are skipped).

    Returns:
        The paths, best first; empty when ``a`` and ``b`` are not connected.

    Raises:
        EntityNotFound: If ``a`` or ``b`` names nothing.
        AmbiguousEntity: If ``a`` or ``b`` names several entities.

    """
    source, target = resolve(nxg, a), resolve(nxg, b)
    simple = meaning_graph(nxg, evidence_only=evidence_only)
    previous = _best_tree(simple, source)
    if target not in previous:
        return []
    first = [target]
    while first[-1] != source:
        first.append(previous[first[-1]])
    found = {tuple(reversed(first))}
    last = None
    generated = nx.shortest_simple_paths(simple, source, target, weight="weight")
    for nodes in islice(generated, k + _TIE_ROOM):
        weight = _label(simple, nodes)[0]
        if len(found) >= k and last is not None and weight > last:
            break
        found.add(tuple(nodes))
        last = weight
    ranked = sorted(found, key=lambda nodes: _label(simple, list(nodes)))[:k]
    return [_path(nxg, simple, list(nodes)) for nodes in ranked]


def _path(nxg: nx.MultiDiGraph, simple: nx.Graph, nodes: list[str]) -> Path:
    hops = [_hop(nxg, simple, u, v) for u, v in pairwise(nodes)]
    return Path(
        hops=hops,
        detours=sum(hop.kind in DETOURS for hop in hops),
        weight=_label(simple, nodes)[0],
    )


def _hop(nxg: nx.MultiDiGraph, simple: nx.Graph, u: str, v: str) -> Hop:
    tail, head, key = simple.edges[u, v]["edge"]
    attrs = dict(nxg.edges[tail, head, key])
    kind: HopKind = simple.edges[u, v]["kind"]
    claim = kind == "claim"
    return Hop(
        source=u,
        target=v,
        relation=attrs.get("relation", ""),
        label_zh=attrs.get("label_zh", ""),
        label_en=attrs.get("label_en", ""),
        forward=tail == u,
        kind=kind,
        says_zh=str(attrs.get("fact_label_zh", "")) if claim else "",
        says_en=str(attrs.get("fact_label_en", "")) if claim else "",
        date=attrs.get("date", ""),
        amount=attrs.get("amount_zh", ""),
        evidence=list(attrs.get("evidence", [])),
        attrs=attrs,
    )


def path_document(nxg: nx.MultiDiGraph, paths: list[Path]) -> dict[str, Any]:
    """``paths`` as JSON-ready data (the server's ``/path`` answer and ``kg path --format json``).

    Every hop names its ends with their labels in both languages, its relation, kind, what a
    claim says, its date and amount, and its evidence (quote and offsets, or the citation).
    """

    def node(n: str) -> dict[str, str]:
        attrs = nxg.nodes[n]
        return {"id": n, "label_zh": attrs.get("label_zh", n), "label_en": attrs.get("label_en", n)}

    return {
        "paths": [
            {
                "detours": path.detours,
                "weight": path.weight,
                "hops": [
                    {
                        "from": node(hop.source),
                        "to": node(hop.target),
                        "relation": hop.relation,
                        "label_zh": hop.label_zh,
                        "label_en": hop.label_en,
                        "forward": hop.forward,
                        "kind": hop.kind,
                        "says_zh": hop.says_zh,
                        "says_en": hop.says_en,
                        "fact": hop.attrs.get("fact", ""),
                        "date": hop.date,
                        "amount_zh": hop.attrs.get("amount_zh", ""),
                        "amount_en": hop.attrs.get("amount_en", ""),
                        "evidence": hop.evidence,
                    }
                    for hop in path.hops
                ],
            }
            for path in paths
        ]
    }


#: What the explorer's path panel says about the ranking, in both languages.
PANEL_TEXT = {
    "zh": {
        "title": "路径(按含义排序:事实在前,说法在后)",
        "claim": "说法,作为背景,不是联系",
        "none": "两者之间没有由证据支持的路径。",
        "hidden": "两者之间的路径都经过被筛选隐藏的节点或关系:显示全部即可看到。",
    },
    "en": {
        "title": "Path, by meaning (facts first, claims last)",
        "claim": "a claim: context, not a link",
        "none": "No path with evidence connects them.",
        "hidden": "Every path between them passes something the filters hide: show all to see it.",
    },
}


def path_table(nxg: nx.MultiDiGraph, edges: list[dict[str, Any]]) -> dict[str, Any]:
    """The ranking's order of a page's edges, for its path panel to walk with the page's filters.

    The panel (``kg/web/explorer-paths.js``) keeps, per node pair, the first edge of ``order``
    that the filters show, and walks the labels of :func:`_best_tree`: with nothing hidden it
    finds the first path of :func:`ranked_paths`; with classes or dates hidden, the first path
    among what is shown.

    Args:
        nxg: The graph the page draws.
        edges: The page's edges, in order: dicts with ``from``, ``to``, ``relation`` and
            ``fact`` (an edge is given as its index in this list).

    Returns:
        ``order`` (the indices of the edges paths walk, most meaningful first), ``weights`` and
        ``kinds`` (per edge: its weight and hop kind; 0 and "" for an edge paths do not walk)
        and ``text`` (:data:`PANEL_TEXT`).

    """
    index: dict[tuple[str, str, str, str], int] = {}
    for i, edge in enumerate(edges):
        key = (str(edge["from"]), str(edge["to"]), str(edge["relation"]), str(edge["fact"]))
        index.setdefault(key, i)
    walked = [
        (weight, kind, found)
        for (weight, _, relation, fact, _), u, v, _, kind in _walkable(nxg, evidence_only=True)
        if (found := index.get((str(u), str(v), relation, fact))) is not None
    ]
    return _table(walked, len(edges))


def page_path_table(nxg: nx.MultiDiGraph, page: list[tuple[Any, Any, Any, int, Any]]) -> Attrs:
    """:func:`path_table` for a page that draws every edge of ``nxg``, in one pass over them.

    Args:
        nxg: The graph the page draws.
        page: Every edge of ``nxg`` in the page's order: ``(u, v, key, position, attrs)``, the
            position being the edge's in ``nxg``'s own order (which breaks ties as there).

    Returns:
        What :func:`path_table` returns for these edges.

    """
    detour = 4 * nxg.number_of_nodes() + 1
    weights = {**_FACT_WEIGHT, "claim": detour, "provenance": detour + 1, "curated": detour + 1}
    claims = {n for n, a in nxg.nodes(data=True) if _is_claim(a)}
    sources = {n for n, a in nxg.nodes(data=True) if _is_source(a)}
    first: dict[tuple[str, str, str, str], int] = {}  # an edge's first page index of its kind
    walk = []
    for i, (u, v, key, position, attrs) in enumerate(page):
        get = attrs.get
        relation, fact = str(get("relation", "")), str(get("fact", ""))
        found = first.setdefault((str(u), str(v), relation, fact), i)
        kind = _kind(attrs, u in claims or v in claims, u in sources or v in sources)
        if kind != "curated":  # as _walkable orders them, ties by their order in nxg
            order = (weights[kind], get("kind") != "direct", relation, fact, str(key))
            walk.append((order, position, kind, found))
    walk.sort()  # the positions differ: nothing after them is compared
    return _table([(order[0], kind, found) for order, _, kind, found in walk], len(page))


def _table(walked: list[tuple[int, HopKind, int]], count: int) -> Attrs:
    """The path table of ``count`` edges, from the walkable ones in order: weight, kind, index."""
    order: list[int] = []
    weights, kinds = [0] * count, [""] * count
    for weight, kind, found in walked:
        if not kinds[found]:
            order.append(found)
            weights[found], kinds[found] = weight, kind
    return {"order": order, "weights": weights, "kinds": kinds, "text": PANEL_TEXT}
