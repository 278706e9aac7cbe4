"""Quotes and offsets: derived from the text by code, checked against it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.data.source import QuoteError, SourceText, Span, fix_offsets, locate

SELECTOR = (
    'oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "{exact}"{prefix} ] ,\n'
    "    [ a oa:TextPositionSelector ; oa:start {start} ; oa:end {end} ] ] .\n"
)


def selector(exact: str, start: int, end: int, prefix: str | None = None) -> str:
    extra = f' ; oa:prefix "{prefix}"' if prefix is not None else ""
    return SELECTOR.format(exact=exact, prefix=extra, start=start, end=end)


def test_locate_unique_quote() -> None:
    assert locate("甲乙丙丁", "乙丙") == Span(1, 3)


def test_locate_ambiguous_quote_needs_prefix() -> None:
    with pytest.raises(QuoteError, match="occurs 2 times"):
        locate("甲乙丙乙丙", "乙丙")
    assert locate("甲乙丙乙丙", "乙丙", prefix="甲").start == 1


def test_locate_missing_quote() -> None:
    with pytest.raises(QuoteError, match="not found"):
        locate("甲乙丙", "丁")
    with pytest.raises(QuoteError, match="empty"):
        locate("甲乙丙", "")


def test_offsets_count_code_points_not_bytes(source_path: Path) -> None:
    article = SourceText.read(source_path)
    span = locate(article.text, "3月,连跑珠海、成都、杭州三地签下18亿元国资")
    assert article.text[span.start : span.end].startswith("3月,连跑珠海")
    assert len(article.text) == 3028
    assert len(source_path.read_bytes()) > 3028


def test_fix_offsets_rewrites_only_the_numbers(tmp_path: Path) -> None:
    text = "序言。甲乙丙。乙丙丁。"
    file = tmp_path / "x.trig"
    original = "# keep me\n" + selector("甲乙丙", 0, 0) + selector("乙丙", 9, 9, prefix="。")
    file.write_text(original, encoding="utf-8")
    assert fix_offsets(file, text) == 2
    fixed = file.read_text(encoding="utf-8")
    assert fixed == "# keep me\n" + selector("甲乙丙", 3, 6) + selector("乙丙", 7, 9, prefix="。")
    assert fix_offsets(file, text) == 0


def test_fix_offsets_unescapes_newlines(tmp_path: Path) -> None:
    file = tmp_path / "x.trig"
    file.write_text(selector("一\\n二", 0, 0), encoding="utf-8")
    fix_offsets(file, "〇一\n二")
    assert "oa:start 1 ; oa:end 4" in file.read_text(encoding="utf-8")


def test_fix_offsets_failure_names_the_line_and_changes_nothing(tmp_path: Path) -> None:
    file = tmp_path / "x.trig"
    original = selector("甲", 0, 0) + selector("不存在", 0, 0)
    file.write_text(original, encoding="utf-8")
    with pytest.raises(QuoteError, match=r"x\.trig:3: quote not found"):
        fix_offsets(file, "甲乙")
    assert file.read_text(encoding="utf-8") == original
    assert [p.name for p in tmp_path.iterdir()] == ["x.trig"]


def test_shipped_offsets_are_already_exact(data_copy: Path, source_path: Path) -> None:
    article = SourceText.read(source_path)
    for file in sorted((data_copy / "triples").glob("*.trig")):
        assert fix_offsets(file, article.text) == 0, file.name
