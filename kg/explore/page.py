"""The interactive explorer: one self-contained, offline HTML file drawn with vis-network.

:func:`render_html` turns a projection (:mod:`kg.network.projection`) into a single HTML file
that works opened from disk with no network at all: vis-network's script and stylesheet (the
copy the pyvis package ships) are inlined, and so are the data and the explorer's own script.

Safety: the data travels as JSON in a ``<script type="application/json">`` block with ``<``,
``>`` and ``&`` escaped, and the page writes every label, tooltip and quote with ``textContent``
or ``createTextNode``; no ``innerHTML`` anywhere. (pyvis's own template is not used: it does not
autoescape and switches tooltips to ``innerHTML`` when a title contains "href".) pyvis's
``from_nx`` is not used either: it mutates its input and is quadratic in the node count.

Layout: positions are computed here, seeded, so the same data always gives the same picture and
the page draws at once with physics off. Up to 500 nodes: NetworkX's spring layout; above that,
Louvain communities are laid out as a graph and each community's members around its place.
Above ``max_nodes`` (default 2,000) the explorer draws one node per class instead, and says so;
``focus``/``hops`` draw an entity's neighbourhood.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from kg.network.analytics import MEASURES, resolve, scores
from kg.network.export import write_atomically

__all__ = [
    "DEFAULT_MAX_NODES",
    "ExplorerPage",
    "LargeGraphWarning",
    "RenderReport",
    "explorer_page",
    "render_html",
]

DEFAULT_MAX_NODES = 2_000
"""Above this many nodes the explorer draws the aggregated view."""
DEFAULT_TITLE = "智谱知识图谱 · Zhipu knowledge graph"
_SPRING_LIMIT = 500
"""NetworkX's spring layout is dense (numpy) below this size; larger sets go by community."""
_VIS = "lib/vis-9.1.2"
_PALETTE = (
    "#d1495b",
    "#2e86ab",
    "#66a182",
    "#edae49",
    "#8e6c8a",
    "#00798c",
    "#f26419",
    "#7a9e9f",
    "#b56576",
    "#3d5a80",
    "#98c1d9",
    "#6d597a",
    "#e07a5f",
    "#81b29a",
    "#bc6c25",
    "#588157",
    "#9c6644",
    "#5f0f40",
    "#4361ee",
    "#8d99ae",
)
_SHAPES = {
    "kg:Organization": "dot",
    "kg:Person": "star",
    "kg:Place": "triangle",
    "kg:AIModel": "square",
    "kg:Product": "hexagon",
}
_OTHER_SHAPES = ("diamond", "triangleDown", "hexagon", "square", "triangle", "dot", "star")
_FACT_FAMILIES = ("kg:Event", "kg:Observation", "kg:Claim")
_FACT_COLOUR = "#f6e3a1"
"""Facts drawn as nodes are pale boxes with their label inside."""


class LargeGraphWarning(UserWarning):
    """The graph has more nodes than the explorer draws one by one."""


Mode = Literal["full", "focus", "aggregated"]


@dataclass(frozen=True)
class ExplorerPage:
    """The explorer for one view of a graph.

    Attributes:
        html: The self-contained page.
        mode: ``full``, ``focus`` (an ego network) or ``aggregated`` (one node per class).
        nodes: Nodes drawn.
        edges: Edges drawn.
        total_nodes: Nodes in the graph given.
        message: Why the view is not the full graph ("" when it is).

    """

    html: str
    mode: Mode
    nodes: int
    edges: int
    total_nodes: int
    message: str


@dataclass(frozen=True)
class RenderReport:
    """What :func:`render_html` wrote.

    Attributes:
        path: The HTML file.
        mode: As in :class:`ExplorerPage`.
        nodes: Nodes drawn.
        edges: Edges drawn.
        total_nodes: Nodes in the graph given.
        bytes: Size of the file.
        message: Why the view is not the full graph ("" when it is).

    """

    path: Path
    mode: Mode
    nodes: int
    edges: int
    total_nodes: int
    bytes: int
    message: str


# ---------------------------------------------------------------- choosing the view
def _ego(nxg: nx.MultiDiGraph, focus: str, hops: int) -> nx.MultiDiGraph:
    center = resolve(nxg, focus)
    around = nx.ego_graph(nxg.to_undirected(as_view=True), center, radius=hops)
    return nxg.subgraph(sorted(around.nodes))


def _aggregate(nxg: nx.MultiDiGraph) -> nx.MultiDiGraph:
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
                **{k: attrs.get(k, "") for k in _CLASS_KEYS},
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


_CLASS_KEYS = (
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
    """Shelf-pack laid-out components, largest first: rows left to right, top to bottom."""
    gap, unit = 40.0, 60.0
    diameters = [2 * unit * (math.sqrt(size) + 1) for _, size in parts]
    width = max([*diameters[:1], 1.2 * math.sqrt(sum(d * d for d in diameters))])
    pos: dict[str, tuple[float, float]] = {}
    x = y = row = 0.0
    for (local, _), diameter in zip(parts, diameters, strict=True):
        if x > 0 and x + diameter > width:
            x, y, row = 0.0, y + row + gap, 0.0
        radius = diameter / 2
        for node, (nx_, ny_) in local.items():
            pos[node] = (round(x + radius + nx_ * radius, 1), round(y + radius + ny_ * radius, 1))
        x += diameter + gap
        row = max(row, diameter)
    return pos


def _component(graph: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
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


# ---------------------------------------------------------------- the page's data
def _styles(view: nx.MultiDiGraph) -> dict[str, dict[str, str]]:
    families = Counter(attrs.get("family", "") for _, attrs in view.nodes(data=True))
    order = sorted(families, key=lambda f: (-families[f], f))
    styles: dict[str, dict[str, str]] = {}
    others = iter(_OTHER_SHAPES * (len(order) // len(_OTHER_SHAPES) + 1))
    for i, family in enumerate(order):
        if family in _FACT_FAMILIES:
            styles[family] = {"color": _FACT_COLOUR, "shape": "box"}
        else:
            shape = _SHAPES.get(family) or next(others)
            styles[family] = {"color": _PALETTE[i % len(_PALETTE)], "shape": shape}
    return styles


class _Payload:
    """Collects the page's data, storing each quote and each fact once."""

    def __init__(self) -> None:
        self.quotes: dict[str, dict[str, Any]] = {}
        self.facts: dict[str, dict[str, Any]] = {}

    def evidence(self, evidence: list[dict[str, Any]]) -> list[str]:
        ids = []
        for quote in evidence:
            self.quotes.setdefault(
                quote["graph"],
                {
                    "quote": quote.get("quote", ""),
                    "start": quote.get("start"),
                    "end": quote.get("end"),
                },
            )
            ids.append(quote["graph"])
        return ids

    def literal_facts(self, facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**f, "evidence": self.evidence(f.get("evidence", []))} for f in facts]

    def fact(self, attrs: dict[str, Any]) -> str:
        fid = str(attrs.get("fact", ""))
        if fid and fid not in self.facts:
            self.facts[fid] = {
                "id": fid,
                "class": attrs.get("fact_class", ""),
                "label_zh": attrs.get("fact_label_zh", ""),
                "label_en": attrs.get("fact_label_en", ""),
                "date": attrs.get("date", ""),
                "date_start": attrs.get("date_start", ""),
                "date_text": attrs.get("date_text", ""),
                "amount_zh": attrs.get("amount_zh", ""),
                "amount_en": attrs.get("amount_en", ""),
                "details": self.literal_facts(attrs.get("details", [])),
                "related": attrs.get("related", []),
                "curated": bool(attrs.get("curated")),
                "evidence": self.evidence(attrs.get("evidence", [])),
            }
        return fid


def _node_data(payload: _Payload, node: str, attrs: dict[str, Any]) -> dict[str, Any]:
    data = {
        "id": node,
        "kind": attrs.get("kind", "entity"),
        "label_zh": attrs.get("label_zh", node),
        "label_en": attrs.get("label_en", node),
        "aliases": attrs.get("aliases", []),
        "curie": attrs.get("curie", ""),
        **{k: attrs.get(k, "") for k in _CLASS_KEYS},
        "facts": payload.literal_facts(attrs.get("facts", [])),
        "events": [payload.fact(event) for event in attrs.get("events", [])],
    }
    if attrs.get("kind") == "fact":
        data["fact"] = payload.fact(attrs)
        data["date_start"] = attrs.get("date_start", "")
    return data


def _edge_data(
    payload: _Payload, index: int, u: str, v: str, attrs: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": f"e{index}",
        "from": u,
        "to": v,
        "relation": attrs.get("relation", ""),
        "kind": attrs.get("kind", ""),
        "label_zh": attrs.get("label_zh", ""),
        "label_en": attrs.get("label_en", ""),
        "fact": payload.fact(attrs),
        "date": attrs.get("date", ""),
        "date_start": attrs.get("date_start", ""),
        "amount_zh": attrs.get("amount_zh", ""),
        "amount_en": attrs.get("amount_en", ""),
        "curated": bool(attrs.get("curated")),
        "evidence": payload.evidence(attrs.get("evidence", [])),
    }


def _curves(edges: list[dict[str, Any]]) -> None:
    """Bend parallel edges apart: the k-th edge between two nodes gets roundness 0.2·k."""
    seen: Counter[tuple[str, str]] = Counter()
    for edge in edges:
        pair = (min(edge["from"], edge["to"]), max(edge["from"], edge["to"]))
        edge["curve"] = round(0.2 * seen[pair], 2)
        seen[pair] += 1


def build_data(
    view: nx.MultiDiGraph,
    *,
    lang: str,
    title: str,
    mode: str,
    message: tuple[str, str],
    total: tuple[int, int],
    seed: int,
) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready data."""
    payload = _Payload()
    positions = layout(view, seed)
    measures = {m: scores(view, m, seed=seed) for m in MEASURES}
    nodes = []
    for node, attrs in sorted(view.nodes(data=True), key=lambda na: str(na[0])):
        data = _node_data(payload, node, attrs)
        data["x"], data["y"] = positions[node]
        data["count"] = attrs.get("count", 1)
        data["score"] = {m: round(measures[m].get(node, 0.0), 6) for m in MEASURES}
        nodes.append(data)
    edges = [
        _edge_data(payload, i, u, v, attrs)
        for i, (u, v, attrs) in enumerate(
            sorted(
                view.edges(data=True),
                key=lambda e: (str(e[0]), str(e[1]), e[2].get("relation", "")),
            )
        )
    ]
    _curves(edges)
    classes: defaultdict[str, dict[str, Any]] = defaultdict(dict)
    for data in nodes:
        entry = classes[data["class"]]
        entry.update({k: data[k] for k in _CLASS_KEYS})
        entry["count"] = entry.get("count", 0) + data["count"]
    return {
        "title": title,
        "lang": lang,
        "mode": mode,
        "message_zh": message[0],
        "message_en": message[1],
        "total_nodes": total[0],
        "total_edges": total[1],
        "families": _styles(view),
        "classes": sorted(classes.values(), key=lambda c: (c["family"], c["class"])),
        "nodes": nodes,
        "edges": edges,
        "facts": payload.facts,
        "quotes": payload.quotes,
        "seed": seed,
    }


# ---------------------------------------------------------------- the HTML file
def _script_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survives."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _asset(package: str, name: str) -> str:
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def page(data: dict[str, Any]) -> str:
    """The explorer's HTML for ``data`` (from :func:`build_data`)."""
    parts = {
        "TITLE": html.escape(data["title"]),
        "LANG": "zh-CN" if data["lang"] == "zh" else "en",
        "VIS_CSS": _asset("pyvis", f"{_VIS}/vis-network.css"),
        "VIS_JS": _asset("pyvis", f"{_VIS}/vis-network.min.js"),
        "APP_CSS": _asset("kg", "web/explorer.css"),
        "APP_JS": _asset("kg", "web/explorer.js"),
        "DATA": _script_json(data),
    }
    return re.sub(r"@@(\w+)@@", lambda m: parts[m.group(1)], _asset("kg", "web/explorer.html"))


def explorer_page(
    nxg: nx.MultiDiGraph,
    *,
    lang: Literal["zh", "en"] = "zh",
    focus: str | None = None,
    hops: int | None = None,
    title: str = DEFAULT_TITLE,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    seed: int = 7,
) -> ExplorerPage:
    """The explorer page for ``nxg`` (``nxg`` is not modified); for a server to send as is.

    Args:
        nxg: A projection from :func:`kg.network.projection.to_networkx` or
            :func:`~kg.network.projection.from_construct`.
        lang: The language the page opens in (a button switches).
        focus: Draw only this entity's neighbourhood (id, CURIE, label or alias).
        hops: The neighbourhood's radius (default 1; requires ``focus``).
        title: The page title.
        max_nodes: Above this many nodes, draw one node per class instead (``None``: never).
        seed: Seeds the layout: same data and seed, same picture.

    Returns:
        The page and what it draws. A :class:`LargeGraphWarning` is issued when the view is
        aggregated.

    Raises:
        ValueError: If ``hops`` is given without ``focus`` or is negative.
        kg.network.analytics.EntityNotFound: If ``focus`` names nothing.
        kg.network.analytics.AmbiguousEntity: If ``focus`` names several entities.

    """
    if hops is not None and (focus is None or hops < 0):
        raise ValueError("--hops needs --focus and a number of hops ≥ 0")
    view = nxg
    mode: Mode = "full"
    message = ("", "")
    if focus is not None:
        view, mode = _ego(nxg, focus, 1 if hops is None else hops), "focus"
    if max_nodes is not None and view.number_of_nodes() > max_nodes:
        count = view.number_of_nodes()
        message = (
            f"图中有 {count:,} 个节点,超过逐个绘制的上限 {max_nodes:,}:此处按类别汇总显示。"
            "用 --focus 实体 --hops N 查看某个实体周围的局部。",
            f"The graph has {count:,} nodes, more than the {max_nodes:,} drawn one by one: "
            "this view shows one node per class. Use --focus ENTITY --hops N for a neighbourhood.",
        )
        warnings.warn(message[1], LargeGraphWarning, stacklevel=2)
        view, mode = _aggregate(view), "aggregated"
    data = build_data(
        view,
        lang=lang,
        title=title,
        mode=mode,
        message=message,
        total=(nxg.number_of_nodes(), nxg.number_of_edges()),
        seed=seed,
    )
    return ExplorerPage(
        html=page(data),
        mode=mode,
        nodes=view.number_of_nodes(),
        edges=view.number_of_edges(),
        total_nodes=nxg.number_of_nodes(),
        message=message[1],
    )


def render_html(
    nxg: nx.MultiDiGraph,
    out_path: str | os.PathLike[str],
    *,
    lang: Literal["zh", "en"] = "zh",
    focus: str | None = None,
    hops: int | None = None,
    title: str = DEFAULT_TITLE,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    seed: int = 7,
) -> RenderReport:
    """Write the explorer for ``nxg`` to ``out_path``, atomically.

    Takes the arguments of :func:`explorer_page`, raises what it raises, and warns the same.

    Returns:
        What was drawn, where, and the file's size.

    """
    explorer = explorer_page(
        nxg, lang=lang, focus=focus, hops=hops, title=title, max_nodes=max_nodes, seed=seed
    )
    path = Path(out_path)
    write_atomically(path, lambda tmp: tmp.write_text(explorer.html, encoding="utf-8"))
    return RenderReport(
        path=path,
        mode=explorer.mode,
        nodes=explorer.nodes,
        edges=explorer.edges,
        total_nodes=explorer.total_nodes,
        bytes=path.stat().st_size,
        message=explorer.message,
    )
