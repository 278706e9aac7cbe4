"""Server-rendered HTML of ``kg serve``: the entity pages (and their "not found" page).

Every value that comes from the data is written through :func:`html.escape` (text and
attributes alike), and the pages load nothing but ``/static/site.css``: no inline script or
style, so they work under the server's ``Content-Security-Policy: default-src 'self'``.
The query page itself is static (``kg/web/index.html`` and its script).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from html import escape

import pyoxigraph as ox

from kg.data.prefixes import PREFIXES, shorten
from kg.query.entity import RDF_TYPE, Citation, EntityFact, EntityView, Labels, local_id
from kg.query.entity_kinds import FactGroup, FactNode, Field, group_facts
from kg.query.results import Term

__all__ = [
    "EntityFact",
    "EntityView",
    "entity_href",
    "entity_page",
    "local_id",
    "not_found_page",
]

XSD_STRING = PREFIXES["xsd"] + "string"
CURATED = "整理(非原文)· curated, not from the article"
#: Properties whose English value translates the source's Chinese words (not the source's words).
TEXT_PROPERTIES = frozenset({PREFIXES["schema"] + "text"})
TRANSLATION = "英译(整理)· English translation (ours)"


def entity_href(identifier: str) -> str:
    """The path of an entity page (the id percent-encoded)."""
    return "/entity/" + urllib.parse.quote(identifier, safe="")


def _both(labels: dict[str, str], fallback: str) -> str:
    zh, en = labels.get("zh"), labels.get("en")
    if zh and en and zh != en:
        return f'<span lang="zh">{escape(zh)}</span> · <span lang="en">{escape(en)}</span>'
    return escape(zh or en or fallback)


def _iri(iri: str, labels: Labels) -> str:
    own = labels.get(iri, {})
    curie = escape(shorten(iri))
    identifier = local_id(iri)
    if identifier is not None:
        href = escape(entity_href(identifier))
        return f'<a href="{href}" title="{escape(iri)}">{_both(own, shorten(iri))}</a>'
    if own:
        return f'{_both(own, iri)} <code title="{escape(iri)}">{curie}</code>'
    return f'<code title="{escape(iri)}">{curie}</code>'


def _term(term: Term, labels: Labels) -> str:
    if isinstance(term, ox.NamedNode):
        return _iri(term.value, labels)
    if isinstance(term, ox.BlankNode):
        return '<span class="structured">[ ]</span>'
    text = f'<span class="literal">{escape(term.value)}</span>'
    if term.language:
        return f'{text} <span class="tag">@{escape(term.language)}</span>'
    if term.datatype.value != XSD_STRING:
        return f'{text} <span class="tag">{escape(shorten(term.datatype.value))}</span>'
    return text


def _field(value: Term, labels: Labels) -> str:
    """A fact node's field value: a link, or the literal as written (its type on hover)."""
    if isinstance(value, ox.Literal):
        kind = shorten(value.datatype.value) if not value.language else f"@{value.language}"
        return f'<span class="literal" title="{escape(kind)}">{escape(value.value)}</span>'
    return _term(value, labels)


def _value(fact: EntityFact, labels: Labels, node: FactNode | None) -> str:
    rendered = _term(fact.value, labels)
    if fact.parts:
        items = "".join(
            f"<li>{_iri(p, labels)}: {_term(v, labels)}</li>"
            for p, v in sorted(fact.parts, key=str)
        )
        rendered += f'<ul class="parts">{items}</ul>'
    if node is not None and node.fields and not fact.outgoing:
        fields = "".join(
            f'<li><span class="field">{_field_name(f, labels)}</span> {_field(f.value, labels)}'
            "</li>"
            for f in sorted(node.fields, key=_translation_last)
        )
        rendered += f'<ul class="fields">{fields}</ul>'
    return rendered


def _translated(field: Field) -> bool:
    """A text in English beside the source's Chinese words: the curators' translation."""
    value = field.value
    return (
        field.predicate in TEXT_PROPERTIES
        and isinstance(value, ox.Literal)
        and (value.language or "").startswith("en")
    )


def _translation_last(field: Field) -> tuple[str, bool, str]:
    return (field.predicate, _translated(field), str(field.value))


def _field_name(field: Field, labels: Labels) -> str:
    if _translated(field):
        return f'<span title="{escape(shorten(field.predicate))}">{escape(TRANSLATION)}</span>'
    return _name(field.predicate, labels)


def _name(iri: str, labels: Labels) -> str:
    """A property's name: its labels, the CURIE on hover."""
    own = labels.get(iri, {})
    return f'<span title="{escape(shorten(iri))}">{_both(own, shorten(iri))}</span>'


def _evidence(fact: EntityFact) -> str:
    graph = f'<code title="{escape(fact.graph)}">{escape(shorten(fact.graph))}</code>'
    if fact.citation is not None:
        return _cited(fact.citation, graph)
    if fact.quote is None:
        return f'<span class="curated">{escape(CURATED)}</span> {graph}'
    where = f"{escape(fact.span[0])}–{escape(fact.span[1])}" if fact.span else "?"
    return (
        f'<blockquote lang="zh">{escape(fact.quote)}</blockquote>'
        f'<span class="where">quoted 摘录 · {graph} · 字符 chars {where}</span>'
    )


def _cited(citation: Citation, graph: str) -> str:
    """A cited statement: publisher, date and a link to the report; none of its words."""
    url = citation.url or ""
    link = (
        f'<a href="{escape(url)}" rel="noopener noreferrer nofollow">{escape(url)}</a>'
        if url.startswith(("https://", "http://"))
        else escape(url)
    )
    said = ", ".join(escape(p) for p in (citation.publisher, citation.published) if p)
    return (
        f'<span class="cited">cited 引用: {said}, {link}</span>'
        f'<span class="where">{graph} · {escape(citation.locator)}</span>'
    )


def _fact_row(fact: EntityFact, labels: Labels, nodes: dict[str, FactNode]) -> str:
    relation = _iri(fact.predicate, labels)
    if not fact.outgoing:
        relation = f'<span class="inverse" title="the entity is the value">←</span> {relation}'
    node = nodes.get(fact.value.value) if isinstance(fact.value, ox.NamedNode) else None
    tier = fact.tier or "curated"
    return (
        f'<tr class="{tier}"><td>{relation}</td><td>{_value(fact, labels, node)}</td>'
        f"<td>{_evidence(fact)}</td></tr>"
    )


def _group(group: FactGroup, labels: Labels, nodes: dict[str, FactNode]) -> str:
    """One kind of fact: a section that opens and closes, its rows in a table."""
    rows = "\n".join(_fact_row(f, labels, nodes) for f in group.facts)
    kind = group.kind
    return f"""<details class="kind" data-kind="{escape(kind.name)}" open>
<summary><span lang="zh">{escape(kind.zh)}</span> · <span lang="en">{escape(kind.en)}</span>
<span class="count">({len(group.facts)})</span></summary>
<table class="facts">
<thead><tr><th>关系 · Relation</th><th>值 · Value</th><th>出处 · Evidence</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</details>"""


def _document(title: str, body: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{head}<title>{escape(title)}</title>\n"
        '<link rel="stylesheet" href="/static/site.css">\n'
        '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">\n'
        f'</head>\n<body class="page">\n{body}\n</body>\n</html>\n'
    )


def entity_page(
    view: EntityView,
    labels: Labels,
    nodes: dict[str, FactNode] | None = None,
) -> str:
    """The HTML page of one entity: its facts grouped by kind, each group collapsible.

    Args:
        view: The entity and its facts.
        labels: Labels of every IRI, by language, for the facts' properties and values.
        nodes: The fact nodes its statements point to, with their classes and fields
            (:func:`kg.query.entity_kinds.fact_fields`); without them, facts are grouped by
            property only and shown without fields.
    """
    nodes = nodes or {}
    identifier = local_id(view.iri) or view.iri
    title = " · ".join(
        dict.fromkeys(v for v in (view.labels.get("zh"), view.labels.get("en")) if v)
    )
    explore = escape("/explore?" + urllib.parse.urlencode({"focus": identifier}))
    types = ", ".join(_iri(t, labels) for t in view.types) or "—"
    facts = [f for f in view.facts if not (f.outgoing and f.predicate == RDF_TYPE)]
    shown = EntityView(view.iri, view.labels, facts)
    groups = "\n".join(_group(g, labels, nodes) for g in group_facts(shown, nodes))
    neighbours = "".join(f"<li>{_iri(n, labels)}</li>" for n in view.neighbours)
    heading = "事实与出处 · Facts and evidence"
    if view.reported_in:  # known only from a report: its statements are the report's
        reports = ", ".join(_iri(r, labels) for r in view.reported_in)
        heading = f"报道所述,未经证实 · As reported, unconfirmed: {reports}"
    body = f"""<nav><a href="/">← 查询 · Query</a>
<a href="{explore}">在关系图中查看 · Show in the graph explorer</a></nav>
<header>
<h1>{_both(view.labels, shorten(view.iri))}</h1>
<p class="iri"><code>{escape(shorten(view.iri))}</code> <code>{escape(view.iri)}</code></p>
<dl>
<dt>中文名</dt><dd lang="zh">{escape(view.labels.get("zh", "—"))}</dd>
<dt>English name</dt><dd lang="en">{escape(view.labels.get("en", "—"))}</dd>
<dt>类型 · Type</dt><dd>{types}</dd>
</dl>
</header>
<section>
<h2>{heading} ({len(facts)})</h2>
{groups}
</section>
<section>
<h2>相邻实体 · Neighbours ({len(view.neighbours)})</h2>
<ul class="neighbours">{neighbours}</ul>
</section>"""
    return _document(title or shorten(view.iri), body)


#: Seconds after which the page that says the explorer is being built reloads itself.
BUILDING_RELOAD = 5


def building_page() -> str:
    """The page ``/explore`` answers (503) while the explorer is built: it reloads itself."""
    heading = "关系图正在生成 · The graph explorer is being built"
    text = (
        "服务器启动后即开始生成关系图,完成后本页自动显示。"
        " · The server builds it from the loaded data as it starts; this page shows it once it"
        f" is ready (it reloads every {BUILDING_RELOAD} s)."
    )
    refresh = f'<meta http-equiv="refresh" content="{BUILDING_RELOAD}">\n'
    body = f'<nav><a href="/">← 查询 · Query</a></nav>\n<h1>{heading}</h1>\n<p>{text}</p>'
    return _document(heading, body, refresh)


def not_found_page(
    identifier: str, choices: Sequence[tuple[str, str]] = (), *, many: bool = False
) -> str:
    """The page for a name that designates no entity, or several.

    Args:
        identifier: What was asked for, as typed.
        choices: ``(IRI, title)`` of the entities it may mean (closest or ambiguous ones).
        many: True when ``identifier`` names every entity in ``choices`` (ambiguous).
    """
    items = "".join(
        f'<li><a href="{escape(entity_href(local_id(iri) or iri))}">{escape(title)}</a></li>'
        for iri, title in choices
    )
    if many:
        heading = "有多个同名实体 · Several entities have this name"
        text = f"<code>{escape(identifier)}</code> 可指 · may mean:"
    else:
        heading = "未找到 · Not found"
        text = f"图中没有实体 · The graph has no entity <code>{escape(identifier)}</code>." + (
            " 您是否要找 · Did you mean:" if items else ""
        )
    listing = f'\n<ul class="choices">{items}</ul>' if items else ""
    body = f'<nav><a href="/">← 查询 · Query</a></nav>\n<h1>{heading}</h1>\n<p>{text}</p>{listing}'
    return _document(heading, body)
