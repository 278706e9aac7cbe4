"""The ``kg`` command line: the group, lazy command loading and the one error policy.

Every command lives in a module of :mod:`kg.cli` and is imported only when used, so that
``kg query`` starts fast. An error raised on purpose (:class:`kg.errors.KgError`) ends the
command with ``error: …`` on standard error and the exit code of its family (see
:mod:`kg.errors`): 1 findings, 2 usage or input, 3 environment.

``-v`` logs what every command does on standard error (every ``kg.*`` logger at INFO: data
loaded, engines opened, files written, requests sent, checks run); ``-vv`` adds DEBUG (each
query's form, size and time) and the traceback of an error.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any, ClassVar

import click

from kg.cli.failure import report
from kg.errors import KgError
from kg.logs import Log

log = Log("kg.cli")
#: The name of the handler ``-v`` adds to the ``kg`` logger (replaced, not added again).
_HANDLER = "kg-cli"


class LazyGroup(click.Group):
    """A group whose commands are imported only when used, with one error→exit-code mapping."""

    LAZY: ClassVar[dict[str, str]] = {
        "validate": "kg.cli.data:validate",
        "stats": "kg.cli.data:stats",
        "locate": "kg.cli.data:locate",
        "fix-offsets": "kg.cli.data:fix_offsets_command",
        "query": "kg.cli.query:query",
        "ask": "kg.cli.query:ask",
        "queries": "kg.cli.query:queries",
        "push": "kg.cli.query:push",
        "viz": "kg.cli.explore:viz",
        "export": "kg.cli.explore:export_command",
        "path": "kg.cli.explore:path",
        "central": "kg.cli.explore:central",
        "describe": "kg.cli.names:describe",
        "search": "kg.cli.names:search",
        "docs": "kg.cli.docs:docs",
        "serve": "kg.cli.serve:serve",
        "sources": "kg.cli.sources:sources",
        "draft": "kg.cli.sources:draft",
        "xref": "kg.cli.identity:xref",
        "merge": "kg.cli.identity:merge",
        "split": "kg.cli.identity:split",
        "init": "kg.cli.init:init",
        "review": "kg.cli.review:review",
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

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a :class:`KgError` becomes its message and its exit code."""
        import time

        started = time.perf_counter()
        command = ctx.protected_args[0] if ctx.protected_args else ""
        try:
            return super().invoke(ctx)
        except KgError as err:
            log.info("kg %s: %s", command, type(err).__name__)
            ctx.exit(report(err, ctx.meta.get("kg.verbose", 0)))
        finally:
            log.info("kg %s: ended after %.2f s", command, time.perf_counter() - started)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="KG_DATA",
    help="Data folder (ontology.ttl, shapes.ttl, triples/, queries/). Default: the shipped data.",
)
@click.option(
    "--include-drafts",
    is_flag=True,
    envvar="KG_INCLUDE_DRAFTS",
    help="Add the draft evidence graphs (triples/drafts/) to the data; left out by default.",
)
@click.option("-v", "--verbose", count=True, help="Log what happens (-vv: debug, tracebacks).")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines on the terminal.")
@click.version_option(package_name="zhipu-kg")
@click.pass_context
def main(
    ctx: click.Context, data: Path | None, include_drafts: bool, verbose: int, quiet: bool
) -> None:
    """zhipu-kg: a bilingual, evidence-backed knowledge graph of Zhipu AI (智谱).

    Exit codes: 0 done, 1 findings (invalid data, no path, unverified push), 2 usage or input
    error, 3 environment (engine, endpoint, deadline, port).
    """
    ctx.meta["kg.verbose"] = verbose
    if quiet:
        from kg.progress import set_quiet

        set_quiet()
    if include_drafts:  # every data_dir() call, and the server's forked workers, read this
        import os

        os.environ["KG_INCLUDE_DRAFTS"] = "1"
    if verbose:
        configure_logging(verbose)
        log.info("kg %s, data %s", ctx.invoked_subcommand, data or "shipped")
    ctx.obj = data


def configure_logging(verbose: int) -> None:
    """Show the records of every ``kg.*`` logger on standard error: INFO, or DEBUG (``-vv``).

    Only the ``kg`` logger is configured (the libraries' own loggers stay quiet); ``kg serve``
    adds no handler of its own when it finds this one.
    """
    import logging  # only when asked: it costs a cold start 20 ms

    logger = logging.getLogger("kg")
    for old in [h for h in logger.handlers if h.get_name() == _HANDLER]:
        logger.removeHandler(old)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
