"""Values as the explorer shows them: amounts, prices and quantities in both languages, dates.

Each function reads a value node's statements through ``lookup(node, property)``, the first
value of ``property`` on ``node`` (``None`` when it has none).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from kg.data.namespaces import KG, SCHEMA

Lookup = Callable[[Node, URIRef], Node | None]


def _number(value: float) -> str:
    for scale, word in ((1e12, " trillion"), (1e9, " billion"), (1e6, " million")):
        if abs(value) >= scale:
            return f"{value / scale:,.4g}{word}"
    return f"{value:,.6g}"


_VALUE, _MIN, _MAX, _APPROXIMATE = SCHEMA.value, SCHEMA.minValue, SCHEMA.maxValue, KG.isApproximate
_WRITTEN, _CURRENCY, _PRICE_CURRENCY = KG.asWritten, SCHEMA.currency, SCHEMA.priceCurrency
_PRICE, _PER, _UNIT = SCHEMA.price, SCHEMA.referenceQuantity, SCHEMA.unitText
_DATE, _DATE_TEXT, _APPROXIMATE_DATE = KG.date, KG.dateText, KG.approximateDate
_NOT_BEFORE, _NOT_AFTER = KG.notBefore, KG.notAfter
LOOKED_UP = frozenset(
    {
        *(_VALUE, _MIN, _MAX, _APPROXIMATE, _WRITTEN, _CURRENCY, _PRICE_CURRENCY),
        *(_PRICE, _PER, _UNIT, _DATE, _DATE_TEXT, _APPROXIMATE_DATE, _NOT_BEFORE, _NOT_AFTER),
    }
)
"""The properties these functions look up."""
_CURRENCY_ZH = {"CNY": "元", "USD": "美元", "HKD": "港元"}


def _range(node: Node, lookup: Lookup) -> str:
    value, low, high = (lookup(node, p) for p in (_VALUE, _MIN, _MAX))
    num = {k: float(str(v)) for k, v in (("v", value), ("lo", low), ("hi", high)) if v is not None}
    approx = "≈" if str(lookup(node, _APPROXIMATE)) == "true" else ""
    if "v" in num:
        return approx + _number(num["v"])
    if "lo" in num and "hi" in num:
        return f"{_number(num['lo'])}–{_number(num['hi'])}"
    if "lo" in num:
        return f"≥{_number(num['lo'])}"
    if "hi" in num:
        return f"≤{_number(num['hi'])}"
    return ""


def qualifier(node: Node, lookup: Lookup) -> tuple[str, str]:
    """A qualifier (amount, price, quantity) as (Chinese, English) text."""
    written = str(lookup(node, _WRITTEN) or "")
    currency = lookup(node, _CURRENCY) or lookup(node, _PRICE_CURRENCY)
    price = lookup(node, _PRICE)
    if price is not None:
        per = lookup(node, _PER)
        unit = f" per {_range(per, lookup)} {lookup(per, _UNIT) or ''}" if per else ""
        english = f"{currency} {_number(float(str(price)))}{unit}"
        return written or english, english.strip()
    if currency is not None:
        english = f"{currency} {_range(node, lookup)}".replace(f"{currency} ≥", f"≥ {currency} ")
        english = english.replace(f"{currency} ≤", f"≤ {currency} ")
        suffix = _CURRENCY_ZH.get(str(currency), "")
        needs_unit = written and (written[-1].isdigit() or written[-1] in "万亿千百")
        return (written + suffix if needs_unit else written) or english, english
    unit = str(lookup(node, _UNIT) or "")
    english = f"{_range(node, lookup)} {unit}".strip()
    return written or english, english


def amounts(money: list[list[tuple[str, str]]], language: int) -> str:
    """One line of a fact's figures in one language (0: Chinese, 1: English).

    Each property's figures are joined by " / " (two sources' figures side by side, a figure two
    sources write alike only once), the properties by " → " (a price before → after).

    >>> amounts([[("18亿元", "CNY 1.8 billion"), ("18亿元", "CNY 1.8 billion (cited)")]], 0)
    '18亿元'
    >>> amounts([[("1元", "CNY 1")], [("0.5元", "CNY 0.5")]], 1)
    'CNY 1 → CNY 0.5'
    """
    return " → ".join(" / ".join(dict.fromkeys(f[language] for f in each)) for each in money)


def month_start(lexical: str) -> str:
    """A sortable ``YYYY-MM`` start of a date of any precision."""
    return lexical[:7] if len(lexical) >= 7 else f"{lexical[:4]}-01"


def when(fact: Node, lookup: Lookup) -> dict[str, Any]:
    """A fact's ``date`` as shown (``≈``, ranges, bounds), ``date_start`` and ``date_text``."""
    date = lookup(fact, _DATE)
    approx = lookup(fact, _APPROXIMATE_DATE)
    low, high = lookup(fact, _NOT_BEFORE), lookup(fact, _NOT_AFTER)
    text = lookup(fact, _DATE_TEXT)
    if date is not None:
        shown, start = str(date), month_start(str(date))
    elif approx is not None:
        shown, start = f"≈{approx}", month_start(str(approx))
    elif low is not None:
        shown = f"{low}–{high}" if high is not None else f"≥{low}"
        start = month_start(str(low))
    else:
        shown, start = (f"≤{high}" if high is not None else ""), ""
    return {"date": shown, "date_start": start, "date_text": str(text or "")}
