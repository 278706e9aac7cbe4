"""Push verification in this process: :func:`kg.remote.push.push` against a real ``oxigraph serve``.

``tests/process/test_push_verify.py`` runs the public command, ``kg push``, in a process of its
own; a mutation tool, which changes the code of the process that runs the tests, cannot see what
that process calls. These tests call :func:`~kg.remote.push.push` itself, so each planted bug in
the verification (the counts compared before the switch, after it, on a resume) meets a real
server. Between the push and the server stands a proxy on loopback that forwards every request
unchanged unless a test gives it a rule: rewrite an update's text (drop a triple, add one, add a
graph instead of moving it), or answer one request with an error (the network broke there).

The data is a folder of four small graphs (nine triples, one with a blank node), pushed in
batches of at most three triples: three batches, so a push has batches done while another is
under way.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from oxigraph_server import serving_oxigraph
from push_proxy import Lost, Proxy, once, serving_proxy, tamper_lines

from kg.data.paths import DataLayout
from kg.remote.client import RemoteError, SparqlClient
from kg.remote.journal import Batch
from kg.remote.push import BATCH_GRAPHS, PushError, PushReport, describe_differences, plan, push
from kg.remote.staging import STAGING_PREFIX, staging_graph
from kg.remote.undo import RollbackError

EX = "http://example.org/"
G1, G2, G3, G4 = EX + "g1", EX + "g2", EX + "g3", EX + "g4"
FIRST = f"""@prefix ex: <{EX}> .
ex:g1 {{ ex:a ex:p ex:b . ex:a ex:p "x y" . ex:c ex:p ex:d . }}
ex:g2 {{ ex:e ex:p ex:f . ex:e ex:q _:z . }}
ex:g3 {{ ex:h ex:p ex:i . }}
ex:g4 {{ ex:j ex:p ex:k . ex:j ex:p ex:l . ex:j ex:p ex:m . }}
"""
#: The same graphs and sizes, other triples: a push of it replaces every graph.
SECOND = FIRST.replace("ex:p", "ex:r").replace("ex:q", "ex:s")
#: Three batches of at most three triples: [g1], [g2, g3], [g4].
SENT = {G1: 3, G2: 2, G3: 1, G4: 3}


def _inserts(text: str) -> bool:
    return text.lstrip().startswith("INSERT")  # INSERT DATA, or INSERT … WHERE {} (blank nodes)


def _counts_staging(text: str) -> bool:
    return "COUNT(*)" in text and STAGING_PREFIX in text


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A fresh ``oxigraph serve``'s port."""
    with serving_oxigraph(tmp_path_factory.mktemp("push-mutants")) as base:
        yield int(base.rsplit(":", 1)[1])


@pytest.fixture
def proxy(upstream: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Proxy]:
    """The proxy (no rule) in front of an emptied server; the push journal in ``tmp_path``."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    SparqlClient(
        f"http://127.0.0.1:{upstream}/query", f"http://127.0.0.1:{upstream}/update"
    ).update("DROP SILENT ALL")
    with serving_proxy(upstream) as server:
        yield server


def data(tmp_path: Path, name: str, trig: str) -> DataLayout:
    """A data folder holding ``trig`` (and an empty ontology)."""
    root = tmp_path / name
    (root / "triples").mkdir(parents=True)
    (root / "ontology.ttl").write_text("", encoding="utf-8")
    (root / "triples" / "data.trig").write_text(trig, encoding="utf-8")
    return DataLayout(root)


def send(proxy: Proxy, layout: DataLayout, *, resume: bool = False) -> PushReport:
    """:func:`push` through the proxy, in batches of at most three triples."""
    return push(
        layout, proxy.base + "/query", update=proxy.base + "/update", resume=resume, batch_triples=3
    )


def held(proxy: Proxy) -> dict[str, int]:
    """Triples per named graph on the server (staging graphs too)."""
    client = SparqlClient(proxy.base + "/query")
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    return {str(g.value): int(n.value) for g, n in client.query(query, "SELECT").rows}


def remove_one(proxy: Proxy, graph: str) -> None:
    """Take one triple out of ``graph`` on the server, behind the push's back."""
    client = SparqlClient(proxy.base + "/query", proxy.base + "/update")
    where = f"{{ SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} LIMIT 1 }}"
    client.update(f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ {where} }}")


def test_plan_cuts_batches_at_the_size_and_the_graph_limit() -> None:
    assert plan([3, 2, 1], 3) == [Batch(0, 1), Batch(1, 3)]
    assert plan([3, 3], 3) == [Batch(0, 1), Batch(1, 2)]
    assert plan([1, 1, 1], 3) == [Batch(0, 3)]
    assert plan([5, 1], 3) == [Batch(0, 1), Batch(1, 2)]  # a big graph goes alone
    assert plan([1, 1, 1, 1], 3) == [Batch(0, 3), Batch(3, 4)]
    assert plan([], 3) == []
    many = plan([1] * (2 * BATCH_GRAPHS + 1), 10**6)
    limit = 2 * BATCH_GRAPHS
    assert many == [Batch(0, BATCH_GRAPHS), Batch(BATCH_GRAPHS, limit), Batch(limit, limit + 1)]


def test_differences_name_every_graph_short_or_long() -> None:
    report = PushReport(sent={G1: 3, G2: 2, G3: 1}, found={G1: 3, G2: 1, G3: 2})
    assert report.differences == {G2: (2, 1), G3: (1, 2)}
    assert PushReport(sent={G1: 3}).differences == {G1: (3, 0)}
    assert describe_differences(report.differences) == (
        f"  {G2} (sent 2, server holds 1)\n  {G3} (sent 1, server holds 2)"
    )


def test_a_first_push_loads_in_place_and_a_second_replaces(proxy: Proxy, tmp_path: Path) -> None:
    first = send(proxy, data(tmp_path, "first", FIRST))
    assert (first.sent, first.found, first.replaced, first.differences) == (SENT, SENT, [], {})
    assert held(proxy) == SENT
    second = send(proxy, data(tmp_path, "second", SECOND))
    assert (second.found, second.replaced, second.skipped) == (SENT, [G1, G2, G3, G4], [])
    assert held(proxy) == SENT  # no staging graph left
    client = SparqlClient(proxy.base + "/query")
    assert client.query(f"ASK {{ GRAPH <{G1}> {{ <{EX}a> <{EX}r> <{EX}b> }} }}", "ASK").boolean


@pytest.mark.parametrize(("mode", "count"), [("drop", 2), ("extra", 4)])
def test_a_staged_graph_that_differs_is_refused_before_the_switch(
    proxy: Proxy, tmp_path: Path, mode: str, count: int
) -> None:
    send(proxy, data(tmp_path, "first", FIRST))
    proxy.rule = once(_inserts, lambda text: tamper_lines(text, mode))
    with pytest.raises(
        PushError, match=rf"did not keep what was sent.*\n  {G1} \(sent 3, server holds {count}\)"
    ):
        send(proxy, data(tmp_path, "second", SECOND))
    proxy.rule = None
    assert held(proxy) == SENT  # rolled back: staging graphs gone, no graph replaced
    client = SparqlClient(proxy.base + "/query")
    assert client.query(f"ASK {{ GRAPH <{G1}> {{ <{EX}a> <{EX}p> <{EX}b> }} }}", "ASK").boolean


def test_a_graph_loaded_in_place_short_is_refused(proxy: Proxy, tmp_path: Path) -> None:
    proxy.rule = once(_inserts, lambda text: tamper_lines(text, "drop"))
    with pytest.raises(PushError, match=rf"\n  {G1} \(sent 3, server holds 2\)"):
        send(proxy, data(tmp_path, "first", FIRST))
    proxy.rule = None
    assert held(proxy) == {}  # the server held none of them: rolled back to nothing


def test_a_switch_that_leaves_other_counts_is_refused(proxy: Proxy, tmp_path: Path) -> None:
    send(proxy, data(tmp_path, "first", FIRST))
    # ADD keeps the old triples beside the new: the graph holds six, not the three sent. The
    # push stops, and the rollback puts back what the graph held from its backup, and says so.
    proxy.rule = once(lambda text: "MOVE GRAPH" in text, lambda text: text.replace("MOVE", "ADD"))
    with pytest.raises(PushError, match=r"every graph holds what it held before") as stopped:
        send(proxy, data(tmp_path, "second", SECOND))
    assert str(stopped.value).startswith(
        f"after the switch the server does not hold what was sent:\n  {G1} (sent 3, server holds 6)"
    )
    proxy.rule = None
    assert held(proxy) == SENT  # the first push's graphs, no staging graph, no backup left


def test_a_switch_that_loses_the_graph_is_refused(proxy: Proxy, tmp_path: Path) -> None:
    send(proxy, data(tmp_path, "first", FIRST))
    # The switch drops g1 instead of moving its staging graph there: g1 is gone.
    proxy.rule = once(lambda text: "MOVE GRAPH" in text, lambda text: f"DROP GRAPH <{G1}>")
    with pytest.raises(RollbackError, match=rf"{G1} \(held 3, holds 0\)") as stopped:
        send(proxy, data(tmp_path, "second", SECOND))
    # the one line a user reads says why the push stopped, then what the rollback left
    assert str(stopped.value).startswith(
        "after the switch the server does not hold what was sent:\n"
        f"  {G1} (sent 3, server holds 0)\nrolled back, but 1 graphs hold neither"
    )
    cause = stopped.value.__cause__
    assert isinstance(cause, PushError) and cause.report is not None
    assert str(cause).endswith(f"\n  {G1} (sent 3, server holds 0)")
    assert cause.report.found == {G1: 0}


@pytest.mark.parametrize(("graph", "nth", "whole"), [(G1, 2, False), (G3, 4, True)])
def test_a_staging_graph_gone_before_the_switch_is_refused(
    proxy: Proxy, tmp_path: Path, graph: str, nth: int, whole: bool
) -> None:
    send(proxy, data(tmp_path, "first", FIRST))
    second = data(tmp_path, "second", SECOND)
    # The network breaks when a batch's staged graphs are counted before its switch (each batch
    # counts its staging graphs twice: after sending, before switching); the batch stays staged.
    proxy.rule = once(_counts_staging, lambda text: 500, nth=nth)
    with pytest.raises(RemoteError, match=rf"being sent or switched: [^;]*{graph}"):
        send(proxy, second)
    proxy.rule = None
    client = SparqlClient(proxy.base + "/query", proxy.base + "/update")
    if whole:  # G3's staging graph held one triple, as G3 does: gone, it counts 0, not 1
        client.update(f"DROP GRAPH <{staging_graph(graph)}>")
    else:
        remove_one(proxy, staging_graph(graph))
    with pytest.raises(PushError, match=f"the staging graph of {graph} went missing"):
        send(proxy, second, resume=True)
    assert {g: n for g, n in held(proxy).items() if g in SENT} == SENT


def test_a_switch_whose_answer_was_lost_is_finished_on_resume(proxy: Proxy, tmp_path: Path) -> None:
    send(proxy, data(tmp_path, "first", FIRST))
    second = data(tmp_path, "second", SECOND)
    # The server moves the second batch's graphs into place, but its answer never arrives.
    proxy.rule = once(lambda text: "MOVE GRAPH" in text, lambda text: Lost, nth=2)
    with pytest.raises(RemoteError, match=r"being sent or switched: .*g2"):
        send(proxy, second)
    proxy.rule = None
    backup = "urn:x-kg-push:backup:"
    # moved: no staging graph left; the old versions kept until the push ends
    assert {g: n for g, n in held(proxy).items() if not g.startswith(backup)} == SENT
    assert any(g.startswith(backup) for g in held(proxy))
    resumed = send(proxy, second, resume=True)
    assert (resumed.skipped, resumed.found, resumed.replaced) == ([G1], SENT, [G2, G3, G4])
    assert held(proxy) == SENT


def test_a_resumed_push_counts_again_what_was_done(proxy: Proxy, tmp_path: Path) -> None:
    layout = data(tmp_path, "first", FIRST)
    proxy.rule = once(_inserts, lambda text: 500, nth=2)  # the second batch never arrives
    with pytest.raises(RemoteError, match="kg push --resume continues"):
        send(proxy, layout)
    proxy.rule = None
    assert held(proxy) == {G1: 3}
    resumed = send(proxy, layout, resume=True)
    assert (resumed.skipped, resumed.found, held(proxy)) == ([G1], SENT, SENT)


@pytest.mark.parametrize(("lost", "skipped"), [(G1, [G2, G3]), (G3, [G1])])
def test_a_resumed_push_redoes_a_done_batch_the_server_lost(
    proxy: Proxy, tmp_path: Path, lost: str, skipped: list[str]
) -> None:
    layout = data(tmp_path, "first", FIRST)
    proxy.rule = once(_inserts, lambda text: 500, nth=3)  # the third batch never arrives
    with pytest.raises(RemoteError, match="kg push --resume continues"):
        send(proxy, layout)
    proxy.rule = None
    client = SparqlClient(proxy.base + "/query", proxy.base + "/update")
    if lost == G3:  # one triple, as G3 held: gone, it counts 0, not 1
        client.update(f"DROP GRAPH <{G3}>")
    else:
        remove_one(proxy, lost)
    resumed = send(proxy, layout, resume=True)
    assert (resumed.skipped, resumed.found, held(proxy)) == (skipped, SENT, SENT)


def test_a_batch_sent_in_place_and_not_answered_is_cleared_before_it_is_sent_again(
    proxy: Proxy, tmp_path: Path
) -> None:
    layout = data(tmp_path, "first", FIRST)
    # The second batch (g2, g3) arrives but its answer is lost: sent again on resume, g2's blank
    # node would be a second triple unless the graphs are dropped first.
    proxy.rule = once(_inserts, lambda text: Lost, nth=2)
    with pytest.raises(RemoteError, match="kg push --resume continues"):
        send(proxy, layout)
    proxy.rule = None
    assert held(proxy) == {G1: 3, G2: 2, G3: 1}
    resumed = send(proxy, layout, resume=True)
    assert (resumed.skipped, held(proxy)) == ([G1], SENT)


def test_a_batch_sent_again_leaves_the_graphs_it_replaces_alone(
    proxy: Proxy, tmp_path: Path
) -> None:
    send(proxy, data(tmp_path, "first", FIRST))
    second = data(tmp_path, "second", SECOND)
    proxy.rule = once(_inserts, lambda text: Lost, nth=2)  # staged, not answered
    with pytest.raises(RemoteError, match="kg push --resume continues"):
        send(proxy, second)
    # Sent again, the batch arrives short: the push is rolled back, and g2 and g3 hold what they
    # held before (only their staging graphs were cleared for the second sending).
    proxy.rule = once(_inserts, lambda text: tamper_lines(text, "drop"))
    with pytest.raises(PushError, match=r"did not keep what was sent"):
        send(proxy, second, resume=True)
    proxy.rule = None
    counts = held(proxy)
    assert (counts[G2], counts[G3]) == (2, 1)
    client = SparqlClient(proxy.base + "/query")
    assert client.query(f"ASK {{ GRAPH <{G3}> {{ <{EX}h> <{EX}p> <{EX}i> }} }}", "ASK").boolean


def test_a_graph_that_never_arrives_counts_zero(proxy: Proxy, tmp_path: Path) -> None:
    # The second batch's request loses its last triple, g3's only one: g3 is not on the server.
    proxy.rule = once(_inserts, lambda text: tamper_lines(text, "drop"), nth=2)
    with pytest.raises(PushError, match=rf"did not keep .*:\n  {G3} \(sent 1, server holds 0\)\n"):
        send(proxy, data(tmp_path, "first", FIRST))
    proxy.rule = None
    assert held(proxy) == {}


def test_a_push_by_the_graph_store_protocol_sends_no_update_of_data(
    proxy: Proxy, tmp_path: Path
) -> None:
    seen: list[str] = []

    def record(text: str) -> None:
        word = text.split(maxsplit=1)[0].upper() if text.strip() else ""
        seen.append("triples" if word.startswith(("<", "_:")) else word)

    proxy.rule = record
    report = push(
        data(tmp_path, "first", FIRST),
        proxy.base + "/query",
        update=proxy.base + "/update",
        graph_store=proxy.base + "/store",
        batch_triples=3,
    )
    assert (report.found, held(proxy)) == (SENT, SENT)
    # counts, one N-Triples body per graph, and the probe that asks whether updates are taken
    # (it drops a staging graph no data has): no update carries data
    assert set(seen) == {"SELECT", "triples", "DROP"} and seen.count("DROP") == 1
    assert seen.count("triples") == len(SENT)


def test_the_same_data_again_sends_nothing_and_a_changed_graph_alone(
    proxy: Proxy, tmp_path: Path
) -> None:
    send(proxy, data(tmp_path, "first", FIRST))
    bodies: list[str] = []
    proxy.rule = lambda text: bodies.append(text.lstrip().split(maxsplit=1)[0].upper())
    again = send(proxy, data(tmp_path, "again", FIRST))
    # every graph counted and found as the last push left it: no data sent, only counts and the
    # probe asking whether updates are taken
    assert (again.unchanged, again.replaced, again.found) == (sorted(SENT), [], SENT)
    assert set(bodies) <= {"SELECT", "DROP"} and bodies.count("DROP") == 1
    bodies.clear()
    # g3, in the middle batch, changes (same size): it is sent alone; g2 beside it is not
    changed = FIRST.replace("ex:h ex:p ex:i", "ex:h ex:p ex:z")
    third = send(proxy, data(tmp_path, "third", changed))
    assert (third.unchanged, third.replaced, third.found) == ([G1, G2, G4], [G3], SENT)
    assert held(proxy) == SENT


def test_a_resumed_push_counts_its_unchanged_graphs_again(proxy: Proxy, tmp_path: Path) -> None:
    send(proxy, data(tmp_path, "first", FIRST))
    changed = data(tmp_path, "changed", FIRST.replace("ex:h ex:p ex:i", "ex:h ex:p ex:z"))
    proxy.rule = once(lambda text: f"<{EX}z>" in text, lambda text: 500)  # g3's data never lands
    with pytest.raises(RemoteError, match="kg push --resume continues"):
        send(proxy, changed)
    proxy.rule = None
    remove_one(proxy, G1)  # a graph the push found unchanged is changed behind its back
    resumed = send(proxy, changed, resume=True)
    # g1 and g2, one batch of unchanged graphs, are sent again because g1 is short now; g3's
    # batch too; g4 is counted as the push left it, and skipped
    assert (resumed.skipped, resumed.found) == ([G4], SENT)
    assert held(proxy) == SENT
