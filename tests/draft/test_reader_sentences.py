"""Sentences and page furniture on whole pages in several outlets' styles (kg.draft.reading)."""

from __future__ import annotations

import pytest

from kg.draft.furniture import furniture_kind, is_furniture, leading_credit
from kg.draft.reading import Sentence, sentences

# A business-magazine page: byline, word count, caption with credit, editor, share line.
MAGAZINE = """文 | 华商韬略 耳令
全文约2300字，阅读需要6分钟

深言科技的故事，要从 2021 年说起。
▲深言科技创始人李明远，图源：受访者
那一年，他离开了大厂。(图片来源:视觉中国)公司随后完成了天使轮融资。
责任编辑：韩梅梅
点击上方蓝字，关注我们
"""
# A Hong Kong paper: date line with source, reporter line, photo credit.
HK_PAPER = """2026-01-08 09:30 來源:經濟日報
記者 王小明 / 報道
智譜今日在港交所掛牌，首日股價上漲25.5%。
圖/路透社
公司表示，集資所得將用於研發。
"""
# A wire-style page with a sourced headline and copyright lines.
WIRE = """原标题：星河动力拟赴港上市
本报记者 张三 李四 北京报道
作者:陈静
来源：36氪
星河动力计划于明年初递表。By 2030, the company aims to list in New York.
By Wang Xiaoming
Source: HKEX
转载请注明出处。
"""

CASES = [
    (
        MAGAZINE,
        [
            ("文 | 华商韬略 耳令", True),
            ("全文约2300字，阅读需要6分钟", True),
            ("深言科技的故事，要从 2021 年说起。", False),
            ("▲深言科技创始人李明远，图源：受访者", True),
            ("那一年，他离开了大厂。", False),
            ("(图片来源:视觉中国)", True),
            ("公司随后完成了天使轮融资。", False),
            ("责任编辑：韩梅梅", True),
            ("点击上方蓝字，关注我们", True),
        ],
    ),
    (
        HK_PAPER,
        [
            ("2026-01-08 09:30 來源:經濟日報", True),
            ("記者 王小明 / 報道", True),
            ("智譜今日在港交所掛牌，首日股價上漲25.5%。", False),
            ("圖/路透社", True),
            ("公司表示，集資所得將用於研發。", False),
        ],
    ),
    (
        WIRE,
        [
            ("原标题：星河动力拟赴港上市", True),
            ("本报记者 张三 李四 北京报道", True),
            ("作者:陈静", True),
            ("来源：36氪", True),
            ("星河动力计划于明年初递表。", False),
            ("By 2030, the company aims to list in New York.", False),
            ("By Wang Xiaoming", True),
            ("Source: HKEX", True),
            ("转载请注明出处。", True),
        ],
    ),
]


@pytest.mark.parametrize(("page", "expected"), CASES, ids=["magazine", "hk-paper", "wire"])
def test_furniture_is_marked_and_offsets_stay_exact(
    page: str, expected: list[tuple[str, bool]]
) -> None:
    found = list(sentences(page))
    assert [(s.text, s.furniture) for s in found] == expected
    for s in found:
        assert page[s.start : s.end] == s.text


@pytest.mark.parametrize(
    "prose",
    [
        "记者王小明表示，融资已完成。",
        "记者从公司获悉，融资已完成。",
        "文心一言发布于2023年。",
        "来源于用户的反馈很好。",
        "图灵奖得主加入公司。",
        "2026年1月8日，智谱上市。",
        "作者认为估值过高。",
        "阅读量超过10万。",
    ],
)
def test_prose_is_not_furniture(prose: str) -> None:
    assert not is_furniture(prose)
    assert [s.furniture for s in sentences(prose)] == [False]


def test_a_leading_credit_is_split_only_when_it_is_a_credit() -> None:
    assert leading_credit("(图片来源:视觉中国)智谱成立于2019年。") == 11
    assert leading_credit("【图/新华社】智谱成立。") == 7
    assert leading_credit("(2025年)智谱成立。") == 0  # a bracket, not a credit
    assert leading_credit("(图片来源:视觉中国)") == 0  # nothing after it
    assert list(sentences("  (图源:IC photo) 公司上市。")) == [
        Sentence(2, 15, "(图源:IC photo)", "credit"),
        Sentence(16, 21, "公司上市。"),
    ]


def test_furniture_says_what_it_is() -> None:
    kinds = {
        "文 | 华商韬略 耳令": "byline",
        "記者 王小明 / 報道": "byline",
        "By Wang Xiaoming": "byline",
        "来源：36氪": "source",
        "Source: HKEX": "source",
        "原标题：星河动力拟赴港上市": "title",
        "责任编辑：韩梅梅": "editor",
        "圖/路透社": "credit",
        "(图片来源:视觉中国)": "credit",
        "▲唐杰介绍悟道大模型团队组建,智源研究院": "caption",
        "全文约2300字，阅读需要6分钟": "reading",
        "预计阅读时间 5 分钟": "reading",
        "2026-01-08 09:30 來源:經濟日報": "dateline",
        "发布时间：2026-01-08": "dateline",
        "点击上方蓝字，关注我们": "share",
        "- 完 -": "share",
    }
    assert {text: furniture_kind(text) for text in kinds} == kinds
    [caption] = sentences("▲唐杰介绍悟道大模型团队组建,智源研究院")
    assert (caption.furniture, caption.furniture_kind) == (True, "caption")


def test_an_abbreviation_does_not_end_an_english_sentence() -> None:
    text = "Zhipu Co., Ltd. and Mr. Zhang met J. Smith in the U.S. on Monday. Shares rose 5%."
    assert [s.text for s in sentences(text)] == [
        "Zhipu Co., Ltd. and Mr. Zhang met J. Smith in the U.S. on Monday.",
        "Shares rose 5%.",
    ]


def test_wire_and_press_credits_opening_a_paragraph() -> None:
    page = (
        "（中央社記者王小明台北8日電）鴻海昨日公布營收。\n"
        "【明報專訊】智譜今日上市。\n"
        "（記者王小明／台北報導）(比亚迪电动车)销量大增。（完）"
    )
    found = list(sentences(page))
    assert [(s.text, s.furniture_kind) for s in found] == [
        ("（中央社記者王小明台北8日電）", "byline"),
        ("鴻海昨日公布營收。", None),
        ("【明報專訊】", "byline"),
        ("智譜今日上市。", None),
        ("（記者王小明／台北報導）", "byline"),
        ("(比亚迪电动车)销量大增。", None),  # a bracket, not a credit
        ("（完）", "share"),
    ]
    assert all(page[s.start : s.end] == s.text for s in found)
