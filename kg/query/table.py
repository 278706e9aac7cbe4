"""The terminal table of a query result: labelled, readable, and as wide as the terminal.

* IRIs read ``label (curie)``; numbers get thousands separators and are right-aligned.
* With a language (``kg query --lang en``), the other language's columns are dropped
  (``?city_zh``), and so is ``?city_en`` when ``?city`` already shows that label.
* Given a width (the terminal's, or ``$COLUMNS``), columns share it and their cells wrap,
  counting wide (CJK) characters as two columns. Columns of numbers and dates are never wrapped
  (``1,800,000,000`` is not split across lines): text columns shrink first. When even that is
  too narrow, each row is printed as a record: one ``?name  value`` line per column.

>>> import pyoxigraph as ox
>>> from kg.query.results import QueryResult
>>> amount = ox.Literal("200000000", datatype=ox.NamedNode(XSD + "decimal"))
>>> print(to_table(QueryResult("SELECT", ["amount"], [(amount,)]), {}))
?amount
───────────
200,000,000
1 row(s)
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Sequence
from typing import Protocol

import pyoxigraph as ox

from kg.data.prefixes import shorten

__all__ = ["MAX_COLUMN", "MIN_COLUMN", "Tabular", "display", "terminal_width", "to_table"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal

XSD = "http://www.w3.org/2001/XMLSchema#"
_WHOLE = re.compile(r"([+-]?[0-9]+)(?:\.0*)?")
_NUMERIC = {XSD + t for t in ("decimal", "integer", "double", "float", "long", "int")}
#: No column is wider than this, terminal or not.
MAX_COLUMN = 48
#: Below this many columns per cell, rows are printed as records instead.
MIN_COLUMN = 10
_GAP = 2


class Tabular(Protocol):
    """What a table is drawn from (a :class:`kg.query.results.QueryResult`)."""

    @property
    def form(self) -> str:
        """``SELECT`` or ``ASK``."""

    @property
    def variables(self) -> Sequence[str]:
        """Column names."""

    @property
    def rows(self) -> Sequence[tuple[Term | None, ...]]:
        """One tuple per solution, ``None`` for unbound."""

    @property
    def boolean(self) -> bool | None:
        """The ASK answer."""

    @property
    def truncated(self) -> bool:
        """True when a row cap cut the answer short."""


def terminal_width() -> int | None:
    """``$COLUMNS`` if set, else the terminal's width; ``None`` when output is not a terminal."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if sys.stdout.isatty():
        import shutil  # 3 ms of a cold start: only when the width is not given

        return shutil.get_terminal_size().columns
    return None


def display(term: Term | None, labels: dict[str, str]) -> str:
    """How a term reads in the table: a label, a CURIE, a readable number, or the text."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        label = labels.get(term.value)
        return f"{label} ({shorten(term.value)})" if label else shorten(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if term.datatype.value in _NUMERIC:
        whole = _WHOLE.fullmatch(term.value)
        if whole:  # the usual case, read without the decimal module (8 ms of a cold start)
            value = int(whole.group(1))
            return f"{value:,}" if abs(value) >= 10_000 else str(value)
        from decimal import Decimal, InvalidOperation

        try:
            number = Decimal(term.value)
        except InvalidOperation:
            return term.value
        grouped = abs(number) >= 10_000  # 200,000,000 but 1104 (offsets, counts)
        if number == number.to_integral_value():
            return f"{int(number):,}" if grouped else str(int(number))
        return f"{number.normalize():,f}" if grouped else f"{number.normalize():f}"
    return term.value


def _char_width(char: str) -> int:
    """Terminal columns of one character (no wide or full-width character is below U+1100)."""
    return 2 if char >= "\u1100" and unicodedata.east_asian_width(char) in "WF" else 1


def _width(text: str) -> int:
    return len(text) if text.isascii() else sum(map(_char_width, text))


def _wrap(text: str, width: int) -> list[str]:
    """Break ``text`` into lines of at most ``width`` columns, at a space where one is near."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current, current_width = "", 0
        for char in paragraph:
            char_width = _char_width(char)
            if current_width + char_width > width:
                cut = current.rfind(" ")
                if cut > 0:
                    lines.append(current[:cut])
                    current = current[cut + 1 :]
                    current_width = _width(current)
                else:
                    lines.append(current)
                    current, current_width = "", 0
            current += char
            current_width += char_width
        lines.append(current)
    return lines


def _kept_columns(result: Tabular, lang: str | None) -> list[int]:
    """The columns to show: all, or without the other language's and the repeated labels."""
    names = result.variables
    if lang is None:
        return list(range(len(names)))
    other = "en" if lang == "zh" else "zh"
    kept = []
    for i, name in enumerate(names):
        base, _, suffix = name.rpartition("_")
        if suffix == other and base:
            continue
        if suffix == lang and base in names:
            column = names.index(base)
            if all(
                row[column] is None or isinstance(row[column], ox.NamedNode) for row in result.rows
            ):
                continue  # ?city already reads "北京 (kgr:Beijing)"
        kept.append(i)
    return kept


_ATOMIC = re.compile(r"[-+]?[\d,.:/%]+")
"""A cell that must stay on one line: a number, a date, a time, a percentage."""


def _unbreakable(cells: list[list[str]], column: int) -> bool:
    values = [row[column] for row in cells if row[column]]
    return bool(values) and all(_ATOMIC.fullmatch(v) for v in values)


def _fit(natural: list[int], available: int) -> list[int]:
    """Share ``available`` columns: narrow columns keep their width, the rest split what is left."""
    widths = list(natural)
    remaining = sorted(range(len(widths)), key=lambda i: natural[i])
    budget = available
    while remaining:
        share = budget // len(remaining)
        i = remaining[0]
        if natural[i] <= share:
            budget -= natural[i]
            remaining.pop(0)
            continue
        for j in remaining:
            widths[j] = max(share, 1)
        break
    return widths


def _line(values: Sequence[str], widths: Sequence[int], right: Sequence[bool]) -> str:
    cells = [
        (" " * (w - _width(v)) + v) if r else (v + " " * (w - _width(v)))
        for v, w, r in zip(values, widths, right, strict=True)
    ]
    return (" " * _GAP).join(cells).rstrip()


def _records(header: list[str], cells: list[list[str]], width: int) -> list[str]:
    label_width = max(map(_width, header), default=0)
    value_width = max(width - label_width - _GAP, MIN_COLUMN)
    lines: list[str] = []
    for number, row in enumerate(cells, 1):
        lines.append(f"── {number} " + "─" * max(width - 4 - len(str(number)), 3))
        for name, value in zip(header, row, strict=True):
            for k, part in enumerate(_wrap(value, value_width) if value else [""]):
                lead = name + " " * (label_width - _width(name)) if k == 0 else " " * label_width
                lines.append(f"{lead}{' ' * _GAP}{part}".rstrip())
    return lines


def to_table(
    result: Tabular,
    labels: dict[str, str],
    *,
    width: int | None = None,
    lang: str | None = None,
) -> str:
    """A box-free, aligned, wrapped table for a terminal.

    Args:
        result: The answer.
        labels: Display labels by IRI.
        width: Fit into this many columns (``None``: columns up to :data:`MAX_COLUMN` each).
        lang: Keep only this language's ``*_zh``/``*_en`` columns.
    """
    if result.form == "ASK":
        return "yes" if result.boolean else "no"
    kept = _kept_columns(result, lang)
    header = [f"?{result.variables[i]}" for i in kept]
    cells = [[display(row[i], labels) for i in kept] for row in result.rows]
    right = [
        bool(result.rows)
        and all(
            row[i] is None or (isinstance(row[i], ox.Literal) and row[i].datatype.value in _NUMERIC)  # type: ignore[union-attr]
            for row in result.rows
        )
        for i in kept
    ]
    natural = [
        min(MAX_COLUMN, max([_width(header[k]), *(_width(c[k]) for c in cells)]))
        for k in range(len(header))
    ]
    footer = f"{len(result.rows)} row(s)" + (
        " — truncated by the row cap" if result.truncated else ""
    )
    widths = natural
    if width is not None and sum(natural) + _GAP * (len(natural) - 1) > width:
        fixed = [k for k in range(len(header)) if _unbreakable(cells, k)]
        text = [k for k in range(len(header)) if k not in fixed]
        available = width - _GAP * (len(natural) - 1) - sum(natural[k] for k in fixed)
        if available < sum(min(natural[k], MIN_COLUMN) for k in text):
            return "\n".join([*_records(header, cells, width), footer])
        shared = _fit([natural[k] for k in text], available)
        widths = list(natural)
        for k, w in zip(text, shared, strict=True):
            widths[k] = w
    lines: list[str] = []
    for row in [header, None, *cells]:
        if row is None:
            lines.append((" " * _GAP).join("─" * w for w in widths))
            continue
        wrapped = [_wrap(c, widths[k]) for k, c in enumerate(row)]
        for n in range(max((len(w) for w in wrapped), default=1)):
            values = [w[n] if n < len(w) else "" for w in wrapped]
            lines.append(_line(values, widths, right if row is not header else [False] * len(row)))
    return "\n".join([*lines, footer])
