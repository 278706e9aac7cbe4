"""Dates as outlets write them, resolved against the source's date (kg.draft.dates)."""

from __future__ import annotations

import pytest

from kg.draft.dates import DateContext, DateMention, find_dates
from kg.draft.reading import find_dates as reading_find_dates
from kg.errors import InvalidValue

REFERENCE = "2026-01-08"

# (text, [(as written, value, datatype)]) read against a context dated 2026-01-08
CASES: list[tuple[str, list[tuple[str, str | None, str | None]]]] = [
    ("公司于2026-03-15正式递表", [("2026-03-15", "2026-03-15", "date")]),
    ("2026/3/15 更新", [("2026/3/15", "2026-03-15", "date")]),
    ("截至2025.12.31止年度", [("2025.12.31", "2025-12-31", "date")]),
    ("2026年1月8日，智譜在港交所掛牌", [("2026年1月8日", "2026-01-08", "date")]),
    ("该公司预计 2026 年 3 月 15 日 招股", [("2026 年 3 月 15 日", "2026-03-15", "date")]),
    ("３月１５日起", [("３月１５日", "2026-03-15", "date")]),
    ("11月30日，公司完成B轮融资", [("11月30日", "2025-11-30", "date")]),
    ("今年3月发布新模型", [("今年3月", "2026-03", "gYearMonth")]),
    ("去年年底估值翻倍", [("去年年底", "2025", "gYear")]),
    ("計劃明年初上市", [("明年初", "2027", "gYear")]),
    ("2025年上半年收入", [("2025年上半年", "2025", "gYear")]),
    ("今年一季度", [("今年一季度", "2026", "gYear")]),
    ("2025財年收入3.12億元", [("2025財年", "2025", "gYear")]),
    ("FY2025 revenue", [("FY2025", "2025", "gYear")]),
    ("listed on 8 January 2026", [("8 January 2026", "2026-01-08", "date")]),
    ("On January 8, 2026, the shares", [("January 8, 2026", "2026-01-08", "date")]),
    ("2025年3月至5月", [("2025年3月", "2025-03", "gYearMonth"), ("5月", "2025-05", "gYearMonth")]),
    ("3月底前完成", [("3月底", "2026-03", "gYearMonth")]),
    ("後年推出", [("後年", "2028", "gYear")]),
    ("日期：二〇二六年一月八日", [("二〇二六年一月八日", "2026-01-08", "date")]),
    (
        "截至二零二五年十二月三十一日止年度",
        [("二零二五年十二月三十一日", "2025-12-31", "date")],
    ),
    ("於二零二五年六月", [("二零二五年六月", "2025-06", "gYearMonth")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:12] for c in CASES])
def test_dates_as_outlets_write_them(
    text: str, expected: list[tuple[str, str | None, str | None]]
) -> None:
    found = find_dates(text, None, DateContext.of(REFERENCE))
    assert [(d.text, d.value, d.datatype) for d in found] == expected
    for d in found:
        assert text[d.start : d.end] == d.text


def _one(text: str, context: DateContext | None = None) -> DateMention:
    [d] = find_dates(text, None, context or DateContext.of(REFERENCE))
    return d


def test_parts_of_a_year_keep_the_year_and_give_the_months() -> None:
    h1 = _one("2025年上半年")
    assert (h1.period, h1.not_before, h1.not_after, h1.approximate) == (
        "H1",
        "2025-01",
        "2025-06",
        False,
    )
    assert (_one("下半年").period, _one("下半年").not_before) == ("H2", "2026-07")
    assert (_one("第三季度").not_before, _one("第三季度").not_after) == ("2026-07", "2026-09")
    assert (_one("2025年Q4").period, _one("2025年Q4").not_after) == ("Q4", "2025-12")
    assert _one("前三季度").not_after == "2026-09"
    early = _one("5月上旬")
    assert (early.not_before, early.not_after, early.approximate) == (
        "2026-05-01",
        "2026-05-10",
        False,
    )
    assert _one("2025年2月下旬").not_after == "2025-02-28"


def test_vague_parts_are_approximate_without_bounds() -> None:
    for text, period in [("去年年底", "end"), ("明年初", "start"), ("2025年末", "end")]:
        d = _one(text)
        assert (d.approximate, d.period, d.not_before, d.not_after) == (True, period, None, None)
    assert _one("3月初").approximate
    fiscal = _one("2025財年")
    assert (fiscal.approximate, fiscal.period) == (True, "FY")


def test_same_year_is_the_last_year_named_before_it() -> None:
    context = DateContext.of(REFERENCE)
    assert [d.value for d in find_dates("智谱成立于2019年。", None, context)] == ["2019"]
    assert context.last_year == 2019
    assert _one("同年11月获得投资", context).value == "2019-11"
    assert [d.value for d in find_dates("2021年上线，同年9月开源")] == ["2021", "2021-09"]
    assert find_dates("同年")[0].value is None  # nothing named before it


def test_a_month_with_no_year_takes_the_nearest_sensible_year() -> None:
    assert _one("11月30日").year_inferred
    assert _one("6月上市", DateContext.of("2026-01")).value == "2026-06"  # ahead: this year
    assert _one("8月上市", DateContext.of("2026-01")).value == "2025-08"  # long past: last year
    assert _one("8月上市", DateContext.of("2026")).value == "2026-08"  # no reference month
    assert not _one("2026年3月").year_inferred
    # Without a context, a bare month stays unknown (as before), unless a year precedes it.
    assert find_dates("5月") == [DateMention("5月", None, None, 0, 2)]


def test_relative_years_without_a_reference_stay_unknown() -> None:
    assert [d.value for d in find_dates("今年3月与2024年", 2025)] == ["2025-03", "2024"]
    assert find_dates("今年", None)[0].value is None
    assert reading_find_dates is find_dates  # the reader's old name still works


def test_not_dates() -> None:
    assert find_dates("2月30日", None, DateContext.of(REFERENCE))[0].value is None
    assert find_dates("营收12.5亿元，增长3.5%") == []
    assert find_dates("GLM-4.5 与 GPT-4") == []
    assert [d.text for d in find_dates("2026-01-08 09:30")] == ["2026-01-08"]


def test_taiwan_press_days_and_seasons() -> None:
    found = find_dates("鴻海昨（8）日公布去年第四季營收", None, DateContext.of("2026-01-09"))
    assert [(d.text, d.value, d.period, d.not_before) for d in found] == [
        ("昨（8）日", "2026-01-08", None, None),
        ("去年第四季", "2025", "Q4", "2025-10"),
    ]
    assert _one("昨(31)日", DateContext.of("2026-01-01")).value == "2025-12-31"
    assert _one("今(9)日", DateContext.of("2026")).value is None
    assert _one("前三季").not_after == "2026-09"
    assert find_dates("四季如春", None, DateContext.of(REFERENCE)) == []


def test_days_and_months_relative_to_the_reference() -> None:
    new_year = DateContext.of("2026-01-01")
    found = find_dates(
        "智譜今日在港交所掛牌，昨天公布招股結果；上個月底遞表，下月初派息", None, new_year
    )
    assert [(d.text, d.value, d.period) for d in found] == [
        ("今日", "2026-01-01", None),
        ("昨天", "2025-12-31", None),
        ("上個月底", "2025-12", "end"),
        ("下月初", "2026-02", "start"),
    ]
    assert _one("本月15日").value == "2026-01-15"
    assert _one("前天").value == "2026-01-06"
    # A reference without the day cannot say which day 今日 is; 今日头条 is a name.
    assert _one("今日", DateContext.of("2026-01")).value is None
    assert _one("上月", DateContext.of("2026")).value is None
    assert find_dates("今日头条", None, new_year) == []


@pytest.mark.parametrize("bad", ["2026-13", "26-01-08", "yesterday", "2026-01-32", "2026-02-30"])
def test_a_bad_reference_date_is_refused(bad: str) -> None:
    with pytest.raises(InvalidValue, match="write YYYY, YYYY-MM or YYYY-MM-DD"):
        DateContext.of(bad)
    assert DateContext.of(None) == DateContext()
