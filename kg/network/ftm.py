"""FollowTheMoney entities, the model Aleph and OpenSanctions' tools load.

Written as FtM JSON lines (one entity a line: ``id``, ``schema``, ``properties`` with lists of
strings), the format ``ftm`` and Aleph import. What maps:

* people → ``Person``; companies → ``Company``; state bodies and funds → ``PublicBody``; other
  organisations (universities, institutes, media, teams, groups) → ``Organization``; every source
  → ``Article`` (title, publisher, address, date);
* a funding event → one ``Ownership`` per investor (owner = investor, asset = investee), with
  the date, the amount (``sharesValue``/``sharesCurrency``) where one figure is given;
* a post held (``org:heldBy`` / ``org:postIn``) → ``Employment`` (``Directorship`` for chief
  executives, chairs and board roles), with the role's label;
* membership of a group (``kg:memberOf``) and heading one (``org:headOf``) → ``Membership``.

Every relationship carries its statement provenance: ``proof`` (the source's ``Article``),
``recordId`` (the evidence graph), ``summary`` (the quote, for a quoted source), ``description``
(the fact's label and, for a quote, its offsets), ``sourceUrl`` and ``publisher`` for a cited
report. Values are written as FtM's own types want them (dates as ``YYYY[-MM[-DD]]``, amounts as
plain numbers).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, Dataset, URIRef
from rdflib.term import Node

from kg.data.namespaces import KG, ORG, PROVENANCE_GRAPH, SCHEMA
from kg.data.output import write_text
from kg.data.prefixes import PREFIXES, shorten
from kg.network.facts import Parties, facts, label, statements

__all__ = ["ftm_entities", "write_ftm"]

Entity = dict[str, Any]

_SCHEMA_BY_CLASS = (  # the first the class falls under wins
    ("https://schema.org/Person", "Person"),
    (PREFIXES["kg"] + "StateInvestmentPlatform", "PublicBody"),
    (PREFIXES["kg"] + "GovernmentFund", "PublicBody"),
    ("https://schema.org/GovernmentOrganization", "PublicBody"),
    (PREFIXES["kg"] + "Company", "Company"),
    ("https://schema.org/Corporation", "Company"),
    ("https://schema.org/Organization", "Organization"),
    ("http://www.w3.org/ns/org#Organization", "Organization"),
)
_BOARD_ROLES = ("CEO", "Chair", "Chairman", "Director", "Board", "President")


def _id(kind: str, key: str) -> str:
    """A stable FtM id: ``zhipu-kg-<kind>-<sha1 of the key, 16 hex>``."""
    return f"zhipu-kg-{kind}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}"


def _schema_of(dataset: Dataset, parties: Parties, node: Node) -> str | None:
    for curie in parties.types.get(node, []):
        prefix, local = curie.split(":", 1)
        start = URIRef(PREFIXES[prefix] + local)
        ancestors = {str(c) for c in dataset.transitive_objects(start, RDFS.subClassOf)}
        for cls, schema in _SCHEMA_BY_CLASS:
            if cls in ancestors:
                return schema
    return None


def _names(parties: Parties, node: Node) -> dict[str, list[str]]:
    labels = parties.labels.get(node, {})
    names = [labels[lang] for lang in ("zh", "en") if lang in labels]
    aliases = [a for a in parties.aliases.get(node, []) if a not in names]
    found: dict[str, list[str]] = {"name": names or [shorten(str(node))]}
    if aliases:
        found["alias"] = aliases
    return found


def _provenance(evidence: dict[str, str], fact_label: str, sources: dict[str, str]) -> Entity:
    props: dict[str, list[str]] = {"recordId": [evidence["evidence"]]}
    if evidence.get("quote"):
        props["summary"] = [evidence["quote"]]
        where = f"quoted at characters {evidence.get('start')}–{evidence.get('end')}"
    else:
        where = f"cited: {evidence.get('where_in_source', 'the report')}"
    props["description"] = [f"{fact_label} ({where})" if fact_label else where]
    if evidence.get("url"):
        props["sourceUrl"] = [evidence["url"]]
    if evidence.get("publisher"):
        props["publisher"] = [evidence["publisher"]]
    source = sources.get(evidence.get("source", ""))
    if source is not None:
        props["proof"] = [source]
    return props


def _date(text: str | None) -> list[str]:
    return [text[:10]] if text and text[:4].isdigit() else []


def ftm_entities(dataset: Dataset) -> Iterator[Entity]:
    """The parties, the sources and the relationships between parties, as FtM entity dicts."""
    parties = Parties(dataset)
    provenance = dataset.graph(PROVENANCE_GRAPH)
    sources: dict[str, str] = {}
    for source in sorted(set(provenance.subjects(RDF.type, KG.SourceArticle)), key=str):
        title = str(provenance.value(source, KG.title) or label(parties, source, "zh"))
        props: dict[str, list[str]] = {"title": [title], "name": [title]}
        url = provenance.value(source, SCHEMA.url)
        if url is not None:
            props["sourceUrl"] = [str(url)]
        publisher = provenance.value(source, KG.publisherName) or dataset.value(
            source, KG.publisher
        )
        if publisher is not None:
            props["publisher"] = [label(parties, publisher, "zh")]
        props["publishedAt"] = _date(str(provenance.value(source, KG.datePublished) or ""))
        sources[title] = _id("source", str(source))
        yield {"id": sources[title], "schema": "Article", "properties": _clean(props)}

    emitted: dict[Node, str] = {}

    def party(node: Node) -> str | None:
        if node not in emitted:
            schema = _schema_of(dataset, parties, node)
            if schema is None:
                return None
            emitted[node] = _id("entity", str(node))
            pending.append(
                {"id": emitted[node], "schema": schema, "properties": _names(parties, node)}
            )
        return emitted[node]

    pending: list[Entity] = []
    links: list[Entity] = []
    for fact in facts(dataset):
        if fact.kind not in {"kg:FundingEvent", "kg:FundingRound"}:
            continue
        fact_label = fact.cells.get("label_en") or fact.cells.get("label_zh", "")
        for investor in fact.links.get("kg:investor", []):
            for investee in fact.links.get("kg:investee", []):
                owner, asset = party(URIRef(investor)), party(URIRef(investee))
                if owner is None or asset is None:
                    continue
                props = _provenance(fact.evidence, fact_label, sources)
                props.update(owner=[owner], asset=[asset], ownershipType=["investment"])
                props["startDate"] = _date(fact.cells.get("date"))
                value = fact.cells.get("amount_value", "")
                if value and ";" not in value:
                    props["sharesValue"] = [value]
                    props["sharesCurrency"] = [fact.cells.get("amount_currency", "")]
                key = f"{fact.iri}|{investor}|{investee}|{fact.evidence['evidence']}"
                links.append({"id": _id("link", key), "schema": "Ownership", "properties": props})
    links += _people_and_groups(dataset, parties, party, sources)
    yield from pending
    for link in links:
        link["properties"] = _clean(link["properties"])
        yield link


def _people_and_groups(
    dataset: Dataset, parties: Parties, party: Any, sources: dict[str, str]
) -> list[Entity]:
    posts: dict[Node, dict[str, Any]] = {}
    links: list[Entity] = []
    for st in statements(dataset):
        if st.predicate in (ORG.heldBy, ORG.postIn, ORG.role):
            posts.setdefault(st.subject, {"evidence": st.evidence})[str(st.predicate)] = st.value
        elif st.predicate in (KG.memberOf, ORG.headOf):
            member, group = party(st.subject), party(st.value)
            if member is None or group is None:
                continue
            props = _provenance(st.evidence, label(parties, st.subject, "en"), sources)
            props.update(member=[member], organization=[group])
            if st.predicate == ORG.headOf:
                props["role"] = ["head"]
            key = f"{st.subject}|{st.predicate}|{st.value}|{st.evidence['evidence']}"
            links.append({"id": _id("link", key), "schema": "Membership", "properties": props})
    for post, parts in posts.items():
        holder, where = parts.get(str(ORG.heldBy)), parts.get(str(ORG.postIn))
        person = party(holder) if holder is not None else None
        employer = party(where) if where is not None else None
        if person is None or employer is None:
            continue
        role_node = parts.get(str(ORG.role))
        role = label(parties, role_node, "en") if role_node is not None else ""
        named = f"{role} {role_node}".lower()
        board = any(word.lower() in named for word in _BOARD_ROLES)
        schema = "Directorship" if board else "Employment"
        props = _provenance(parts["evidence"], label(parties, post, "en"), sources)
        props.update(role=[role] if role else [])
        props.update(
            {"director": [person], "organization": [employer]}
            if board
            else {"employee": [person], "employer": [employer]}
        )
        links.append({"id": _id("link", str(post)), "schema": schema, "properties": props})
    return links


def _clean(props: dict[str, list[str]]) -> dict[str, list[str]]:
    return {key: values for key, values in props.items() if values and all(values)}


def write_ftm(dataset: Dataset, path: str | os.PathLike[str]) -> Path:
    """Write the FtM entities as JSON lines, atomically."""
    lines = (
        json.dumps(entity, ensure_ascii=False, sort_keys=True) for entity in ftm_entities(dataset)
    )
    target = Path(path)
    write_text(target, "\n".join(lines) + "\n")
    return target
