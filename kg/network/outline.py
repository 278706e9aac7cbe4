"""The projection's outline: its nodes and edges, named and classed, without facts or evidence.

``kg serve`` shows the explorer's overview before the full projection
(:func:`kg.network.projection.to_networkx`) is built: at a million statements the projection
takes several times as long as the load, most of it spent on what only the details panels, the
timeline and the paths need (every literal fact, amount, date and quote). The outline reads the
same loaded store in one pass, keeping as Python objects only the classes, labels and the
statements between IRIs, and draws them by the projection's own rules
(:data:`~kg.network.rules.RULES`, :class:`~kg.network.rules.Vocabulary`), so its nodes, edges,
keys, relations, labels and classes are the projection's (``tests/test_outline.py`` checks it).
What it leaves out: node ``facts`` and ``events`` are empty, edges have no ``evidence``, dates,
amounts or details, and fact nodes none of their facts' attributes but ``fact`` and
``fact_class``. Its graph attribute ``outline`` is ``True``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, cast

import networkx as nx
import pyoxigraph as ox
from rdflib import URIRef

from kg.data.namespaces import CURATION_GRAPH, IDENTITY_GRAPH, KG
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

__all__ = ["outline"]

_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_PARENT = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_METADATA = frozenset(str(p) for p in METADATA)
_CLAIM_TYPE, _CLAIMANT = str(KG.claimType), str(KG.claimant)
_AUTHOR_VOICE = frozenset(str(v) for v in AUTHOR_VOICE)
_INVERSES = {str(k): str(v) for k, v in INVERSES.items()}


class _Reader:
    """One pass over the loaded quads: classes, labels, mentions, statements between IRIs."""

    def __init__(self, store: HasQuads) -> None:
        self.vocab = Vocabulary()
        self.iris: dict[str, URIRef] = {}
        self.labels: dict[str, dict[str, str]] = defaultdict(dict)
        self.out: dict[str, dict[tuple[str, str], set[str]]] = defaultdict(dict)
        self.graphs: dict[str, set[str]] = defaultdict(set)  # where each IRI is stated about
        self.mentioned: set[str] = set()
        graphs: dict[object, tuple[str, bool, bool] | None] = {}  # name, drawn, mentions entities
        identity = ox.NamedNode(str(IDENTITY_GRAPH))
        # instances are keyed by their IRI's text (no URIRef made for each), classes by URIRef
        types = cast(dict[Any, set[Any]], self.vocab.types)
        labels, parents = self.labels, self.vocab.parents
        for quad in store.loaded_quads():
            if quad.graph_name in graphs:
                kind = graphs[quad.graph_name]
            else:
                kind = graphs[quad.graph_name] = _graph_kind(quad.graph_name, identity)
            subject, o = quad.subject, quad.object
            if kind is None or not isinstance(subject, ox.NamedNode):
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
            name, drawn, mentions = kind
            if not drawn:
                continue
            self.graphs[s].add(name)
            if mentions and p != _TYPE:
                self.mentioned.add(s)
                if iri is not None:
                    self.mentioned.add(iri)
            if iri is not None:
                self.out[s].setdefault((p, iri), set()).add(name)

    def iri(self, text: str) -> URIRef:
        """The one URIRef for ``text`` (the vocabulary's indexes are keyed by them)."""
        found = self.iris.get(text)
        if found is None:
            found = self.iris[text] = URIRef(text)
        return found


def _graph_kind(graph: Any, identity: ox.NamedNode) -> tuple[str, bool, bool] | None:
    """How a graph's statements are read (``None``: not at all).

    Returns:
        Its name, whether its statements are drawn, and whether they make entities.

    """
    if not isinstance(graph, ox.NamedNode) or graph == identity:
        return None
    name = URIRef(graph.value)
    drawn = name not in SKIPPED_GRAPHS
    return graph.value, drawn, drawn and name != CURATION_GRAPH


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
        self.graph = nx.MultiDiGraph(collapsed=True, outline=True)

    def label(self, term: str, lang: str) -> str:
        """As :meth:`Vocabulary.label`, from the labels keyed by text."""
        labels = self.r.labels.get(term, {})
        for key in (lang, "en" if lang == "zh" else "zh", ""):
            if key in labels:
                return labels[key]
        return self.vocab.label(self.r.iri(term), lang)  # a known property's, or its name

    def node(self, term: str, kind: str) -> dict[str, Any]:
        cls = self.most_specific(term)
        family = self.vocab.family(cls)
        zh, en = self.label(term, "zh"), self.label(term, "en")
        named = {"class": cls, "family": family}
        attrs: dict[str, Any] = {"id": term, "curie": curie(term), "kind": kind}
        attrs |= {"label_zh": zh, "label_en": en, "label": both(zh, en), "aliases": []}
        for key, value in named.items():
            attrs[key] = curie(str(value)) if value is not None else ""
            for lang in ("zh", "en"):
                text = self.label(str(value), lang) if value is not None else ""
                attrs[f"{key}_label_{lang}"] = text
        return attrs | {"facts": [], "events": []}

    def edge(self, tail: str, head: str, key: str, prop: str, kind: str, **more: Any) -> None:
        zh, en = more.pop("labels", None) or (self.label(prop, "zh"), self.label(prop, "en"))
        relation = more.pop("relation", curie(prop))
        self.graph.add_edge(
            tail,
            head,
            key=key,
            relation=relation,
            label_zh=zh,
            label_en=en,
            label=both(zh, en),
            kind=kind,
            date="",
            date_start="",
            evidence=[],
            **more,
        )

    def build(self) -> nx.MultiDiGraph:
        for entity in self.entities:
            self.graph.add_node(entity, **self.node(entity, "entity"))
        for s in self.entities:
            for (p, o), graphs in sorted(self.r.out.get(s, {}).items()):
                if o not in self.entity_set or p in _METADATA:
                    continue
                tail, head, prop = (o, s, _INVERSES[p]) if p in _INVERSES else (s, o, p)
                key = f"{curie(prop)}|{curie(head)}"
                curated = graphs == {str(CURATION_GRAPH)}
                if self.graph.has_edge(tail, head, key):
                    edge = self.graph.edges[tail, head, key]
                    edge["curated"] = edge["curated"] and curated
                else:
                    self.edge(tail, head, key, prop, "direct", curated=curated)
        for fact in sorted(self.facts):
            self.collapse(fact)
        return self.graph

    def most_specific(self, term: str) -> URIRef | None:
        found = cast(Callable[[str], URIRef | None], self.vocab.most_specific)(term)
        return found

    def collapse(self, fact: str) -> None:
        cls = self.most_specific(fact)
        rule = self.vocab.rule(cls)
        statements = self.r.out.get(fact, {})
        graphs = self.r.graphs[fact]
        attrs = {
            "fact": curie(fact),
            "fact_class": curie(str(cls)) if cls is not None else "",
            "curated": graphs <= {str(CURATION_GRAPH)},
        }
        participants = sorted((p, o) for p, o in statements if o in self.entity_set)
        if any(o in _AUTHOR_VOICE for p, o in statements if p == _CLAIM_TYPE):
            about = [(p, o) for p, o in participants if p != _CLAIMANT]
            participants = about or [(p, o) for p, o in participants if p == _CLAIMANT][:1]
        entities = list(dict.fromkeys(e for _, e in participants))
        if len(entities) == 0:
            if fact not in self.graph:
                self.graph.add_node(fact, **self.node(fact, "fact"), **attrs)
            return
        if len(entities) == 1:
            return  # an event of that entity's (the outline keeps none)
        sources = [e for r, e in participants if URIRef(r) in rule.sources]
        targets = [e for r, e in participants if URIRef(r) in rule.targets]
        if rule.symmetric:
            pairs = [(a, b) for i, a in enumerate(sources) for b in sources[i + 1 :]]
        else:
            pairs = [(a, b) for a in sources for b in targets if a != b]
        roles = {e: r for r, e in participants}
        verbs = (rule.verb_zh, rule.verb_en)
        for n, (tail, head) in enumerate(pairs):
            role_source, role_target = curie(roles[tail]), curie(roles[head])
            more = {"role_source": role_source, "role_target": role_target}
            key = f"{attrs['fact']}#{n}"
            relation = attrs["fact_class"]
            self.edge(tail, head, key, "", "fact", labels=verbs, relation=relation, **attrs, **more)
        main = set(sources) | set(targets) if pairs else set()
        ends = (targets or sources) if rule.anchor == "target" else (sources or targets)
        anchor = (ends or entities)[0]
        for role, entity in participants:
            if entity != anchor and (entity not in main or not pairs):
                key = f"{attrs['fact']}|{curie(role)}|{curie(entity)}"
                self.edge(anchor, entity, key, role, "role", **attrs)


def outline(store: HasQuads) -> nx.MultiDiGraph:
    """The outline of the projection of ``store`` (see the module's docstring).

    Args:
        store: A loaded store (an Oxigraph engine), read as loaded.

    Returns:
        A ``MultiDiGraph`` with the nodes and edges :func:`~kg.network.projection.to_networkx`
        gives, their labels and classes, and no facts, dates or evidence.

    """
    with collector_paused():
        graph = _Outliner(_Reader(store)).build()
    graph.graph["referents"] = dict(store.referents)
    return graph
