"""Identity commands: ``kg xref`` (candidates), ``kg merge`` (judgements, undo), ``kg split``.

The CLI only parses arguments and resolves names (with did-you-mean, through
:mod:`kg.query.resolve`); :mod:`kg.identity` does the work.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.data.prefixes import shorten

if TYPE_CHECKING:
    from kg.query.resolve import Names

__all__ = ["merge", "split", "xref"]


@click.command()
@click.option(
    "--draft",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A `kg draft` document: list the pairs its new entities (kgg:draft-curation) make.",
)
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.5, show_default=True)
@click.option("--judged", is_flag=True, help="List the judgements made so far instead.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
def xref(data: Path | None, draft: Path | None, min_score: float, judged: bool, fmt: str) -> None:
    """List pairs of entities that may be one, best first, each with its score and evidence.

    Evidence: names that match once case, script (繁/简), spacing and legal forms (有限公司,
    Inc.) are set aside, labels and aliases alike; roles both take with the same other party;
    their classes. Pairs judged already (kg merge, --not-same, --unsure) are not listed.
    """
    from kg.data.paths import data_dir
    from kg.identity.judgements import judgements_path, read
    from kg.identity.loading import draft_candidates, judged_pairs, load_store
    from kg.identity.xref import candidates

    layout = data_dir(data)
    if judged:
        made = read(judgements_path(layout.triples_dir))
        if fmt == "json":
            rows = [{**j.__dict__, "iri": shorten(j.iri)} for j in made]
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        for j in made if fmt == "table" else []:
            why = f" — {j.why}" if j.why else ""
            click.echo(
                f"{j.when}  {j.verdict:<7}  {shorten(j.left)}  {shorten(j.right)}  by {j.user}{why}"
            )
        return
    if draft is not None:
        found = draft_candidates(layout, draft, min_score=min_score)
    else:
        found = candidates(load_store(layout), judged_pairs(layout), min_score=min_score)
    if fmt == "json":
        click.echo(json.dumps([c.as_dict() for c in found], ensure_ascii=False, indent=2))
        return
    click.echo("score\tleft\tright\tevidence")
    for c in found:
        names = "; ".join(f"{a} ~ {b} ({how})" for a, b, how in c.names)
        roles = f"; roles: {', '.join(c.roles)}" if c.roles else ""
        click.echo(
            f"{c.score:.2f}\t{c.left_name} ({shorten(c.left)})\t{c.right_name}"
            f" ({shorten(c.right)})\tnames: {names}{roles}; {c.classes}"
        )
    click.echo(f"{len(found)} candidate pair(s)", err=True)


def _iri(names: Names, text: str) -> str:
    """What ``text`` names, a referent's own IRI included (undo and split need it)."""
    from kg.query.resolve import parse_iri

    iri = parse_iri(text)
    if iri is not None and iri in names.referents:
        return iri
    return names.resolve(text)


@click.command()
@click.argument("left")
@click.argument("right")
@click.option("--why", default="", help="Why: recorded with the judgement.")
@click.option(
    "--user",
    envvar="KG_USER",
    default=lambda: os.environ.get("USER") or "unknown",
    help="Who judges (default: $KG_USER, else $USER).",
)
@click.option("--not-same", "verdict", flag_value="NotSame", help="Judge them different.")
@click.option("--unsure", "verdict", flag_value="Unsure", help="Judge that you cannot tell.")
@click.option("--force", is_flag=True, help="Merge even a person with a company, say.")
@click.option("--undo", is_flag=True, help="Remove the judgement about LEFT and RIGHT.")
@click.pass_obj
def merge(
    data: Path | None,
    left: str,
    right: str,
    why: str,
    user: str,
    verdict: str | None,
    force: bool,
    undo: bool,
) -> None:
    """Merge RIGHT into LEFT: LEFT stays canonical, RIGHT's IRI becomes its referent.

    Queries, `kg describe`, entity URLs and every name of either entity then find LEFT, which
    carries both entities' statements. The judgement (who, when, why) is recorded in
    triples/identity/judgements.trig; `kg merge --undo LEFT RIGHT` removes it, leaving every
    file as it was. With --not-same or --unsure the judgement only keeps the pair out of
    `kg xref`. Exit 2 for an unknown entity (with the closest names), an entity judged
    against itself, a pair judged already, a circle of merges, or unrelated classes.
    """
    from kg.data.paths import data_dir
    from kg.errors import InvalidValue
    from kg.graph import load
    from kg.identity.judgements import judgements_path
    from kg.identity.loading import judge
    from kg.identity.merge import undo as identity_undo

    layout = data_dir(data)
    names = load(data).names
    if undo:
        done = identity_undo(layout.triples_dir, _iri(names, left), _iri(names, right))
        click.echo(f"undone: {done.verdict} {shorten(done.left)} {shorten(done.right)}")
        return
    a, b = names.resolve(left), names.resolve(right)
    if a == b:
        if _iri(names, left) != _iri(names, right):
            raise InvalidValue(f"{left!r} and {right!r} are one entity already ({shorten(a)})")
        raise InvalidValue(f"{left!r} and {right!r} both name {shorten(a)}: merging it with itself")
    judgement = judge(layout, verdict or "SameAs", a, b, user=user, why=why, force=force)
    path = judgements_path(layout.triples_dir)
    click.echo(
        f"{judgement.verdict} {shorten(a)} {shorten(b)} recorded in {path}"
        f" ({shorten(judgement.iri)}); undo: kg merge --undo {shorten(a)} {shorten(b)}"
    )


@click.command()
@click.argument("name")
@click.pass_obj
def split(data: Path | None, name: str) -> None:
    """Undo the merge that made NAME (an old IRI or CURIE) a referent.

    Every file is left as it was before that merge (when it was the last judgement made).
    """
    from kg.data.paths import data_dir
    from kg.graph import load
    from kg.identity.merge import split as identity_split

    layout = data_dir(data)
    done = identity_split(layout.triples_dir, _iri(load(data).names, name))
    click.echo(f"split {shorten(done.right)} from {shorten(done.left)}")
