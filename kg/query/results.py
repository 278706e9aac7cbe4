"""Query results in one engine-neutral form, and their serialisations.

Every engine hands back a :class:`QueryResult` whose terms are pyoxigraph terms (``NamedNode``,
``BlankNode``, ``Literal``), whatever engine produced them. From it come the W3C SPARQL 1.1 result
formats (JSON, XML, CSV, TSV), RDF for graph results (Turtle, N-Triples, JSON-LD), a readable
terminal table, plain Python values (:meth:`QueryResult.to_dicts`) and, on demand, rdflib terms.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pyoxigraph as ox

from kg.errors import InvalidValue
from kg.query.table import display, to_table

Term = ox.NamedNode | ox.BlankNode | ox.Literal
XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {XSD + t for t in ("decimal", "integer", "double", "float", "long", "int")}
#: The one format registry, shared by the CLI, the server and the Python API.
SELECT_FORMATS = ("table", "json", "csv", "tsv", "xml")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "table": "text/plain; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


class QueryResult:
    """The answer to one query.

    Attributes:
        form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
        variables: Column names (SELECT).
        rows: One tuple per solution, ``None`` for unbound (SELECT).
        boolean: The answer (ASK).
        triples: The graph (CONSTRUCT / DESCRIBE).
        truncated: True when a row cap cut the answer short.
    """

    def __init__(
        self,
        form: str,
        variables: list[str] | None = None,
        rows: list[tuple[Term | None, ...]] | None = None,
        boolean: bool | None = None,
        triples: list[ox.Triple] | None = None,
        truncated: bool = False,
    ) -> None:
        self.form = form
        self.variables: list[str] = variables if variables is not None else []
        self.rows: list[tuple[Term | None, ...]] = rows if rows is not None else []
        self.boolean = boolean
        self.triples: list[ox.Triple] = triples if triples is not None else []
        self.truncated = truncated

    def __repr__(self) -> str:
        size = f"{len(self)} {'triples' if self.is_graph else 'rows'}"
        answer = f", boolean={self.boolean}" if self.form == "ASK" else f", {size}"
        return f"QueryResult({self.form!r}{answer}, truncated={self.truncated})"

    # ------------------------------------------------------------ Python access
    def __len__(self) -> int:
        return len(self.triples) if self.is_graph else len(self.rows)

    def __iter__(self) -> Iterator[Any]:
        """Rows as rdflib ``ResultRow``-like objects (attribute and key access, rdflib terms)."""
        from kg.data.rdflib_bridge import to_rdflib_row, to_rdflib_triple

        if self.is_graph:
            return (to_rdflib_triple(t) for t in self.triples)
        return (to_rdflib_row(self.variables, row) for row in self.rows)

    @property
    def is_graph(self) -> bool:
        """True for CONSTRUCT and DESCRIBE results."""
        return self.form in {"CONSTRUCT", "DESCRIBE"}

    @property
    def askAnswer(self) -> bool | None:
        """The ASK answer, under the name rdflib uses."""
        return self.boolean

    def to_dicts(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values (IRIs as ``str``, numbers as numbers)."""
        return [
            {
                var: python_value(term)
                for var, term in zip(self.variables, row, strict=True)
                if term is not None
            }
            for row in self.rows
        ]

    def to_dataframe(self) -> Any:
        """Rows as a pandas DataFrame (needs pandas installed)."""
        import pandas as pd

        return pd.DataFrame(self.to_dicts(), columns=self.variables)

    def graph(self) -> Any:
        """A CONSTRUCT/DESCRIBE result as an rdflib Graph."""
        from rdflib import Graph

        graph = Graph()
        for triple in self:
            graph.add(triple)
        return graph

    # ------------------------------------------------------------ serialisation
    def serialize(self, fmt: str, labels: dict[str, str] | None = None) -> str:
        """Write the result in ``fmt`` (see :data:`SELECT_FORMATS` and :data:`GRAPH_FORMATS`).

        Args:
            fmt: The format name.
            labels: For ``table``: display labels by IRI.

        Raises:
            ValueError: If ``fmt`` does not suit this kind of result.
        """
        if self.is_graph:
            if fmt not in GRAPH_FORMATS and fmt != "table":
                raise InvalidValue(f"{self.form} results are written as {', '.join(GRAPH_FORMATS)}")
            return _graph_text(self.triples, "turtle" if fmt == "table" else fmt)
        writers: dict[str, Callable[[QueryResult], str]] = {
            "json": _to_json,
            "xml": _to_xml,
            "csv": _to_csv,
            "tsv": _to_tsv,
        }
        if fmt == "table":
            return to_table(self, labels or {})
        if fmt not in writers:
            raise InvalidValue(f"{self.form} results are written as {', '.join(SELECT_FORMATS)}")
        return writers[fmt](self)


def python_value(term: Term) -> Any:
    """A plain Python value for a term: ``str`` for IRIs, numbers for numeric literals."""
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _NUMERIC:
            from decimal import Decimal, InvalidOperation  # 8 ms of a cold start: only when used

            try:
                number = Decimal(term.value)
            except InvalidOperation:
                return term.value
            return int(number) if datatype.endswith(("integer", "long", "int")) else number
        if datatype == XSD + "boolean":
            return term.value in {"true", "1"}
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


# ---------------------------------------------------------------- W3C formats
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


def _to_json(result: QueryResult) -> str:
    import json  # here, not above: a table or a CSV answer need not import it

    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)})
    bindings = [
        {var: _json_term(t) for var, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    return json.dumps(
        {"head": {"vars": result.variables}, "results": {"bindings": bindings}}, ensure_ascii=False
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


def _to_xml(result: QueryResult) -> str:
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


def _to_csv(result: QueryResult) -> str:
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


def _to_tsv(result: QueryResult) -> str:
    if result.form == "ASK":
        return f"?_askResult\n{'true' if result.boolean else 'false'}\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _graph_text(triples: Sequence[ox.Triple], fmt: str) -> str:
    from kg.data.prefixes import PREFIXES

    formats = {
        "turtle": ox.RdfFormat.TURTLE,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "jsonld": ox.RdfFormat.JSON_LD,
        "rdfxml": ox.RdfFormat.RDF_XML,
    }
    prefixes = PREFIXES if fmt == "turtle" else None
    data = ox.serialize(triples, format=formats[fmt], prefixes=prefixes)
    return data.decode("utf-8") if isinstance(data, bytes) else ""


__all__ = [
    "GRAPH_FORMATS",
    "MEDIA_TYPES",
    "SELECT_FORMATS",
    "QueryResult",
    "display",
    "python_value",
    "to_table",
]
