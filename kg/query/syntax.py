"""Syntax errors a person can act on: where (line, column, a caret under the spot) and what.

Oxigraph reports the farthest point its parser reached and every token it would have taken
there, which for a prefixed name is a dump of Unicode ranges. :func:`explain` turns that into
one short line: an undeclared prefix becomes ``unknown prefix foaf: — declare it with PREFIX
foaf: <…>`` (pointing at the prefix), a list of expected tokens keeps only the readable ones.
The CLI, the server and the query page show the same text.

>>> print(explain("SELECT * WHERE { ?x foaf:name ?n }", "expected one of Prefix not found", 1, 30))
line 1, column 21: unknown prefix foaf: — declare it with PREFIX foaf: <…>
  SELECT * WHERE { ?x foaf:name ?n }
                      ^
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kg.data.prefixes import PREFIXES
from kg.query.safety import tokenize

__all__ = ["Located", "explain", "locate", "undeclared_prefixes"]

_QUOTED = re.compile(r'"[^"]*"|\b[A-Za-z][A-Za-z0-9_]*\b')


@dataclass(frozen=True)
class Located:
    """A spot in a query.

    Attributes:
        line: 1-based line.
        column: 1-based column, in characters.
    """

    line: int
    column: int


def undeclared_prefixes(text: str) -> dict[str, Located]:
    """Prefixes the query uses without declaring them (nor being predeclared), where first used.

    >>> undeclared_prefixes('PREFIX ex: <urn:x#> SELECT * { ?s ex:p foaf:x ; kg:y "a:b" }')
    {'foaf': Located(line=1, column=40)}
    """
    declared = set(PREFIXES)
    found: dict[str, Located] = {}
    tokens = tokenize(text)
    for i, token in enumerate(tokens):
        if token.kind != "pname":
            continue
        prefix = token.text.partition(":")[0]
        if i and tokens[i - 1].kind == "word" and tokens[i - 1].text.upper() == "PREFIX":
            declared.add(prefix)
        elif prefix not in declared and prefix not in found:
            found[prefix] = Located(token.line, token.column)
    return found


def _position(text: str, offset: int) -> Located:
    before = text[:offset]
    return Located(before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)


def locate(text: str, line: int, byte_column: int) -> Located:
    """The character column of Oxigraph's byte column on ``line`` (both 1-based)."""
    lines = text.splitlines() or [""]
    row = lines[min(max(line, 1), len(lines)) - 1].encode("utf-8")
    return Located(line, len(row[: max(byte_column - 1, 0)].decode("utf-8", "ignore")) + 1)


def _readable(message: str) -> str:
    """Oxigraph's ``expected one of …`` without its character-class ranges."""
    message = " ".join(message.split())
    if not message.startswith("expected"):
        return message
    head, _, listed = message.partition(" of ") if " one of " in message else ("", "", "")
    if not listed:
        return message
    listed = re.sub(r"\[[^\]]*\]", "", listed)
    tokens = list(dict.fromkeys(_QUOTED.findall(listed)))
    if not tokens:
        return "unexpected text here"
    shown = ", ".join(tokens[:12]) + (", …" if len(tokens) > 12 else "")
    return f"{head} of {shown}"


def _caret(line_text: str, column: int) -> str:
    width = sum(
        2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line_text[: column - 1]
    )
    return " " * width + "^"


def explain(text: str, message: str, line: int | None, byte_column: int | None) -> str:
    """The message of a syntax error in ``text``: position, cause, the line and a caret.

    Args:
        text: The query.
        message: The parser's message.
        line: Its 1-based line, if known.
        byte_column: Its 1-based column counted in UTF-8 bytes (Oxigraph's way), if known.
    """
    undeclared = undeclared_prefixes(text)
    if undeclared:
        prefix, spot = next(iter(undeclared.items()))
        message = f"unknown prefix {prefix}: — declare it with PREFIX {prefix}: <…>"
    elif line is None or byte_column is None:
        return _readable(message)
    else:
        spot = locate(text, line, byte_column)
        message = _readable(message)
    lines = text.splitlines() or [""]
    shown = lines[min(spot.line, len(lines)) - 1]
    return (
        f"line {spot.line}, column {spot.column}: {message}\n"
        f"  {shown}\n  {_caret(shown, spot.column)}"
    )
