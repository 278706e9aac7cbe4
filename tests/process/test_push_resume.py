"""``kg push`` killed mid-way: what the server holds, ``--resume`` and ``--rollback``.

Against a real ``oxigraph serve`` process (a real Virtuoso: :mod:`test_push_resume_load`),
killed (``SIGKILL``) just before a chosen request of the push (a request of the second batch's
staging, a switch, the count after a switch), then started again on the same store. Small
synthetic data (``benchmarks/synthetic.py``) pushed in batches of a few hundred triples, so
that a push has many batches; by SPARQL Update (``sparql_only``) and by N-Quads to the server's
dataset store (what a push to ``oxigraph serve`` does by default).
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from oxigraph_server import free_port, require_oxigraph, stop, wait_until_answering

from kg.data.paths import data_dir
from kg.remote import push as pushing
from kg.remote.client import RemoteError, SparqlClient
from kg.remote.digest import graph_hashes
from kg.remote.journal import JournalError, load_journal
from kg.remote.piece_server import PieceServer
from kg.remote.servers import dataset_store
from kg.remote.staging import BACKUP_PREFIX, STAGING_PREFIX

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_data_folder  # noqa: E402

BATCH = 400
_GRAPH = re.compile(r"GRAPH <([^>]+)> \{\n")
_QUAD_GRAPH = re.compile(r"<([^>]+)> \.$", re.M)
_LOADED = re.compile(r"^LOAD <([^>]+)>", re.M)
PATHS = ("update", "dataset")


class Target:
    """An ``oxigraph serve`` on a store folder, which a test can kill and start again."""

    def __init__(self, folder: Path) -> None:
        self.executable = require_oxigraph()
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

    def contents(self) -> list[bytes]:
        """Every quad on the server (``GET /store``), blank-node labels written alike, sorted."""
        with urllib.request.urlopen(self.base + "/store", timeout=60) as answer:
            lines = re.sub(rb"_:[^ ]+", b"_:", answer.read()).splitlines()
        return sorted(lines)

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
            if data is None:
                return send(client, url, data, *args)
            if url.endswith(("/store", "/store?no_transaction")):  # N-Quads to the dataset store
                text = "NQUADS\n" + data.decode()
                graphs = set(_QUAD_GRAPH.findall(text))
            elif data.startswith(b"LOAD"):  # the server fetches pieces served by the push
                text = data.decode()
                graphs = {g for url in _LOADED.findall(text) for g in self.pieces[url]}
            elif data.startswith(b"INSERT"):
                text = data.decode()
                graphs = set(_GRAPH.findall(text))
            else:
                return send(client, url, data, *args)
            self.before(len(self.requests), text)
            self.requests.append(text)
            self.sent_to += sorted(graphs)
            return send(client, url, data, *args)

        self.pieces: dict[str, set[str]] = {}
        add = PieceServer.add

        def recorded_add(files: PieceServer, data: bytes) -> str:
            url = add(files, data)
            self.pieces[url] = set(_QUAD_GRAPH.findall(data.decode()))
            return url

        monkeypatch.setattr(PieceServer, "add", recorded_add)
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


def run_push(target: Target, folder: Path, path: str = "update",
             **options: Any) -> pushing.PushReport:  # fmt: skip
    return pushing.push(data_dir(folder), target.query, update=target.update,
                        batch_triples=BATCH, timeout=30, sparql_only=path == "update",
                        **options)  # fmt: skip


def staging(path: str) -> Callable[[str], bool]:
    """Picks the requests that send data: updates, N-Quads to the dataset store, or LOADs."""
    word = {"update": "INSERT", "load": "LOAD"}.get(path, "NQUADS")
    return lambda text: text.startswith(word)


def moments(path: str) -> dict[str, tuple[Callable[[str], bool], int]]:
    """The requests a push is killed before (an update push sends a batch in several)."""
    return {
        "staging the second batch": (staging(path), 3 if path == "update" else 2),
        "counting a staged batch": (lambda t: t.startswith("SELECT") and STAGING_PREFIX in t, 2),
        "switching": (lambda t: t.startswith("MOVE"), 2),
        "counting after a switch": (
            lambda t: t.startswith("SELECT") and "urn:x-kg-push:" not in t,
            5,
        ),
    }


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("moment", sorted(moments("update")))
def test_a_push_killed_then_resumed_ends_verified_and_sends_nothing_twice(
    target: Target,
    datasets: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    moment: str,
    path: str,
) -> None:
    killed_and_resumed(target, datasets, monkeypatch, moment, path)


def killed_and_resumed(
    target: Target,
    datasets: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    moment: str,
    path: str,
) -> None:
    """Push, kill the server at ``moment`` of a second push, start it, resume: every graph
    verified, nothing the server held and counted sent again."""
    old, new = datasets
    run_push(target, old, path)  # the server holds every graph: the new push stages, switches
    recorder = Recorder(monkeypatch)
    chosen, nth = moments(path)[moment]
    recorder.kill_at(target, chosen, nth)
    with pytest.raises(RemoteError, match="the push stopped") as stopped:
        run_push(target, new, path)
    message = str(stopped.value)
    assert "kg push --resume" in message and "kg push --rollback" in message
    journal = [
        line.split("\t") for line in pushing.status(target.query, target.update).splitlines()
    ]
    verified = {name for state, *rest in journal if state in {"done", "unchanged"} for name in rest}
    held = {
        name
        for state, *rest in journal
        if state in {"done", "unchanged", "staged", "switching"}
        for name in rest
    }
    target.start()
    recorder.forget()
    report = run_push(target, new, path, resume=True)
    counts = target.counts()
    want = expected(new)
    assert {g: counts.get(g) for g in want} == want
    assert not [g for g in counts if g.startswith("urn:x-kg-push:")], "staging, backups left"
    assert set(report.skipped) == verified
    resent = {g for g in recorder.sent_to if not g.startswith(STAGING_PREFIX)} | {
        name for name in want if pushing.staging_graph(name) in recorder.sent_to
    }
    assert not resent & held, f"sent again: {sorted(resent & held)[:5]}"
    assert resent | held == set(want)


def test_a_resumed_push_leaves_the_hashes_that_let_the_next_push_send_nothing(
    target: Target, datasets: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the hashes are made in a thread and written with the finished journal, also when the
    # push that finished was a resumed one
    killed_and_resumed(target, datasets, monkeypatch, "staging the second batch", "dataset")
    journal = load_journal(Path(pushing.journal_path(target.query, target.update)))
    assert journal is not None and journal.outcome == "finished"
    assert journal.hashes == graph_hashes(pushing.dataset_graphs(data_dir(datasets[1])))
    recorder = Recorder(monkeypatch)
    report = run_push(target, datasets[1], "dataset")
    assert set(report.unchanged) == set(expected(datasets[1]))
    assert recorder.sent_to == []


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


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("nth", [2, 6])  # within the first batch's switch; in the second batch's
def test_rollback_after_a_switch_puts_the_old_versions_back(
    target: Target,
    datasets: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    nth: int,
) -> None:
    old, new = datasets
    run_push(target, old, path)
    before, contents = target.counts(), target.contents()
    recorder = Recorder(monkeypatch)
    recorder.kill_at(target, lambda t: t.startswith("MOVE"), nth)
    with pytest.raises(RemoteError, match="the push stopped"):
        run_push(target, new, path)
    target.start()
    backups = [g for g in target.counts() if g.startswith(BACKUP_PREFIX)]
    assert backups, "no graph had been switched when the server died"
    message = pushing.rollback(target.query, update=target.update)
    assert re.search(r"\d+ replaced graphs restored from their backups", message), message
    assert "every graph holds what it held before" in message
    assert target.counts() == before
    assert target.contents() == contents  # the old versions, not graphs of the same size


def test_a_push_of_unchanged_data_sends_nothing_and_resends_what_changed_on_the_server(
    target: Target, datasets: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, _ = datasets
    run_push(target, old, "dataset")
    recorder = Recorder(monkeypatch)
    again = run_push(target, old, "dataset")
    assert sorted(again.unchanged) == sorted(expected(old))
    assert recorder.sent_to == [] and not [t for t in recorder.requests if "MOVE" in t]
    assert "unchanged since the last push" in again.summary()
    lost = sorted(expected(old))[len(expected(old)) // 2]
    SparqlClient(target.query, target.update).update(f"DROP GRAPH <{lost}>")
    recorder.forget()
    third = run_push(target, old, "dataset")
    assert set(recorder.sent_to) == {lost}
    assert set(third.unchanged) == set(expected(old)) - {lost}
    assert target.counts() == expected(old)
    recorder.forget()
    forced = run_push(target, old, "dataset", force=True)
    assert not forced.unchanged and set(forced.replaced) == set(expected(old))
    assert set(recorder.sent_to) == {pushing.staging_graph(g) for g in expected(old)}
    assert target.counts() == expected(old)


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


def test_only_an_oxigraph_update_url_has_a_dataset_store_beside_it() -> None:
    found = dataset_store("http://127.0.0.1:7878/update", "Oxigraph/0.5.13")
    assert found == "http://127.0.0.1:7878/store?no_transaction"
    assert dataset_store("http://h/kg/update", "Oxigraph/0.5") == (
        "http://h/kg/store?no_transaction"
    )
    assert dataset_store("http://h/sparql", "Oxigraph/0.5.13") is None
    assert dataset_store("http://h/update?x=1", "Oxigraph/0.5.13") is None
    assert dataset_store("http://h/update", "Virtuoso/07.20.3229 (Linux)") is None
