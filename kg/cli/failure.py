"""The command line's one error policy, shared by the click group and the fast path.

An error raised on purpose (:class:`kg.errors.KgError`) ends a command with ``error: …`` on
standard error and the exit code of its family: 1 findings, 2 usage or input, 3 environment.
"""

from __future__ import annotations

import sys

from kg.errors import KgError

__all__ = ["report"]


def report(err: KgError, verbose: int = 0) -> int:
    """Print ``err`` as the command line does and return the exit code to end with.

    Args:
        err: The error.
        verbose: ``-v`` count; from 2 on, the traceback is printed too.
    """
    if verbose > 1:
        import traceback

        traceback.print_exception(err)
    sys.stdout.flush()
    print(f"error: {err}", file=sys.stderr)
    return err.exit_code
