"""The figures of one match of :data:`~kg.data.quantity_words.PATTERN`: numbers, bounds, units.

These read what one expression says, and know nothing of the passage around it (ranges,
conversions and directions are read by :func:`kg.data.quantities.find_quantities`).
"""

from __future__ import annotations

import re
from decimal import Decimal

from kg.data.quantity_words import (
    BARE_MAGNITUDE,
    CN_DIGITS,
    CN_TENS,
    CURRENCIES,
    FOUR_DIGITS,
    NAMED_UNITS,
    ORDER_OF,
    PREFIX_CURRENCIES,
    PREFIXES,
    SEVERAL,
    SUFFIXES,
    WORD_MAGNITUDES,
    Bound,
)
from kg.errors import UsageError

__all__ = [
    "QuantityError",
    "bounds",
    "cn_value",
    "figure",
    "is_year",
    "magnitude",
    "plain_value",
    "reference",
    "tidy",
    "unit",
]


class QuantityError(UsageError, ValueError):
    """Text that is not one quantity expression."""


def cn_value(text: str) -> int:
    """The integer a Chinese numeral (or bare magnitude word) names.

    The last magnitude word scales all before it, so the older ``四万万`` (four hundred million)
    reads as 四万 × 万.

    >>> cn_value("一百零五"), cn_value("二十"), cn_value("千亿"), cn_value("三千五百万")
    (105, 20, 100000000000, 35000000)
    >>> cn_value("四万万")
    400000000
    """
    for big, scale in (("亿", 10**8), ("万", 10**4)):
        if big in text:
            head, _, tail = text.rpartition(big)
            return (cn_value(head) if head else 1) * scale + (cn_value(tail) if tail else 0)
    total, digit = 0, None
    for char in text:
        if char in CN_TENS:
            total += (1 if digit is None else digit) * CN_TENS[char]
            digit = None
        else:
            digit = CN_DIGITS[char]
    return total + (digit or 0)


def plain_value(text: str) -> Decimal:
    """The value of an Arabic figure (``1,204.5``), a Chinese numeral, or either with 万/亿."""
    text = text.replace(",", "")
    rest = text.lstrip("0123456789.")
    arabic = text[: len(text) - len(rest)]
    number = Decimal(arabic) if arabic else Decimal(1)
    return number * cn_value(rest) if rest else number


def magnitude(word: str | None) -> int:
    """The scale of a magnitude word (``亿``, ``百万``, ``million``, ``兆``); 1 for none."""
    if not word:
        return 1
    return WORD_MAGNITUDES.get(word) or cn_value(word)


def tidy(number: Decimal) -> Decimal:
    """Drop trailing zeros: integers print as integers, fractions without padding."""
    return Decimal(int(number)) if number == number.to_integral_value() else number.normalize()


def _divide(numerator: Decimal, denominator: Decimal, text: str) -> Decimal:
    if denominator == 0:
        raise QuantityError(f"not a quantity: {text!r} divides by zero")
    return numerator / denominator


def figure(m: re.Match[str]) -> tuple[Decimal, str | None]:
    """The written figure n, before any vague word, and the unit it implies (百分之 = percent)."""
    if m["frac"]:
        numerator, denominator = m["frac"].split("/")
        return _divide(Decimal(numerator), Decimal(denominator), m[0]), None
    if m["den"]:
        if m["den"] == "百":
            return plain_value(m["numer"]), "PERCENT"
        return _divide(plain_value(m["numer"]), plain_value(m["den"]), m[0]), None
    if m["yiban"] or m["half"]:
        return Decimal("0.5"), None
    if m["several"]:
        return Decimal(cn_value(m["smag"])), None
    number = plain_value(m["num"]) * magnitude(m["mag"] or m["mag1"] or m["emag"])
    if m["unit"] == "成":  # 三成 is 30%
        return number * 10, "PERCENT"
    return number, None


def bounds(m: re.Match[str]) -> list[Bound]:
    """The vague words of a match, as bounds on its figure."""
    found = [PREFIXES[m["pre"]]] if m["pre"] else []
    found += [SUFFIXES[m[group].strip()] for group in ("sfx1", "sfx2", "ji", "post") if m[group]]
    if m["several"]:
        return [*found, SEVERAL]
    if not found and m["num"] and BARE_MAGNITUDE.fullmatch(m["num"]) and not m["mag"]:
        return [ORDER_OF]
    return found


def unit(m: re.Match[str], implied: str | None) -> str | None:
    """The unit a match names: an ISO 4217 code for money, a code or a measure word as written."""
    if implied:
        return implied
    if m["pcur"] and m["cur"] in {None, "元"}:  # 新台币2.1兆元: 元 is the currency's unit word
        return PREFIX_CURRENCIES[m["pcur"]]
    if m["cur"]:
        return CURRENCIES[m["cur"]]
    if m["unit"] is None:
        return None
    if m["unit"].lower().startswith("token"):
        return "TOKEN"
    return NAMED_UNITS.get(m["unit"], m["unit"])


def reference(m: re.Match[str]) -> tuple[Decimal | None, str | None]:
    """What a price is per: (quantity, unit), e.g. (1000, ``"TOKEN"``); ``每股`` is (1, SHARE)."""
    if m["refunit"]:
        per = tidy(plain_value(m["ref"])) if m["ref"] else Decimal(1)
        return per, "TOKEN" if m["refunit"].lower().startswith("token") else "SHARE"
    if m["per"]:
        return Decimal(1), "SHARE"
    return None, None


def is_year(m: re.Match[str]) -> bool:
    """``2025年`` (or ``2025 年``): a four-digit figure and 年, nothing else, is a calendar year."""
    num = m["num"]
    if num is None or not FOUR_DIGITS.fullmatch(num):
        return False
    return m[0].replace(" ", "") == num + "年"
