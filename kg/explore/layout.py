"""Which part of the graph the explorer draws, and where each node goes.

A focus view is an entity's ego network; a graph too large to draw node by node becomes one
node per class; positions are computed here (spring, or by community when large) so the page
opens at once instead of simulating.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import networkx as nx

from kg.network.analytics import resolve

_SPRING_LIMIT = 500
"""NetworkX's spring layout is dense (numpy) below this size; larger sets go by community."""
_EVEN_FROM, _EVEN_LIMIT = 8, 150
"""Components of these sizes get stress majorisation (even spacing: labels fit at first sight)."""


# ---------------------------------------------------------------- choosing the view
def ego(nxg: nx.MultiDiGraph, focus: str, hops: int) -> nx.MultiDiGraph:
    """The nodes within ``hops`` of ``focus`` (a name :func:`resolve` accepts)."""
    center = resolve(nxg, focus)
    around = nx.ego_graph(nxg.to_undirected(as_view=True), center, radius=hops)
    return nxg.subgraph(sorted(around.nodes))


def aggregate(nxg: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """One node per class (sized by its count), one edge per (class, relation, class)."""
    agg = nx.MultiDiGraph()
    members: Counter[str] = Counter()
    for _, attrs in nxg.nodes(data=True):
        members[attrs.get("class", "")] += 1
    for _, attrs in nxg.nodes(data=True):
        cls = attrs.get("class", "")
        cid = f"class:{cls}"
        if cid not in agg:
            count = members[cls]
            agg.add_node(
                cid,
                id=cid,
                kind="class",
                label_zh=f"{attrs.get('class_label_zh') or cls} ×{count:,}",
                label_en=f"{attrs.get('class_label_en') or cls} ×{count:,}",
                aliases=[],
                count=count,
                facts=[],
                events=[],
                **{k: attrs.get(k, "") for k in CLASS_KEYS},
            )
    links: Counter[tuple[str, str, str]] = Counter()
    labels: dict[str, tuple[str, str]] = {}
    for u, v, attrs in nxg.edges(data=True):
        key = (
            nxg.nodes[u].get("class", ""),
            attrs.get("relation", ""),
            nxg.nodes[v].get("class", ""),
        )
        links[key] += 1
        labels[key[1]] = (attrs.get("label_zh", ""), attrs.get("label_en", ""))
    for (tail, relation, head), count in sorted(links.items()):
        zh, en = labels[relation]
        agg.add_edge(
            f"class:{tail}",
            f"class:{head}",
            key=relation,
            relation=relation,
            kind="aggregate",
            label_zh=f"{zh} ×{count:,}",
            label_en=f"{en} ×{count:,}",
            count=count,
            evidence=[],
        )
    return agg


CLASS_KEYS = (
    "class",
    "class_label_zh",
    "class_label_en",
    "family",
    "family_label_zh",
    "family_label_en",
)


# ---------------------------------------------------------------- layout
def _spiral(nodes: list[Any]) -> dict[Any, tuple[float, float]]:
    """A sunflower spiral: deterministic, even, O(n); first node in the middle."""
    golden = math.pi * (3 - math.sqrt(5))
    scale = 1 / math.sqrt(max(len(nodes), 1))
    return {
        node: (
            math.sqrt(i) * scale * math.cos(i * golden),
            math.sqrt(i) * scale * math.sin(i * golden),
        )
        for i, node in enumerate(nodes)
    }


def _spring(graph: nx.Graph, seed: int) -> dict[Any, tuple[float, float]]:
    if graph.number_of_nodes() >= _SPRING_LIMIT:
        by_degree = sorted(graph.nodes, key=lambda n: (-graph.degree(n), str(n)))
        return _spiral(by_degree)
    n = graph.number_of_nodes()
    iterations = 100 if n <= 100 else 50
    pos = nx.spring_layout(graph, k=2.2 / math.sqrt(n), seed=seed, iterations=iterations)
    return {node: (float(x), float(y)) for node, (x, y) in pos.items()}


def layout(view: nx.MultiDiGraph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Seeded positions in pixels: the same graph always gets the same picture.

    Each connected component is laid out on its own (spring layout, or by community when
    large), scaled by its size, and the components are packed around the largest one; isolated
    nodes share a spiral.

    Args:
        view: The graph to draw.
        seed: Seeds the spring layout and the community detection.

    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(view.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in view.edges() if u != v))
    components = sorted(
        (sorted(c) for c in nx.connected_components(simple) if len(c) > 1),
        key=lambda c: (-len(c), c[0]),
    )
    isolated = sorted(n for n in simple if simple.degree(n) == 0)
    parts = [(_component(simple.subgraph(c), seed), len(c)) for c in components]
    if isolated:
        parts.append((_spiral(isolated), len(isolated)))
    return _pack(parts)


def _pack(
    parts: list[tuple[dict[str, tuple[float, float]], int]],
) -> dict[str, tuple[float, float]]:
    """The largest component in the middle, the others on rings around it, largest first.

    Each ring is an ellipse 1.4 times wider than tall (the explorer's canvas is landscape);
    a component takes the arc its diameter needs, and a full ring starts the next one out.
    """
    gap, unit, aspect = 20.0, 60.0, 1.4
    diameters = [
        2 * unit * (math.sqrt(size) + 1) if i == 0 else unit * (1.2 * math.sqrt(size) + 1)
        for i, (_, size) in enumerate(parts)
    ]
    centres: list[tuple[float, float]] = []
    if parts:
        centres.append((0.0, 0.0))
    inner = diameters[0] / 2 if diameters else 0.0
    i = 1
    while i < len(parts):
        ring_width = diameters[i]
        radius = inner + gap + ring_width / 2
        circumference = 2 * math.pi * radius
        members: list[int] = []
        used = 0.0
        while i < len(parts) and used + diameters[i] + gap <= circumference:
            members.append(i)
            used += diameters[i] + gap
            i += 1
        if not members:
            members, i = [i], i + 1
        angle = -math.pi / 2
        step = (circumference - used) / len(members)
        for k in members:
            arc = (diameters[k] + gap + step) / radius
            mid = angle + (diameters[k] / 2) / radius
            centres.append((aspect * radius * math.cos(mid), radius * math.sin(mid)))
            angle += arc
        inner = radius + ring_width / 2
    pos: dict[str, tuple[float, float]] = {}
    for (local, _), diameter, (cx, cy) in zip(parts, diameters, centres, strict=True):
        radius = diameter / 2
        for node, (nx_, ny_) in local.items():
            pos[node] = (round(cx + nx_ * radius, 1), round(cy + ny_ * radius, 1))
    return pos


def _component(graph: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    if _EVEN_FROM <= graph.number_of_nodes() <= _EVEN_LIMIT:
        return _stress(graph)
    if graph.number_of_nodes() < _SPRING_LIMIT:
        return _spring(graph, seed)
    return _community_layout(graph, seed)


def _community_layout(graph: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    """Communities placed by a spring layout of the community graph, members around them."""
    communities = sorted(
        (sorted(c) for c in nx.community.louvain_communities(graph, seed=seed)),
        key=lambda c: (-len(c), c[0]),
    )
    where = {node: i for i, members in enumerate(communities) for node in members}
    meta = nx.Graph()
    meta.add_nodes_from(range(len(communities)))
    for u, v in graph.edges():
        a, b = where[u], where[v]
        if a != b:
            weight = meta.edges[a, b]["weight"] + 1 if meta.has_edge(a, b) else 1
            meta.add_edge(a, b, weight=weight)
    centres = _spring(meta, seed)
    total = graph.number_of_nodes()
    pos: dict[str, tuple[float, float]] = {}
    for i, members in enumerate(communities):
        cx, cy = centres[i]
        radius = 0.9 * math.sqrt(len(members) / total)
        for node, (x, y) in _spring(graph.subgraph(members), seed).items():
            pos[node] = (cx + x * radius, cy + y * radius)
    return pos


def _stress(graph: nx.Graph, iterations: int = 300) -> dict[str, tuple[float, float]]:
    """Stress majorisation (SMACOF) of a connected graph, with numpy alone; deterministic.

    Minimises Kamada and Kawai's energy, the sum over node pairs of
    ``(|xᵢ - xⱼ| - dᵢⱼ)² / dᵢⱼ²`` with ``dᵢⱼ`` the hop distance, so nodes are evenly spaced
    (room for their labels); starts from classical scaling (MDS) of the same distances, and
    ends with the longest extent horizontal, as the canvas is. Coordinates within [-1, 1].
    (NetworkX's ``kamada_kawai_layout`` gives the same kind of picture but needs SciPy,
    whose import alone costs the explorer half a second.)
    """
    import numpy as np

    nodes = list(graph)
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    degree = dict(graph.degree)

    def length(u: Any, v: Any, _: Any) -> float:
        return math.sqrt(degree[u] + degree[v])

    hops = np.zeros((n, n))
    for node, lengths in nx.all_pairs_dijkstra_path_length(graph, weight=length):
        row = index[node]
        for other, distance in lengths.items():
            hops[row, index[other]] = distance
    centring = np.eye(n) - 1.0 / n
    gram = -0.5 * centring @ (hops**2) @ centring
    values, vectors = np.linalg.eigh(gram)
    x = vectors[:, [-1, -2]] * np.sqrt(np.maximum(values[[-1, -2]], 1e-9))
    x *= np.sign(x[np.argmax(np.abs(x), axis=0), [0, 1]])  # one sign, whatever eigh returns
    off = ~np.eye(n, dtype=bool)
    weights = np.zeros((n, n))
    weights[off] = hops[off] ** -2.0
    laplacian = np.diag(weights.sum(axis=1)) - weights
    inverse = np.linalg.pinv(laplacian)
    stress = np.inf
    for _ in range(iterations):
        gaps = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2))
        pull = np.zeros((n, n))
        pull[off] = -weights[off] * hops[off] / np.maximum(gaps[off], 1e-9)
        pull[np.diag_indices(n)] = -pull.sum(axis=1)
        x = inverse @ (pull @ x)
        x -= x.mean(axis=0)
        before, stress = stress, float((weights[off] * (gaps[off] - hops[off]) ** 2).sum())
        if before - stress < 1e-5 * stress:
            break
    _, _, axes = np.linalg.svd(x, full_matrices=False)
    x = x @ axes.T
    x *= np.sign(x[np.argmax(np.abs(x), axis=0), [0, 1]])
    x /= max(float(np.abs(x).max()), 1e-9)
    return {node: (float(px), float(py)) for node, (px, py) in zip(nodes, x, strict=True)}
