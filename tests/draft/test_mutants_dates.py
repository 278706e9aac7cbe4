"""The date reader (kg.draft.dates) at the edges of its rules (see docs/mutation.md).

Last days of months and leap days in a reference date, the bounds of a year's parts, two-digit
fiscal years, the six-month rule for a month with no year, Taiwan's ``昨（N）日`` across a month's
end, and what a relative year needs before it can be read.
"""

from __future__ import annotations

import pytest

from kg.draft.dates import DateContext, DateMention, find_dates
from kg.errors import InvalidValue


def _one(text: str, context: DateContext | None) -> DateMention:
    [d] = find_dates(text, None, context)
    return d


@pytest.mark.parametrize(
    ("date", "context"),
    [
        ("2026-01-31", DateContext(2026, 1, day=31)),
        ("2024-02-29", DateContext(2024, 2, day=29)),  # a leap year
        ("2000-02-29", DateContext(2000, 2, day=29)),
    ],
)
def test_a_reference_on_the_last_day_of_a_month(date: str, context: DateContext) -> None:
    assert DateContext.of(date) == context


@pytest.mark.parametrize("date", ["2025-02-29", "2026-04-31", "1900-02-29"])
def test_a_reference_past_the_end_of_its_month_is_refused(date: str) -> None:
    with pytest.raises(InvalidValue, match=rf"date '{date}': write YYYY, YYYY-MM or YYYY-MM-DD"):
        DateContext.of(date)


@pytest.mark.parametrize(
    ("text", "period", "first", "last"),
    [
        ("下半年", "H2", "2026-07", "2026-12"),
        ("前三季度", "Q1-Q3", "2026-01", "2026-09"),
        ("第一季度", "Q1", "2026-01", "2026-03"),
        ("Q2", "Q2", "2026-04", "2026-06"),
    ],
)
def test_the_months_a_part_of_a_year_spans(text: str, period: str, first: str, last: str) -> None:
    d = _one(text, DateContext.of("2026-01-08"))
    assert (d.value, d.period, d.not_before, d.not_after) == ("2026", period, first, last)


@pytest.mark.parametrize(
    ("text", "year"), [("FY25 revenue", "2025"), ("FY 09", "2009"), ("FY2024", "2024")]
)
def test_a_fiscal_year_of_two_digits_is_this_century(text: str, year: str) -> None:
    d = _one(text, None)
    assert (d.value, d.period, d.approximate) == (year, "FY", True)


@pytest.mark.parametrize(("month", "value"), [("7月", "2026-07"), ("8月", "2025-08")])
def test_a_month_more_than_six_months_ahead_is_last_years(month: str, value: str) -> None:
    d = _one(month, DateContext.of("2026-01-08"))
    assert (d.value, d.year_inferred) == (value, True)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("今（8）日", "2026-01-08"),
        ("明（9）日", "2026-01-09"),  # tomorrow, this month
        ("昨（7）日", "2026-01-07"),
        ("昨（10）日", "2025-12-10"),  # two days ahead of the reference: last month's
        ("昨（31）日", "2025-12-31"),
    ],
)
def test_taiwans_day_in_brackets_around_the_reference(text: str, value: str) -> None:
    assert _one(text, DateContext.of("2026-01-08")).value == value


def test_a_relative_day_without_a_reference_stays_unknown() -> None:
    assert find_dates("昨天，公司宣布") == [DateMention("昨天", None, None, 0, 2)]
    assert find_dates("上月", None, DateContext.of("2026")) == [
        DateMention("上月", None, None, 0, 2)
    ]


def test_a_relative_day_names_the_year_a_later_same_year_means() -> None:
    context = DateContext.of("2026-01-08")
    found = find_dates("上月宣布融资，同年5月上市", None, context)
    assert [(d.text, d.value) for d in found] == [("上月", "2025-12"), ("同年5月", "2025-05")]
    assert context.last_year == 2025


def test_same_year_with_no_year_named_before_is_not_guessed() -> None:
    # The reference gives a year for a bare month, never for 同年, which names an earlier year.
    [d] = find_dates("同年5月", None, DateContext.of("2026-01"))
    assert (d.value, d.year_inferred) == (None, False)


def test_two_mentions_written_together_are_both_read() -> None:
    found = find_dates("去年今日，公司成立", None, DateContext.of("2026-01-08"))
    assert [(d.text, d.start, d.end) for d in found] == [("去年", 0, 2), ("今日", 2, 4)]
    assert found[0].value == "2025"
