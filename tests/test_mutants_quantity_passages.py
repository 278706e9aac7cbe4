"""The passage reader of kg/data/quantities.py at the edges of its rules (see docs/mutation.md).

Each case is a sentence as an outlet writes it and the amounts a reader would take from it: what
is skipped (ordinals, half-years), what makes a range and what does not, and what the passage
adds to an amount (a direction, a currency guessed from context).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.data.quantities import find_quantities, parse_quantity


def _read(
    text: str,
) -> list[tuple[str, int, Decimal | None, Decimal | None, Decimal | None, str | None]]:
    return [
        (q.text, q.start, q.value, q.min_value, q.max_value, q.unit) for q in find_quantities(text)
    ]


def test_a_range_parsed_alone_keeps_its_offsets_in_the_text_given() -> None:
    q = parse_quantity("  30至36港元 ")
    assert (q.text, q.start, q.end) == ("30至36港元", 2, 9)
    assert (q.min_value, q.max_value, q.unit) == (Decimal(30), Decimal(36), "HKD")


@pytest.mark.parametrize(
    "text",
    [
        "第3名",
        "第 3名",
        "第  3名",
        "第\u30003名",
        "第 \u3000 3 名",
        "第3位",
        "前 3个月",
        "前  3 个月",
        "上半年",
        "下半年",
        "今年下半年",
        "上半个月",
    ],
)
def test_ordinals_relative_dates_and_half_years_are_not_amounts(text: str) -> None:
    assert find_quantities(text) == []


def test_a_count_at_the_start_of_a_passage_is_an_amount() -> None:
    assert _read("有3名") == [("3名", 1, Decimal(3), None, None, "PERSON")]


@pytest.mark.parametrize(
    ("text", "low", "high", "unit", "start"),
    [
        ("30人至36人", 30, 36, "PERSON", 0),
        ("30名至36人", 30, 36, "PERSON", 0),  # 名 and 人 are one unit, people
        ("2025年10至15亿元", 1_000_000_000, 1_500_000_000, "CNY", 5),  # after a year, not in it
    ],
)
def test_a_range_of_one_unit(text: str, low: int, high: int, unit: str, start: int) -> None:
    [q] = find_quantities(text)
    assert (q.start, q.value, q.min_value, q.max_value, q.unit) == (start, None, low, high, unit)


@pytest.mark.parametrize(
    ("text", "read"),
    [
        # Two units: thirty places and thirty-six people are two amounts, not a range.
        (
            "30个至36人",
            [
                ("30个", 0, Decimal(30), None, None, "个"),
                ("36人", 4, Decimal(36), None, None, "PERSON"),
            ],
        ),
        # A price's range is not read (its reference would be lost); the last price stands.
        ("30至36元/股", [("36元/股", 3, Decimal(36), None, None, "CNY")]),
        # Falling, not a range: two amounts.
        (
            "30亿至5亿元",
            [
                ("30亿", 0, Decimal(3_000_000_000), None, None, None),
                ("5亿元", 4, Decimal(500_000_000), None, None, "CNY"),
            ],
        ),
        # A range from a figure to itself is the figure.
        ("30至30港元", [("30港元", 3, Decimal(30), None, None, "HKD")]),
        # 从A至B and 由A至B are a change; 第A is a rank; a figure torn from a number is no head.
        ("由30至36港元", [("36港元", 4, Decimal(36), None, None, "HKD")]),
        ("第30至36港元", [("36港元", 4, Decimal(36), None, None, "HKD")]),
        ("1,30至36港元", [("36港元", 5, Decimal(36), None, None, "HKD")]),
        # 1/0 is a shape of a fraction, not an amount; the reader goes on past it.
        ("1/0元,30亿元", [("30亿元", 5, Decimal(3_000_000_000), None, None, "CNY")]),
    ],
)
def test_what_is_not_a_range(text: str, read: list[tuple[object, ...]]) -> None:
    assert _read(text) == read


def test_a_figure_torn_from_a_number_after_another_word_is_no_range_head() -> None:
    assert all(q.min_value is None for q in find_quantities("约1,30至36港元"))


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("估值400亿元,营收3万", "CNY"),
        ("估值400亿元,营收3千万", "CNY"),
        # No 万 or 亿: a count, not money in the passage's currency.
        ("融资400亿元,员工约3千", None),
    ],
)
def test_the_currency_of_the_passage_goes_to_scaled_figures_only(
    text: str, currency: str | None
) -> None:
    [_, q] = find_quantities(text)
    assert q.unit is None
    assert q.context_currency == currency


def test_a_direction_written_with_a_space_before_the_figure() -> None:
    [q] = find_quantities("跌幅达 3.4%")
    assert (q.value, q.unit, q.direction) == (Decimal("3.4"), "PERCENT", "down")
