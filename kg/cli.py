"""The ``kg`` command line. Each command is a thin wrapper over a plain function."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.paths import DataDirError
from kg.store import LoadError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    try:
        return loader(data)
    except (DataDirError, LoadError) as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(2)
