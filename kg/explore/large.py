"""The explorer for large graphs: one self-contained HTML file drawn with sigma.js (WebGL).

Above the node count that vis-network draws one by one (``kg.explore.page``), the page draws
every node with sigma.js and graphology, both vendored in ``kg/web/vendor/sigma/`` with their
licences and inlined, so the page works offline under the same Content-Security-Policy.

Layout: seeded, by :mod:`kg.explore.places` (Louvain communities in igraph's C library, placed by
a spring layout of the community graph, each community's members on a sunflower spiral around its
place, the best connected in the middle), so 100k nodes lay out in about a second and the same
data always gives the same picture.

Data: compact, in columns. Each node is an index; ids (``kgr:`` CURIEs where they can be),
labels, classes, positions, degrees and communities are arrays; each edge is three integers
(source, target, relation) plus the index of its first quote; a node's literal facts are
(property, value, language, quote) rows; properties, classes, dates and quotes are stored once
each (a quote once by its words and place, however many evidence graphs cite it). For the
timeline each edge has the index of its date, and the edges and fact nodes surely reported
later the index of that day; for the path panel :func:`kg.network.paths.page_path_table`'s order of
the edges and their weights, walked by the small explorer's ``explorer-paths.js``, and each
edge's hop kind as a code.
The page writes every text with ``textContent``.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from kg.data.hanzi import traditional_forms
from kg.data.namespaces import KGR
from kg.explore.large_panels import EdgeDetails, aliases_column, pagerank_column
from kg.explore.layout import CLASS_KEYS
from kg.explore.names import search_index
from kg.explore.places import places
from kg.network.paths import page_path_table
from kg.network.reading import collector_paused
from kg.network.style import style_of

__all__ = [
    "SCRIPTS",
    "VENDOR",
    "Community",
    "large_data",
    "large_html",
    "large_layout",
    "large_page",
    "large_places",
]

VENDOR = ("vendor/sigma/graphology-0.26.0.umd.min.js", "vendor/sigma/sigma-3.0.3.min.js")
"""sigma.js and graphology's builds in ``kg/web/``, inlined before the page's own script."""
SCRIPTS = (
    "explorer-text.js",
    "explorer-url.js",
    "explorer-export.js",
    "explorer-search.js",
    "explorer-paths.js",
    "explorer-large-search.js",
    "explorer-large-filters.js",
    "explorer-large-paths.js",
    "explorer-large-communities.js",
    "explorer-large-export.js",
    "explorer-large-edges.js",
    "explorer-large-ranking.js",
    "explorer-large-hover.js",
    "explorer-large.js",
)
"""The large view's scripts in ``kg/web/``: the small explorer's words, address, file saving,
did-you-mean and path walker, then its own parts (suggestions, filters and timeline, paths,
communities, export, edge details, size-by and ranking, tooltip) and its core."""

_WEB = Path(__file__).resolve().parents[1] / "web"


@dataclass(frozen=True)
class Community:
    """One community of the large view: its members and the disc it is drawn in.

    Attributes:
        members: Its nodes, the best connected first (the community is named after it).
        x: The disc's centre.
        y: The disc's centre.
        radius: The disc's radius (the same units as the positions).

    """

    members: list[Any]
    x: float
    y: float
    radius: float


def large_places(
    view: nx.MultiDiGraph, seed: int = 7
) -> tuple[dict[str, tuple[float, float]], list[Community]]:
    """Seeded positions for every node of ``view``, and the communities they are grouped in.

    Args:
        view: The graph to draw.
        seed: Seeds the community detection and the spring layout of the communities.

    Returns:
        Each node's position, rounded to one decimal, in a box about 1,000 units wide; and the
        Louvain communities, the largest first, each with its disc.

    """
    ids = sorted(view.nodes(), key=str)
    index = {node: i for i, node in enumerate(ids)}
    placed = places(len(ids), [(index[u], index[v]) for u, v in view.edges()], seed)
    pos = {node: (placed.x[i], placed.y[i]) for i, node in enumerate(ids)}
    discs = [
        Community([ids[i] for i in members], x, y, radius)
        for members, (x, y, radius) in zip(placed.members, placed.discs, strict=True)
    ]
    return pos, discs


def large_layout(view: nx.MultiDiGraph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Seeded positions for every node of ``view`` (see :func:`large_places`)."""
    return large_places(view, seed)[0]


class _Quotes:
    """The page's quote table: each quote stored once, by its words and place.

    Two evidence graphs quoting the same words at the same place of the same source share a row.
    An evidence record is read once however many edges carry it: the row of each record seen is
    kept by the record's identity (the graph drawn holds every record while the page is made).
    """

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self._rows: dict[tuple[Any, ...], int] = {}
        self._seen: dict[int, int] = {}

    def first(self, evidence: list[Any]) -> int:
        """The index of the first quote of ``evidence`` (-1: none)."""
        if not evidence:
            return -1
        first = evidence[0]
        known = self._seen.get(id(first))
        if known is None:
            known = self._seen[id(first)] = self._index(first)
        return known

    def _index(self, first: dict[str, Any]) -> int:
        row = {
            k: first[k]
            for k in ("quote", "start", "end", "source", "publisher", "published", "url", "locator")
            if first.get(k) not in (None, "")
        }
        if first.get("draft"):  # panels6: a draft proposal's quote, not reviewed yet
            row["draft"] = True
        if first.get("tier") == "cited":  # a public report's citation, never its words
            row["tier"] = "cited"
        key = tuple(row.items())  # the keys always in the order above
        if key not in self._rows:
            self._rows[key] = len(self.rows)
            self.rows.append(row)
        return self._rows[key]


def large_data(
    view: nx.MultiDiGraph, *, lang: str, title: str, message: tuple[str, str], seed: int
) -> dict[str, Any]:
    """The large view's data, in columns (see the module's docstring).

    Args:
        view: The graph to draw.
        lang: The language the page opens in.
        title: The page title.
        message: What the page says about the view, in Chinese and English.
        seed: Seeds the layout.

    Returns:
        JSON-ready data for ``kg/web/explorer-large.js``.

    """
    if view.graph.get("outline"):  # kg.network.outline: no quotes, facts or dates yet
        message = (message[0] + OUTLINE_NOTE[0], message[1] + OUTLINE_NOTE[1])
    sounds = search_index([])
    ids = sorted(view.nodes(), key=str)
    index = {node: i for i, node in enumerate(ids)}
    nodes = [view.nodes[node] for node in ids]  # each node's attributes, looked up once
    classes: dict[str, int] = {}
    class_rows: list[dict[str, Any]] = []
    node_class = []
    for attrs in nodes:
        key = str(attrs.get("class", ""))
        if key not in classes:
            classes[key] = len(class_rows)
            class_rows.append(
                {
                    **{k: attrs.get(k, "") for k in CLASS_KEYS},
                    "color": style_of(str(attrs.get("family", "")))["color"],
                    "count": 0,
                }
            )
        class_rows[classes[key]]["count"] += 1
        node_class.append(classes[key])
    relations: dict[str, int] = {}
    relation_rows: list[list[str]] = []
    quotes = _Quotes()
    edges: list[int] = []
    dated = _Dates()
    edge_dates: list[int] = []
    edge_reported: list[int] = []
    # panels6: the edge details panel's columns (kg/explore/large_panels.py)
    details = EdgeDetails(view, quotes.first)
    # by ends and relation: the ends' indices follow their ids' order (a stable sort, as before)
    keyed = [
        (index[u], index[v], a.get("relation", ""), u, v, k, position, a)
        for position, (u, v, k, a) in enumerate(view.edges(keys=True, data=True))
    ]
    keyed.sort(key=lambda e: e[:3])
    page = [e[3:] for e in keyed]  # what page_path_table needs of each edge
    for tail, head, rel, u, v, _, _, attrs in keyed:
        get = attrs.get
        evidence = get("evidence", [])
        edge_dates.append(dated.index(str(get("date_start") or "")))
        edge_reported.append(dated.index(_reported(evidence)))
        details.add(u, v, attrs)  # panels6
        code = relations.get(rel := str(rel))
        if code is None:
            code = relations[rel] = len(relation_rows)
            relation_rows.append([rel, get("label_zh", ""), get("label_en", "")])
        edges.extend((tail, head, code, quotes.first(evidence)))
    placed = places(len(ids), list(zip(edges[::4], edges[1::4], strict=True)), seed)
    facts: dict[int, list[list[Any]]] = {}
    for i, attrs in enumerate(nodes):
        for fact in attrs.get("facts", []):
            prop = str(fact.get("property", ""))
            if prop not in relations:
                relations[prop] = len(relation_rows)
                relation_rows.append([prop, fact.get("label_zh", ""), fact.get("label_en", "")])
            quote = quotes.first(fact.get("evidence", []))
            row = [relations[prop], str(fact.get("value", "")), fact.get("lang", ""), quote]
            facts.setdefault(i, []).append(row)
    degree = [0] * len(ids)  # as networkx counts it: each end of each edge (a loop twice)
    for end in (*edges[::4], *edges[1::4]):
        degree[end] += 1
    table = page_path_table(view, page)
    node_dates = {
        i: [
            dated.index(str(a.get("date_start") or "")),
            dated.index(_reported(a.get("evidence", []))),
        ]
        for i, a in enumerate(nodes)
        if a.get("kind") == "fact"
    }
    return {
        "title": title,
        "lang": lang,
        "message_zh": message[0],
        "message_en": message[1],
        # under kgr: an id is written as its CURIE, the page writes it out again
        "ids": [short_id(str(n)) for n in ids],
        "zh": [a.get("label_zh", n) for n, a in zip(ids, nodes, strict=True)],
        "en": [a.get("label_en", n) for n, a in zip(ids, nodes, strict=True)],
        "cls": node_class,
        "x": placed.x,
        "y": placed.y,
        "degree": degree,
        "classes": class_rows,
        "relations": relation_rows,
        "quotes": quotes.rows,
        "edges": edges,
        "facts": facts,
        # the path panel walks kg path's ranking (explorer-paths.js): the edges in its order,
        # each edge's weight and hop kind (a code: an index into hop_kinds)
        "paths": {"order": table["order"], "weights": table["weights"]},
        "hops": [HOP_CODES.index(kind) for kind in table["kinds"]],
        "hop_kinds": list(HOP_CODES),
        "paths_text": table["text"],
        # the timeline: each date once; per edge and dated fact node, its date and when it was
        # surely reported, as indices into ``dates`` (-1: none)
        "dates": dated.dates(),
        "edate": edge_dates,
        "erep": {e: d for e, d in enumerate(edge_reported) if d >= 0},
        "ndate": node_dates,
        # communities: [x, y, radius, first member] each, the largest first; each node's own
        "communities": [[*placed.discs[c], m[0]] for c, m in enumerate(placed.members)],
        "com": placed.community,
        # the did-you-mean reads what was typed by sound: the common characters' pinyin, once
        "sounds": sounds["sounds"],
        "sound_variants": sounds["variants"],
        # the search box folds Traditional characters to the Simplified ones of these names
        "variants": traditional_forms(str(a.get("label_zh", "")) for a in nodes),
        # panels6: size-by and the ranking's PageRank; each edge's details (large_panels.py)
        "pagerank": pagerank_column(len(ids), edges),
        "aliases": aliases_column(view, ids),
        **details.columns(),
    }


OUTLINE_NOTE = (
    "这是图的轮廓:证据、事实与日期仍在准备中,稍后刷新本页即可看到。",
    " This is the graph's outline: its evidence, facts and dates are still being prepared;"
    " reload this page shortly to see them.",
)
"""What a page drawn from an outline adds to its message."""

HOP_CODES = ("", "fact", "setting", "claim", "provenance", "curated")
"""The hop kinds, by code (0: an edge paths do not walk)."""


def _reported(evidence: list[dict[str, Any]]) -> str:
    """When the first of these quotes was surely reported (``""``: one is undated)."""
    days = [str(q.get("reported") or "") for q in evidence]
    return "" if not days or "" in days else min(days)


class _Dates:
    """Each date once, in the order first met: its index (``-1`` for no date)."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def index(self, day: str) -> int:
        if not day:
            return -1
        return self._seen.setdefault(day, len(self._seen))

    def dates(self) -> list[str]:
        return list(self._seen)


def short_id(iri: str) -> str:
    """``kgr:`` and the rest for an IRI under the project's resources (the page expands it)."""
    return "kgr:" + iri[len(str(KGR)) :] if iri.startswith(str(KGR)) else iri


def _script_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survives."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def large_html(data: dict[str, Any]) -> str:
    """The large view's self-contained HTML for ``data`` (from :func:`large_data`)."""
    parts = {
        "TITLE": html.escape(data["title"]),
        "LANG": "zh-CN" if data["lang"] == "zh" else "en",
        "VENDOR_JS": "\n".join((_WEB / name).read_text(encoding="utf-8") for name in VENDOR),
        "APP_JS": "\n".join((_WEB / name).read_text(encoding="utf-8") for name in SCRIPTS),
        "DATA": _script_json(data),
    }
    template = (_WEB / "explorer-large.html").read_text(encoding="utf-8")
    return re.sub(r"@@(\w+)@@", lambda m: parts[m.group(1)], template)


def large_page(
    view: nx.MultiDiGraph, *, lang: str, title: str, message: tuple[str, str], seed: int
) -> tuple[str, int]:
    """The large view of ``view`` as one HTML file: :func:`large_data`, then :func:`large_html`.

    Python's cyclic garbage collector waits meanwhile: the columns are 10⁶ small objects and no
    cycles, and each collection would scan them all again (a tenth of the time at 100k nodes).

    Returns:
        The HTML, and how many edges it draws (counted as drawn, not again in the graph).

    """
    with collector_paused():
        data = large_data(view, lang=lang, title=title, message=message, seed=seed)
        return large_html(data), len(data["edges"]) // 4
