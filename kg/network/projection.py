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

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.term import Node

from kg.data.namespaces import KG
from kg.data.prefixes import EVIDENCE_BASE, shorten
from kg.data.store import HasDataset
from kg.identity.referents import referents_in_dataset
from kg.logs import Log
from kg.network.reading import (
    Graphs,
    HasEngine,
    HasQuads,
    Quads,
    Statements,
    by_position,
    collector_paused,
    graph_id,
    graph_quads,
    graphs_in,
    is_vocabulary,
    only_curated,
    store_quads,
)
from kg.network.rules import (
    AUTHOR_VOICE,
    INVERSES,
    METADATA,
    MONEY,
    SKIPPED_GRAPHS,
    WHEN,
    Rule,
    Vocabulary,
    both,
    curie,
    known_terms,
    not_inferred,
)
from kg.network.values import amounts, qualifier, when

__all__ = ["as_dataset", "from_construct", "to_networkx"]

log = Log(__name__)


Attrs = dict[str, Any]
_CLAIM_TYPE = KG.claimType
_MONEY = frozenset(MONEY)
_NOT_SHOWN = METADATA | _MONEY
"""Properties whose values are not an entity's or a fact's literal facts."""
_NO_FACT = dict.fromkeys(("date", "date_start", "date_text", "amount_zh", "amount_en"), "")
_CLAIM_TYPES = frozenset({_CLAIM_TYPE})  # a set finds it by its (kept) hash, not by Python's ==


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
    """Reads the statements once, then builds the graph from its own indexes."""

    def __init__(self, source: Quads, context: Quads = ()) -> None:
        self.vocab = Vocabulary()
        self.statements = Statements()
        for s, p, o, _ in context:
            self.vocab.add(s, p, o)
        self.statements.read(source, self.vocab, SKIPPED_GRAPHS)
        self.vocab.finish()
        self.facts: set[Node] = {
            s for s in self.statements.out if isinstance(s, URIRef) and self.vocab.is_fact(s)
        }
        self.entities = sorted(
            (
                t
                for t in self.statements.mentioned
                if t not in self.facts and not is_vocabulary(t) and not isinstance(t, BNode)
            ),
            key=str,
        )
        self.entity_set = set(self.entities)
        self._values: dict[Node, dict[URIRef, Node]] = {}

    # -- small helpers
    def value(self, node: Node, prop: URIRef) -> Node | None:
        values = self._values.get(node)
        if values is None:  # indexed once per node: its first value of each property
            values = self._values[node] = {}
            for p, o in self.statements.out.get(node, {}):
                values.setdefault(p, o)
        return values.get(prop)

    def evidence(self, graphs: Iterable[URIRef]) -> list[Attrs]:
        quotes = [self.vocab.quotes[g] for g in graphs if g in self.vocab.quotes]
        return sorted(quotes, key=by_position)

    def prop_labels(self, prop: Node) -> tuple[str, str]:
        return self.vocab.label(prop, "zh"), self.vocab.label(prop, "en")

    def literal_facts(self, subject: Node) -> list[Attrs]:
        """Literal, qualifier and concept values of ``subject``, with their evidence."""
        facts: list[Attrs] = []

        def order(item: tuple[tuple[URIRef, Node], Graphs]) -> tuple[str, ...]:
            (p, o), graphs = item
            # a value node's label is random: order it by what it says and where it is said
            shown = qualifier(o, self.value) if isinstance(o, BNode) else (str(o),)
            return (str(p), *shown, *sorted(map(str, graphs_in(graphs))))

        shown = [  # left out before they are put in order (an amount's order would be worked out)
            item
            for item in self.statements.out.get(subject, {}).items()
            if item[0][0] not in _NOT_SHOWN
            and not (isinstance(item[0][1], URIRef) and not is_vocabulary(item[0][1]))
        ]
        for (p, o), stated in sorted(shown, key=order):
            graphs = graphs_in(stated)
            zh, en = self.prop_labels(p)
            if isinstance(o, BNode):
                value_zh, value_en = qualifier(o, self.value)
                values = [(value_zh, "zh"), (value_en, "en")]
            elif isinstance(o, URIRef):
                values = [(self.vocab.label(o, "zh"), "zh"), (self.vocab.label(o, "en"), "en")]
            else:
                values = [(str(o), o.language or "" if isinstance(o, RDFLiteral) else "")]
            for text, lang in dict.fromkeys(values):
                facts.append(
                    {
                        "property": curie(str(p)),
                        "label_zh": zh,
                        "label_en": en,
                        "value": text,
                        "lang": lang,
                        "curated": only_curated(graphs),
                        "evidence": self.evidence(graphs),
                    }
                )
        return facts

    def fact(self, node: Node) -> _Fact:
        cls = self.vocab.most_specific(node)
        graphs = {g for stated in self.statements.out[node].values() for g in graphs_in(stated)}
        figures_of: dict[Node, set[tuple[str, str]]] = {}
        for p, o in self.statements.out[node]:
            if p in _MONEY and isinstance(o, BNode):
                figures_of.setdefault(p, set()).add(qualifier(o, self.value))
        # per property, in MONEY's order (a price before → after); each sorted, so that two
        # sources' figures for one property read the same in every run
        money = [sorted(figures_of[prop]) for prop in MONEY if prop in figures_of]
        attrs: Attrs = {
            "fact": shorten(str(node)),  # one per fact: no cache
            "fact_class": curie(str(cls)) if cls is not None else "",
            "fact_label_zh": self.vocab.label(node, "zh"),
            "fact_label_en": self.vocab.label(node, "en"),
            **when(node, self.value),
            "amount_zh": amounts(money, 0),
            "amount_en": amounts(money, 1),
            "details": [d for d in self.literal_facts(node) if d["property"] not in WHEN],
            "curated": only_curated(graphs),
            "evidence": self.evidence(graphs),
        }
        participants: list[tuple[URIRef, URIRef]] = []
        related: list[tuple[URIRef, Node]] = []
        # only IRIs can be entities or facts (and a literal's hash is worked out in Python)
        linked = [(p, o) for p, o in self.statements.out[node] if isinstance(o, URIRef)]
        for p, o in sorted(linked, key=lambda po: (str(po[0]), str(po[1]))):
            if o in self.entity_set:
                participants.append((p, o))
            elif o in self.facts:
                related.append((p, o))
        voice = [o for p, o in self.statements.out[node] if p in _CLAIM_TYPES]
        if any(o in AUTHOR_VOICE for o in voice):
            # about what it concerns; with no entity among those, an event of its author's
            about = [(p, o) for p, o in participants if p != KG.claimant]
            participants = about or [(p, o) for p, o in participants if p == KG.claimant][:1]
            attrs["claim_type"] = curie(str(voice[0]))
        attrs["related"] = [
            {
                "property": curie(str(p)),
                "property_label_zh": self.vocab.label(p, "zh"),
                "property_label_en": self.vocab.label(p, "en"),
                "fact": shorten(str(o)),
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
            "curie": shorten(str(term)),  # one per node: no cache
            "kind": kind,
            "label_zh": zh,
            "label_en": en,
            "label": both(zh, en),
            "aliases": sorted(self.vocab.aliases.get(term, ())),
            "class": curie(str(cls)) if cls is not None else "",
            "class_label_zh": self.vocab.label(cls, "zh") if cls is not None else "",
            "class_label_en": self.vocab.label(cls, "en") if cls is not None else "",
            "family": curie(str(family)) if family is not None else "",
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
            links = [  # between entities (IRIs: a literal's hash is worked out in Python)
                ((p, o), stated)
                for (p, o), stated in self.statements.out.get(s, {}).items()
                if isinstance(o, URIRef) and p not in METADATA and o in self.entity_set
            ]
            for (p, o), stated in sorted(links, key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
                graphs = graphs_in(stated)
                tail, head, prop = (o, s, INVERSES[p]) if p in INVERSES else (s, o, p)
                key = f"{curie(str(prop))}|{curie(str(head))}"
                if nxg.has_edge(str(tail), str(head), key):
                    edge = nxg.edges[str(tail), str(head), key]
                    merged = {q["graph"]: q for q in edge["evidence"] + self.evidence(graphs)}
                    edge["evidence"] = sorted(merged.values(), key=by_position)
                    edge["curated"] = edge["curated"] and only_curated(graphs)
                    continue
                zh, en = self.prop_labels(prop)
                nxg.add_edge(
                    str(tail),
                    str(head),
                    key=key,
                    relation=curie(str(prop)),
                    label_zh=zh,
                    label_en=en,
                    label=both(zh, en),
                    kind="direct",
                    **_NO_FACT,
                    curated=only_curated(graphs),
                    evidence=self.evidence(graphs),
                )

    def collapse(self, nxg: nx.MultiDiGraph, fact: _Fact) -> None:
        entities = list(dict.fromkeys(e for _, e in fact.participants))
        if len(entities) == 0:
            self.expand(nxg, fact, related=False)
            return
        if len(entities) == 1:
            nxg.nodes[str(entities[0])]["events"].append(
                {**fact.attrs, "role": curie(str(fact.participants[0][0]))}
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
            label=both(rule.verb_zh, rule.verb_en),
            kind="fact",
            role_source=curie(str(roles[tail])),
            role_target=curie(str(roles[head])),
            **fact.attrs,
        )

    def role_edge(
        self, nxg: nx.MultiDiGraph, fact: _Fact, tail: Node, head: Node, role: URIRef
    ) -> None:
        zh, en = self.prop_labels(role)
        nxg.add_edge(
            str(tail),
            str(head),
            key=f"{fact.attrs['fact']}|{curie(str(role))}|{curie(str(head))}",
            relation=curie(str(role)),
            label_zh=zh,
            label_en=en,
            label=both(zh, en),
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


def as_dataset(data: HasDataset | Graph) -> Graph:
    """The rdflib dataset behind ``data``."""
    return data if isinstance(data, Graph) else data.dataset


def to_networkx(data: HasDataset | Graph | HasQuads, *, collapse: bool = True) -> nx.MultiDiGraph:
    """Project a knowledge graph onto a NetworkX multigraph of its entities.

    The statements are read once, in one pass; the time is proportional to their number.

    Args:
        data: A :class:`kg.KnowledgeGraph`, its rdflib Dataset (named graphs as loaded: evidence
            graphs, ``kgg:curation``, ``kgg:provenance``, ``kgg:ontology``), a plain Graph
            (then every triple counts as asserted and no quotes are known), or an engine that
            already holds the data (an Oxigraph engine: read as loaded, with no second parse;
            a :class:`kg.KnowledgeGraph` on that engine is read from it too).
        collapse: Draw n-ary facts as labelled edges between their entities (default) or as
            nodes of their own.

    Returns:
        A new ``MultiDiGraph``; see the module docstring for its attributes.

    """
    store = data.engine if isinstance(data, HasEngine) else data  # the loaded store, if any
    if isinstance(store, HasQuads):
        with collector_paused():
            quads = store_quads(store, keep=not_inferred, known=known_terms() | {_CLAIM_TYPE})
            nxg = _Projector(quads).build(collapse)
        nxg.graph["referents"] = dict(store.referents)
        return nxg
    assert not isinstance(data, HasQuads)  # read above
    source = as_dataset(data)
    with collector_paused():
        nxg = _Projector(graph_quads(source, keep=not_inferred)).build(collapse)
    if isinstance(source, Dataset):  # merged IRIs (kg merge) still name their entity
        nxg.graph["referents"] = referents_in_dataset(source)
    log.info("projected onto %d nodes, %d edges", nxg.number_of_nodes(), nxg.number_of_edges())
    return nxg


def from_construct(
    result: Graph, *, context: HasDataset | Graph | None = None, collapse: bool = True
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
    dataset = as_dataset(context) if context is not None else None
    projector = _Projector(
        graph_quads(result, keep=not_inferred),
        graph_quads(dataset, keep=not_inferred) if dataset is not None else (),
    )
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
            gid = graph_id(g)
            if isinstance(gid, URIRef) and str(gid).startswith(EVIDENCE_BASE):
                projector.statements.add(s, p, o, gid, mention=False)
