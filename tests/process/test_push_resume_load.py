"""``kg push`` to a real Virtuoso killed mid-way, then ``--resume`` (by ``LOAD`` and by Update).

The same guarantees as the Oxigraph resume tests (:mod:`test_push_resume`): a Virtuoso 7.2 on its
own database, killed (``SIGKILL``) just before a chosen request of a push that replaces every
graph (the second batch's ``LOAD``, a staging count, a switch, a count after a switch), started
again on the same database, then the push resumed: every graph holds what was sent, no staging
or backup graph is left, and nothing the server held and counted is sent again (the graphs a
``LOAD`` sent are read from the pieces the push served).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from oxigraph_server import free_port, stop
from test_push_resume import Recorder, Target, expected, killed_and_resumed, moments, run_push
from virtuoso_server import _INI
from virtuoso_server import wait_until_answering as wait_for_virtuoso

from kg.remote import push as pushing
from kg.remote.client import RemoteError
from kg.remote.staging import STAGING_PREFIX

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_data_folder  # noqa: E402


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two versions of the same small dataset: the same graphs, other contents."""
    folder = tmp_path_factory.mktemp("push-load-data")
    return write_data_folder(folder / "a", 150, seed=1), write_data_folder(folder / "b", 150, 2)


class VirtuosoTarget(Target):
    """A scratch Virtuoso (``virtuoso-t``) on a database folder, killed and started again."""

    def __init__(self, folder: Path) -> None:
        missing = [tool for tool in ("virtuoso-t", "isql-vt") if shutil.which(tool) is None]
        if missing:
            reason = f"Virtuoso is not installed ({', '.join(missing)} not found)"
            if os.environ.get("CI"):
                pytest.fail(f"{reason} (CI installs it)")
            pytest.skip(reason)
        self.folder = folder
        (folder / "www").mkdir(parents=True)
        self.sql_port, http_port = free_port(), free_port()
        (folder / "virtuoso.ini").write_text(
            _INI.format(dir=folder, sql_port=self.sql_port, http_port=http_port)
        )
        self.base = f"http://127.0.0.1:{http_port}"
        self.process = None
        self.start()
        subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba"],
                       input='GRANT SPARQL_UPDATE TO "SPARQL";\n', text=True,
                       capture_output=True, timeout=60, check=True)  # fmt: skip

    @property
    def query(self) -> str:
        return self.base + "/sparql"

    @property
    def update(self) -> str:
        return self.base + "/sparql"

    def start(self) -> None:
        (self.folder / "virtuoso.lck").unlink(missing_ok=True)  # left by a killed server
        with (self.folder / "stdout.log").open("ab") as out:
            self.process = subprocess.Popen(
                ["virtuoso-t", "-c", str(self.folder / "virtuoso.ini"), "+foreground"],
                cwd=self.folder, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_for_virtuoso(self.process, self.query, self.folder / "virtuoso.log")

    def counts(self) -> dict[str, int]:
        """Triples per graph of the pushed data (Virtuoso's own graphs left out)."""
        return {
            g: n for g, n in super().counts().items()
            if g.startswith(("https://w3id.org/zhipu-kg/", STAGING_PREFIX))
        }  # fmt: skip


def test_a_push_to_virtuoso_killed_while_switching_is_resumed(
    tmp_path: Path, datasets: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    target = VirtuosoTarget(tmp_path / "virtuoso")
    try:
        old, new = datasets
        run_push(target, old)
        recorder = Recorder(monkeypatch)
        recorder.kill_at(target, lambda t: t.startswith("MOVE"), 2)
        with pytest.raises(RemoteError, match="the push stopped"):
            run_push(target, new)
        target.start()
        recorder.forget()
        report = run_push(target, new, resume=True)
        assert report.skipped, "the batches done before the kill were sent again"
        sent_again = {g for g in recorder.sent_to} & {
            pushing.staging_graph(g) for g in report.skipped
        }
        assert not sent_again
        assert target.counts() == expected(new)
    finally:
        if target.process is not None:
            stop(target.process)


@pytest.fixture
def virtuoso(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[VirtuosoTarget]:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # a journal per test
    target = VirtuosoTarget(tmp_path / "virtuoso")
    try:
        yield target
    finally:
        if target.process is not None:
            stop(target.process)


@pytest.mark.parametrize("moment", sorted(moments("load")))
def test_a_push_by_load_killed_then_resumed_ends_verified_and_sends_nothing_twice(
    virtuoso: VirtuosoTarget,
    datasets: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    moment: str,
) -> None:
    killed_and_resumed(virtuoso, datasets, monkeypatch, moment, "load")
    journal = pushing.status(virtuoso.query, virtuoso.update).splitlines()[0]
    assert "finished (load)" in journal, journal
