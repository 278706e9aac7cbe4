"""Static checks that keep a SPARQL query safe to run, before any engine sees it.

The checks work on tokens (strings, IRIs, comments and prefixed names are recognised first, so a
keyword inside a literal or a ``kg:service`` name is not mistaken for one):

* the text is at most :data:`MAX_QUERY_CHARS` characters;
* no ``SERVICE`` (federated query would make an outbound request);
* no update operation (``LOAD``, ``INSERT``, ``DELETE``, ``CLEAR``, ``DROP``, ``CREATE``,
  ``ADD``, ``MOVE``, ``COPY``): the knowledge graph is read-only here;
* brackets nest at most :data:`MAX_NESTING` deep (deeper queries would exhaust a parser's
  recursion; they get an error instead of a traceback);
* ``FROM`` / ``FROM NAMED`` graphs are reported, so the caller resolves them only against
  graphs in the dataset (never fetched, never ``file://``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.data.prefixes import PREFIXES
from kg.errors import UsageError

if TYPE_CHECKING:
    from kg.query.results import Term

MAX_QUERY_CHARS = 100_000
MAX_NESTING = 64
UPDATE_KEYWORDS = frozenset(
    {"LOAD", "INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)


class QueryRejected(UsageError, ValueError):
    """The query breaks a safety rule; the message says which and why."""


@dataclass(frozen=True)
class Token:
    """One lexical token.

    Attributes:
        kind: ``string``, ``iri``, ``pname``, ``var``, ``word``, ``open``, ``close`` or ``other``.
        text: The token as written.
        line: 1-based line number.
        column: 1-based column number.
        start: Offset of the token in the query text.
    """

    kind: str
    text: str
    line: int
    column: int
    start: int = 0


_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<pname>(?:(?:[A-Za-z]|[^\x00-\xbf])(?:[\w.\-]|[^\x00-\xbf])*)?:
      (?:[\w\-:%\\]|[^\x00-\xbf]|\.(?=[\w\-:]))*)
  | (?P<word>[A-Za-z_][\w\-]*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<space>\s+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into SPARQL tokens, dropping white space and comments.

    >>> [t.kind for t in tokenize('SELECT ?s { ?s kg:service "SERVICE" }')]
    ['word', 'var', 'open', 'var', 'pname', 'string', 'close']
    """
    tokens = []
    line, line_start = 1, 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in {"space", "comment"}:
            column = match.start() - line_start + 1
            tokens.append(Token(kind, match.group(), line, column, match.start()))
        newlines = match.group().count("\n")
        if newlines:
            line += newlines
            line_start = match.start() + match.group().rindex("\n") + 1
    return tokens


@dataclass(frozen=True)
class QueryPlan:
    """What the static checks learned about a query.

    Attributes:
        form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
        from_graphs: IRIs named by ``FROM``.
        from_named_graphs: IRIs named by ``FROM NAMED``.
    """

    form: str
    from_graphs: tuple[str, ...] = ()
    from_named_graphs: tuple[str, ...] = ()


def check_query(text: str, max_chars: int = MAX_QUERY_CHARS) -> QueryPlan:
    """Apply every rule in the module docstring.

    Raises:
        QueryRejected: Naming the rule broken, and the line and column where it applies.
    """
    if len(text) > max_chars:
        raise QueryRejected(f"query is {len(text):,} characters; the limit is {max_chars:,}")
    return _plan(text)


@functools.lru_cache(maxsize=512)
def _plan(text: str) -> QueryPlan:
    """The checks after the size cap; cached, as every front end checks a query more than once."""
    tokens = tokenize(text)
    _check_nesting(tokens)
    declared = dict(PREFIXES)
    form = ""
    from_graphs: list[str] = []
    from_named: list[str] = []
    for index, token in enumerate(tokens):
        if token.kind != "word":
            continue
        word = token.text.upper()
        if word == "PREFIX" and index + 2 < len(tokens):
            name, iri = tokens[index + 1], tokens[index + 2]
            if name.kind == "pname" and iri.kind == "iri":
                declared[name.text.rstrip(":")] = iri.text[1:-1]
        elif word == "SERVICE":
            raise QueryRejected(
                f"line {token.line}, column {token.column}: SERVICE is not allowed "
                "(federated queries would make outbound requests)"
            )
        elif word in UPDATE_KEYWORDS:
            raise QueryRejected(
                f"line {token.line}, column {token.column}: {word} is an update; "
                "the knowledge graph is read-only"
            )
        elif word in {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"} and not form:
            form = word
        elif word == "FROM" and index + 1 < len(tokens):
            named = tokens[index + 1].kind == "word" and tokens[index + 1].text.upper() == "NAMED"
            target = tokens[index + 2] if named and index + 2 < len(tokens) else tokens[index + 1]
            (from_named if named else from_graphs).append(_resolve(target, declared))
    if not form:
        raise QueryRejected("not a query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return QueryPlan(form, tuple(from_graphs), tuple(from_named))


def _check_nesting(tokens: list[Token]) -> None:
    depth = 0
    for token in tokens:
        if token.kind == "open":
            depth += 1
            if depth > MAX_NESTING:
                raise QueryRejected(
                    f"line {token.line}, column {token.column}: brackets nest more than "
                    f"{MAX_NESTING} deep"
                )
        elif token.kind == "close":
            depth = max(depth - 1, 0)


def _resolve(token: Token, declared: dict[str, str]) -> str:
    if token.kind == "iri":
        return token.text[1:-1]
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in declared:
            return declared[prefix] + local
    raise QueryRejected(f"line {token.line}, column {token.column}: FROM needs a graph IRI")


def with_values(text: str, bindings: Mapping[str, Term]) -> str:
    """Pre-bind variables by opening the query's outer ``WHERE`` group with a ``VALUES`` block.

    The same meaning as rdflib's ``initBindings``. The insertion point is found by tokens and the
    terms are written by pyoxigraph (escaped N-Triples syntax), so nothing a user typed is spliced.

    >>> from pyoxigraph import Literal
    >>> with_values('SELECT ?x WHERE { ?x ?p "{" }', {"p": Literal("a")})
    'SELECT ?x WHERE { VALUES (?p) { ("a") } ?x ?p "{" }'
    """
    if not bindings:
        return text
    tokens = tokenize(text)
    words = [t for t in tokens if t.kind == "word"]
    where = next((t for t in words if t.text.upper() == "WHERE"), None)
    opening = next(
        (
            t
            for t in tokens
            if t.kind == "open" and t.text == "{" and (where is None or t.start > where.start)
        ),
        None,
    )
    if opening is None:
        raise QueryRejected("cannot bind parameters: the query has no WHERE group")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(str(term) for term in bindings.values())
    at = opening.start + 1
    return f"{text[:at]} VALUES ({names}) {{ ({values}) }}{text[at:]}"
