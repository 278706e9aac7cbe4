"""The desk's decisions on real data: validated before they are written, journaled, undoable."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from desk_bench import Bench, P
from desk_bench import bench_fixture as bench_fixture
from rdflib import Dataset, Literal, URIRef

from kg.data import paths
from kg.data.namespaces import KG, PROVENANCE_GRAPH
from kg.data.output import OutputError
from kg.data.paths import DataLayout, InstalledDataError
from kg.errors import InvalidValue, NotFound
from kg.review.desk import Desk, Refused
from kg.review.document import draft_id
from kg.review.journal import Stale
from kg.validate import validate_files

KGR = "https://w3id.org/zhipu-kg/resource/"
ROOT = Path(__file__).resolve().parents[2]
KG_COMMAND = str(Path(sys.executable).with_name("kg"))


def test_a_review_from_draft_to_valid_data_and_back_byte_for_byte(bench: Bench) -> None:
    draft_before = bench.draft.read_bytes()
    with Desk(bench.layout, bench.draft, user="lin", text=bench.text) as desk:
        # the reader read 12亿元 as 12: accepting it would make the data say less than its words
        with pytest.raises(Refused, match=r"refused, nothing written: \[amount\].*'12亿元'"):
            desk.accept(P + "000021-1")
        assert bench.draft.read_bytes() == draft_before
        assert bench.target_bytes() == bench.initial_target
        assert desk.edit(P + "000021-1", "amount", "1200000000").endswith("value 1200000000")
        with pytest.raises(Refused, match="needs an rdfs:label in English"):
            desk.accept(P + "000021-1")
        desk.name_entity("kgr:New-XingheZiben", label_en="Xinghe Capital", cls="kg:Company")
        desk.accept(P + "000021-1", note="checked against the article")
        desk.same_as("New-BeijingShiAIFund", "北京市人工智能产业投资基金")
        desk.accept(P + "000057-1")
        desk.reject(P + "000111-1", note="an opinion, not a fact")
        left = [p.name for p in desk.draft().proposals()]
    assert left == [P + "000087-1"]
    report = validate_files(bench.root, sources=bench.text.parent)
    assert report.exit_code == 0, report.problems
    data = Dataset(default_union=True)
    data.parse(bench.target, format="trig")
    investors = set(data.objects(URIRef(KGR + "Draft-cd35c5bb-000057-1"), KG.investor))
    assert investors == {URIRef(KGR + "BeijingAIFund")}
    assert (None, KG.status, KG.Draft) not in data
    decisions = sorted(
        (str(data.value(d, KG.decision)), str(data.value(d, KG.reviewer)))
        for d in data.graph(PROVENANCE_GRAPH).subjects(KG.decision, None)
    )
    assert decisions == [("accept", "lin")] * 2 + [("edit", "lin")] * 2 + [
        ("reject", "lin"),
        ("same-as", "lin"),
    ]
    assert (None, KG.reviewNote, Literal("an opinion, not a fact")) in data
    # undo, six times: every file as it was, byte for byte
    with Desk(bench.layout, bench.draft, user="lin", text=bench.text) as desk:
        for _ in range(6):
            desk.undo()
    assert bench.draft.read_bytes() == draft_before
    assert bench.target_bytes() == bench.initial_target


def test_two_desks_on_one_draft_the_second_refuses(bench: Bench) -> None:
    with Desk(bench.layout, bench.draft, user="a"):
        second = subprocess.run(
            [
                KG_COMMAND,
                "--data",
                str(bench.root),
                "review",
                str(bench.draft),
                "--user",
                "b",
                "--reject",
                P + "000111-1",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=120,
        )
    assert second.returncode == 2, second.stderr
    assert re.fullmatch(
        r"error: \S+: another desk \(process \d+\) is reviewing this draft; close it first .*\n",
        second.stderr,
    )
    assert [p.name for p in Desk(bench.layout, bench.draft, user="a").draft().proposals()][-1] == (
        P + "000111-1"
    )


def test_a_stale_lock_of_a_finished_process_is_taken_over(bench: Bench) -> None:
    lock = bench.draft.parent / f".{bench.draft.name}.lock"
    lock.write_text("999999999")
    with Desk(bench.layout, bench.draft, user="a") as desk:
        assert lock.read_text() == str(os.getpid())
        assert desk.draft().proposals()
    assert not lock.exists()


def test_a_draft_changed_behind_the_desk_is_not_overwritten(bench: Bench) -> None:
    from kg.review.journal import commit, sha256

    with pytest.raises(Stale, match="changed on disk since the desk read it"):
        commit(bench.draft, {bench.draft: sha256(b"older")}, {bench.draft: b"x"}, "edit")
    assert bench.draft.read_bytes().startswith(b"# A hand-written draft")


@contextmanager
def full_disk(folder: Path) -> Iterator[None]:
    """``folder`` on a full disk: a 16 KiB tmpfs filled up (root), or a read-only folder."""
    if os.geteuid() != 0:
        os.chmod(folder, 0o555)
        try:
            yield
        finally:
            os.chmod(folder, 0o755)
        return
    keep = {p.name: p.read_bytes() for p in folder.iterdir()}
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(folder)], check=True)
    try:
        for name, data in keep.items():
            (folder / name).write_bytes(data)
        with contextlib.suppress(OSError), (folder / "filler").open("wb") as filler:
            filler.write(b"\0" * 65536)
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)
        for name, data in keep.items():
            (folder / name).write_bytes(data)


def test_a_disk_that_is_full_leaves_every_file_as_it_was(bench: Bench) -> None:
    before = bench.draft.read_bytes()
    with Desk(bench.layout, bench.draft, user="a") as desk, full_disk(bench.draft.parent):
        with pytest.raises(OutputError, match=r"cannot write.*nothing was changed"):
            desk.edit(P + "000021-1", "amount", "1200000000")
        assert bench.draft.read_bytes() == before
    assert bench.target_bytes() == bench.initial_target
    assert bench.draft.read_bytes() == before


def test_an_invalid_edit_is_refused_with_the_reason(bench: Bench) -> None:
    with Desk(bench.layout, bench.draft, user="a") as desk:
        with pytest.raises(InvalidValue, match="not a number"):
            desk.edit(P + "000021-1", "amount", "twelve")
        with pytest.raises(InvalidValue, match="write YYYY, YYYY-MM or YYYY-MM-DD"):
            desk.edit(P + "000021-1", "date", "March")
        with pytest.raises(InvalidValue, match="not a property a fact can use"):
            desk.edit(P + "000021-1", "kg:amountText", "智谱")


def test_the_installed_copy_is_never_written(tmp_path: Path) -> None:
    installed = paths._INSTALLED_DIR.resolve()
    with pytest.raises(InstalledDataError, match=r"run `kg init DIR` and then `kg --data DIR"):
        Desk(DataLayout(installed), tmp_path / "x.trig", user="a")
    with pytest.raises(InstalledDataError, match="kg draft -o would write into the installed"):
        paths.refuse_installed(installed / "triples" / "drafts" / "x.trig", "kg draft -o")
    paths.refuse_installed(tmp_path / "x.trig", "kg draft -o")  # elsewhere: fine


def test_roles_and_dates_by_name_and_a_created_entity_then_undone(bench: Bench) -> None:
    before = bench.draft.read_bytes()
    with Desk(bench.layout, bench.draft, user="lin") as desk:
        made = desk.create_entity("上海云帆科技", "Shanghai Yunfan Technology", "kg:Company")
        assert made == (
            "create New-ShanghaiYunfanTechnology: "
            "上海云帆科技 / Shanghai Yunfan Technology, kg:Company"
        )
        said = desk.edit(P + "000087-1", "kg:investor", "杭州城投产业基金; 上海云帆科技")
        assert said.endswith(
            "kg:investor = kgr:New-HangzhouChengtouFund, kgr:New-ShanghaiYunfanTechnology"
        )
        assert desk.edit(P + "000087-1", "date", "2026-04").endswith("date 2026-04")
        with pytest.raises(NotFound, match="no entity is called '完全不存在的机构名称'"):
            desk.edit(P + "000087-1", "kg:investor", "完全不存在的机构名称")
        draft = desk.draft()
        body = draft.dataset.graph(draft.proposal(draft_id(P + "000087-1")).graph)
        fact = URIRef(KGR + P.replace("draft", "Draft") + "000087-1")
        assert {str(o).rsplit("-", 1)[-1] for o in body.objects(fact, KG.investor)} == {
            "HangzhouChengtouFund",
            "ShanghaiYunfanTechnology",
        }
        assert str(body.value(fact, KG.date)) == "2026-04"
        for _ in range(3):
            desk.undo()
    assert bench.draft.read_bytes() == before


def test_a_desk_waits_for_the_folder_another_desk_is_writing(bench: Bench) -> None:
    import fcntl
    import threading

    from kg.review.journal import commit, sha256

    folder = os.open(bench.draft.parent, os.O_RDONLY)
    fcntl.flock(folder, fcntl.LOCK_EX)  # another desk is between its check and its last write
    target = bench.draft.parent / "other.trig"
    done = threading.Event()
    writer = threading.Thread(
        target=lambda: (
            commit(bench.draft, {target: sha256(None)}, {target: b"#\n"}, "t"),
            done.set(),
        )
    )
    writer.start()
    assert not done.wait(0.5) and not target.exists()
    os.close(folder)  # its write is over
    writer.join(30)
    assert done.is_set() and target.read_bytes() == b"#\n"
