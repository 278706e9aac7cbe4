"""The projection's outline: its nodes and edges, named and classed, without facts or evidence.

``kg serve`` shows the explorer's overview before the full projection
(:func:`kg.network.projection.to_networkx`) is built: at a million statements the projection
takes several times as long as the load, most of it spent on what only the details panels, the
timeline and the paths need (every literal fact, amount, date and quote). The outline reads the
same loaded store graph by graph (of the graphs the projection does not draw, the provenance and
the ontology, only the types, labels and subclasses), keeping as Python objects only the
classes, labels and the statements between IRIs, and draws them by the projection's own rules
(:data:`~kg.network.rules.RULES`, :class:`~kg.network.rules.Vocabulary`) into plain rows, so its
nodes, edges, keys, relations, labels and classes are the projection's (``tests/test_outline.py``
checks it). What it leaves out: literal facts, events, quotes, dates, amounts and details.
:meth:`Outline.to_networkx` gives it as a graph with the projection's attribute names (and
the graph attribute ``outline``); :mod:`kg.explore.sketch` draws it without one.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, cast, runtime_checkable

import networkx as nx
import pyoxigraph as ox
from rdflib import URIRef

from kg.data.namespaces import CURATION_GRAPH, IDENTITY_GRAPH, INFERENCE_GRAPH, KG
from kg.data.prefixes import shorten
from kg.network.reading import HasQuads, collector_paused, is_vocabulary
from kg.network.rules import (
    AUTHOR_VOICE,
    INVERSES,
    METADATA,
    SKIPPED_GRAPHS,
    Vocabulary,
    both,
    curie,
)

__all__ = ["GraphStore", "Outline", "OutlineEdge", "OutlineNode", "outline"]

_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_PARENT = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_METADATA = frozenset(str(p) for p in METADATA)
_CLAIM_TYPE, _CLAIMANT = str(KG.claimType), str(KG.claimant)
_AUTHOR_VOICE = frozenset(str(v) for v in AUTHOR_VOICE)
_INVERSES = {str(k): str(v) for k, v in INVERSES.items()}
_CURATION = str(CURATION_GRAPH)


@runtime_checkable
class GraphStore(HasQuads, Protocol):
    """A loaded store read graph by graph (an Oxigraph engine is one)."""

    def graph_names(self) -> set[str]:
        """Every named graph in the store."""
        ...

    def quads_in(self, graph: str, predicate: str | None = None) -> Iterator[ox.Quad]:
        """The loaded quads of one named graph (of one ``predicate``, if given)."""
        ...


class _Reader:
    """One pass over the store, graph by graph: classes, labels, mentions, links between IRIs.

    Of a graph the projection does not draw (the provenance, the ontology) only the types,
    labels and subclasses are read.
    """

    def __init__(self, store: GraphStore) -> None:
        self.vocab = Vocabulary()
        self.iris: dict[str, URIRef] = {}
        self.labels: dict[str, dict[str, str]] = defaultdict(dict)
        self.out: dict[str, dict[tuple[str, str], set[str]]] = defaultdict(dict)
        self.graphs: dict[str, set[str]] = defaultdict(set)  # where each IRI is stated about
        self.mentioned: set[str] = set()
        unread = {str(INFERENCE_GRAPH), str(IDENTITY_GRAPH)}
        for name in sorted(store.graph_names() - unread):
            if URIRef(name) in SKIPPED_GRAPHS:
                for prop in (_TYPE, _LABEL, _PARENT):
                    self._read(store.quads_in(name, prop), name, drawn=False, mentions=False)
            else:
                self._read(store.quads_in(name), name, True, mentions=name != _CURATION)

    def _read(self, quads: Iterator[ox.Quad], name: str, drawn: bool, mentions: bool) -> None:
        # instances are keyed by their IRI's text (no URIRef made for each), classes by URIRef
        types = cast(dict[Any, set[Any]], self.vocab.types)
        labels, parents, out, graphs = self.labels, self.vocab.parents, self.out, self.graphs
        mentioned = self.mentioned
        for quad in quads:
            subject, o = quad.subject, quad.object
            if not isinstance(subject, ox.NamedNode):
                continue
            s, p = subject.value, quad.predicate.value
            iri = o.value if isinstance(o, ox.NamedNode) else None
            if p == _TYPE and iri is not None:
                types[s].add(self.iri(iri))
            elif p == _LABEL and isinstance(o, ox.Literal):
                lang, text = o.language or "", o.value
                known = labels[s].get(lang)
                labels[s][lang] = text if known is None else min(known, text)
            elif p == _PARENT and iri is not None:
                parents[self.iri(s)].add(self.iri(iri))
            if not drawn:
                continue
            graphs[s].add(name)
            if mentions and p != _TYPE:
                mentioned.add(s)
                if iri is not None:
                    mentioned.add(iri)
            if iri is not None:
                out[s].setdefault((p, iri), set()).add(name)

    def iri(self, text: str) -> URIRef:
        """The one URIRef for ``text`` (the vocabulary's indexes are keyed by them)."""
        found = self.iris.get(text)
        if found is None:
            found = self.iris[text] = URIRef(text)
        return found


@dataclass(slots=True)
class OutlineNode:
    """A node of the outline.

    Attributes:
        kind: ``entity``, or ``fact`` for a fact that names no entity (drawn as a node).
        label_zh: Its label in Chinese (else English, else its local name).
        label_en: Its label in English.
        classed: Its most specific class and its family, with their labels: ``class``,
            ``class_label_zh``/``_en``, ``family``, ``family_label_zh``/``_en`` (as the
            projection's node attributes; one dictionary shared by the nodes of a class).

    """

    kind: str
    label_zh: str
    label_en: str
    classed: dict[str, str]


@dataclass(slots=True)
class OutlineEdge:
    """An edge of the outline: the projection's edge of the same ``(tail, head, key)``.

    Attributes:
        tail: Its tail node.
        head: Its head node.
        key: Its key in the projection's multigraph.
        relation: Its property or fact class, as a CURIE.
        label_zh: Its label in Chinese.
        label_en: Its label in English.
        kind: ``direct``, ``fact`` or ``role``.
        curated: Stated by the curators alone.
        fact: The fact it comes from, as a CURIE (``""``: a plain statement).
        fact_class: That fact's class, as a CURIE.

    """

    tail: str
    head: str
    key: str
    relation: str
    label_zh: str
    label_en: str
    kind: str
    curated: bool
    fact: str = ""
    fact_class: str = ""


@dataclass
class Outline:
    """The outline of a projection (see the module's docstring).

    Attributes:
        nodes: Its nodes by IRI: the entities in IRI order, then the facts drawn as nodes.
        edges: Its edges, in the projection's order of making them.
        referents: Merged IRIs and the IRIs they stand for now (``kg merge``).

    """

    nodes: dict[str, OutlineNode]
    edges: list[OutlineEdge]
    referents: dict[str, str]

    def to_networkx(self) -> nx.MultiDiGraph:
        """The outline as a ``MultiDiGraph`` with the projection's attribute names."""
        graph = nx.MultiDiGraph(collapsed=True, outline=True, referents=self.referents)
        for node, row in self.nodes.items():
            graph.add_node(
                node,
                id=node,
                kind=row.kind,
                label_zh=row.label_zh,
                label_en=row.label_en,
                label=both(row.label_zh, row.label_en),
                **row.classed,
            )
        for e in self.edges:
            graph.add_edge(
                e.tail,
                e.head,
                key=e.key,
                relation=e.relation,
                label_zh=e.label_zh,
                label_en=e.label_en,
                kind=e.kind,
                curated=e.curated,
                evidence=[],
                **({"fact": e.fact, "fact_class": e.fact_class} if e.fact else {}),
            )
        return graph


class _Outliner:
    """The projection's collapse of facts into edges, on the reader's statements."""

    def __init__(self, reader: _Reader) -> None:
        self.r = reader
        self.vocab = reader.vocab
        typed = cast(Callable[[str], bool], self.vocab.is_fact)  # keyed by text (see _Reader)
        self.facts = {s for s in reader.graphs if typed(s)}
        self.entities = sorted(
            t for t in reader.mentioned if t not in self.facts and not is_vocabulary(t)
        )
        self.entity_set = set(self.entities)
        self.nodes: dict[str, OutlineNode] = {}
        self.edges: list[OutlineEdge] = []
        self._classed: dict[URIRef | None, dict[str, str]] = {}
        self._labels: dict[str, tuple[str, str]] = {}

    def label(self, term: str, lang: str) -> str:
        """As :meth:`Vocabulary.label`, from the labels keyed by text."""
        labels = self.r.labels.get(term, {})
        for key in (lang, "en" if lang == "zh" else "zh", ""):
            if key in labels:
                return labels[key]
        return self.vocab.label(self.r.iri(term), lang)  # a known property's, or its name

    def labels(self, prop: str) -> tuple[str, str]:
        """A property's labels, looked up once."""
        found = self._labels.get(prop)
        if found is None:
            found = self._labels[prop] = (self.label(prop, "zh"), self.label(prop, "en"))
        return found

    def node(self, term: str, kind: str) -> OutlineNode:
        cls = cast(Callable[[str], URIRef | None], self.vocab.most_specific)(term)
        classed = self._classed.get(cls)
        if classed is None:
            classed = self._classed[cls] = {}
            for key, value in (("class", cls), ("family", self.vocab.family(cls))):
                classed[key] = curie(str(value)) if value is not None else ""
                for lang in ("zh", "en"):
                    text = self.label(str(value), lang) if value is not None else ""
                    classed[f"{key}_label_{lang}"] = text
        return OutlineNode(kind, self.label(term, "zh"), self.label(term, "en"), classed)

    def build(self, referents: dict[str, str]) -> Outline:
        for entity in self.entities:
            self.nodes[entity] = self.node(entity, "entity")
        direct: dict[tuple[str, str, str], OutlineEdge] = {}
        curation = str(CURATION_GRAPH)
        for s in self.entities:
            for (p, o), graphs in sorted(self.r.out.get(s, {}).items()):
                if o not in self.entity_set or p in _METADATA:
                    continue
                tail, head, prop = (o, s, _INVERSES[p]) if p in _INVERSES else (s, o, p)
                key = f"{curie(prop)}|{curie(head)}"
                curated = graphs == {curation}
                edge = direct.get((tail, head, key))
                if edge is not None:
                    edge.curated = edge.curated and curated
                    continue
                zh, en = self.labels(prop)
                edge = OutlineEdge(tail, head, key, curie(prop), zh, en, "direct", curated)
                direct[tail, head, key] = edge
                self.edges.append(edge)
        for fact in sorted(self.facts):
            self.collapse(fact)
        return Outline(self.nodes, self.edges, referents)

    def collapse(self, fact: str) -> None:
        """The edges (or the node) of one fact, as the projection's ``collapse`` draws them."""
        cls = cast(Callable[[str], URIRef | None], self.vocab.most_specific)(fact)
        rule = self.vocab.rule(cls)
        statements = self.r.out.get(fact, {})
        participants = sorted((p, o) for p, o in statements if o in self.entity_set)
        if any(o in _AUTHOR_VOICE for p, o in statements if p == _CLAIM_TYPE):
            about = [(p, o) for p, o in participants if p != _CLAIMANT]
            participants = about or [(p, o) for p, o in participants if p == _CLAIMANT][:1]
        entities = list(dict.fromkeys(e for _, e in participants))
        if len(entities) == 1:
            return  # an event of that entity's (the outline keeps none)
        if not entities:
            self.nodes.setdefault(fact, self.node(fact, "fact"))
            return
        name, fact_class = shorten(fact), curie(str(cls)) if cls is not None else ""
        curated = self.r.graphs[fact] <= {str(CURATION_GRAPH)}
        sources = [e for r, e in participants if r in _roles(rule.sources)]
        targets = [e for r, e in participants if r in _roles(rule.targets)]
        if rule.symmetric:
            pairs = [(a, b) for i, a in enumerate(sources) for b in sources[i + 1 :]]
        else:
            pairs = [(a, b) for a in sources for b in targets if a != b]
        for n, (tail, head) in enumerate(pairs):
            self.edges.append(
                OutlineEdge(
                    tail,
                    head,
                    f"{name}#{n}",
                    fact_class,
                    rule.verb_zh,
                    rule.verb_en,
                    "fact",
                    curated,
                    name,
                    fact_class,
                )
            )
        main = set(sources) | set(targets) if pairs else set()
        ends = (targets or sources) if rule.anchor == "target" else (sources or targets)
        anchor = (ends or entities)[0]
        for role, entity in participants:
            if entity != anchor and (entity not in main or not pairs):
                zh, en = self.labels(role)
                key = f"{name}|{curie(role)}|{shorten(entity)}"
                self.edges.append(
                    OutlineEdge(
                        anchor,
                        entity,
                        key,
                        curie(role),
                        zh,
                        en,
                        "role",
                        curated,
                        name,
                        fact_class,
                    )
                )


@functools.cache
def _roles(roles: tuple[URIRef, ...]) -> frozenset[str]:
    """A rule's roles as text."""
    return frozenset(map(str, roles))


def outline(store: GraphStore) -> Outline:
    """The outline of the projection of ``store`` (see the module's docstring).

    Args:
        store: A loaded store (an Oxigraph engine), read as loaded.

    Returns:
        The nodes and edges :func:`~kg.network.projection.to_networkx` draws, their labels and
        classes, and no facts, dates or evidence.

    """
    with collector_paused():
        return _Outliner(_Reader(store)).build(dict(store.referents))
