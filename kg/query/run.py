"""Run a SPARQL query safely, on any engine.

This is the one code path that the CLI, the Python API and the server share.

:func:`run` applies, in order:

1. the static rules of :mod:`kg.query.safety` (size cap, no ``SERVICE``, no updates, nesting depth);
2. a deadline (default :data:`DEFAULT_TIMEOUT` seconds): the query runs in a worker thread, and
   the caller gets :class:`QueryTimeout` when time is up. rdflib's pure-Python evaluation is
   interrupted in its thread; pyoxigraph evaluates natively with the GIL released and is
   abandoned (the CLI then exits; the server runs queries in processes it can kill);
3. no network, behind two walls (:mod:`kg.sandbox`): while the worker runs, an audit hook
   refuses every socket connection and URL open from that thread, except to the hosts of the
   engine's ``outbound`` (a remote server's); and on a local engine a seccomp filter makes the
   kernel refuse the thread any network socket at all (pyoxigraph's native client included).
   ``FROM`` / ``FROM NAMED`` resolve against graphs in the dataset only (unknown ones are empty).

Syntax errors come back as :class:`QuerySyntaxError` with line and column.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from kg.errors import EnvironmentProblem, UsageError
from kg.logs import Log
from kg.query.engines import Engine
from kg.query.results import QueryResult, Term
from kg.query.safety import MAX_QUERY_CHARS, QueryRejected, analyse
from kg.sandbox import no_outbound, wall_off_network

DEFAULT_TIMEOUT = 30.0
T = TypeVar("T")

__all__ = [
    "DEFAULT_TIMEOUT",
    "QueryRejected",
    "QuerySyntaxError",
    "QueryTimeout",
    "run",
]

log = Log(__name__)


class QueryTimeout(EnvironmentProblem, TimeoutError):
    """The query did not finish before its deadline."""


class QuerySyntaxError(UsageError, ValueError):
    """The query text does not parse.

    The message is built by :func:`kg.query.syntax.explain` when the text is known: line,
    column, the cause in a few words, then the line itself with a caret under the spot.

    Attributes:
        line: 1-based line of the error, when known.
        column: 1-based column, when known.
    """

    def __init__(
        self,
        message: str,
        line: int | None = None,
        column: int | None = None,
        *,
        explained: str | None = None,
    ) -> None:
        self.line = line
        self.column = column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"syntax error: {explained or where + message}")


# ---------------------------------------------------------------- no network while querying
_NETWORK_REFUSED = (
    "the query tried to open a network connection; kg makes no outbound requests "
    "(SERVICE and remote FROM graphs are not fetched)"
)


def _refused_connection(err: BaseException) -> bool:
    """Whether ``err`` is a wall's refusal: a PermissionError, or one wrapped (urllib's)."""
    return isinstance(err, PermissionError) or isinstance(
        getattr(err, "reason", None), PermissionError
    )


# ---------------------------------------------------------------- the deadline
def _interrupt(thread: threading.Thread) -> None:
    """Raise QueryTimeout inside ``thread`` at its next Python bytecode (rdflib stops there)."""
    import ctypes  # only when a deadline passes; it costs 5 ms of every cold start

    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(thread.ident), ctypes.py_object(QueryTimeout)
        )


def call_with_deadline(
    work: Callable[[], T], timeout: float | None, allowed_hosts: frozenset[str] = frozenset()
) -> T:
    """Run ``work`` in a new thread with no network, waiting at most ``timeout`` seconds.

    With no ``allowed_hosts`` the thread is walled off for good
    (:func:`kg.sandbox.wall_off_network`) before ``work`` starts; it ends with ``work``.

    Raises:
        QueryTimeout: When the deadline passes first.
    """
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            if not allowed_hosts:
                wall_off_network()
            with no_outbound(allowed_hosts):
                outcome["value"] = work()
        except BaseException as err:  # handed to the caller below
            # A wall's refusal is told in words; the engine's error (and the frames it holds,
            # pyoxigraph's unsendable results among them) stays in this thread.
            outcome["error"] = QueryRejected(_NETWORK_REFUSED) if _refused_connection(err) else err

    worker = threading.Thread(target=target, name="kg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        _interrupt(worker)
        raise QueryTimeout(f"query stopped at its deadline of {timeout:g} s")
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value


# ---------------------------------------------------------------- errors
_OXIGRAPH_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_RDFLIB_POSITION = re.compile(r"\(line:(\d+), col:(\d+)\)")


def _syntax_error(err: Exception, text: str) -> QuerySyntaxError | None:
    from kg.query.syntax import explain, locate, undeclared_prefixes

    message = str(err)
    if isinstance(err, SyntaxError):
        match = _OXIGRAPH_POSITION.search(message)
        if not match:
            return QuerySyntaxError(message, explained=explain(text, message, None, None))
        line, byte_column, message = int(match.group(1)), int(match.group(2)), match.group(3)
        column = locate(text, line, byte_column).column
    elif type(err).__name__ == "ParseException":
        match = _RDFLIB_POSITION.search(message)
        message = _RDFLIB_POSITION.sub("", message).strip()
        if not match:
            return QuerySyntaxError(message, explained=explain(text, message, None, None))
        line, column = int(match.group(1)), int(match.group(2))
        byte_column = len(text.splitlines()[line - 1][: column - 1].encode("utf-8")) + 1
    else:
        return None
    spot = next(iter(undeclared_prefixes(text).values()), None)
    if spot is not None:
        line, column = spot.line, spot.column
    return QuerySyntaxError(
        message, line, column, explained=explain(text, message, line, byte_column)
    )


def _unit(result: QueryResult) -> str:
    return "triples" if result.is_graph else "rows"


# ---------------------------------------------------------------- the front door
def run(
    engine: Engine,
    text: str,
    *,
    bindings: Mapping[str, Term] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_rows: int | None = None,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    max_chars: int = MAX_QUERY_CHARS,
    entailments: bool = True,
    allow_partial: bool = False,
) -> QueryResult:
    """Answer ``text`` on ``engine`` under every rule in the module docstring.

    Args:
        engine: Where the data is.
        text: The query (the project's prefixes are predeclared).
        bindings: Values for variables, bound by the engine, never spliced into the text.
        timeout: Seconds before :class:`QueryTimeout`; ``None`` for no deadline.
        max_rows: Stop after this many rows (the result says it was truncated).
        default_graphs: Graphs that form the default graph (``default-graph-uri``).
        named_graphs: Graphs available to ``GRAPH`` (``named-graph-uri``).
        max_chars: Size cap on the query text.
        entailments: Whether the answer may depend on the RDFS entailments (``kgg:inference``).
            ``False`` only where they cannot change it (a query of the ontology graph alone, or
            one that leaves ``kgg:inference`` out), so that they are not added for it.
        allow_partial: Return a remote server's incomplete answer (``result.partial`` says
            why) instead of refusing it.

    Raises:
        QueryRejected: A safety rule is broken.
        QuerySyntaxError: The text does not parse.
        QueryTimeout: The deadline passed.
        kg.query.results.PartialAnswer: A remote server sent only part of the answer (exit
            1), unless ``allow_partial``.
    """
    analysis = analyse(text, max_chars)
    decoded = analysis.text
    started = time.perf_counter()
    if entailments:  # one-off work a query may need is not the query's: no deadline
        engine.prepare(decoded, [*(default_graphs or ()), *(named_graphs or ())])

    def work() -> QueryResult:
        return engine.query(
            decoded, bindings, default_graphs, named_graphs, max_rows, allow_partial
        )

    try:
        result = call_with_deadline(work, timeout, engine.outbound)
    except RecursionError:
        raise QueryRejected("query is nested too deeply to evaluate") from None
    except (QueryTimeout, QueryRejected):
        raise
    except Exception as err:
        syntax = _syntax_error(err, text)
        if syntax is not None:
            raise syntax from None
        raise
    log.debug(
        "%s query on %s: %s in %.3f s%s",
        analysis.form,
        engine.name,
        result.boolean if result.form == "ASK" else f"{len(result)} {_unit(result)}",
        time.perf_counter() - started,
        " (cut at --max-rows)" if result.truncated else "",
    )
    return result
