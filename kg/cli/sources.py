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

    from kg.progress import progress

    with progress(0, "drafting", unit="sentences") as bar:

        def step(done: int, total: int) -> None:
            bar.total = total
            bar.advance(done - bar.done)

        result = make_draft(dataset, text, sha, date=date, progress=step)
    if output is None:
        sys.stdout.write(result.document)
    else:
        write_text(output, result.document)
    click.echo(result.summary(), err=True)


@sources.command("remove")
@click.argument("source", required=False)
@click.option("--undo", "undo_last", is_flag=True, help="Put back the files of the last removal.")
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.pass_obj
def remove(data: Path | None, source: str | None, undo_last: bool, dry_run: bool) -> None:
    """Remove SOURCE (IRI, kgr:Name or Name) and every fact that rests on it alone.

    Facts that also rest on another source stay, with that evidence; every other file stays
    byte for byte. The prior bytes are kept in the data folder's .kg-journal/ (--undo).
    """
    from kg.data.journal import undo
    from kg.data.paths import data_dir
    from kg.data.prefixes import shorten
    from kg.data.removal import apply_removal, plan_removal
    from kg.errors import UsageError

    layout = data_dir(data)
    if undo_last:
        if source is not None:
            raise UsageError("kg sources remove --undo takes no SOURCE: it undoes the last removal")
        verb, restored, files = undo(layout)
        click.echo(f"undid {verb} of {shorten(restored)}: {len(files)} file(s) restored")
        return
    if source is None:
        raise UsageError("kg sources remove needs a SOURCE (kg sources lists them) or --undo")
    removal = plan_removal(layout, source)
    for path, text in sorted(removal.files.items()):
        what = "delete" if text is None else "rewrite" if path in removal.rewritten else "edit"
        click.echo(f"{what}\t{path.relative_to(layout.root)}")
    summary = (
        f"{shorten(removal.source)}: {len(removal.graphs)} evidence graph(s), "
        f"{removal.statements} statement(s)"
    )
    if dry_run:
        click.echo(f"would remove {summary}; nothing written")
        return
    entry = apply_removal(layout, removal)
    click.echo(f"removed {summary}; undo: kg sources remove --undo ({entry.name})")


@sources.command("replace")
@click.argument("source")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option(
    "--no-draft", is_flag=True, help="Do not re-draft FILE into triples/drafts/<name>.trig."
)
@click.pass_obj
def replace(data: Path | None, source: str, file: Path, dry_run: bool, no_draft: bool) -> None:
    """Give SOURCE the corrected text FILE: its quotes re-anchored, its fingerprint renewed.

    A quote FILE no longer holds is listed, one line each (exit 1): its fact needs review.
    FILE is re-drafted into triples/drafts/<name>.trig (proposals for the review desk).
    Undo with kg sources remove --undo (the last source edit, byte for byte).
    """
    from kg.data.paths import data_dir
    from kg.data.prefixes import shorten
    from kg.data.replacement import apply_replacement, plan_replacement
    from kg.errors import Findings

    layout = data_dir(data)
    replacement = plan_replacement(layout, source, file)
    moved = [a for a in replacement.anchors if a.new is not None and a.new != a.old]
    for path in sorted(replacement.files):
        click.echo(f"edit\t{path.relative_to(layout.root)}")
    summary = (
        f"{shorten(replacement.source)}: {len(replacement.anchors)} quote(s), {len(moved)} "
        f"re-anchored, {len(replacement.lost)} no longer in {file.name}"
    )
    if dry_run:
        click.echo(f"would replace {summary}; nothing written")
    else:
        local = replacement.source.rsplit("/", 1)[-1]
        drafted = () if no_draft else (layout.drafts_dir / f"{local}.trig",)
        entry = apply_replacement(layout, replacement, drafted)
        for target in drafted:
            _redraft(data, file, target)
        click.echo(f"replaced {summary}; undo: kg sources remove --undo ({entry.name})")
    if replacement.lost:
        for anchor in replacement.lost:
            click.echo(
                f"{shorten(anchor.graph)}: quote at {anchor.old[0]}–{anchor.old[1]} no longer "
                f"in {file.name}: “{anchor.quote[:40]}”",
                err=True,
            )
        raise Findings(f"{len(replacement.lost)} reviewed quote(s) to re-check by hand")


def _redraft(data: Path | None, file: Path, target: Path) -> None:
    """Draft ``file`` (the source's new text, already recorded) into ``target``."""
    from kg.data.output import write_text
    from kg.data.sources import read_article
    from kg.draft import make_draft
    from kg.graph import load

    text, sha = read_article(file)
    result = make_draft(load(data, lazy=True, include_drafts=False).dataset, text, sha)
    target.parent.mkdir(exist_ok=True)
    write_text(target, result.document)
    click.echo(f"drafted\t{target.parent.name}/{target.name} ({result.summary()})")
