"""Where the large view puts each node: communities found in C, placed by a seeded layout.

The nodes are integers ``0 … count-1`` and the links pairs of them, so the places can be computed
from a NetworkX projection (:func:`kg.explore.large.large_places`) or from arrays read straight
from a store (:mod:`kg.network.outline`, drawn by :mod:`kg.explore.sketch`) alike, with the same
picture for the same graph.

Communities: Louvain's multilevel modularity optimisation in igraph's C library (about 0.2 s
for 55k nodes and 100k links, where NetworkX's Python one took 6–8 s), with igraph's random
numbers drawn from a :class:`random.Random` seeded by ``seed`` for the call alone, so the same
graph and seed give the same communities in every run. The communities are placed by a spring
layout of the community graph (NetworkX's below 500 communities, igraph's from there on: NetworkX
would need SciPy); each community's members sit on a sunflower spiral around its
place, the best connected in the middle.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import networkx as nx

__all__ = ["Places", "places"]

_GOLDEN = math.pi * (3 - math.sqrt(5))
SCALE = 500.0
"""Half the width of the drawing's box, in the page's units."""


@dataclass(frozen=True)
class Places:
    """Each node's place and community, and each community's disc.

    Attributes:
        x: Each node's place, rounded to one decimal.
        y: Each node's place.
        community: Each node's community (an index into ``discs``).
        members: Each community's nodes, the best connected first (the largest community first).
        discs: Each community's disc: ``(x, y, radius)``.
        degree: Each node's number of distinct neighbours (links to itself left out).

    """

    x: list[float]
    y: list[float]
    community: list[int]
    members: list[list[int]]
    discs: list[tuple[float, float, float]]
    degree: list[int]


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """Draw igraph's random numbers from a generator seeded with ``seed``, in this block alone."""
    import igraph

    igraph.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)


def _sunflower(count: int) -> list[tuple[float, float]]:
    """``count`` points evenly spread on a unit disc, the first in the middle."""
    return [
        (
            math.sqrt((i + 0.5) / count) * math.cos(i * _GOLDEN),
            math.sqrt((i + 0.5) / count) * math.sin(i * _GOLDEN),
        )
        for i in range(count)
    ]


def _centres(meta: nx.Graph, seed: int) -> list[tuple[float, float]]:
    """Community places: the main connected block by a spring layout, the rest on a ring."""
    blocks = sorted(nx.connected_components(meta), key=lambda c: (-len(c), min(c)))
    main = meta.subgraph(blocks[0]) if blocks else meta
    placed = _spring(main, seed) if len(main) > 1 else {}
    centres = dict(placed)
    rest = sorted(c for c in meta if c not in centres)
    if len(main) == 1:
        centres[next(iter(main))] = (0.0, 0.0)
    for k, c in enumerate(rest):
        angle = 2 * math.pi * k / max(len(rest), 1)
        centres[c] = (1.25 * math.cos(angle), 1.25 * math.sin(angle))
    return [centres[c] for c in range(meta.number_of_nodes())]


DENSE_LIMIT = 500
"""NetworkX lays out fewer nodes than this with numpy alone; from it on it needs SciPy, which the
project does not install, so igraph's Fruchterman-Reingold (in C) lays out larger blocks."""


def _spring(block: nx.Graph, seed: int) -> dict[int, tuple[float, float]]:
    """A seeded spring layout of ``block`` (weighted by its links), in the square [-1, 1]²."""
    if len(block) < DENSE_LIMIT:
        placed = nx.spring_layout(block, seed=seed, iterations=50)
        return {c: (float(x), float(y)) for c, (x, y) in placed.items()}
    import igraph
    import numpy as np

    order = sorted(block)
    index = {c: i for i, c in enumerate(order)}
    links = sorted((min(index[u], index[v]), max(index[u], index[v])) for u, v in block.edges())
    graph = igraph.Graph(n=len(order), edges=links)
    weights = [block[order[a]][order[b]].get("weight", 1) for a, b in links]
    with _seeded(seed):
        points = np.array(graph.layout_fruchterman_reingold(weights=weights, niter=200).coords)
    points -= points.mean(axis=0)  # as NetworkX rescales: centred, the farthest at 1
    points /= max(float(np.abs(points).max()), 1e-9)
    return {c: (float(x), float(y)) for c, (x, y) in zip(order, points, strict=True)}


def _radii(centres: list[tuple[float, float]], sizes: list[int]) -> list[float]:
    """Each community's disc: room by its size, at most half the way to its nearest neighbour."""
    import numpy as np

    points = np.array(centres, dtype=float).reshape(-1, 2)
    total = max(sum(sizes), 1)
    radii = []
    for i, size in enumerate(sizes):
        gaps = np.hypot(*(points - points[i]).T)
        gaps[i] = np.inf
        nearest = float(gaps.min()) if len(sizes) > 1 else 2.0
        radii.append(min(0.9 * math.sqrt(size / total), 0.5 * nearest))
    return radii


def _pairs(ends: Any, count: int, *, counted: bool = False) -> Any:
    """Each pair of ``ends`` (``count`` nodes) once, lower end first, in order (in numpy).

    A node's links to itself are left out; with ``counted``, a third column says how many times
    each pair was given.
    """
    import numpy as np

    low, high = ends.min(axis=1, initial=count), ends.max(axis=1, initial=0)
    apart = low != high
    keys, times = np.unique(low[apart] * max(count, 1) + high[apart], return_counts=True)
    columns = [keys // max(count, 1), keys % max(count, 1)] + ([times] if counted else [])
    return np.stack(columns, axis=1).reshape(-1, len(columns))


def places(count: int, links: Sequence[tuple[int, int]], seed: int = 7) -> Places:
    """Seeded places for ``count`` nodes joined by ``links`` (their order does not matter).

    Args:
        count: How many nodes; node ``i`` is the ``i``-th in an order the caller keeps stable
            (ties between equally connected nodes go to the lower index).
        links: Pairs of node indices (repeated pairs and links to a node itself are ignored).
        seed: Seeds the community detection and the spring layout of the communities.

    Returns:
        The places, in a box about 1,000 units wide.

    """
    import igraph
    import numpy as np

    pairs = _pairs(np.array(links, dtype=np.int64).reshape(-1, 2), count)
    graph = igraph.Graph(n=count, edges=pairs.tolist())
    degree = graph.degree()
    with _seeded(seed):
        membership = graph.community_multilevel().membership if count else []
    groups: dict[int, list[int]] = {}
    for node, group in enumerate(membership):
        groups.setdefault(group, []).append(node)
    members = sorted(
        (sorted(nodes, key=lambda n: (-degree[n], n)) for nodes in groups.values()),
        key=lambda c: (-len(c), c[0]),
    )
    community = [0] * count
    for c, nodes in enumerate(members):
        for node in nodes:
            community[node] = c
    meta = nx.Graph()
    meta.add_nodes_from(range(len(members)))
    # each pair of communities once, weighted by the links between them, in order
    between = _pairs(np.array(community, dtype=np.int64)[pairs], len(members), counted=True)
    meta.add_weighted_edges_from(between.tolist())
    centres = _centres(meta, seed)
    radii = _radii(centres, [len(nodes) for nodes in members])
    x, y = [0.0] * count, [0.0] * count
    discs = []
    for c, nodes in enumerate(members):
        (cx, cy), radius = centres[c], radii[c]
        for node, (px, py) in zip(nodes, _sunflower(len(nodes)), strict=True):
            x[node] = round((cx + px * radius) * SCALE, 1)
            y[node] = round((cy + py * radius) * SCALE, 1)
        discs.append((round(cx * SCALE, 1), round(cy * SCALE, 1), round(radius * SCALE, 1)))
    return Places(x, y, community, members, discs, degree)
