"""The push journal (:mod:`kg.remote.journal`): where it is kept, what it writes, how it is read
back and described, and its one-line refusals: the cases mutation testing showed missing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import UsageError
from kg.remote.journal import Batch, Journal, JournalError, journal_dir, journal_key, load_journal


def journal(path: Path, **changes: object) -> Journal:
    fields: dict[str, object] = {
        "query_url": "http://127.0.0.1:1/query",
        "update_url": "http://127.0.0.1:1/update",
        "graph_store": "http://127.0.0.1:1/store",
        "mode": "graph-store",
        "fingerprint": "f" * 64,
        "graphs": ["urn:g0", "urn:g1", "urn:g2", "urn:图3"],
        "sent": [5, 0, 7, 1],
        "prior": [0, 2, 7, 0],
        "batches": [Batch(0, 1), Batch(1, 3, "staged"), Batch(3, 4, "done")],
        "hashes": ["h0", "h1", "h2", "h3"],
        "path": path,
    }
    fields.update(changes)
    return Journal(**fields)  # type: ignore[arg-type]


def test_the_journal_lives_under_the_state_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert journal_dir() == tmp_path / "state" / "kg" / "push"
    monkeypatch.setenv("XDG_STATE_HOME", "")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert journal_dir() == tmp_path / "home" / ".local" / "state" / "kg" / "push"
    monkeypatch.delenv("XDG_STATE_HOME")
    assert journal_dir() == tmp_path / "home" / ".local" / "state" / "kg" / "push"


def test_one_journal_per_server_named_by_both_its_urls() -> None:
    key = journal_key("http://h/q", "http://h/u")
    assert len(key) == 16
    assert int(key, 16) >= 0
    assert key == journal_key("http://h/q", "http://h/u")
    assert key != journal_key("http://h/q", "http://h/v")
    assert key != journal_key("http://h/r", "http://h/u")
    # the two URLs are kept apart: moving a character from one to the other is another server
    assert journal_key("http://h/q", "u") != journal_key("http://h/q\nu", "")


def test_a_saved_journal_reads_back_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "abc.json"
    written = journal(path, outcome="finished")
    written.save(graphs=True)
    assert written.graphs_path == tmp_path / "deep" / "er" / "abc.graphs.json"
    assert load_journal(path) == written
    head = json.loads(path.read_text(encoding="utf-8"))
    assert head == {
        "query_url": "http://127.0.0.1:1/query",
        "update_url": "http://127.0.0.1:1/update",
        "graph_store": "http://127.0.0.1:1/store",
        "mode": "graph-store",
        "fingerprint": "f" * 64,
        "outcome": "finished",
        "batches": [[0, 1, "pending"], [1, 3, "staged"], [3, 4, "done"]],
    }
    assert path.read_text(encoding="utf-8").startswith('{\n "query_url"')
    table = written.graphs_path.read_text(encoding="utf-8")
    assert json.loads(table) == {
        "graphs": ["urn:g0", "urn:g1", "urn:g2", "urn:图3"],
        "sent": [5, 0, 7, 1],
        "prior": [0, 2, 7, 0],
        "hashes": ["h0", "h1", "h2", "h3"],
    }
    assert "urn:图3" in table  # written as it is, not escaped


def test_a_state_change_rewrites_the_head_only(tmp_path: Path) -> None:
    path = tmp_path / "j.json"
    written = journal(path)
    written.save(graphs=True)
    table = written.graphs_path.read_bytes()
    written.graphs.append("urn:later")  # the graph file is written once
    written.set_state(written.batches[0], "sending")
    assert written.batches[0].state == "sending"
    read = load_journal(path)
    assert read is not None
    assert [b.state for b in read.batches] == ["sending", "staged", "done"]
    assert read.graphs == ["urn:g0", "urn:g1", "urn:g2", "urn:图3"]
    assert written.graphs_path.read_bytes() == table
    written.save()
    assert written.graphs_path.read_bytes() == table


def test_graphs_are_named_by_batch_and_by_state(tmp_path: Path) -> None:
    j = journal(tmp_path / "j.json")
    assert j.names(j.batches[1]) == ["urn:g1", "urn:g2"]
    assert j.graphs_in("staged") == ["urn:g1", "urn:g2"]
    assert j.graphs_in("done", "pending") == ["urn:g0", "urn:图3"]
    assert j.graphs_in("switching") == []
    assert j.graphs_in() == []


def test_the_description_counts_graphs_per_state_in_the_push_s_order(tmp_path: Path) -> None:
    states = ["pending", "sending", "staged", "switching", "done", "unchanged"]
    graphs = [f"urn:g{i}" for i in range(1 + 2 + 3 + 4 + 5 + 1200)]
    batches, start = [], 0
    for state, count in zip(states, (1, 2, 3, 4, 5, 1200), strict=True):
        batches.append(Batch(start, start + count, state))
        start += count
    j = journal(tmp_path / "j.json", graphs=graphs, batches=batches)
    assert j.describe() == (
        "1,200 graphs unchanged since the last push; 5 graphs in place and counted; "
        "4 graphs being switched; 3 graphs staged and counted, old versions still live; "
        "2 graphs being sent, old versions still live; 1 graphs not sent"
    )
    only = journal(tmp_path / "j.json", batches=[Batch(0, 4, "done")])
    assert only.describe() == "4 graphs in place and counted"
    assert journal(tmp_path / "j.json", batches=[]).describe() == ""


def test_no_journal_is_none_and_a_new_batch_is_pending(tmp_path: Path) -> None:
    assert load_journal(tmp_path / "absent.json") is None
    assert Batch(0, 1).state == "pending"
    j = Journal("q", "u", None, "update", "f", [], [], [], [])
    assert (j.hashes, j.outcome, j.path) == ([], "running", Path())


def test_a_journal_from_before_content_hashes_reads_with_none(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    journal(path).save(graphs=True)
    table = json.loads(path.with_suffix(".graphs.json").read_text(encoding="utf-8"))
    del table["hashes"]
    path.with_suffix(".graphs.json").write_text(json.dumps(table), encoding="utf-8")
    read = load_journal(path)
    assert read is not None
    assert read.hashes == []
    assert read.graph_store == "http://127.0.0.1:1/store"


def test_numbers_and_states_written_as_text_are_read_as_numbers_and_text(tmp_path: Path) -> None:
    path = tmp_path / "j.json"
    journal(path).save(graphs=True)
    head = json.loads(path.read_text(encoding="utf-8"))
    head["batches"] = [["0", "4", 1]]
    path.write_text(json.dumps(head), encoding="utf-8")
    table = json.loads(path.with_suffix(".graphs.json").read_text(encoding="utf-8"))
    table.update(sent=["5", "0", "7", "1"], prior=["0", "2", "7", "0"], hashes=[1, 2, 3, 4])
    path.with_suffix(".graphs.json").write_text(json.dumps(table), encoding="utf-8")
    read = load_journal(path)
    assert read is not None
    assert read.batches == [Batch(0, 4, "1")]
    assert (read.sent, read.prior, read.hashes) == (
        [5, 0, 7, 1],
        [0, 2, 7, 0],
        ["1", "2", "3", "4"],
    )


@pytest.mark.parametrize(
    ("head", "table", "reason"),
    [
        ("{not json", None, "Expecting property name"),
        (None, "", "Expecting value"),
        ("{}", None, "'query_url'"),
        (None, '{"graphs": []}', "'sent'"),
        (None, '{"graphs": [], "sent": ["x"], "prior": []}', "invalid literal"),
        ('{"query_url": "q", "update_url": "u", "graph_store": null, "mode": "m", '
         '"fingerprint": "f", "outcome": "o", "batches": [1]}', None, "cannot unpack"),
        ("missing", None, "No such file"),
    ],
)  # fmt: skip
def test_a_journal_that_cannot_be_read_is_one_line_saying_what_to_do(
    tmp_path: Path, head: str | None, table: str | None, reason: str
) -> None:
    path = tmp_path / "j.json"
    journal(path).save(graphs=True)
    if head is not None:
        path.write_text(head, encoding="utf-8")
    if table is not None:
        path.with_suffix(".graphs.json").write_text(table, encoding="utf-8")
    if head == "missing":
        path.write_text("{}", encoding="utf-8")
        path.with_suffix(".graphs.json").unlink()
    with pytest.raises(JournalError, match=f"^{path}: the push journal cannot be read") as caught:
        load_journal(path)
    message = str(caught.value)
    assert reason in message
    assert message.endswith("; move it away to start afresh")
    assert "\n" not in message
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__
    assert isinstance(caught.value, UsageError)
