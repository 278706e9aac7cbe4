"""The review desk's journal (kg.review.journal) on real files: all or nothing, undo, the lock.

The desk tests (``test_desk.py``) drive the journal through whole reviews of a copied data
folder, minutes each; these drive it directly on a few small files in a temporary folder, so a
mutation run can afford them (see docs/mutation.md).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.data.output import OutputError
from kg.errors import EnvironmentProblem, UsageError
from kg.review.journal import (
    DeskBusy,
    DeskLock,
    Stale,
    commit,
    journal_path,
    sha256,
    undo,
    undone,
)


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "drafts" / "news.draft.trig"
    path.parent.mkdir()
    path.write_bytes(b"draft v1\n")
    return path


def test_sha256_of_bytes_and_of_no_file() -> None:
    assert sha256(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert sha256(None) == "-"


def test_a_decision_is_written_journaled_and_undone_byte_for_byte(
    draft: Path, tmp_path: Path
) -> None:
    source = tmp_path / "triples" / "sources" / "s.trig"  # its folder does not exist yet
    (tmp_path / "triples").mkdir()
    commit(
        draft,
        {draft: sha256(b"draft v1\n")},
        {draft: b"draft v2\n", source: b"facts\n"},
        "accept 1",
    )
    assert (draft.read_bytes(), source.read_bytes()) == (b"draft v2\n", b"facts\n")
    assert journal_path(draft) == draft.parent / ".news.draft.trig.journal.json"
    assert json.loads(journal_path(draft).read_bytes()) == [
        {
            "decision": "accept 1",
            "files": [
                {
                    "path": str(draft),
                    "before": base64.b64encode(b"draft v1\n").decode(),
                    "after": sha256(b"draft v2\n"),
                },
                {"path": str(source), "before": None, "after": sha256(b"facts\n")},
            ],
        }
    ]
    assert undone(draft) == "accept 1"
    assert undo(draft) == "accept 1"
    assert draft.read_bytes() == b"draft v1\n"
    assert not source.exists()  # it did not exist before
    assert undone(draft) is None
    with pytest.raises(UsageError, match=r"news\.draft\.trig: nothing to undo"):
        undo(draft)


def test_decisions_are_undone_last_first_and_a_deletion_too(draft: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.trig"
    other.write_bytes(b"old\n")
    commit(draft, {}, {draft: b"draft v2\n"}, "first")
    commit(draft, {}, {draft: b"draft v3\n", other: None}, "second")
    assert not other.exists()
    assert undo(draft) == "second"
    assert (draft.read_bytes(), other.read_bytes()) == (b"draft v2\n", b"old\n")
    assert undo(draft) == "first"
    assert draft.read_bytes() == b"draft v1\n"


def test_a_file_changed_since_it_was_read_refuses_the_decision(draft: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.trig"
    other.write_bytes(b"changed by someone\n")
    with pytest.raises(Stale, match=r"other\.trig: changed on disk since the desk read it"):
        commit(draft, {other: sha256(b"as read\n")}, {draft: b"draft v2\n"}, "accept 1")
    assert draft.read_bytes() == b"draft v1\n"
    assert not journal_path(draft).exists()
    # A file read and not written, unchanged since, is as read.
    other.write_bytes(b"as read\n")
    commit(draft, {other: sha256(b"as read\n")}, {draft: b"draft v2\n"}, "accept 1")
    assert draft.read_bytes() == b"draft v2\n"
    undo(draft)
    # A file expected absent and absent is as read.
    commit(draft, {tmp_path / "absent.trig": "-"}, {draft: b"draft v2\n"}, "accept 1")
    assert draft.read_bytes() == b"draft v2\n"


def test_a_write_that_fails_puts_back_what_was_written(draft: Path, tmp_path: Path) -> None:
    made = tmp_path / "new" / "made.trig"  # its folder is made for it
    impossible = tmp_path / "no" / "such" / "folder" / "x.trig"  # one folder is made, not three
    with pytest.raises(OutputError, match=r"^cannot write: .*; nothing was changed$"):
        commit(draft, {}, {draft: b"draft v2\n", made: b"new\n", impossible: b"x\n"}, "accept 1")
    assert draft.read_bytes() == b"draft v1\n"
    assert not made.exists() and not made.parent.exists()
    assert not journal_path(draft).exists()


def test_an_undo_of_a_file_changed_since_restores_nothing(draft: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.trig"
    commit(draft, {}, {draft: b"draft v2\n", other: b"new\n"}, "accept 1")
    other.write_bytes(b"edited by hand\n")
    with pytest.raises(
        Stale, match=r"other\.trig: changed since `accept 1`; undo refused, nothing"
    ):
        undo(draft)
    assert (draft.read_bytes(), other.read_bytes()) == (b"draft v2\n", b"edited by hand\n")
    assert undone(draft) == "accept 1"


@pytest.mark.parametrize(
    ("journal", "message"),
    [(b"{not json", r"not a desk journal \(invalid JSON\)"), (b'{"a": 1}', "not a desk journal$")],
    ids=["invalid-json", "not-a-list"],
)
def test_a_journal_that_is_not_one_is_refused(draft: Path, journal: bytes, message: str) -> None:
    journal_path(draft).write_bytes(journal)
    with pytest.raises(UsageError, match=message):
        undone(draft)
    with pytest.raises(UsageError, match=message):
        commit(draft, {}, {draft: b"draft v2\n"}, "accept 1")
    assert draft.read_bytes() == b"draft v1\n"


def _lock(draft: Path) -> Path:
    return draft.parent / ".news.draft.trig.lock"


def test_the_lock_holds_this_process_id_and_is_released(draft: Path) -> None:
    with DeskLock(draft) as lock:
        assert lock.path == _lock(draft)
        assert _lock(draft).read_text(encoding="ascii") == str(os.getpid())
        DeskLock(draft).acquire()  # this process again: taken over
    assert not _lock(draft).exists()


def test_a_living_owner_keeps_the_lock(draft: Path) -> None:
    owner = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        _lock(draft).write_text(str(owner.pid), encoding="ascii")
        with pytest.raises(DeskBusy, match=rf"another desk \(process {owner.pid}\) is reviewing"):
            DeskLock(draft).acquire()
        DeskLock(draft).release()  # not ours: left alone
        assert _lock(draft).read_text(encoding="ascii") == str(owner.pid)
    finally:
        owner.communicate(b"")
    assert owner.returncode == 0  # asked whether it lives, never sent a signal
    # The owner is gone: its lock is stale and taken over.
    with DeskLock(draft):
        assert _lock(draft).read_text(encoding="ascii") == str(os.getpid())


@pytest.mark.parametrize("content", ["", "0", "not a pid"])
def test_a_lock_with_no_owner_is_taken_over(draft: Path, content: str) -> None:
    _lock(draft).write_text(content, encoding="ascii")
    with DeskLock(draft):
        assert _lock(draft).read_text(encoding="ascii") == str(os.getpid())
    assert not _lock(draft).exists()


def test_a_lock_that_cannot_be_written_is_an_environment_problem(tmp_path: Path) -> None:
    draft = tmp_path / "missing" / "news.draft.trig"
    message = r"cannot lock .*news\.draft\.trig: No such file or directory \(.*\.lock\)$"
    with pytest.raises(EnvironmentProblem, match=message):
        DeskLock(draft).acquire()


def test_a_write_refused_by_the_writer_puts_back_what_was_written(
    draft: Path, tmp_path: Path
) -> None:
    made = tmp_path / "new" / "made.trig"
    folder = tmp_path / "a-folder.trig"  # a folder stands where a file would go
    folder.mkdir()
    with pytest.raises(
        OutputError,
        match=r"^cannot write \S*a-folder\.trig: it is a folder; give a file name; nothing was"
        r" changed$",
    ):
        commit(draft, {}, {draft: b"draft v2\n", made: b"new\n", folder: b"x\n"}, "accept 1")
    assert draft.read_bytes() == b"draft v1\n"
    assert not made.parent.exists()
    assert not journal_path(draft).exists()


def test_the_reason_a_write_failed_is_the_systems_words(draft: Path, tmp_path: Path) -> None:
    impossible = tmp_path / "no" / "such" / "x.trig"
    with pytest.raises(
        OutputError, match=r"^cannot write: No such file or directory; nothing was changed$"
    ):
        commit(draft, {}, {impossible: b"x\n"}, "accept 1")


def test_deleting_a_file_that_is_gone_already_is_no_error(draft: Path, tmp_path: Path) -> None:
    commit(draft, {}, {draft: b"draft v2\n", tmp_path / "gone.trig": None}, "reject 1")
    assert undo(draft) == "reject 1"
    assert not (tmp_path / "gone.trig").exists()


def test_an_undo_that_cannot_write_puts_back_what_it_restored(draft: Path, tmp_path: Path) -> None:
    source = tmp_path / "sources" / "s.trig"
    source.parent.mkdir()
    source.write_bytes(b"old\n")
    commit(draft, {}, {draft: b"draft v2\n", source: None}, "withdraw s")
    source.parent.rmdir()  # the folder the file would go back to is gone
    with pytest.raises(
        OutputError,
        match=r"^cannot undo: cannot write .*s\.trig: the folder .* does not exist; create it"
        r" first; nothing was changed$",
    ):
        undo(draft)
    assert draft.read_bytes() == b"draft v2\n"  # restored first, then put back
    assert undone(draft) == "withdraw s"


def test_the_journal_is_readable_utf8_one_space_indented(draft: Path) -> None:
    commit(draft, {}, {draft: b"draft v2\n"}, "接受 draft-1")
    text = journal_path(draft).read_text(encoding="utf-8")
    assert text.startswith('[\n {\n  "decision": "接受 draft-1",\n  "files": [\n')


def test_the_lock_file_is_readable_by_all_writable_by_its_owner(draft: Path) -> None:
    mask = os.umask(0o022)
    try:
        with DeskLock(draft):
            assert _lock(draft).stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(mask)


def test_a_lock_removed_by_hand_is_released_quietly(draft: Path) -> None:
    lock = DeskLock(draft)
    lock.acquire()
    _lock(draft).unlink()
    lock.release()
    assert not _lock(draft).exists()
