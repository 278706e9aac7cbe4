"""Chinese amounts, counts, prices, percentages and multipliers, as the article writes them.

:func:`parse_quantity` reads one expression (``30亿元``, ``不足600亿``, ``0.0003元/千token``);
:func:`find_quantities` finds every amount in a longer passage; :func:`matches` checks a value
stored in the graph against a parsed quantity.

Numbers are Arabic (``30``, ``6.5``, ``1/10``) or Chinese (``五``, ``二十``, ``一百零五``),
scaled by magnitude words (十 百 千 万 亿 and compounds: 百万 1e6, 千万 1e7, 千亿 1e11, 万亿 1e12).
Values are :class:`~decimal.Decimal` in base units (``30亿元`` is 3000000000 CNY); percentages keep
their written figure (``31.2%`` is 31.2 PERCENT). Vague wording sets bounds instead of, or as well
as, a point value, and always sets ``approximate``. With n the written figure:

- 约, 大约, n左右, n上下: value n.
- 近, 将近, 接近: value n, max n (``近10倍``).
- n来 (``200来亿``, "n-odd", about n): value n, no bound -- 来 licenses neither a floor nor a
  ceiling.
- 过, 超, 超过, 逾, 至少, 最少, 不少于, 多于, n余, n多, n以上: min n, no value.
- 不足, 不到, 少于, 至多, 最多, 不超过, n以下, n以内: max n, no value.
- n级 (``千万级``, an order of size): min n, max 10n, no value.
- 数 or 几 before a magnitude m (``数万``): min 2m, max 10m, no value.

数 and 几 mean "several": ``数万`` is read as "tens of thousands", at least 2e4 and below the next
order of magnitude, 1e5 (``数亿元``: 2e8 to 1e9 CNY). A bare magnitude word needs a figure
(``亿`` alone is an error) except after a bound word (``过亿元`` is over 1e8 CNY) and in ``万亿``.
A magnitude of 10^4 or more with no figure (``千亿参数规模``, ``万亿``) is a scale: min m,
max 10m. 过 is "over" only before a figure with a magnitude word (``过亿``, ``过100亿``);
elsewhere it is a verb suffix (``拉过一个``). 前 before a figure is a rank bound (``前十``:
max 10), except before a stretch of time (``前三个月`` is a relative date). Fractions
(``1/10``, ``三分之一``) are exact as written; ``一半`` ("half", as in 完成了一半) is a rough
figure: value 0.5, approximate, no bound; ``百分之三十`` is 30 PERCENT. A fraction
that does not terminate is rounded to the default 28 significant digits.

>>> q = parse_quantity("200来亿港币")
>>> q.value, q.min_value, q.max_value, q.approximate, q.unit
(Decimal('20000000000'), None, None, True, 'HKD')
>>> [q.text for q in find_quantities("2025年3月,智谱获得18亿元,估值400亿元。")]
['18亿元', '400亿元']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from kg.data.quantity_words import (
    BARE_MAGNITUDE,
    CN_DIGITS,
    CN_TENS,
    CURRENCIES,
    CURRENCY_CODES,
    FOUR_DIGITS,
    IDENTIFIER_BEFORE,
    NAMED_UNITS,
    ORDER_OF,
    PATTERN,
    PREFIXES,
    RANGE_GAP,
    RELATIVE_AFTER,
    SEVERAL,
    SUFFIXES,
    TIME_UNITS,
    Bound,
)
from kg.errors import UsageError

__all__ = ["Quantity", "QuantityError", "find_quantities", "matches", "parse_quantity"]


class QuantityError(UsageError, ValueError):
    """Text that is not one quantity expression."""


@dataclass(frozen=True)
class Quantity:
    """One amount as written, with its normalised value and bounds.

    Attributes:
        text: The span as written, e.g. ``"不足600亿"``.
        start: Code-point offset of the span within the string parsed.
        end: Offset just past the span.
        value: The point value in base units, or ``None`` when the text gives only bounds.
        min_value: The lower bound, when stated or implied.
        max_value: The upper bound, when stated or implied.
        approximate: Whether the text is anything but an exact figure.
        unit: An ISO 4217 code for money (``"CNY"``, ``"USD"``, ``"HKD"``...), ``"PERCENT"``,
            ``"TIMES"`` (倍), ``"PERSON"`` (人 位 名), ``"TOKEN"``, another measure word as
            written (``"座"``, ``"年"``, ``"个"``...), or ``None`` when none is written.
        reference_quantity: For a price per N units, N (``5元/百万token``: 1000000).
        reference_unit: The unit priced (``"TOKEN"``).

    """

    text: str
    start: int
    end: int
    value: Decimal | None
    min_value: Decimal | None
    max_value: Decimal | None
    approximate: bool
    unit: str | None
    reference_quantity: Decimal | None = None
    reference_unit: str | None = None

    @property
    def is_money(self) -> bool:
        """Whether the unit is a currency."""
        return self.unit in CURRENCY_CODES

    @property
    def is_price(self) -> bool:
        """Whether this is an amount per some quantity of a reference unit."""
        return self.reference_quantity is not None


def _cn_value(text: str) -> int:
    """The integer a Chinese numeral (or bare magnitude word) names.

    >>> _cn_value("一百零五"), _cn_value("二十"), _cn_value("千亿"), _cn_value("三千五百万")
    (105, 20, 100000000000, 35000000)
    """
    for big, scale in (("亿", 10**8), ("万", 10**4)):
        if big in text:
            head, _, tail = text.partition(big)
            return (_cn_value(head) if head else 1) * scale + (_cn_value(tail) if tail else 0)
    total, digit = 0, None
    for char in text:
        if char in CN_TENS:
            total += (1 if digit is None else digit) * CN_TENS[char]
            digit = None
        else:
            digit = CN_DIGITS[char]
    return total + (digit or 0)


def _plain_value(text: str) -> Decimal:
    """The value of an Arabic figure, a Chinese numeral, or a figure with a magnitude word."""
    rest = text.lstrip("0123456789.")
    arabic = text[: len(text) - len(rest)]
    number = Decimal(arabic) if arabic else Decimal(1)
    return number * _cn_value(rest) if rest else number


def _tidy(number: Decimal) -> Decimal:
    """Drop trailing zeros: integers print as integers, fractions without padding."""
    return Decimal(int(number)) if number == number.to_integral_value() else number.normalize()


def _divide(numerator: Decimal, denominator: Decimal, text: str) -> Decimal:
    if denominator == 0:
        raise QuantityError(f"not a quantity: {text!r} divides by zero")
    return numerator / denominator


def _figure(m: re.Match[str]) -> tuple[Decimal, str | None]:
    """The written figure n, before any vague word, and the unit it implies (百分之 = percent)."""
    if m["frac"]:
        numerator, denominator = m["frac"].split("/")
        return _divide(Decimal(numerator), Decimal(denominator), m[0]), None
    if m["den"]:
        if m["den"] == "百":
            return _plain_value(m["numer"]), "PERCENT"
        return _divide(_plain_value(m["numer"]), _plain_value(m["den"]), m[0]), None
    if m["yiban"] or m["half"]:
        return Decimal("0.5"), None
    if m["several"]:
        return Decimal(_cn_value(m["smag"])), None
    magnitude = m["mag"] or m["mag1"]
    number = _plain_value(m["num"])
    return (number * _cn_value(magnitude) if magnitude else number), None


def _bounds(m: re.Match[str]) -> list[Bound]:
    """The vague words of a match, as bounds on its figure."""
    found = [PREFIXES[m["pre"]]] if m["pre"] else []
    found += [SUFFIXES[m[group]] for group in ("sfx1", "sfx2", "ji", "post") if m[group]]
    if m["several"]:
        return [*found, SEVERAL]
    if not found and m["num"] and BARE_MAGNITUDE.fullmatch(m["num"]) and not m["mag"]:
        return [ORDER_OF]
    return found


def _unit(m: re.Match[str], implied: str | None) -> str | None:
    if implied:
        return implied
    if m["cur"]:
        return CURRENCIES[m["cur"]]
    if m["unit"] is None:
        return None
    if m["unit"].lower().startswith("token"):
        return "TOKEN"
    return NAMED_UNITS.get(m["unit"], m["unit"])


def _is_year(m: re.Match[str]) -> bool:
    """``2025年``: a four-digit figure and 年, nothing else, is a calendar year."""
    num = m["num"]
    return num is not None and bool(FOUR_DIGITS.fullmatch(num)) and m[0] == num + "年"


def _build(m: re.Match[str], offset: int) -> Quantity:
    figure, implied_unit = _figure(m)
    bounds = _bounds(m)
    lows = [figure * b.low for b in bounds if b.low is not None]
    highs = [figure * b.high for b in bounds if b.high is not None]
    value = figure if all(b.keeps_value for b in bounds) else None
    reference = None
    if m["refunit"]:
        reference = _tidy(_plain_value(m["ref"])) if m["ref"] else Decimal(1)
    return Quantity(
        text=m[0],
        start=m.start() + offset,
        end=m.end() + offset,
        value=None if value is None else _tidy(value),
        min_value=_tidy(max(lows)) if lows else None,
        max_value=_tidy(min(highs)) if highs else None,
        approximate=bool(bounds) or bool(m["yiban"]),
        unit=_unit(m, implied_unit),
        reference_quantity=reference,
        reference_unit="TOKEN" if m["refunit"] else None,
    )


def parse_quantity(text: str) -> Quantity:
    """Parse exactly one quantity expression.

    Args:
        text: The expression; surrounding whitespace is allowed.

    Returns:
        The quantity; its ``start`` and ``end`` are offsets into ``text``.

    Raises:
        QuantityError: If ``text`` is not one quantity expression (or is a year, ``2025年``).

    >>> q = parse_quantity("5元/百万token")
    >>> q.value, q.unit, q.reference_quantity, q.reference_unit
    (Decimal('5'), 'CNY', Decimal('1000000'), 'TOKEN')
    >>> parse_quantity("千万级").min_value, parse_quantity("千万级").max_value
    (Decimal('10000000'), Decimal('100000000'))
    >>> parse_quantity("亿")
    Traceback (most recent call last):
    ...
    kg.data.quantities.QuantityError: not a quantity: '亿'
    """
    stripped = text.strip()
    m = PATTERN.fullmatch(stripped)
    if m is None:
        raise QuantityError(f"not a quantity: {text!r}")
    if _is_year(m):
        raise QuantityError(f"not a quantity: {text!r} is a calendar year")
    return _build(m, offset=len(text) - len(text.lstrip()))


def _is_amount(m: re.Match[str], text: str) -> bool:
    """Whether a reader would call a match in running text an amount (see find_quantities)."""
    start, end = m.span()
    before = text[max(0, start - 2) : start]
    is_arabic = m[0][0].isdigit()
    marked = ("pre", "sfx1", "sfx2", "ji", "post", "cur", "unit", "several", "frac", "den", "yiban")
    bare = not any(m[group] for group in marked) and not {"万", "亿"} & set(m[0])
    relative = m["unit"] in TIME_UNITS and (
        before.endswith("前") or bool(RELATIVE_AFTER.match(text, end))
    )
    return not (
        before.endswith("第")
        or (is_arabic and IDENTIFIER_BEFORE.search(before))
        or _is_year(m)
        or relative
        or (m["half"] and before[-1:] in {"上", "下"})
        or (m["num"] == "一" and m[0] == "一" + (m["unit"] or ""))
        or bare
    )


def find_quantities(text: str) -> list[Quantity]:
    """Find every amount in a passage, in order, with offsets into it.

    Skipped as not amounts: ordinals (``第二件``); figures inside names (``GPT-3``, ``GLM-130B``,
    ``L1``, ``GLM-4-Air``); years (``2025年``); relative dates (``4年前``, ``前三个月``);
    ``上半年``; ``一`` before a measure word, which is the article "a" (``一位``, ``一场``); and
    bare figures with no unit, 万/亿, vague word or fraction sign (``3月``, ``悟道2.0``,
    ``六小龙``, ``十分``), which in prose are dates, versions, ranks or idioms.

    In ``从A…至B`` (from A down/up to B), a plain amount B of the same currency as a price A is
    read as a price per the same reference: ``从5元/百万token砍至1元`` gives 1元 per 1e6 tokens.

    >>> [(q.text, q.value) for q in find_quantities("用1/10训练成本,价格打到0.0003元/千token")]
    [('1/10', Decimal('0.1')), ('0.0003元/千token', Decimal('0.0003'))]
    """
    found: list[Quantity] = []
    for m in PATTERN.finditer(text):
        if not _is_amount(m, text):
            continue
        try:
            q = _build(m, offset=0)
        except QuantityError:  # 1/0: a shape of a fraction, not an amount
            continue
        prev = found[-1] if found else None
        if (
            prev is not None
            and prev.is_price
            and q.is_money
            and not q.is_price
            and q.unit == prev.unit
            and text.endswith("从", 0, prev.start)
            and RANGE_GAP.fullmatch(text, prev.end, q.start)
        ):
            q = replace(
                q,
                reference_quantity=prev.reference_quantity,
                reference_unit=prev.reference_unit,
            )
        found.append(q)
    return found


def _decimal(number: Decimal | int | float | str) -> Decimal:
    """A finite decimal from a stored value; floats go through their shortest repr."""
    try:
        result = Decimal(str(number).strip())
    except InvalidOperation:
        raise ValueError(f"not a number: {number!r}") from None
    if not result.is_finite():
        raise ValueError(f"not a finite number: {number!r}")
    return result


def _agrees(field: Decimal | None, given: Decimal | int | float | str | None) -> bool:
    return given is None or (field is not None and field == _decimal(given))


def matches(
    q: Quantity,
    *,
    value: Decimal | int | float | str | None = None,
    min_value: Decimal | int | float | str | None = None,
    max_value: Decimal | int | float | str | None = None,
    currency: str | None = None,
    reference_quantity: Decimal | int | float | str | None = None,
) -> bool:
    """Whether values stored in the graph agree with a parsed quantity.

    Every argument given must equal the quantity's field numerically (``3E+9`` equals
    ``3000000000``); ``currency`` (ISO 4217, any case) must be the quantity's unit, and the
    quantity must be money. Arguments left ``None`` are not compared.

    Raises:
        ValueError: If a number given is not a finite decimal.

    >>> q = parse_quantity("30亿元")
    >>> matches(q, value="3E+9", currency="CNY"), matches(q, value=3000000000, currency="USD")
    (True, False)
    """
    return (
        _agrees(q.value, value)
        and _agrees(q.min_value, min_value)
        and _agrees(q.max_value, max_value)
        and _agrees(q.reference_quantity, reference_quantity)
        and (currency is None or (q.is_money and q.unit == currency.upper()))
    )
