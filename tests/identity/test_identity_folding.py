"""Names folded as real outlets write them: Traditional, full-width, legal forms, spacing."""

from __future__ import annotations

import pytest

from kg.identity.folding import core, fold


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Zhipu AI", "zhipuai"),
        ("ＺＨＩＰＵ　ＡＩ", "zhipuai"),  # full-width letters and space
        ("智譜華章", "智谱华章"),  # Traditional characters
        ("智谱 AI", "智谱ai"),
        ("Zhipu-AI", "zhipuai"),
    ],
)
def test_fold_sets_aside_case_width_script_and_spacing(written: str, folded: str) -> None:
    assert fold(written) == folded


@pytest.mark.parametrize(
    ("written", "distinctive"),
    [
        ("北京智谱华章科技股份有限公司", "智谱华章"),  # place, trade word and legal form
        ("北京智譜華章科技股份有限公司", "智谱华章"),  # the same in Traditional characters
        ("智谱AI", "智谱"),
        ("智谱", "智谱"),
        ("Zhipu AI", "zhipu"),
        ("Zhipu AI Inc.", "zhipu"),
        ("SenseTime Group Ltd.", "sensetime"),
        ("商汤科技", "商汤"),
        ("上海人工智能实验室", "上海人工智能实验室"),  # a place that is part of the name stays
        ("有限公司", "有限公司"),  # all legal form: nothing to strip down to
    ],
)
def test_core_strips_legal_forms_trade_words_and_a_leading_city(
    written: str, distinctive: str
) -> None:
    assert core(written) == distinctive


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # a city that is the name: two banks of two cities are two banks
        ("上海银行股份有限公司", "上海银行"),
        ("北京银行股份有限公司", "北京银行"),
        ("上海证券有限责任公司", "上海证券"),
        # a city written with 市 is cut whole, not leaving 市 behind
        ("杭州市城市建设投资集团有限公司", "城市建设投资"),
        # a city before a name of its own is still cut
        ("北京智谱华章科技股份有限公司", "智谱华章"),
    ],
)
def test_core_keeps_a_city_that_is_the_name_and_cuts_a_city_with_its_shi(
    name: str, expected: str
) -> None:
    assert core(name) == expected


def test_two_cities_banks_do_not_share_a_core() -> None:
    assert core("上海银行股份有限公司") != core("北京银行股份有限公司")
