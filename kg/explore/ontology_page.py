"""The ontology as a documentation page (what pyLODE or Widoco generate), built from the data.

Every class and property ``ontology.ttl`` declares gets a section with its Chinese and English
label and comment, its super-classes or super-properties, its domain and range, how often the
data uses it, and one example statement with the quote it comes from. Each section's ``id`` is
the term's local name, so ``kg:Company`` links to ``…#Company``. ``kg docs -o DIR`` writes the
page as static HTML and ``kg serve`` answers it at ``/ontology``; every piece of data is escaped.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.data.namespaces import KG, ONTOLOGY_GRAPH
from kg.data.output import write_text
from kg.data.paths import DataLayout
from kg.data.prefixes import shorten
from kg.explore.ontology_usage import store_usage
from kg.network.reading import HasQuads, graph_quads
from kg.network.rules import Vocabulary, not_inferred

__all__ = [
    "STYLESHEET",
    "Term",
    "ontology_html",
    "ontology_terms",
    "stylesheet_text",
    "write_docs",
]

STYLESHEET = "ontology.css"
"""The page's stylesheet, in ``kg/web/`` (served at ``/static/ontology.css``)."""

_KINDS: dict[Node, str] = {
    OWL.Class: "class",
    RDFS.Class: "class",
    OWL.ObjectProperty: "property",
    OWL.DatatypeProperty: "property",
    OWL.AnnotationProperty: "property",
    RDF.Property: "property",
}


@dataclass
class Term:
    """One declared term and what the page says about it."""

    iri: URIRef
    kind: str
    types: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    parents: list[URIRef] = field(default_factory=list)
    domains: list[URIRef] = field(default_factory=list)
    ranges: list[URIRef] = field(default_factory=list)
    uses: int = 0
    example: tuple[Node, Node, Node] | None = None
    quote: str = ""

    @property
    def anchor(self) -> str:
        """The section's id: the local name after ``#`` or the last ``/``."""
        return str(self.iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _text(graph: Graph, subject: URIRef, prop: URIRef) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in sorted(graph.objects(subject, prop), key=str):
        if isinstance(value, Literal):
            found.setdefault(value.language or "", str(value))
    return found


def ontology_terms(ontology: Graph) -> list[Term]:
    """Every class and property declared in ``ontology`` within the ``kg:`` namespace."""
    terms: dict[URIRef, Term] = {}
    for subject, _, kind in ontology.triples((None, RDF.type, None)):
        if isinstance(subject, URIRef) and kind in _KINDS and str(subject).startswith(str(KG)):
            term = terms.setdefault(subject, Term(subject, _KINDS[kind]))
            term.types.append(shorten(str(kind)))
    for term in terms.values():
        term.types.sort()
        term.labels = _text(ontology, term.iri, RDFS.label)
        term.comments = _text(ontology, term.iri, RDFS.comment)
        parent = RDFS.subClassOf if term.kind == "class" else RDFS.subPropertyOf
        term.parents = sorted(
            p for p in ontology.objects(term.iri, parent) if isinstance(p, URIRef)
        )
        term.domains = sorted(
            d for d in ontology.objects(term.iri, RDFS.domain) if isinstance(d, URIRef)
        )
        term.ranges = sorted(
            r for r in ontology.objects(term.iri, RDFS.range) if isinstance(r, URIRef)
        )
    return sorted(terms.values(), key=lambda t: (t.kind, t.anchor.lower()))


def _usage(terms: list[Term], data: Dataset | HasQuads) -> Vocabulary:
    """Fill each term's use count and example from ``data``; the labels and quotes it read.

    One pass over the statements: a term's example is its first statement in the order
    quoted graphs first, then by graph, subject, property and value.
    """
    if isinstance(data, HasQuads):  # the store kg serve holds, read in its own terms
        return store_usage(terms, data)
    by_iri = {t.iri: t for t in terms}
    vocab = Vocabulary()
    quads = [q for q in graph_quads(data, keep=not_inferred) if q[3] != ONTOLOGY_GRAPH]
    for s, p, o, _ in quads:
        vocab.add(s, p, o)
    vocab.finish()
    uses: Counter[URIRef] = Counter()
    first: dict[URIRef, tuple[bool, str, str, str, str]] = {}
    for s, p, o, g in quads:
        target = o if p == RDF.type else p
        term = by_iri.get(target) if isinstance(target, URIRef) else None
        if term is None:
            continue
        uses[term.iri] += 1
        key = (g not in vocab.quotes, str(g), str(s), str(p), str(o))
        if term.iri not in first or key < first[term.iri]:
            first[term.iri] = key
            term.example = (s, p, o)
            term.quote = str(vocab.quotes.get(g, {}).get("quote", ""))
    for term in terms:
        term.uses = uses[term.iri]
    return vocab


# ---------------------------------------------------------------- HTML
def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _link(iri: Node, declared: set[URIRef]) -> str:
    name = shorten(str(iri))
    if isinstance(iri, URIRef) and iri in declared:
        anchor = str(iri).rsplit("#", 1)[-1]
        return f'<a href="#{_e(anchor)}"><code>{_e(name)}</code></a>'
    return f"<code>{_e(name)}</code>"


def _value(node: Node, vocab: Vocabulary, declared: set[URIRef]) -> str:
    if isinstance(node, Literal):
        return f"<q>{_e(node)}</q>"
    labels = vocab.labels.get(node, {})
    label = labels.get("zh") or labels.get("en") or ""
    named = f" {_e(label)}" if label else ""
    return _link(node, declared) + named


def _row(name_zh: str, name_en: str, value: str) -> str:
    return f"<tr><th>{_e(name_zh)} · {_e(name_en)}</th><td>{value}</td></tr>"


def _section(term: Term, vocab: Vocabulary, declared: set[URIRef]) -> str:
    zh, en = term.labels.get("zh", ""), term.labels.get("en", "")
    rows = [
        _row("标识", "IRI", f"<code>{_e(term.iri)}</code> ({_e(', '.join(term.types))})"),
        _row("说明", "Comment (zh)", _e(term.comments.get("zh", ""))),
        _row("说明", "Comment (en)", _e(term.comments.get("en", ""))),
    ]
    parents = ", ".join(_link(p, declared) for p in term.parents)
    kind = ("上位类", "Super-classes") if term.kind == "class" else ("上位属性", "Super-properties")
    if parents:
        rows.append(_row(*kind, parents))
    if term.domains:
        rows.append(_row("定义域", "Domain", ", ".join(_link(d, declared) for d in term.domains)))
    if term.ranges:
        rows.append(_row("值域", "Range", ", ".join(_link(r, declared) for r in term.ranges)))
    rows.append(_row("使用次数", "Uses in the data", f'<span class="uses">{term.uses:,}</span>'))
    if term.example is not None:
        s, p, o = term.example
        triple = " ".join(_value(x, vocab, declared) for x in (s, p, o))
        quote = f"<blockquote>{_e(term.quote)}</blockquote>" if term.quote else ""
        rows.append(_row("示例", "Example", f'<div class="triple">{triple}</div>{quote}'))
    title = f"{_e(zh)} · {_e(en)}" if zh and en else _e(zh or en or term.anchor)
    return (
        f'<section class="term {term.kind}" id="{_e(term.anchor)}">'
        f'<h3><a class="anchor" href="#{_e(term.anchor)}">{_e(shorten(str(term.iri)))}</a> '
        f"{title}</h3><table>{''.join(rows)}</table></section>"
    )


def ontology_html(layout: DataLayout, data: Dataset | HasQuads, stylesheet: str) -> str:
    """The page for the ontology of ``layout``, counting uses in ``data``.

    Args:
        layout: The data folder (its ``ontology.ttl`` is read).
        data: The loaded data (``kg.load(...).dataset``, or the Oxigraph engine holding it).
        stylesheet: The stylesheet's URL as the page should link it.

    """
    ontology = Graph().parse(layout.ontology, format="turtle")
    terms = ontology_terms(ontology)
    vocab = _usage(terms, data)
    declared = {t.iri for t in terms}
    head = ontology.value(predicate=RDF.type, object=OWL.Ontology)
    labels = _text(ontology, head, RDFS.label) if isinstance(head, URIRef) else {}
    comments = _text(ontology, head, RDFS.comment) if isinstance(head, URIRef) else {}
    toc = []
    body = []
    for kind, zh, en in (("class", "类", "Classes"), ("property", "属性", "Properties")):
        chosen = [t for t in terms if t.kind == kind]
        links = " ".join(f'<a href="#{_e(t.anchor)}">{_e(t.anchor)}</a>' for t in chosen)
        toc.append(f"<h2>{_e(zh)} · {_e(en)} ({len(chosen)})</h2><nav>{links}</nav>")
        body.append(f"<h2>{_e(zh)} · {_e(en)}</h2>")
        body.extend(_section(t, vocab, declared) for t in chosen)
    title = " · ".join(v for v in (labels.get("zh"), labels.get("en")) if v) or "Ontology"
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title>"
        f'<link rel="stylesheet" href="{_e(stylesheet)}"></head><body>'
        f"<header><h1>{_e(title)}</h1><p>{_e(comments.get('zh', ''))}</p>"
        f"<p>{_e(comments.get('en', ''))}</p>"
        f'<p class="muted">{len(terms)} terms · <code>{_e(head or "")}</code></p></header>'
        f'<div id="toc">{"".join(toc)}</div><main>{"".join(body)}</main></body></html>\n'
    )


def stylesheet_text() -> str:
    """The page's stylesheet."""
    return resources.files("kg").joinpath(f"web/{STYLESHEET}").read_text(encoding="utf-8")


def write_docs(layout: DataLayout, data: Dataset, out_dir: Path) -> list[Path]:
    """Write ``index.html`` and its stylesheet into ``out_dir``, each atomically.

    Returns:
        The files written.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    page = out_dir / "index.html"
    css = out_dir / STYLESHEET
    write_text(page, ontology_html(layout, data, STYLESHEET))
    write_text(css, stylesheet_text())
    return [page, css]
