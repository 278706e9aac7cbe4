"""Query results in one engine-neutral form.

Every engine hands back a :class:`QueryResult` whose terms are pyoxigraph terms (``NamedNode``,
``BlankNode``, ``Literal``), whatever engine produced them. From it come plain Python values
(:meth:`QueryResult.to_dicts`), rdflib terms on demand, and every output format of the one
registry, :data:`kg.query.formats.FORMATS` (W3C result formats, RDF, a terminal table).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from kg.errors import Findings, InvalidValue
from kg.query.formats import FORMATS
from kg.query.table import display, to_table

Term = ox.NamedNode | ox.BlankNode | ox.Literal
XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {XSD + t for t in ("decimal", "integer", "double", "float", "long", "int")}


class PartialAnswer(Findings):
    """A server sent less than the whole answer (its row cap, its time limit, a cut body).

    Args:
        why: What the server did, naming it.
    """

    def __init__(self, why: str) -> None:
        super().__init__(f"the answer is incomplete: {why} (kg query --allow-partial accepts it)")
        self.why = why


class QueryResult:
    """The answer to one query.

    Attributes:
        form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
        variables: Column names (SELECT).
        rows: One tuple per solution, ``None`` for unbound (SELECT).
        boolean: The answer (ASK).
        triples: The graph (CONSTRUCT / DESCRIBE).
        truncated: True when a row cap cut the answer short.
        partial: Why the answer is incomplete when a remote server sent only part of it (its
            own row cap, an "anytime" answer, a body cut short), else ``None``; set only when
            the caller accepts partial answers (``allow_partial``), refused otherwise.
    """

    def __init__(
        self,
        form: str,
        variables: list[str] | None = None,
        rows: list[tuple[Term | None, ...]] | None = None,
        boolean: bool | None = None,
        triples: list[ox.Triple] | None = None,
        truncated: bool = False,
        partial: str | None = None,
    ) -> None:
        self.form = form
        self.variables: list[str] = variables if variables is not None else []
        self.rows: list[tuple[Term | None, ...]] = rows if rows is not None else []
        self.boolean = boolean
        self.triples: list[ox.Triple] = triples if triples is not None else []
        self.truncated = truncated
        self.partial = partial

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
        """Write the result in ``fmt``, a format of :data:`kg.query.formats.FORMATS`.

        Args:
            fmt: The format name.
            labels: For ``table``: display labels by IRI.

        Raises:
            InvalidValue: If there is no such format or it does not suit this kind of result.
        """
        chosen = FORMATS.get(fmt, self.form)
        if chosen.binary:
            raise InvalidValue(
                f"{fmt} is a binary format: download it from the query page of kg serve "
                "(or write every fact with kg export --format xlsx)"
            )
        text = chosen.writer(self, labels or {})
        return text.decode("utf-8") if isinstance(text, bytes) else text

    def to_bytes(self, fmt: str, labels: dict[str, str] | None = None) -> bytes:
        """The result in ``fmt`` as bytes: UTF-8 for a text format, the file for a binary one.

        Raises:
            InvalidValue: If there is no such format or it does not suit this kind of result.
        """
        out = FORMATS.get(fmt, self.form).writer(self, labels or {})
        return out if isinstance(out, bytes) else out.encode("utf-8")


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


__all__ = [
    "FORMATS",
    "PartialAnswer",
    "QueryResult",
    "display",
    "python_value",
    "to_table",
]
