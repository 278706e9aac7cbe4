"""Source commands: ``kg sources`` (list), ``kg sources add`` and ``kg draft``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

__all__ = ["draft", "sources"]


@click.group(invoke_without_command=True)
@click.pass_context
def sources(ctx: click.Context) -> None:
    """List the sources the data describes, with how many evidence graphs each supports."""
    if ctx.invoked_subcommand is not None:
        return
    from kg.data.prefixes import shorten
    from kg.data.sources import list_sources
    from kg.graph import load

    found = list_sources(load(ctx.obj, lazy=True).dataset)
    click.echo("source\tevidence\tdrafts\tcharacters\tdate\tsha256\ttitle")
    for s in found:
        click.echo(
            f"{shorten(s.iri)}\t{s.evidence}\t{s.drafts}\t{s.characters or ''}\t{s.date or ''}"
            f"\t{s.sha256 or ''}\t{s.title or ''}"
        )


@sources.command("add")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--title", required=True, help="The article's title, as written.")
@click.option("--title-en", help="An English title (the English label); default: a placeholder.")
@click.option("--author", help="The byline author, as written.")
@click.option("--publisher", help="The outlet that published it.")
@click.option("--date", help="Publication date as precise as known: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--language", default="zh", show_default=True, help="BCP 47 language tag.")
@click.pass_obj
def add(
    data: Path | None,
    file: Path,
    title: str,
    title_en: str | None,
    author: str | None,
    publisher: str | None,
    date: str | None,
    language: str,
) -> None:
    """Record FILE as a source (fingerprint computed; the text is not copied)."""
    from kg.data.paths import data_dir, writable
    from kg.data.sources import add_source
    from kg.graph import load

    layout = writable(data_dir(data), "kg sources add")
    iri, written = add_source(
        layout,
        file,
        title=title,
        author=author,
        publisher=publisher,
        date=date,
        language=language,
        title_en=title_en,
        recorded=load(data, lazy=True).dataset,
    )
    click.echo(f"recorded <{iri}> in {written}")


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the draft here (atomically); default: standard output.",
)
@click.option("--date", help="The source's date (YYYY[-MM[-DD]]) for relative dates such as 今年.")
@click.pass_obj
def draft(data: Path | None, file: Path, output: Path | None, date: str | None) -> None:
    """Write draft evidence graphs for the plain-text article FILE (see docs/sources.md)."""
    from kg.data.output import write_text
    from kg.data.sources import read_article
    from kg.draft import make_draft
    from kg.graph import load

    if output is not None:
        from kg.data.paths import refuse_installed

        refuse_installed(output, "kg draft -o")
    text, sha = read_article(file)
    dataset = load(data, lazy=True, include_drafts=False).dataset

    def progress(done: int, total: int) -> None:
        click.echo(f"draft: {done}/{total} sentences", err=True)

    result = make_draft(
        dataset, text, sha, date=date, progress=progress if len(text) > 2000 else None
    )
    if output is None:
        sys.stdout.write(result.document)
    else:
        write_text(output, result.document)
    click.echo(result.summary(), err=True)
