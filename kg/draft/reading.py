"""Reading a plain-text article for a draft: sentences, mentions, candidates, dates and cues.

Everything here works on the text alone, with offsets as code points (Python ``str`` indices)
into the whole article. Entity names come from the curated labels and aliases (``kgg:curation``),
never from evidence graphs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from kg.draft.dates import DateContext, DateMention, find_dates
from kg.draft.furniture import furniture_kind, leading_credit

__all__ = [
    "CUES",
    "DateContext",
    "DateMention",
    "Mention",
    "NameIndex",
    "Sentence",
    "find_candidates",
    "find_cues",
    "find_dates",
    "sentences",
]

_TERMINATORS = frozenset("。！？!?;；\n")
_CLOSERS = frozenset("”’\"'」』）)】")
#: A full stop that ends a title, a company form or an initial, not a sentence (Co., Ltd. follows).
_ABBREVIATION = re.compile(
    r"(?<![A-Za-z])(?:Mr|Mrs|Ms|Dr|Prof|Co|Ltd|Inc|Corp|No|St|vs|U\.S|[A-Z])\.\Z"
)
_LATIN = re.compile(r"[A-Za-z0-9]")

CUES = (
    "融资", "投资", "领投", "注资", "估值", "上市", "辅导", "发布", "推出", "开源", "营收",
    "收入", "亏损", "离职", "加入", "创立", "成立", "收购", "合作", "降价", "价格", "市值",
    "担任", "出任", "竞争", "超越", "签约", "中标", "获得", "订单", "组建", "带进", "纳入",
    "采用", "用的是", "训练", "研发", "选择", "公布", "掌握", "契合", "处在", "遭遇", "突围",
    "表示", "认为", "介绍", "称", "说", "希望", "质疑",
)  # fmt: skip
"""Relation words: acts (funding, releases, departures), and reported speech (表示, 认为 …),
which the curator turns into claims with a claimant, never into plain facts."""


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``text == article[start:end]``.

    ``furniture_kind`` names a line of the page that is not the article's prose (``"byline"``,
    ``"reading"`` for a word count, ``"dateline"``, ``"credit"``, ``"caption"``, ``"share"``…:
    see :func:`kg.draft.furniture.furniture_kind`); its offsets are as exact as any sentence's.
    """

    start: int
    end: int
    text: str
    furniture_kind: str | None = None

    @property
    def furniture(self) -> bool:
        """Whether the sentence is page furniture, which a reader of facts skips."""
        return self.furniture_kind is not None


def sentences(text: str) -> Iterator[Sentence]:
    r"""Split on Chinese and English sentence ends, trimming the whitespace around each sentence.

    Lines end sentences too, and a bracketed credit that opens a sentence is a sentence of its
    own: ``(图片来源:视觉中国)智谱成立于2019年。`` is two, the first furniture.

    >>> [s.text for s in sentences("甲说:“好。”乙走了! Then he left. OK")]
    ['甲说:“好。”', '乙走了!', 'Then he left.', 'OK']
    >>> [(s.text, s.furniture) for s in sentences("文 | 耳令\n智谱成立于2019年。")]
    [('文 | 耳令', True), ('智谱成立于2019年。', False)]
    """
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        end_here = ch in _TERMINATORS or (
            ch == "."
            and (i + 1 == n or text[i + 1].isspace())
            and not _ABBREVIATION.search(text, max(0, i - 4), i + 1)
        )
        if end_here:
            j = i + 1
            while j < n and text[j] in _CLOSERS:
                j += 1
            yield from _trimmed(text, start, j)
            start = i = j
            continue
        i += 1
    yield from _trimmed(text, start, n)


def _trimmed(text: str, start: int, end: int) -> Iterator[Sentence]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return
    credit = leading_credit(text[start:end])
    if credit:
        yield from _trimmed(text, start, start + credit)
        yield from _trimmed(text, start + credit, end)
        return
    quote = text[start:end]
    yield Sentence(start, end, quote, furniture_kind(quote))


@dataclass(frozen=True)
class Mention:
    """A name in the article: linked to ``iri``, or a candidate when ``iri`` is ``None``."""

    start: int
    end: int
    text: str
    iri: str | None


class NameIndex:
    """Every label and alias of the known entities, matched longest first.

    Latin names match case-insensitively and only as whole words (``GLM`` not in ``GLMs``).
    """

    def __init__(self, names: Mapping[str, Iterable[str]]) -> None:
        self._names: dict[str, set[str]] = {}
        for name, iris in names.items():
            key = name.strip()
            if len(key) >= 2:
                self._names.setdefault(key.casefold(), set()).update(iris)
        self._ordered = sorted(self._names, key=lambda k: (-len(k), k))

    def __contains__(self, name: str) -> bool:
        return name.strip().casefold() in self._names

    def link(self, sentence: Sentence) -> list[Mention]:
        """The linked mentions of one sentence, longest match first, without overlaps."""
        folded = sentence.text.casefold()
        if len(folded) != len(sentence.text):  # a letter whose case fold is longer (ß → ss)
            folded = "".join(c if len(c.casefold()) > 1 else c.casefold() for c in sentence.text)
        taken: list[tuple[int, int]] = []
        found: list[Mention] = []
        for key in self._ordered:
            if key not in folded:
                continue
            for m in re.finditer(re.escape(key), folded):
                s, e = m.span()
                if any(s < te and ts < e for ts, te in taken) or not _whole_word(folded, s, e):
                    continue
                taken.append((s, e))
                for iri in sorted(self._names[key]):
                    start = sentence.start + s
                    found.append(Mention(start, start + e - s, sentence.text[s:e], iri))
        return sorted(found, key=lambda m: (m.start, m.iri or ""))


def _whole_word(text: str, start: int, end: int) -> bool:
    if not _LATIN.match(text[start]) and not _LATIN.match(text[end - 1]):
        return True
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return not (
        (_LATIN.match(text[start]) and _LATIN.match(before))
        or (_LATIN.match(text[end - 1]) and _LATIN.match(after))
    )


# ---------------------------------------------------------------- candidates
_ORG_SUFFIX = re.compile(
    r"[\u4e00-\u9fff]{2,8}?(?:公司|集团|科技|大学|研究院|实验室|基金|银行|资本|证券|交易所)"
)
_LATIN_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*")
_JIEBA_TAGS = frozenset({"nr", "ns", "nt", "nrt", "nz"})
_BEFORE_NAME = re.compile(r".*(?:获得|投资|来自|联合|以及|与|和|的|在|向|从|被|由|是|及|了|将|对)")


def _org_names(text: str) -> list[tuple[int, int]]:
    """Chinese names ending in an organisation word, cut after the last verb or particle."""
    spans = []
    for m in _ORG_SUFFIX.finditer(text):
        head = _BEFORE_NAME.match(m[0])
        start = m.start() + (head.end() if head else 0)
        if m.end() - start >= 4:
            spans.append((start, m.end()))
    return spans


def _jieba_names(text: str) -> list[tuple[int, int]] | None:
    """Spans of person, place and organisation names by jieba's tags; ``None`` without jieba."""
    try:
        import jieba
        import jieba.posseg as posseg
    except ImportError:
        return None
    jieba.setLogLevel(logging.WARNING)
    spans = []
    at = 0
    for word, flag in posseg.cut(text):
        start = text.find(word, at)
        if start < 0:
            continue
        at = start + len(word)
        if flag in _JIEBA_TAGS and len(word) >= 2:
            spans.append((start, at))
    return spans


def find_candidates(
    sentence: Sentence, linked: list[Mention], index: NameIndex, *, use_jieba: bool = True
) -> list[Mention]:
    """Names the graph does not know yet, as candidate mentions (no IRI).

    Always: Latin capitalised names and Chinese names ending in an organisation word (公司,
    集团, 基金 …); with jieba installed (``pip install "zhipu-kg[draft]"``) also its person,
    place and organisation tags. Longer names win over the names inside them.
    """
    tagged = _jieba_names(sentence.text) if use_jieba else None
    spans = _org_names(sentence.text) + (tagged or [])
    spans += [m.span() for m in _LATIN_NAME.finditer(sentence.text) if m.end() - m.start() >= 2]
    linked_spans = [(m.start - sentence.start, m.end - sentence.start) for m in linked]
    taken: list[tuple[int, int]] = []
    found: dict[tuple[int, int], Mention] = {}
    for s, e in sorted(set(spans), key=lambda span: (span[0] - span[1], span[0])):
        word = sentence.text[s:e]
        partial = any(s < te and ts < e and not (s <= ts and te <= e) for ts, te in linked_spans)
        if word in index or partial or any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        found[(s, e)] = Mention(sentence.start + s, sentence.start + e, word, None)
    return [found[k] for k in sorted(found)]


# ---------------------------------------------------------------- cues
def find_cues(text: str) -> list[str]:
    """The relation cue words in ``text``, in order of first occurrence."""
    return sorted((c for c in CUES if c in text), key=text.index)
