"""One error policy: every error the project raises on purpose is a :class:`KgError`.

Each family carries the exit code the command line ends with and the HTTP status the server
answers with, so the same condition gives the same code everywhere:

=====  ==============================  ===========  =============================================
exit   family                          HTTP         when
=====  ==============================  ===========  =============================================
0      —                               200          done
1      :class:`Findings`               —            the work ran and found a problem: invalid data,
                                                    a push the server did not keep, no such path
2      :class:`UsageError`             400 / 404    the request is wrong: a bad query, parameter,
                                                    name, option or input file; an unknown entity
3      :class:`EnvironmentProblem`     502 / 503    something outside the request failed: the
                                                    engine, a remote endpoint, a deadline, a port
=====  ==============================  ===========  =============================================

>>> issubclass(NotFound, UsageError), NotFound.exit_code, NotFound.http_status
(True, 2, 404)
"""

from __future__ import annotations

__all__ = [
    "EXIT_ENVIRONMENT",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "EXIT_USAGE",
    "EnvironmentProblem",
    "Findings",
    "InvalidValue",
    "KgError",
    "NotFound",
    "UsageError",
]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_ENVIRONMENT = 0, 1, 2, 3


class KgError(Exception):
    """Base of every error raised on purpose; subclasses set the codes."""

    exit_code: int = EXIT_USAGE
    http_status: int = 400


class Findings(KgError):
    """The work ran and found something wrong (invalid data, an unverified push)."""

    exit_code = EXIT_FINDINGS
    http_status = 422


class UsageError(KgError):
    """The request is wrong: fix the query, the option, the name or the input file."""

    exit_code = EXIT_USAGE
    http_status = 400


class InvalidValue(UsageError, ValueError):
    """An option or argument outside what it accepts (a format, a measure, a count)."""


class NotFound(UsageError):
    """The named thing (entity, query, file) does not exist."""

    http_status = 404


class EnvironmentProblem(KgError):
    """Something outside the request failed: an engine, an endpoint, a deadline, a port."""

    exit_code = EXIT_ENVIRONMENT
    http_status = 503
