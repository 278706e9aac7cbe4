"""Referents: IRIs merged into a canonical one, applied to the data as it is loaded.

A ``kg:SameAs`` judgement (see :mod:`kg.identity.judgements`) states, in the graph
``kgg:identity``, ``referent owl:sameAs canonical``. Loading applies it the way nomenklatura's
resolver does: every statement outside ``kgg:identity`` that names the referent is rewritten to
name the canonical IRI, so the canonical entity carries both entities' statements (roles,
evidence, aliases; the referent's labels become aliases, so the canonical entity keeps its own
labels and both names find it) and the data holds one node, not two. The referent keeps its
``owl:sameAs`` statement, so the resolver, URLs and ``kg describe`` still find it and answer
with the canonical entity. Chains (``C → B → A``) resolve to their end; a cycle is refused.

The files are never touched: undoing a judgement is removing it from its file.

>>> from kg.data.prefixes import CURATION_GRAPH
>>> store = ox.Store()
>>> a, b = ox.NamedNode(PREFIXES["kgr"] + "A"), ox.NamedNode(PREFIXES["kgr"] + "B")
>>> label = ox.NamedNode(PREFIXES["rdfs"] + "label")
>>> store.add(ox.Quad(b, label, ox.Literal("乙"), ox.NamedNode(CURATION_GRAPH)))
>>> store.add(ox.Quad(b, SAME_AS, a, IDENTITY))
>>> apply_to_store(store)
1
>>> [q.subject.value[-1] for q in store.quads_for_pattern(None, _ALIAS, None, None)]
['A']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.data.prefixes import IDENTITY_GRAPH, PREFIXES, shorten
from kg.errors import Findings

if TYPE_CHECKING:
    from rdflib import Dataset
    from rdflib.term import Node

__all__ = [
    "IDENTITY",
    "IDENTITY_GRAPH",
    "SAME_AS",
    "ReferentCycle",
    "apply_to_dataset",
    "apply_to_store",
    "canonical_map",
    "referents_in_dataset",
    "referents_in_store",
]

IDENTITY = ox.NamedNode(IDENTITY_GRAPH)
#: ``referent owl:sameAs canonical``.
SAME_AS = ox.NamedNode(PREFIXES["owl"] + "sameAs")
_LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")
_ALIAS = ox.NamedNode(PREFIXES["skos"] + "altLabel")


class ReferentCycle(Findings, ValueError):
    """The ``owl:sameAs`` statements of ``kgg:identity`` go round in a circle."""


def canonical_map(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each referent mapped to the end of its chain of ``owl:sameAs`` (its canonical IRI).

    Args:
        pairs: ``(referent, canonical)`` IRIs, one per ``owl:sameAs`` statement.

    Raises:
        ReferentCycle: If following the statements comes back to where it started, or one
            referent is said to be two different entities.

    >>> canonical_map([("c", "b"), ("b", "a")]) == {"c": "a", "b": "a"}
    True
    """
    direct: dict[str, str] = {}
    for referent, canonical in pairs:
        if direct.get(referent, canonical) != canonical:
            raise ReferentCycle(
                f"kgg:identity: {shorten(referent)} is merged into both"
                f" {shorten(direct[referent])} and {shorten(canonical)}; undo one judgement"
            )
        direct[referent] = canonical
    resolved: dict[str, str] = {}
    for start in direct:
        seen = [start]
        current = direct[start]
        while current in direct:
            if current in seen:
                circle = " → ".join(shorten(iri) for iri in [*seen, current])
                raise ReferentCycle(f"kgg:identity: merges go round in a circle: {circle}")
            seen.append(current)
            current = direct[current]
        resolved[start] = current
    return resolved


def referents_in_store(store: ox.Store) -> dict[str, str]:
    """Every referent of ``store``'s ``kgg:identity`` graph mapped to its canonical IRI."""
    pairs = [
        (quad.subject.value, quad.object.value)
        for quad in store.quads_for_pattern(None, SAME_AS, None, IDENTITY)
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode)
    ]
    return canonical_map(pairs)


def apply_to_store(store: ox.Store) -> int:
    """Rewrite every statement naming a referent to name its canonical IRI instead.

    The ``kgg:identity`` graph is left as it is (it records the judgements themselves).

    Returns:
        How many statements were rewritten.
    """
    referents = referents_in_store(store)
    if not referents:
        return 0
    nodes = {ox.NamedNode(old): ox.NamedNode(new) for old, new in referents.items()}
    old_quads: dict[ox.Quad, None] = {}
    for node in nodes:
        for quad in store.quads_for_pattern(node, None, None, None):
            old_quads[quad] = None
        for quad in store.quads_for_pattern(None, None, node, None):
            old_quads[quad] = None
    moved = [quad for quad in old_quads if quad.graph_name != IDENTITY]
    for quad in moved:
        store.remove(quad)
    store.bulk_extend([_rewrite(quad, nodes) for quad in moved])
    return len(moved)


def _rewrite(quad: ox.Quad, nodes: Mapping[ox.NamedNode, ox.NamedNode]) -> ox.Quad:
    subject, predicate, obj = quad.subject, quad.predicate, quad.object
    if isinstance(subject, ox.NamedNode) and subject in nodes:
        subject = nodes[subject]
        if predicate == _LABEL:  # the canonical entity keeps its own labels
            predicate = _ALIAS
    if isinstance(obj, ox.NamedNode):
        obj = nodes.get(obj, obj)
    return ox.Quad(subject, predicate, obj, quad.graph_name)


def referents_in_dataset(dataset: Dataset) -> dict[str, str]:
    """:func:`referents_in_store` for an rdflib Dataset."""
    from rdflib import URIRef

    pairs = [
        (str(s), str(o))
        for s, o in dataset.graph(URIRef(IDENTITY_GRAPH)).subject_objects(URIRef(SAME_AS.value))
        if isinstance(s, URIRef) and isinstance(o, URIRef)
    ]
    return canonical_map(pairs)


def apply_to_dataset(dataset: Dataset) -> dict[str, str]:
    """:func:`apply_to_store` for an rdflib Dataset (the ``memory`` engine, the network view).

    Returns:
        Each referent mapped to its canonical IRI.
    """
    from rdflib import URIRef

    identity = URIRef(IDENTITY_GRAPH)
    canonical = referents_in_dataset(dataset)
    referents: dict[Node, Node] = {URIRef(old): URIRef(new) for old, new in canonical.items()}
    if not referents:
        return canonical
    moved = []
    for s, p, o, g in dataset.quads((None, None, None, None)):
        graph = getattr(g, "identifier", g)
        if graph != identity and (s in referents or o in referents):
            moved.append((s, p, o, graph))
    for s, p, o, graph in moved:
        dataset.graph(graph).remove((s, p, o))
    label, alias = URIRef(_LABEL.value), URIRef(_ALIAS.value)
    dataset.addN(
        (
            referents.get(s, s),
            alias if p == label and s in referents else p,
            referents.get(o, o),
            dataset.graph(graph),
        )
        for s, p, o, graph in moved
    )
    return canonical
