"""Project the RDF knowledge graph onto a NetworkX graph of entities, and write it out.

The projection is a :class:`networkx.MultiDiGraph` whose nodes are the *entities* the article
mentions (companies, people, models, places…), not every RDF node. Every node and edge carries
plain attributes (strings, numbers, lists and dicts of them):

* node: ``id`` (IRI), ``curie``, ``kind`` (``entity``, or ``fact`` for an n-ary fact drawn as a
  node), ``label_zh``, ``label_en``, ``label``, ``aliases``, ``class`` (most specific class, as a
  CURIE), ``class_label_zh``/``_en``, ``family`` (its top-level ``kg:`` class, for colours),
  ``facts`` (literal facts with their evidence) and ``events`` (facts about this entity alone);
* edge: ``relation`` (property or fact class, as a CURIE), ``label_zh``, ``label_en``, ``kind``
  (``direct`` for a plain triple, ``fact`` for a collapsed n-ary fact, ``role`` for a fact's other
  participants), ``date``/``date_start``/``date_text``, ``amount_zh``/``amount_en``, ``details``,
  ``curated`` and ``evidence``: the quotes (with offsets and evidence graph) that assert it.

**Entities** are the IRIs that occur as subject or object in an evidence graph, other than facts
(instances of ``kg:Event``, ``kg:Observation`` or ``kg:Claim`` and their subclasses) and
vocabulary terms. Curated triples (graph ``kgg:curation``) between entities become edges marked
``curated`` with no evidence; they never add nodes. The inference graph is ignored.

**N-ary facts** are *collapsed* by default into labelled edges between the entities they connect,
following the declarative table :data:`RULES` (class → source roles, target roles, verb):
a funding event becomes ``investor —投资 2亿元 · 2025-04→ investee``. The fact's other entities
(a funding's city, a price change's product…) hang off its anchor as ``role`` edges. A fact that
names a single entity (a revenue, a valuation, a release of one model) becomes an entry of that
entity's ``events``; a fact that names none stays a node. With ``collapse=False`` every fact is
a node of its own, linked to its participants by role edges.

>>> import kg
>>> nxg = to_networkx(kg.load())
>>> nxg.nodes["https://w3id.org/zhipu-kg/resource/Zhipu"]["label_en"]
'Zhipu AI'
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.namespaces import (
    CURATION_GRAPH,
    INFERENCE_GRAPH,
    KG,
    OA,
    ONTOLOGY_GRAPH,
    ORG,
    PREFIXES,
    PROV,
    PROVENANCE_GRAPH,
    SCHEMA,
)
from kg.prefixes import EVIDENCE_BASE, shorten

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = [
    "EXPORT_FORMATS",
    "RULES",
    "Rule",
    "export",
    "from_construct",
    "read",
    "to_networkx",
    "write",
    "write_atomically",
]

Attrs = dict[str, Any]

FACT_ROOTS = (KG.Event, KG.Observation, KG.Claim)
"""Classes whose instances are n-ary facts, not entities."""

_VOCABULARY = tuple(str(ns) for ns in (KG._NS, RDF, RDFS, OWL, XSD, SKOS))
_SKIPPED_GRAPHS = frozenset({INFERENCE_GRAPH, PROVENANCE_GRAPH, ONTOLOGY_GRAPH})
"""Graphs whose statements are not projected (vocabulary and quotes are read from them)."""


def _not_inferred(graph: URIRef) -> bool:
    return graph != INFERENCE_GRAPH


# Terms looked up once: attribute access on rdflib namespaces is slow in the hot loops.
_TYPE, _LABEL, _SUBCLASS = RDF.type, RDFS.label, RDFS.subClassOf
_DERIVED, _SELECTOR = PROV.wasDerivedFrom, OA.hasSelector
_SELECTED = (OA.exact, OA.start, OA.end)
_ALIASES = frozenset({SKOS.altLabel, SKOS.prefLabel})
_METADATA = frozenset({RDF.type, RDFS.label, *_ALIASES})
_MONEY = (KG.amount, KG.price, KG.priceBefore, KG.priceAfter)
"""Qualifiers shown as a fact's amount, in this order (a price change reads before → after)."""


@dataclass(frozen=True)
class Rule:
    """How a fact class collapses into edges.

    Attributes:
        sources: Roles whose entities are the edges' tails.
        targets: Roles whose entities are the edges' heads.
        verb_zh: The edge label in Chinese.
        verb_en: The edge label in English.
        anchor: Which end the fact's other participants hang from.
        symmetric: Every pair of the ``sources`` entities is linked once (comparisons).

    """

    sources: tuple[URIRef, ...]
    targets: tuple[URIRef, ...]
    verb_zh: str
    verb_en: str
    anchor: Literal["source", "target"] = "source"
    symmetric: bool = False


RULES: dict[URIRef, Rule] = {
    KG.FundingEvent: Rule((KG.investor,), (KG.investee,), "投资", "invests in", anchor="target"),
    KG.TalentAcquisition: Rule(
        (KG.acquirer,), (KG.acquiredTeam, KG.acquiredFrom), "收编", "takes over"
    ),
    KG.ModelRelease: Rule((KG.releasedBy,), (KG.releasedModel,), "发布", "releases"),
    KG.Comparison: Rule((KG.comparedItem,), (), "对比", "compared with", symmetric=True),
    KG.Claim: Rule((KG.claimant,), (KG.about,), "声称", "says about"),
    KG.Sanction: Rule((KG.imposedBy,), (KG.target,), "列入实体清单", "blacklists"),
    KG.Interview: Rule((KG.interviewer,), (KG.interviewee,), "采访", "interviews"),
    KG.GovernmentContract: Rule(
        (KG.customer, KG.customerSegment), (KG.supplier,), "订单", "orders from", anchor="target"
    ),
    KG.ResearchProject: Rule((KG.person,), (KG.produced,), "研发", "develops"),
    KG.Departure: Rule((KG.person,), (KG.organization,), "离职", "leaves"),
    KG.RankingResult: Rule((KG.rankedItem,), (KG.leaderboard,), "上榜", "ranked on"),
    KG.Meeting: Rule((KG.organizer,), (KG.about,), "开会讨论", "meets about"),
    KG.PriceChange: Rule((KG.organization,), (KG.product,), "调价", "reprices"),
    KG.PriceQuote: Rule((KG.observedEntity,), (KG.product,), "定价", "prices"),
    KG.RoadmapProgress: Rule((KG.observedEntity,), (KG.roadmap,), "进展", "progresses on"),
    KG.StrategicShift: Rule(
        (KG.organization,), (KG.businessModelTo, KG.focusModel), "转向", "shifts to"
    ),
    KG.ListingStep: Rule((KG.organization,), (KG.targetMarket,), "上市", "lists on"),
    KG.Event: Rule((KG.person, KG.organizer), (KG.organization,), "参与", "takes part in"),
}
"""Collapse rules by fact class; a class without one uses its nearest superclass's rule."""

_NO_RULE = Rule((KG.observedEntity, KG.organization, KG.person), (), "涉及", "involves")
"""For classes without a rule: no edge of its own; other participants hang off the subject."""

_EXTERNAL_LABELS: dict[URIRef, tuple[str, str]] = {
    ORG.postIn: ("职位属于", "post in"),
    ORG.heldBy: ("任职者", "held by"),
    ORG.holds: ("担任", "holds"),
    ORG.role: ("角色", "role"),
    SCHEMA.manufacturer: ("出品方", "made by"),
    SCHEMA.foundingDate: ("成立时间", "founded"),
    SCHEMA.text: ("原话", "words"),
    SCHEMA.inLanguage: ("语言", "language"),
    SKOS.definition: ("定义", "definition"),
    RDFS.comment: ("注释", "note"),
    KG.isApproximate: ("约数", "approximate"),
}
"""Labels of the few non-``kg:`` properties the data uses (the ontology labels the rest)."""

_INVERSES = {ORG.holds: ORG.heldBy}
"""A triple with the key property is drawn as the value property's edge, reversed."""

_WHEN = frozenset(
    shorten(str(p)) for p in (KG.date, KG.dateText, KG.approximateDate, KG.notBefore, KG.notAfter)
)
"""Date properties summarised in a fact's ``date`` and ``date_text``."""

_CURRENCY_ZH = {"CNY": "元", "USD": "美元", "HKD": "港元"}


# ---------------------------------------------------------------- reading the RDF
@dataclass
class _Statements:
    """The asserted statements, indexed by subject, with the graphs that assert each."""

    out: dict[Node, dict[tuple[URIRef, Node], set[URIRef]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    mentioned: set[URIRef] = field(default_factory=set)

    def add(self, s: Node, p: URIRef, o: Node, graph: URIRef, mention: bool) -> None:
        self.out[s].setdefault((p, o), set()).add(graph)
        if mention:
            for term in (s, o):
                if isinstance(term, URIRef) and p != RDF.type:
                    self.mentioned.add(term)


class _Vocabulary:
    """Class hierarchy, labels, aliases, types and evidence quotes, fed statement by statement."""

    def __init__(self) -> None:
        self.parents: dict[Node, set[Node]] = defaultdict(set)
        self.labels: dict[Node, dict[str, str]] = defaultdict(dict)
        self.aliases: dict[Node, set[str]] = defaultdict(set)
        self.types: dict[Node, set[Node]] = defaultdict(set)
        self.quotes: dict[Node, Attrs] = {}
        self._derived: dict[Node, list[Node]] = defaultdict(list)
        self._selectors: dict[Node, list[Node]] = defaultdict(list)
        self._selected: dict[tuple[Node, Node], Node] = {}
        self._ancestors: dict[Node, frozenset[Node]] = {}

    def add(self, s: Node, p: Node, o: Node) -> None:
        """Take note of one statement (any graph but the inference graph)."""
        if p == _TYPE:
            self.types[s].add(o)
        elif p == _LABEL:
            if isinstance(o, RDFLiteral):
                lang = o.language or ""
                known = self.labels[s].get(lang)
                self.labels[s][lang] = str(o) if known is None else min(known, str(o))
        elif p in _ALIASES:
            self.aliases[s].add(str(o))
        elif p == _SUBCLASS:
            self.parents[s].add(o)
        elif p == _DERIVED:
            self._derived[s].append(o)
        elif p == _SELECTOR:
            self._selectors[s].append(o)
        elif p in _SELECTED:
            self._selected[(s, p)] = o

    def finish(self) -> None:
        """Resolve each evidence graph's quote once every statement has been seen."""
        for graph, resources in self._derived.items():
            selectors = [x for r in resources for x in self._selectors[r]]
            self.quotes[graph] = _quote(graph, selectors, self._selected)

    def ancestors(self, cls: Node) -> frozenset[Node]:
        """``cls`` and all its superclasses."""
        if cls not in self._ancestors:
            seen: set[Node] = set()
            todo = [cls]
            while todo:
                current = todo.pop()
                if current not in seen:
                    seen.add(current)
                    todo.extend(self.parents.get(current, ()))
            self._ancestors[cls] = frozenset(seen)
        return self._ancestors[cls]

    def is_fact(self, term: Node) -> bool:
        """Whether ``term`` is an instance of an n-ary fact class."""
        return any(self.ancestors(t) & set(FACT_ROOTS) for t in self.types.get(term, ()))

    def most_specific(self, term: Node) -> Node | None:
        """The most specific of ``term``'s classes (ties broken by IRI)."""
        classes = self.types.get(term, set())
        leaves = [c for c in classes if not any(c in self.ancestors(o) for o in classes - {c})]
        return min(leaves, key=str) if leaves else None

    def family(self, cls: Node | None) -> Node | None:
        """The top-most ``kg:`` ancestor of ``cls`` (or ``cls`` itself outside ``kg:``)."""
        if cls is None:
            return None
        family = cls
        while True:
            ups = sorted(
                (p for p in self.parents.get(family, ()) if str(p).startswith(str(KG._NS))),
                key=str,
            )
            if not ups:
                return family
            family = ups[0]

    def rule(self, cls: Node | None) -> Rule:
        """The collapse rule of the nearest class (breadth-first up the hierarchy)."""
        frontier = [cls] if cls is not None else []
        seen: set[Node] = set()
        while frontier:
            for c in sorted(frontier, key=str):
                if isinstance(c, URIRef) and c in RULES:
                    return RULES[c]
            seen.update(frontier)
            frontier = [p for c in frontier for p in self.parents.get(c, ()) if p not in seen]
        return _NO_RULE

    def label(self, term: Node, lang: str) -> str:
        """``term``'s label in ``lang``, else in the other language, else its local name."""
        labels = self.labels.get(term, {})
        other = "en" if lang == "zh" else "zh"
        for key in (lang, other, ""):
            if key in labels:
                return labels[key]
        if isinstance(term, URIRef) and term in _EXTERNAL_LABELS:
            return _EXTERNAL_LABELS[term][0 if lang == "zh" else 1]
        return _local_name(term)


def _local_name(term: Node) -> str:
    text = str(term)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1] or text
    return text


def _quote(graph: Node, selectors: list[Node], selected: dict[tuple[Node, Node], Node]) -> Attrs:
    """An evidence graph's quote and code-point offsets, from its ``oa:`` selectors."""
    record: Attrs = {"graph": _curie(str(graph)), "quote": "", "start": None, "end": None}
    for selector in selectors:
        for key, prop in (("quote", OA.exact), ("start", OA.start), ("end", OA.end)):
            value = selected.get((selector, prop))
            if isinstance(value, RDFLiteral):
                record[key] = str(value) if key == "quote" else int(value.toPython())
    return record


@lru_cache(maxsize=1 << 16)
def _curie(iri: str) -> str:
    return shorten(iri)


def _is_vocabulary(term: Node) -> bool:
    return str(term).startswith(_VOCABULARY)


def _graph_id(graph: Graph | Node | None) -> Node | None:
    return graph.identifier if isinstance(graph, Graph) else graph


def _graph_quads(
    source: Graph, keep: Callable[[URIRef], bool]
) -> Iterator[tuple[Node, URIRef, Node, URIRef]]:
    """Statements with their graph (all graphs of a Dataset that ``keep`` accepts).

    A plain Graph counts as one graph, named by its identifier.
    """
    if isinstance(source, Dataset):
        for s, p, o, g in source.quads((None, None, None, None)):
            gid = _graph_id(g)
            if isinstance(gid, URIRef) and isinstance(p, URIRef) and keep(gid):
                yield s, p, o, gid
    else:
        gid = source.identifier if isinstance(source.identifier, URIRef) else URIRef("urn:x:")
        for s, p, o in source:
            if isinstance(p, URIRef):
                yield s, p, o, gid


def _by_position(quote: Attrs) -> tuple[int, str]:
    """Sort key of quotes: by offset in the article (unknown first), then by graph."""
    start = quote.get("start")
    return (start if isinstance(start, int) else -1, str(quote["graph"]))


def _curated(graphs: Iterable[URIRef]) -> bool:
    """Whether a statement is asserted by the curators alone (no evidence graph)."""
    return all(g == CURATION_GRAPH for g in graphs)


def _both(zh: str, en: str) -> str:
    return zh if zh == en else f"{zh} · {en}"


# ---------------------------------------------------------------- formatting values
def _number(value: float) -> str:
    for scale, word in ((1e12, " trillion"), (1e9, " billion"), (1e6, " million")):
        if abs(value) >= scale:
            return f"{value / scale:,.4g}{word}"
    return f"{value:,.6g}"


def _range(node: Node, lookup: Callable[[Node, URIRef], Node | None]) -> str:
    value, low, high = (lookup(node, p) for p in (SCHEMA.value, SCHEMA.minValue, SCHEMA.maxValue))
    num = {k: float(str(v)) for k, v in (("v", value), ("lo", low), ("hi", high)) if v is not None}
    approx = "≈" if str(lookup(node, KG.isApproximate)) == "true" else ""
    if "v" in num:
        return approx + _number(num["v"])
    if "lo" in num and "hi" in num:
        return f"{_number(num['lo'])}–{_number(num['hi'])}"
    if "lo" in num:
        return f"≥{_number(num['lo'])}"
    if "hi" in num:
        return f"≤{_number(num['hi'])}"
    return ""


def _qualifier(node: Node, lookup: Callable[[Node, URIRef], Node | None]) -> tuple[str, str]:
    """A qualifier (amount, price, quantity) as (Chinese, English) text."""
    written = str(lookup(node, KG.asWritten) or "")
    currency = lookup(node, SCHEMA.currency) or lookup(node, SCHEMA.priceCurrency)
    if lookup(node, SCHEMA.price) is not None:
        per = lookup(node, SCHEMA.referenceQuantity)
        unit = f" per {_range(per, lookup)} {lookup(per, SCHEMA.unitText) or ''}" if per else ""
        english = f"{currency} {_number(float(str(lookup(node, SCHEMA.price))))}{unit}"
        return written or english, english.strip()
    if currency is not None:
        english = f"{currency} {_range(node, lookup)}".replace(f"{currency} ≥", f"≥ {currency} ")
        english = english.replace(f"{currency} ≤", f"≤ {currency} ")
        suffix = _CURRENCY_ZH.get(str(currency), "")
        needs_unit = written and (written[-1].isdigit() or written[-1] in "万亿千百")
        return (written + suffix if needs_unit else written) or english, english
    unit = str(lookup(node, SCHEMA.unitText) or "")
    english = f"{_range(node, lookup)} {unit}".strip()
    return written or english, english


def _month(lexical: str) -> str:
    """A sortable ``YYYY-MM`` start of a date of any precision."""
    return lexical[:7] if len(lexical) >= 7 else f"{lexical[:4]}-01"


# ---------------------------------------------------------------- the projection
@dataclass
class _Fact:
    node: Node
    cls: Node | None
    rule: Rule
    attrs: Attrs
    participants: list[tuple[URIRef, URIRef]]
    related: list[tuple[URIRef, Node]]


class _Projector:
    def __init__(self, source: Graph, context: Graph | None) -> None:
        self.vocab = _Vocabulary()
        self.statements = _Statements()
        if context is not None:
            for s, p, o, _ in _graph_quads(context, keep=_not_inferred):
                self.vocab.add(s, p, o)
        for s, p, o, gid in _graph_quads(source, keep=_not_inferred):
            self.vocab.add(s, p, o)
            if gid not in _SKIPPED_GRAPHS:
                self.statements.add(s, p, o, gid, mention=gid != CURATION_GRAPH)
        self.vocab.finish()
        self.facts: set[Node] = {
            s for s in self.statements.out if isinstance(s, URIRef) and self.vocab.is_fact(s)
        }
        self.entities = sorted(
            (
                t
                for t in self.statements.mentioned
                if t not in self.facts and not _is_vocabulary(t) and not isinstance(t, BNode)
            ),
            key=str,
        )
        self.entity_set = set(self.entities)

    # -- small helpers
    def value(self, node: Node, prop: URIRef) -> Node | None:
        for (p, o), _ in self.statements.out.get(node, {}).items():
            if p == prop:
                return o
        return None

    def evidence(self, graphs: Iterable[URIRef]) -> list[Attrs]:
        quotes = [self.vocab.quotes[g] for g in graphs if g in self.vocab.quotes]
        return sorted(quotes, key=_by_position)

    def prop_labels(self, prop: Node) -> tuple[str, str]:
        return self.vocab.label(prop, "zh"), self.vocab.label(prop, "en")

    def literal_facts(self, subject: Node) -> list[Attrs]:
        """Literal, qualifier and concept values of ``subject``, with their evidence."""
        facts: list[Attrs] = []
        for (p, o), graphs in sorted(
            self.statements.out.get(subject, {}).items(),
            key=lambda kv: (str(kv[0][0]), str(kv[0][1])),
        ):
            if p in _METADATA or p in _MONEY or (isinstance(o, URIRef) and not _is_vocabulary(o)):
                continue
            zh, en = self.prop_labels(p)
            if isinstance(o, BNode):
                value_zh, value_en = _qualifier(o, self.value)
                values = [(value_zh, "zh"), (value_en, "en")]
            elif isinstance(o, URIRef):
                values = [(self.vocab.label(o, "zh"), "zh"), (self.vocab.label(o, "en"), "en")]
            else:
                values = [(str(o), o.language or "" if isinstance(o, RDFLiteral) else "")]
            for text, lang in dict.fromkeys(values):
                facts.append(
                    {
                        "property": _curie(str(p)),
                        "label_zh": zh,
                        "label_en": en,
                        "value": text,
                        "lang": lang,
                        "curated": _curated(graphs),
                        "evidence": self.evidence(graphs),
                    }
                )
        return facts

    def when(self, fact: Node) -> Attrs:
        date = self.value(fact, KG.date)
        approx = self.value(fact, KG.approximateDate)
        low, high = self.value(fact, KG.notBefore), self.value(fact, KG.notAfter)
        text = self.value(fact, KG.dateText)
        if date is not None:
            shown, start = str(date), _month(str(date))
        elif approx is not None:
            shown, start = f"≈{approx}", _month(str(approx))
        elif low is not None:
            shown = f"{low}–{high}" if high is not None else f"≥{low}"
            start = _month(str(low))
        else:
            shown, start = (f"≤{high}" if high is not None else ""), ""
        return {"date": shown, "date_start": start, "date_text": str(text or "")}

    def fact(self, node: Node) -> _Fact:
        cls = self.vocab.most_specific(node)
        graphs = set().union(*self.statements.out[node].values())
        money = [
            _qualifier(o, self.value)
            for prop in _MONEY
            for (p, o) in self.statements.out[node]
            if p == prop and isinstance(o, BNode)
        ]
        attrs: Attrs = {
            "fact": _curie(str(node)),
            "fact_class": _curie(str(cls)) if cls is not None else "",
            "fact_label_zh": self.vocab.label(node, "zh"),
            "fact_label_en": self.vocab.label(node, "en"),
            **self.when(node),
            "amount_zh": " → ".join(zh for zh, _ in money),
            "amount_en": " → ".join(en for _, en in money),
            "details": [d for d in self.literal_facts(node) if d["property"] not in _WHEN],
            "curated": _curated(graphs),
            "evidence": self.evidence(graphs),
        }
        participants: list[tuple[URIRef, URIRef]] = []
        related: list[tuple[URIRef, Node]] = []
        for p, o in sorted(self.statements.out[node], key=lambda po: (str(po[0]), str(po[1]))):
            if o in self.entity_set and isinstance(o, URIRef):
                participants.append((p, o))
            elif o in self.facts:
                related.append((p, o))
        attrs["related"] = [
            {
                "property": _curie(str(p)),
                "property_label_zh": self.vocab.label(p, "zh"),
                "property_label_en": self.vocab.label(p, "en"),
                "fact": _curie(str(o)),
                "label_zh": self.vocab.label(o, "zh"),
                "label_en": self.vocab.label(o, "en"),
            }
            for p, o in related
        ]
        return _Fact(node, cls, self.vocab.rule(cls), attrs, participants, related)

    def node_attrs(self, term: Node, kind: str) -> Attrs:
        cls = self.vocab.most_specific(term)
        family = self.vocab.family(cls)
        zh, en = self.vocab.label(term, "zh"), self.vocab.label(term, "en")
        return {
            "id": str(term),
            "curie": _curie(str(term)),
            "kind": kind,
            "label_zh": zh,
            "label_en": en,
            "label": _both(zh, en),
            "aliases": sorted(self.vocab.aliases.get(term, ())),
            "class": _curie(str(cls)) if cls is not None else "",
            "class_label_zh": self.vocab.label(cls, "zh") if cls is not None else "",
            "class_label_en": self.vocab.label(cls, "en") if cls is not None else "",
            "family": _curie(str(family)) if family is not None else "",
            "family_label_zh": self.vocab.label(family, "zh") if family is not None else "",
            "family_label_en": self.vocab.label(family, "en") if family is not None else "",
            "facts": self.literal_facts(term),
            "events": [],
        }

    # -- building the graph
    def build(self, collapse: bool) -> nx.MultiDiGraph:
        nxg = nx.MultiDiGraph(collapsed=collapse)
        for entity in self.entities:
            nxg.add_node(str(entity), **self.node_attrs(entity, "entity"))
        self.add_direct_edges(nxg)
        for node in sorted(self.facts, key=str):
            fact = self.fact(node)
            if collapse:
                self.collapse(nxg, fact)
            else:
                self.expand(nxg, fact)
        return nxg

    def add_direct_edges(self, nxg: nx.MultiDiGraph) -> None:
        for s in self.entities:
            for (p, o), graphs in sorted(
                self.statements.out.get(s, {}).items(),
                key=lambda kv: (str(kv[0][0]), str(kv[0][1])),
            ):
                if o not in self.entity_set or p in _METADATA:
                    continue
                tail, head, prop = (o, s, _INVERSES[p]) if p in _INVERSES else (s, o, p)
                key = f"{_curie(str(prop))}|{_curie(str(head))}"
                if nxg.has_edge(str(tail), str(head), key):
                    edge = nxg.edges[str(tail), str(head), key]
                    merged = {q["graph"]: q for q in edge["evidence"] + self.evidence(graphs)}
                    edge["evidence"] = sorted(merged.values(), key=_by_position)
                    edge["curated"] = edge["curated"] and _curated(graphs)
                    continue
                zh, en = self.prop_labels(prop)
                nxg.add_edge(
                    str(tail),
                    str(head),
                    key=key,
                    relation=_curie(str(prop)),
                    label_zh=zh,
                    label_en=en,
                    label=_both(zh, en),
                    kind="direct",
                    date="",
                    date_start="",
                    date_text="",
                    amount_zh="",
                    amount_en="",
                    curated=_curated(graphs),
                    evidence=self.evidence(graphs),
                )

    def collapse(self, nxg: nx.MultiDiGraph, fact: _Fact) -> None:
        entities = list(dict.fromkeys(e for _, e in fact.participants))
        if len(entities) == 0:
            self.expand(nxg, fact, related=False)
            return
        if len(entities) == 1:
            nxg.nodes[str(entities[0])]["events"].append(
                {**fact.attrs, "role": _curie(str(fact.participants[0][0]))}
            )
            return
        rule = fact.rule
        sources = [e for r, e in fact.participants if r in rule.sources]
        targets = [e for r, e in fact.participants if r in rule.targets]
        if rule.symmetric:
            pairs = [(a, b) for i, a in enumerate(sources) for b in sources[i + 1 :]]
        else:
            pairs = [(a, b) for a in sources for b in targets if a != b]
        for n, (tail, head) in enumerate(pairs):
            self.fact_edge(nxg, fact, tail, head, f"{fact.attrs['fact']}#{n}", rule)
        main = set(sources) | set(targets) if pairs else set()
        ends = (targets or sources) if rule.anchor == "target" else (sources or targets)
        anchor = (ends or entities)[0]
        for role, entity in fact.participants:
            if entity != anchor and (entity not in main or not pairs):
                self.role_edge(nxg, fact, anchor, entity, role)

    def fact_edge(
        self, nxg: nx.MultiDiGraph, fact: _Fact, tail: URIRef, head: URIRef, key: str, rule: Rule
    ) -> None:
        roles = {e: r for r, e in fact.participants}
        nxg.add_edge(
            str(tail),
            str(head),
            key=key,
            relation=fact.attrs["fact_class"],
            label_zh=rule.verb_zh,
            label_en=rule.verb_en,
            label=_both(rule.verb_zh, rule.verb_en),
            kind="fact",
            role_source=_curie(str(roles[tail])),
            role_target=_curie(str(roles[head])),
            **fact.attrs,
        )

    def role_edge(
        self, nxg: nx.MultiDiGraph, fact: _Fact, tail: Node, head: Node, role: URIRef
    ) -> None:
        zh, en = self.prop_labels(role)
        nxg.add_edge(
            str(tail),
            str(head),
            key=f"{fact.attrs['fact']}|{_curie(str(role))}|{_curie(str(head))}",
            relation=_curie(str(role)),
            label_zh=zh,
            label_en=en,
            label=_both(zh, en),
            kind="role",
            **fact.attrs,
        )

    def expand(self, nxg: nx.MultiDiGraph, fact: _Fact, related: bool = True) -> None:
        fid = str(fact.node)
        attrs = self.node_attrs(fact.node, "fact")
        attrs.update({k: v for k, v in fact.attrs.items() if k not in ("details",)})
        attrs["facts"] = fact.attrs["details"]
        if fid not in nxg:
            nxg.add_node(fid, **attrs)
        else:
            nxg.nodes[fid].update(attrs)
        for role, entity in fact.participants:
            self.role_edge(nxg, fact, fact.node, entity, role)
        for role, other in fact.related if related else ():
            if str(other) not in nxg:
                nxg.add_node(str(other), **self.node_attrs(other, "fact"))
            self.role_edge(nxg, fact, fact.node, other, role)


def _as_dataset(data: KnowledgeGraph | Graph) -> Graph:
    return data if isinstance(data, Graph) else data.dataset


def to_networkx(data: KnowledgeGraph | Graph, *, collapse: bool = True) -> nx.MultiDiGraph:
    """Project a knowledge graph onto a NetworkX multigraph of its entities.

    Args:
        data: A :class:`kg.KnowledgeGraph`, its rdflib Dataset (named graphs as loaded: evidence
            graphs, ``kgg:curation``, ``kgg:provenance``, ``kgg:ontology``), or a plain Graph
            (then every triple counts as asserted and no quotes are known).
        collapse: Draw n-ary facts as labelled edges between their entities (default) or as
            nodes of their own.

    Returns:
        A new ``MultiDiGraph``; see the module docstring for its attributes.

    """
    source = _as_dataset(data)
    return _Projector(source, None).build(collapse)


def from_construct(
    result: Graph, *, context: KnowledgeGraph | Graph | None = None, collapse: bool = True
) -> nx.MultiDiGraph:
    """Project the graph a CONSTRUCT (or DESCRIBE) query returned.

    Args:
        result: The query's result graph.
        context: Where to look up labels, classes and evidence quotes (usually the knowledge
            graph the query ran on); without it only what ``result`` holds is known.
        collapse: As for :func:`to_networkx`.

    Returns:
        The projection of the triples in ``result`` alone.

    """
    dataset = _as_dataset(context) if context is not None else None
    projector = _Projector(result, dataset)
    if dataset is not None:
        _attach_evidence(projector, result, dataset)
    return projector.build(collapse)


def _attach_evidence(projector: _Projector, result: Graph, context: Graph) -> None:
    """Credit each result triple to the evidence graphs of ``context`` that assert it."""
    if not isinstance(context, Dataset):
        return
    for s, p, o in result:
        if not isinstance(p, URIRef):
            continue
        for _, _, _, g in context.quads((s, p, o, None)):
            gid = _graph_id(g)
            if isinstance(gid, URIRef) and str(gid).startswith(EVIDENCE_BASE):
                projector.statements.out[s].setdefault((p, o), set()).add(gid)


# ---------------------------------------------------------------- files
EXPORT_FORMATS = ("graphml", "gexf", "json", "ttl", "trig", "nt", "jsonld")
"""Formats :func:`export` writes: three of the projection, four of the RDF itself."""

_RDF_FORMATS = {"ttl": "turtle", "trig": "trig", "nt": "nt", "jsonld": "json-ld"}
_JSON_ATTRIBUTES = frozenset({"aliases", "facts", "events", "evidence", "details", "related"})
"""The projection's list-valued attributes, JSON-encoded in GraphML and GEXF."""


def _scalar_copy(nxg: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose list and dict attributes are JSON strings (GraphML/GEXF take scalars)."""

    def scalars(attrs: Attrs) -> Attrs:
        return {
            key: json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
            for key, value in attrs.items()
            if value is not None
        }

    copy = nx.MultiDiGraph()
    copy.add_nodes_from((n, scalars(d)) for n, d in nxg.nodes(data=True))
    copy.add_edges_from((u, v, k, scalars(d)) for u, v, k, d in nxg.edges(keys=True, data=True))
    copy.graph.update(scalars(dict(nxg.graph)))
    return copy


def _decode(nxg: nx.MultiDiGraph) -> nx.MultiDiGraph:
    for attrs in [d for _, d in nxg.nodes(data=True)] + [d for *_, d in nxg.edges(data=True)]:
        for key in _JSON_ATTRIBUTES & attrs.keys():
            if isinstance(attrs[key], str):
                attrs[key] = json.loads(attrs[key])
    for node, attrs in nxg.nodes(data=True):
        attrs.setdefault("id", node)
    return nxg


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same folder, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(nxg: nx.MultiDiGraph, path: str | os.PathLike[str], fmt: str) -> Path:
    """Write a projection as ``graphml``, ``gexf`` or node-link ``json``, atomically.

    GraphML and GEXF hold scalars only: list and dict attributes (aliases, facts, evidence…)
    are written as JSON strings, which :func:`read` decodes again.

    Raises:
        ValueError: For another format.

    """
    target = Path(path)
    if fmt == "json":
        data = nx.node_link_data(nxg, edges="edges")
        text = json.dumps(data, ensure_ascii=False, indent=1)
        write_atomically(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    elif fmt == "graphml":
        write_atomically(target, lambda tmp: nx.write_graphml(_scalar_copy(nxg), tmp))
    elif fmt == "gexf":
        write_atomically(target, lambda tmp: nx.write_gexf(_scalar_copy(nxg), tmp))
    else:
        raise ValueError(f"unknown network format {fmt!r}: use graphml, gexf or json")
    return target


def read(path: str | os.PathLike[str], fmt: str | None = None) -> nx.MultiDiGraph:
    """Read a file :func:`write` wrote (format from the suffix unless given)."""
    source = Path(path)
    fmt = fmt or source.suffix.lstrip(".")
    if fmt == "json":
        data = json.loads(source.read_text(encoding="utf-8"))
        return _decode(nx.node_link_graph(data, directed=True, multigraph=True, edges="edges"))
    if fmt == "graphml":
        return _decode(nx.read_graphml(source, force_multigraph=True))
    if fmt == "gexf":
        return _decode(nx.MultiDiGraph(nx.read_gexf(source)))
    raise ValueError(f"unknown network format {fmt!r}: use graphml, gexf or json")


def _asserted(dataset: Graph) -> Dataset:
    """The dataset's asserted statements (the inference graph left out), prefixes bound."""
    out = Dataset()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace, replace=True)
    if isinstance(dataset, Dataset):
        out.addN(
            (s, p, o, out.graph(gid)) for s, p, o, gid in _graph_quads(dataset, keep=_not_inferred)
        )
    else:
        out.addN((s, p, o, out.default_graph) for s, p, o in dataset)
    return out


def export(
    data: KnowledgeGraph | Graph,
    fmt: str,
    out_path: str | os.PathLike[str],
    *,
    collapse: bool = True,
) -> Path:
    """Write the knowledge graph to ``out_path`` in ``fmt``, atomically.

    Args:
        data: The knowledge graph (or its rdflib Dataset).
        fmt: ``graphml``, ``gexf`` (opens in Gephi) or ``json`` (node-link) for the projection;
            ``ttl``, ``nt`` (all graphs merged), ``trig`` or ``jsonld`` (named graphs kept) for
            the RDF itself.
        out_path: The file to write.
        collapse: For the projection formats, as in :func:`to_networkx`.

    Returns:
        The path written.

    Raises:
        ValueError: For an unknown format.

    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    if fmt in _RDF_FORMATS:
        asserted = _asserted(_as_dataset(data))
        target: Graph = asserted
        if fmt in ("ttl", "nt"):
            target = Graph()
            for prefix, namespace in PREFIXES.items():
                target.bind(prefix, namespace, replace=True)
            for s, p, o, _ in asserted.quads((None, None, None, None)):
                target.add((s, p, o))
        path = Path(out_path)
        rdf_format = _RDF_FORMATS[fmt]
        write_atomically(
            path, lambda tmp: target.serialize(tmp, format=rdf_format, encoding="utf-8")
        )
        return path
    return write(to_networkx(data, collapse=collapse), out_path, fmt)
