"""Finding things by name: ``kg describe NAME`` (the entity card) and ``kg search TEXT``.

Both take names as :mod:`kg.query.resolve` does, so ``kg describe 唐杰``, ``kg describe "tang
jie"`` and ``kg describe kgr:TangJie`` print the same card.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.data.prefixes import PREFIXES, shorten

if TYPE_CHECKING:
    from kg.query.entity import EntityFact, EntityView, Labels
    from kg.query.entity_kinds import FactNode
    from kg.query.results import Term

__all__ = ["card", "describe", "search"]

_CURATED = "整理(非原文)· curated, not from the article"
_XSD_STRING = PREFIXES["xsd"] + "string"


def _name(iri: str, labels: Labels, lang: str) -> str:
    own = labels.get(iri, {})
    label = own.get(lang) or own.get("en" if lang == "zh" else "zh")
    return f"{label} ({shorten(iri)})" if label else shorten(iri)


def _term(term: Term, labels: Labels, lang: str) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return _name(term.value, labels, lang)
    if isinstance(term, ox.BlankNode):
        return "[ ]"
    text = json.dumps(term.value, ensure_ascii=False)
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype.value != _XSD_STRING:
        return f"{text}^^{shorten(term.datatype.value)}"
    return text


def _fact_lines(
    fact: EntityFact, labels: Labels, lang: str, node: FactNode | None = None
) -> list[str]:
    relation = _name(fact.predicate, labels, lang)
    if fact.outgoing:
        line = f"  {relation}: {_term(fact.value, labels, lang)}"
    else:
        line = f"  ← {relation} of {_term(fact.value, labels, lang)}"
    if node is not None and node.fields:  # the fact's own fields: investor, amount, date …
        fields = (f"{_name(f.predicate, labels, lang)} {_term(f.value, labels, lang)}"
                  for f in node.fields)  # fmt: skip
        line += "\n      · " + " · ".join(fields)
    parts = [
        f"      {_name(p, labels, lang)}: {_term(v, labels, lang)}"
        for p, v in sorted(fact.parts, key=str)
    ]
    if fact.citation is not None:
        evidence = (
            f"      [{fact.citation.summary()}; {shorten(fact.graph)}: {fact.citation.locator}]"
        )
    elif fact.quote is None:
        evidence = f"      [{_CURATED}; {shorten(fact.graph)}]"
    else:
        where = f"{fact.span[0]}–{fact.span[1]}" if fact.span else "?"
        evidence = f"      quoted: “{fact.quote}” ({shorten(fact.graph)}, chars {where})"
    return [line, *parts, evidence]


def card(view: EntityView, labels: Labels, nodes: dict[str, FactNode], lang: str = "zh") -> str:
    """The entity card as text: names, types, aliases, then every fact with its evidence.

    Args:
        view: The entity's statements.
        labels: Labels of the IRIs they name.
        nodes: The fact nodes' classes and fields (:func:`kg.query.entity_kinds.fact_fields`):
            the facts are grouped by kind as on the entity page (funding, people and roles,
            products, claims …), each with its own fields, curated rows last.
        lang: The language names are shown in first.
    """
    from kg.query.entity import RDF_TYPE, SKOS_ALT_LABEL

    shown = {RDF_TYPE, SKOS_ALT_LABEL, PREFIXES["rdfs"] + "label"}  # in the header already
    zh, en = view.labels.get("zh", "—"), view.labels.get("en", "—")

    def in_header(fact: EntityFact) -> bool:
        return fact.outgoing and fact.predicate in shown

    facts = [f for f in view.facts if not in_header(f)]
    types = ", ".join(_name(t, labels, lang) for t in view.types) or "—"
    lines = [
        f"{zh} / {en}",
        f"{shorten(view.iri)}  <{view.iri}>",
        f"类型 type: {types}",
        f"别名 aliases: {', '.join(view.aliases) or '—'}",
    ]
    if view.reported_in:
        # Known only from a report: what follows is what the report says, not facts.
        reports = ", ".join(_name(r, labels, lang) for r in view.reported_in)
        lines.append(f"仅见于报道,未经证实 known only from a report, unconfirmed: {reports}")
        lines.append(f"报道所述 as reported ({len(facts)}):")
    else:
        lines.append(f"事实 facts ({len(facts)}):")
    import pyoxigraph as ox

    from kg.query.entity_kinds import group_facts

    described: set[str] = set()
    for group in group_facts(view, nodes):
        members = [fact for fact in group.facts if not in_header(fact)]
        if members:
            lines.append(f"— {group.kind.zh} · {group.kind.en} ({len(members)})")
        for fact in members:
            node = nodes.get(fact.value.value) if isinstance(fact.value, ox.NamedNode) else None
            if node is not None and fact.value.value in described:
                node = None  # its fields once, under its first row
            described.add(fact.value.value)
            lines += _fact_lines(fact, labels, lang, node)
    return "\n".join(lines)


@click.command()
@click.argument("name")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.pass_obj
def describe(data: Path | None, name: str, lang: str) -> None:
    """Print an entity's card: labels, types, aliases, every fact with its quote and offsets.

    NAME is an IRI, a CURIE (kgr:TangJie), a local name, or a label or alias in either
    language, in any case (唐杰, "tang jie"). Exit 2 when it names nothing (with the closest
    names) or several entities (listed with their types).
    """
    from kg.graph import load
    from kg.query.entity import entity_view, load_labels
    from kg.query.entity_kinds import fact_fields

    graph = load(data)
    iri = graph.resolve(name)
    labels = load_labels(graph.engine)
    from kg.cli.answer import emit

    view = entity_view(graph.engine, iri, labels)
    emit(card(view, labels, fact_fields(graph.engine, view), lang))


@click.command()
@click.argument("text")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--quotes/--no-quotes", default=True, help="Also search the article's quotes.")
@click.pass_obj
def search(data: Path | None, text: str, limit: int, quotes: bool) -> None:
    """Rank entities whose labels or aliases match TEXT, then quotes that contain it.

    Matching ignores case and width; close spellings count. Exit 1 when nothing matches.
    """
    from kg.graph import load

    graph = load(data)
    found = graph.search(text, limit)
    for score, entry, matched in found:
        types = ", ".join(entry.types)
        click.echo(f"{score:4.2f}  {entry.title}  [{types}]  ← {matched}")
    passages = graph.quotes(text, limit) if quotes else []
    if passages:
        click.echo(f"quotes containing {text!r}:")
    for graph_iri, start, end, quote in passages:
        click.echo(f"  {shorten(graph_iri)} ({start}–{end}): “{quote}”")
    if not found and not passages:
        click.echo(f"nothing matches {text!r}", err=True)
        raise SystemExit(1)
