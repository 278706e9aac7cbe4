"""The word alternations the quantity pattern is built from, matched against text as written.

:mod:`kg.data.quantity_words` is tables and patterns built once, at import; its one function,
``_alternation``, turns a table's words into a regular expression. mutmut changes a function only
while a test calls it, so these tests call it on the module's own tables (see docs/mutation.md).
"""

from __future__ import annotations

import re

import pytest

from kg.data.quantity_words import (
    CURRENCIES,
    NAMED_UNITS,
    PREFIX_CURRENCIES,
    PREFIXES,
    _alternation,
)


def _first(words: list[str], text: str) -> str | None:
    found = re.match(_alternation(words), text)
    return found.group() if found else None


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("元人民币", "元人民币"),  # the longest word wins over its prefix 元
        ("人民币25亿元", "人民币"),
        ("港元HIBOR", "港元"),  # a Chinese word may run straight into Latin letters
        ("USD 3.5 billion", "USD"),
        ("USDC", None),  # a Latin word ends where the letters end: not the stablecoin
        ("USDt", None),  # nor Tether's USDt
    ],
)
def test_currency_words(text: str, word: str | None) -> None:
    assert _first(list(CURRENCIES), text) == word


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("US$116.20", "US$"),  # $ is matched as written, not as the end of the text
        ("HK$1,159.46 million", "HK$"),
        ("¥3,000", "¥"),
        ("新台币2.1兆元", "新台币"),
    ],
)
def test_currency_words_before_a_figure(text: str, word: str) -> None:
    assert _first(list(PREFIX_CURRENCIES), text) == word


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("not less than 30%", "not less than"),
        ("less than 30%", "less than"),
        ("overall 30%", None),
        ("over 30%", "over"),
    ],
)
def test_english_bound_words(text: str, word: str | None) -> None:
    assert _first([w for w in PREFIXES if w.isascii()], text) == word


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("%的股份", "%"),  # a one-character word
        ("％股权", "％"),  # full-width
        ("3个百分点", None),  # the figure is not a unit
        ("个百分点", "个百分点"),
        ("倍以上", "倍"),
    ],
)
def test_unit_words(text: str, word: str | None) -> None:
    assert _first([w for w in NAMED_UNITS if w != "人"], text) == word
