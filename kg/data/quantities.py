"""Chinese amounts, counts, prices, percentages and multipliers, as outlets write them.

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

As outlets write them: Traditional characters and full-width forms are folded for matching
(``25億元``, ``１２．５亿``; the ``text`` of a quantity is always the span as written), spaces may
stand between figure, magnitude and currency (``12 亿港元``, ``88.5 港元 / 每股``), figures may
have thousands separators (``4,350,000,000港元``) and English magnitudes (``HK$1,159.46
million``), currencies may come first (``HK$116.20``, ``人民币25亿元``), announcements' English
bounds count (approximately, about, over, more than, not less than, up to, less than, not more
than), and 个百分点 is a PERCENTAGE_POINT. In a passage,
:func:`find_quantities` also reads ranges (``30至36港元``: min 30, max 36), conversions in
brackets (``800亿港元(约合102亿美元)``: the second ``converted_from`` the first), the direction
of a change (``同比增长25%``: up) and a currency the passage implies (``context_currency``).

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

from kg.data.hanzi import folded
from kg.data.quantity_numbers import (
    QuantityError,
    bounds,
    figure,
    is_year,
    magnitude,
    plain_value,
    reference,
    tidy,
    unit,
)
from kg.data.quantity_words import (
    CONVERSION_GAP,
    CURRENCIES,
    CURRENCY_CODES,
    DIRECTION_BEFORE,
    IDENTIFIER_BEFORE,
    NAMED_UNITS,
    PATTERN,
    RANGE_GAP,
    RANGE_HEAD,
    RELATIVE_AFTER,
    TIME_UNITS,
)

__all__ = ["Quantity", "QuantityError", "find_quantities", "matches", "parse_quantity"]


@dataclass(frozen=True)
class Quantity:
    """One amount as written, with its normalised value and bounds.

    Attributes:
        text: The span as written, e.g. ``"不足600亿"``, ``"120.5億至133.8億港元"``.
        start: Code-point offset of the span within the string parsed.
        end: Offset just past the span.
        value: The point value in base units, or ``None`` when the text gives only bounds.
        min_value: The lower bound, when stated or implied (a range's first figure).
        max_value: The upper bound, when stated or implied (a range's last figure).
        approximate: Whether the text is anything but an exact figure (a range is not).
        unit: An ISO 4217 code for money (``"CNY"``, ``"USD"``, ``"HKD"``...), ``"PERCENT"``,
            ``"TIMES"`` (倍), ``"PERSON"`` (人 位 名), ``"SHARE"`` (股), ``"TOKEN"``, another
            measure word as written (``"座"``, ``"年"``, ``"个"``...), or ``None`` when none is
            written.
        reference_quantity: For a price per N units, N (``5元/百万token``: 1000000).
        reference_unit: The unit priced (``"TOKEN"``, ``"SHARE"`` for 每股 and ``港元/股``).
        direction: ``"up"`` or ``"down"`` for a change (``上涨5%``, ``跌幅达3.4%``), else ``None``.
        converted_from: For a conversion in brackets (``800亿港元(约合102亿美元)``), the amount
            converted; the conversion is approximate when written with 约.
        context_currency: For a scaled figure with no currency written (``估值400亿``), the
            currency of the last amount before it in the passage: the reader's guess, not the
            text's word (curated data marks it ``kg:currencyFromContext``).
        negative: Whether a minus sign stands before the figure (``净额为 -1.5 亿元``); the
            values stay non-negative, as the graph stores them.

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
    direction: str | None = None
    converted_from: Quantity | None = None
    context_currency: str | None = None
    negative: bool = False

    @property
    def is_money(self) -> bool:
        """Whether the unit is a currency."""
        return self.unit in CURRENCY_CODES

    @property
    def is_price(self) -> bool:
        """Whether this is an amount per some quantity of a reference unit."""
        return self.reference_quantity is not None

    @property
    def is_range(self) -> bool:
        """Whether the text gives two figures, low and high (``30至36港元``)."""
        return self.value is None and self.min_value is not None and self.max_value is not None

    @property
    def currency_from_context(self) -> bool:
        """Whether the currency is the passage's, not the span's (see ``context_currency``)."""
        return self.context_currency is not None


def _build(m: re.Match[str], source: str) -> Quantity:
    """The quantity of a match made in the folded form of ``source``."""
    written, implied_unit = figure(m)
    found = bounds(m)
    lows = [written * b.low for b in found if b.low is not None]
    highs = [written * b.high for b in found if b.high is not None]
    value = written if all(b.keeps_value for b in found) else None
    per, per_unit = reference(m)
    return Quantity(
        text=source[m.start() : m.end()],
        start=m.start(),
        end=m.end(),
        value=None if value is None else tidy(value),
        min_value=tidy(max(lows)) if lows else None,
        max_value=tidy(min(highs)) if highs else None,
        approximate=bool(found) or bool(m["yiban"]),
        unit=unit(m, implied_unit),
        reference_quantity=per,
        reference_unit=per_unit,
    )


def parse_quantity(text: str) -> Quantity:
    """Parse exactly one quantity expression (a range too: ``30至36港元``).

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
    kg.data.quantity_numbers.QuantityError: not a quantity: '亿'
    """
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    m = PATTERN.fullmatch(folded(stripped))
    if m is not None and is_year(m):
        raise QuantityError(f"not a quantity: {text!r} is a calendar year")
    if m is not None:
        return replace(_build(m, stripped), start=lead, end=lead + len(stripped))
    whole = [q for q in find_quantities(stripped) if (q.start, q.end) == (0, len(stripped))]
    if not whole:
        raise QuantityError(f"not a quantity: {text!r}")
    return replace(whole[0], start=lead, end=lead + len(stripped))


#: The groups that make a figure more than a bare number (a date, a version, a rank).
_MARKED = [
    "pre",
    "sfx1",
    "sfx2",
    "ji",
    "post",
    "cur",
    "unit",
    "several",
    "frac",
    "den",
    "yiban",
    "pcur",
    "per",
    "emag",
]


def _is_amount(m: re.Match[str], text: str, *, in_range: bool = False) -> bool:
    """Whether a reader would call a match in running text an amount (see find_quantities)."""
    start, end = m.span()
    before = text[max(0, start - 2) : start]
    word_before = text[max(0, start - 8) : start].rstrip()  # 第 3名, 第  3名, 前\u3000 3个月
    is_arabic = m[0][0].isdigit()
    bare = not any(m[group] for group in _MARKED) and not {"万", "亿"} & set(m[0])
    relative = m["unit"] in TIME_UNITS and (
        word_before.endswith("前") or bool(RELATIVE_AFTER.match(text, end))
    )
    return not (
        word_before.endswith("第")
        or (is_arabic and not in_range and IDENTIFIER_BEFORE.search(before))
        or is_year(m)
        or relative
        or (m["half"] and before[-1:] in {"上", "下"})
        or (m["num"] == "一" and m[0] == "一" + (m["unit"] or "") and m["unit"] != "成")
        or bare
    )


def _range_head(text: str, m: re.Match[str]) -> re.Match[str] | None:
    """The first figure of ``A至B`` when ``m`` is B, a plain figure; not ``从A至B`` (a change)."""
    if not m["num"] or m["pre"]:
        return None
    head = RANGE_HEAD.search(text, max(0, m.start() - 40), m.start())
    if head is None:
        return None
    before = text[max(0, head.start() - 2) : head.start()]
    inside_a_number = before[-1:].isdigit() or (before[-1:] in {",", "."} and before[:1].isdigit())
    if before.endswith(("从", "由", "第")) or inside_a_number or IDENTIFIER_BEFORE.search(before):
        return None
    return head


def _unit_word(word: str | None) -> str | None:
    if word is None:
        return None
    return CURRENCIES.get(word) or NAMED_UNITS.get(word, word)


def _as_range(q: Quantity, head: re.Match[str], m: re.Match[str], source: str) -> Quantity | None:
    """``A至B`` as one quantity from A to B; A takes B's magnitude when it has none (30至36亿)."""
    if q.value is None or q.is_price or _unit_word(head["cur"]) not in {None, q.unit}:
        return None
    figure_a = plain_value(head["num"])
    scales = [magnitude(head["mag"])] if head["mag"] else [magnitude(m["mag"] or m["emag"]), 1]
    for scale in scales:
        low = figure_a * scale
        if low < q.value:
            return replace(
                q,
                text=source[head.start() : q.end],
                start=head.start(),
                value=None,
                min_value=tidy(low),
                max_value=q.value,
                approximate=True,
            )
    return None


#: A minus sign before a figure, not a dash after a name or a figure (GPT-4, 30-36).
_MINUS = re.compile(r"(?<![0-9A-Za-z])[-−] ?\Z")


def _scaled(m: re.Match[str]) -> bool:
    return bool(m["emag"] or {"万", "亿"} & set(m[0]))


def _in_passage(q: Quantity, m: re.Match[str], found: list[Quantity], text: str) -> Quantity:
    """What the words around a quantity add: a price's reference, a conversion, a direction."""
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
            q, reference_quantity=prev.reference_quantity, reference_unit=prev.reference_unit
        )
    gap = CONVERSION_GAP.fullmatch(text, prev.end, q.start) if prev is not None else None
    if gap is not None and prev is not None and prev.is_money and q.is_money:
        q = replace(q, converted_from=prev, approximate=q.approximate or "约" in gap[0])
    direction = DIRECTION_BEFORE.search(text, max(0, q.start - 8), q.start)
    if direction is not None:
        q = replace(q, direction="up" if direction["up"] else "down")
    if _MINUS.search(text, max(0, q.start - 3), q.start):
        q = replace(q, negative=True)
    money = [p for p in found if p.is_money]
    if q.unit is None and money and _scaled(m):
        q = replace(q, context_currency=money[-1].unit)
    return q


def find_quantities(text: str) -> list[Quantity]:
    """Find every amount in a passage, in order, with offsets into it.

    Skipped as not amounts: ordinals (``第二件``); figures inside names (``GPT-3``, ``GLM-130B``,
    ``L1``, ``GLM-4-Air``); years (``2025年``); relative dates (``4年前``, ``前三个月``);
    ``上半年``; ``一`` before a measure word, which is the article "a" (``一位``, ``一场``); and
    bare figures with no unit, 万/亿, vague word or fraction sign (``3月``, ``悟道2.0``,
    ``六小龙``, ``十分``), which in prose are dates, versions, ranks or idioms.

    In ``从A…至B`` (from A down/up to B), a plain amount B of the same currency as a price A is
    read as a price per the same reference: ``从5元/百万token砍至1元`` gives 1元 per 1e6 tokens.
    ``A至B`` with nothing between (``30至36港元``, ``3-5年``) is one range; ``从A至B`` is two.

    >>> [(q.text, q.value) for q in find_quantities("用1/10训练成本,价格打到0.0003元/千token")]
    [('1/10', Decimal('0.1')), ('0.0003元/千token', Decimal('0.0003'))]
    >>> [(q.text, q.min_value, q.max_value) for q in find_quantities("招股价30至36港元")]
    [('30至36港元', Decimal('30'), Decimal('36'))]
    """
    matched = folded(text)
    found: list[Quantity] = []
    for m in PATTERN.finditer(matched):
        head = _range_head(matched, m)
        if not _is_amount(m, matched, in_range=head is not None):
            continue
        try:
            q = _build(m, text)
        except QuantityError:  # 1/0: a shape of a fraction, not an amount
            continue
        ranged = _as_range(q, head, m, text) if head is not None else None
        if ranged is not None:
            q = ranged
            while found and found[-1].start >= q.start:
                found.pop()
        found.append(_in_passage(q, m, found, matched))
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
