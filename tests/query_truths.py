"""What each named query must answer, read off the article (and the cited reports) by hand.

The golden files (``tests/golden/``) record the whole answer of each named query; this module
says, independently of what the code returned when the goldens were recorded, what the answer
must contain: each expected value is written here from the sentence of the article that gives it
(quoted in the comment above the check), and each row's quote must carry the words that justify
the value and be a passage of the article. Facts from later public reports are checked against
their citation (``triples/sources/Report-*.trig``: source, publication date, figure as written).

A check is a function of :class:`Answers` registered with :func:`truth` for one or more queries;
``tests/test_named_query_truth.py`` runs every check on the shipped data, asserts that every
named query has one, and shows that a fact changed against its quote fails a check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox

import kg
from kg.data.paths import data_dir
from kg.data.prefixes import PREFIXES, shorten
from kg.query.catalogue import NamedQuery, bind_params, load_catalogue

Row = dict[str, Any]
XSD = PREFIXES["xsd"]
_INTEGER = {XSD + t for t in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger")}
_NUMERIC = {XSD + t for t in ("decimal", "double", "float")}


def plain(term: object) -> Any:
    """A term as a plain value: CURIE for an IRI, int or Decimal for a number, bool, or the text."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:"
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _INTEGER:
            return int(term.value)
        if datatype in _NUMERIC:
            return Decimal(term.value)
        if datatype == XSD + "boolean":
            return term.value in {"true", "1"}
        return term.value
    raise TypeError(f"not an RDF term: {term!r}")


class Answers:
    """Runs named queries on one graph; checks quotes against the article when it is given."""

    def __init__(self, graph: kg.KnowledgeGraph, article: str | None, root: Path) -> None:
        self.graph = graph
        self.article = article
        self.root = root
        self.catalogue: Mapping[str, NamedQuery] = load_catalogue(data_dir(root))

    def rows(self, name: str, **params: str) -> list[Row]:
        """The rows of named query ``name`` with ``params`` (CURIEs or literals as typed)."""
        query = self.catalogue[name]
        result = self.graph.query(query.text, bind_params(query, params))
        return [
            {var: plain(term) for var, term in zip(result.variables, row, strict=True)}
            for row in result.rows
        ]

    def ask(self, name: str, **params: str) -> bool:
        """The answer of ASK query ``name``."""
        query = self.catalogue[name]
        return bool(self.graph.query(query.text, bind_params(query, params)).boolean)

    def triples(self, name: str, **params: str) -> set[tuple[Any, Any, Any]]:
        """The triples of CONSTRUCT query ``name`` as plain values."""
        query = self.catalogue[name]
        result = self.graph.query(query.text, bind_params(query, params))
        return {(plain(t.subject), plain(t.predicate), plain(t.object)) for t in result.triples}

    def quoted(self, quote: Any, *words: str) -> None:
        """``quote`` carries each of ``words`` and is a passage of the article."""
        assert isinstance(quote, str), f"no quote: {quote!r}"
        for word in words:
            assert word in quote, f"the quote does not say {word!r}: {quote!r}"
        if self.article is not None:
            assert quote in self.article, f"not a passage of the article: {quote!r}"

    def cited(self, source: str, *words: str) -> None:
        """The citation file of report ``source`` (``kgr:Report-…``) records each of ``words``."""
        path = self.root / "triples" / "sources" / (source.removeprefix("kgr:") + ".trig")
        assert path.is_file(), f"no citation file for {source}: {path}"
        text = path.read_text(encoding="utf-8")
        for word in words:
            assert word in text, f"{path.name} does not record {word!r}"


Check = Callable[[Answers], None]
TRUTHS: dict[str, list[Check]] = {}


def truth(*names: str) -> Callable[[Check], Check]:
    """Register a check for the named queries ``names``."""

    def register(check: Check) -> Check:
        for name in names:
            TRUTHS.setdefault(name, []).append(check)
        return check

    return register


def project(rows: Iterable[Row], *columns: str) -> set[tuple[Any, ...]]:
    """The distinct tuples of ``columns`` among ``rows``."""
    return {tuple(row[c] for c in columns) for row in rows}


def one(rows: Iterable[Row], **where: Any) -> Row:
    """The single row whose columns have the values ``where`` (values of other columns agree)."""
    found = [row for row in rows if all(row[k] == v for k, v in where.items())]
    assert found, f"no row with {where}"
    return found[0]


def D(text: str) -> Decimal:
    """A decimal from its text (``D("1.8e9")``)."""
    return Decimal(text)
