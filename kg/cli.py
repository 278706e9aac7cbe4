"""The ``kg`` command line. Each command is a thin wrapper over a plain function."""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path
from typing import ClassVar

import click


class LazyGroup(click.Group):
    """A group whose heavier commands are imported only when used.

    ``kg query`` must start fast; the explorer and server commands pull in networkx, pyvis and
    the worker pool, so they are named here and imported on demand.
    """

    LAZY: ClassVar[dict[str, str]] = {
        "viz": "kg.explore_cli:viz",
        "export": "kg.explore_cli:export_command",
        "path": "kg.explore_cli:path",
        "central": "kg.explore_cli:central",
        "serve": "kg.serve_cli:serve",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command, eager and lazy, in order."""
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command, importing its module first when it is a lazy one."""
        if cmd_name in self.LAZY:
            module, attribute = self.LAZY[cmd_name].split(":")
            command: click.Command = getattr(importlib.import_module(module), attribute)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="KG_DATA",
    help="Data folder (ontology.ttl, shapes.ttl, triples/, queries/). Default: the shipped data.",
)
@click.version_option(package_name="zhipu-kg")
@click.pass_context
def main(ctx: click.Context, data: Path | None) -> None:
    """zhipu-kg: a bilingual, evidence-backed knowledge graph of Zhipu AI (智谱)."""
    ctx.obj = data


@main.command()
@click.option(
    "--source",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="KG_SOURCE",
    help="The source article (default: shared/seeds/ beside the checkout).",
)
@click.pass_obj
def validate(data: Path | None, source: Path | None) -> None:
    """Check syntax, cross-parse, SHACL, quotes and amounts. Exit 0 valid, 1 invalid, 2 error."""
    from kg.validate import validate_files

    report = validate_files(data, source)
    click.echo(report.summary(), err=report.exit_code == 2)
    sys.exit(report.exit_code)


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_obj
def stats(data: Path | None, fmt: str) -> None:
    """Print counts by class, facts with evidence and languages covered."""
    from kg.graph import load

    result = _load_or_exit(load, data).stats()
    click.echo(
        json.dumps(result.as_dict(), ensure_ascii=False, indent=2)
        if fmt == "json"
        else result.as_text()
    )


@main.command()
@click.argument("quote")
@click.option("--prefix", help="Text just before the wanted occurrence, when the quote repeats.")
@click.option("--source", type=click.Path(dir_okay=False, path_type=Path), envvar="KG_SOURCE")
def locate(quote: str, prefix: str | None, source: Path | None) -> None:
    """Print the code-point offsets of QUOTE in the source article."""
    from kg.source import QuoteError, SourceText
    from kg.source import locate as find

    article = _source_or_exit(source)
    try:
        span = find(SourceText.read(article).text, quote, prefix)
    except QuoteError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"{span.start}\t{span.end}")


@main.command("fix-offsets")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--source", type=click.Path(dir_okay=False, path_type=Path), envvar="KG_SOURCE")
def fix_offsets_command(files: tuple[Path, ...], source: Path | None) -> None:
    """Recompute every oa:TextPositionSelector in FILES from its quote (atomic rewrite)."""
    from kg.source import QuoteError, SourceText, fix_offsets

    text = SourceText.read(_source_or_exit(source)).text
    for file in files:
        try:
            changed = fix_offsets(file, text)
        except QuoteError as err:
            raise click.ClickException(str(err)) from None
        click.echo(f"{file}: {changed} selector(s) updated")


def _source_or_exit(source: Path | None) -> Path:
    from kg.paths import source_text_path

    found = source_text_path(source)
    if found is None or not found.is_file():
        raise click.ClickException("source article not found; pass --source FILE or set KG_SOURCE")
    return found


def _load_or_exit(loader, data: Path | None):  # type: ignore[no-untyped-def]
    from kg.paths import DataDirError
    from kg.store import LoadError

    try:
        return loader(data)
    except (DataDirError, LoadError) as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(2)


# ---------------------------------------------------------------- querying
ENGINE_HELP = "memory (rdflib), oxigraph (default, in memory) or oxigraph:DIR (persistent)."


@main.command()
@click.argument("query", required=False)
@click.option("--name", "-n", help="Run a named query from queries/ (see `kg queries`).")
@click.option(
    "--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="Bind a parameter."
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["table", "json", "csv", "tsv", "xml", "turtle", "ntriples", "jsonld"]),
    help="Output format. Default: table for SELECT/ASK, turtle for CONSTRUCT/DESCRIBE.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Label language in tables.",
)
@click.option("--engine", "-e", help=ENGINE_HELP)
@click.option("--endpoint", help="Query a SPARQL 1.1 server at this URL instead.")
@click.option("--user", help="User name for an --endpoint that asks; password from $KG_PASSWORD.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Deadline in seconds.")
@click.option("--max-rows", type=int, help="Stop after this many rows.")
@click.pass_obj
def query(
    data: Path | None,
    query: str | None,
    name: str | None,
    params: tuple[str, ...],
    fmt: str | None,
    lang: str,
    engine: str | None,
    endpoint: str | None,
    user: str | None,
    timeout: float,
    max_rows: int | None,
) -> None:
    """Run a SPARQL query: QUERY text, @FILE (@- reads standard input), or --name NAME.

    Prefixes kg: kgr: ev: kgg: schema: org: prov: oa: rdfs: skos: xsd: are predeclared.
    Exit 0 answered, 2 bad query (syntax error with line and column, or refused),
    3 deadline passed, 4 engine unavailable.
    """
    from kg.query_command import EXIT_TIMEOUT, QueryRequest, execute

    request = QueryRequest(
        query, name, params, fmt, lang, engine, endpoint, timeout, max_rows, user
    )
    code, output, error = execute(data, request)
    if output:
        click.echo(output)
    if error:
        click.echo(f"error: {error}", err=True)
    if code == EXIT_TIMEOUT:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # the abandoned native evaluation must not delay the exit
    sys.exit(code)


@main.command()
@click.option("--tag", help="Only queries with this tag.")
@click.option("--show", metavar="NAME", help="Print this named query's SPARQL (header included).")
@click.pass_obj
def queries(data: Path | None, tag: str | None, show: str | None) -> None:
    """List the named queries with their summaries and parameters."""
    from kg.query_command import describe_catalogue, named_query_text

    if show is None:
        click.echo(describe_catalogue(data, tag))
        return
    try:
        click.echo(named_query_text(data, show), nl=False)
    except KeyError as err:
        click.echo(f"error: {err.args[0]}", err=True)
        sys.exit(2)


USER_HELP = "User name for servers that ask (HTTP Basic or Digest); password from $KG_PASSWORD."


@main.command()
@click.option("--endpoint", required=True, help="The server's SPARQL query URL (counts there).")
@click.option("--update", "update_url", help="Its SPARQL Update URL. Default: --endpoint.")
@click.option(
    "--graph-store", help="Its Graph Store Protocol URL: send the data by GSP, not by Update."
)
@click.option(
    "--bulk", is_flag=True, help="One N-Quads POST to --graph-store (a dataset store); fastest."
)
@click.option("--user", help=USER_HELP)
@click.option("--timeout", type=float, default=600.0, show_default=True, help="Per request, s.")
@click.pass_obj
def push(
    data: Path | None,
    endpoint: str,
    update_url: str | None,
    graph_store: str | None,
    bulk: bool,
    user: str | None,
    timeout: float,
) -> None:
    """Replace every named graph on a SPARQL server, then count each there.

    Exit 0 when the server holds every triple sent; 1 when it does not (the graphs are named)
    or a request failed; 2 when the data cannot be read.
    """
    from kg.paths import DataDirError, data_dir
    from kg.remote.client import Credentials, RemoteError
    from kg.remote.push import push as push_graphs

    try:
        layout = data_dir(data)
    except DataDirError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(2)
    try:
        report = push_graphs(
            layout,
            endpoint,
            update=update_url,
            graph_store=graph_store,
            bulk=bulk,
            credentials=Credentials.from_env(user),
            timeout=timeout,
        )
    except RemoteError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    click.echo(report.summary())
