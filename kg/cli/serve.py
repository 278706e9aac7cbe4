"""The ``kg serve`` command: a thin wrapper over :func:`kg.server.front.serve`.

Its options are made from the server's setting records (:mod:`kg.server.settings`): one
option per :class:`~kg.server.settings.ServerConfig` field, with that field's flag, bounds,
help and default.

Register it on the main group with ``main.add_command(serve)``; like the other commands it reads
the data folder from the group's context object (``kg --data DIR serve``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg.errors import EnvironmentProblem
from kg.server.settings import ServerConfig, Setting, settings
from kg.server.workers import default_size

__all__ = ["serve"]


def _option(name: str, default: Any, record: Setting) -> Callable[[Any], Any]:
    """A click option made from a setting's record (its flag, bounds, help and default)."""
    kind = ServerConfig.__dataclass_fields__[name].type
    value_type: Any = None
    if kind.startswith("int"):
        low, high = record.minimum, record.maximum
        value_type = click.IntRange(
            min=None if low is None else int(low), max=None if high is None else int(high)
        )
    elif kind.startswith("float"):
        value_type = click.FloatRange(
            min=record.minimum, max=record.maximum, min_open=record.open_minimum
        )
    declared = [record.flag, *([record.short] if record.short else []), name]
    return click.option(
        *declared,
        type=value_type,
        default=None if default in (None, ()) else default,
        multiple=kind.startswith("tuple"),
        metavar=record.metavar,
        show_default=record.shown or (default not in (None, ())),
        help=record.help,
    )


def _with_settings(command: Callable[..., None]) -> Callable[..., None]:
    """Give ``command`` one option per server setting, in the settings' order."""
    for name, default, record in reversed(list(settings())):
        command = _option(name, default_size if name == "workers" else default, record)(command)
    return command


@click.command()
@_with_settings
@click.option(
    "--include-drafts",
    is_flag=True,
    help="Add the draft evidence graphs (triples/drafts/) to what the server answers from.",
)
@click.option(
    "--as-of",
    metavar="YYYY-MM-DD",
    help="Answer from the data as known on this day (sources published by then; the query page "
    "and the explorer alike).",
)
@click.pass_obj
def serve(data: Path | None, /, include_drafts: bool, as_of: str | None, **given: Any) -> None:
    """Serve the SPARQL 1.1 Protocol at /sparql, the query page at / and the explorer.

    Read-only; every query runs with the limits below in a worker process. Exit 2 when the
    data folder is wrong, 3 when the engine fails, the address cannot be bound or the worker
    factory stops. SIGTERM drains: in-flight requests finish (up to --grace), then exit 0.
    """
    from kg.server.front import serve as run_server

    if include_drafts:  # read by data_dir() here and in the forked workers
        import os

        os.environ["KG_INCLUDE_DRAFTS"] = "1"
    if as_of is not None:  # checked here (one line, exit 2); read by data_dir() in the workers
        import os

        from kg.data.asof import parse_as_of

        os.environ["KG_AS_OF"] = parse_as_of(as_of).isoformat()

    config = ServerConfig(data=data, **given)
    from kg.sandbox import second_wall

    unavailable = second_wall()
    if unavailable is not None:
        click.echo(
            f"warning: {unavailable}; queries are kept off the network by the static check "
            "and the audit hook only",
            err=True,
        )

    def announce(line: str) -> None:
        click.echo(line)
        if line.startswith("SPARQL endpoint:"):  # the last address: the server is up
            click.echo("Press Ctrl-C to stop the server.")

    try:
        run_server(config, announce=announce)
    except OSError as err:
        hint = " (is another server on it? try --port 0 for any free port)" if _busy(err) else ""
        raise EnvironmentProblem(
            f"cannot serve on {config.host}:{config.port}: {err.strerror or err}{hint}"
        ) from None


def _busy(err: OSError) -> bool:
    import errno

    return err.errno == errno.EADDRINUSE
