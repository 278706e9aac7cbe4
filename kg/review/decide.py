"""The desk's decisions as changes of two datasets: the draft, and the source's reviewed file.

Each function changes the datasets in memory only; :class:`kg.review.desk.Desk` validates the
result and writes it. Accepting moves a proposal unchanged (its evidence graph, its provenance
without ``kg:status kg:Draft``, the curation of the new entities it uses) into the source's file
(contract 2); every decision adds a ``kg:ReviewDecision`` (PROV) to that file's provenance.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.data.namespaces import CURATION_GRAPH, KG, PROV, PROVENANCE_GRAPH, SCHEMA
from kg.data.prefixes import PREFIXES
from kg.errors import InvalidValue
from kg.review.document import Draft, Proposal, Terms, cbd

__all__ = [
    "accept",
    "create_entity",
    "edit_amount",
    "edit_date",
    "edit_entity",
    "edit_role",
    "new_entity_iri",
    "record",
    "reject",
    "same_as",
]

_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}
_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")


def record(
    target: Dataset,
    kind: str,
    about: URIRef,
    user: str,
    when: datetime,
    change: str | None = None,
    note: str | None = None,
) -> URIRef:
    """Add one decision (PROV) to ``target``'s ``kgg:provenance``; return its IRI."""
    stamp = when.isoformat(timespec="seconds")
    digest = hashlib.sha256(f"{stamp}|{user}|{kind}|{about}|{change}".encode()).hexdigest()[:12]
    decision = URIRef(f"{PREFIXES['kgr']}Decision-{digest}")
    prov = target.graph(PROVENANCE_GRAPH)
    prov.add((decision, RDF.type, KG.ReviewDecision))
    prov.add((decision, KG.decision, Literal(kind)))
    prov.add((decision, PROV.used, about))
    prov.add((decision, KG.reviewer, Literal(user)))
    prov.add((decision, PROV.endedAtTime, Literal(stamp, datatype=XSD.dateTime)))
    if change:
        prov.add((decision, KG.change, Literal(change, lang="en")))
    if note:
        prov.add((decision, KG.reviewNote, Literal(note)))
    return decision


def _drop_proposal(draft: Draft, proposal: Proposal) -> None:
    prov = draft.provenance
    for triple in list(cbd(prov, proposal.graph)):
        prov.remove(triple)
    draft.dataset.remove_graph(draft.dataset.graph(proposal.graph))


def _still_used(draft: Draft, entity: URIRef) -> bool:
    for proposal in draft.proposals():
        body = draft.dataset.graph(proposal.graph)
        if (entity, None, None) in body or (None, None, entity) in body:
            return True
    return False


def accept(draft: Draft, proposal: Proposal, target: Dataset, terms: Terms) -> None:
    """Move ``proposal`` into ``target`` as reviewed data and out of the draft."""
    body = draft.dataset.graph(proposal.graph)
    into = target.graph(proposal.graph)
    for triple in body:
        into.add(triple)
    prov = target.graph(PROVENANCE_GRAPH)
    for s, p, o in cbd(draft.provenance, proposal.graph):
        if (p, o) != (KG.status, KG.Draft):
            prov.add((s, p, o))
    curation = target.graph(CURATION_GRAPH)
    for node in (*proposal.facts, *proposal.entities):
        for s, p, o in cbd(draft.curation, node):
            if (p, o) != (KG.status, KG.Draft) and p != KG.asWritten:
                curation.add((s, p, o))
    for fact in proposal.facts:
        if fact in proposal.entities:
            continue
        _label_fact(terms, body, fact, curation)
    _drop_proposal(draft, proposal)
    for entity in proposal.entities:
        if not _still_used(draft, entity):
            for triple in list(cbd(draft.curation, entity)):
                draft.curation.remove(triple)


def _label_fact(terms: Terms, body: Graph, fact: URIRef, curation: Graph) -> None:
    """Name a fact that has no label: its class's label and its date, the curator can edit."""
    if any(True for _ in curation.objects(fact, RDFS.label)):
        return
    cls = body.value(fact, RDF.type)
    when = body.value(fact, KG.date) or body.value(fact, KG.dateText) or ""
    for lang in ("zh", "en"):
        name = terms.labels.get((cls, lang)) if isinstance(cls, URIRef) else None
        if name is None:
            continue
        curation.add((fact, RDFS.label, Literal(f"{name} {when}".strip(), lang=lang)))


def reject(draft: Draft, proposal: Proposal) -> None:
    """Take ``proposal`` out of the draft (the decision record keeps its name)."""
    _drop_proposal(draft, proposal)
    for entity in proposal.entities:
        if not _still_used(draft, entity):
            for triple in list(cbd(draft.curation, entity)):
                draft.curation.remove(triple)


def _fact(draft: Draft, proposal: Proposal) -> URIRef:
    if not proposal.facts:
        raise InvalidValue(f"{proposal.name}: states no fact to edit")
    return proposal.facts[0]


def _decimal(text: str, what: str) -> Literal:
    try:
        value = Decimal(text.replace(",", "").replace("_", "").strip())
    except InvalidOperation:
        raise InvalidValue(
            f"{what} {text!r}: not a number; write digits, e.g. 1200000000"
        ) from None
    if not value.is_finite():
        raise InvalidValue(f"{what} {text!r}: not a finite number")
    return Literal(value, datatype=XSD.decimal)


def edit_amount(
    draft: Draft,
    proposal: Proposal,
    value: str | None = None,
    currency: str | None = None,
    as_written: str | None = None,
) -> str:
    """Change the value, currency or wording of the proposal's amount; return what changed."""
    body = draft.dataset.graph(proposal.graph)
    fact = _fact(draft, proposal)
    amount = body.value(fact, KG.amount)
    if not isinstance(amount, BNode):
        raise InvalidValue(f"{proposal.name}: has no amount to edit")
    changes = []
    if value is not None:
        body.set((amount, SCHEMA.value, _decimal(value, "amount")))
        changes.append(f"value {value}")
    if currency is not None:
        if not re.fullmatch(r"[A-Z]{3}", currency.strip()):
            raise InvalidValue(f"currency {currency!r}: write an ISO 4217 code such as CNY, HKD")
        body.set((amount, SCHEMA.currency, Literal(currency.strip())))
        changes.append(f"currency {currency.strip()}")
    if as_written is not None:
        if as_written not in proposal.quote:
            raise InvalidValue(f"as written {as_written!r}: not in the sentence; copy its words")
        body.set((amount, KG.asWritten, Literal(as_written)))
        changes.append(f"as written {as_written}")
    if not changes:
        raise InvalidValue("nothing to change: give a value, a currency or the words as written")
    return "amount: " + ", ".join(changes)


def edit_date(draft: Draft, proposal: Proposal, date: str) -> str:
    """Set the fact's ``kg:date`` (YYYY, YYYY-MM or YYYY-MM-DD, the text's precision)."""
    text = date.strip()
    if not _DATE.fullmatch(text):
        raise InvalidValue(f"date {date!r}: write YYYY, YYYY-MM or YYYY-MM-DD")
    body = draft.dataset.graph(proposal.graph)
    body.set((_fact(draft, proposal), KG.date, Literal(text, datatype=_DATE_TYPES[len(text)])))
    return f"date {text}"


def edit_role(
    draft: Draft, proposal: Proposal, role: URIRef, entities: list[URIRef], terms: Terms
) -> str:
    """Fill the fact's ``role`` with ``entities`` (none: remove the role)."""
    body = draft.dataset.graph(proposal.graph)
    fact = _fact(draft, proposal)
    if role not in terms.roles:
        raise InvalidValue(f"role {_curie(role)}: not a property a fact can use here")
    body.remove((fact, role, None))
    for entity in entities:
        body.add((fact, role, entity))
    return f"{_curie(role)} = {', '.join(_curie(e) for e in entities) or 'none'}"


def edit_entity(
    draft: Draft,
    node: URIRef,
    label_zh: str | None = None,
    label_en: str | None = None,
    cls: URIRef | None = None,
    terms: Terms | None = None,
) -> str:
    """Name a proposed entity (or a fact) in Chinese and English, or change its class."""
    curation = draft.curation
    known = (node, KG.status, KG.Draft) in curation or any(
        node in p.facts for p in draft.proposals()
    )
    if not known:
        raise InvalidValue(f"{_curie(node)}: not an entity or fact this draft proposes")
    changes = []
    for lang, label in (("zh", label_zh), ("en", label_en)):
        if label is None:
            continue
        if not label.strip():
            raise InvalidValue(f"the {lang} label is empty; give a name")
        for old in list(curation.objects(node, RDFS.label)):
            if isinstance(old, Literal) and old.language == lang:
                curation.remove((node, RDFS.label, old))
        curation.add((node, RDFS.label, Literal(label.strip(), lang=lang)))
        changes.append(f"label@{lang} {label.strip()}")
    if cls is not None:
        if terms is None or cls not in terms.classes:
            raise InvalidValue(f"class {_curie(cls)}: not a class of the ontology")
        if (node, KG.status, KG.Draft) not in curation:
            raise InvalidValue(f"{_curie(node)}: a fact's class is not edited here")
        curation.set((node, RDF.type, cls))
        changes.append(f"class {_curie(cls)}")
    if not changes:
        raise InvalidValue("nothing to change: give a label or a class")
    return f"{_curie(node)}: " + ", ".join(changes)


def same_as(draft: Draft, proposed: URIRef, existing: URIRef) -> str:
    """Use the existing entity ``existing`` wherever the draft uses the proposed ``proposed``."""
    if (proposed, KG.status, KG.Draft) not in draft.curation:
        raise InvalidValue(f"{_curie(proposed)}: not an entity this draft proposes")
    if proposed == existing:
        raise InvalidValue("an entity is the same as itself; choose another")
    for triple in list(cbd(draft.curation, proposed)):
        draft.curation.remove(triple)
    for s, p, o, g in list(draft.dataset.quads((None, None, None, None))):
        if proposed in (s, o):
            graph = draft.dataset.graph(g.identifier if isinstance(g, Graph) else g)
            graph.remove((s, p, o))
            graph.add((existing if s == proposed else s, p, existing if o == proposed else o))
    return f"{_curie(proposed)} is {_curie(existing)}"


def new_entity_iri(label_zh: str, label_en: str) -> URIRef:
    """The IRI a created entity gets: ``kgr:New-`` and its English name in CamelCase."""
    slug = (
        re.sub(r"[^A-Za-z0-9]+", "", label_en.title())
        or hashlib.sha256(label_zh.encode()).hexdigest()[:8]
    )
    return URIRef(f"{PREFIXES['kgr']}New-{slug}")


def create_entity(draft: Draft, label_zh: str, label_en: str, cls: URIRef, terms: Terms) -> URIRef:
    """Propose a new entity in the draft (named in both languages); return its IRI."""
    if not label_zh.strip() or not label_en.strip():
        raise InvalidValue("a new entity needs a Chinese and an English name")
    if cls not in terms.classes:
        raise InvalidValue(f"class {_curie(cls)}: not a class of the ontology")
    iri = new_entity_iri(label_zh, label_en)
    if any(True for _ in draft.dataset.quads((iri, None, None, None))):  # in any graph
        raise InvalidValue(f"{_curie(iri)} exists already in the draft; use it or name another")
    curation = draft.curation
    curation.add((iri, RDF.type, cls))
    curation.add((iri, RDFS.label, Literal(label_zh.strip(), lang="zh")))
    curation.add((iri, RDFS.label, Literal(label_en.strip(), lang="en")))
    curation.add((iri, KG.status, KG.Draft))
    return iri


def _curie(node: Node) -> str:
    text = str(node)
    for prefix in ("kgr", "kg", "ev"):
        if text.startswith(PREFIXES[prefix]):
            return f"{prefix}:{text[len(PREFIXES[prefix]) :]}"
    return f"<{text}>"
