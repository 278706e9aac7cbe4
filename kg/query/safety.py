r"""One analysis per query: decode, tokenize and check a SPARQL query once, before any parser.

:func:`analyse` is the single pass every front end (CLI, Python API, server) goes through; its
:class:`QueryAnalysis` (form, tokens, variables, ``FROM`` graphs, the decoded text) is cached by
text, so the engines, the catalogue and the protocol reuse it instead of scanning again.

SPARQL's codepoint escapes (``\u0053`` is ``S``) are decoded first, as the grammar says they
are before parsing, so ``\u0053ERVICE`` is seen as ``SERVICE``. The checks then work on tokens
(strings, IRIs, comments and prefixed names are recognised first, so a keyword inside a literal
or a ``kg:service`` name is not mistaken for one):

* the text is at most :data:`MAX_QUERY_CHARS` characters and :data:`MAX_TOKENS` tokens;
* no ``SERVICE`` (federated query would make an outbound request);
* no update operation (``LOAD``, ``INSERT``, ``DELETE``, ``CLEAR``, ``DROP``, ``CREATE``,
  ``ADD``, ``MOVE``, ``COPY``): the knowledge graph is read-only here;
* brackets nest at most :data:`MAX_NESTING` deep, at most :data:`MAX_OPERATOR_RUN` operators
  follow one another (``!!!…!true``, ``- - -1``) and one bracket holds at most
  :data:`MAX_OPERATORS` operators (``1+1+…+1``): past these a parser or evaluator exhausts its
  recursion, and a native one crashes the process instead of raising;
* and, since those caps multiply (8 brackets, each with 999 ``*1``, pass every one of them and
  still crash Oxigraph), the operators and brackets on any path from the outside to an innermost
  bracket add up to at most :data:`MAX_EXPRESSION_DEPTH`: a bound on the depth of the expression
  tree a parser builds, whatever the shape (measured: Oxigraph crashes from about 6,500);
* ``FROM`` / ``FROM NAMED`` graphs are reported, so the caller resolves them only against
  graphs in the dataset (never fetched, never ``file://``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from kg.data.prefixes import PREFIXES
from kg.errors import UsageError

if TYPE_CHECKING:
    from kg.query.results import Term

MAX_QUERY_CHARS = 100_000
MAX_TOKENS = 50_000
MAX_NESTING = 64
MAX_OPERATOR_RUN = 32
MAX_OPERATORS = 1_000
FEDERATION_KEYWORDS = frozenset({"SERVICE"})
"""Words that would make the engine call another endpoint. The second wall
(:func:`kg.sandbox.wall_off_network`) holds even when this check does not: its tests empty this
set in a process of their own to show it."""

#: Operators and brackets on any path into the query (see the module docstring).
MAX_EXPRESSION_DEPTH = 2_000
UPDATE_KEYWORDS = frozenset(
    {"LOAD", "INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)


class QueryRejected(UsageError, ValueError):
    """The query breaks a safety rule; the message says which and why."""


class Token(NamedTuple):
    """One lexical token.

    Attributes:
        kind: ``string``, ``iri``, ``pname``, ``var``, ``bnode``, ``number``, ``word``, ``open``,
            ``close``, ``operator`` or ``other``.
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
  | (?P<bnode>_:(?:\w|[^\x00-\xbf])(?:[\w.\-]|[^\x00-\xbf])*)
  | (?P<pname>(?:(?:[A-Za-z]|[^\x00-\xbf])(?:[\w.\-]|[^\x00-\xbf])*)?:
      (?:[\w\-:%\\]|[^\x00-\xbf]|\.(?=[\w\-:]))*)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<word>[A-Za-z_][\w\-]*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<operator>&&|\|\||!=|<=|>=|[!+\-*/=<>|^])
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


class QueryAnalysis:
    """What the one pass learned about a query (read-only by convention).

    Attributes:
        text: The query with SPARQL's codepoint escapes decoded: what the engines run.
        form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
        tokens: Its tokens (white space and comments dropped).
        variables: Every variable it names, without ``?``/``$``.
        prefixes: The prefixes it declares itself.
        from_graphs: IRIs named by ``FROM``.
        from_named_graphs: IRIs named by ``FROM NAMED``.
        projected: The variables a ``SELECT`` projects (``None`` for ``SELECT *`` and the
            other forms).
    """

    def __init__(
        self,
        text: str,
        form: str,
        tokens: tuple[Token, ...],
        variables: frozenset[str] = frozenset(),
        prefixes: tuple[tuple[str, str], ...] = (),
        from_graphs: tuple[str, ...] = (),
        from_named_graphs: tuple[str, ...] = (),
        projected: frozenset[str] | None = None,
    ) -> None:
        self.text = text
        self.form = form
        self.tokens = tokens
        self.variables = variables
        self.prefixes = prefixes
        self.from_graphs = from_graphs
        self.from_named_graphs = from_named_graphs
        self.projected = projected

    def __repr__(self) -> str:
        return f"QueryAnalysis(form={self.form!r}, variables={sorted(self.variables)})"

    def used_prefixes(self) -> set[str]:
        """The prefixes of the prefixed names it uses."""
        return {t.text.partition(":")[0] for t in self.tokens if t.kind == "pname"}

    @functools.cached_property
    def iris(self) -> frozenset[str]:
        """Every IRI it names, prefixed names expanded (its own prefixes first)."""
        declared = {**PREFIXES, **dict(self.prefixes)}
        found = set()
        for token in self.tokens:
            if token.kind == "iri":
                found.add(token.text[1:-1])
            elif token.kind == "pname":
                prefix, _, local = token.text.partition(":")
                if prefix in declared:
                    found.add(declared[prefix] + local.replace("\\", ""))
        return frozenset(found)

    @functools.cached_property
    def has_open_pattern(self) -> bool:
        """Whether a pattern may match any predicate or any class (conservatively).

        True for ``DESCRIBE``, a ``BASE``, a variable in predicate position (``?s ?p ?o``, after
        ``;`` or ``[``), a variable after ``a``/``rdf:type``, a variable in an object list, or a
        negated property set: patterns that could match statements the query does not name.
        """
        if self.form == "DESCRIBE":
            return True
        rdf_type = PREFIXES["rdf"] + "type"
        subjects = {"var", "iri", "pname", "bnode"}
        terms = {"var", "iri", "pname", "bnode", "string", "number"}
        braces = parens = 0
        tokens = self.tokens
        for i, token in enumerate(tokens):
            if token.kind == "word" and token.text.upper() == "BASE":
                return True
            if token.text in "{}()":
                braces += {"{": 1, "}": -1}.get(token.text, 0)
                parens += {"(": 1, ")": -1}.get(token.text, 0)
                continue
            prev = tokens[i - 1] if i else None
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if (
                token.text == "!"
                and after is not None
                and (after.kind in {"iri", "pname"} or after.text in {"a", "^", "("})
            ):
                return True
            if token.kind != "var" or braces <= 0 or prev is None:
                continue
            if prev.text == "a" or (prev.kind == "pname" and _expands_to(prev, rdf_type)):
                return True
            if parens == 0 and prev.text == ",":
                return True
            before_object = after is not None and (
                after.kind in terms or after.text in {"[", "true", "false"}
            )
            if before_object and (prev.kind in subjects or prev.text in {";", "[", "]"}):
                return True
        return False


def _expands_to(token: Token, iri: str) -> bool:
    prefix, _, local = token.text.partition(":")
    return PREFIXES.get(prefix, "") + local == iri


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def decode_escapes(text: str) -> str:
    r"""Replace SPARQL's codepoint escapes (``\uXXXX``, ``\UXXXXXXXX``) by their characters.

    >>> decode_escapes(r"\u0053ERVICE")
    'SERVICE'
    """
    if "\\u" not in text and "\\U" not in text:
        return text

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryRejected(f"{match.group()} is not a character")
        return chr(code)

    return _ESCAPE.sub(char, text)


def analyse(text: str, max_chars: int = MAX_QUERY_CHARS) -> QueryAnalysis:
    """Decode, tokenize and apply every rule in the module docstring, once per text.

    Raises:
        QueryRejected: Naming the rule broken, and the line and column where it applies.
    """
    if len(text) > max_chars:
        raise QueryRejected(f"query is {len(text):,} characters; the limit is {max_chars:,}")
    return _analyse(text)


@functools.lru_cache(maxsize=512)
def _analyse(raw: str) -> QueryAnalysis:
    """The pass after the size cap; cached, as several layers look at the same query."""
    text = decode_escapes(raw)
    tokens = tokenize(text)
    if len(tokens) > MAX_TOKENS:
        raise QueryRejected(f"query has {len(tokens):,} tokens; the limit is {MAX_TOKENS:,}")
    _check_nesting(tokens)
    _check_operators(tokens)
    _check_expression_depth(tokens)
    own: list[tuple[str, str]] = []
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
                own.append((name.text.rstrip(":"), iri.text[1:-1]))
        elif word in FEDERATION_KEYWORDS:
            raise QueryRejected(
                f"line {token.line}, column {token.column}: {word} is not allowed "
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
    variables = frozenset(t.text[1:] for t in tokens if t.kind == "var")
    return QueryAnalysis(
        text,
        form,
        tuple(tokens),
        variables,
        tuple(own),
        tuple(from_graphs),
        tuple(from_named),
        _projection(tokens) if form == "SELECT" else None,
    )


def _projection(tokens: list[Token]) -> frozenset[str] | None:
    """The variables between the outer ``SELECT`` and its group (``None`` for ``*``).

    Only IRIs and the words ``FROM``, ``NAMED`` and ``WHERE`` can stand between the projection
    and the group's ``{``, so the scan stops at the brace.
    """
    start = next(i for i, t in enumerate(tokens) if t.kind == "word" and t.text.upper() == "SELECT")
    names: set[str] = set()
    depth = 0
    for token in tokens[start + 1 :]:
        if token.text == "{":
            break
        depth += {"(": 1, ")": -1}.get(token.text, 0)
        if token.kind == "operator" and token.text == "*" and depth == 0:
            return None
        if token.kind == "var":
            names.add(token.text[1:])
    return frozenset(names)


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


def _check_operators(tokens: list[Token]) -> None:
    """Runs of operators and operators per bracket, which recursive parsers pay for in depth."""
    run = 0
    counts = [0]
    for token in tokens:
        if token.kind == "operator":
            run += 1
            counts[-1] += 1
            if run > MAX_OPERATOR_RUN:
                raise QueryRejected(
                    f"line {token.line}, column {token.column}: more than {MAX_OPERATOR_RUN} "
                    "operators in a row"
                )
            if counts[-1] > MAX_OPERATORS:
                raise QueryRejected(
                    f"line {token.line}, column {token.column}: more than {MAX_OPERATORS:,} "
                    "operators in one expression; split it with brackets or into several"
                )
            continue
        run = 0
        if token.kind == "open":
            counts.append(0)
        elif token.kind == "close" and len(counts) > 1:
            counts.pop()


def _check_expression_depth(tokens: list[Token]) -> None:
    """The operators of every enclosing bracket, and the brackets, on the way to each bracket.

    Counting whole brackets (not just the operators before the inner one) bounds the depth of
    the tree whichever side of an operator chain the inner bracket sits on.
    """
    parents, operators, opened = [-1], [0], [Token("open", "", 1, 1)]
    stack = [0]
    for token in tokens:
        if token.kind == "operator":
            operators[stack[-1]] += 1
        elif token.kind == "open":
            parents.append(stack[-1])
            operators.append(0)
            opened.append(token)
            stack.append(len(operators) - 1)
        elif token.kind == "close" and len(stack) > 1:
            stack.pop()
    depth: list[int] = []
    for index, parent in enumerate(parents):  # a bracket opens after its parent: one pass
        depth.append(operators[index] + (depth[parent] + 1 if parent >= 0 else 0))
        if depth[index] > MAX_EXPRESSION_DEPTH:
            token = opened[index]
            raise QueryRejected(
                f"line {token.line}, column {token.column}: this bracket sits under "
                f"{depth[index]:,} operators and brackets; the limit is {MAX_EXPRESSION_DEPTH:,} "
                "(a parser would build an expression too deep to evaluate): compute it in steps"
            )


def _resolve(token: Token, declared: dict[str, str]) -> str:
    if token.kind == "iri":
        return token.text[1:-1]
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in declared:
            return declared[prefix] + local
    raise QueryRejected(f"line {token.line}, column {token.column}: FROM needs a graph IRI")


def prebind(text: str, bindings: Mapping[str, Term]) -> str:
    """Pre-bind variables by opening the query's outer ``WHERE`` group with ``BIND`` clauses.

    The same meaning as rdflib's ``initBindings``, for engines that take no bindings of their own
    (a remote endpoint, or Oxigraph for a variable its substitution cannot reach). ``BIND`` rather
    than a one-row ``VALUES`` block: the same answers, but Virtuoso 7.2 plans ``VALUES`` so badly
    that ``events_in_month`` runs past any deadline, where the ``BIND`` form answers in 50 ms.
    The insertion point is found by tokens and the terms are written by pyoxigraph (escaped
    N-Triples syntax), so nothing a user typed is spliced.

    >>> from pyoxigraph import Literal
    >>> prebind('SELECT ?x WHERE { ?x ?p "{" }', {"p": Literal("a")})
    'SELECT ?x WHERE { BIND("a" AS ?p) ?x ?p "{" }'
    """
    if not bindings:
        return text
    tokens = analyse(text).tokens
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
    binds = " ".join(f"BIND({term} AS ?{name})" for name, term in bindings.items())
    at = opening.start + 1
    return f"{text[:at]} {binds}{text[at:]}"
