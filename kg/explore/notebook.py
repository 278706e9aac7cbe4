"""``kg.to_pyvis``: the graph as a configured :class:`pyvis.network.Network` for notebooks.

The network uses the explorer's fixed style table (:mod:`kg.network.style`), its seeded layout
(physics off, so it draws at once and the same data gives the same picture) and plain-text
tooltips. Two things in pyvis's own page template are changed, through a Jinja loader that
serves an edited copy of it:

* the Bootstrap stylesheet and script it always loads from ``cdn.jsdelivr.net`` are removed, so
  a page written with ``cdn_resources="in_line"`` loads nothing from a network;
* the branch that writes a node's tooltip with ``innerHTML`` (chosen when any tooltip contains
  "href") is disabled, and the template autoescapes: data is never markup.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from kg.errors import InvalidValue
from kg.explore.layout import aggregate, ego, layout
from kg.network.analytics import MEASURES, Measure, scores
from kg.network.style import style_of

if TYPE_CHECKING:
    from pyvis.network import Network

    from kg.data.store import HasDataset

__all__ = ["offline_template_text", "to_pyvis"]

_BOOTSTRAP = re.compile(
    r"<link\s[^>]*bootstrap[^>]*/?>|<script\s[^>]*bootstrap[^>]*>\s*</script>", re.S
)


def offline_template_text() -> str:
    """The page template of pyvis without its CDN Bootstrap and its ``innerHTML`` tooltips."""
    import pyvis

    text = (Path(pyvis.__file__).parent / "templates" / "template.html").read_text("utf-8")
    text, removed = _BOOTSTRAP.subn("", text)
    if removed != 2 or "cdn.jsdelivr.net" in text:
        raise RuntimeError("pyvis's template changed: update kg.explore.notebook")
    return text.replace("{% if tooltip_link %}", "{% if false %}")


def _environment() -> Any:
    import pyvis
    from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader

    templates = str(Path(pyvis.__file__).parent / "templates")
    loader = ChoiceLoader(
        [DictLoader({"template.html": offline_template_text()}), FileSystemLoader(templates)]
    )
    return Environment(loader=loader, autoescape=True)


def _text(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


def _projection(graph: HasDataset | nx.MultiDiGraph) -> nx.MultiDiGraph:
    if isinstance(graph, nx.MultiDiGraph):
        return graph
    from kg.network.projection import to_networkx

    return to_networkx(graph)


def to_pyvis(
    graph: HasDataset | nx.MultiDiGraph,
    *,
    lang: Literal["zh", "en"] = "zh",
    focus: str | None = None,
    hops: int = 1,
    size_by: Measure = "degree",
    max_nodes: int = 2_000,
    height: str = "750px",
    width: str = "100%",
    notebook: bool = False,
    cdn_resources: Literal["in_line", "remote", "local"] = "in_line",
    seed: int = 7,
) -> Network:
    """A pyvis network of ``graph``, styled like the explorer.

    Args:
        graph: A :class:`kg.KnowledgeGraph` or a projection from ``to_networkx()``.
        lang: Labels in Chinese (``zh``) or English (``en``); tooltips carry both.
        focus: Draw only this entity's neighbourhood (id, CURIE, label or alias).
        hops: The neighbourhood's radius (with ``focus``).
        size_by: The centrality that sizes the nodes.
        max_nodes: Above this many nodes, one node per class is drawn instead.
        height: The canvas height (CSS).
        width: The canvas width (CSS).
        notebook: Passed to pyvis (inline display in Jupyter).
        cdn_resources: Passed to pyvis; ``in_line`` (default) writes a page that needs no network.
        seed: Seeds the layout.

    Returns:
        The network: ``net.write_html("g.html")``, ``net.show("g.html", notebook=True)``, or
        ``net.generate_html()`` for the text.

    Raises:
        kg.errors.InvalidValue: For an unknown ``size_by`` or a negative ``hops``.

    """
    from pyvis.network import Network

    if size_by not in MEASURES:
        raise InvalidValue(f"unknown measure {size_by!r}: use one of {', '.join(MEASURES)}")
    if hops < 0:
        raise InvalidValue("hops must be ≥ 0")
    view = _projection(graph)
    if focus is not None:
        view = ego(view, focus, hops)
    if view.number_of_nodes() > max_nodes:
        view = aggregate(view)
    other = "en" if lang == "zh" else "zh"
    positions = layout(view, seed)
    score = scores(view, size_by, seed=seed)
    net = Network(
        height=height,
        width=width,
        directed=True,
        notebook=notebook,
        cdn_resources=cdn_resources,
    )
    net.templateEnv = _environment()
    net.template = net.templateEnv.get_template(net.path)
    for node, attrs in sorted(view.nodes(data=True), key=lambda na: str(na[0])):
        style = style_of(str(attrs.get("family", "")))
        main = str(attrs.get(f"label_{lang}") or attrs.get(f"label_{other}") or node)
        second = str(attrs.get(f"label_{other}") or "")
        x, y = positions[node]
        net.add_node(
            str(node),
            label=main,
            title=_text(
                main,
                second if second != main else "",
                str(attrs.get(f"class_label_{lang}") or attrs.get("class") or ""),
                str(attrs.get("curie") or ""),
            ),
            shape=style["shape"],
            color=style["color"],
            value=round(score.get(str(node), 0.0), 6),
            x=x,
            y=y,
        )
    for u, v, attrs in sorted(
        view.edges(data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2].get("relation")))
    ):
        caption = str(attrs.get(f"label_{lang}") or attrs.get("relation") or "")
        quotes = attrs.get("evidence") or []
        quote = str(quotes[0].get("quote", "")) if quotes else ""
        net.add_edge(
            str(u),
            str(v),
            title=_text(caption, str(attrs.get("date") or ""), f"“{quote}”" if quote else ""),
            label=caption,
        )
    net.set_options(json.dumps(_OPTIONS))
    return net


_OPTIONS: dict[str, Any] = {
    "physics": {"enabled": False},
    "interaction": {"hover": True, "tooltipDelay": 150},
    "nodes": {
        "borderWidth": 1,
        "font": {"size": 14, "face": "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"},
        "scaling": {"min": 8, "max": 40, "label": {"enabled": True, "min": 12, "max": 26}},
    },
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "color": {"color": "#9aa5b1", "highlight": "#d1495b"},
        "font": {"size": 9, "align": "middle", "color": "#555", "strokeWidth": 3},
        "smooth": False,
    },
}
