"""The one place where an error becomes an HTTP status, in the server process and in a worker.

:func:`error_answer` maps any exception to a plain-text :class:`~kg.server.response.Answer`:
an :class:`HttpError` answers the status it names; any other :class:`~kg.errors.KgError` the
``http_status`` of its family (:data:`OVERRIDES` first); anything else is a bug and a 500 that
names only the exception's type (its traceback is logged where it happened: by the app in the
server process, by :meth:`kg.server.answers.Service.handle` in a worker, once).

:func:`status_table` writes the table ``docs/server.md`` shows (a test keeps them equal).
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.errors import EnvironmentProblem, Findings, KgError, NotFound, UsageError
from kg.query.engines import EngineError
from kg.query.results import PartialAnswer
from kg.server.response import Answer
from kg.server.workers import JobCancelled, JobFailed, WorkerError, WorkersBusy, WorkerTimeout

__all__ = ["OVERRIDES", "HttpError", "error_answer", "status_of", "status_table"]


class HttpError(KgError):
    """Stop handling a request and answer ``status`` with a plain-text reason.

    Attributes:
        answer: The plain-text answer.
        headers: Extra response headers (``Allow`` for a 405).
    """

    def __init__(self, status: int, reason: str, headers: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(reason)
        self.http_status = status
        self.answer = Answer.text(status, reason)
        self.headers = headers


#: Errors whose status differs from their family's, most specific first.
OVERRIDES: tuple[tuple[type[KgError], int], ...] = ((EngineError, 502), (PartialAnswer, 502))

#: The rows of the status table: an error class and when it is raised.
_FAMILIES: tuple[tuple[type[BaseException], str], ...] = (
    (UsageError, "the request is wrong: a bad query (syntax, a safety rule), parameter or name"),
    (NotFound, "no such entity, named query or file"),
    (Findings, "the work ran and found a problem"),
    (EngineError, "the relayed SPARQL endpoint failed"),
    (PartialAnswer, "the relayed SPARQL endpoint sent only part of its answer"),
    (WorkerTimeout, "a query passed its deadline (its worker was killed)"),
    (WorkersBusy, "no worker (or none of the client's own slots) came free within the deadline"),
    (JobCancelled, "the client closed its connection first: its work was given up (logged only)"),
    (EnvironmentProblem, "anything else outside the request failed"),
    (WorkerError, "a worker died mid-job, or the pool is closed"),
    (JobFailed, "a job raised outside the service's own error handling"),
    (Exception, "a bug: the answer names the type only; the traceback is logged"),
)


def _status_for(kind: type[BaseException]) -> int:
    for overridden, status in OVERRIDES:
        if issubclass(kind, overridden):
            return status
    if issubclass(kind, KgError):
        return kind.http_status
    return 500


def status_of(err: BaseException) -> int:
    """The HTTP status ``err`` answers with."""
    if isinstance(err, HttpError):
        return err.http_status
    return _status_for(type(err))


def error_answer(err: BaseException) -> tuple[Answer, list[tuple[str, str]]]:
    """The answer (and extra headers) for ``err``: the one mapping from an error to a status."""
    if isinstance(err, HttpError):
        return err.answer, list(err.headers)
    status = status_of(err)
    if isinstance(err, KgError):
        return Answer.text(status, str(err)), []
    return Answer.text(status, f"internal error: {type(err).__name__}"), []


def status_table() -> str:
    """The status table of ``docs/server.md``, in Markdown."""
    rows = [
        "| status | error | when |",
        "|---|---|---|",
        "| as raised | `HttpError` | a protocol error found by the front, the app or a route"
        " (400, 403, 404, 405, 406, 408, 411, 413, 414, 415, 431, 503 shed, 505) |",
    ]
    for kind, when in _FAMILIES:
        name = kind.__name__ if kind is Exception else f"{kind.__module__}.{kind.__name__}"
        rows.append(f"| {_status_for(kind)} | `{name}` | {when} |")
    return "\n".join(rows) + "\n"
