"""Names folded for comparison: script, case, width, spacing and legal forms set aside.

Two names of one company rarely agree letter for letter: ``北京智谱华章科技股份有限公司``,
``智谱华章``, ``智谱AI`` and ``Zhipu AI`` are one firm. :func:`fold` compares names as the
resolver does (NFKC, case, Traditional → Simplified, no spaces or punctuation);
:func:`core` also strips what is not the name proper: legal forms (``股份有限公司``, ``Inc.``,
``Ltd.``), generic trade words (``科技``, ``AI``) and a leading city (``北京``), repeatedly, so
that what is left is the distinctive part.

>>> core("北京智谱华章科技股份有限公司"), core("智谱AI"), core("Zhipu AI"), core("智譜華章")
('智谱华章', '智谱', 'zhipu', '智谱华章')
"""

from __future__ import annotations

import re
import unicodedata

from kg.data.hanzi import simplified

__all__ = ["core", "fold"]

_PUNCTUATION = re.compile(r"[\W_]+")

#: Endings that name a legal form or a trade, not the firm; the longest are tried first.
_SUFFIXES = sorted(
    {
        "股份有限公司",
        "有限责任公司",
        "有限公司",
        "股份公司",
        "控股",
        "集团",
        "公司",
        "科技",
        "技术",
        "网络",
        "信息",
        "人工智能",
        "智能",
        "incorporated",
        "corporation",
        "company",
        "limited",
        "holdings",
        "group",
        "corp",
        "inc",
        "ltd",
        "llc",
        "plc",
        "gmbh",
        "co",
        "ai",
        "technology",
        "technologies",
        "tech",
    },
    key=lambda s: (-len(s), s),
)
#: Leading places of registered names (``北京智谱华章科技股份有限公司``), stripped only from a name
#: that had a legal form or trade word stripped: ``上海人工智能实验室`` keeps its place
#: (longest first: 杭州市 before 杭州).
_PLACES = (
    *(city + "市" for city in ("北京", "上海", "深圳", "杭州", "广州", "天津", "成都")),
    *("北京", "上海", "深圳", "杭州", "广州", "天津", "成都"),
)
#: What may be left of a name once its place is cut, when the place *is* the name: kept whole
#: (上海银行 is not 北京银行).
_TRADES = frozenset({"银行", "证券", "保险", "信托", "期货", "电力", "航空", "电信", "机场"})


def fold(name: str) -> str:
    """``name`` with case, width, script, spaces and punctuation set aside.

    >>> fold("Zhipu-AI"), fold("智譜ＡＩ")
    ('zhipuai', '智谱ai')
    """
    text = unicodedata.normalize("NFKC", simplified(name)).casefold()
    return _PUNCTUATION.sub("", text)


def core(name: str) -> str:
    """The distinctive part of ``name``: :func:`fold` less legal forms, trade words, a city.

    Never empty when ``name`` has letters: a name that is all legal form (``有限公司``) stays as
    folded.
    """
    if fold(name) in _SUFFIXES:  # all legal form: nothing to strip down to
        return fold(name)
    words = [w for w in _PUNCTUATION.split(unicodedata.normalize("NFKC", name).casefold()) if w]
    while len(words) > 1 and words[-1] in _SUFFIXES:  # "zhipu ai inc" → "zhipu"
        words.pop()
    folded = fold("".join(words))
    stripped, changed = False, True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if folded.endswith(suffix) and len(folded) - len(suffix) >= 2 and _cjk(suffix):
                folded = folded[: -len(suffix)]
                stripped = changed = True
                break
    if stripped and folded != fold(name):  # a registered name: [place] name [trade] [form]
        for place in _PLACES:
            rest = folded[len(place) :]
            if folded.startswith(place) and len(rest) >= 2 and rest not in _TRADES:
                folded = rest
                break
    if folded.endswith("ai") and len(folded) > 3 and _cjk(folded[-3]):  # 智谱ai → 智谱
        folded = folded[:-2]
    return folded or fold(name)


def _cjk(text: str) -> bool:
    return all("\u3400" <= char <= "\u9fff" for char in text)
