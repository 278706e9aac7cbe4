"""The exploration commands: ``kg viz``, ``kg export``, ``kg path`` and ``kg central``.

Each command is a thin wrapper over :mod:`kg.network.projection`, :mod:`kg.network.analytics`
and :mod:`kg.explore.page`.
They read the data folder from the group's context object (``--data``), like the others.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import click

from kg.data.output import STDOUT
from kg.data.paths import data_dir
from kg.data.prefixes import shorten
from kg.errors import UsageError
from kg.explore.page import DEFAULT_MAX_NODES, DEFAULT_TITLE, LargeGraphWarning, render_html
from kg.network.analytics import MEASURES, Measure, centrality, names_of
from kg.network.export import EXPORT_FORMATS, export
from kg.network.paths import Hop, path_document, ranked_paths
from kg.network.paths import Path as RankedPath
from kg.network.projection import from_construct, to_networkx

if TYPE_CHECKING:
    import networkx as nx

    from kg.graph import KnowledgeGraph

__all__ = ["central", "export_command", "path", "viz"]


def _load(data: Path | None, as_of: str | None = None) -> KnowledgeGraph:
    from kg.graph import load

    return load(data, lazy=True, as_of=as_of)


def _query(query: str, data: Path | None) -> tuple[str, dict[str, Any]]:
    """The text and default bindings of a named query, or the text of a query file."""
    from kg.query.catalogue import bind_params, load_query

    try:
        named = load_query(query, data_dir(data))
    except KeyError:
        if Path(query).is_file():
            return Path(query).read_text(encoding="utf-8"), {}
        raise click.BadParameter(
            f"{query!r} is neither a named query nor a file", param_hint="--query"
        ) from None
    try:
        return named.text, bind_params(named, {})
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--query") from None


def _construct(graph: KnowledgeGraph, text: str, bindings: dict[str, Any]) -> nx.MultiDiGraph:
    """Run a CONSTRUCT/DESCRIBE query through the safe query path and project its result."""
    result = graph.query(text, bindings)
    if not result.is_graph:
        raise UsageError(f"--query needs a CONSTRUCT or DESCRIBE query, not {result.form}")
    return from_construct(result.graph(), context=graph)


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The HTML file to write (-: standard output).",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--focus", metavar="ENTITY", help="Draw only this entity's neighbourhood.")
@click.option("--hops", type=click.IntRange(min=0), help="Radius of the neighbourhood [1].")
@click.option("--query", metavar="NAME|FILE", help="Draw the result of a CONSTRUCT query.")
@click.option("--expanded", is_flag=True, help="Draw n-ary facts as nodes, not as edges.")
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_NODES,
    show_default=True,
    help="Above this many nodes, draw with sigma.js (WebGL), or one node per class with "
    "--renderer vis.",
)
@click.option(
    "--renderer",
    type=click.Choice(["auto", "vis", "sigma"]),
    default="auto",
    show_default=True,
    help="vis-network, sigma.js (WebGL, every node), or auto: sigma above --max-nodes.",
)
@click.option("--title", default=DEFAULT_TITLE, show_default=True)
@click.option(
    "--as-of",
    metavar="YYYY-MM-DD",
    help="Draw the data as known on this day (sources published by then; see kg query --help).",
)
@click.pass_obj
def viz(
    data: Path | None,
    output: Path,
    lang: Literal["zh", "en"],
    focus: str | None,
    hops: int | None,
    query: str | None,
    expanded: bool,
    max_nodes: int,
    renderer: Literal["auto", "vis", "sigma"],
    title: str,
    as_of: str | None,
) -> None:
    """Write the interactive explorer: one HTML file that works offline."""
    graph = _load(data, as_of)
    nxg = (
        _construct(graph, *_query(query, data))
        if query
        else to_networkx(graph, collapse=not expanded)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LargeGraphWarning)
        report = render_html(
            nxg,
            output,
            lang=lang,
            focus=focus,
            hops=hops,
            title=title,
            max_nodes=max_nodes,
            renderer=renderer,
        )
    if report.message:
        click.echo(f"note: {report.message}", err=True)
    click.echo(
        f"{report.path}: {report.nodes:,} nodes, {report.edges:,} edges ({report.mode} view), "
        f"{report.bytes / 1024:,.0f} KiB",
        err=str(output) == STDOUT,
    )


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="graphml, gexf, json (node-link): the entity network; ttl, trig, nt, jsonld: the RDF; "
    "ftm (FollowTheMoney entities), xlsx, csv (a folder): the facts with their evidence.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The file to write (-: standard output); for csv, a new folder.",
)
@click.option("--expanded", is_flag=True, help="Network formats: n-ary facts as nodes.")
@click.pass_obj
def export_command(data: Path | None, fmt: str, output: Path, expanded: bool) -> None:
    """Write the knowledge graph as a network (Gephi, NetworkX), as RDF, or for investigators."""
    written = export(_load(data), fmt, output, collapse=not expanded)
    if written.is_dir():
        click.echo(f"{written}/: {len(list(written.iterdir()))} files")
    elif str(written) != STDOUT:
        click.echo(f"{written}: {written.stat().st_size:,} bytes")


_CONTEXT = {"zh": "说法,作为背景,不是联系", "en": "a claim: context, not a link"}


def _evidence_line(q: dict[str, Any]) -> str:
    """A quote with its offsets, or a report's citation."""
    if q.get("tier") == "cited":
        cited = ", ".join(str(q[k]) for k in ("publisher", "published", "locator") if q.get(k))
        url = f" <{q['url']}>" if q.get("url") else ""
        return f"      cited: {cited}{url} ({q['graph']})"
    return f"      “{q.get('quote', '')}” ({q['graph']} {q.get('start')}–{q.get('end')})"


def _hop_lines(nxg: nx.MultiDiGraph, hop: Hop, lang: str) -> list[str]:
    def name(node: str) -> str:
        return str(nxg.nodes[node].get(f"label_{lang}", node))

    if hop.kind == "claim":
        says = hop.says_zh if lang == "zh" else hop.says_en
        line = f"  {name(hop.source)} ⋯ {name(hop.target)}  ({_CONTEXT[lang]}) {says}"
    else:
        arrow = "→" if hop.forward else "←"
        relation = hop.label_zh if lang == "zh" else hop.label_en
        line = f"  {name(hop.source)} —{relation} ({hop.relation}){arrow} {name(hop.target)}"
        fact = str(hop.attrs.get(f"fact_label_{lang}", ""))
        amount = str(hop.attrs.get(f"amount_{lang}", "")) or hop.amount
        extra = " · ".join(filter(None, [amount, hop.date, fact]))
        if extra:
            line += f"  [{extra}]"
    return [line, *map(_evidence_line, hop.evidence)]


def _heading(i: int, found: RankedPath) -> str:
    hops = len(found.hops)
    detours = f"{found.detours} of them claims or sources" if found.detours else "facts only"
    return f"path {i} ({hops} hop{'s' if hops != 1 else ''}, {detours}):"


@click.command()
@click.argument("a")
@click.argument("b")
@click.option("-k", "count", type=click.IntRange(min=1), default=3, show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--curated", is_flag=True, help="Also walk curated edges that cite no quote.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def path(data: Path | None, a: str, b: str, count: int, lang: str, curated: bool, fmt: str) -> None:
    """Print how A and B are linked, facts first (labels in either language, or ids).

    Paths rank by what their hops say: chains of facts first, then paths through claims
    (shown as context: who says what), sources or curated edges. Every hop shows its quote or
    its citation.
    """
    nxg = to_networkx(_load(data))
    names = names_of(nxg)
    source, target = names.resolve(a), names.resolve(b)
    if source == target:
        click.echo(f"{a} and {b} both name {names.entry(source).title}: there is no path to walk")
        return
    paths = ranked_paths(nxg, source, target, k=count, evidence_only=not curated)
    if not paths:
        click.echo(f"no path between {shorten(source)} and {shorten(target)}")
        sys.exit(1)
    if fmt == "json":
        click.echo(json.dumps(path_document(nxg, paths), ensure_ascii=False, indent=2))
        return
    for i, found in enumerate(paths, 1):
        click.echo(_heading(i, found))
        for hop in found.hops:
            click.echo("\n".join(_hop_lines(nxg, hop, lang)))


@click.command()
@click.option("--measure", type=click.Choice(MEASURES), default="degree", show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def central(data: Path | None, measure: Measure, top: int, fmt: str) -> None:
    """Rank entities by degree, betweenness or PageRank."""
    ranked = centrality(to_networkx(_load(data)), measure, top)
    if fmt == "json":
        rows: list[dict[str, Any]] = [r.__dict__ for r in ranked]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for i, r in enumerate(ranked, 1):
        click.echo(f"{i:>3}  {r.score:.4f}  {r.label_zh} / {r.label_en}  {shorten(r.id)}")
