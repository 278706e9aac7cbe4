"""The draft reader's first layers at their edges: sentences, furniture, linking known names.

Cases the sentence and furniture tests left open (see docs/mutation.md): where a full stop ends
a sentence, what closes one, how long a share line may be; and the name index that links known
names (:class:`kg.draft.reading.NameIndex`), tested here on its own with names as the curated
data writes them.
"""

from __future__ import annotations

import pytest

from kg.draft.furniture import furniture_kind, leading_credit
from kg.draft.reading import Mention, NameIndex, Sentence, sentences


def _texts(text: str) -> list[str]:
    return [s.text for s in sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GLM-4.5 is out. It is open.", ["GLM-4.5 is out.", "It is open."]),
        ("Shares rose.", ["Shares rose."]),
        (
            "Prof. Tang and Corp. staff met. Then they left.",
            ["Prof. Tang and Corp. staff met.", "Then they left."],
        ),
        ("It rose 5.2% in Q3.\tThen it fell.", ["It rose 5.2% in Q3.", "Then it fell."]),
        ("他说：“好。”」然后走了。", ["他说：“好。”」", "然后走了。"]),
        ("他说：“好。”然后走了。", ["他说：“好。”", "然后走了。"]),
        ("问：为什么？答：因为。", ["问：为什么？", "答：因为。"]),
        ("  \n \n第一句。  \n\n  第二句  ", ["第一句。", "第二句"]),
        ("。。", ["。", "。"]),
    ],
)
def test_where_sentences_end(text: str, expected: list[str]) -> None:
    found = list(sentences(text))
    assert [s.text for s in found] == expected
    assert all(text[s.start : s.end] == s.text for s in found)


def test_whitespace_alone_is_no_sentence() -> None:
    assert list(sentences(" \n\t ")) == []
    assert list(sentences("")) == []


def test_a_credit_and_its_sentence_keep_their_offsets() -> None:
    text = "\n（图片来源：视觉中国） 公司成立。"
    assert list(sentences(text)) == [
        Sentence(1, 12, "（图片来源：视觉中国）", "credit"),
        Sentence(13, 18, "公司成立。"),
    ]


def test_a_share_line_is_furniture_only_when_short() -> None:
    line = "转载请注明出处"
    assert furniture_kind(line) == "share"
    assert furniture_kind(line + "。" * (80 - len(line))) == "share"  # 80 characters
    assert furniture_kind(line + "。" * (81 - len(line))) is None  # a sentence that says so
    assert furniture_kind("  转载请注明出处  ") == "share"  # measured without its spaces


def test_a_leading_credit_needs_prose_after_it() -> None:
    assert leading_credit("【图/新华社】") == 0
    assert leading_credit("【图/新华社】 ") == 0  # spaces are no prose
    assert leading_credit("【图/新华社】 智谱成立。") == 8
    assert leading_credit("(2025年)智谱成立。") == 0


# ---------------------------------------------------------------- the name index
ZHIPU, GLM, GLM4, OPENAI, CHATGLM = "kgr:Zhipu", "kgr:GLM", "kgr:GLM-4", "kgr:OpenAI", "kgr:ChatGLM"


def _linked(index: NameIndex, text: str, start: int = 0) -> list[tuple[int, int, str, str | None]]:
    return [
        (m.start, m.end, m.text, m.iri)
        for m in index.link(Sentence(start, start + len(text), text))
    ]


def test_names_of_one_character_are_not_indexed_and_names_are_trimmed() -> None:
    index = NameIndex({"A": [GLM], " 智谱 ": [ZHIPU], "GLM": [GLM]})
    assert "智谱" in index and " 智谱\n" in index
    assert "A" not in index
    assert "glm" in index and "Glm" in index  # Latin names ignore case
    assert _linked(index, "A 智谱") == [(2, 4, "智谱", ZHIPU)]


def test_the_longest_name_wins_and_offsets_are_the_articles() -> None:
    index = NameIndex({"GLM": [GLM], "GLM-4": [GLM4], "智谱": [ZHIPU]})
    assert _linked(index, "智谱发布GLM-4和GLM。", start=100) == [
        (100, 102, "智谱", ZHIPU),
        (104, 109, "GLM-4", GLM4),
        (110, 113, "GLM", GLM),
    ]


def test_latin_names_match_whole_words_only() -> None:
    index = NameIndex({"GLM": [GLM], "OpenAI": [OPENAI]})
    assert _linked(index, "GLMs and 4GLM and XGLM") == []
    assert _linked(index, "新GLM模型") == [(1, 4, "GLM", GLM)]
    assert _linked(index, "glm-4") == [(0, 3, "glm", GLM)]  # as written, found in any case
    assert _linked(index, "OpenAIs") == []


def test_a_name_half_latin_is_whole_at_its_latin_end() -> None:
    index = NameIndex({"智谱AI": [ZHIPU], "AI智谱": [ZHIPU]})
    assert _linked(index, "智谱AIs") == []
    assert _linked(index, "的智谱AI。") == [(1, 5, "智谱AI", ZHIPU)]
    assert _linked(index, "OpenAI智谱") == []
    assert _linked(index, "用AI智谱") == [(1, 5, "AI智谱", ZHIPU)]


def test_overlapping_names_the_first_of_equal_length_in_order_wins() -> None:
    index = NameIndex({"智谱华章": [ZHIPU], "华章科技": [CHATGLM]})
    assert _linked(index, "智谱华章科技") == [(2, 6, "华章科技", CHATGLM)]  # 华 sorts before 智


def test_a_name_of_two_entities_links_both_in_order() -> None:
    index = NameIndex({"GLM": [GLM4, GLM], "glm": [CHATGLM]})
    assert _linked(index, "GLM") == [
        (0, 3, "GLM", CHATGLM),
        (0, 3, "GLM", GLM),
        (0, 3, "GLM", GLM4),
    ]


def test_mentions_are_in_the_order_of_the_text() -> None:
    index = NameIndex({"OpenAI": [OPENAI], "智谱": [ZHIPU]})
    assert [m.iri for m in index.link(Sentence(0, 9, "智谱和OpenAI"))] == [ZHIPU, OPENAI]


def test_a_letter_whose_case_fold_is_longer_keeps_the_offsets() -> None:
    index = NameIndex({"GLM": [GLM]})
    # ß folds to ss: the folded text would be a character longer; ß is kept, the rest folded.
    assert _linked(index, "Straße glm") == [(7, 10, "glm", GLM)]
    assert index.link(Sentence(0, 10, "Straße GLM")) == [Mention(7, 10, "GLM", GLM)]


def test_adjacent_names_are_both_linked() -> None:
    index = NameIndex({"GLM-4": [GLM4], "智谱": [ZHIPU]})
    assert _linked(index, "GLM-4智谱") == [(0, 5, "GLM-4", GLM4), (5, 7, "智谱", ZHIPU)]
    assert _linked(index, "智谱GLM-4") == [(0, 2, "智谱", ZHIPU), (2, 7, "GLM-4", GLM4)]


def test_a_name_ending_in_a_figure_is_not_found_inside_a_longer_figure() -> None:
    index = NameIndex({"千问3": ["kgr:Qwen3"]})
    assert _linked(index, "千问30") == []
    assert _linked(index, "千问3发布") == [(0, 3, "千问3", "kgr:Qwen3")]
