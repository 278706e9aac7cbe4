"""The judgements file: written block by block, read back, undone byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.data.prefixes import PREFIXES
from kg.identity.judgements import (
    HEADER,
    Judgement,
    JudgementFileError,
    append,
    judgements_path,
    read,
    remove,
)

KGR = PREFIXES["kgr"]


def _judgement(
    verdict: str = "SameAs", why: str = "", when: str = "2026-01-31T12:00:00Z"
) -> Judgement:
    return Judgement(verdict, KGR + "Zhipu", KGR + "New-zhipu-huazhang", "张三", when, why)


def test_append_then_read_gives_the_judgements_back_in_order(tmp_path: Path) -> None:
    path = judgements_path(tmp_path / "triples")
    first = _judgement(why='同一家公司: "北京智谱华章科技股份有限公司"\n即智谱')
    second = Judgement("NotSame", KGR + "SenseTime", KGR + "DeepSeek", "li", "2026-02-01T00:00:00Z")
    append(path, first)
    append(path, second)
    assert read(path) == [first, second]
    text = path.read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    assert "kgr:New-zhipu-huazhang owl:sameAs kgr:Zhipu ." in text
    assert "owl:sameAs kgr:SenseTime" not in text  # "not the same" states no sameAs


def test_remove_gives_back_the_file_byte_for_byte(tmp_path: Path) -> None:
    path = judgements_path(tmp_path / "triples")
    earlier = Judgement("Unsure", KGR + "A", KGR + "B", "x", "2026-01-01T00:00:00Z")
    append(path, earlier)
    before = path.read_bytes()
    later = _judgement(why="the registered name")
    append(path, later)
    remove(path, later)
    assert path.read_bytes() == before
    remove(path, earlier)
    assert not path.exists() and not path.parent.exists()  # no file, no folder: as at first


def test_a_block_edited_by_hand_is_not_guessed_at(tmp_path: Path) -> None:
    path = judgements_path(tmp_path / "triples")
    judgement = _judgement(why="why")
    append(path, judgement)
    path.write_text(path.read_text(encoding="utf-8").replace('"why"@en', '"why not"@en'))
    before = path.read_bytes()
    with pytest.raises(JudgementFileError, match="edited by hand"):
        remove(path, judgement)
    assert path.read_bytes() == before


def test_a_broken_file_is_named_with_its_line(tmp_path: Path) -> None:
    path = judgements_path(tmp_path / "triples")
    path.parent.mkdir(parents=True)
    path.write_text(HEADER + "kgg:identity { kgr:A a kg:Judgement ", encoding="utf-8")
    with pytest.raises(JudgementFileError, match=r"judgements\.trig: .*line"):
        read(path)
