"""``kg review DRAFT``: the review desk page, or its decisions from the command line."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["review"]


@click.command()
@click.argument("draft", type=click.Path(path_type=Path))
@click.argument("proposals", nargs=-1)
@click.option("--list", "listing", is_flag=True, help="List the proposals left in the draft.")
@click.option("--accept", is_flag=True, help="Accept the PROPOSALS (their facts become data).")
@click.option("--reject", is_flag=True, help="Reject the PROPOSALS (recorded, nothing moved).")
@click.option("--undo", is_flag=True, help="Undo the last decision on this draft, byte for byte.")
@click.option("--user", help="Who decides (recorded with each decision); default: $USER.")
@click.option("--note", help="A note recorded with each decision.")
@click.option(
    "--text",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The article (to show it and check quotes); default: its recorded file name, beside "
    "the draft or here.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="The page's port (0: any).")
@click.option("--no-browser", is_flag=True, help="Print the page's address; do not open it.")
@click.pass_obj
def review(
    data: Path | None,
    draft: Path,
    proposals: tuple[str, ...],
    listing: bool,
    accept: bool,
    reject: bool,
    undo: bool,
    user: str | None,
    note: str | None,
    text: Path | None,
    port: int,
    no_browser: bool,
) -> None:
    r"""Review DRAFT (written by `kg draft`): without an action, open the desk page (127.0.0.1).

    \b
    kg review DRAFT --list
    kg review DRAFT --accept draft-1a2b3c4d-000021-1 draft-1a2b3c4d-000057-1
    kg review DRAFT --reject draft-1a2b3c4d-000111-1 --note "not a fact"
    kg review DRAFT --undo
    """
    from kg.data.paths import data_dir
    from kg.errors import UsageError
    from kg.review.desk import Desk

    actions = [
        name
        for name, on in (
            ("--list", listing),
            ("--accept", accept),
            ("--reject", reject),
            ("--undo", undo),
        )
        if on
    ]
    if len(actions) > 1:
        raise UsageError(f"choose one of {', '.join(actions)}")
    if proposals and not (accept or reject):
        raise UsageError("proposal names go with --accept or --reject")
    if (accept or reject) and not proposals:
        raise UsageError(f"{actions[0]} needs the names of proposals (see --list)")
    desk = Desk(data_dir(data, include_drafts=False), draft, user=user, text=text)
    if listing:
        for p in desk.draft().proposals():
            facts = ", ".join(str(f).rsplit("/", 1)[-1] for f in p.facts)
            click.echo(f"{p.name}\t{p.start}-{p.end}\t{facts}\t{p.quote}")
        return
    with desk:
        if undo:
            click.echo("undone: " + desk.undo())
        elif accept or reject:
            decide = desk.accept if accept else desk.reject
            for name in proposals:
                click.echo(decide(name, note))
        else:
            _serve(desk, port, no_browser)


def _serve(desk: object, port: int, no_browser: bool) -> None:
    from kg.errors import EnvironmentProblem
    from kg.review.desk import Desk
    from kg.review.server import make_server

    assert isinstance(desk, Desk)
    try:
        server = make_server(desk, port)
    except OSError as err:
        raise EnvironmentProblem(f"cannot listen on 127.0.0.1:{port}: {err.strerror}") from None
    click.echo(f"review desk: {server.url} (Ctrl-C to close)", err=True)
    if not no_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
