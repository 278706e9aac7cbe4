"""How the explorer draws each class family: colour and shape."""

from __future__ import annotations

from collections import Counter

import networkx as nx

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


# ---------------------------------------------------------------- the page's data
def styles(view: nx.MultiDiGraph) -> dict[str, dict[str, str]]:
    """Colour and shape of each class family drawn in ``view``."""
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
