"""Names and centrality on the NetworkX projection (:mod:`kg.network.projection`).

Entities are named by IRI, CURIE (``kgr:TangJie``), or a label or alias in either language,
case-insensitively (``唐杰``, ``tang jie``, ``Zhipu``). Paths between two entities, ranked by
meaning, are :mod:`kg.network.paths`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx

from kg.errors import InvalidValue
from kg.query.resolve import AmbiguousEntity, EntityNotFound, Entry, Names

__all__ = [
    "MEASURES",
    "AmbiguousEntity",
    "EntityNotFound",
    "Measure",
    "Ranked",
    "betweenness_sample",
    "centrality",
    "names_of",
    "pagerank_of_pairs",
    "resolve",
    "scores",
]

Measure = Literal["degree", "betweenness", "pagerank"]
MEASURES: tuple[Measure, ...] = ("degree", "betweenness", "pagerank")
_EXACT_BETWEENNESS_LIMIT = 500
"""Above this many nodes betweenness is estimated from a seeded sample of sources…"""
_BETWEENNESS_SAMPLE = 50
"""…of this many sources (exact betweenness is O(nodes × edges))."""


@dataclass(frozen=True)
class Ranked:
    """An entity and its centrality score.

    Attributes:
        id: The node id (IRI).
        label_zh: Its Chinese label.
        label_en: Its English label.
        score: The measure's value.

    """

    id: str
    label_zh: str
    label_en: str
    score: float


def names_of(nxg: nx.MultiDiGraph) -> Names:
    """The resolver's index over the projection's nodes (labels, aliases, class)."""
    entries = (
        Entry(
            str(node),
            {k: v for k in ("zh", "en") if (v := attrs.get(f"label_{k}"))},
            list(attrs.get("aliases", [])),
            [attrs["class"]] if attrs.get("class") else [],
        )
        for node, attrs in nxg.nodes(data=True)
    )
    return Names(entries, referents=nxg.graph.get("referents", {}))  # merged IRIs too


def resolve(nxg: nx.MultiDiGraph, name: str) -> str:
    """The id of the node ``name`` designates, by :meth:`kg.query.resolve.Names.resolve`.

    Raises:
        EntityNotFound: If nothing matches (naming the closest entities).
        AmbiguousEntity: If several nodes match (listing them with their types).

    """
    return names_of(nxg).resolve(name)


def scores(nxg: nx.MultiDiGraph, measure: Measure, *, seed: int = 7) -> dict[str, float]:
    """Every node's centrality on the undirected simple graph of ``nxg``.

    Args:
        nxg: A projection.
        measure: ``degree``, ``betweenness`` (estimated from 50 seeded sources above 500
            nodes) or ``pagerank``.
        seed: For the betweenness sample.

    Raises:
        ValueError: For an unknown measure.

    """
    simple = nx.Graph(nxg.to_undirected(as_view=True))
    if measure == "degree":
        result = nx.degree_centrality(simple)
    elif measure == "betweenness":
        result = nx.betweenness_centrality(
            simple, k=betweenness_sample(simple.number_of_nodes()), seed=seed
        )
    elif measure == "pagerank":
        result = _pagerank(simple)
    else:
        raise InvalidValue(f"unknown measure {measure!r}: use one of {', '.join(MEASURES)}")
    return {str(node): float(value) for node, value in result.items()}


def betweenness_sample(nodes: int) -> int | None:
    """How many sampled sources :func:`scores` estimates betweenness from (``None``: exact).

    >>> betweenness_sample(500), betweenness_sample(501)
    (None, 50)
    """
    return _BETWEENNESS_SAMPLE if nodes > _EXACT_BETWEENNESS_LIMIT else None


def _pagerank(graph: nx.Graph) -> dict[Any, float]:
    """NetworkX's PageRank of ``graph`` (same iteration and stopping rule), with numpy alone.

    ``nx.pagerank`` needs SciPy, whose import alone costs the explorer half a second.
    """
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    pairs = [(index[u], index[v]) for u, v in graph.edges()]
    return dict(zip(nodes, pagerank_of_pairs(len(nodes), pairs), strict=True))


def pagerank_of_pairs(
    count: int,
    pairs: Sequence[tuple[int, int]] | Any,
    alpha: float = 0.85,
    max_iter: int = 100,
    tol: float = 1e-6,
) -> list[float]:
    """PageRank of the undirected simple graph of ``count`` nodes and the edges ``pairs``.

    As :func:`networkx.pagerank` on that graph: each pair once (a self-loop counts once), the
    same iteration and stopping rule.

    Args:
        count: The nodes, numbered from 0.
        pairs: Each undirected edge once, as two node numbers (or an array of them, n × 2).
        alpha: The damping factor.
        max_iter: Iterations before giving up.
        tol: The stopping rule's tolerance, per node.

    Returns:
        Each node's score, by number.

    Raises:
        networkx.PowerIterationFailedConvergence: If ``max_iter`` iterations do not settle it.

    >>> [round(x, 3) for x in pagerank_of_pairs(3, [(0, 1), (1, 2)])]
    [0.257, 0.486, 0.257]
    """
    import numpy as np

    if count == 0:
        return []
    ends = np.array(pairs, dtype=np.intp).reshape(-1, 2)
    loop = ends[:, 0] == ends[:, 1]
    tails = np.concatenate([ends[:, 0], ends[~loop, 1]])
    heads = np.concatenate([ends[:, 1], ends[~loop, 0]])
    out = np.bincount(tails, minlength=count).astype(float)
    inverse = np.divide(1.0, out, out=np.zeros(count), where=out != 0)
    dangling = out == 0
    x = np.full(count, 1.0 / count)
    for _ in range(max_iter):
        last = x
        spread = np.bincount(heads, weights=x[tails] * inverse[tails], minlength=count)
        x = alpha * (spread + x[dangling].sum() / count) + (1 - alpha) / count
        if np.absolute(x - last).sum() < count * tol:
            return [float(value) for value in x]
    raise nx.PowerIterationFailedConvergence(max_iter)


def centrality(nxg: nx.MultiDiGraph, measure: Measure = "degree", top: int = 20) -> list[Ranked]:
    """The ``top`` entities by ``measure``, highest first (ties by English label).

    >>> import kg
    >>> from kg.network.projection import to_networkx
    >>> centrality(to_networkx(kg.load()), "degree", top=1)[0].label_en
    'Zhipu AI'
    """
    values = scores(nxg, measure)
    ranked = [
        Ranked(node, attrs.get("label_zh", ""), attrs.get("label_en", ""), values.get(node, 0.0))
        for node, attrs in nxg.nodes(data=True)
        if attrs.get("kind", "entity") == "entity"
    ]
    ranked.sort(key=lambda r: (-r.score, r.label_en, r.id))
    return ranked[:top]
