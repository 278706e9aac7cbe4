"""The format records: one :class:`Format` per output format, in the one registry :data:`FORMATS`.

A record says everything about a format: its name (``kg query -f NAME``), the ``Content-Type``
it is sent as, the media types a client may ask for it by (``Accept``), its file extension, which
answers it can carry (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``), its W3C format IRI (for
the Service Description) and its writer. Every reader asks the registry:

* ``kg query -f`` accepts :meth:`Formats.names`, and :meth:`kg.query.results.QueryResult.serialize`
  calls the record's writer;
* ``kg serve`` negotiates among :meth:`Formats.offers` for the query's form, sends
  :attr:`Format.media_type`, and lists :attr:`Format.w3c` in its Service Description;
* the query page's download links are made from the formats ``/queries`` lists
  (:meth:`Formats.listing`).

Adding a format is one record and its writer (``docs/DESIGN.md`` shows a worked example)::

    FORMATS.register(Format("markdown", "Markdown", "text/markdown; charset=utf-8",
                            ("text/markdown",), "md", SOLUTIONS, to_markdown))
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import NamedTuple, Protocol

import pyoxigraph as ox

from kg.errors import InvalidValue
from kg.query.table import Tabular, to_table

__all__ = ["FORMATS", "GRAPHS", "SOLUTIONS", "Format", "Formats", "Result", "Writer"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
XSD = "http://www.w3.org/2001/XMLSchema#"
#: The forms of answers: solutions (a table, or yes/no) and graphs.
SOLUTIONS = frozenset({"SELECT", "ASK"})
GRAPHS = frozenset({"CONSTRUCT", "DESCRIBE"})


class Result(Tabular, Protocol):
    """What a writer reads (a :class:`kg.query.results.QueryResult`): a table and a graph."""

    @property
    def triples(self) -> Sequence[ox.Triple]:
        """The graph (CONSTRUCT, DESCRIBE)."""


#: A writer: the result and display labels by IRI (the terminal table and the workbook use
#: them) → text, or bytes for a binary format (:attr:`Format.binary`).
Writer = Callable[[Result, Mapping[str, str]], str | bytes]
TextWriter = Callable[[Result, Mapping[str, str]], str]


class Format(NamedTuple):
    """One output format (a named tuple: the CLI's fast path imports no ``dataclasses``).

    Attributes:
        name: Its name (``kg query -f``, the server's jobs).
        label: What the query page's download link says.
        media_type: The ``Content-Type`` it is sent as.
        accepts: Media types that select it in an ``Accept`` header, preferred first; empty
            for formats the server does not offer (the terminal table).
        extension: The file extension of a download.
        forms: The query forms whose answers it can carry.
        writer: Writes a result.
        w3c: Its name under ``http://www.w3.org/ns/formats/`` (Service Description), if any.
        binary: True when the writer returns bytes (a workbook), not text.
    """

    name: str
    label: str
    media_type: str
    accepts: tuple[str, ...]
    extension: str
    forms: frozenset[str]
    writer: Writer
    w3c: str | None = None
    binary: bool = False


class Formats:
    """The registry: formats in the server's order of preference.

    Args:
        formats: The records (names are unique).
    """

    def __init__(self, formats: Sequence[Format]) -> None:
        self._formats: dict[str, Format] = {}
        for fmt in formats:
            self.register(fmt)

    def __iter__(self) -> Iterator[Format]:
        return iter(list(self._formats.values()))

    def register(self, fmt: Format) -> None:
        """Add a format (at the end of the order of preference).

        Raises:
            InvalidValue: A format of that name exists.
        """
        if fmt.name in self._formats:
            raise InvalidValue(f"a format named {fmt.name!r} exists already")
        self._formats[fmt.name] = fmt

    def unregister(self, name: str) -> None:
        """Remove the format ``name`` (a no-op when there is none)."""
        self._formats.pop(name, None)

    def names(self) -> tuple[str, ...]:
        """Every format's name."""
        return tuple(self._formats)

    def get(self, name: str, form: str | None = None) -> Format:
        """The format ``name``, checked against the query ``form`` when given.

        Raises:
            InvalidValue: No such format, or it cannot carry an answer of ``form``.
        """
        fmt = self._formats.get(name)
        if fmt is None:
            raise InvalidValue(f"unknown format {name!r}: use one of {', '.join(self.names())}")
        if form is not None and form not in fmt.forms:
            fitting = ", ".join(f.name for f in self if form in f.forms)
            raise InvalidValue(f"{form} results are written as {fitting}")
        return fmt

    def offers(self, form: str) -> tuple[tuple[str, str], ...]:
        """``(media type, format name)`` pairs the server offers for ``form``, preferred first."""
        return tuple((m, f.name) for f in self if form in f.forms for m in f.accepts)

    def listing(self) -> list[dict[str, object]]:
        """The formats the server offers, as the query page reads them."""
        return [
            {
                "name": f.name,
                "label": f.label,
                "media": f.accepts[0],
                "extension": f.extension,
                "forms": sorted(f.forms),
            }
            for f in self
            if f.accepts
        ]


# ---------------------------------------------------------------- the writers
def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def _to_json(result: Result, labels: Mapping[str, str]) -> str:
    import json  # here, not above: a table or a CSV answer need not import it

    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)})
    variables = list(result.variables)
    bindings = [
        {var: _json_term(t) for var, t in zip(variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    return json.dumps(
        {"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False
    )


def _xml_term(term: Term) -> str:
    from xml.sax.saxutils import escape, quoteattr

    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD + "string":
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _to_xml(result: Result, labels: Mapping[str, str]) -> str:
    from xml.sax.saxutils import quoteattr

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
    ]
    if result.form == "ASK":
        out += [
            "<head/>",
            f"<boolean>{'true' if result.boolean else 'false'}</boolean>",
            "</sparql>",
        ]
        return "\n".join(out) + "\n"
    out.append(
        "<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables) + "</head>"
    )
    out.append("<results>")
    for row in result.rows:
        cells = "".join(
            f"<binding name={quoteattr(var)}>{_xml_term(t)}</binding>"
            for var, t in zip(result.variables, row, strict=True)
            if t is not None
        )
        out.append(f"<result>{cells}</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


def _to_csv(result: Result, labels: Mapping[str, str]) -> str:
    if result.form == "ASK":
        return f"_askResult\r\n{'true' if result.boolean else 'false'}\r\n"
    import csv  # here, not above: only this writer needs it

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(
            [
                "" if t is None else (f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value)
                for t in row
            ]
        )
    return buffer.getvalue()


def _to_tsv(result: Result, labels: Mapping[str, str]) -> str:
    if result.form == "ASK":
        return f"?_askResult\n{'true' if result.boolean else 'false'}\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _rdf(
    rdf_format: ox.RdfFormat, prefixed: bool = False
) -> Callable[[Result, Mapping[str, str]], str]:
    """A writer of graph results in ``rdf_format`` (with the project's prefixes if ``prefixed``)."""

    def write(result: Result, labels: Mapping[str, str]) -> str:
        from kg.data.prefixes import PREFIXES

        data = ox.serialize(
            list(result.triples), format=rdf_format, prefixes=PREFIXES if prefixed else None
        )
        return data.decode("utf-8") if isinstance(data, bytes) else ""

    return write


_turtle = _rdf(ox.RdfFormat.TURTLE, prefixed=True)


def _to_xlsx(result: Result, labels: Mapping[str, str]) -> bytes:
    from kg.query.spreadsheet import to_xlsx  # here: only a download imports openpyxl

    return to_xlsx(result, labels)


def _to_table(result: Result, labels: Mapping[str, str]) -> str:
    """A terminal table for solutions; a graph is written as Turtle."""
    if result.form in GRAPHS:
        return _turtle(result, labels)
    return to_table(result, dict(labels))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The one format registry, shared by the CLI, the server, the query page and the Python API.
FORMATS = Formats(
    [
        Format("table", "Table", "text/plain; charset=utf-8", (), "txt",
               SOLUTIONS | GRAPHS, _to_table),
        Format("json", "JSON", "application/sparql-results+json",
               ("application/sparql-results+json", "application/json"), "json",
               SOLUTIONS, _to_json, "SPARQL_Results_JSON"),
        Format("xml", "XML", "application/sparql-results+xml",
               ("application/sparql-results+xml", "application/xml", "text/xml"), "xml",
               SOLUTIONS, _to_xml, "SPARQL_Results_XML"),
        Format("csv", "CSV", "text/csv; charset=utf-8", ("text/csv",), "csv",
               SOLUTIONS, _to_csv, "SPARQL_Results_CSV"),
        Format("tsv", "TSV", "text/tab-separated-values; charset=utf-8",
               ("text/tab-separated-values",), "tsv", SOLUTIONS, _to_tsv, "SPARQL_Results_TSV"),
        Format("xlsx", "XLSX", XLSX, (XLSX,), "xlsx", SOLUTIONS, _to_xlsx, binary=True),
        Format("turtle", "Turtle", "text/turtle; charset=utf-8",
               ("text/turtle", "application/x-turtle"), "ttl", GRAPHS, _turtle, "Turtle"),
        Format("ntriples", "N-Triples", "application/n-triples",
               ("application/n-triples", "text/plain"), "nt",
               GRAPHS, _rdf(ox.RdfFormat.N_TRIPLES), "N-Triples"),
        Format("jsonld", "JSON-LD", "application/ld+json",
               ("application/ld+json", "application/json"), "jsonld",
               GRAPHS, _rdf(ox.RdfFormat.JSON_LD), "JSON-LD"),
        Format("rdfxml", "RDF/XML", "application/rdf+xml",
               ("application/rdf+xml", "application/xml", "text/xml"), "rdf",
               GRAPHS, _rdf(ox.RdfFormat.RDF_XML), "RDF_XML"),
    ]
)  # fmt: skip
