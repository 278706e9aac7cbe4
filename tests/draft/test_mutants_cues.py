"""What the words around an amount make of it (kg.draft.cues), on sentences as outlets write them.

The proposal tests reach these rules through whole drafts of a loaded dataset, seconds each;
these read the roles of single sentences, so a mutation run can afford them (see
docs/mutation.md).
"""

from __future__ import annotations

import pytest

from kg.data.quantities import find_quantities
from kg.draft.cues import amount_roles, clause_of, market_of, round_of


def _roles(text: str) -> list[tuple[str, str]]:
    return [(a.quantity.text, a.role) for a in amount_roles(text, find_quantities(text))]


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("智谱获得10亿元投资,估值400亿元", [("10亿元", "funding"), ("400亿元", "valuation")]),
        ("公司营收3.12亿元，净亏损29.58亿元", [("3.12亿元", "revenue"), ("29.58亿元", "loss")]),
        ("本次募资43亿港元", [("43亿港元", "proceeds")]),
        ("本次发售金额为43亿港元", [("43亿港元", "proceeds")]),  # 金额 ends both: the first wins
        ("获5亿元B轮融资", [("5亿元", "funding")]),
        ("智谱拿下2亿元的战略投资", [("2亿元", "funding")]),
        ("市值突破1000亿港元", [("1000亿港元", "market_cap")]),
        ("公司1000亿港元市值", [("1000亿港元", "market_cap")]),
        ("公司200亿元估值", [("200亿元", "valuation")]),
        ("估值200亿元，营收3亿元", [("200亿元", "valuation"), ("3亿元", "revenue")]),
        ("员工超1000人", []),
        ("收入3亿元后估值升至200亿元", [("3亿元", "revenue"), ("200亿元", "valuation")]),
    ],
)
def test_the_part_an_amount_plays(text: str, roles: list[tuple[str, str]]) -> None:
    assert _roles(text) == roles


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        # A price per share, however the share is written: after, before, or as 每股.
        ("股价为 30 港元/股", [("30 港元/股", "share_price")]),
        ("发售价为每股116.2港元", [("每股116.2港元", "share_price")]),
        ("每股H股 116.2港元", [("每股H股 116.2港元", "share_price")]),
        ("招股价区间为每股30至36港元", [("30至36港元", "share_price")]),
        ("H股30港元 每股", [("30港元", "share_price")]),
        ("定价30港元每股", [("30港元", "share_price")]),
        # A price per something else: a unit price.
        ("售价0.8元/千tokens", [("0.8元/千tokens", "unit_price")]),
        # A price per tokens stays one, whatever word with 股 follows it.
        ("0.8元/千tokens带动股价上涨", [("0.8元/千tokens", "unit_price")]),
        # From A to B: the price before and after.
        ("从0.5元降至0.1元", [("0.5元", "price_before"), ("0.1元", "price_after")]),
        ("由 0.5元 调至 0.1元", [("0.5元", "price_before"), ("0.1元", "price_after")]),
        ("1元下调到0.5元", [("1元", "price_before"), ("0.5元", "price_after")]),
        ("价格下调至每百万tokens 1元", [("1元", "price_after")]),
        ("估值降至100亿元", [("100亿元", "valuation")]),
        # 获得 is a funding word, and also how a price is written: before 降至, a price.
        ("用户获得的价格降至每百万tokens 1元", [("1元", "price_after")]),
    ],
)
def test_prices_per_share_per_unit_before_and_after(
    text: str, roles: list[tuple[str, str]]
) -> None:
    assert _roles(text) == roles


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("股价上涨5.2%", [("5.2%", "up")]),
        ("开盘涨幅达12%", [("12%", "up")]),
        ("股价高开 8%", [("8%", "up")]),
        ("跌幅为3.4%", [("3.4%", "down")]),
        ("降幅3%", [("3%", "down")]),
        ("股价收跌 3%", [("3%", "down")]),
        ("占比30%", []),
        ("获得超额认购1159倍", [("1159倍", "multiple")]),
        ("性能提升3倍", []),
    ],
)
def test_percentages_and_multiples(text: str, roles: list[tuple[str, str]]) -> None:
    assert _roles(text) == roles


def test_the_role_is_read_in_the_amounts_own_clause() -> None:
    # 估值 belongs to the first clause; the second amount's clause names nothing.
    assert _roles("估值400亿元；另有3亿元") == [("400亿元", "valuation")]
    assert _roles("公司估值:400亿元") == []  # a colon ends a clause too


def test_clause_of() -> None:
    text = "甲，乙丙；丁。"
    assert [clause_of(text, 2, 3), clause_of(text, 0, 1), clause_of(text, 5, 6)] == [
        (2, 4),
        (0, 1),
        (5, 6),
    ]
    assert clause_of("甲乙", 0, 1) == (0, 2)  # no clause end: the whole text
    assert clause_of("a:b!c", 2, 3) == (2, 3)
    assert clause_of("前文。甲乙,丙", 3, 4) == (3, 5)
    assert clause_of("甲，乙，丙丁，戊，己", 4, 5) == (4, 6)  # the nearest end on each side
    assert clause_of("，甲", 1, 2) == (1, 2)  # an end at the very start


def test_the_words_after_an_amount_are_read_up_to_its_clauses_end() -> None:
    assert _roles("今年，公司1000亿港元市值") == [("1000亿港元", "market_cap")]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("完成Pre-A轮融资", (2, 8)),
        ("完成B+ 轮", (2, 6)),
        ("天使轮", (0, 3)),
        ("天使+轮", (0, 4)),
        ("Pre-IPO轮", (0, 8)),
        ("种子轮", (0, 3)),
        ("E轮", (0, 2)),
        ("F轮", None),
        ("无", None),
    ],
)
def test_round_of(text: str, span: tuple[int, int] | None) -> None:
    assert round_of(text) == span


@pytest.mark.parametrize(
    ("text", "market"),
    [
        ("在港交所上市", "HongKongMarket"),
        ("赴港IPO", "HongKongMarket"),
        ("登陆科创板", "AShareMarket"),
        ("（曾考虑港股）登陆A股", "AShareMarket"),  # what brackets say is aside
        ("(港股)", None),
        ("在纽交所上市", None),
        ("港股与A股两地上市", "HongKongMarket"),  # Hong Kong is looked for first
    ],
)
def test_market_of(text: str, market: str | None) -> None:
    assert market_of(text) == market
