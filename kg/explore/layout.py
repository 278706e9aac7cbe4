"""Which part of the graph the explorer draws, and where each node goes.

A focus view is an entity's ego network; a graph too large to draw node by node becomes one
node per class; positions are computed here (stress majorisation, spring, or by community when
large; numpy, no SciPy) so the page opens at once instead of simulating.
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
    parts = [(_component(_induced(simple, c), seed), len(c)) for c in components]
    if isolated:
        parts.append((_spiral(isolated), len(isolated)))
    return _pack(parts)


Part = tuple[dict[str, tuple[float, float]], int]
"""A component's own positions (within [-1, 1]) and its node count."""
_TIGHT_LIMIT = 40
"""Up to this many components, the smaller ones are fitted into the room the largest leaves."""
_ASPECT = 1.3
"""The explorer's canvas is about this many times wider than tall."""
_LABEL_ROOM = (110.0, 50.0)
"""Room kept free around a node for its label (half-width, half-height, drawing units)."""


def _diameters(parts: list[Part]) -> list[float]:
    unit = 60.0
    return [
        2 * unit * (math.sqrt(size) + 1) if i == 0 else unit * (1.2 * math.sqrt(size) + 1)
        for i, (_, size) in enumerate(parts)
    ]


def _induced(graph: nx.Graph, nodes: list[Any]) -> nx.Graph:
    """The subgraph on ``nodes``, its nodes and edges in sorted order.

    (A subgraph view lists its nodes in the order of a Python set, which changes from one run
    to the next with string hashing; the layouts start from the node order.)
    """
    sub = nx.Graph()
    sub.add_nodes_from(sorted(nodes))
    sub.add_edges_from(sorted(tuple(sorted(e)) for e in graph.subgraph(nodes).edges()))
    return sub


def _pack(parts: list[Part]) -> dict[str, tuple[float, float]]:
    """The largest component in the middle, the others around it, largest first."""
    if 1 < len(parts) <= _TIGHT_LIMIT:
        return _pack_tight(parts)
    return _pack_rings(parts)


def _pack_tight(parts: list[Part]) -> dict[str, tuple[float, float]]:
    """Each smaller component goes where the drawing's box grows least, at the canvas's aspect.

    Places are tried on rings around the middle; a place is free when the component stays out
    of the largest one's convex hull (its edges cross there) and no node already placed (with
    room for its label) falls inside the component's box. Ties go to the place nearest the
    middle, so the picture is compact and the largest component gets most of the canvas.
    """
    import numpy as np

    diameters = _diameters(parts)
    radius = diameters[0] / 2
    pos = {node: (x * radius, y * radius) for node, (x, y) in parts[0][0].items()}
    placed = np.array(list(pos.values()), dtype=float).reshape(-1, 2)
    reach = 3 * radius + sum(diameters[1:])
    step = max(20.0, radius / 30)
    rings = np.arange(step, reach, step)
    angles = np.linspace(0, 2 * np.pi, 96, endpoint=False)
    candidates = np.stack(
        [np.outer(rings, np.cos(angles)).ravel(), np.outer(rings, np.sin(angles)).ravel()], axis=1
    )
    room_x, room_y = _LABEL_ROOM
    hull = _hull(placed)
    edges = np.roll(hull, -1, axis=0) - hull
    lengths = np.maximum(np.hypot(edges[:, 0], edges[:, 1]), 1e-9)
    for (local, _), diameter in zip(parts[1:], diameters[1:], strict=True):
        half = diameter / 2
        own = np.array(list(local.values()), dtype=float).reshape(-1, 2) * half
        low, high = own.min(axis=0), own.max(axis=0)
        free = np.ones(len(candidates), dtype=bool)
        for x, y in own:  # each of its nodes outside the hull, with room for a label
            points = candidates + np.array([x, y])
            offsets = points[:, None, :] - hull[None, :, :]
            cross = edges[None, :, 0] * offsets[:, :, 1] - edges[None, :, 1] * offsets[:, :, 0]
            free &= (cross / lengths[None, :] < -room_y).any(axis=1)
        left = np.flatnonzero(free)
        xs, ys = candidates[left, 0], candidates[left, 1]
        for x, y in placed:
            hit = (
                (xs + low[0] - room_x < x)
                & (x < xs + high[0] + room_x)
                & (ys + low[1] - room_y < y)
                & (y < ys + high[1] + room_y)
            )
            free[left[hit]] = False
        box_low, box_high = placed.min(axis=0), placed.max(axis=0)
        width = np.maximum(box_high[0], candidates[:, 0] + high[0]) - np.minimum(
            box_low[0], candidates[:, 0] + low[0]
        )
        height = np.maximum(box_high[1], candidates[:, 1] + high[1]) - np.minimum(
            box_low[1], candidates[:, 1] + low[1]
        )
        need = np.maximum(width / _ASPECT, height)
        need[~free] = np.inf
        best = int(np.lexsort((np.hypot(candidates[:, 0], candidates[:, 1]), need))[0])
        cx, cy = candidates[best]
        for node, (x, y) in local.items():
            pos[node] = (float(cx + x * half), float(cy + y * half))
        placed = np.vstack([placed, own + candidates[best]])
    return {node: (round(x, 1), round(y, 1)) for node, (x, y) in pos.items()}


def _hull(points: Any) -> Any:
    """The convex hull of ``points`` (an n×2 array), counter-clockwise (Andrew's monotone chain).

    Fewer than three distinct points give a degenerate hull: what is outside it is then
    decided by its one or two edges.
    """
    import numpy as np

    ordered = sorted({(float(x), float(y)) for x, y in points})
    if len(ordered) < 3:
        return np.array(ordered, dtype=float).reshape(-1, 2)

    def turn(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    upper: list[tuple[float, float]] = []
    for point in ordered:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], point) <= 0:
            lower.pop()
        lower.append(point)
    for point in reversed(ordered):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], point) <= 0:
            upper.pop()
        upper.append(point)
    return np.array(lower[:-1] + upper[:-1], dtype=float)


def _pack_rings(parts: list[Part]) -> dict[str, tuple[float, float]]:
    """The largest component in the middle, the others on rings around it, largest first.

    Each ring is an ellipse 1.4 times wider than tall (the explorer's canvas is landscape);
    a component takes the arc its diameter needs, and a full ring starts the next one out.
    """
    gap, aspect = 20.0, 1.4
    diameters = _diameters(parts)
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
        for node, (x, y) in _spring(_induced(graph, members), seed).items():
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
