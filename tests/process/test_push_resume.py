"""``kg push`` killed mid-way: what the server holds, ``--resume`` and ``--rollback``.

Against a real ``oxigraph serve`` process (and a real Virtuoso), killed (``SIGKILL``) just
before a chosen request of the push (a request of the second batch's staging, a switch, the
count after a switch), then started again on the same store. Small synthetic data
(``benchmarks/synthetic.py``) pushed in batches of a few hundred triples, so that a push has
many batches.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from oxigraph_server import free_port, oxigraph_executable, stop, wait_until_answering
from virtuoso_server import _INI
from virtuoso_server import wait_until_answering as wait_for_virtuoso

from kg.data.paths import data_dir
from kg.remote import push as pushing
from kg.remote.client import RemoteError, SparqlClient
from kg.remote.journal import JournalError
from kg.remote.staging import STAGING_PREFIX

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_data_folder  # noqa: E402

BATCH = 400
_GRAPH = re.compile(r"GRAPH <([^>]+)> \{\n")


class Target:
    """An ``oxigraph serve`` on a store folder, which a test can kill and start again."""

    def __init__(self, folder: Path) -> None:
        executable = oxigraph_executable()
        if executable is None:
            reason = "the oxigraph server is not installed (pip install oxigraph)"
            if os.environ.get("CI"):
                pytest.fail(f"{reason}; CI installs it")
            pytest.skip(reason)
        self.executable = executable
        self.folder = folder
        self.base = f"http://127.0.0.1:{free_port()}"
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    @property
    def query(self) -> str:
        return self.base + "/query"

    @property
    def update(self) -> str:
        return self.base + "/update"

    def start(self) -> None:
        log = self.folder / "server.log"
        command = [self.executable, "serve", "--location", str(self.folder / "store"),
                   "--bind", self.base.removeprefix("http://")]  # fmt: skip
        with log.open("ab") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        wait_until_answering(self.process, self.query, log)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def counts(self) -> dict[str, int]:
        """Triples per graph on the server, every graph."""
        client = SparqlClient(self.query, timeout=60)
        rows = client.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", "SELECT"
        ).rows
        return {str(g.value): int(n.value) for g, n in rows if g is not None and n is not None}


@pytest.fixture
def target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Target]:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # a journal per test
    server = Target(tmp_path)
    try:
        yield server
    finally:
        if server.process is not None:
            stop(server.process)


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two versions of the same small dataset: the same graphs, other contents."""
    folder = tmp_path_factory.mktemp("push-data")
    return write_data_folder(folder / "a", 150, seed=1), write_data_folder(folder / "b", 150, 2)


def expected(folder: Path) -> dict[str, int]:
    return {name: len(t) for name, t in pushing.dataset_graphs(data_dir(folder)).items()}


class Recorder:
    """Records the graphs every request sends to; calls ``before(n, text)`` before request n."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.requests: list[str] = []
        self.sent_to: list[str] = []
        self.before: Callable[[int, str], None] = lambda n, text: None
        update, query, send = SparqlClient.update, SparqlClient.query, SparqlClient.send

        def recorded_update(client: SparqlClient, text: str) -> None:
            self.before(len(self.requests), text)
            self.requests.append(text)
            self.sent_to += _GRAPH.findall(text)
            update(client, text)

        def recorded_query(client: SparqlClient, text: str, form: str, *args: Any) -> Any:
            self.before(len(self.requests), text)
            self.requests.append(text)
            return query(client, text, form, *args)

        def recorded_send(client: SparqlClient, url: str, data: bytes | None = None,
                          *args: Any) -> Any:  # fmt: skip
            if data is None or not data.startswith(b"INSERT"):
                return send(client, url, data, *args)
            text = data.decode()
            self.before(len(self.requests), text)
            self.requests.append(text)
            self.sent_to += _GRAPH.findall(text)
            return send(client, url, data, *args)

        monkeypatch.setattr(SparqlClient, "update", recorded_update)
        monkeypatch.setattr(SparqlClient, "send", recorded_send)
        monkeypatch.setattr(SparqlClient, "query", recorded_query)

    def kill_at(self, target: Target, chosen: Callable[[str], bool], nth: int = 1) -> None:
        """Kill the server just before the ``nth`` request that ``chosen`` picks."""
        seen = []

        def before(index: int, text: str) -> None:
            if chosen(text):
                seen.append(index)
                if len(seen) == nth:
                    target.kill()

        self.before = before

    def forget(self) -> None:
        self.requests, self.sent_to = [], []
        self.before = lambda n, text: None


def run_push(target: Target, folder: Path, **options: Any) -> pushing.PushReport:
    return pushing.push(data_dir(folder), target.query, update=target.update,
                        batch_triples=BATCH, timeout=30, **options)  # fmt: skip


MOMENTS = {
    "staging the second batch": (lambda t: t.startswith("INSERT"), 3),
    "counting a staged batch": (lambda t: t.startswith("SELECT") and STAGING_PREFIX in t, 2),
    "switching": (lambda t: t.startswith("MOVE"), 2),
    "counting after a switch": (lambda t: t.startswith("SELECT") and STAGING_PREFIX not in t, 5),
}


@pytest.mark.parametrize("moment", sorted(MOMENTS))
def test_a_push_killed_then_resumed_ends_verified_and_sends_nothing_twice(
    target: Target, datasets: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    old, new = datasets
    run_push(target, old)  # the server holds every graph: the new push stages and switches
    recorder = Recorder(monkeypatch)
    chosen, nth = MOMENTS[moment]
    recorder.kill_at(target, chosen, nth)
    with pytest.raises(RemoteError, match="the push stopped") as stopped:
        run_push(target, new)
    message = str(stopped.value)
    assert "kg push --resume" in message and "kg push --rollback" in message
    journal = [
        line.split("\t") for line in pushing.status(target.query, target.update).splitlines()
    ]
    verified = {name for state, *rest in journal if state == "done" for name in rest}
    held = {
        name
        for state, *rest in journal
        if state in {"done", "staged", "switching"}
        for name in rest
    }
    target.start()
    recorder.forget()
    report = run_push(target, new, resume=True)
    counts = target.counts()
    want = expected(new)
    assert {g: counts.get(g) for g in want} == want
    assert not [g for g in counts if g.startswith(STAGING_PREFIX)], "staging left behind"
    assert set(report.skipped) == verified
    resent = {g for g in recorder.sent_to if not g.startswith(STAGING_PREFIX)} | {
        name for name in want if pushing.staging_graph(name) in recorder.sent_to
    }
    assert not resent & held, f"sent again: {sorted(resent & held)[:5]}"
    assert resent | held == set(want)


def test_a_fresh_push_killed_then_rolled_back_leaves_the_server_as_it_was(
    target: Target, datasets: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = datasets
    run_push(target, old)
    before = target.counts()
    recorder = Recorder(monkeypatch)
    recorder.kill_at(target, lambda t: t.startswith("INSERT"), 1)  # the first batch's staging
    with pytest.raises(RemoteError, match="no graph was replaced yet"):
        run_push(target, new)
    target.start()
    with pytest.raises(JournalError, match="--resume to finish it or kg push --rollback"):
        run_push(target, new)  # a new push refuses while one is unfinished
    message = pushing.rollback(target.query, update=target.update)
    assert "every graph holds what it held before" in message
    assert target.counts() == before
    with pytest.raises(JournalError, match="no stopped push"):
        pushing.rollback(target.query, update=target.update)


def test_rollback_after_switches_removes_new_graphs_and_staging(
    target: Target, datasets: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    new = datasets[1]
    recorder = Recorder(monkeypatch)
    recorder.kill_at(target, lambda t: t.startswith("INSERT"), 6)  # a fresh server: all new
    with pytest.raises(RemoteError, match="the push stopped"):
        run_push(target, new)
    target.start()
    assert target.counts()  # part of the data arrived
    message = pushing.rollback(target.query, update=target.update)
    assert "graphs the server did not hold removed" in message
    assert target.counts() == {}


def test_resume_through_the_cli_says_what_was_already_there(
    target: Target, datasets: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, _ = datasets
    recorder = Recorder(monkeypatch)
    recorder.kill_at(target, lambda t: t.startswith("MOVE") or t.startswith("INSERT"), 8)
    with pytest.raises(RemoteError, match="the push stopped"):
        run_push(target, old)
    target.start()
    command = [sys.executable, "-m", "kg", "--data", str(old), "push", "--endpoint", target.query,
               "--update", target.update]  # fmt: skip
    status = subprocess.run([*command, "--status"], capture_output=True, text=True, timeout=60)
    assert status.returncode == 0, status.stderr
    assert re.search(r"^done\t", status.stdout, re.M) and re.search(
        r"^pending\t", status.stdout, re.M
    )
    done = subprocess.run([*command, "--resume"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-800:]
    assert re.search(r"graphs, \d+ already there", done.stdout), done.stdout
    assert {g: n for g, n in target.counts().items()} == expected(old)


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
