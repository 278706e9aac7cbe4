"""How every view draws each class family: ONE fixed table of colour and shape.

It lives beside the projection that gives every node its family, below :mod:`kg.explore`, so
the exports that carry colours (GEXF) and the explorer read it without a tie running both ways.

The explorer (overview and focus views), ``kg viz``, the exports that carry colours and
:func:`kg.explore.notebook.to_pyvis` all read :func:`style_of`, so a class family has the same
colour and shape everywhere. Families not in :data:`STYLE_TABLE` (a class added to the ontology
later) get a colour and shape derived from their name's hash: still the same in every view.
"""

from __future__ import annotations

import hashlib
from collections import Counter

import networkx as nx

__all__ = ["FALLBACK", "FIRST_SIGHT", "STYLE_TABLE", "style_of", "styles"]

STYLE_TABLE: dict[str, dict[str, str]] = {
    "kg:Organization": {"color": "#2e86ab", "shape": "dot"},
    "kg:Person": {"color": "#d1495b", "shape": "star"},
    "kg:Place": {"color": "#66a182", "shape": "triangle"},
    "kg:AIModel": {"color": "#edae49", "shape": "square"},
    "kg:Product": {"color": "#f26419", "shape": "hexagon"},
    "kg:UnnamedSource": {"color": "#8d99ae", "shape": "star"},
    "kg:RoadmapStage": {"color": "#8e6c8a", "shape": "diamond"},
    "kg:Roadmap": {"color": "#6d597a", "shape": "diamond"},
    "kg:TechnicalApproach": {"color": "#00798c", "shape": "triangleDown"},
    "kg:CustomerSegment": {"color": "#b56576", "shape": "triangleDown"},
    "kg:BusinessModel": {"color": "#bc6c25", "shape": "triangleDown"},
    "kg:StockMarket": {"color": "#3d5a80", "shape": "hexagon"},
    "kg:Role": {"color": "#e07a5f", "shape": "diamond"},
    "kg:Post": {"color": "#9c6644", "shape": "diamond"},
    "kg:ModelArchitecture": {"color": "#c9a227", "shape": "square"},
    "kg:SoftwareFramework": {"color": "#81b29a", "shape": "hexagon"},
    "kg:Leaderboard": {"color": "#588157", "shape": "square"},
    "kg:ExportControlList": {"color": "#5f0f40", "shape": "square"},
    "kg:TVProgramme": {"color": "#4361ee", "shape": "square"},
    "kg:SourceArticle": {"color": "#7a9e9f", "shape": "square"},
    "kg:Event": {"color": "#f6e3a1", "shape": "box"},
    "kg:Observation": {"color": "#f6e3a1", "shape": "box"},
    "kg:Claim": {"color": "#f6e3a1", "shape": "box"},
}
"""Class family (top-level ``kg:`` class, as a CURIE) → vis-network colour and shape."""

FIRST_SIGHT = tuple(
    "https://w3id.org/zhipu-kg/resource/" + name
    for name in (
        "Zhipu",
        "TangJie",
        # the city funds and state investors
        "BeijingAIFund",
        "Hangzhou-StatePlatform",
        "HangzhouMunicipalInvest",
        "ShangchengCapital",
        "Zhuhai-StatePlatform",
        "HuafaGroup",
        "Chengdu-StatePlatform",
        "PudongVC",
        "ZhangjiangGroup",
        # the GLM models
        "GLM",
        "GLM-10B",
        "GLM-130B",
        "GLM-4-Air",
        "GLM-Z1",
        # the Big Tech rivals, and the precedent
        "Alibaba",
        "ByteDance",
        "Tencent",
        "Meta",
        "Microsoft",
        "SenseTime",
    )
)
"""The entities the project's brief names, labelled first in the explorer's opening view (in
this order, before the most central of the rest), so each is named at first sight."""

FALLBACK = {"color": "#98c1d9", "shape": "dot"}
"""A node without a class family."""

_PALETTE = ("#98c1d9", "#7b2cbf", "#2a9d8f", "#e76f51", "#a7c957", "#6a4c93", "#ff7f51")
_SHAPES = ("dot", "diamond", "triangle", "square", "hexagon", "triangleDown", "star")


def style_of(family: str) -> dict[str, str]:
    """Colour and shape of a class family (a CURIE such as ``kg:Person``); never varies."""
    if family in STYLE_TABLE:
        return dict(STYLE_TABLE[family])
    if not family:
        return dict(FALLBACK)
    digest = hashlib.sha256(family.encode("utf-8")).digest()
    return {
        "color": _PALETTE[digest[0] % len(_PALETTE)],
        "shape": _SHAPES[digest[1] % len(_SHAPES)],
    }


def styles(view: nx.MultiDiGraph) -> dict[str, dict[str, str]]:
    """The style of each class family drawn in ``view``, most frequent first (the legend)."""
    families = Counter(str(attrs.get("family", "")) for _, attrs in view.nodes(data=True))
    order = sorted(families, key=lambda f: (-families[f], f))
    return {family: style_of(family) for family in order}
