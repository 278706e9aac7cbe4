# ruff: noqa: F811 - the fixtures imported by name are the tests' arguments
"""``push()`` around its verification, in this process, against a real ``oxigraph serve``.

The companion of ``test_mutants_push.py`` (whose proxy, data and fixtures these tests use): what
a push does before its first batch (the probe for an update URL, the dataset store of an
``oxigraph serve``, the journal of a push that stopped), what it says when it stops, and the
commands beside it, ``--rollback`` (:func:`~kg.remote.push.rollback`,
:func:`~kg.remote.undo.rollback_journal`) and ``--status`` (:func:`~kg.remote.push.status`).
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

import pytest
from push_proxy import Lost, Proxy, once, tamper_lines
from test_mutants_push import (  # noqa: F401 - the fixtures, used by name below
    EX,
    FIRST,
    G1,
    G2,
    G3,
    G4,
    SECOND,
    SENT,
    _counts_staging,
    _inserts,
    held,
    proxy,
    send,
    upstream,
)
from test_mutants_push import (
    data as make_data,
)

from kg.data.paths import DataLayout
from kg.errors import UsageError
from kg.remote.client import RemoteError, SparqlClient
from kg.remote.journal import JournalError, journal_dir, load_journal
from kg.remote.push import (
    PushError,
    dataset_graphs,
    dataset_store,
    journal_path,
    push,
    rollback,
    status,
)
from kg.remote.staging import STAGING_PREFIX, backup_graph
from kg.remote.undo import RollbackError

BACKUP = "urn:x-kg-push:backup:"


def data(tmp_path: Path, name: str, trig: str) -> DataLayout:
    """The data folder ``name`` holding ``trig``, made on first use."""
    folder = tmp_path / name
    return DataLayout(folder) if folder.exists() else make_data(tmp_path, name, trig)


def stop_at_second_batch(proxy: Proxy, tmp_path: Path, trig: str, name: str) -> None:
    """Push ``trig`` through the proxy; the second batch's data never arrives (500)."""
    proxy.rule = once(_inserts, lambda text: 500, nth=2)
    with pytest.raises(RemoteError, match="kg push --resume continues"):
        send(proxy, data(tmp_path, name, trig))
    proxy.rule = None


def test_dataset_graphs_are_the_named_graphs_sorted_without_the_default_graph(
    tmp_path: Path,
) -> None:
    trig = f"<{EX}x> <{EX}p> <{EX}y> .\n" + FIRST.replace(
        "ex:g1 {", "ex:g0 { ex:z ex:p ex:z . }\nex:g1 {"
    )
    graphs = dataset_graphs(data(tmp_path, "d", trig))
    assert list(graphs) == [EX + "g0", G1, G2, G3, G4]
    assert {name: len(triples) for name, triples in graphs.items()} == {EX + "g0": 1, **SENT}


@pytest.mark.parametrize(
    ("update", "server", "store"),
    [
        ("http://h:7878/update", "Oxigraph/0.4.9", "http://h:7878/store?no_transaction"),
        ("https://h/sparql/update", "Oxigraph/0.5", "https://h/sparql/store?no_transaction"),
        ("http://h:7878/update", "Virtuoso/07.20", None),
        ("http://h:7878/update", "oxigraph/0.4.9", None),
        ("http://h:7878/sparql", "Oxigraph/0.4.9", None),
        ("http://h:7878/update?x=1", "Oxigraph/0.4.9", None),
    ],
)
def test_the_dataset_store_is_beside_an_oxigraph_update_url(
    update: str, server: str, store: str | None
) -> None:
    assert dataset_store(update, server) == store


def test_the_journal_is_named_by_the_query_and_update_urls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    one = journal_path("http://h/query", None)
    assert one == journal_path("http://h/query", "http://h/query")
    assert Path(one).parent == journal_dir() == tmp_path / "kg" / "push"
    assert Path(one).suffix == ".json" and len(Path(one).stem) == 16
    assert one != journal_path("http://h/query", "http://h/update")
    assert journal_path("http://h/q1", "http://h/u") != journal_path("http://h/q2", "http://h/u")


def test_a_push_straight_to_oxigraph_serve_goes_to_its_dataset_store(
    proxy: Proxy, upstream: int, tmp_path: Path
) -> None:
    base = f"http://127.0.0.1:{upstream}"
    before = time.perf_counter()
    report = push(data(tmp_path, "d", FIRST), base + "/query", update=base + "/update")
    took = time.perf_counter() - before
    assert (report.found, held(proxy)) == (SENT, SENT)
    assert report.requests > 0 and 0 < report.seconds <= took
    assert status(base + "/query", base + "/update").splitlines()[0] == (
        f"push to {base}/query: finished (bulk); 4 graphs in place and counted"
    )
    # a second push to the store replaces every graph: its moves go to the update URL
    replaced = push(data(tmp_path, "e", SECOND), base + "/query", update=base + "/update")
    assert (replaced.found, replaced.replaced, held(proxy)) == (SENT, [G1, G2, G3, G4], SENT)
    again = push(
        data(tmp_path, "d", FIRST), base + "/query", update=base + "/update", sparql_only=True
    )
    assert (again.found, again.replaced) == (SENT, [G1, G2, G3, G4])
    assert "finished (update)" in status(base + "/query", base + "/update")


def test_a_query_url_that_takes_no_update_is_refused_before_anything_is_sent(
    proxy: Proxy, upstream: int, tmp_path: Path
) -> None:
    base = f"http://127.0.0.1:{upstream}"
    with pytest.raises(
        UsageError,
        match=rf"^{base}/query does not take SPARQL Update \(it answered 4\d\d\); give the "
        r"server's update URL with --update \(oxigraph serve: http://HOST:PORT/update\)$",
    ):
        push(data(tmp_path, "d", FIRST), base + "/query")
    assert held(proxy) == {}


@pytest.mark.parametrize("refusal", [400, 404, 499])
def test_an_update_url_given_and_refused_is_the_servers_error(
    proxy: Proxy, tmp_path: Path, refusal: int
) -> None:
    proxy.rule = once(lambda text: "DROP SILENT" in text, lambda text: refusal)
    with pytest.raises(RemoteError, match=r"refused by the test's proxy.*; the push stopped "
                       "before sending anything: no graph was replaced$") as refused:  # fmt: skip
        send(proxy, data(tmp_path, "d", FIRST))
    assert refused.value.status == refusal and not isinstance(refused.value, UsageError)


@pytest.mark.parametrize("refusal", [400, 404, 499])
def test_a_query_url_that_refuses_an_update_with_a_4xx_is_a_hint(
    proxy: Proxy, tmp_path: Path, refusal: int
) -> None:
    proxy.rule = once(lambda text: "DROP SILENT" in text, lambda text: refusal)
    with pytest.raises(UsageError, match=rf"answered {refusal}\); give the server's update URL"):
        push(data(tmp_path, "d", FIRST), proxy.base + "/query")


@pytest.mark.parametrize("refusal", [401, 403, 500, 399])
def test_a_query_url_that_refuses_otherwise_is_no_hint_to_name_the_update_url(
    proxy: Proxy, tmp_path: Path, refusal: int
) -> None:
    proxy.rule = once(lambda text: "DROP SILENT" in text, lambda text: refusal)
    with pytest.raises(RemoteError, match="no graph was replaced") as refused:
        push(data(tmp_path, "d", FIRST), proxy.base + "/query")
    assert refused.value.status == refusal and not isinstance(refused.value, UsageError)


def test_a_server_that_cannot_be_reached_is_no_hint_either(tmp_path: Path) -> None:
    from oxigraph_server import free_port

    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(RemoteError, match="before sending anything") as refused:
        push(data(tmp_path, "d", FIRST), url)
    assert refused.value.status is None and not isinstance(refused.value, UsageError)


def test_counting_what_the_server_holds_fails_before_anything_is_sent(
    proxy: Proxy, tmp_path: Path
) -> None:
    proxy.rule = once(lambda text: "COUNT(*)" in text, lambda text: 503)
    with pytest.raises(RemoteError, match="before sending anything: no graph") as refused:
        send(proxy, data(tmp_path, "d", FIRST))
    assert refused.value.status == 503
    proxy.rule = None
    assert held(proxy) == {}


def test_bulk_needs_a_store_url(tmp_path: Path) -> None:
    with pytest.raises(
        UsageError, match=r"^--bulk needs --graph-store, the server's dataset store URL$"
    ):
        push(data(tmp_path, "d", FIRST), "http://127.0.0.1:9/query", bulk=True)


def test_a_push_that_stopped_must_be_resumed_or_rolled_back_first(
    proxy: Proxy, tmp_path: Path
) -> None:
    stop_at_second_batch(proxy, tmp_path, FIRST, "first")
    path = journal_path(proxy.base + "/query", proxy.base + "/update")
    again = data(tmp_path, "again", FIRST)
    with pytest.raises(
        JournalError,
        match=rf"^a push to {proxy.base}/query stopped unfinished \(1 graphs in place and counted;"
        r" 2 graphs being sent, old versions still live; 1 graphs not sent\); run kg push "
        r"--resume to finish it or kg push --rollback to undo it first$",
    ):
        send(proxy, again)
    with pytest.raises(
        JournalError,
        match=rf"^the data changed since the push to {proxy.base}/query stopped; run kg push "
        "--rollback first, then push again$",
    ):
        send(proxy, data(tmp_path, "second", SECOND), resume=True)
    assert held(proxy) == {G1: 3}  # neither refusal sent anything
    assert path.endswith(".json")


def test_a_resume_without_a_stopped_push_is_refused(proxy: Proxy, tmp_path: Path) -> None:
    path = journal_path(proxy.base + "/query", proxy.base + "/update")
    message = rf"^no stopped push to {proxy.base}/query to resume \(journal {path}\)$"
    with pytest.raises(JournalError, match=message):
        send(proxy, data(tmp_path, "d", FIRST), resume=True)
    send(proxy, data(tmp_path, "d", FIRST))
    with pytest.raises(JournalError, match=message):  # finished: nothing to resume
        send(proxy, data(tmp_path, "d", FIRST), resume=True)


def test_a_stopped_push_says_where_each_graph_is_and_what_to_do(
    proxy: Proxy, tmp_path: Path
) -> None:
    proxy.rule = once(_inserts, lambda text: 502, nth=2)
    with pytest.raises(RemoteError) as stopped:
        send(proxy, data(tmp_path, "first", FIRST))
    path = journal_path(proxy.base + "/query", proxy.base + "/update")
    assert stopped.value.status == 502
    assert str(stopped.value).startswith(
        f"{proxy.base}/update answered 502: refused by the test's proxy; the push stopped: "
    )
    journal = load_journal(Path(path))
    assert journal is not None
    assert (journal.query_url, journal.update_url, journal.graph_store, journal.mode) == (
        proxy.base + "/query",
        proxy.base + "/update",
        None,
        "update",
    )
    assert str(stopped.value).endswith(
        "; the push stopped: no graph was replaced yet; 1 graphs in place and counted; 2 graphs "
        "being sent, old versions still live; 1 graphs not sent; being sent or switched: "
        f"{G2}, {G3}; kg push --resume continues (what the server holds and counted is not sent "
        "again), kg push --rollback puts every graph back as it was; kg push --status lists "
        f"every graph (journal {path})"
    )


def test_a_stopped_push_that_replaced_a_graph_does_not_say_none_was(
    proxy: Proxy, tmp_path: Path
) -> None:
    send(proxy, data(tmp_path, "first", FIRST))
    stop_at_second_batch(proxy, tmp_path, SECOND, "second")
    proxy.rule = once(_inserts, lambda text: Lost, nth=1)
    with pytest.raises(RemoteError) as stopped:
        send(proxy, data(tmp_path, "second", SECOND), resume=True)
    assert "the push stopped: 1 graphs in place and counted; 2 graphs being" in str(stopped.value)


def test_status_lists_every_graph_by_state(proxy: Proxy, tmp_path: Path) -> None:
    query, update = proxy.base + "/query", proxy.base + "/update"
    with pytest.raises(JournalError, match=rf"^no push to {query} in the journal \(.+\.json\)$"):
        status(query, update)
    stop_at_second_batch(proxy, tmp_path, FIRST, "first")
    assert status(query, update) == "\n".join(
        [
            f"push to {query}: running (update); 1 graphs in place and counted; 2 graphs being "
            "sent, old versions still live; 1 graphs not sent",
            f"sending\t{G2}",
            f"sending\t{G3}",
            f"pending\t{G4}",
            f"done\t{G1}",
        ]
    )
    with pytest.raises(JournalError, match="no push to"):  # another update URL: another journal
        status(query, query)


def test_status_lists_switching_staged_and_unchanged_graphs(proxy: Proxy, tmp_path: Path) -> None:
    query, update = proxy.base + "/query", proxy.base + "/update"
    send(proxy, data(tmp_path, "first", FIRST))
    changed = FIRST.replace("ex:h ex:p ex:i", "ex:h ex:p ex:z").replace("ex:j ex:p", "ex:j ex:s")
    # g3's batch is staged and its switch's answer lost; g4's is never reached
    proxy.rule = once(lambda text: "MOVE GRAPH" in text, lambda text: Lost)
    with pytest.raises(RemoteError, match="being sent or switched"):
        send(proxy, data(tmp_path, "changed", changed))
    proxy.rule = None
    assert status(query, update).splitlines()[1:] == [
        f"switching\t{G3}",
        f"pending\t{G4}",
        f"unchanged\t{G1}",
        f"unchanged\t{G2}",
    ]


def test_a_push_stopped_in_a_switch_has_replaced_a_graph_and_its_rollback_leaves_the_rest(
    proxy: Proxy, tmp_path: Path
) -> None:
    query, update = proxy.base + "/query", proxy.base + "/update"
    send(proxy, data(tmp_path, "first", FIRST))
    changed = FIRST.replace("ex:h ex:p ex:i", "ex:h ex:p ex:z")
    proxy.rule = once(lambda text: "MOVE GRAPH" in text, lambda text: Lost)
    with pytest.raises(RemoteError) as stopped:
        send(proxy, data(tmp_path, "changed", changed))
    # g3 (one triple before) is being switched: it may be replaced already
    assert "the push stopped: 3 graphs unchanged since the last push; 1 graphs being switched" in (
        str(stopped.value)
    )
    assert "no graph was replaced yet" not in str(stopped.value)
    texts: list[str] = []
    proxy.rule = lambda text: texts.append(text)
    assert rollback(query, update=update).endswith(
        ", 1 replaced graphs restored from their backups; every graph holds what it held before"
    )
    proxy.rule = None
    assert held(proxy) == SENT
    # the unchanged graphs were neither counted nor dropped nor moved: the push never touched them
    assert not any(f"{G1}" in text or f"{G2}" in text or f"{G4}" in text for text in texts)


def test_a_push_that_stops_after_its_last_batch_names_no_graph_in_flight(
    proxy: Proxy, tmp_path: Path
) -> None:
    send(proxy, data(tmp_path, "first", FIRST))

    def final_drop(text: str) -> bool:  # the backups dropped when every batch is done
        return text.lstrip().startswith("DROP") and BACKUP in text and STAGING_PREFIX not in text

    proxy.rule = once(final_drop, lambda text: 500)
    with pytest.raises(RemoteError) as stopped:
        send(proxy, data(tmp_path, "second", SECOND))
    assert "; the push stopped: 4 graphs in place and counted; kg push --resume continues" in (
        str(stopped.value)
    )


def test_a_push_logs_its_progress(
    proxy: Proxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("KG_PROGRESS_DELAY", "0")
    with caplog.at_level(logging.INFO, logger="kg.progress"):
        send(proxy, data(tmp_path, "first", FIRST))
    lines = [r.getMessage() for r in caplog.records if r.name == "kg.progress"]
    assert lines and re.match(r"^pushing\b.*\b9\b.* triples\b.* in all$", lines[-1]), lines


def test_status_lists_a_staged_batch(proxy: Proxy, tmp_path: Path) -> None:
    query, update = proxy.base + "/query", proxy.base + "/update"
    send(proxy, data(tmp_path, "first", FIRST))
    # the network breaks when the first batch's staged graph is counted before its switch
    proxy.rule = once(_counts_staging, lambda text: 500, nth=2)
    with pytest.raises(RemoteError, match="being sent or switched"):
        send(proxy, data(tmp_path, "second", SECOND))
    proxy.rule = None
    assert status(query, update).splitlines()[1:] == [
        f"staged\t{G1}",
        f"pending\t{G2}",
        f"pending\t{G3}",
        f"pending\t{G4}",
    ]


def test_force_sends_the_same_data_again(proxy: Proxy, tmp_path: Path) -> None:
    send(proxy, data(tmp_path, "first", FIRST))
    layout = data(tmp_path, "first", FIRST)
    forced = push(
        layout, proxy.base + "/query", update=proxy.base + "/update", batch_triples=3, force=True
    )
    assert (forced.unchanged, forced.replaced, forced.found) == ([], [G1, G2, G3, G4], SENT)


def test_a_stopped_push_is_not_the_last_push_to_compare_with(proxy: Proxy, tmp_path: Path) -> None:
    send(proxy, data(tmp_path, "first", FIRST))
    stop_at_second_batch(proxy, tmp_path, SECOND, "second")
    rollback(proxy.base + "/query", update=proxy.base + "/update")
    # the journal now is a rolled-back push's: nothing is taken as unchanged from it
    again = send(proxy, data(tmp_path, "first", FIRST))
    assert (again.unchanged, again.replaced) == ([], [G1, G2, G3, G4])


def test_rollback_of_a_first_push_removes_what_it_sent(proxy: Proxy, tmp_path: Path) -> None:
    query, update = proxy.base + "/query", proxy.base + "/update"
    stop_at_second_batch(proxy, tmp_path, FIRST, "first")
    assert rollback(query, update=update) == (
        f"rolled back the push to {query}: staging dropped, 3 graphs the server did not hold "
        "removed; no graph was replaced: every graph holds what it held before"
    )
    assert held(proxy) == {}
    assert status(query, update).startswith(f"push to {query}: rolled back (update)")
    path = journal_path(query, update)
    with pytest.raises(
        JournalError, match=rf"^no stopped push to {query} to roll back \(journal {path}\)$"
    ):
        rollback(query, update=update)


def test_rollback_without_any_push_is_refused(proxy: Proxy) -> None:
    with pytest.raises(JournalError, match=r"no stopped push to .* to roll back"):
        rollback(proxy.base + "/query", update=proxy.base + "/update")


def test_rollback_restores_switched_graphs_from_their_backups(proxy: Proxy, tmp_path: Path) -> None:
    query, update = proxy.base + "/query", proxy.base + "/update"
    send(proxy, data(tmp_path, "first", FIRST))
    stop_at_second_batch(proxy, tmp_path, SECOND, "second")
    assert backup_graph(G1) in held(proxy)
    assert rollback(query, update=update) == (
        f"rolled back the push to {query}: staging dropped, 0 graphs the server did not hold "
        "removed, 1 replaced graphs restored from their backups; every graph holds what it held "
        "before"
    )
    assert held(proxy) == SENT
    client = SparqlClient(query)
    assert client.query(f"ASK {{ GRAPH <{G1}> {{ <{EX}a> <{EX}p> <{EX}b> }} }}", "ASK").boolean


def test_rollback_keeps_a_new_graph_whose_backup_is_gone(proxy: Proxy, tmp_path: Path) -> None:
    query, update = proxy.base + "/query", proxy.base + "/update"
    send(proxy, data(tmp_path, "first", FIRST))
    smaller = SECOND.replace('ex:a ex:r "x y" .', "")  # g1: two triples, not three
    stop_at_second_batch(proxy, tmp_path, smaller, "smaller")
    SparqlClient(query, update).update(f"DROP GRAPH <{backup_graph(G1)}>")
    assert rollback(query, update=update) == (
        f"rolled back the push to {query}: staging dropped, 0 graphs the server did not hold "
        f"removed; 1 graphs had lost their backup and keep their new, counted version (first: "
        f"{G1})"
    )
    assert held(proxy) == {**SENT, G1: 2}


def test_rollback_that_cannot_restore_a_graph_names_it(proxy: Proxy, tmp_path: Path) -> None:
    query, update = proxy.base + "/query", proxy.base + "/update"
    send(proxy, data(tmp_path, "first", FIRST))
    stop_at_second_batch(proxy, tmp_path, SECOND, "second")
    # behind the push's back, g1's backup loses a triple and g2 gains one
    client = SparqlClient(query, update)
    client.update(f"DELETE DATA {{ GRAPH <{backup_graph(G1)}> {{ <{EX}c> <{EX}p> <{EX}d> }} }}")
    client.update(f"INSERT DATA {{ GRAPH <{G2}> {{ <{EX}n> <{EX}p> <{EX}n> }} }}")
    with pytest.raises(
        RollbackError,
        match=rf"^rolled back, but 1 graphs hold neither what they held before nor what was "
        rf"pushed: {G2} \(held 2, holds 3\)$",
    ):
        rollback(query, update=update)
    assert "running" in status(query, update).splitlines()[0]  # still to be rolled back


def test_rollback_names_at_most_eight_graphs(proxy: Proxy, tmp_path: Path) -> None:
    query, update = proxy.base + "/query", proxy.base + "/update"
    many = "".join(f"ex:m{i} {{ ex:s ex:p ex:o{i} . }}\n" for i in range(10))
    trig = f"@prefix ex: <{EX}> .\n{many}"
    send(proxy, data(tmp_path, "first", trig))
    proxy.rule = once(lambda text: "MOVE GRAPH" in text, lambda text: Lost)
    with pytest.raises(RemoteError):
        push(data(tmp_path, "second", trig.replace("ex:p", "ex:q")), query, update=update)
    proxy.rule = None
    client = SparqlClient(query, update)
    for i in range(10):  # every backup gone and every graph emptied
        client.update(f"DROP SILENT GRAPH <{backup_graph(EX + f'm{i}')}>; DROP GRAPH <{EX}m{i}>")
    with pytest.raises(RollbackError, match=r"^rolled back, but 10 graphs hold") as failed:
        rollback(query, update=update)
    assert str(failed.value).count("(held 1, holds 0)") == 8
    assert f"{EX}m0 (held 1, holds 0), {EX}m1 (held 1, holds 0), " in str(failed.value)
    assert f"{EX}m7 (held 1" in str(failed.value) and f"{EX}m8 (held" not in str(failed.value)


def test_a_push_that_fails_its_counts_is_rolled_back_and_says_so(
    proxy: Proxy, tmp_path: Path
) -> None:
    send(proxy, data(tmp_path, "first", FIRST))
    proxy.rule = once(_inserts, lambda text: tamper_lines(text, "drop"), nth=2)
    with pytest.raises(PushError) as failed:
        send(proxy, data(tmp_path, "second", SECOND))
    message = str(failed.value)
    assert message.endswith(
        f"\nrolled back the push to {proxy.base}/query: staging dropped, 0 graphs the server did "
        "not hold removed, 1 replaced graphs restored from their backups; every graph holds "
        "what it held before"
    )
    assert failed.value.report is not None and failed.value.report.found == {G1: 3}
    proxy.rule = None
    assert held(proxy) == SENT
    assert not any(g.startswith(BACKUP) for g in held(proxy))


def test_a_resumed_push_sends_by_the_graph_store_the_journal_names(
    proxy: Proxy, tmp_path: Path
) -> None:
    layout = data(tmp_path, "first", FIRST)
    # by the Graph Store Protocol each graph is a body of N-Triples; the second never arrives
    proxy.rule = once(lambda text: text.startswith(("<", "_:")), lambda text: 500, nth=2)
    with pytest.raises(RemoteError, match="kg push --resume continues"):
        push(layout, proxy.base + "/query", update=proxy.base + "/update",
             graph_store=proxy.base + "/store", batch_triples=3)  # fmt: skip
    proxy.rule = None
    resumed = send(proxy, layout, resume=True)  # no --graph-store: the journal's is used
    assert (resumed.skipped, resumed.found, held(proxy)) == ([G1], SENT, SENT)


def test_a_batch_holds_about_the_triples_of_its_mode(
    proxy: Proxy, upstream: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """By SPARQL Update a batch holds ``BATCH_TRIPLES``; to a dataset store, ``BULK_TRIPLES``."""
    import kg.remote.push as push_module

    monkeypatch.setattr(push_module, "BATCH_TRIPLES", 3)
    monkeypatch.setattr(push_module, "BULK_TRIPLES", 100)
    query, update = proxy.base + "/query", proxy.base + "/update"
    push(data(tmp_path, "d", FIRST), query, update=update)
    by_update = load_journal(Path(journal_path(query, update)))
    assert by_update is not None and len(by_update.batches) == 3
    base = f"http://127.0.0.1:{upstream}"
    push(data(tmp_path, "d", SECOND), base + "/query", update=base + "/update")
    to_store = load_journal(Path(journal_path(base + "/query", base + "/update")))
    assert to_store is not None and (to_store.mode, len(to_store.batches)) == ("bulk", 1)
