"""The source article: reading it, fingerprinting it, and locating quotes in it.

The project quotes the article but does not ship it. Offsets are Unicode code-point indices into
the file's text exactly as stored (UTF-8, no newline translation), i.e. Python ``str`` indices.
Curators never type offsets: :func:`locate` derives them from the quote, and :func:`fix_offsets`
rewrites the ``oa:TextPositionSelector`` that follows each ``oa:TextQuoteSelector`` in a TriG file.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from kg.data.output import write_text
from kg.errors import Findings


class QuoteError(Findings, ValueError):
    """A quote is absent from the source, or occurs more than once with no prefix to choose."""


@dataclass(frozen=True)
class SourceText:
    """The article's text and its fingerprint.

    Attributes:
        path: Where it was read from.
        text: The decoded text, newlines untouched.
        sha256: Hex SHA-256 of the file's bytes.

    """

    path: Path
    text: str
    sha256: str

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> SourceText:
        """Read the article from ``path``."""
        data = Path(path).read_bytes()
        return cls(Path(path), data.decode("utf-8"), hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class Span:
    """A half-open ``[start, end)`` range of code points."""

    start: int
    end: int


def locate(text: str, exact: str, prefix: str | None = None) -> Span:
    """Find ``exact`` in ``text``.

    Args:
        text: The source text.
        exact: The verbatim quote.
        prefix: Text that immediately precedes the wanted occurrence (``oa:prefix``); needed
            only when ``exact`` occurs more than once.

    Returns:
        The quote's span.

    Raises:
        QuoteError: If the quote is absent, or ambiguous and not disambiguated by ``prefix``.

    >>> locate("甲乙丙乙丙", "乙丙", prefix="丙")
    Span(start=3, end=5)

    """
    if not exact:
        raise QuoteError("empty quote")
    starts = [m.start() for m in re.finditer(re.escape(exact), text)]
    if prefix is not None:
        starts = [s for s in starts if text[:s].endswith(prefix)]
    if not starts:
        where = f" after prefix {prefix!r}" if prefix is not None else ""
        raise QuoteError(f"quote not found in the source{where}: {exact!r}")
    if len(starts) > 1:
        raise QuoteError(
            f"quote occurs {len(starts)} times (at {starts}); add an oa:prefix: {exact!r}"
        )
    return Span(starts[0], starts[0] + len(exact))


_LITERAL = r'"((?:[^"\\\n]|\\.)*)"'
_SELECTOR_PAIR = re.compile(
    r"oa:exact\s+" + _LITERAL + r"(?:\s*;\s*oa:prefix\s+" + _LITERAL + r")?"
    r"(\s*\]\s*,\s*\[\s*a\s+oa:TextPositionSelector\s*;\s*oa:start\s+)(-?\d+)(\s*;\s*oa:end\s+)(-?\d+)"
)
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "'": "'"}


def _unescape(literal: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), literal)


def fix_offsets(path: str | os.PathLike[str], text: str) -> int:
    """Rewrite the position selectors in a TriG/Turtle file from their quotes.

    Each ``oa:exact "…"`` (optionally followed by ``; oa:prefix "…"``) that is directly followed
    by ``] , [ a oa:TextPositionSelector ; oa:start N ; oa:end M`` gets N and M recomputed. The
    file is replaced atomically, and only when every quote was located.

    Returns:
        How many selectors changed.

    Raises:
        QuoteError: Naming the file and line of the first quote that cannot be located.

    """
    file = Path(path)
    original = file.read_text(encoding="utf-8")
    changed = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        exact = _unescape(match.group(1))
        prefix = _unescape(match.group(2)) if match.group(2) is not None else None
        try:
            span = locate(text, exact, prefix)
        except QuoteError as err:
            line = original.count("\n", 0, match.start()) + 1
            raise QuoteError(f"{file}:{line}: {err}") from None
        if (int(match.group(4)), int(match.group(6))) != (span.start, span.end):
            changed += 1
        head = match.group(0)[: match.start(4) - match.start(0)]
        return f"{head}{span.start}{match.group(5)}{span.end}"

    updated = _SELECTOR_PAIR.sub(replace, original)
    if updated != original:
        write_text(file, updated)
    return changed
