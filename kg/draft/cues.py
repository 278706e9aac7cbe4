"""What the words around an amount say it is, and the cue words of each kind of fact.

Everything here reads a sentence folded to Simplified characters (:func:`kg.draft.names.fold`),
so one set of words serves both scripts; offsets are the same as in the text as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.data.quantities import Quantity

__all__ = [
    "CORE_LISTING",
    "DEPARTURE",
    "DONE",
    "FUNDED",
    "FUNDING",
    "LISTING",
    "LISTING_NEGATED",
    "PLAN",
    "PLAN_LISTING",
    "PRICE_CUT",
    "PRICE_RISE",
    "RELEASE",
    "SPEECH",
    "STOCK",
    "WEIGHED",
    "AmountRole",
    "amount_roles",
    "clause_of",
    "market_of",
    "round_of",
]

_CLAUSE_END = "，,；;。！？!?：:"

FUNDING = re.compile(
    r"融资(?!后|完成后)|领投|跟投|参投|注资|战略投资|(?<!超额)认购|(?<!基石)投资(?![者方人界基])"
)
FUNDED = re.compile(r"完成|获得|获|宣布|拿下|新一轮|引入|启动")
WEIGHED = re.compile(r"评估|可行性|考虑|研究")
SPEECH = re.compile(
    r"表示|称|认为|透露|指出|坦言|强调|回忆|说|据[^，。]{0,8}报道|据悉|据了解|传出|被传"
)
LISTING = re.compile(r"上市(?![时后前以辅])|挂牌|IPO|登陆|招股价?|发售价?|开始在.{0,6}买卖")
CORE_LISTING = re.compile(r"上市|挂牌|IPO|登陆|买卖")
PLAN_LISTING = re.compile(
    r"(?:计划|拟|将|预期|预计|冲刺|筹备|有望|准备)[^，。；]{0,30}?(?:上市|挂牌|IPO|买卖|赴港)"
    r"|(?:拟|计划)(?:发售|招股)|(?:上市|IPO)目标"
)
LISTING_NEGATED = re.compile(r"(?:没有|无|暂无|不会|否认)[^，。]{0,4}(?:上市|IPO)")
PLAN = re.compile(r"计划|拟|将|预期|预计|冲刺|筹备|有望|准备|启动")
DONE = re.compile(r"正式|已|首日|登陆|敲钟|挂牌上市|成功|上市的")
RELEASE = re.compile(r"发布|推出|开源|上线")
DEPARTURE = re.compile(r"离职|辞任|辞去|卸任|离开|出走|辞职")
PRICE_CUT = re.compile(r"降价|下调|降至|砍至|打到|下降")
PRICE_RISE = re.compile(r"涨价|上调|提价")
STOCK = re.compile(r"股价|开盘|收盘|收涨|收跌|发行价|招股价")
_STOCK_UP = re.compile(r"(?:上涨|收涨|大涨|涨|升|高开)\s*$")
_STOCK_DOWN = re.compile(r"(?:下跌|收跌|大跌|跌|挫|低开)\s*$")
_FUNDED_AFTER = re.compile(
    r"\s*(?:的)?(?:[A-Z\u4e00-\u9fff+\s]{0,6}轮)?(?:追加|战略)?(?:融资|投资)"
)
_NAMED_AFTER = re.compile(r"\s*(?:的)?(市值|估值)")
_ROUND = re.compile(r"(?:Pre-)?[A-E]\+?\s?轮|天使\+?轮|种子轮|Pre-IPO轮")
_MARKETS = (
    (re.compile(r"港交所|联交所|港股|赴港|香港"), "HongKongMarket"),
    (re.compile(r"科创板|A股|上交所|深交所|创业板|北交所"), "AShareMarket"),
)

#: Words just before an amount, and the part it plays (the last one before the amount wins).
_BEFORE = (
    ("valuation", re.compile(r"估值")),
    ("market_cap", re.compile(r"市值")),
    ("revenue", re.compile(r"营收|营业收入|总收入|收入|收益|营业额")),
    ("loss", re.compile(r"净亏损|亏损")),
    ("proceeds", re.compile(r"募资|集资|所得款项|募集|筹资|发售.{0,6}金额")),
    ("share_price", re.compile(r"每股|发售价|招股价|发行价|开盘价|收盘价")),
    ("funding", re.compile(r"融资|投资|注资|认购|领投|获得|获|金额")),
)


@dataclass(frozen=True)
class AmountRole:
    """An amount of a sentence and the part it plays (``funding``, ``valuation`` …)."""

    quantity: Quantity
    role: str


def clause_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause (between commas, semicolons or sentence ends) around ``text[start:end]``."""
    left = max(text.rfind(c, 0, start) for c in _CLAUSE_END) + 1
    rights = [i for c in _CLAUSE_END if (i := text.find(c, end)) >= 0]
    return left, min(rights, default=len(text))


def _role(text: str, q: Quantity) -> str | None:
    left, right = clause_of(text, q.start, q.end)
    before = text[left : q.start]
    after = text[q.end : right]
    if q.unit == "PERCENT":
        if re.search(r"降幅|跌幅|降价", before) or _STOCK_DOWN.search(before):
            return "down"
        if re.search(r"涨幅", before) or _STOCK_UP.search(before):
            return "up"
        return None
    if q.unit == "TIMES":
        return "multiple" if "认购" in before else None
    if not q.is_money:
        return None
    if q.is_price or re.match(r"\s*(?:/|每)股", after) or re.search(r"每股(?:H股)?\s*$", before):
        # A price says what it is per (每股116.2港元, 0.8元/千tokens); a plain amount is here
        # because 每股 or /股 stands next to it.
        per_share = q.reference_unit == "SHARE" if q.is_price else True
        return "share_price" if per_share else "unit_price"
    best: tuple[int, str] | None = None
    for role, pattern in _BEFORE:
        for m in pattern.finditer(before):
            if best is None or m.end() > best[0]:
                best = (m.end(), role)
    if best is None and _FUNDED_AFTER.match(after):
        return "funding"
    named = _NAMED_AFTER.match(after)
    if named is not None:
        return "market_cap" if named[1] == "市值" else "valuation"
    if re.search(r"(?:从|由)\s*$", before) or re.match(r"\s*(?:下调|降|上调)", after):
        return "price_before"
    if re.search(r"(?:降至|下调至|调至|砍至|打到|至|到)\s*(?:每\s*\S{0,6}tokens?\s*)?$", before):
        return "price_after" if best is None or best[1] == "funding" else best[1]
    return best[1] if best is not None else None


def amount_roles(text: str, quantities: list[Quantity]) -> list[AmountRole]:
    """Each amount of a sentence with the part the words around it give it (when they do).

    >>> from kg.data.quantities import find_quantities
    >>> t = "智谱获得10亿元投资,估值400亿元"
    >>> [(a.quantity.text, a.role) for a in amount_roles(t, find_quantities(t))]
    [('10亿元', 'funding'), ('400亿元', 'valuation')]
    """
    found = []
    for q in quantities:
        role = _role(text, q)
        if role is not None:
            found.append(AmountRole(q, role))
    return found


def round_of(text: str) -> tuple[int, int] | None:
    """The span of a round's name (``B轮``, ``天使轮``, ``Pre-A轮``), if the text names one."""
    m = _ROUND.search(text)
    return m.span() if m else None


def market_of(text: str) -> str | None:
    """The curated stock market the text names outside brackets (its local name), if any."""
    plain = re.sub(r"[（(][^）)]*[）)]", "", text)
    for pattern, market in _MARKETS:
        if pattern.search(plain):
            return market
    return None
