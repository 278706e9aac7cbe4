"""The distinctive part of names as outlets and registries write them, at the edges of each rule.

Each case pins one rule of :func:`kg.identity.folding.core` where a slightly different rule would
give another answer: how many characters must remain, which words count as trade words, where
the ideograph ranges end.
"""

from __future__ import annotations

import pytest

from kg.identity.folding import core


@pytest.mark.parametrize(
    ("written", "distinctive"),
    [
        # English legal forms and trade words come off the end only, one word at a time
        ("Beijing Zhipu Huazhang Technology Co., Ltd.", "beijingzhipuhuazhang"),
        ("Zhipu Huazhang", "zhipuhuazhang"),  # no legal form: every word stays, run together
        ("Technology Co., Ltd.", "technology"),  # all trade words: the first one stays
        # registered names: each ending cut whole, then a leading city
        ("北京百度网讯科技有限公司", "百度网讯"),
        ("北京小米科技有限责任公司", "小米"),  # two characters left after the city: cut
        ("天津港股份有限公司", "天津港"),  # one character would be left: the city stays
        ("智谱华章科技", "智谱华章"),
        # a city is cut only when a Chinese legal form or trade word was: an English one is not
        ("上海人工智能实验室 Ltd.", "上海人工智能实验室"),
        # never cut below two characters
        ("云科技", "云科技"),
        ("云AI", "云ai"),
        # a trailing AI after a Chinese name is a trade word; after a Latin letter, part of it
        ("月之暗面AI", "月之暗面"),
        ("马斯克xAI", "马斯克xai"),
        ("OpenAI", "openai"),
        # the first and last code points of the ideograph blocks count as Chinese
        ("云\u3400AI", "云\u3400"),
        ("云\u9fffAI", "云\u9fff"),
        # nothing but punctuation: nothing to compare
        ("", ""),
        ("（）", ""),
    ],
)
def test_core_at_the_edges_of_each_rule(written: str, distinctive: str) -> None:
    assert core(written) == distinctive
