"""``kg query``'s work as plain functions, without click: read, run, render, print.

The console script (:mod:`kg.cli.entry`) calls :func:`answer` directly for a plain
``kg query`` (no click to import: a cold start costs what the query costs), and the click
command of :mod:`kg.cli.query` calls the same function, so both print the same thing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kg.errors import UsageError
from kg.query.results import QueryResult

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["Answer", "QueryRequest", "answer", "emit", "execute", "render"]


class QueryRequest(NamedTuple):
    """One ``kg query`` invocation.

    Attributes:
        text: Query text, or ``@FILE``.
        name: A named query instead of ``text``.
        params: ``NAME=VALUE`` strings for the named query's parameters.
        fmt: Output format, or ``None`` for the default of the query form.
        lang: Label language for tables; given, the other language's columns are dropped.
        engine: Engine spec (``memory``, ``oxigraph``, ``oxigraph:DIR``).
        endpoint: A SPARQL server URL instead of a local engine.
        timeout: Deadline in seconds.
        max_rows: Row cap.
        user: User name for an endpoint that asks (password from ``$KG_PASSWORD``).
        as_of: The data as known on this day (``YYYY-MM-DD``; see :mod:`kg.data.asof`).
        allow_partial: Print an endpoint's incomplete answer with a warning instead of
            refusing it (exit 1).
    """

    text: str | None
    name: str | None
    params: tuple[str, ...]
    fmt: str | None
    lang: str | None
    engine: str | None
    endpoint: str | None
    timeout: float
    max_rows: int | None
    user: str | None = None
    as_of: str | None = None
    allow_partial: bool = False


class Answer(NamedTuple):
    """What ``kg query`` prints.

    Attributes:
        text: The rendered answer.
        warnings: An endpoint's word that the answer is incomplete (when allowed), and terms
            the data does not know (with suggestions).
        misleading: True when a warning makes the answer untrustworthy: an ASK, or no rows.
    """

    text: str
    warnings: tuple[str, ...] = ()
    misleading: bool = False


def execute(
    data: Path | None, request: QueryRequest, graph: KnowledgeGraph | None = None
) -> Answer:
    """Run a request and return its rendered answer, with warnings about unknown terms.

    Args:
        data: The data folder (``None``: the default).
        request: What to run.
        graph: The graph already loaded for this request, if any (it is loaded once).

    Raises:
        kg.errors.KgError: Any failure, with its exit code (see :mod:`kg.errors`).
    """
    if graph is None:
        from kg.graph import load

        graph = load(data, request.engine, request.endpoint, user=request.user, as_of=request.as_of)
    local = request.endpoint is None
    bindings = {}
    warnings: list[str] = []
    names = None
    if request.name:
        from kg.query.catalogue import bind_params, load_query

        named = load_query(request.name, graph.layout)
        text = named.text
        raw = dict(_split(p) for p in request.params)
        if local and any(named.param(key).type == "iri" for key in raw):
            names = graph.names
        bindings = bind_params(named, raw, names, warnings)
    elif request.text:
        text = _read_text(request.text)
        if request.params:
            raise UsageError("--param works with --name")
    else:
        raise UsageError("give a query, @FILE, @- (standard input) or --name NAME")
    result = graph.query(
        text,
        bindings,
        timeout=request.timeout,
        max_rows=request.max_rows,
        allow_partial=request.allow_partial,
    )
    if local:
        from kg.query.terms import unknown_terms

        warnings += unknown_terms(graph.engine, text, names)
    misleading = bool(warnings) and (result.askAnswer is not None or len(result) == 0)
    if result.partial is not None:  # allowed: said, and not taken for an unknown term
        warnings.insert(0, f"the answer is incomplete: {result.partial}")
    rendered = render(graph, result, request.fmt, request.lang)
    return Answer(rendered, tuple(warnings), misleading)


def _split(param: str) -> tuple[str, str]:
    name, sep, value = param.partition("=")
    if not sep or not name:
        raise UsageError(f"--param needs NAME=VALUE, got {param!r}")
    return name.strip(), value


def _read_text(text: str) -> str:
    """The query itself, or the contents of ``@FILE`` (``@-``: standard input)."""
    if text == "@-":
        return sys.stdin.read()
    if text.startswith("@"):
        try:
            return Path(text[1:]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise UsageError(f"cannot read the query file {text[1:]}: {err}") from None
    return text


def render(graph: object, result: QueryResult, fmt: str | None, lang: str | None) -> str:
    """Serialise ``result``; a table is labelled in ``lang`` and fits the terminal."""
    from kg.graph import KnowledgeGraph

    chosen = fmt or ("turtle" if result.is_graph else "table")
    if chosen != "table" or result.is_graph:
        return result.serialize(chosen).rstrip("\n")
    from kg.query.table import terminal_width, to_table

    labels: dict[str, str] = {}
    if isinstance(graph, KnowledgeGraph):
        iris = {
            t.value
            for row in result.rows
            for t in row
            if t is not None and type(t).__name__ == "NamedNode"
        }
        labels = graph.labels(iris, lang or "zh") if iris else {}
    return to_table(result, labels, width=terminal_width(), lang=lang).rstrip("\n")


def emit(text: str) -> None:
    """Print ``text``; through a pager when it is longer than a terminal's screen.

    Only when both standard input and output are a terminal (never in a pipe or a file): then
    ``$PAGER`` (or ``less``, told ``-FRX`` unless ``$LESS`` says otherwise) shows it.
    """
    if sys.stdout.isatty() and sys.stdin.isatty():
        import shutil

        if text.count("\n") + 2 > shutil.get_terminal_size().lines:
            import pydoc

            os.environ.setdefault("LESS", "FRX")
            pydoc.pager(text)
            return
    print(text)


def answer(data: Path | None, request: QueryRequest, graph: KnowledgeGraph | None = None) -> None:
    """Run ``request`` and print the answer on standard output, warnings on standard error.

    Raises:
        kg.errors.UsageError: The answer mentions terms the data does not know (after printing
            it with the warnings that name them).
        kg.errors.KgError: Any other failure, with its exit code (see :mod:`kg.errors`).
    """
    from kg.query.run import QueryTimeout

    try:
        result = execute(data, request, graph)
    except QueryTimeout as err:
        print(f"error: {err}", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(err.exit_code)  # the abandoned native evaluation must not delay the exit
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    emit(result.text)
    if result.misleading:
        raise UsageError("the answer above mentions terms the data does not know (see warnings)")
