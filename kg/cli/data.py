"""Data commands: ``kg validate``, ``kg stats``, ``kg locate`` and ``kg fix-offsets``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.errors import UsageError

__all__ = ["fix_offsets_command", "locate", "stats", "validate"]

NO_ARTICLE = (
    "the source article is not here: the project quotes it but does not ship it; "
    "pass --source FILE (or set KG_SOURCE) with the article's text"
)


@click.command()
@click.option(
    "--source",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="KG_SOURCE",
    help="The source article (default: shared/seeds/ beside the checkout).",
)
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder of source texts: each quote is checked against its own source (by SHA-256).",
)
@click.pass_obj
def validate(data: Path | None, source: Path | None, sources: Path | None) -> None:
    """Check syntax, cross-parse, SHACL, quotes and amounts. Exit 0 valid, 1 invalid, 2 error.

    Without the source article the quote checks are skipped and named; the rest still runs.
    """
    from kg.validate import validate_files

    report = validate_files(data, source, sources)
    click.echo(report.summary(), err=report.exit_code == 2)
    sys.exit(report.exit_code)


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_obj
def stats(data: Path | None, fmt: str) -> None:
    """Print counts by class, facts with evidence and languages covered."""
    from kg.graph import load

    result = load(data, lazy=True).stats()  # the rdflib dataset alone: one parse
    click.echo(
        json.dumps(result.as_dict(), ensure_ascii=False, indent=2)
        if fmt == "json"
        else result.as_text()
    )


@click.command()
@click.argument("quote")
@click.option("--prefix", help="Text just before the wanted occurrence, when the quote repeats.")
@click.option("--source", type=click.Path(dir_okay=False, path_type=Path), envvar="KG_SOURCE")
def locate(quote: str, prefix: str | None, source: Path | None) -> None:
    """Print the code-point offsets of QUOTE in the source article."""
    from kg.data.source import SourceText
    from kg.data.source import locate as find

    article = _source_or_exit(source)
    span = find(SourceText.read(article).text, quote, prefix)
    click.echo(f"{span.start}\t{span.end}")


@click.command("fix-offsets")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--source", type=click.Path(dir_okay=False, path_type=Path), envvar="KG_SOURCE")
def fix_offsets_command(files: tuple[Path, ...], source: Path | None) -> None:
    """Recompute every oa:TextPositionSelector in FILES from its quote (atomic rewrite)."""
    from kg.data.source import SourceText, fix_offsets

    text = SourceText.read(_source_or_exit(source)).text
    for file in files:
        changed = fix_offsets(file, text)
        click.echo(f"{file}: {changed} selector(s) updated")


class SourceMissing(UsageError):
    """The source article is needed and was not found."""


def _source_or_exit(source: Path | None) -> Path:
    from kg.data.paths import source_text_path

    found = source_text_path(source)
    if found is None or not found.is_file():
        raise SourceMissing(NO_ARTICLE if source is None else f"source article not found: {source}")
    return found
