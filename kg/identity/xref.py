"""Cross-referencing: pairs of entities that may be one, each with a score and its evidence.

As nomenklatura's ``xref`` does, candidates are found by blocking (entities sharing the first
two characters of a folded name, see :mod:`kg.identity.folding`), then scored on features:

- **names** (the strongest): the same name once case, width, script, spacing and punctuation
  are set aside (1.0); the same once legal forms, trade words and a leading city are stripped
  (0.8); one such name beginning the other (0.5), unless what follows has a digit (``悟道``
  and ``悟道2.0`` are two versions, ``GLM`` and ``GLM-130B`` a family and a model). Labels
  and aliases (``skos:altLabel``) count.
- **roles**: both take the same role in facts with the same other party (both ``kg:investor``
  of a fact whose ``kg:investee`` is ``kgr:Zhipu``), or link to the same entity the same way
  (both ``org:memberOf`` one group): +0.05 each, at most +0.15.
- **classes**: a shared asserted class +0.1; related classes (one a subclass of the other)
  +0.05; unrelated ones (a person and a company) halve the score.

Pairs already judged (same, not the same, unsure) are never suggested again. Entities are
those typed in a curation graph (``kgg:curation``, and ``kgg:draft-curation`` in a draft).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.data.prefixes import PREFIXES, shorten
from kg.identity.folding import core, fold

__all__ = ["Candidate", "Entity", "candidates", "class_ancestors", "compatible", "entities"]

_ENTITY_GRAPHS = ("curation", "draft-curation")
_NAMES = f"""SELECT ?s ?p ?o ?lang WHERE {{
  VALUES ?g {{ {" ".join(f"<{PREFIXES['kgg']}{g}>" for g in _ENTITY_GRAPHS)} }}
  VALUES ?p {{ rdf:type rdfs:label skos:altLabel kg:status }}
  GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?s))
  BIND(IF(isLiteral(?o), LANG(?o), "") AS ?lang)
}} ORDER BY ?s DESC(?p = rdfs:label) DESC(?lang = "zh") ?lang ?o"""
_ROLES = f"""SELECT DISTINCT ?p WHERE {{
  GRAPH <{PREFIXES["kgg"]}ontology> {{ ?p rdfs:subPropertyOf+ kg:involves }}
}}"""
_SUPER = f"""SELECT ?c ?parent WHERE {{
  GRAPH <{PREFIXES["kgg"]}ontology> {{ ?c rdfs:subClassOf+ ?parent FILTER(isIRI(?parent)) }}
}}"""
_DIRECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?o) && ?p != rdf:type) }"
_DRAFT = PREFIXES["kg"] + "Draft"


@dataclass
class Entity:
    """An entity as xref sees it.

    Attributes:
        iri: Its IRI.
        names: Its labels and aliases, as written.
        types: Its asserted classes (IRIs).
        draft: Whether a draft proposes it (``kg:status kg:Draft``).
    """

    iri: str
    names: list[str] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    draft: bool = False


@dataclass(frozen=True)
class Candidate:
    """A pair that may be one entity.

    Attributes:
        left: The IRI to keep (an entity of the data rather than a draft's, else the first).
        right: The other IRI.
        left_name: The left entity's first name (label), for display.
        right_name: The right entity's first name.
        score: 0 to 1.
        names: ``(left name, right name, how)`` for each matching pair of names.
        roles: The roles both take, in words.
        classes: How their classes compare, in words.
    """

    left: str
    right: str
    left_name: str
    right_name: str
    score: float
    names: tuple[tuple[str, str, str], ...]
    roles: tuple[str, ...]
    classes: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form (CURIEs where a prefix covers an IRI)."""
        return {
            "left": shorten(self.left),
            "right": shorten(self.right),
            "left_name": self.left_name,
            "right_name": self.right_name,
            "score": self.score,
            "names": [{"left": a, "right": b, "how": how} for a, b, how in self.names],
            "roles": list(self.roles),
            "classes": self.classes,
        }


def _rows(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    """The rows of a SELECT over ``store``, each term as its IRI, lexical form or blank label.

    A blank node keeps its own label: two facts written as blank nodes are two facts.
    """
    solutions = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return [tuple("" if term is None else term.value for term in row) for row in solutions]


def entities(store: ox.Store) -> dict[str, Entity]:
    """Every entity typed in a curation graph, with its names and classes."""
    found: dict[str, Entity] = {}
    typed: set[str] = set()
    for s, p, o, _lang in _rows(store, _NAMES):  # labels first, Chinese ones first
        entity = found.setdefault(s, Entity(s))
        kind = p.rsplit("#", 1)[-1]
        if kind == "type":
            entity.types.add(o)
            typed.add(s)
        elif kind == "status":
            entity.draft = entity.draft or o == _DRAFT
        elif o not in entity.names:
            entity.names.append(o)
    return {iri: entity for iri, entity in found.items() if iri in typed}


def class_ancestors(store: ox.Store) -> dict[str, set[str]]:
    """Each class of the ontology mapped to all its superclasses."""
    ancestors: dict[str, set[str]] = {}
    for c, parent in _rows(store, _SUPER):
        ancestors.setdefault(c, set()).add(parent)
    return ancestors


def compatible(
    left: Collection[str], right: Collection[str], ancestors: dict[str, set[str]]
) -> bool:
    """Whether two sets of classes may describe one thing.

    They may when a class of one is a class of the other or an ancestor of one (an untyped side
    is compatible with anything).
    """
    if not left or not right:
        return True
    return any(
        a == b or a in ancestors.get(b, ()) or b in ancestors.get(a, ())
        for a in left
        for b in right
    )


def _contexts(store: ox.Store, known: Collection[str]) -> dict[str, set[str]]:
    """For each entity, the roles it takes, described with the other party of each."""
    roles = {row[0] for row in _rows(store, _ROLES)}
    parties: dict[str, list[tuple[str, str]]] = {}
    found: dict[str, set[str]] = {}
    for s, p, o in _rows(store, _DIRECT):
        if o not in known:
            continue
        if p in roles:
            parties.setdefault(s, []).append((p, o))
        elif s in known and s != o:
            found.setdefault(s, set()).add(f"{shorten(p)} {shorten(o)}")
    for members in parties.values():
        for role, entity in members:
            for other_role, other in members:
                if other != entity:
                    described = f"{shorten(role)} of a fact with {shorten(other_role)} "
                    found.setdefault(entity, set()).add(described + shorten(other))
    return found


def _first(entity: Entity) -> str:
    return entity.names[0] if entity.names else shorten(entity.iri)


def _match(left: Entity, right: Entity) -> tuple[float, list[tuple[str, str, str]]]:
    best, matched = 0.0, []
    for a in left.names:
        for b in right.names:
            ca, cb = core(a), core(b)
            if fold(a) == fold(b):
                score, how = 1.0, "same name"
            elif ca == cb:
                score, how = 0.8, "same name without legal form"
            elif min(len(ca), len(cb)) >= 2 and (ca.startswith(cb) or cb.startswith(ca)):
                short, long = sorted((ca, cb), key=len)
                extra = long[len(short) :]
                if (not short.isascii() or len(short) >= 4) and not any(map(str.isdigit, extra)):
                    score, how = 0.5, "one name begins the other"
                else:
                    continue
            else:
                continue
            matched.append((a, b, how))
            best = max(best, score)
    return best, matched


def candidates(
    store: ox.Store,
    judged: Iterable[frozenset[str]] = (),
    *,
    involving: Collection[str] | None = None,
    min_score: float = 0.5,
) -> list[Candidate]:
    """The pairs of entities of ``store`` that may be one, best first.

    Args:
        store: The data (with referents applied, so merged entities are one already).
        judged: Pairs already judged: never suggested.
        involving: Only pairs with at least one of these IRIs (a draft's new entities).
        min_score: The lowest score to list.
    """
    known = entities(store)
    done = set(judged)
    blocks: dict[str, set[str]] = {}
    for entity in known.values():
        for name in entity.names:
            for key in {core(name)[:2], fold(name)[:2]}:
                if key:
                    blocks.setdefault(key, set()).add(entity.iri)
    pairs = {(a, b) for members in blocks.values() for a in members for b in members if a < b}
    if involving is not None:
        pairs = {pair for pair in pairs if pair[0] in involving or pair[1] in involving}
    ancestors = class_ancestors(store)
    contexts = _contexts(store, known.keys()) if pairs else {}
    found = []
    for a, b in sorted(pairs):
        if frozenset((a, b)) in done:
            continue
        left, right = known[a], known[b]
        if left.draft and not right.draft:
            left, right = right, left
        score, names = _match(left, right)
        if not names:
            continue
        shared = sorted(contexts.get(a, set()) & contexts.get(b, set()))
        score += min(0.15, 0.05 * len(shared))
        if left.types & right.types:
            score, classes = (
                score + 0.1,
                "same class: " + ", ".join(sorted(shorten(t) for t in left.types & right.types)),
            )
        elif compatible(left.types, right.types, ancestors):
            score, classes = score + 0.05, "related classes"
        else:
            score, classes = score / 2, "unrelated classes"
        score = round(min(score, 1.0), 2)
        if score >= min_score:
            found.append(
                Candidate(
                    left.iri,
                    right.iri,
                    _first(left),
                    _first(right),
                    score,
                    tuple(names),
                    tuple(shared),
                    classes,
                )
            )
    return sorted(found, key=lambda c: (-c.score, c.left, c.right))
