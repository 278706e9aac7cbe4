"""``kg push``: load every named graph into a SPARQL server, prove it arrived, never lose a graph.

The graphs go in batches (:data:`BATCH_TRIPLES` triples, at most :data:`BATCH_GRAPHS` graphs),
and each batch goes through the same steps (see :mod:`kg.remote.journal` for the states):

1. **Stage.** A graph the server already holds is sent to its staging graph
   (:func:`~kg.remote.staging.staging_graph`); a graph it does not hold is loaded in place (there
   is nothing to protect). Many graphs share a request (:mod:`kg.remote.chunking`): as N-Quads
   ``POST`` requests to a dataset store (``--bulk``, and by default when the server is
   ``oxigraph serve``, whose store is beside its update URL: its own transactional loader, five
   to ten times faster than its SPARQL Update), by ``LOAD`` of N-Quads pieces the server
   fetches from this machine (by default to a Virtuoso on loopback, or with ``--serve-data``:
   :mod:`kg.remote.loading`), by SPARQL Update (default elsewhere), or by Graph Store ``POST``
   (``--graph-store``).
2. **Count** what arrived, with one grouped query. A difference rolls the push back (see
   :mod:`kg.remote.undo`) and names the graphs (:class:`PushError`, exit 1).
3. **Switch**: each graph's old version moves to its backup graph and its staging graph into
   place, in one request (``MOVE``), ten graphs to a request; then the batch is counted in place.
   The backups are dropped when every batch is done.

A graph whose content hash is the one the last push to this server sent, and whose count there
is still what was sent, is not sent again (:attr:`PushReport.unchanged`).

The cost is linear in the data (on Virtuoso a count may scan the store: once a batch). A push
that stops (the server died, the network broke) says which graphs are in which state;
``kg push --resume`` continues without resending what the server holds and counted,
``kg push --rollback`` puts every graph back as it was (staging graphs and graphs the server did
not hold dropped, switched graphs restored from their backups). The journal of
:mod:`kg.remote.journal` (on this machine) knows where it stopped.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.data.paths import DataLayout
from kg.errors import UsageError
from kg.progress import Progress, progress
from kg.remote.client import Credentials, RemoteError, SparqlClient
from kg.remote.digest import fingerprint, hashes_ahead, stored_graphs
from kg.remote.journal import Batch, Journal, JournalError, journal_dir, journal_key, load_journal
from kg.remote.loading import Loader, LoadRefused, serve_address
from kg.remote.piece_server import PieceServer
from kg.remote.report import PushError, PushReport, describe_differences, known_cause, shown
from kg.remote.servers import dataset_store
from kg.remote.staging import (
    BULK_TRIPLES,
    backup_graph,
    count_triples,
    drop,
    post_update,
    send,
    staging_graph,
    switch,
)
from kg.remote.undo import RollbackError, rollback_journal

__all__ = ["PushError", "PushReport", "dataset_graphs", "push", "rollback", "status"]

#: Triples per batch (staged, counted and switched together).
BATCH_TRIPLES = 50_000
#: Graphs per batch at most.
BATCH_GRAPHS = 2_000
#: Graphs per batch at most by ``LOAD`` (Virtuoso), whose count of a batch may scan the store
#: (:func:`~kg.remote.staging.count_triples`): fewer batches, fewer scans. A batch is still at
#: most :data:`~kg.remote.staging.BULK_TRIPLES` triples (what a failure can cost sending again).
LOAD_BATCH_GRAPHS = 20_000


def dataset_graphs(layout: DataLayout) -> dict[str, list[ox.Triple]]:
    """Every named graph of the dataset (ontology and inference graphs included), sorted."""
    from kg.query.engines.oxigraph import OxigraphEngine

    graphs: dict[str, list[ox.Triple]] = {}
    for quad in OxigraphEngine(layout).store:
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    return dict(sorted(graphs.items()))


def plan(
    sent: list[int],
    batch_triples: int,
    unchanged: list[bool] | None = None,
    max_graphs: int = BATCH_GRAPHS,
) -> list[Batch]:
    """Consecutive runs of graphs of about ``batch_triples`` triples (a big graph alone).

    Runs of ``unchanged`` graphs are batches of their own, in state ``unchanged``; a batch holds
    ``max_graphs`` graphs at most.
    """
    batches: list[Batch] = []
    same = unchanged or [False] * len(sent)
    start = size = 0
    for index, count in enumerate(sent):
        if index > start and (
            same[index] != same[start]
            or (not same[index] and size + count > batch_triples)
            or index - start >= max_graphs
        ):
            batches.append(Batch(start, index, "unchanged" if same[start] else "pending"))
            start, size = index, 0
        size += count
    if start < len(sent):
        batches.append(Batch(start, len(sent), "unchanged" if same[start] else "pending"))
    return batches


def _probe(client: SparqlClient, asked: bool) -> str:
    """Refuse at once, changing nothing, when the update URL does not take SPARQL Update.

    Virtuoso and Fuseki take updates at the query URL; ``oxigraph serve`` does not (it answers
    4xx). The probe drops a staging graph of no graph of the data, which changes nothing.

    Args:
        client: The server.
        asked: The update URL was given (a refusal is then the server's error, not a hint).

    Returns:
        What the server says it is (its ``Server`` header).

    Raises:
        UsageError: The query URL refused the update with a 4xx: name ``--update``.
    """
    try:
        return post_update(client, f"DROP SILENT GRAPH <{staging_graph('kg-update-probe')}>").server
    except RemoteError as err:
        if asked or err.status is None or not 400 <= err.status < 500 or err.status in {401, 403}:
            raise
        raise UsageError(
            f"{client.query_url} does not take SPARQL Update (it answered {err.status}); give "
            "the server's update URL with --update (oxigraph serve: http://HOST:PORT/update)"
        ) from None


class _Run:
    """One push (new or resumed) of a journal's batches to a server."""

    def __init__(
        self,
        client: SparqlClient,
        journal: Journal,
        graphs: Mapping[str, Sequence[ox.Triple]],
        report: PushReport,
        loader: Loader | None = None,
    ) -> None:
        self.client = client
        self.loader = loader
        self.journal = journal
        self.graphs = graphs
        self.report = report
        self.prior = dict(zip(journal.graphs, journal.prior, strict=True))
        self.sent = dict(zip(journal.graphs, journal.sent, strict=True))

    def recheck_done(self) -> None:
        """A resumed push counts the batches the journal calls done; a short one is redone."""
        done = self.journal.graphs_in("done", "unchanged")
        counts = count_triples(self.client, done)
        for batch in self.journal.batches:
            names = self.journal.names(batch)
            if batch.state in {"done", "unchanged"} and any(
                counts.get(n, 0) != self.sent[n] for n in names
            ):
                self.journal.set_state(batch, "sending")
        self.report.skipped = self.journal.graphs_in("done", "unchanged")
        self.report.found.update({n: counts.get(n, 0) for n in self.report.skipped})

    def parts(self, batch: Batch) -> dict[str, Sequence[ox.Triple]]:
        """The batch's triples by the graph they go to: its staging graph, or itself if new."""
        names = self.journal.names(batch)
        return {(staging_graph(n) if self.prior[n] else n): self.graphs[n] for n in names}

    def batch(self, batch: Batch, bar: Progress) -> None:
        """Take ``batch`` from its state to ``done`` (stage, count, switch, count)."""
        names = self.journal.names(batch)
        old = [n for n in names if self.prior[n] > 0]
        if batch.state in {"pending", "sending"}:
            redo = batch.state == "sending"
            self.journal.set_state(batch, "sending")
            clear = [staging_graph(n) for n in old] + [backup_graph(n) for n in old]
            drop(self.client, clear + ([n for n in names if self.prior[n] == 0] if redo else []))
            parts = self.parts(batch)
            if self.loader is None:
                send(self.client, parts, self.journal.mode, bar.advance)
            else:
                try:
                    self.loader.send(parts, bar.advance)
                except LoadRefused as err:
                    raise PushError(str(err), self.report) from None
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
        backups = count_triples(self.client, [backup_graph(n) for n in old])
        pending = []
        for name in old:
            if staged.get(staging_graph(name), 0) == self.sent[name]:
                pending.append(name)
            elif batch.state != "switching":
                raise PushError(f"the staging graph of {name} went missing", self.report)
        self.journal.set_state(batch, "switching")
        # a backup already made: the server died between a graph's two moves (no transaction)
        kept = [n for n in pending if backups.get(backup_graph(n), 0) == self.prior[n]]
        switch(self.client, pending, kept)

    def run(self) -> None:
        """Every batch not done, then the backups dropped and the journal closed."""
        todo = [b for b in self.journal.batches if b.state not in {"done", "unchanged"}]
        total = sum(self.sent[n] for b in todo for n in self.journal.names(b))
        if self.loader is not None:  # the pieces of what is to be sent, made while others load
            self.loader.ahead([self.parts(b) for b in todo if b.state in {"pending", "sending"}])
        with progress(total, "pushing", unit="triples") as bar:
            for batch in todo:
                self.batch(batch, bar)
        switched = self.journal.graphs_in("done")
        drop(self.client, [backup_graph(n) for n in switched if self.prior[n] > 0])
        self.journal.outcome = "finished"
        self.journal.save()

    def stopped(self, err: RemoteError) -> str:
        """The message for a push that stopped on ``err``: where each graph is, what to do."""
        journal = self.journal
        flying = journal.graphs_in("sending", "staged", "switching")
        switched = journal.graphs_in("done", "switching")
        replaced = "" if any(self.prior[n] for n in switched) else "no graph was replaced yet; "
        where = f"; being sent or switched: {shown(flying)}" if flying else ""
        return (
            f"{err}{known_cause(str(err))}; the push stopped: {replaced}{journal.describe()}"
            f"{where}; "
            "kg push --resume continues (what the server holds and counted is not sent again), "
            "kg push --rollback puts every graph back as it was; kg push --status lists every "
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


def _unchanged(previous: Journal | None, hashes: Callable[[], list[str]], held: list[int],
               sent: list[int], names: list[str]) -> list[bool]:  # fmt: skip
    """Which graphs the last push to this server left there as they are now (same hash, count)."""
    if previous is None or previous.outcome != "finished":
        return [False] * len(names)  # the hashes are not waited for
    last = dict(zip(previous.graphs, previous.hashes, strict=False))
    return [
        last.get(name) == digest and count == size
        for name, digest, count, size in zip(names, hashes(), held, sent, strict=True)
    ]


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
    sparql_only: bool = False,
    force: bool = False,
    serve_data: str | None = None,
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
        batch_triples: Triples per batch (default :data:`BATCH_TRIPLES`; N-Quads: one
            request's worth, :data:`~kg.remote.staging.BULK_TRIPLES`).
        sparql_only: Send by SPARQL Update even to an ``oxigraph serve`` (whose dataset store
            is otherwise used).
        force: Send every graph, even those unchanged since the last push to this server.
        serve_data: ``HOST[:PORT]`` of this machine a remote Virtuoso reaches: it fetches the
            data from a listener opened there for the push (:mod:`kg.remote.loading`).

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
    graphs = stored_graphs(layout)  # names and sizes: no triple read yet
    hashing = hashes_ahead(graphs)  # made while the push goes on
    report = PushReport(sent={name: len(graph) for name, graph in graphs.items()})
    client = _client(endpoint, update, graph_store, credentials, timeout)
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
        address = serve_address(journal.update_url, "Virtuoso/", serve_data, journal.mode)
    else:
        if previous is not None and previous.outcome == "running":
            raise JournalError(
                f"a push to {endpoint} stopped unfinished ({previous.describe()}); run "
                "kg push --resume to finish it or kg push --rollback to undo it first"
            )
        try:
            server = _probe(client, update is not None)
            held = count_triples(client, graphs, report.sent, grouped=True)
        except RemoteError as err:
            raise RemoteError(
                f"{err}; the push stopped before sending anything: no graph was replaced",
                err.status,
            ) from None
        store = None if graph_store or sparql_only else dataset_store(client.update_url, server)
        other = "graph-store" if graph_store else "sparql-only" if sparql_only else None
        address = serve_address(client.update_url, server, serve_data, other)
        if store is not None:
            probed, client = client.requests, _client(endpoint, update, store, credentials, timeout)
            client.requests = probed
        mode = "bulk" if bulk or store else "graph-store" if graph_store else "update"
        mode = "load" if address is not None else mode
        sent = list(report.sent.values())
        prior = [held.get(name, 0) for name in graphs]
        same = _unchanged(None if force else previous, hashing.result, prior, sent, list(graphs))
        report.unchanged = [name for name, kept in zip(graphs, same, strict=True) if kept]
        report.found.update({name: report.sent[name] for name in report.unchanged})
        size = batch_triples or (BULK_TRIPLES if mode in {"bulk", "load"} else BATCH_TRIPLES)
        cap = LOAD_BATCH_GRAPHS if mode == "load" else BATCH_GRAPHS
        journal = Journal(
            client.query_url, client.update_url, client.graph_store, mode, stamp, list(graphs),
            sent, prior, plan(sent, size, same, cap), [], path=path,
        )  # fmt: skip
        journal.save(graphs=True)
    with contextlib.ExitStack() as stack:
        files = None if address is None else stack.enter_context(PieceServer(*address))
        loader = None if files is None else Loader(client, files)
        if loader is not None:
            stack.callback(loader.close)
        run = _Run(client, journal, graphs, report, loader)
        _go(run, client, journal, resume)
    journal.hashes = hashing.result()  # for the next push: which graphs it need not send
    journal.save(graphs=True)
    report.requests = client.requests
    report.seconds = time.perf_counter() - started
    return report


def _go(run: _Run, client: SparqlClient, journal: Journal, resume: bool) -> None:
    """Run the push; a failure rolls it back (:class:`PushError`) or says where it stopped."""
    report = run.report
    try:
        if resume:
            run.recheck_done()
        run.run()
    except PushError as err:
        try:
            undone = rollback_journal(client, journal)
        except RollbackError as failed:  # say why the push stopped, then what the rollback left
            raise RollbackError(f"{err}\n{failed}") from err
        raise PushError(f"{err}\n{undone}", report) from None
    except RemoteError as err:
        raise RemoteError(run.stopped(err), err.status) from None


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
    path = Path(journal_path(endpoint, update))
    journal = load_journal(path)
    if journal is None or journal.outcome != "running":
        raise JournalError(f"no stopped push to {endpoint} to roll back (journal {path})")
    client = _client(endpoint, update, journal.graph_store, credentials, timeout)
    return rollback_journal(client, journal)


def status(endpoint: str, update: str | None = None) -> str:
    """Every graph of the last push to this server, by state (from the journal)."""
    path = Path(journal_path(endpoint, update))
    journal = load_journal(path)
    if journal is None:
        raise JournalError(f"no push to {endpoint} in the journal ({path})")
    lines = [f"push to {endpoint}: {journal.outcome} ({journal.mode}); {journal.describe()}"]
    for state in ("switching", "staged", "sending", "pending", "done", "unchanged"):
        for name in journal.graphs_in(state):
            lines.append(f"{state}\t{name}")
    return "\n".join(lines)
