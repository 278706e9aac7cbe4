"""What the desk shows: the article, the proposals left and their facts, as plain JSON data.

Every value is a plain string or number; the page renders them as text (never as HTML).
"""

from __future__ import annotations

from typing import Any

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.data.namespaces import KG, SCHEMA
from kg.data.prefixes import PREFIXES
from kg.review.desk import Desk
from kg.review.document import Draft, Proposal
from kg.review.journal import undone

__all__ = ["state", "suggest"]

_SHOWN_CLASSES = (
    "Organization",
    "Company",
    "GovernmentFund",
    "StateInvestmentPlatform",
    "Person",
    "Product",
    "AIModel",
    "LargeLanguageModel",
    "City",
    "StockMarket",
)


def _curie(node: Node) -> str:
    text = str(node)
    for prefix in ("kgr", "kg", "ev", "schema", "xsd"):
        if text.startswith(PREFIXES[prefix]):
            return f"{prefix}:{text[len(PREFIXES[prefix]) :]}"
    return text


def _name(desk: Desk, draft: Draft, node: URIRef) -> dict[str, Any]:
    zh, en = draft.label(node, "zh"), draft.label(node, "en")
    new = (node, KG.status, KG.Draft) in draft.curation
    if not new and (zh is None or en is None) and desk.names.exists(str(node)):
        labels = desk.names.entry(str(node)).labels
        zh, en = zh or labels.get("zh"), en or labels.get("en")
    return {"iri": _curie(node), "zh": zh or "", "en": en or "", "new": new}


def _term_label(desk: Desk, term: Node) -> dict[str, str]:
    labels = desk.terms.labels
    return {
        "curie": _curie(term),
        "zh": labels.get((term, "zh"), "") if isinstance(term, URIRef) else "",
        "en": labels.get((term, "en"), "") if isinstance(term, URIRef) else "",
    }


def _amount(body: Graph, node: BNode) -> dict[str, str]:
    found = {}
    for key, prop in (
        ("value", SCHEMA.value),
        ("min", SCHEMA.minValue),
        ("max", SCHEMA.maxValue),
        ("currency", SCHEMA.currency),
        ("price", SCHEMA.price),
        ("priceCurrency", SCHEMA.priceCurrency),
        ("unit", SCHEMA.unitText),
        ("written", KG.asWritten),
    ):
        value = body.value(node, prop)
        if value is not None:
            found[key] = str(value)
    return found


def _fact(desk: Desk, draft: Draft, body: Graph, fact: URIRef) -> dict[str, Any]:
    cls = body.value(fact, RDF.type) or draft.curation.value(fact, RDF.type)
    rows: list[dict[str, Any]] = []
    for prop, value in sorted(body.predicate_objects(fact), key=lambda x: (str(x[0]), str(x[1]))):
        if prop == RDF.type:
            continue
        row: dict[str, Any] = {"property": _term_label(desk, prop)}
        if isinstance(value, BNode):
            row["amount"] = _amount(body, value)
        elif isinstance(value, URIRef):
            row["entity"] = _name(desk, draft, value)
        elif isinstance(value, Literal):
            row["text"] = str(value)
        rows.append(row)
    return {
        "iri": _curie(fact),
        "class": _term_label(desk, cls) if cls is not None else None,
        "label_zh": draft.label(fact, "zh") or "",
        "label_en": draft.label(fact, "en") or "",
        "rows": rows,
    }


def _proposal(desk: Desk, draft: Draft, proposal: Proposal) -> dict[str, Any]:
    body = draft.dataset.graph(proposal.graph)
    return {
        "name": proposal.name,
        "quote": proposal.quote,
        "start": proposal.start,
        "end": proposal.end,
        "cues": list(proposal.cues),
        "confidence": proposal.confidence,
        "facts": [_fact(desk, draft, body, f) for f in proposal.facts],
        "entities": [_name(desk, draft, e) for e in proposal.entities],
    }


def _xref(desk: Desk, draft: Draft) -> list[dict[str, Any]]:
    """``kg xref --draft``: the entities of the data each proposed entity may be, best first."""
    from kg.identity.loading import draft_candidates

    proposed = {str(e) for e in draft.new_entities()}
    found = []
    for pair in draft_candidates(desk.layout, desk.path):
        if (pair.left in proposed) == (pair.right in proposed):
            continue  # two proposals alike, or two entities of the data: not the desk's question
        new_is_left = pair.left in proposed
        new, existing = (pair.left, pair.right) if new_is_left else (pair.right, pair.left)
        found.append(
            {
                "entity": _curie(URIRef(new)),
                "existing": _curie(URIRef(existing)),
                "existing_name": pair.right_name if new_is_left else pair.left_name,
                "score": round(pair.score, 2),
                "evidence": [
                    *(f"{a} ~ {b} ({how})" for a, b, how in pair.names),
                    *pair.roles,
                    *([pair.classes] if pair.classes else []),
                ],
            }
        )
    return found


def state(desk: Desk) -> dict[str, Any]:
    """Everything the page shows, read from disk now."""
    draft = desk.draft()
    entities = []
    for entity in draft.new_entities():
        item = _name(desk, draft, entity)
        cls = draft.curation.value(entity, RDF.type)
        item["class"] = _curie(cls) if cls is not None else ""
        entities.append(item)
    classes = sorted(
        (_term_label(desk, c) for c in desk.terms.classes if str(c).startswith(PREFIXES["kg"])),
        key=lambda t: (t["curie"].removeprefix("kg:") not in _SHOWN_CLASSES, t["curie"]),
    )
    roles = sorted(
        (_term_label(desk, r) for r in desk.terms.roles if str(r).startswith(PREFIXES["kg"])),
        key=lambda t: t["curie"],
    )
    return {
        "xref": _xref(desk, draft),
        "draft": desk.path.name,
        "target": str(desk.target.relative_to(desk.layout.root)) if desk.source else "",
        "user": desk.user,
        "text": desk.text.text if desk.text is not None else None,
        "proposals": [_proposal(desk, draft, p) for p in draft.proposals()],
        "entities": entities,
        "classes": classes,
        "roles": roles,
        "undo": undone(desk.path),
    }


def suggest(desk: Desk, text: str, limit: int = 8) -> list[dict[str, str]]:
    """Names for the autocompletion: the draft's new entities first, then the resolver's."""
    wanted = text.strip()
    if not wanted:
        return []
    found = []
    draft = desk.draft()
    for entity in draft.new_entities():
        labels = [str(x) for x in draft.curation.objects(entity, RDFS.label)]
        if any(wanted in label for label in labels):
            found.append({"iri": _curie(entity), "name": " / ".join(labels), "new": "1"})
    for _score, entry, _matched in desk.names.search(wanted, limit):
        found.append({"iri": entry.curie, "name": entry.name, "new": ""})
    return found[:limit]
