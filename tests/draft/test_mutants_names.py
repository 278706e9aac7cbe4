"""Known and new names (kg.draft.names), sentence by sentence, as outlets write them.

The name tests of ``test_names.py`` read the loaded dataset; these read short passages with the
real name reader on a small dataset (``tests/draft/sentence_kit.py``), so a mutation run can
afford them (see docs/mutation.md). Every name is asserted with its offsets.
"""

from __future__ import annotations

import pytest

from kg.draft.names import fold, investor_segments
from tests.draft.sentence_kit import KGR, name_rows, reader_of


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("智谱宣布，李航出任总裁。", [("智谱", 0, 2, "Zhipu"), ("李航", 5, 7, "new:kg:Person")]),
        ("智谱宣布，张帆出任总裁。", [("智谱", 0, 2, "Zhipu"), ("张帆", 5, 7, "ZhangFan")]),
        ("同日，王小川担任百川智能CEO。", [("王小川", 3, 6, "new:kg:Person"), ("CEO", 12, 15, "Role-CEO")]),
    ],
)
def test_a_person_taking_a_post_is_no_company(
    text: str, names: list[tuple[str, int, int, str]]
) -> None:
    # 李航出任 before 总裁 was read as a company named before its president.
    assert name_rows(text) == names


def test_every_class_of_a_kind_gives_it_a_known_model_an_architecture_and_a_product_alike() -> None:
    # The kind "model" is three classes: a curated LLM (a subclass of kg:AIModel) is a model as
    # an architecture is; it read "other" when the last class of the kind replaced the others.
    reader, [sentence] = reader_of("智谱发布GLM-4，基于GLM，上海的腾讯与张鹏出席，港交所CEO致辞。")
    assert [(n.text, n.kind) for n in reader.names(sentence)] == [
        ("智谱", "org"),
        ("GLM-4", "model"),
        ("GLM", "model"),
        ("上海", "place"),
        ("腾讯", "org"),
        ("张鹏", "person"),
        ("港交所", "market"),
        ("CEO", "role"),
    ]
    assert reader.known(KGR + "GLM-4") and reader.known(KGR + "Shanghai")
    assert not reader.known(KGR + "Article") and not reader.known("https://example.org/Other")


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("智谱获得腾讯10亿元投资。", ["腾讯"]),
        # A space between the investor and the figure, as outlets write it.
        ("智谱获得腾讯 10 亿元投资。", ["腾讯"]),
        ("智谱累计获得红杉中国 约 10 亿元投资。", ["红杉中国"]),
        ("深言科技已获得启明创投数千万元天使轮投资。", ["启明创投"]),
        ("智谱拿下了腾讯的追加投资。", ["腾讯"]),
    ],
)
def test_an_investor_after_got(text: str, segments: list[str]) -> None:
    assert [text[s:e] for s, e in investor_segments(text)] == segments


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        # A list that opens the sentence (a headline's second half, a new line) keeps its first
        # character: it read 杉中国 for 红杉中国.
        ("红杉中国领投，腾讯跟投。", ["红杉中国", "腾讯"]),
        ("红杉中国、IDG资本联合领投", ["红杉中国、IDG资本"]),
        ("本轮由红杉中国领投，腾讯跟投。", ["红杉中国", "腾讯"]),
        ("星河智算获红杉中国领投", ["红杉中国"]),
        ("星河智算获得红杉中国领投", ["红杉中国"]),
        ("阶跃星辰完成B轮融资 上海国资领投", ["上海国资"]),
        ("投资方包括阿里巴巴、腾讯及北京市人工智能产业投资基金。", ["阿里巴巴、腾讯及北京市人工智能产业投资基金"]),
        ("基石投资者為泰康人壽、雲鋒基金，合共認購約12億港元。", ["泰康人壽、雲鋒基金"]),
    ],
)
def test_investor_lists_by_their_cue_words(text: str, segments: list[str]) -> None:
    assert [text[s:e] for s, e in investor_segments(fold(text))] == segments


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # 战略 before the suffix 投资 is the word 战略投资 (a strategic investment), no name:
        # 阿里巴巴战略投资 was proposed as an investment firm.
        ("阿里巴巴战略投资智谱。", [("阿里巴巴", 0, 4, "Alibaba"), ("智谱", 8, 10, "Zhipu")]),
        ("腾讯追加投资智谱。", [("腾讯", 0, 2, "Tencent"), ("智谱", 6, 8, "Zhipu")]),
        ("智谱获得阿里巴巴的战略投资。", [("智谱", 0, 2, "Zhipu"), ("阿里巴巴", 4, 8, "Alibaba")]),
    ],
)
def test_an_investment_is_no_investment_firm(
    text: str, names: list[tuple[str, int, int, str]]
) -> None:
    assert name_rows(text) == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # The head of a name before its suffix starts after 共同, 加入, 出任 … : 共同投资 was
        # proposed as an investment firm, 张帆加入深言科技 and 李航出任深言科技 as companies.
        (
            "本轮由中关村资本、启明创投等共同投资。",
            [("中关村资本", 3, 8, "new:kg:InvestmentFirm"), ("启明创投", 9, 13, "Qiming")],
        ),
        (
            "张帆加入深言科技，担任CEO。",
            [
                ("张帆", 0, 2, "ZhangFan"),
                ("深言科技", 4, 8, "new:kg:Company"),
                ("CEO", 11, 14, "Role-CEO"),
            ],
        ),
        (
            "张帆、李航出任深言科技联合创始人。",
            [
                ("张帆", 0, 2, "ZhangFan"),
                ("李航", 3, 5, "new:kg:Person"),
                ("深言科技", 7, 11, "new:kg:Company"),
            ],
        ),
    ],
)
def test_the_head_of_a_company_name_starts_after_a_verb(
    text: str, names: list[tuple[str, int, int, str]]
) -> None:
    assert name_rows(text) == names
