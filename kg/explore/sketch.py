"""The large view of an outline: the overview ``kg serve`` sends while the projection is built.

:mod:`kg.network.outline` reads a store's nodes and edges without their facts or quotes, in
a fraction of the projection's time; this module draws them as :mod:`kg.explore.large` does,
in the same columns (so the same page script draws it) and at the same places (the same nodes
and links, so :mod:`kg.explore.places` gives the same picture), with no quotes, facts, dates
or paths yet, saying so. It works from the outline's rows directly, with no NetworkX graph.
"""

from __future__ import annotations

from typing import Any

from kg.data.hanzi import traditional_forms
from kg.explore.large import HOP_CODES, OUTLINE_NOTE, large_html, short_id
from kg.explore.large_panels import pagerank_column
from kg.explore.layout import CLASS_KEYS
from kg.explore.names import search_index
from kg.explore.places import places
from kg.network.outline import Outline
from kg.network.paths import PANEL_TEXT
from kg.network.style import style_of

__all__ = ["outline_data", "outline_html"]


def outline_data(
    sketch: Outline, *, lang: str, title: str, message: tuple[str, str], seed: int
) -> dict[str, Any]:
    """The large view's data (:func:`kg.explore.large.large_data`'s columns) of an outline.

    Args:
        sketch: The outline to draw.
        lang: The language the page opens in.
        title: The page title.
        message: What the page says about the view, in Chinese and English (the outline's
            note is added).
        seed: Seeds the layout.

    Returns:
        JSON-ready data for ``kg/web/explorer-large.js``.

    """
    ids = sorted(sketch.nodes)
    index = {node: i for i, node in enumerate(ids)}
    classes: dict[str, int] = {}
    class_rows: list[dict[str, Any]] = []
    node_class = []
    for node in ids:
        classed = sketch.nodes[node].classed
        key = classed["class"]
        if key not in classes:
            classes[key] = len(class_rows)
            color = style_of(classed["family"])["color"]
            class_rows.append({**{k: classed[k] for k in CLASS_KEYS}, "color": color, "count": 0})
        class_rows[classes[key]]["count"] += 1
        node_class.append(classes[key])
    relations: dict[str, int] = {}
    relation_rows: list[list[str]] = []
    edges: list[int] = []
    degree = [0] * len(ids)
    for edge in sorted(sketch.edges, key=lambda e: (e.tail, e.head, e.relation)):
        if edge.relation not in relations:
            relations[edge.relation] = len(relation_rows)
            relation_rows.append([edge.relation, edge.label_zh, edge.label_en])
        tail, head = index[edge.tail], index[edge.head]
        edges.extend((tail, head, relations[edge.relation], -1))  # no quote yet
        degree[tail] += 1
        degree[head] += 1
    count = len(edges) // 4
    placed = places(len(ids), list(zip(edges[::4], edges[1::4], strict=True)), seed)
    sounds = search_index([])
    zh = [sketch.nodes[n].label_zh for n in ids]
    return {
        "title": title,
        "lang": lang,
        "message_zh": message[0] + OUTLINE_NOTE[0],
        "message_en": message[1] + OUTLINE_NOTE[1],
        "ids": [short_id(n) for n in ids],
        "zh": zh,
        "en": [sketch.nodes[n].label_en for n in ids],
        "cls": node_class,
        "x": placed.x,
        "y": placed.y,
        "degree": degree,
        "pagerank": pagerank_column(len(ids), edges),  # from the edges alone, as the full page's
        "classes": class_rows,
        "relations": relation_rows,
        "quotes": [],
        "edges": edges,
        "facts": {},
        # no evidence yet, so no path a path may take (kg.network.paths walks evidence alone)
        "paths": {"order": [], "weights": [0] * count},
        "hops": [HOP_CODES.index("")] * count,
        "hop_kinds": list(HOP_CODES),
        "paths_text": PANEL_TEXT,
        "dates": [],
        "edate": [-1] * count,
        "erep": {},
        "ndate": {i: [-1, -1] for i, n in enumerate(ids) if sketch.nodes[n].kind == "fact"},
        "communities": [[*placed.discs[c], m[0]] for c, m in enumerate(placed.members)],
        "com": placed.community,
        "sounds": sounds["sounds"],
        "sound_variants": sounds["variants"],
        "variants": traditional_forms(zh),
    }


def outline_html(sketch: Outline, *, lang: str, title: str, seed: int = 7) -> str:
    """The self-contained large view of an outline (see :func:`outline_data`)."""
    count = len(sketch.nodes)
    message = (f"{count:,} 个节点,以 WebGL 绘制。", f"{count:,} nodes, drawn with WebGL.")
    return large_html(outline_data(sketch, lang=lang, title=title, message=message, seed=seed))
