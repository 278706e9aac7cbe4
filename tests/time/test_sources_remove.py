"""``kg sources remove``: one source out, exactly; everything else byte for byte; undoable."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from dated_fixture import REPORT, ROOT, make_dated_data
from test_named_queries import case_id, examples_for, expected, normalise, run_named

import kg
from kg.data.paths import data_dir
from kg.query.catalogue import load_catalogue

JOURNAL = ".kg-journal"
# the report's body, without its header: to spread it into another file
BODY = REPORT[REPORT.index("kgg:provenance") :]
# a second derivation for one of the article's evidence graphs: a citation that corroborates it
CORROBORATION = """
kgg:provenance {
    ev:ipo-plan prov:wasDerivedFrom [ a kg:Citation ; oa:hasSource kgr:Report-test ;
        kg:locator "second paragraph"@en ] .
}
"""


@pytest.fixture
def dated_data(tmp_path: Path) -> Path:
    """The data folder with a dated fixture report (see ``dated_fixture``)."""
    return make_dated_data(tmp_path)


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", "--data", str(data), "sources", "remove", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def snapshot(root: Path) -> dict[str, str]:
    """The SHA-256 of every file in a data folder (the journal aside)."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and JOURNAL not in p.relative_to(root).parts
    }


def golden_mismatches(data: Path) -> list[str]:
    """The golden cases (``tests/golden/``) that ``data`` answers otherwise."""
    graph = kg.load(data)
    catalogue = load_catalogue(graph.layout)
    wrong = []
    for name, named in sorted(catalogue.items()):
        for params in examples_for(name):
            if normalise(run_named(graph, named, params)) != expected(name, params):
                wrong.append(case_id(name, params))
    return wrong


def test_removing_the_report_leaves_every_other_file_byte_identical(dated_data: Path) -> None:
    before = snapshot(dated_data)
    done = run(dated_data, "kgr:Report-test")
    assert done.returncode == 0, done.stderr
    assert "delete\ttriples/sources/Report-test.trig" in done.stdout
    after = snapshot(dated_data)
    assert set(before) - set(after) == {"triples/sources/Report-test.trig"}
    assert all(after[name] == before[name] for name in after)
    # what is left is the shipped data, file for file: the article's answers are unchanged
    shipped = {name: hashlib.sha256((ROOT / name).read_bytes()).hexdigest() for name in after}
    assert after == shipped
    assert sorted(p.name for p in data_dir(ROOT).triple_files()) == sorted(
        p.name for p in data_dir(dated_data).triple_files()
    )
    assert golden_mismatches(dated_data) == []


def test_undo_puts_every_byte_back(dated_data: Path) -> None:
    before = snapshot(dated_data)
    assert run(dated_data, "Report-test").returncode == 0
    undone = run(dated_data, "--undo")
    assert undone.returncode == 0 and "undid remove of kgr:Report-test" in undone.stdout
    assert snapshot(dated_data) == before
    again = run(dated_data, "--undo")
    assert again.returncode == 2 and "no source edit to undo" in again.stderr


def test_statements_spread_into_another_file_are_cut_out_of_it(dated_data: Path) -> None:
    (dated_data / "triples" / "sources" / "Report-test.trig").unlink()
    listing = dated_data / "triples" / "listing.trig"
    original = listing.read_bytes()
    listing.write_bytes(original + b"\n" + BODY.encode("utf-8"))
    before = snapshot(dated_data)
    done = run(dated_data, "Report-test")
    assert done.returncode == 0 and "edit\ttriples/listing.trig" in done.stdout, done.stdout
    assert listing.read_bytes() == original
    after = snapshot(dated_data)
    assert {k for k in before if before[k] != after.get(k)} == {"triples/listing.trig"}


def test_a_fact_with_other_evidence_keeps_it(dated_data: Path) -> None:
    report = dated_data / "triples" / "sources" / "Report-test.trig"
    report.write_text(REPORT + CORROBORATION, encoding="utf-8")
    sources_of_plan = """SELECT ?source { GRAPH kgg:provenance {
        ev:ipo-plan prov:wasDerivedFrom/oa:hasSource ?source } } ORDER BY ?source"""
    assert [str(r[0]) for r in kg.load(dated_data).query(sources_of_plan).rows] == [
        "<https://w3id.org/zhipu-kg/resource/Report-test>",
        "<https://w3id.org/zhipu-kg/resource/SourceArticle>",
    ]
    before_view = kg.load(dated_data, as_of="2025-07-01")  # the view: the same rule
    assert [str(r[0]) for r in before_view.query(sources_of_plan).rows] == [
        "<https://w3id.org/zhipu-kg/resource/SourceArticle>"
    ]
    assert run(dated_data, "Report-test").returncode == 0
    graph = kg.load(dated_data)
    assert [str(r[0]) for r in graph.query(sources_of_plan).rows] == [
        "<https://w3id.org/zhipu-kg/resource/SourceArticle>"
    ]
    quote = graph.query(
        "ASK { GRAPH kgg:provenance { ev:ipo-plan prov:wasDerivedFrom/oa:hasSelector ?q } }"
    )
    assert quote.askAnswer is True
    assert graph.query("ASK { GRAPH ev:ipo-plan { kgr:Zhipu-IPOPlan a kg:Listing } }").askAnswer


def test_an_unknown_source_is_one_line_with_a_suggestion_and_nothing_changes(
    dated_data: Path,
) -> None:
    before = snapshot(dated_data)
    done = run(dated_data, "Report-tset")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "did you mean kgr:Report-test" in done.stderr
    assert snapshot(dated_data) == before and not (dated_data / JOURNAL).exists()
    for args in ([], ["Report-test", "--undo"]):
        assert run(dated_data, *args).returncode == 2


def test_a_dry_run_writes_nothing(dated_data: Path) -> None:
    before = snapshot(dated_data)
    done = run(dated_data, "Report-test", "--dry-run")
    assert done.returncode == 0 and "would remove kgr:Report-test" in done.stdout
    assert snapshot(dated_data) == before and not (dated_data / JOURNAL).exists()


def test_the_loader_reads_sources_subfolders_and_leaves_drafts_out(dated_data: Path) -> None:
    files = data_dir(dated_data).triple_files()
    assert dated_data / "triples" / "sources" / "Report-test.trig" in files
    drafts = dated_data / "triples" / "drafts"
    drafts.mkdir()
    (drafts / "x.trig").write_text(REPORT, encoding="utf-8")
    assert drafts / "x.trig" not in data_dir(dated_data).triple_files()
    assert drafts / "x.trig" in data_dir(dated_data, include_drafts=True).triple_files()


def test_kg_sources_lists_the_report_with_its_date(dated_data: Path) -> None:
    listed = subprocess.run(
        [sys.executable, "-m", "kg", "--data", str(dated_data), "sources"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    row = next(r for r in listed.stdout.splitlines() if r.startswith("kgr:Report-test\t"))
    assert row.split("\t")[1:5] == ["1", "0", "", "2026-01"]
