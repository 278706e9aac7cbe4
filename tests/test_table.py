"""Terminal tables fit the terminal, drop the other language's columns, and read numbers well."""

from __future__ import annotations

import unicodedata

import pyoxigraph as ox
from click.testing import CliRunner

from kg.cli.main import main
from kg.query.results import QueryResult
from kg.query.table import XSD, to_table


def width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def run(*args: str, columns: str | None = None) -> tuple[int, str]:
    env = {"COLUMNS": columns} if columns else {}
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout


def test_funding_by_city_fits_80_columns_and_names_each_city_once() -> None:
    code, out = run("query", "--name", "funding_by_city", "--lang", "zh", columns="80")
    assert code == 0
    lines = out.splitlines()
    assert max(map(width, lines)) <= 80
    assert "?city_en" not in out and "?city_zh" not in out and "?investor_en" not in out
    assert any(line.startswith("?city ") and "北京 (kgr:Beijing)" in line for line in lines)
    assert any("2,000,000,000" in line or "200,000,000" in line for line in lines)


def test_without_lang_every_column_stays() -> None:
    code, out = run("query", "--name", "funding_by_city", columns="80")
    assert code == 0 and "?city_en" in out and max(map(width, out.splitlines())) <= 80


def test_a_table_that_can_fit_wraps_its_cells_within_the_width() -> None:
    code, out = run("query", "--name", "evidence_for_entity", "-p", "entity=唐杰", columns="100")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == [
        *("?graph", "?tier", "?start", "?end", "?quote"),
        *("?source", "?published", "?locator", "?statements"),
    ]
    assert max(map(width, lines)) <= 100
    assert any(line.startswith(" " * 20) for line in lines[2:])  # a wrapped quote


def test_no_width_keeps_the_natural_layout() -> None:
    wide = ox.Literal("字" * 60)
    text = to_table(QueryResult("SELECT", ["a", "b"], [(wide, wide)]), {})
    assert width(text.splitlines()[0]) < width(text.splitlines()[2]) <= 2 * 48 + 2


def test_numbers_are_grouped_and_right_aligned_but_small_ones_stay_plain() -> None:
    def decimal(value: str) -> ox.Literal:
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "decimal"))

    rows = [(decimal("1800000000"), decimal("1104")), (decimal("2.5"), decimal("12345.50"))]
    lines = to_table(QueryResult("SELECT", ["amount", "n"], rows), {}).splitlines()
    assert lines[2] == "1,800,000,000      1104"
    assert lines[3] == "          2.5  12,345.5"


def test_numbers_and_dates_are_never_split_across_lines() -> None:
    decimal = ox.NamedNode(XSD + "decimal")
    text = ox.Literal("3月,连跑珠海、成都、杭州三地签下18亿元国资;4月,拿下北京市基金的2亿追加投资")
    rows = [(ox.Literal("1800000000", datatype=decimal), ox.Literal("2025-03"), text, text, text)]
    result = QueryResult("SELECT", ["value", "date", "quote", "label_zh", "label_en"], rows)
    for columns in (60, 70, 80):
        lines = to_table(result, {}, width=columns).splitlines()
        assert max(map(width, lines)) <= columns
        assert any("1,800,000,000" in line for line in lines), (columns, lines)
        assert any("2025-03" in line for line in lines), (columns, lines)


def test_funding_timeline_at_120_columns_keeps_every_amount_whole() -> None:
    code, out = run("query", "--name", "funding_timeline", "--lang", "zh", columns="120")
    assert code == 0 and max(map(width, out.splitlines())) <= 120
    for amount in ("1,800,000,000", "200,000,000", "100,000,000"):
        assert amount in out
