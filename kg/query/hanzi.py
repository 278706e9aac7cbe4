"""Traditional Chinese folded to Simplified, so that ``唐傑`` finds ``唐杰``.

The data is written in Simplified characters (the article's); a reader in Hong Kong or Taiwan
types Traditional ones. :func:`simplified` converts with OpenCC's ``t2s`` table (phrase-aware,
so ``頭髮`` becomes ``头发`` and ``乾隆`` stays). The resolver tries it only when what was typed
has Chinese characters and matched nothing as written: loading the table costs about 40 ms.

>>> simplified("智譜華章 唐傑")
'智谱华章 唐杰'
>>> has_hanzi("Tang Jie"), has_hanzi("唐傑")
(False, True)
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["has_hanzi", "simplified"]


def has_hanzi(text: str) -> bool:
    """Whether ``text`` has a CJK unified ideograph (the basic block or extension A)."""
    return any("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" for char in text)


@functools.cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` with Traditional characters replaced by Simplified ones (the rest unchanged)."""
    if not has_hanzi(text):
        return text
    converted: str = _converter().convert(text)
    return converted
