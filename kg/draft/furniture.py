"""Page furniture: the lines of a news page that are not the article's sentences.

Bylines (``文 | 华商韬略 耳令``, ``記者 王小明 / 報道``, ``作者:…``, ``By Wang Xiaoming``),
sources and titles (``来源:…``, ``原标题:…``), editors (``责任编辑:…``), word counts and reading
times (``全文约2300字,阅读需要6分钟``), date lines (``2026-01-08 09:30 來源:經濟日報``), image
credits and captions (``▲…,图源…``, ``(图片来源:…)``, ``圖/…``) and share or follow lines
(``点击关注``, ``转载请注明出处``). Text is folded (Traditional to Simplified, full-width to
ASCII) before it is matched; nothing is changed in the text itself.

>>> furniture_kind("記者 王小明 / 報道"), furniture_kind("记者王小明表示，融资已完成。")
('byline', None)
"""

from __future__ import annotations

import re

from kg.data.hanzi import folded

__all__ = ["furniture_kind", "is_furniture", "leading_credit"]

_OPEN = r"^[\s(\[【「《<]*"
_WIRE = r"专讯|[0-9一二三四五六七八九十]+日电|社电|报导|报道"
_SEPARATOR = r"\s*[|｜丨:/]"
_NAME = r"[^\s，,。:：]{2,4}"
_KINDS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(_OPEN + pattern))
    for kind, pattern in [
        ("byline", rf"(?:文|作者|撰文|记者){_SEPARATOR}"),
        (
            "byline",
            rf"(?:本报|本刊|新华社|中新社)?(?:特约)?记者\s*{_NAME}(?:(?:\s*[、/和]\s*|\s+){_NAME})*"
            rf"(?:\s*[/|]?\s*(?:[^\s，,。]{{0,6}}报道|发自\S*|摄))?\s*[)\]】」》>]*$",
        ),
        ("byline", r"(?:Reporter|Written by)s?\s*:|By\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3}\s*$"),
        # wire and press credits in brackets: (中央社记者王小明台北8日电), 【明报专讯】
        ("byline", rf"[(\[【][^()\[\]【】]{{0,30}}(?:{_WIRE})[)\]】]\s*$"),
        ("source", rf"(?:来源|本文来源|原文来源|消息来源){_SEPARATOR}|Sources?\s*:"),
        ("title", rf"原标题{_SEPARATOR}"),
        (
            "editor",
            rf"(?:编辑|责任编辑|责编|编审|审核|审校|校对|排版|美编|策划|监制|出品|主编|统筹|翻译|编译"
            rf"|作者简介|编者按){_SEPARATOR}|Editors?\s*:",
        ),
        (
            "credit",
            rf"(?:图源|图片来源|图片|图|摄影|摄|视频|设计|题图|封面|头图|配图){_SEPARATOR}"
            r"|(?:Photo|Image|Credit)s?\s*:",
        ),
        ("caption", r"[▲△▼↑☝👆]"),
        (
            "reading",
            r"全文(?:约|共)?\s*[0-9,]+\s*字"
            r"|(?:预计)?阅读(?:全文)?(?:需要|时间|约|需)?\s*(?:约|为)?\s*[0-9]+\s*分钟",
        ),
        (
            "dateline",
            rf"(?:发布时间|发布于|更新时间){_SEPARATOR}"
            r"|(?:19|20)[0-9]{2}\s*[-/.年]\s*[0-9]{1,2}\s*[-/.月]\s*[0-9]{1,2}\s*日?"
            r"(?:\s+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?|\s*来源)",
        ),
    ]
]
#: Share, follow and copyright lines, anywhere in a short sentence.
_SHARE = re.compile(
    r"(?:点击|长按|扫码|扫描).{0,12}(?:关注|二维码|订阅|阅读原文)|关注.{0,12}(?:公众号|视频号)"
    r"|分享到|转载请|未经(?:授权|许可).{0,8}转载|版权(?:所有|声明)|免责声明"
    r"|本文(?:系|为|来自|转载自).{0,20}(?:原创|授权|转载|公众号)"
    r"|^(?:阅读原文|END|-?\s*完\s*-?|[(\[【]完[)\]】])$"
)
_SHORT = 80
#: A credit in brackets at the start of a sentence: ``(图片来源:视觉中国)智谱成立于…``.
_LEADING_CREDIT = re.compile(
    r"[(\[【][^()\[\]【】]{0,40}?(?:图片来源|图源|来源|摄影|图|摄|"
    + _WIRE
    + r")\s*[:/|]?[^()\[\]【】]{0,40}[)\]】]\s*"
)


def furniture_kind(text: str) -> str | None:
    """What furniture a sentence (or line) is, or ``None`` for the article's prose.

    Kinds: ``"byline"``, ``"source"``, ``"title"`` (原标题), ``"editor"``, ``"credit"``,
    ``"caption"`` (a line opened by ▲; a caption may state a fact about its picture, so a
    reader of facts may choose to read it), ``"reading"`` (word count, reading time),
    ``"dateline"`` and ``"share"`` (share, follow and copyright lines).
    """
    matched = folded(text).strip()
    for kind, pattern in _KINDS:
        if pattern.match(matched):
            return kind
    return "share" if len(matched) <= _SHORT and _SHARE.search(matched) else None


def is_furniture(text: str) -> bool:
    """Whether a sentence (or line) is page furniture rather than the article's prose."""
    return furniture_kind(text) is not None


def leading_credit(text: str) -> int:
    """The length of a bracketed credit that opens ``text`` and is followed by prose, else 0.

    >>> leading_credit("(图片来源:视觉中国)智谱成立于2019年。")
    11
    """
    m = _LEADING_CREDIT.match(folded(text))
    if m is None or m.end() == len(text) or not is_furniture(text[: m.end()]):
        return 0
    return m.end()
