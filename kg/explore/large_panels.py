"""The large view's panel columns: the scores nodes are sized and ranked by, each edge's details.

:func:`kg.explore.large.large_data` ships its graph in columns; these are the columns the size-by
selector, the centrality ranking and the edge details panel read (``kg/web/explorer-large-*.js``):

* ``pagerank``: each node's PageRank on the undirected simple graph, as
  :func:`kg.network.analytics.scores` gives it, times the number of nodes (1: the average node;
  PageRank itself is 10⁻⁵ at 10⁵ nodes), to three significant digits. The degree needs no
  column (the page has each node's relations). Betweenness is left out: exact betweenness costs
  nodes × edges, and the large view is for graphs where that is out of reach; the panel says so.
* ``edetail``: per edge, the index of its row in ``edetails`` (``-1``: none), a row being
  ``[fact, label_zh, label_en, date, date_text, amount_zh, amount_en, class, claim]``: the fact
  it draws, the fact's labels, its date as written and as the source words it, its amount and
  its class, each an index into ``estrings`` (each text once, ``""`` first), then ``1`` for a
  claim (someone *says* it: context, not a link); each row stored once;
* ``efacts``: per fact (by its id's index in ``estrings``) with any, its own values (a claim's
  words and their translation, its certainty, a date note…) as ``[property, value, language,
  quote]`` rows and the facts it relates to as ``[property, label_zh, label_en]``, a property an
  index into ``eprops`` (``[CURIE, label_zh, label_en]`` each);
* ``emore``: per edge with more than one quote, the quotes after the first (``large_data`` keeps
  the first with the edge); ``ecurated``: the edges the curators added with no quote;
* ``aliases``: per node that has any, its aliases (the details panel lists them, the search box
  and its did-you-mean read them, as the small explorer's do).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx

from kg.network.analytics import pagerank_of_pairs
from kg.network.paths import CLAIM

__all__ = ["EdgeDetails", "aliases_column", "pagerank_column"]


def pagerank_column(count: int, edges: list[int]) -> list[float]:
    """Each node's PageRank times ``count`` (1: the average node), to three significant digits.

    Args:
        count: The nodes, numbered as the page numbers them.
        edges: The page's edges, four integers each (source, target, relation, quote).

    Returns:
        The scores, by node number.

    """
    import numpy as np

    ends = np.sort(np.array(edges, dtype=np.int64).reshape(-1, 4)[:, :2], axis=1)
    keys = np.unique(ends[:, 0] * max(count, 1) + ends[:, 1])  # each pair once
    pairs = np.stack([keys // max(count, 1), keys % max(count, 1)], axis=1)
    return [float(f"{count * score:.3g}") for score in pagerank_of_pairs(count, pairs)]


def aliases_column(view: nx.MultiDiGraph, ids: list[Any]) -> dict[int, list[str]]:
    """The aliases of each node of ``ids`` (numbered as the page numbers them) that has any."""
    return {
        i: [str(a) for a in aliases]
        for i, n in enumerate(ids)
        if (aliases := view.nodes[n].get("aliases"))
    }


class EdgeDetails:
    """Collects the edge details columns, one edge at a time, in the page's order.

    Args:
        view: The graph drawn (what a claim is depends on its ends).
        quote: Stores a list of quotes' first one in the page's quote table and gives its index
            (``-1``: none).

    """

    def __init__(self, view: nx.MultiDiGraph, quote: Callable[[list[Any]], int]) -> None:
        # a claim as kg.network.paths.hop_kind tells one, its claim nodes found once
        self._claims = {
            n
            for n, a in view.nodes(data=True)
            if a.get("kind") == "fact" and a.get("class") == CLAIM
        }
        self._quote = quote
        self._seen: dict[tuple[Any, ...], int] = {}
        self._strings: dict[str, int] = {"": 0}
        self._rows: dict[tuple[int, ...], int] = {}
        self._of: list[int] = []
        self._more: dict[int, list[int]] = {}
        self._curated: list[int] = []
        self._props: dict[tuple[str, str, str], int] = {}
        self._facts: dict[int, list[list[list[Any]]]] = {}

    def add(self, u: Any, v: Any, attrs: dict[str, Any]) -> None:
        """Take the next edge of the page, from ``u`` to ``v``."""
        edge = len(self._of)
        get = attrs.get
        evidence = get("evidence", [])
        if len(evidence) > 1:
            self._more[edge] = [self._quote([q]) for q in evidence[1:]]
        if get("curated"):
            self._curated.append(edge)
        texts = (
            str(get("fact") or ""),
            str(get("fact_label_zh") or ""),
            str(get("fact_label_en") or ""),
            str(get("date") or ""),
            str(get("date_text") or ""),
            str(get("amount_zh") or ""),
            str(get("amount_en") or ""),
            str(get("fact_class") or ""),
        )
        claim = bool(evidence) and (
            CLAIM in (get("relation"), get("fact_class")) or u in self._claims or v in self._claims
        )
        if not claim and not any(texts):
            self._of.append(-1)
            return
        key = (*texts, claim)
        known = self._seen.get(key)  # the edges of one fact mostly share their row
        if known is None:
            strings = self._strings
            row = (*[strings.setdefault(t, len(strings)) for t in texts], int(claim))
            if texts[0] and row[0] not in self._facts:
                self._facts[row[0]] = self._values(attrs)
            known = self._rows.setdefault(row, len(self._rows))
            self._seen[key] = known
        self._of.append(known)

    def _prop(self, curie: Any, zh: Any, en: Any) -> int:
        return self._props.setdefault((str(curie), str(zh or ""), str(en or "")), len(self._props))

    def _values(self, attrs: dict[str, Any]) -> list[list[list[Any]]]:
        """A fact's own values and the facts it relates to (empty lists: none)."""
        values = [
            [
                self._prop(d.get("property", ""), d.get("label_zh"), d.get("label_en")),
                str(d.get("value", "")),
                str(d.get("lang") or ""),
                self._quote(d.get("evidence", [])),
            ]
            for d in attrs.get("details", [])
        ]
        related = [
            [
                self._prop(
                    r.get("property", ""), r.get("property_label_zh"), r.get("property_label_en")
                ),
                str(r.get("label_zh") or r.get("fact", "")),
                str(r.get("label_en") or r.get("fact", "")),
            ]
            for r in attrs.get("related", [])
        ]
        return [values, related]

    def columns(self) -> dict[str, Any]:
        """The columns, JSON-ready (see the module's docstring)."""
        return {
            "edetail": self._of,
            "edetails": [list(row) for row in self._rows],
            "estrings": list(self._strings),
            "efacts": {k: v for k, v in self._facts.items() if v[0] or v[1]},
            "eprops": [list(key) for key in self._props],
            "emore": self._more,
            "ecurated": self._curated,
        }
