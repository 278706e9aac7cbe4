"""What the proposal builders know of one sentence (kg.draft.facts), on sentences as outlets write.

Each test reads a sentence after a byline, so offsets within the sentence differ from offsets
in the article, with the real name reader on a small dataset (``tests/draft/sentence_kit.py``).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.data.quantities import find_quantities
from kg.draft.cues import FUNDING, LISTING, amount_roles
from kg.draft.facts import (
    Context,
    Proposal,
    amounts_as,
    dated,
    find_dates_in,
    investors_of,
    string,
    subject_of,
    unique,
)
from kg.draft.names import fold
from kg.draft.reading import DateContext, Sentence, find_dates
from tests.draft.sentence_kit import KGR, TODAY, local, reader_of

BYLINE = "作者 | 高洪浩\n"


def _context(text: str, date: str = TODAY) -> Context:
    """The context of ``text`` read as the second line of an article, after a byline."""
    reader, found = reader_of(BYLINE + text)
    sentence = found[-1]
    assert sentence.start == len(BYLINE)
    dates = find_dates(sentence.text, None, DateContext.of(date))
    folded = fold(sentence.text)
    return Context(
        sentence,
        folded,
        reader.names(sentence),
        amount_roles(folded, find_quantities(sentence.text)),
        find_dates_in(sentence.text, dates),
        [],
        lambda kind, name: KGR + name,
    )


def test_names_are_placed_within_their_sentence_and_organisations_kept_in_order() -> None:
    ctx = _context("北京市人工智能产业投资基金向智谱追加投资3亿元，张鹏表示欢迎。")
    assert [(local(n.iri), ctx.rel(n)) for n in ctx.names] == [
        ("BeijingAIFund", (0, 13)),
        ("Zhipu", (14, 16)),
        ("ZhangPeng", (24, 26)),
    ]
    assert [local(n.iri) for n in ctx.orgs()] == ["BeijingAIFund", "Zhipu"]
    assert subject_of(ctx, set()) is ctx.orgs()[0]
    assert subject_of(ctx, {KGR + "BeijingAIFund"}) is ctx.orgs()[1]
    assert subject_of(ctx, {KGR + "BeijingAIFund", KGR + "Zhipu"}) is None


def test_cue_words_outside_names_as_written() -> None:
    # 投资 inside the fund's name is no cue; the words are given as the writer wrote them.
    ctx = _context("騰訊領投，北京市人工智能产业投资基金跟投，智譜完成融資。")
    assert ctx.hits(FUNDING) == [(2, "領投"), (18, "跟投"), (25, "融資")]
    assert ctx.words(FUNDING) == ["領投", "跟投", "融資"]
    assert ctx.words(LISTING) == []
    # A name that holds the word (上市 in the curated article's label is no name here).
    ctx = _context("智谱华章计划上市。")
    assert ctx.hits(LISTING) == [(6, "上市")]
    # A name just after the word, or just before it, leaves the word a cue.
    ctx = _context("阿里巴巴战略投资智谱。")
    assert ctx.hits(FUNDING) == [(4, "战略投资")]


def test_dates_are_found_in_order_each_after_the_last() -> None:
    text = "2025年1月，智谱融资；2025年1月底，智谱再融资。"
    dates = find_dates(text, None, DateContext.of(TODAY))
    assert [(at, d.text) for at, d in find_dates_in(text, dates)] == [
        (0, "2025年1月"),
        (13, "2025年1月底"),
    ]
    # The same date written twice is found twice, the second after the first.
    text = "3月，融资；3月，上市。"
    dates = find_dates(text, None, DateContext.of(TODAY))
    assert [at for at, _ in find_dates_in(text, dates)] == [0, 6]
    # A date the text does not hold is left out, and the next still found.
    ghost = find_dates("2030年", None, DateContext.of(TODAY))
    assert [(at, d.text) for at, d in find_dates_in(text, [*ghost, *dates])] == [
        (0, "3月"),
        (6, "3月"),
    ]


def test_the_date_before_a_cue_and_a_clause_of_its_own_time() -> None:
    ctx = _context("2024年，智谱收入约3亿元，2025年估值约400亿元，目前估值约500亿元。")
    first, second, third = (q.quantity.start for q in ctx.amounts)
    assert ctx.date_before(first).value == "2024"  # type: ignore[union-attr]
    assert ctx.date_before(second).value == "2025"  # type: ignore[union-attr]
    # 目前: a clause with a time word of its own takes no date from another clause.
    assert ctx.date_before(third) is None
    assert ctx.date_before(0) is None
    # ... but one of its own.
    ctx = _context("智谱2024年收入约3亿元，目前2025年估值约500亿元。")
    assert ctx.date_before(ctx.amounts[1].quantity.start).value == "2025"  # type: ignore[union-attr]
    ctx = _context("2024年，智谱收入约3亿元，同期亏损约20亿元。")
    assert ctx.date_before(ctx.amounts[1].quantity.start) is None
    # A date that opens the clause is the clause's own.
    ctx = _context("智谱2024年收入约 3 亿元，2025年同期收入约 5 亿元。")
    assert ctx.date_before(ctx.amounts[1].quantity.start).value == "2025"  # type: ignore[union-attr]


def test_amounts_by_the_part_they_play() -> None:
    ctx = _context("智谱获得 10 亿元投资，估值超 400 亿元，收入约 3 亿元，估值翻倍至 800 亿元。")
    assert [(a.quantity.text, a.role) for a in ctx.amounts] == [
        ("10 亿元", "funding"),
        ("超 400 亿元", "valuation"),
        ("约 3 亿元", "revenue"),
        ("800 亿元", "valuation"),
    ]
    assert [a.quantity.text for a in amounts_as(ctx, "valuation")] == ["超 400 亿元", "800 亿元"]
    assert [a.quantity.text for a in amounts_as(ctx, "revenue", "funding")] == [
        "10 亿元",
        "约 3 亿元",
    ]
    assert amounts_as(ctx, "loss") == []


@pytest.mark.parametrize(
    ("text", "investors"),
    [
        (
            "本轮由腾讯领投，阿里巴巴、启明创投跟投，智谱估值上升。",
            ["Tencent", "Alibaba", "Qiming"],
        ),
        ("智谱完成融资，投资方包括阿里巴巴、腾讯及启明创投。", ["Alibaba", "Tencent", "Qiming"]),
        ("智谱获得腾讯的追加投资。", ["Tencent"]),
        ("智谱与腾讯合作。", []),
    ],
)
def test_investors_are_the_organisations_of_the_investor_lists(
    text: str, investors: list[str]
) -> None:
    ctx = _context(text)
    assert [local(n.iri) for n in investors_of(ctx)] == investors


def test_unique_keeps_the_first_of_each_in_order() -> None:
    ctx = _context("腾讯、智谱、腾讯与阿里、智谱。")
    assert [local(i) for i in unique(ctx.names)] == ["Tencent", "Zhipu", "Alibaba"]
    assert unique([]) == []


def test_a_dated_proposal_takes_the_date_before_its_cue() -> None:
    ctx = _context("今年3月，智谱获得腾讯投资，8月，智谱上市。")
    p = dated(Proposal("kg:FundingEvent", ctx.sentence, ["投资"]), ctx, ctx.text.index("投资"))
    assert p.date is not None and p.date.value == "2025-03" and p.at == 11
    p = dated(Proposal("kg:Listing", ctx.sentence, ["上市"]), ctx, ctx.text.index("上市"))
    assert p.date is not None and p.date.value == "2025-08" and p.at == 19


def test_confidence_grows_with_what_is_filled_and_is_low_when_reported() -> None:
    sentence = Sentence(3, 9, "智谱获得投资")
    p = Proposal("kg:FundingEvent", sentence, ["投资"])
    assert p.confidence == Decimal("0.5")
    p.roles += [("kg:investee", KGR + "Zhipu"), ("kg:investor", KGR + "Tencent")]
    assert p.confidence == Decimal("0.7")
    p.amounts.append(("kg:amount", find_quantities("10亿元")[0], "money"))
    p.date = find_dates("2025年", None, DateContext.of(TODAY))[0]
    assert p.confidence == Decimal("0.9")
    p.roles.append(("kg:investor", KGR + "Alibaba"))
    assert p.confidence == Decimal("0.9")  # at most 0.9
    p.reported = True
    assert p.confidence == Decimal("0.4")


def test_a_value_is_a_turtle_string() -> None:
    assert string("A+轮") == '"A+轮"'
    assert string('称"天使轮"\n') == '"称\\"天使轮\\"\\n"'
