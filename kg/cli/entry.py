"""The ``kg`` console script: a plain ``kg query`` runs without importing click.

A cold ``kg query --name …`` is the command people run most and script most, and click with
what it imports costs more than parsing the data and answering. :func:`quick_request` reads
the common shape of that command (the options of :data:`QUICK_OPTIONS`, each with a valid
value); anything else, including ``--help``, a misspelt option or an invalid value, goes to the
click group of :mod:`kg.cli.main`, which gives the same answer and the usual messages.

>>> quick_request(["query", "-n", "funding_by_city", "--format=csv"])
QueryRequest(text=None, name='funding_by_city', params=(), fmt='csv', lang=None, engine=None, \
endpoint=None, timeout=30.0, max_rows=None, user=None, as_of=None, allow_partial=False)
>>> quick_request(["query", "--name", "funding_by_city", "--format", "docx"]) is None
True
"""

from __future__ import annotations

import sys

from kg.cli.answer import QueryRequest

__all__ = ["QUICK_OPTIONS", "quick_request", "run"]

#: The ``kg query`` options the fast path reads, by flag: the request field each sets. Every
#: flag here is an option of the click command with the same field name (tested).
QUICK_OPTIONS = {
    "--name": "name",
    "-n": "name",
    "--param": "params",
    "-p": "params",
    "--format": "fmt",
    "-f": "fmt",
    "--lang": "lang",
    "--engine": "engine",
    "-e": "engine",
    "--timeout": "timeout",
    "--max-rows": "max_rows",
    "--as-of": "as_of",
}


def quick_request(argv: list[str]) -> QueryRequest | None:
    """The request of a plain ``kg query`` command line, or ``None`` for click to read.

    Args:
        argv: The arguments after the program name.
    """
    if not argv or argv[0] != "query":  # ``$KG_DATA`` is read by ``data_dir`` alike
        return None
    values: dict[str, str] = {}
    params: list[str] = []
    text: str | None = None
    rest = iter(argv[1:])
    for arg in rest:
        if arg.startswith("-") and arg != "-":
            flag, equals, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
            field = QUICK_OPTIONS.get(flag)
            if field is None or (not equals and (value := next(rest, "-")).startswith("-")):
                return None
            if field == "params":
                params.append(value)
            else:
                values[field] = value
        elif text is None:
            text = arg
        else:
            return None
    return _request(text, values, tuple(params))


def _request(
    text: str | None, values: dict[str, str], params: tuple[str, ...]
) -> QueryRequest | None:
    from kg.query.formats import FORMATS

    fmt, lang = values.get("fmt"), values.get("lang")
    if fmt not in (None, *FORMATS.names()) or lang not in (None, "zh", "en"):
        return None
    try:
        timeout = float(values.get("timeout", "30"))
        max_rows = int(values["max_rows"]) if "max_rows" in values else None
    except ValueError:
        return None
    return QueryRequest(
        text,
        values.get("name"),
        params,
        fmt,
        lang,
        values.get("engine"),
        None,
        timeout,
        max_rows,
        as_of=values.get("as_of"),
    )


def run() -> None:
    """Run the ``kg`` command line (the console script)."""
    request = quick_request(sys.argv[1:])
    if request is None:
        from kg.cli.main import main

        main()
        return
    from kg.cli.answer import answer
    from kg.cli.failure import report
    from kg.errors import KgError

    try:
        answer(None, request)
        sys.stdout.flush()
    except KgError as err:
        sys.exit(report(err))
    except BrokenPipeError:  # the reader left (``kg query … | head``): end as click does
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    sys.exit(0)
