"""Golden files change only through a review: the log, the regeneration tool, the experiment.

The experiment of issue 26: a fact changed against its quote (its year, its segment) with the
golden files re-recorded from the changed data used to pass every fast test. Now the truth checks
fail on it, the re-recorded golden files have no review entry, and the regeneration tool refuses
to write them without the passage of the article that says so.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, replace_in
from golden_review import (
    GOLDEN_DIR,
    LOG_NAME,
    changes,
    main,
    read_log,
    record,
    refusal,
    unreviewed,
)
from query_truths import Answers
from test_named_queries import dump_golden
from test_named_query_truth import strategic_shifts

import kg
from kg.validate import validate

SHIFT = "kgr:Shift-ConsumerMarketing"
#: The article: 2025年其大模型清言App几乎停掉大规模投放 (a consumer-side brake, in 2025).
DATA_ERRORS = {
    "year": (
        'kg:date "2025"^^xsd:gYear ;\n        kg:outcome "C端',
        'kg:date "2024"^^xsd:gYear ;\n        kg:outcome "C端',
    ),
    "segment": (
        'kg:customerSegment kgr:ConsumerSegment ;\n        kg:date "2025"',
        'kg:customerSegment kgr:BusinessSegment ;\n        kg:date "2025"',
    ),
}


@pytest.fixture
def article(source_path: Path) -> str:
    """The article's text."""
    return source_path.read_text(encoding="utf-8")


@pytest.fixture
def golden_copy(tmp_path: Path) -> Path:
    """A writable copy of the golden folder, review log included."""
    folder = tmp_path / "golden"
    shutil.copytree(GOLDEN_DIR, folder)
    return folder


def test_every_golden_file_is_the_content_its_review_recorded() -> None:
    assert (GOLDEN_DIR / LOG_NAME).is_file()
    stale = unreviewed(GOLDEN_DIR)
    assert not stale, (
        f"golden files changed without a review entry: {stale}; regenerate them with "
        "python tests/test_named_queries.py --write-golden (see tests/golden_review.py)"
    )


def test_every_logged_change_names_what_justifies_it(article: str) -> None:
    for entry in read_log(GOLDEN_DIR):
        assert set(entry) >= {"query", "sha256", "reviewed", "by", "changes"}, entry
        for change in entry["changes"]:
            if change["change"] in {"+", "-"}:
                assert refusal(change["because"], article, ROOT) is None, change


def test_changes_lists_rows_added_and_gone_per_case() -> None:
    old = {
        "query": "q",
        "summary": "s",
        "cases": [{"params": {}, "result": {"form": "SELECT", "rows": [["a"], ["b"]]}}],
    }
    new = {
        "query": "q",
        "summary": "s2",
        "cases": [
            {"params": {}, "result": {"form": "SELECT", "rows": [["b"], ["c"]]}},
            {"params": {"x": "1"}, "result": {"form": "ASK", "boolean": True}},
        ],
    }
    assert changes(old, new) == [
        {"query": "q", "case": {}, "change": "-", "row": ["a"]},
        {"query": "q", "case": {}, "change": "+", "row": ["c"]},
        {"query": "q", "case": {"x": "1"}, "change": "+", "row": True},
        {"query": "q", "case": None, "change": "summary", "row": "s2"},
    ]
    assert changes(new, new) == []


def test_a_change_is_justified_by_a_passage_or_a_citation(article: str) -> None:
    assert refusal("2025年其大模型清言App几乎停掉大规模投放", article, ROOT) is None
    assert refusal("kgr:Report-udn-20250819 fifth paragraph", article, ROOT) is None
    not_said = refusal("2024年其大模型清言App几乎停掉大规模投放", article, ROOT)
    assert not_said is not None and "not a passage" in not_said
    unknown = refusal("kgr:Report-nowhere-2025 page 3", article, ROOT)
    assert unknown is not None and "no citation file" in unknown
    assert refusal("ok", article, ROOT) is not None
    assert refusal("", article, ROOT) is not None
    no_article = refusal("2025年其大模型清言App", None, ROOT)
    assert no_article is not None and "KG_SOURCE" in no_article


@pytest.mark.parametrize("error", sorted(DATA_ERRORS))
def test_a_fact_changed_against_its_quote_fails_with_goldens_rerecorded(
    error: str,
    data_copy: Path,
    golden_copy: Path,
    article: str,
) -> None:
    old, new = DATA_ERRORS[error]
    replace_in(data_copy / "triples" / "business.trig", old, new)
    # the truth check, read off the article, fails on the changed data …
    changed = Answers(kg.load(data_copy), article, data_copy)
    with pytest.raises(AssertionError, match="Shift-ConsumerMarketing"):
        strategic_shifts(changed)
    # … (kg validate sees the year, whose quote writes 2025年; a segment is the truth check's alone)
    dates = [p.resource for p in validate(changed.graph).problems if p.rule == "date"]
    assert dates == (
        ["kgr:Shift-ConsumerMarketing in ev:reorganisation"] if error == "year" else []
    )
    # … golden files re-recorded the old way (written straight from the data) have no review …
    documents = record(data_copy, ["strategic_shifts"])
    (golden_copy / "strategic_shifts.json").write_text(
        dump_golden(documents["strategic_shifts"]), encoding="utf-8"
    )
    assert unreviewed(golden_copy) == ["strategic_shifts.json"]


def test_the_tool_shows_the_changed_rows_and_refuses_them_without_their_passage(
    data_copy: Path, golden_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = DATA_ERRORS["year"]
    replace_in(data_copy / "triples" / "business.trig", old, new)
    before = (golden_copy / "strategic_shifts.json").read_bytes()
    argv = ["--write-golden", "--data", str(data_copy), "--golden", str(golden_copy)]
    assert main([*argv, "strategic_shifts"]) == 1
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line[:1] == "{"]
    assert {c["change"] for c in printed} == {"+", "-"}
    for change in printed:  # the row with 2024 added, the one with 2025 gone
        assert SHIFT in change["row"]
        year = '"2024"^^xsd:gYear' if change["change"] == "+" else '"2025"^^xsd:gYear'
        assert year in change["row"], change
    # a confirmation whose "passage" the article does not contain is refused
    confirm = golden_copy.parent / "confirm.jsonl"
    lines = [json.dumps({**c, "because": "2024年其大模型清言App"}) for c in printed]
    confirm.write_text("\n".join(lines), encoding="utf-8")
    assert main([*argv, "--confirm", str(confirm), "strategic_shifts"]) == 1
    assert "refused: not a passage of the article" in capsys.readouterr().out
    assert (golden_copy / "strategic_shifts.json").read_bytes() == before


def test_a_confirmed_change_is_written_and_logged(
    data_copy: Path, golden_copy: Path, capsys: pytest.CaptureFixture[str], article: str
) -> None:
    # a golden file that lacks a row the data (rightly) gives: the tool shows it as added
    path = golden_copy / "challenges.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    dropped = document["cases"][0]["result"]["rows"].pop()
    path.write_text(dump_golden(document), encoding="utf-8")
    argv = ["--write-golden", "--data", str(data_copy), "--golden", str(golden_copy)]
    assert main([*argv, "challenges"]) == 1
    [line] = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x[:1] == "{"]
    assert (line["change"], line["row"]) == ("+", dropped)
    passage = dropped[-1].strip('"')  # the row's quote column, offered as a hint
    assert passage in article and line["passage_in_row"] == passage
    confirm = golden_copy.parent / "confirm.jsonl"
    confirm.write_text(json.dumps({**line, "because": passage}, ensure_ascii=False), "utf-8")
    assert main([*argv, "--by", "a reviewer", "--confirm", str(confirm), "challenges"]) == 0
    assert (golden_copy / "challenges.json").read_bytes() == (
        GOLDEN_DIR / "challenges.json"
    ).read_bytes()
    last = read_log(golden_copy)[-1]
    assert (last["query"], last["by"], last["changes"][0]["because"]) == (
        "challenges",
        "a reviewer",
        passage,
    )
    assert unreviewed(golden_copy) == []
