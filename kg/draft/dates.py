"""Dates as outlets write them, resolved against the source's date, at the precision written.

Forms read (Simplified, Traditional and full-width alike; the text of a mention is always the
span as written): ``2026-03-15``, ``2026/3/15``, ``2026.3.15``, ``2026年1月8日``, ``3 月 15 日``,
``11月30日``, ``8 January 2026``, ``January 8, 2026``; years relative to the reference
(``今年3月``, ``去年年底``, ``明年初``) or to the last year named (``同年``); days and months
relative to the reference (``今日``, ``昨天``, ``上月``, ``本月15日``, Taiwan's ``昨（8）日``);
parts of a year (``上半年``, ``一季度``, ``第四季``, ``Q3``, ``前三季度``) and of a month
(``3月底``, ``5月上旬``); fiscal years (``2025財年``, ``FY2025``); dates in Chinese numerals
(``二〇二六年一月八日``).

Precision is kept: a year is an ``xsd:gYear``, a month an ``xsd:gYearMonth``, a day an
``xsd:date``. A part of a year keeps the year as its value and gives the months it spans as
``not_before``/``not_after`` (``2025年上半年``: 2025, from 2025-01 to 2025-06); the beginning or end
of a year or month (``年底``, ``月初``) is ``approximate`` with no bound, as vague as the text; a
fiscal year is ``approximate`` (it need not be the calendar year). A month with no year takes a
year named before it in the same text (``2025年3月至5月``), else, when a :class:`DateContext` gives
the reference date, the reference's year, or the year before when the month is more than six
months after the reference's (``11月30日`` in a January article is last November); such a year is
marked ``year_inferred``.

>>> [(d.text, d.value) for d in find_dates("去年3月,今年4月;5月", 2025)]
[('去年3月', '2024-03'), ('今年4月', '2025-04'), ('5月', '2025-05')]
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, replace

from kg.data.hanzi import folded
from kg.data.quantity_numbers import cn_value
from kg.errors import InvalidValue

__all__ = ["DateContext", "DateMention", "find_dates"]


@dataclass(frozen=True)
class DateMention:
    """A date as written, its value at the text's precision and that value's XSD type.

    Attributes:
        text: The span as written.
        value: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``None`` when the year is not known.
        datatype: ``"gYear"``, ``"gYearMonth"`` or ``"date"`` (``None`` with no value).
        start: Code-point offset of the span in the text read.
        end: Offset just past the span.
        approximate: Whether the text is vaguer than the value (``年底``, a fiscal year).
        not_before: The first month or day a part of a year or month spans (``2025-01``).
        not_after: The last month or day it spans (``2025-06``).
        period: The part written: ``"H1"``, ``"H2"``, ``"Q1"``…``"Q4"``, ``"Q1-Q3"``,
            ``"start"``, ``"end"``, ``"early"``, ``"mid"``, ``"late"`` (上/中/下旬) or ``"FY"``.
        year_inferred: Whether the year is not written but taken from elsewhere.

    """

    text: str
    value: str | None
    datatype: str | None
    start: int = 0
    end: int = 0
    approximate: bool = False
    not_before: str | None = None
    not_after: str | None = None
    period: str | None = None
    year_inferred: bool = False


@dataclass
class DateContext:
    """What dates are resolved against; pass one context through an article's sentences.

    Attributes:
        year: The reference year (the source's date, or ``--date``).
        month: The reference month, when known.
        last_year: The last year named so far (``同年`` is that year); :func:`find_dates`
            updates it with the years of the text it reads.
        day: The reference day, when known (``今日``, ``昨天`` need it).

    """

    year: int | None = None
    month: int | None = None
    last_year: int | None = None
    day: int | None = None

    @classmethod
    def of(cls, date: str | None) -> DateContext:
        """A context from ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (``None``: no reference).

        Raises:
            InvalidValue: If ``date`` is none of these.

        >>> DateContext.of("2026-01-08")
        DateContext(year=2026, month=1, last_year=None, day=8)
        """
        if date is None:
            return cls()
        m = re.fullmatch(r"([0-9]{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12][0-9]|3[01]))?)?", date)
        if m is None or (m[3] and int(m[3]) > calendar.monthrange(int(m[1]), int(m[2]))[1]):
            raise InvalidValue(f"date {date!r}: write YYYY, YYYY-MM or YYYY-MM-DD")
        return cls(int(m[1]), int(m[2]) if m[2] else None, day=int(m[3]) if m[3] else None)


_MONTH = (
    r"(?P<m>1[0-2]|0?[1-9]) ?月"
    r"(?: ?(?P<d>3[01]|[12][0-9]|0?[1-9]) ?[日号]|(?P<mpart>底|末|初|上旬|中旬|下旬))?"
)
_PART = (
    r"(?P<part>上半年|下半年|前三季度?|第[一二三四1-4] ?季度?|[一二三四1-4] ?季度|Q[1-4](?![0-9]))"
)
_TAIL = rf"(?: ?(?:{_PART}|(?P<ypart>年底|年末|年初|底|末|初)|{_MONTH}))?"
_ENGLISH_MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
_EN_MONTH = "|".join(_ENGLISH_MONTHS)
_FORMS = [
    re.compile(r"(?<![0-9])(?P<fy>(?:19|20)[0-9]{2}) ?(?:财年|财政年度|会计年度)"),
    re.compile(r"(?<![A-Za-z])FY ?(?P<fy>(?:19|20)[0-9]{2}|[0-9]{2})(?![0-9])"),
    re.compile(
        r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})(?P<sep>[-/.])(?P<m>1[0-2]|0?[1-9])"
        r"(?:(?P=sep)(?P<d>3[01]|[12][0-9]|0?[1-9]))?(?![0-9.])"
    ),
    re.compile(rf"(?<![0-9])(?P<d>[0-9]{{1,2}}) (?P<em>{_EN_MONTH}),? (?P<y>(?:19|20)[0-9]{{2}})"),
    re.compile(rf"(?P<em>{_EN_MONTH}) (?P<d>[0-9]{{1,2}}), (?P<y>(?:19|20)[0-9]{{2}})"),
    re.compile(
        r"(?:(?<![0-9])(?P<y>(?:19|20)[0-9]{2}) ?年|(?P<rel>今年|去年|明年|前年|后年|同年))" + _TAIL
    ),
    re.compile(rf"(?<![0-9年])(?:{_PART}|{_MONTH})"),
    re.compile(r"(?P<rday>今日|今天|昨日|昨天|明日|明天|前天)(?!头条|之星)"),
    # Taiwan's press: 昨(8)日 is "yesterday, the 8th"
    re.compile(r"(?P<rdn>今|昨|明) ?\( ?(?P<d>3[01]|[12][0-9]|0?[1-9]) ?\) ?日"),
    re.compile(r"(?P<rmonth>本月|上个?月|下个?月)" + _MONTH[_MONTH.index("(?: ?(?P<d>") :]),
    # formal announcements: 二〇二六年一月八日, 二零二五年十二月三十一日
    re.compile(
        r"(?P<cy>[〇零一二三四五六七八九]{4}) ?年(?: ?(?P<cm>十[一二]?|[一二三四五六七八九]) ?月"
        r"(?: ?(?P<cd>三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九]) ?[日号])?)?"
    ),
]
_CN_YEAR_DIGITS = "〇一二三四五六七八九零"  # 零 is 0 too: index 10, read modulo 10
_DAY_SHIFT = {"今日": 0, "今天": 0, "昨日": -1, "昨天": -1, "明日": 1, "明天": 1, "前天": -2}
_MONTH_SHIFT = {"本月": 0, "上月": -1, "上个月": -1, "下月": 1, "下个月": 1}
_RELATIVE = {"今年": 0, "去年": -1, "明年": 1, "前年": -2, "后年": 2}
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4}
_DECADE = {"上旬": ("early", 1, 10), "中旬": ("mid", 11, 20), "下旬": ("late", 21, 31)}


def _spans(text: str) -> list[re.Match[str]]:
    """Every form's matches, the earliest and then longest first, without overlaps."""
    found = [m for form in _FORMS for m in form.finditer(text)]
    found.sort(key=lambda m: (m.start(), -m.end()))
    kept: list[re.Match[str]] = []
    for m in found:
        if not kept or m.start() >= kept[-1].end():
            kept.append(m)
    return kept


def _group(m: re.Match[str], name: str) -> str | None:
    return m.groupdict().get(name)


def _month(m: re.Match[str]) -> int | None:
    """The month written in Arabic figures, Chinese numerals (``十二月``) or English."""
    for name, read in (("m", int), ("cm", cn_value), ("em", _ENGLISH_MONTHS.__getitem__)):
        written = _group(m, name)
        if written:
            return read(written)
    return None


def _day(m: re.Match[str]) -> int | None:
    for name, read in (("d", int), ("cd", cn_value)):
        written = _group(m, name)
        if written:
            return read(written)
    return None


def _year_part(part: str) -> tuple[str, int, int]:
    """The period code and the first and last month of ``上半年``, ``一季度``, ``Q3`` and so on."""
    if part == "上半年":
        return "H1", 1, 6
    if part == "下半年":
        return "H2", 7, 12
    if part.startswith("前三季"):
        return "Q1-Q3", 1, 9
    digit = part.strip("第季度Q ")
    quarter = _QUARTERS.get(digit) or int(digit)
    return f"Q{quarter}", 3 * quarter - 2, 3 * quarter


def _month_part(part: str, year: int, month: int) -> tuple[str, str | None, str | None]:
    if part in _DECADE:
        period, first, last = _DECADE[part]
        last = min(last, calendar.monthrange(year, month)[1])
        return period, f"{year:04d}-{month:02d}-{first:02d}", f"{year:04d}-{month:02d}-{last:02d}"
    return ("start" if part == "初" else "end"), None, None


class _Reader:
    """Resolves the matches of one text, keeping the last year named."""

    def __init__(self, source_year: int | None, context: DateContext | None) -> None:
        self.context = context
        self.year = source_year
        if source_year is None and context is not None:
            self.year = context.year
        self.last_year = context.last_year if context is not None else None

    def explicit_year(self, m: re.Match[str]) -> int | None:
        """The year the match names, or relates to the reference or the last year."""
        if _group(m, "cy"):
            return int("".join(str(_CN_YEAR_DIGITS.index(c) % 10) for c in m["cy"]))
        for name in ("y", "fy"):
            written = _group(m, name)
            if written:
                return int(written) if len(written) == 4 else 2000 + int(written)
        rel = _group(m, "rel")
        if rel == "同年":
            return self.last_year
        if rel and self.year is not None:
            return self.year + _RELATIVE[rel]
        return None

    def inferred_year(self, month: int | None) -> int | None:
        """A year for a mention that writes none: the last named here, else the reference's."""
        if self.last_year is not None:
            return self.last_year
        if self.context is None or self.context.year is None:
            return None
        ref_month = self.context.month
        if month is not None and ref_month is not None and month - ref_month > 6:
            return self.context.year - 1
        return self.context.year

    def relative_day_or_month(self, m: re.Match[str]) -> tuple[int, int, int | None] | None:
        """(year, month, day) of ``昨天`` or ``上月`` from a reference precise enough for it."""
        c = self.context
        if c is None or c.year is None or c.month is None:
            return None
        if _group(m, "rdn"):
            written = int(m["d"])
            back = c.day is not None and written > c.day + 1  # 昨(31)日 on the 1st: last month
            index = c.year * 12 + c.month - 1 - back
            return index // 12, index % 12 + 1, written
        if _group(m, "rday"):
            if c.day is None:
                return None
            day = datetime.date(c.year, c.month, c.day) + datetime.timedelta(_DAY_SHIFT[m["rday"]])
            return day.year, day.month, day.day
        index = c.year * 12 + c.month - 1 + _MONTH_SHIFT[m["rmonth"]]
        return index // 12, index % 12 + 1, _day(m)

    def mention(self, m: re.Match[str], source: str) -> DateMention:
        """The mention of one match of the folded text."""
        text = source[m.start() : m.end()]
        base = DateMention(text, None, None, m.start(), m.end())
        if _group(m, "rday") or _group(m, "rmonth") or _group(m, "rdn"):
            resolved = self.relative_day_or_month(m)
            if resolved is None:
                return base
            self.last_year = resolved[0]
            return self._resolved(m, base, *resolved)
        year = self.explicit_year(m)
        named = year is not None or bool(_group(m, "rel"))
        month = _month(m)
        if year is None and not named:
            year = self.inferred_year(month)
            inferred = year is not None
            base = DateMention(text, None, None, m.start(), m.end(), year_inferred=inferred)
        if year is None:
            return base
        if named:
            self.last_year = year
        return self._resolved(m, base, year, month, _day(m))

    @staticmethod
    def _resolved(
        m: re.Match[str], base: DateMention, year: int, month: int | None, day: int | None
    ) -> DateMention:
        d = replace(base, value=f"{year:04d}", datatype="gYear")
        if _group(m, "fy"):
            d = replace(d, approximate=True, period="FY")
        if _group(m, "ypart"):
            d = replace(d, approximate=True, period="end" if m["ypart"][-1] in "底末" else "start")
        if _group(m, "part"):
            period, first, last = _year_part(m["part"])
            d = replace(
                d,
                period=period,
                not_before=f"{year:04d}-{first:02d}",
                not_after=f"{year:04d}-{last:02d}",
            )
        if month is None:
            return d
        d = replace(d, value=f"{year:04d}-{month:02d}", datatype="gYearMonth")
        if day and day > calendar.monthrange(year, month)[1]:
            return base  # 2月30日: not a day of the calendar
        if day:
            d = replace(d, value=f"{year:04d}-{month:02d}-{day:02d}", datatype="date")
        if _group(m, "mpart"):
            period, first_day, last_day = _month_part(m["mpart"], year, month)
            d = replace(d, period=period, not_before=first_day, not_after=last_day)
            d = replace(d, approximate=first_day is None)
        return d


def find_dates(
    text: str, source_year: int | None = None, context: DateContext | None = None
) -> list[DateMention]:
    """Dates in ``text``, in order, with offsets into it.

    Args:
        text: A sentence or passage.
        source_year: The reference year for 今年/去年/明年 (default: the context's).
        context: The reference date and the last year named before ``text``; updated with the
            last year ``text`` names. Without one, a month with no year takes only a year
            named before it in ``text``, and ``同年`` only such a year.

    Returns:
        The mentions; a mention whose year is not known has value ``None``.

    >>> context = DateContext.of("2026-01-08")
    >>> [(d.text, d.value) for d in find_dates("2019年,公司成立", None, context)]
    [('2019年', '2019')]
    >>> [(d.text, d.value, d.year_inferred) for d in find_dates("同年11月30日", None, context)]
    [('同年11月30日', '2019-11-30', False)]
    """
    reader = _Reader(source_year, context)
    found = [reader.mention(m, text) for m in _spans(folded(text))]
    if context is not None:
        context.last_year = reader.last_year
    return found
