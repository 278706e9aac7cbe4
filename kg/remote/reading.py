"""A server's answer read as it arrives: SPARQL results and RDF graphs into a QueryResult.

The answer is parsed by the media type the server actually sent, rows past ``max_rows`` are
never read, and an answer whose body was cut short (:attr:`kg.remote.wire.Budgeted.cut`) keeps
what arrived before the cut: the caller says it is incomplete. Virtuoso answers ``ASK`` with a
one-column SELECT (``__ASK_RETVAL``); that becomes a boolean.
"""

from __future__ import annotations

import io
import re

import pyoxigraph as ox

from kg.query.results import QueryResult, Term
from kg.remote.wire import Budgeted, RemoteError, one_line

__all__ = ["BlankLabels", "graph_result", "solutions_result"]

_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # N-Triples' media type before RDF 1.1
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
}
_ASK_COLUMN = "__ASK_RETVAL"
_BLANK_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


class BlankLabels(Exception):
    """A streamed JSON answer has blank-node labels pyoxigraph refuses (read it whole instead)."""


def graph_result(
    form: str, body: bytes | Budgeted, media: str, url: str, max_rows: int | None
) -> QueryResult:
    """A ``CONSTRUCT``/``DESCRIBE`` answer in ``media``, read up to ``max_rows`` triples.

    Raises:
        RemoteError: The media type is not RDF, or the body does not parse (and was not cut).
    """
    fmt = _GRAPH_FORMATS.get(media)
    if fmt is None:
        raise RemoteError(f"{url} answered a {form} with {media or 'no media type'}, not RDF")
    triples: list[ox.Triple] = []
    try:
        for quad in ox.parse(_io(body), format=fmt):
            if max_rows is not None and len(triples) >= max_rows:
                return QueryResult(form, triples=triples, truncated=True)
            triples.append(quad.triple)
    except (SyntaxError, OSError) as err:
        if not _cut(body):  # a body cut short ends in a syntax error: what came before stands
            raise RemoteError(f"{url} answered unreadable {media}: {err}") from None
    return QueryResult(form, triples=triples)


def solutions_result(
    form: str, body: bytes | Budgeted, media: str, url: str, max_rows: int | None
) -> QueryResult:
    """A ``SELECT``/``ASK`` answer in ``media``, read up to ``max_rows`` rows.

    Raises:
        BlankLabels: A streamed JSON answer has blank-node labels pyoxigraph refuses.
        RemoteError: The media type is not SPARQL results, the body does not parse (and was
            not cut), or an ``ASK`` was answered with a table that is no boolean.
    """
    fmt = _RESULT_FORMATS.get(media)
    if fmt is None:
        raise RemoteError(
            f"{url} answered with {media or 'no media type'}, not SPARQL results: "
            + one_line(
                (body if isinstance(body, bytes) else body.read(2000)).decode(errors="replace")
            )
        )
    if fmt == ox.QueryResultsFormat.JSON and isinstance(body, bytes) and b'"bnode"' in body:
        body = _valid_blank_labels(body)
    variables: list[str] = []
    rows: list[tuple[Term | None, ...]] = []
    try:
        parsed = ox.parse_query_results(_io(body), format=fmt)
        if isinstance(parsed, ox.QueryBoolean):
            return QueryResult("ASK", boolean=bool(parsed))
        variables = [v.value for v in parsed.variables]
        for solution in parsed:
            if max_rows is not None and len(rows) >= max_rows:
                return QueryResult("SELECT", variables, rows, truncated=True)
            rows.append(tuple(solution))
    except (SyntaxError, OSError) as err:
        if (
            not isinstance(body, bytes)
            and fmt == ox.QueryResultsFormat.JSON
            and "blank" in str(err)
        ):
            raise BlankLabels from None
        if not _cut(body) or form == "ASK":  # cut short, the rows before the cut stand
            raise RemoteError(f"{url} answered unreadable {media}: {err}") from None
    if form == "ASK":  # Virtuoso: a one-column SELECT, one true row or none
        if variables != [_ASK_COLUMN]:
            raise RemoteError(f"{url} answered an ASK with a table of {variables}")
        return QueryResult("ASK", boolean=any(_truthy(row[0]) for row in rows))
    return QueryResult("SELECT", variables, rows)


def _cut(body: bytes | Budgeted) -> bool:
    """Whether the answer being read was cut short (then a parser fails where it ends)."""
    return isinstance(body, Budgeted) and body.cut is not None


def _io(body: bytes | Budgeted) -> bytes | io.BufferedReader:
    """What a pyoxigraph parser reads: the bytes, or the answer as it arrives."""
    return body if isinstance(body, bytes) else io.BufferedReader(body)


def _valid_blank_labels(body: bytes) -> bytes:
    """Blank nodes relabelled where a server's labels are invalid (Virtuoso: ``nodeID://b1``).

    A label names a node within one answer only, so any other unique, valid label is the same
    answer.
    """
    import hashlib
    import json

    document = json.loads(body)
    for solution in document.get("results", {}).get("bindings", []):
        for term in solution.values():
            if term.get("type") == "bnode" and not _BLANK_LABEL.fullmatch(term["value"]):
                term["value"] = "b" + hashlib.sha256(term["value"].encode()).hexdigest()[:24]
    return json.dumps(document).encode()


def _truthy(term: Term | None) -> bool:
    return isinstance(term, ox.Literal) and term.value not in {"0", "false", ""}
