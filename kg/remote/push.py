"""``kg push``: load every named graph into a SPARQL server, prove it arrived, never lose a graph.

The graphs go in batches (:data:`BATCH_TRIPLES` triples, at most :data:`BATCH_GRAPHS` graphs),
and each batch goes through the same steps (see :mod:`kg.remote.journal` for the states):

1. **Stage.** A graph the server already holds is sent to its staging graph
   (:func:`~kg.remote.staging.staging_graph`); a graph it does not hold is loaded in place (there
   is nothing to protect). Many graphs share a request (:mod:`kg.remote.chunking`): by SPARQL
   Update (default), by Graph Store ``POST`` (``--graph-store``) or as one N-Quads
   ``POST`` to a dataset store (``--bulk``).
2. **Count** what arrived, with one grouped query. A difference rolls the push back (see
   :mod:`kg.remote.undo`) and names the graphs (:class:`PushError`, exit 1).
3. **Switch**: each staging graph moves into place (``MOVE``, which drops the old graph in the
   same operation), a hundred graphs to an update request; then the batch is counted in place.

No request scans the whole store and none grows with it: the cost is linear in the data. A push
that stops (the server died, the network broke) says which graphs are in which state;
``kg push --resume`` continues without resending what the server holds and counted,
``kg push --rollback`` removes what it added (staging graphs, graphs the server did not hold; a
graph already switched keeps its counted new version). The journal of :mod:`kg.remote.journal`
(on this machine) knows where it stopped.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.data.paths import DataLayout
from kg.errors import EXIT_FINDINGS, UsageError
from kg.progress import Progress, progress
from kg.remote.client import Credentials, RemoteError, SparqlClient
from kg.remote.journal import Batch, Journal, JournalError, journal_dir, journal_key, load_journal
from kg.remote.staging import (
    BULK_TRIPLES,
    count_triples,
    drop,
    send,
    staging_graph,
    switch,
)
from kg.remote.undo import rollback_journal

#: Triples per batch (staged, counted and switched together).
BATCH_TRIPLES = 50_000
#: Graphs per batch at most.
BATCH_GRAPHS = 2_000
#: Graph names shown in a message before "…".
SHOWN = 8


class PushError(RemoteError):
    """The server does not hold what was sent (exit 1: a finding).

    Attributes:
        report: What was sent, what the server holds, what was replaced (when counted).
    """

    exit_code = EXIT_FINDINGS
    http_status = 502

    def __init__(self, message: str, report: PushReport | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class PushReport:
    """What a push sent and what the server holds afterwards.

    Attributes:
        sent: Triples sent per graph.
        found: Triples counted on the server per graph, after the push.
        replaced: Graphs the server held before, replaced.
        skipped: Graphs a resumed push found in place and counted (not sent again).
        requests: HTTP requests made.
        seconds: Wall time.
    """

    sent: dict[str, int]
    found: dict[str, int] = field(default_factory=dict)
    replaced: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0

    @property
    def differences(self) -> dict[str, tuple[int, int]]:
        """``graph: (sent, found)`` for every graph whose count differs."""
        return {
            name: (count, self.found.get(name, 0))
            for name, count in self.sent.items()
            if self.found.get(name, 0) != count
        }

    def summary(self) -> str:
        """One line for a push that arrived whole."""
        resumed = f", {len(self.skipped)} already there" if self.skipped else ""
        return (
            f"pushed {sum(self.sent.values())} triples in {len(self.sent)} graphs{resumed} "
            f"({self.requests} requests, {self.seconds:.1f} s); counted on the server: all there"
        )


def describe_differences(differences: Mapping[str, tuple[int, int]]) -> str:
    """``graph (sent N, server holds M)`` for each graph, one per line."""
    return "\n".join(
        f"  {name} (sent {sent}, server holds {found})"
        for name, (sent, found) in sorted(differences.items())
    )


def dataset_graphs(layout: DataLayout) -> dict[str, list[ox.Triple]]:
    """Every named graph of the dataset (ontology and inference graphs included), sorted."""
    from kg.query.engines.oxigraph import OxigraphEngine

    graphs: dict[str, list[ox.Triple]] = {}
    for quad in OxigraphEngine(layout).store:
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    return dict(sorted(graphs.items()))


def fingerprint(layout: DataLayout, sent: Mapping[str, int]) -> str:
    """What the data is: its graphs and their sizes, and its files' sizes and times."""
    digest = hashlib.sha256()
    for name, count in sent.items():
        digest.update(f"{name}\t{count}\n".encode())
    for path in sorted(layout.root.rglob("*")):
        if path.suffix in {".ttl", ".trig", ".nq", ".nt"} and path.is_file():
            info = path.stat()
            digest.update(
                f"{path.relative_to(layout.root)}\t{info.st_size}\t{info.st_mtime_ns}\n".encode()
            )
    return digest.hexdigest()


def plan(sent: list[int], batch_triples: int) -> list[Batch]:
    """Consecutive runs of graphs of about ``batch_triples`` triples (a big graph alone)."""
    batches: list[Batch] = []
    start = size = 0
    for index, count in enumerate(sent):
        if index > start and (size + count > batch_triples or index - start >= BATCH_GRAPHS):
            batches.append(Batch(start, index))
            start, size = index, 0
        size += count
    if start < len(sent):
        batches.append(Batch(start, len(sent)))
    return batches


def _check_updates(client: SparqlClient) -> None:
    """Refuse at once, changing nothing, when the query URL does not take SPARQL Update.

    Virtuoso and Fuseki take updates at the query URL; ``oxigraph serve`` does not (it answers
    400 "The URL query parameter query must be set"). The probe drops a staging graph of no
    graph of the data, which changes nothing anywhere.

    Raises:
        UsageError: The server refused the update with a 4xx: name ``--update``.
    """
    try:
        client.update(f"DROP SILENT GRAPH <{staging_graph('kg-update-probe')}>")
    except RemoteError as err:
        if err.status is None or not 400 <= err.status < 500 or err.status in {401, 403}:
            raise
        raise UsageError(
            f"{client.query_url} does not take SPARQL Update (it answered {err.status}); give "
            "the server's update URL with --update (oxigraph serve: http://HOST:PORT/update)"
        ) from None


def _shown(names: list[str]) -> str:
    more = f" and {len(names) - SHOWN:,} more" if len(names) > SHOWN else ""
    return ", ".join(names[:SHOWN]) + more


class _Run:
    """One push (new or resumed) of a journal's batches to a server."""

    def __init__(
        self,
        client: SparqlClient,
        journal: Journal,
        graphs: Mapping[str, list[ox.Triple]],
        report: PushReport,
    ) -> None:
        self.client = client
        self.journal = journal
        self.graphs = graphs
        self.report = report
        self.prior = dict(zip(journal.graphs, journal.prior, strict=True))
        self.sent = dict(zip(journal.graphs, journal.sent, strict=True))

    def recheck_done(self) -> None:
        """A resumed push counts the batches the journal calls done; a short one is redone."""
        done = self.journal.graphs_in("done")
        counts = count_triples(self.client, done)
        for batch in self.journal.batches:
            names = self.journal.names(batch)
            if batch.state == "done" and any(counts.get(n, 0) != self.sent[n] for n in names):
                self.journal.set_state(batch, "sending")
        self.report.skipped = self.journal.graphs_in("done")
        self.report.found.update({n: counts.get(n, 0) for n in self.report.skipped})

    def batch(self, batch: Batch, bar: Progress) -> None:
        """Take ``batch`` from its state to ``done`` (stage, count, switch, count)."""
        names = self.journal.names(batch)
        old = [n for n in names if self.prior[n] > 0]
        if batch.state in {"pending", "sending"}:
            redo = batch.state == "sending"
            self.journal.set_state(batch, "sending")
            clear = [staging_graph(n) for n in old]
            drop(self.client, clear + ([n for n in names if self.prior[n] == 0] if redo else []))
            parts = {(staging_graph(n) if self.prior[n] else n): self.graphs[n] for n in names}
            send(self.client, parts, self.journal.mode, bar.advance)
            counts = count_triples(self.client, parts)
            short = {
                name: (len(parts[dest]), counts.get(dest, 0))
                for name, dest in zip(names, parts, strict=True)
                if counts.get(dest, 0) != len(parts[dest])
            }
            if short:
                raise PushError(
                    "the server did not keep what was sent to these graphs:\n"
                    + describe_differences(short),
                    self.report,
                )
            self.journal.set_state(batch, "staged")
        else:
            bar.advance(sum(self.sent[n] for n in names))
        if not old:  # loaded in place and counted there: nothing to switch
            self.report.found.update({n: self.sent[n] for n in names})
            self.journal.set_state(batch, "done")
            return
        self._switch(batch, old)
        counts = count_triples(self.client, names)
        self.report.found.update({n: counts.get(n, 0) for n in names})
        wrong = {
            n: (self.sent[n], counts.get(n, 0)) for n in names if counts.get(n) != self.sent[n]
        }
        if wrong:
            raise PushError(
                "after the switch the server does not hold what was sent:\n"
                + describe_differences(wrong),
                self.report,
            )
        self.report.replaced += old
        self.journal.set_state(batch, "done")

    def _switch(self, batch: Batch, old: list[str]) -> None:
        """Switch the batch's staged graphs; after an interruption, only those not switched."""
        staged = count_triples(self.client, [staging_graph(n) for n in old])
        pending = []
        for name in old:
            if staged.get(staging_graph(name), 0) == self.sent[name]:
                pending.append(name)
            elif batch.state != "switching":
                raise PushError(f"the staging graph of {name} went missing", self.report)
        self.journal.set_state(batch, "switching")
        switch(self.client, pending)

    def run(self) -> None:
        """Every batch not done, then the journal closed."""
        todo = [b for b in self.journal.batches if b.state != "done"]
        total = sum(self.sent[n] for b in todo for n in self.journal.names(b))
        with progress(total, "pushing", unit="triples") as bar:
            for batch in todo:
                self.batch(batch, bar)
        self.journal.outcome = "finished"
        self.journal.save()

    def stopped(self, err: RemoteError) -> str:
        """The message for a push that stopped on ``err``: where each graph is, what to do."""
        journal = self.journal
        flying = journal.graphs_in("sending", "staged", "switching")
        switched = journal.graphs_in("done", "switching")
        replaced = "" if any(self.prior[n] for n in switched) else "no graph was replaced yet; "
        where = f"; being sent or switched: {_shown(flying)}" if flying else ""
        return (
            f"{err}; the push stopped: {replaced}{journal.describe()}{where}; "
            "kg push --resume continues (what the server holds and counted is not sent again), "
            "kg push --rollback removes what it added; kg push --status lists every "
            f"graph (journal {journal.path})"
        )


def _client(
    endpoint: str, update: str | None, graph_store: str | None, credentials: Credentials | None,
    timeout: float,
) -> SparqlClient:  # fmt: skip
    return SparqlClient(endpoint, update, graph_store, credentials, timeout)


def journal_path(endpoint: str, update: str | None) -> str:
    """Where the journal of pushes to this server is kept."""
    return str(journal_dir() / f"{journal_key(endpoint, update or endpoint)}.json")


def push(
    layout: DataLayout,
    endpoint: str,
    *,
    update: str | None = None,
    graph_store: str | None = None,
    bulk: bool = False,
    resume: bool = False,
    credentials: Credentials | None = None,
    timeout: float = 600.0,
    batch_triples: int | None = None,
) -> PushReport:
    """Replace each of the dataset's named graphs on a SPARQL server, counting each there.

    Args:
        layout: The data to push.
        endpoint: The server's query URL (used to count).
        update: Its SPARQL Update URL (default: ``endpoint``).
        graph_store: Its Graph Store Protocol URL, to send the data by GSP instead of Update.
        bulk: N-Quads ``POST`` requests to ``graph_store`` (a dataset store).
        resume: Continue the push to this server that stopped (same data, same mode).
        credentials: For servers that ask (Basic or Digest).
        timeout: Seconds to wait for each answer.
        batch_triples: Triples per batch (default :data:`BATCH_TRIPLES`; bulk: one request's
            worth, :data:`~kg.remote.staging.BULK_TRIPLES`).

    Returns:
        The report; every graph's count on the server equals what was sent.

    Raises:
        PushError: The server does not hold what was sent (the graphs are named); the push was
            rolled back.
        RemoteError: The server could not be reached or refused a request; the message says
            which graphs are in which state and how to resume or roll back.
        JournalError: ``resume`` without a push to resume, or with other data.
    """
    if bulk and graph_store is None:
        raise UsageError("--bulk needs --graph-store, the server's dataset store URL")
    started = time.perf_counter()
    from pathlib import Path

    graphs = dataset_graphs(layout)
    report = PushReport(sent={name: len(triples) for name, triples in graphs.items()})
    client = _client(endpoint, update, graph_store, credentials, timeout)
    if update is None and not resume:
        _check_updates(client)
    path = Path(journal_path(endpoint, update))
    previous = load_journal(path)
    stamp = fingerprint(layout, report.sent)
    if resume:
        if previous is None or previous.outcome != "running":
            raise JournalError(f"no stopped push to {endpoint} to resume (journal {path})")
        if previous.fingerprint != stamp:
            raise JournalError(
                f"the data changed since the push to {endpoint} stopped; run kg push --rollback "
                "first, then push again"
            )
        journal = previous
        client = _client(endpoint, update, journal.graph_store, credentials, timeout)
    else:
        if previous is not None and previous.outcome == "running":
            raise JournalError(
                f"a push to {endpoint} stopped unfinished ({previous.describe()}); run "
                "kg push --resume to finish it or kg push --rollback to undo it first"
            )
        try:
            held = count_triples(client, graphs)
        except RemoteError as err:
            raise RemoteError(
                f"{err}; the push stopped before sending anything: no graph was replaced",
                err.status,
            ) from None
        mode = "bulk" if bulk else "graph-store" if graph_store else "update"
        sent = list(report.sent.values())
        journal = Journal(
            client.query_url, client.update_url, graph_store, mode, stamp, list(graphs), sent,
            [held.get(name, 0) for name in graphs],
            plan(sent, batch_triples or (BULK_TRIPLES if bulk else BATCH_TRIPLES)), path=path,
        )  # fmt: skip
        journal.save(graphs=True)
    run = _Run(client, journal, graphs, report)
    try:
        if resume:
            run.recheck_done()
        run.run()
    except PushError as err:
        undone = rollback_journal(client, journal)
        raise PushError(f"{err}\n{undone}", report) from None
    except RemoteError as err:
        raise RemoteError(run.stopped(err), err.status) from None
    report.requests = client.requests
    report.seconds = time.perf_counter() - started
    return report


def rollback(
    endpoint: str,
    *,
    update: str | None = None,
    credentials: Credentials | None = None,
    timeout: float = 600.0,
) -> str:
    """Undo the stopped push to this server: every graph as it was before; one line says so.

    Raises:
        JournalError: There is no stopped push to this server.
        PushError: A graph could not be restored (named).
    """
    from pathlib import Path

    path = Path(journal_path(endpoint, update))
    journal = load_journal(path)
    if journal is None or journal.outcome != "running":
        raise JournalError(f"no stopped push to {endpoint} to roll back (journal {path})")
    client = _client(endpoint, update, journal.graph_store, credentials, timeout)
    return rollback_journal(client, journal)


def status(endpoint: str, update: str | None = None) -> str:
    """Every graph of the last push to this server, by state (from the journal)."""
    from pathlib import Path

    path = Path(journal_path(endpoint, update))
    journal = load_journal(path)
    if journal is None:
        raise JournalError(f"no push to {endpoint} in the journal ({path})")
    lines = [f"push to {endpoint}: {journal.outcome} ({journal.mode}); {journal.describe()}"]
    for state in ("switching", "staged", "sending", "pending", "done"):
        for name in journal.graphs_in(state):
            lines.append(f"{state}\t{name}")
    return "\n".join(lines)
