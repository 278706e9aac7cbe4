"""Traditional Chinese folded to Simplified, so that ``唐傑`` finds ``唐杰``.

The data is written in Simplified characters (the article's); a reader in Hong Kong or Taiwan
types Traditional ones. :func:`simplified` converts with OpenCC's ``t2s`` table (phrase-aware,
so ``頭髮`` becomes ``头发`` and ``乾隆`` stays). The resolver tries it only when what was typed
has Chinese characters and matched nothing as written: loading the table costs about 40 ms.
The explorer, which searches in the browser, gets :func:`traditional_forms` of its names: a
character table small enough to ship in the page.

>>> simplified("智譜華章 唐傑")
'智谱华章 唐杰'
>>> has_hanzi("Tang Jie"), has_hanzi("唐傑")
(False, True)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

__all__ = ["folded", "has_hanzi", "simplified", "traditional_forms"]


def has_hanzi(text: str) -> bool:
    """Whether ``text`` has a CJK unified ideograph (the basic block or extension A)."""
    return any("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" for char in text)


@functools.cache
def _converter(table: str = "t2s") -> Any:
    import opencc

    return opencc.OpenCC(table)


def simplified(text: str) -> str:
    """``text`` with Traditional characters replaced by Simplified ones (the rest unchanged)."""
    if not has_hanzi(text):
        return text
    converted: str = _converter().convert(text)
    return converted


#: Full-width forms and odd spaces, to ASCII; the full-width comma stays (in Chinese it separates
#: clauses, not thousands).
_WIDTH = {
    **{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if code != 0xFF0C},
    0xFFE5: ord("¥"),
    0x3000: ord(" "),
    0x00A0: ord(" "),
    **{code: ord(" ") for code in range(0x2002, 0x200C)},
    0x202F: ord(" "),
}


def folded(text: str) -> str:
    """``text`` for matching, code point for code point: Simplified, half-width, plain spaces.

    The result has the length of ``text``, so that an offset found in it is an offset into
    ``text`` (a quote is always taken from ``text`` itself).

    >>> folded("１２．５億港幣，約合")
    '12.5亿港币，约合'
    """
    converted = simplified(text)
    if len(converted) != len(text):  # a phrase converted to one of another length
        converted = "".join(_simplified_char(char) for char in text)
    return converted.translate(_WIDTH)


@functools.cache
def _simplified_char(char: str) -> str:
    converted = simplified(char)
    return converted if len(converted) == 1 else char


def traditional_forms(names: Iterable[str]) -> dict[str, str]:
    """Traditional characters that write the Simplified ones of ``names``, mapped to them.

    Only characters that differ are listed. Both each character's own form and its form in the
    phrase-aware conversion of each name are kept, so that ``发`` is found as ``發`` and, in
    ``头发``, as ``髮``. Two conversions in all (one line per character, one per name),
    whatever the number of names.

    >>> sorted(traditional_forms(["唐杰", "Tang Jie", "头发"]).items())
    [('傑', '杰'), ('發', '发'), ('頭', '头'), ('髮', '发')]
    """
    written = sorted({name.replace("\n", " ") for name in names if has_hanzi(name)})
    if not written:
        return {}
    to_traditional = _converter("s2t")
    chars = sorted(char for char in {c for name in written for c in name} if has_hanzi(char))
    pairs = list(zip(to_traditional.convert("\n".join(chars)).split("\n"), chars, strict=True))
    for phrase, name in zip(
        to_traditional.convert("\n".join(written)).split("\n"), written, strict=True
    ):
        if len(phrase) == len(name):
            pairs += zip(phrase, name, strict=True)
    return {old: new for old, new in pairs if old != new and len(old) == 1}
