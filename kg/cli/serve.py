"""The ``kg serve`` command: a thin wrapper over :func:`kg.server.front.serve`.

Register it on the main group with ``main.add_command(serve)``; like the other commands it reads
the data folder from the group's context object (``kg --data DIR serve``).
"""

from __future__ import annotations

from pathlib import Path

import click

from kg.errors import EnvironmentProblem
from kg.server.workers import default_size

__all__ = ["serve"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="0: any free port.",
)
@click.option(
    "--engine", "-e", help="memory (rdflib), oxigraph (default, in memory) or oxigraph:DIR."
)
@click.option("--endpoint", help="Relay queries to this SPARQL 1.1 server instead.")
@click.option(
    "--user",
    help="For --endpoint: user name for servers that ask (HTTP Basic or Digest); "
    "password from $KG_PASSWORD.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Limit: deadline of each query in seconds; its worker process is then killed.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Limit: rows per answer; a cut answer says so (header X-KG-Truncated: true).",
)
@click.option(
    "--max-request-bytes",
    type=click.IntRange(min=1024),
    default=1 << 20,
    show_default=True,
    help="Limit: largest request body or URL, in bytes.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=default_size,
    show_default="twice the cores, at least 4",
    help="Limit: worker processes, i.e. queries that run at once.",
)
@click.option(
    "--max-connections",
    type=click.IntRange(min=1),
    default=1024,
    show_default=True,
    help="Limit: connections open at once; more are shed with a 503.",
)
@click.option(
    "--max-per-client",
    type=click.IntRange(min=1),
    default=256,
    show_default=True,
    help="Limit: connections open at once from one client address; more are shed with a 503.",
)
@click.option(
    "--head-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Limit: seconds to receive a whole request head (also the keep-alive idle limit).",
)
@click.option(
    "--body-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=20.0,
    show_default=True,
    help="Limit: seconds to receive a whole request body (then 408).",
)
@click.option(
    "--grace",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="Limit: seconds in-flight requests may take to finish after SIGTERM.",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Limit: also answer requests whose Host is NAME (repeatable). Always allowed: "
    "localhost, 127.0.0.1, [::1].",
)
@click.option(
    "--cors",
    metavar="ORIGIN",
    help="Limit: let pages of this one origin read answers (no CORS header without it).",
)
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
def serve(
    data: Path | None,
    host: str,
    port: int,
    engine: str | None,
    endpoint: str | None,
    user: str | None,
    timeout: float,
    max_rows: int,
    max_request_bytes: int,
    workers: int,
    max_connections: int,
    max_per_client: int,
    head_timeout: float,
    body_timeout: float,
    grace: float,
    allow_hosts: tuple[str, ...],
    cors: str | None,
    include_drafts: bool,
    as_of: str | None,
) -> None:
    """Serve the SPARQL 1.1 Protocol at /sparql, the query page at / and the explorer.

    Read-only; every query runs with the limits below in a worker process. Exit 2 when the
    data folder is wrong, 3 when the engine fails, the address cannot be bound or the worker
    factory stops. SIGTERM drains: in-flight requests finish (up to --grace), then exit 0.
    """
    from kg.server.app import ServerConfig
    from kg.server.front import serve as run_server

    if include_drafts:  # read by data_dir() here and in the forked workers
        import os

        os.environ["KG_INCLUDE_DRAFTS"] = "1"
    if as_of is not None:  # checked here (one line, exit 2); read by data_dir() in the workers
        import os

        from kg.data.asof import parse_as_of

        os.environ["KG_AS_OF"] = parse_as_of(as_of).isoformat()

    config = ServerConfig(
        host=host,
        port=port,
        data=data,
        engine=engine,
        endpoint=endpoint,
        user=user,
        timeout=timeout,
        max_rows=max_rows,
        max_request_bytes=max_request_bytes,
        workers=workers,
        max_connections=max_connections,
        max_per_client=max_per_client,
        head_timeout=head_timeout,
        body_timeout=body_timeout,
        grace=grace,
        allow_hosts=allow_hosts,
        cors=cors,
    )
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
            f"cannot serve on {host}:{port}: {err.strerror or err}{hint}"
        ) from None


def _busy(err: OSError) -> bool:
    import errno

    return err.errno == errno.EADDRINUSE
