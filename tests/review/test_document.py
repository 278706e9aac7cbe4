"""Reading a draft: its proposals, its new entities, and one line for a file that is no draft."""

from __future__ import annotations

from pathlib import Path

import pytest
from desk_bench import FIXTURES, P

from kg.errors import NotFound
from kg.review.document import Draft, DraftError, draft_id


def test_the_proposals_in_sentence_order_with_quote_cues_and_entities() -> None:
    draft = Draft.read(FIXTURES / "xinghe-news.draft.trig")
    proposals = draft.proposals()
    assert [p.name for p in proposals] == [
        P + "000021-1",
        P + "000057-1",
        P + "000087-1",
        P + "000111-1",
    ]
    first = proposals[0]
    text = (FIXTURES / "xinghe-news.txt").read_text(encoding="utf-8")
    assert text[first.start : first.end] == first.quote
    assert first.cues == ("融资", "领投") and first.confidence == 0.8
    assert [str(f).rsplit("/", 1)[1] for f in first.facts] == ["Draft-cd35c5bb-000021-1"]
    assert [str(e).rsplit("/", 1)[1] for e in first.entities] == ["New-XingheZiben"]
    assert len(draft.new_entities()) == 4


def test_a_proposal_is_named_as_the_command_line_takes_it() -> None:
    assert draft_id("ev:" + P + "000021-1") == draft_id(P + "000021-1")
    with pytest.raises(NotFound, match="not a proposal's name"):
        draft_id("Zhipu")
    with pytest.raises(NotFound, match="no proposal draft-cd35c5bb-000022-1 here"):
        Draft.read(FIXTURES / "xinghe-news.draft.trig").proposal(draft_id(P + "000022-1"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        (
            "kgg:provenance { ev:x a kg:Evidence . }".encode("gbk") + "# 草稿".encode("gbk"),
            "not UTF-8",
        ),
        (
            b"@prefix kg: <https://w3id.org/zhipu-kg/ontology#> .\nkgg:provenance {\n  x y\n",
            "not valid TriG",
        ),
    ],
    ids=["empty", "binary", "gbk", "broken"],  # bytes have no id once ids are left unescaped
)
def test_a_file_that_is_not_a_draft_is_one_line(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.trig"
    path.write_bytes(content)
    with pytest.raises(DraftError, match=message) as caught:
        Draft.read(path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)


def test_a_hand_edit_that_breaks_the_trig_names_its_line(tmp_path: Path) -> None:
    text = (FIXTURES / "xinghe-news.draft.trig").read_text(encoding="utf-8")
    path = tmp_path / "edited.trig"
    path.write_text(
        text.replace("kg:investee kgr:Zhipu ;", 'kg:investee kgr:Zhipu ;;;"', 1), encoding="utf-8"
    )
    with pytest.raises(DraftError, match=r"edited\.trig:\d+: not valid TriG"):
        Draft.read(path)
