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
the page draws at once with physics off. Each connected component on its own: 8 to 150 nodes by
stress majorisation (evenly spaced, room for labels), other sizes up to 500 by NetworkX's spring
layout, larger ones by Louvain community (the communities laid out as a graph, each one's members
around its place); the smaller components are then fitted into the room the largest one leaves.
Above ``max_nodes`` (default 2,000) the page draws every node with sigma.js instead
(:mod:`kg.explore.large`), or with ``renderer="vis"`` one node per class, and says so;
``focus``/``hops`` draw an entity's neighbourhood.
"""

from __future__ import annotations

import html
import importlib.util
import json
import os
import re
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from kg.data.hanzi import traditional_forms
from kg.data.output import write_text
from kg.errors import InvalidValue
from kg.explore.large import large_page
from kg.explore.layout import CLASS_KEYS, aggregate, ego, layout
from kg.explore.names import search_index
from kg.network.analytics import MEASURES, betweenness_sample, scores
from kg.network.paths import path_table
from kg.network.style import FIRST_SIGHT, styles

__all__ = [
    "DEFAULT_MAX_NODES",
    "DEFAULT_TITLE",
    "ExplorerPage",
    "LargeGraphWarning",
    "RenderReport",
    "explorer_page",
    "render_html",
]


DEFAULT_MAX_NODES = 2_000
"""Above this many nodes the explorer draws the aggregated view."""
DEFAULT_TITLE = "智谱知识图谱 · Zhipu knowledge graph"

_VIS = "lib/vis-9.1.2"
SCRIPTS = (
    "explorer-text.js",
    "explorer-url.js",
    "explorer-sight.js",
    "explorer-paths.js",
    "explorer-details.js",
    "explorer-search.js",
    "explorer-export.js",
    "explorer.js",
)
"""The explorer's scripts in ``kg/web/``, by concern, inlined in this order into one script."""


class LargeGraphWarning(UserWarning):
    """The graph has more nodes than the explorer draws one by one."""


Mode = Literal["full", "focus", "aggregated", "large"]
Renderer = Literal["auto", "vis", "sigma"]


@dataclass(frozen=True)
class ExplorerPage:
    """The explorer for one view of a graph.

    Attributes:
        html: The self-contained page.
        mode: ``full``, ``focus`` (an ego network), ``aggregated`` (one node per class) or
            ``large`` (every node, drawn with sigma.js by :mod:`kg.explore.large`).
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
                    "source": quote.get("source"),
                    "reported": quote.get("reported", ""),
                    "draft": bool(quote.get("draft")),
                    **{
                        key: quote[key]
                        for key in ("tier", "publisher", "published", "url", "locator")
                        if key in quote
                    },
                },
            )
            ids.append(quote["graph"])
        return ids

    def reported(self, ids: list[str]) -> str:
        """When the first of these quotes was surely reported (``""``: an undated source)."""
        days = [str(self.quotes[i].get("reported") or "") for i in ids]
        return "" if not days or "" in days else min(days)

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
            self.facts[fid]["reported"] = self.reported(self.facts[fid]["evidence"])
        return fid


def _node_data(payload: _Payload, node: str, attrs: dict[str, Any]) -> dict[str, Any]:
    data = {
        "id": node,
        "kind": attrs.get("kind", "entity"),
        "label_zh": attrs.get("label_zh", node),
        "label_en": attrs.get("label_en", node),
        "aliases": attrs.get("aliases", []),
        "curie": attrs.get("curie", ""),
        **{k: attrs.get(k, "") for k in CLASS_KEYS},
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
    evidence = payload.evidence(attrs.get("evidence", []))
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
        "evidence": evidence,
        "reported": payload.reported(evidence),
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
        entry.update({k: data[k] for k in CLASS_KEYS})
        entry["count"] = entry.get("count", 0) + data["count"]
    return {
        "title": title,
        "lang": lang,
        "mode": mode,
        "message_zh": message[0],
        "message_en": message[1],
        "total_nodes": total[0],
        "total_edges": total[1],
        "families": styles(view),
        "classes": sorted(classes.values(), key=lambda c: (c["family"], c["class"])),
        "nodes": nodes,
        "edges": edges,
        "facts": payload.facts,
        "quotes": payload.quotes,
        "paths": path_table(view, edges),  # the ranking of kg path, for the path panel
        "seed": seed,
        # the search box folds Traditional characters to the Simplified ones of these names
        "variants": traditional_forms(
            text for n in nodes for text in (n["label_zh"], *n["aliases"]) if text
        ),
        # what the search box needs for its did-you-mean (kg/explore/names.py)
        "search": search_index(nodes),
        # labelled first at first sight: the entities the project's brief names
        "first": [iri for iri in FIRST_SIGHT if iri in view],
        # betweenness is estimated from this many sampled sources (None: exact); the ranking says so
        "betweenness_sample": betweenness_sample(view.number_of_nodes()),
    }


# ---------------------------------------------------------------- the HTML file
def _script_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survives."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _asset(package: str, name: str) -> str:
    """A file shipped inside ``package``, read without importing the package.

    (Importing pyvis would pull in Jinja and IPython: a tenth of a second for a script file.)
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"package {package!r} is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return folder.joinpath(name).read_text(encoding="utf-8")


def page(data: dict[str, Any]) -> str:
    """The explorer's HTML for ``data`` (from :func:`build_data`)."""
    parts = {
        "TITLE": html.escape(data["title"]),
        "LANG": "zh-CN" if data["lang"] == "zh" else "en",
        "VIS_CSS": _asset("pyvis", f"{_VIS}/vis-network.css"),
        "VIS_JS": _asset("pyvis", f"{_VIS}/vis-network.min.js"),
        "APP_CSS": _asset("kg", "web/explorer.css"),
        "APP_JS": "\n".join(_asset("kg", f"web/{name}") for name in SCRIPTS),
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
    renderer: Renderer = "auto",
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
        renderer: ``vis`` (vis-network; above ``max_nodes`` one node per class), ``sigma``
            (every node with sigma.js, WebGL) or ``auto`` (sigma above ``max_nodes``).

    Returns:
        The page and what it draws. A :class:`LargeGraphWarning` is issued when the view is
        aggregated.

    Raises:
        ValueError: If ``hops`` is given without ``focus`` or is negative.
        kg.network.analytics.EntityNotFound: If ``focus`` names nothing.
        kg.network.analytics.AmbiguousEntity: If ``focus`` names several entities.

    """
    if hops is not None and (focus is None or hops < 0):
        raise InvalidValue("--hops needs --focus and a number of hops ≥ 0")
    view = nxg
    mode: Mode = "full"
    message = ("", "")
    if focus is not None:
        view, mode = ego(nxg, focus, 1 if hops is None else hops), "focus"
    count = view.number_of_nodes()
    if renderer == "sigma" or (renderer == "auto" and max_nodes is not None and count > max_nodes):
        message = (f"{count:,} 个节点,以 WebGL 绘制。", f"{count:,} nodes, drawn with WebGL.")
        text, edges = large_page(view, lang=lang, title=title, message=message, seed=seed)
        return ExplorerPage(text, "large", count, edges, nxg.number_of_nodes(), message[1])
    if max_nodes is not None and count > max_nodes:
        message = (
            f"图中有 {count:,} 个节点,超过逐个绘制的上限 {max_nodes:,}:此处按类别汇总显示。"
            "用 --focus 实体 --hops N 查看某个实体周围的局部。",
            f"The graph has {count:,} nodes, more than the {max_nodes:,} drawn one by one: "
            "this view shows one node per class. Use --focus ENTITY --hops N for a neighbourhood.",
        )
        warnings.warn(message[1], LargeGraphWarning, stacklevel=2)
        view, mode = aggregate(view), "aggregated"
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
    renderer: Renderer = "auto",
) -> RenderReport:
    """Write the explorer for ``nxg`` to ``out_path``, atomically.

    Takes the arguments of :func:`explorer_page`, raises what it raises, and warns the same.

    Returns:
        What was drawn, where, and the file's size.

    """
    explorer = explorer_page(
        nxg,
        lang=lang,
        focus=focus,
        hops=hops,
        title=title,
        max_nodes=max_nodes,
        seed=seed,
        renderer=renderer,
    )
    path = Path(out_path)
    write_text(path, explorer.html)
    return RenderReport(
        path=path,
        mode=explorer.mode,
        nodes=explorer.nodes,
        edges=explorer.edges,
        total_nodes=explorer.total_nodes,
        bytes=len(explorer.html.encode("utf-8")),
        message=explorer.message,
    )
