"""The words and patterns :mod:`kg.data.quantities` reads.

Bound words, units, currencies and Chinese numerals, and the regular expression built from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Bound:
    """What one vague word does to a figure n: keep it as the value, and/or bound it."""

    keeps_value: bool
    low: Decimal | None  # lower bound = n * low
    high: Decimal | None  # upper bound = n * high


_ABOUT = Bound(keeps_value=True, low=None, high=None)
_NEAR = Bound(keeps_value=True, low=None, high=Decimal(1))
_OVER = Bound(keeps_value=False, low=Decimal(1), high=None)
_UNDER = Bound(keeps_value=False, low=None, high=Decimal(1))
ORDER_OF = Bound(keeps_value=False, low=Decimal(1), high=Decimal(10))
SEVERAL = Bound(keeps_value=False, low=Decimal(2), high=Decimal(10))

PREFIXES: dict[str, Bound] = {
    "约": _ABOUT,
    "大约": _ABOUT,
    "近": _NEAR,
    "将近": _NEAR,
    "接近": _NEAR,
    "过": _OVER,
    "超": _OVER,
    "超过": _OVER,
    "逾": _OVER,
    "至少": _OVER,
    "最少": _OVER,
    "不少于": _OVER,
    "多于": _OVER,
    "不足": _UNDER,
    "不到": _UNDER,
    "少于": _UNDER,
    "至多": _UNDER,
    "最多": _UNDER,
    "不超过": _UNDER,
    "前": _UNDER,  # 前十: a rank, "in the top ten"
    # exchange announcements in English
    "approximately": _ABOUT,
    "about": _ABOUT,
    "over": _OVER,
    "more than": _OVER,
    "not less than": _OVER,
    "up to": _UNDER,
    "less than": _UNDER,
    "not more than": _UNDER,
}
SUFFIXES: dict[str, Bound] = {
    "来": _ABOUT,  # n来: "n-odd", an approximation with no bound
    "余": _OVER,
    "多": _OVER,
    "级": ORDER_OF,
    "左右": _ABOUT,
    "上下": _ABOUT,
    "以上": _OVER,
    "以下": _UNDER,
    "以内": _UNDER,
}

CURRENCIES: dict[str, str] = {
    "元": "CNY",
    "人民币": "CNY",
    "元人民币": "CNY",
    "RMB": "CNY",
    "CNY": "CNY",
    "USD": "USD",
    "HKD": "HKD",
    "美元": "USD",
    "美金": "USD",
    "港元": "HKD",
    "港币": "HKD",
    "欧元": "EUR",
    "日元": "JPY",
    "英镑": "GBP",
    "新台币": "TWD",
}
#: Currencies written before the figure (``HK$116.20``, ``人民币25亿元``, ``RMB 3.5 billion``).
PREFIX_CURRENCIES: dict[str, str] = {
    "US$": "USD",
    "新台币": "TWD",
    "HK$": "HKD",
    "RMB": "CNY",
    "CNY": "CNY",
    "USD": "USD",
    "HKD": "HKD",
    "人民币": "CNY",
    "¥": "CNY",
}
#: Magnitudes read apart from the Chinese numerals: English ones of exchange announcements
#: (``HK$1,159.46 million``), and 兆 (10^12) of Taiwan's press before a currency (``2.1兆元``;
#: elsewhere 兆 is mega-, as in 兆瓦).
WORD_MAGNITUDES: dict[str, int] = {
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
    "兆": 10**12,
}
CURRENCY_CODES = frozenset(CURRENCIES.values())
NAMED_UNITS: dict[str, str] = {
    "%": "PERCENT",
    "％": "PERCENT",
    "倍": "TIMES",
    "人": "PERSON",
    "位": "PERSON",
    "名": "PERSON",
    "股": "SHARE",
    "个百分点": "PERCENTAGE_POINT",
    "百分点": "PERCENTAGE_POINT",
}
#: Units whose quantity is a stretch of time, for spotting relative dates (``4年前``).
TIME_UNITS = frozenset({"年", "个月", "天"})

CN_DIGITS: dict[str, int] = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_TENS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}


def _alternation(words: list[str]) -> str:
    """A regex matching any of ``words``, longest first."""
    return "|".join(
        re.escape(w) + ("(?![A-Za-z])" if w[-1].isascii() and w[-1].isalpha() else "")
        for w in sorted(words, key=len, reverse=True)
    )


# Regex building blocks. A Chinese numeral below 10^4 is a "section"; 万 and 亿 join sections.
_D = "一二两三四五六七八九"
_SECTION = rf"(?:[{_D}]?千)?(?:零?[{_D}]?百)?(?:零?[{_D}]?十)?(?:零?[{_D}])?"
_CN = (
    rf"(?:(?:{_SECTION}万)?{_SECTION}亿)?(?:{_SECTION}万)?{_SECTION}"
    r"(?<=[零一二两三四五六七八九十百千万亿])"  # never empty
)
_CN_START = rf"(?=[{_D}十百千]|万亿)"  # 万 and 亿 alone need a bound word before them
_CN_START_BARE = rf"(?=[{_D}十百千万亿])"
# Arabic figures, with thousands separators (1,204.5) only in whole groups of three.
_ARABIC = r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?"
_SIMPLE = rf"(?:{_ARABIC}|{_CN_START}{_CN})"
_MAGNITUDE = r"(?:[十百千]?(?:万亿|亿|万)|[十百千])"
_TOKEN = r"(?i:tokens?)(?![A-Za-z])"
_CURRENCY_RE = _alternation(list(CURRENCIES))
_PREFIX_CURRENCY_RE = _alternation(list(PREFIX_CURRENCIES))
_WORD_MAGNITUDE = rf"(?:million|billion|trillion)(?![A-Za-z])|兆(?= ?(?:{_CURRENCY_RE}))"
# As written; 人工 (artificial) and 项目 (project) are not counts of people or items.
_UNIT_RE = "|".join(
    [
        "个月",
        "成(?![本员交立功果绩])",  # 三成: three tenths
        _alternation([w for w in NAMED_UNITS if w != "人"]),
        "人(?!工)",
        "项(?!目)",
        *"个座块年天家条件款轮地台",
        _TOKEN,
    ]
)
_ANY_UNIT = f"(?:{_CURRENCY_RE}|{_UNIT_RE})"
_PREFIX_RE = "|".join(
    [
        _alternation(
            [w for w in PREFIXES if w not in {"近", "约", "过", "前"} and not w.isascii()]
        ),
        "(?<![A-Za-z])(?:" + _alternation([w for w in PREFIXES if w.isascii()]) + ")",
        # 前十 (top ten), but not 前三个月 (three months before) nor 以前/之前/目前
        rf"(?<![之以目提当此先])前(?=[0-9{_D}十百千]+(?![0-9{_D}十百千万亿]|个月|年|天))",
        "(?<![最附靠])近",  # 最近 = recently
        "(?<![签合预契节公制])约",  # 签约 = sign a contract
        # 通过 = through, 经过 = after; 过 before a plain count is a verb suffix (拉过一个)
        rf"(?<![通经越错跨度不])过(?=[0-9.{_D}]*[十百千万亿])",
    ]
)
#: What a price is per: ``/千token``, `` / 每股``, `` per share``.
_PER = rf"(?: ?/ ?(?:每 ?)?| per )(?P<ref>{_ARABIC}(?:{_MAGNITUDE})?|{_CN_START_BARE}{_CN})?"
_REF_UNIT = rf" ?(?P<refunit>{_TOKEN}|(?:H ?)?股|(?i:(?:H )?shares?)(?![A-Za-z]))"

PATTERN = re.compile(
    rf"(?:(?P<pre>{_PREFIX_RE}) ?)?"
    r"(?:(?P<per>每股(?: ?H ?股)?(?:招股价|发售价|发行价|作价|定价|售价|价格)?(?:为|定为)?) ?)?"
    rf"(?:(?P<pcur>{_PREFIX_CURRENCY_RE}) ?)?"
    r"(?:"
    r"(?P<frac>[0-9]+/[0-9]+)"
    rf"|(?P<den>{_SIMPLE})分之(?P<numer>{_SIMPLE})"
    r"|(?P<yiban>一半)"
    rf"|(?P<half>半)(?={_ANY_UNIT})"
    rf"|(?P<several>[数几])(?P<smag>{_MAGNITUDE})"
    rf"|(?P<num>{_ARABIC}|(?(pre){_CN_START_BARE}|{_CN_START}){_CN})"
    rf"(?:(?P<sfx1> ?余|多|来(?={_MAGNITUDE}|{_ANY_UNIT}))(?P<mag1>{_MAGNITUDE})?"
    rf"| ?(?P<mag>{_MAGNITUDE})(?P<sfx2>[余多])?"
    rf"| ?(?P<emag>{_WORD_MAGNITUDE}))?"
    r"(?P<ji>(?<=[十百千万亿])级)?"
    r")"
    rf"(?: ?(?P<unit>{_UNIT_RE})|(?: ?(?P<cur>{_CURRENCY_RE}))?(?:{_PER}{_REF_UNIT})?)"
    r"(?P<post>左右|上下|以上|以下|以内)?"
)
#: The first figure of a range ``A至B``, ``A-B``, ``A~B``, ``A到B``, ending where B begins.
RANGE_HEAD = re.compile(
    rf"(?P<num>{_ARABIC}|{_CN_START}{_CN})(?: ?(?P<mag>{_MAGNITUDE}|兆))?"
    rf"(?: ?(?P<cur>{_CURRENCY_RE}|{_UNIT_RE}))? ?[至到~\-–—] ?\Z"
)
#: Between an amount and its conversion: ``(约合``, ``（折合``, ``,约合``.
CONVERSION_GAP = re.compile(
    r" ?(?:[(（] ?(?:约合|折合|相当于|合|约为|即)?|[,，、] ?(?:约合|折合))"
    r" ?(?:人民币|美元|港元|港币)?(?:约为?)? ?"
)
#: A change before a figure (``同比增长25%``, ``跌幅达3.4%``): up or down; not a level (涨至).
DIRECTION_BEFORE = re.compile(
    r"(?:(?P<up>上涨|上升|增长|增加|提升|提高|攀升|飙升|大涨|上扬|上调|涨价|提价|涨|升|增)"
    r"|(?P<down>下跌|下降|减少|回落|下滑|下调|降低|缩减|缩水|大跌|暴跌|降价|减价|跌|降|减))"
    r"了?(?:幅度?)?(?:达到?|为)? ?\Z"
)
FOUR_DIGITS = re.compile(r"[0-9]{4}")
#: A magnitude word with no figure before it (千亿参数规模): a scale, not a count.
BARE_MAGNITUDE = re.compile(r"[十百千]?(?:万亿|亿|万)")
IDENTIFIER_BEFORE = re.compile(r"(?:[A-Za-z]|[A-Za-z0-9][-.])$")
RELATIVE_AFTER = re.compile(r"[以之]?[前后]")
#: What may stand between the two amounts of 从A…至B: a verb, no punctuation.
RANGE_GAP = re.compile(r"[^\s,，。;；、!！?？]{0,8}[至到]了?")
