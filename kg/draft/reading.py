"""Reading a plain-text article for a draft: its sentences, the known names in them, its dates.

Everything here works on the text alone, with offsets as code points (Python ``str`` indices)
into the whole article. Entity names come from the curated labels and aliases (``kgg:curation``),
never from evidence graphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from kg.draft.dates import DateContext, DateMention, find_dates
from kg.draft.furniture import furniture_kind, leading_credit

__all__ = [
    "DateContext",
    "DateMention",
    "Mention",
    "NameIndex",
    "Sentence",
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
