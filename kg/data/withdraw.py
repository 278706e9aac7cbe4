"""What rests only on some sources: the statements to take away when they are taken away.

Used by ``--as-of`` (:mod:`kg.data.asof`: the sources published later are taken away from the
view) and by ``kg sources remove`` (:mod:`kg.data.removal`: one source is taken away from the
files). Given the sources, :func:`withdraw` finds in a pyoxigraph store:

* every evidence graph all of whose sources are among them, whole;
* what ``kgg:provenance`` says about those graphs and those sources (their derivations, quote and
  position selectors, citations, the sources' descriptions), with the blank nodes it leads to;
* for an evidence graph that also rests on another source, only the derivation from the
  withdrawn ones: the fact stays, with its other evidence intact;
* the sources' own curation (labels), the curators' inference records resting on a withdrawn
  graph together with the statements they infer;
* the curation of the entities that only withdrawn statements mentioned (new entities a source
  introduced): an entity still named anywhere else keeps its names.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import pyoxigraph as ox

from kg.data.prefixes import (
    CURATION_GRAPH,
    INFERENCE_GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    PROVENANCE_GRAPH,
)

__all__ = ["Withdrawal", "evidence_sources", "withdraw"]

_DERIVED = ox.NamedNode(PREFIXES["prov"] + "wasDerivedFrom")
_HAS_SOURCE = ox.NamedNode(PREFIXES["oa"] + "hasSource")
_STATEMENT = tuple(ox.NamedNode(PREFIXES["rdf"] + p) for p in ("subject", "predicate", "object"))
_PROVENANCE = ox.NamedNode(PROVENANCE_GRAPH)
_CURATION = ox.NamedNode(CURATION_GRAPH)
_NOT_MENTIONS = frozenset({CURATION_GRAPH, ONTOLOGY_GRAPH, INFERENCE_GRAPH})

Node = ox.NamedNode | ox.BlankNode
#: An evidence graph's derivations: (the derivation node, the source it names).
Derivations = dict[ox.NamedNode, list[tuple[Node, ox.NamedNode]]]


class Withdrawal(NamedTuple):
    """What :func:`withdraw` took away.

    Attributes:
        graphs: The evidence graphs dropped whole (IRIs).
        quads: Every statement removed.
    """

    graphs: frozenset[str]
    quads: frozenset[ox.Quad]


def evidence_sources(store: ox.Store) -> Derivations:
    """Each evidence graph described in ``kgg:provenance`` with its derivations and sources."""
    found: Derivations = {}
    for quad in store.quads_for_pattern(None, _DERIVED, None, _PROVENANCE):
        derivation = quad.object
        if isinstance(quad.subject, ox.NamedNode) and isinstance(derivation, Node):
            for link in store.quads_for_pattern(derivation, _HAS_SOURCE, None, _PROVENANCE):
                if isinstance(link.object, ox.NamedNode):
                    found.setdefault(quad.subject, []).append((derivation, link.object))
    return found


def _closure(
    store: ox.Store, subjects: Iterable[ox.NamedNode | ox.BlankNode], graph: ox.NamedNode
) -> set[ox.Quad]:
    """The statements about ``subjects`` in ``graph``, with the blank nodes they lead to."""
    found: set[ox.Quad] = set()
    todo = list(subjects)
    seen: set[ox.NamedNode | ox.BlankNode] = set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for quad in store.quads_for_pattern(subject, None, None, graph):
            found.add(quad)
            if isinstance(quad.object, ox.BlankNode) and quad.object not in seen:
                todo.append(quad.object)
    return found


def _inferences(store: ox.Store, dropped: set[ox.NamedNode]) -> set[ox.Quad]:
    """Curators' inference records resting on a dropped graph, and the statements they infer."""
    records = {
        quad.subject
        for graph in dropped
        for quad in store.quads_for_pattern(None, _DERIVED, graph, _CURATION)
        if isinstance(quad.subject, ox.NamedNode | ox.BlankNode)
    }
    found = _closure(store, records, _CURATION)
    for record in records:
        parts = [
            next((q.object for q in store.quads_for_pattern(record, p, None, _CURATION)), None)
            for p in _STATEMENT
        ]
        subject, predicate, value = parts
        if (
            isinstance(subject, ox.NamedNode | ox.BlankNode)
            and isinstance(predicate, ox.NamedNode)
            and isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal)
        ):
            found.add(ox.Quad(subject, predicate, value, _CURATION))
    return found


def _mentioned_elsewhere(store: ox.Store, term: ox.NamedNode) -> bool:
    """Whether a statement outside curation, ontology and entailments names ``term``."""
    for quads in (
        store.quads_for_pattern(term, None, None, None),
        store.quads_for_pattern(None, None, term, None),
    ):
        for quad in quads:
            graph = quad.graph_name
            if not isinstance(graph, ox.NamedNode) or graph.value not in _NOT_MENTIONS:
                return True
    return False


def withdraw(store: ox.Store, sources: set[ox.NamedNode]) -> Withdrawal:
    """Remove from ``store`` what rests only on ``sources`` (see the module's notes)."""
    dropped: set[ox.NamedNode] = set()
    partial: list[Node] = []
    for graph, derivations in evidence_sources(store).items():
        if all(source in sources for _, source in derivations):
            dropped.add(graph)
        else:
            partial += [d for d, source in derivations if source in sources]
    removed: set[ox.Quad] = set()
    mentioned: set[ox.NamedNode] = set()
    for graph in dropped:
        for quad in store.quads_for_pattern(None, None, None, graph):
            removed.add(quad)
            mentioned |= {t for t in (quad.subject, quad.object) if isinstance(t, ox.NamedNode)}
    removed |= _closure(store, dropped | sources, _PROVENANCE)
    removed |= _closure(store, partial, _PROVENANCE)
    removed |= {q for d in partial for q in store.quads_for_pattern(None, _DERIVED, d, _PROVENANCE)}
    removed |= _closure(store, sources, _CURATION)
    removed |= _inferences(store, dropped)
    for quad in removed:
        store.remove(quad)
    orphans = [t for t in mentioned - sources if not _mentioned_elsewhere(store, t)]
    for quad in _closure(store, orphans, _CURATION):
        removed.add(quad)
        store.remove(quad)
    return Withdrawal(frozenset(g.value for g in dropped), frozenset(removed))
