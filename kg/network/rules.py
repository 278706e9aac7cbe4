"""The projection's rules: the class → edge table, vocabulary labels and value formatting.

:data:`RULES` says how each n-ary fact class is drawn (source roles, target roles, verb); the
:class:`Vocabulary` reads classes and labels from the ontology and picks a fact's rule.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from rdflib import Literal as RDFLiteral
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.data.asof import publication_span
from kg.data.namespaces import (
    DRAFT_CURATION_GRAPH,
    IDENTITY_GRAPH,
    INFERENCE_GRAPH,
    KG,
    OA,
    ONTOLOGY_GRAPH,
    ORG,
    PROV,
    PROVENANCE_GRAPH,
    SCHEMA,
)
from kg.data.prefixes import shorten
from kg.network.values import LOOKED_UP

Attrs = dict[str, Any]

FACT_ROOTS = (KG.Event, KG.Observation, KG.Claim)
"""Classes whose instances are n-ary facts, not entities."""

VOCABULARY_NAMESPACES = tuple(str(ns) for ns in (KG._NS, RDF, RDFS, OWL, XSD, SKOS))
SKIPPED_GRAPHS = frozenset(
    {INFERENCE_GRAPH, PROVENANCE_GRAPH, ONTOLOGY_GRAPH, DRAFT_CURATION_GRAPH}
)
"""Graphs whose statements are not projected (vocabulary and quotes are read from them)."""


def not_inferred(graph: URIRef) -> bool:
    """Whether ``graph`` is neither the inference graph nor the merges' (``kgg:identity``)."""
    return graph != INFERENCE_GRAPH and graph != IDENTITY_GRAPH


# Terms looked up once: attribute access on rdflib namespaces is slow in the hot loops.
_TYPE, _LABEL, _SUBCLASS = RDF.type, RDFS.label, RDFS.subClassOf
_DERIVED, _SELECTOR = PROV.wasDerivedFrom, OA.hasSelector
_SELECTED = (OA.exact, OA.start, OA.end)
_CITED = frozenset({KG.locator, KG.publisherName, KG.datePublished, SCHEMA.url})
_ALIASES = frozenset({SKOS.altLabel, SKOS.prefLabel})
_STATUS, _DRAFT, _PUBLISHED = KG.status, KG.Draft, KG.datePublished
NOTED: dict[Node, str] = {
    _TYPE: "type",
    _LABEL: "label",
    **dict.fromkeys(_ALIASES, "alias"),
    _SUBCLASS: "parent",
    _DERIVED: "derived",
    _SELECTOR: "selector",
    OA.hasSource: "source",
    **dict.fromkeys((*_SELECTED, *_CITED), "selected"),
    _STATUS: "status",
}
"""What :meth:`Vocabulary.add` takes note of, by property (no other property need be shown it)."""
METADATA = frozenset({RDF.type, RDFS.label, *_ALIASES})
MONEY = (KG.amount, KG.price, KG.priceBefore, KG.priceAfter)
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


#: Claim types of the article's own voice: drawn about what they concern, not from their author
#: (who would otherwise be a hub through which every path runs).
AUTHOR_VOICE = frozenset({KG.AuthorAssessment, KG.StatedCause})

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

INVERSES = {ORG.holds: ORG.heldBy}
"""A triple with the key property is drawn as the value property's edge, reversed."""


def known_terms() -> frozenset[URIRef]:
    """The terms the projection looks up: a reader hands out these very objects for them.

    rdflib compares terms in Python; a dictionary finds the same object by identity at once.
    """
    roles = {role for rule in (*RULES.values(), _NO_RULE) for role in rule.sources + rule.targets}
    return frozenset(
        t
        for t in (
            *NOTED,
            *METADATA,
            *MONEY,
            *FACT_ROOTS,
            *RULES,
            *roles,
            *INVERSES,
            *AUTHOR_VOICE,
            *LOOKED_UP,
        )
        if isinstance(t, URIRef)
    )


WHEN = frozenset(
    shorten(str(p)) for p in (KG.date, KG.dateText, KG.approximateDate, KG.notBefore, KG.notAfter)
)
"""Date properties summarised in a fact's ``date`` and ``date_text``."""


class Vocabulary:
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
        self._sources: dict[Node, Node] = {}
        self._published: dict[Node, str] = {}
        self._drafts: set[Node] = set()
        self._ancestors: dict[Node, frozenset[Node]] = {}
        self._leaves: dict[frozenset[Node], Node | None] = {}
        self._fact_classes: dict[frozenset[Node], bool] = {}
        self._families: dict[Node | None, Node | None] = {}
        self._rules: dict[Node | None, Rule] = {}

    def add(self, s: Node, p: Node, o: Node) -> None:
        """Take note of one statement (any graph but the inference graph)."""
        kind = NOTED.get(p)  # one hash look-up: most statements are none of these
        if kind is None:
            return
        if kind == "type":
            self.types[s].add(o)
        elif kind == "label":
            if isinstance(o, RDFLiteral):
                lang = o.language or ""
                known = self.labels[s].get(lang)
                self.labels[s][lang] = str(o) if known is None else min(known, str(o))
        elif kind == "alias":
            self.aliases[s].add(str(o))
        elif kind == "parent":
            self.parents[s].add(o)
        elif kind == "derived":
            self._derived[s].append(o)
        elif kind == "selector":
            self._selectors[s].append(o)
        elif kind == "source":
            self._sources[s] = o
        elif kind == "selected":
            self._selected[(s, p)] = o
            if p == _PUBLISHED:
                self._published[s] = str(o)
        elif o == _DRAFT:  # kind == "status"
            self._drafts.add(s)

    def finish(self) -> None:
        """Resolve each evidence graph's quote once every statement has been seen."""
        for graph, resources in self._derived.items():
            selectors = [x for r in resources for x in self._selectors[r]]
            self.quotes[graph] = quote_of(graph, selectors, self._selected)
            sources = sorted(
                {curie(str(self._sources[r])) for r in resources if r in self._sources}
            )
            self.quotes[graph]["source"] = sources[0] if sources else None
            self.quotes[graph]["reported"] = self._reported(
                [self._sources[r] for r in resources if r in self._sources]
            )
            if graph in self._drafts:  # a proposal not yet reviewed
                self.quotes[graph]["draft"] = True
            self.quotes[graph].update(self._tier(resources))

    def _reported(self, sources: list[Node]) -> str:
        """When a graph was surely known (``""``: always, a source being undated).

        The last day its first source's date may stand for, as ``--as-of`` reads it
        (:mod:`kg.data.asof`).
        """
        days = []
        for source in sources:
            span = publication_span(self._published.get(source, ""))
            if span is None:
                return ""
            days.append(span[1].isoformat())
        return min(days, default="")

    def _tier(self, resources: list[Node]) -> Attrs:
        """``quoted``, or ``cited`` with the report's publisher, date, URL and the locator."""
        for resource in resources:
            locator = self._selected.get((resource, KG.locator))
            if locator is None:
                continue
            report = self._sources.get(resource)
            found = {
                key: self._selected.get((report, prop)) if report is not None else None
                for key, prop in (
                    ("publisher", KG.publisherName),
                    ("published", KG.datePublished),
                    ("url", SCHEMA.url),
                )
            }
            cited = {key: str(value) if value is not None else None for key, value in found.items()}
            return {"tier": "cited", "locator": str(locator), **cited}
        return {"tier": "quoted"}

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
        classes = frozenset(self.types.get(term, ()))
        known = self._fact_classes.get(classes)
        if known is None:
            roots = set(FACT_ROOTS)
            known = self._fact_classes[classes] = any(self.ancestors(t) & roots for t in classes)
        return known

    def most_specific(self, term: Node) -> Node | None:
        """The most specific of ``term``'s classes (ties broken by IRI)."""
        classes = frozenset(self.types.get(term, ()))
        if classes not in self._leaves:  # computed once per combination of classes
            leaves = [c for c in classes if not any(c in self.ancestors(o) for o in classes - {c})]
            self._leaves[classes] = min(leaves, key=str) if leaves else None
        return self._leaves[classes]

    def family(self, cls: Node | None) -> Node | None:
        """The top-most ``kg:`` ancestor of ``cls`` (or ``cls`` itself outside ``kg:``)."""
        if cls not in self._families:
            self._families[cls] = self._family(cls)
        return self._families[cls]

    def _family(self, cls: Node | None) -> Node | None:
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
        if cls not in self._rules:
            self._rules[cls] = self._rule(cls)
        return self._rules[cls]

    def _rule(self, cls: Node | None) -> Rule:
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


@lru_cache(maxsize=1 << 12)  # a projection and its page ask again for the same properties
def curie(iri: str) -> str:
    """``iri`` as a CURIE where a known prefix fits, for the vocabulary's terms, which recur.

    A node's or graph's own name, met once a projection, takes :func:`kg.data.prefixes.shorten`:
    a cache of those would hold a whole graph's names, and one too small for them would miss
    every time.
    """
    return shorten(iri)


def quote_of(graph: Node, selectors: list[Node], selected: dict[tuple[Node, Node], Node]) -> Attrs:
    """An evidence graph's quote and code-point offsets, from its ``oa:`` selectors."""
    record: Attrs = {"graph": shorten(str(graph)), "quote": "", "start": None, "end": None}
    for selector in selectors:
        for key, prop in (("quote", OA.exact), ("start", OA.start), ("end", OA.end)):
            value = selected.get((selector, prop))
            if isinstance(value, RDFLiteral):
                record[key] = str(value) if key == "quote" else int(value.toPython())
    return record


def both(zh: str, en: str) -> str:
    """``zh · en``, or one of them when they are the same."""
    return zh if zh == en else f"{zh} · {en}"
