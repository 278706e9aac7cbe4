"""A push by ``LOAD``, in this process: :func:`kg.remote.push.push` against a real Virtuoso.

Only Virtuoso takes ``LOAD`` of N-Quads into named graphs, and a push chooses it by the
server's ``Server`` header (Virtuoso's, on loopback, or with ``--serve-data``). Between the push
and the server stands the proxy of ``test_mutants_push.py``, passing Virtuoso's ``Server``
header on, recording each request's text and, by a rule, changing one: a ``LOAD`` sent to a port
where nothing listens (the server refuses it: it cannot fetch the piece), or an answer lost
after the second ``LOAD`` (the push stops, to be resumed). A second proxy, on 127.0.0.2, is a
Virtuoso elsewhere: the push takes only 127.0.0.1, ``::1`` and ``localhost`` for this machine.

The Virtuoso is :func:`~virtuoso_server.shared_virtuoso`: one for a whole mutation run
(``KG_TEST_VIRTUOSO``, started by ``benchmarks/mutation.py``), a scratch one otherwise. Each test
starts with none of the tests' graphs on it (nor staging or backup graphs), and its push journal
in its own folder. The data is ``test_mutants_push.py``'s: four graphs, nine triples, one blank
node, pushed in batches of at most three triples ([g1], [g2, g3], [g4]).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from oxigraph_server import free_port
from push_proxy import Lost, Proxy, Rule, serving_proxy
from test_mutants_push import EX, FIRST, G1, G2, G3, G4, SECOND, SENT, data
from virtuoso_server import Virtuoso, shared_virtuoso  # noqa: F401 - the fixture, by name

import kg.remote.push as push_module
from kg.data.paths import DataLayout
from kg.errors import UsageError
from kg.remote.client import RemoteError, SparqlClient
from kg.remote.journal import Journal, load_journal
from kg.remote.push import PushError, PushReport, journal_path, push
from kg.remote.staging import BACKUP_PREFIX, STAGING_PREFIX

#: A piece's URL in a ``LOAD``: the push's listener, its token, the piece's number.
PIECE = re.compile(r"LOAD <http://127\.0\.0\.1:(\d+)/([\w-]{32})/(\d+)\.nq>")
#: The graphs a test may leave on the server: the data's, staging and backups.
OURS = (EX, STAGING_PREFIX, BACKUP_PREFIX)


def held(server: Virtuoso) -> dict[str, int]:
    """Triples per graph of :data:`OURS` on the server, asked straight (not through the proxy)."""
    starts = " || ".join(f'STRSTARTS(STR(?g), "{prefix}")' for prefix in OURS)
    where = f"GRAPH ?g {{ ?s ?p ?o }} FILTER({starts})"
    query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ {where} }} GROUP BY ?g"
    rows = SparqlClient(server.sparql).query(query, "SELECT").rows
    return {str(g.value): int(n.value) for g, n in rows}


def holds(server: Virtuoso, graph: str, predicate: str) -> bool:
    """Whether ``graph`` holds a triple of ``predicate`` (``p``: first data, ``r``: second)."""
    client = SparqlClient(server.sparql)
    ask = f"ASK {{ GRAPH <{graph}> {{ ?s <{EX}{predicate}> ?o }} }}"
    return client.query(ask, "ASK").boolean is True


@pytest.fixture
def virtuoso(
    shared_virtuoso: Virtuoso,  # noqa: F811 - the fixture imported by name
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Virtuoso:
    """The Virtuoso, none of :data:`OURS` on it; the push journal in ``tmp_path``."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    graphs = held(shared_virtuoso)
    if graphs:
        SparqlClient(shared_virtuoso.sparql).update(
            " ;\n".join(f"DROP SILENT GRAPH <{name}>" for name in graphs)
        )
    assert held(shared_virtuoso) == {}
    return shared_virtuoso


def proxying(virtuoso: Virtuoso, host: str) -> Iterator[Proxy]:
    """A proxy on ``host`` in front of the Virtuoso, its ``Server`` header passed on."""
    with serving_proxy(int(virtuoso.base.rsplit(":", 1)[1]), host) as server:
        server.passes_server = True
        yield server


@pytest.fixture
def proxy(virtuoso: Virtuoso) -> Iterator[Proxy]:
    """The proxy on 127.0.0.1: a Virtuoso on loopback to the push."""
    yield from proxying(virtuoso, "127.0.0.1")


@pytest.fixture
def remote(virtuoso: Virtuoso) -> Iterator[Proxy]:
    """The proxy on 127.0.0.2: a Virtuoso elsewhere to the push, which takes only 127.0.0.1,
    ``::1`` and ``localhost`` for this machine's own (``kg.remote.loading.LOOPBACK``)."""
    yield from proxying(virtuoso, "127.0.0.2")


def recording(seen: list[str], then: Rule | None = None) -> Rule:
    """A rule that records each request's text in ``seen``, then applies ``then``."""

    def rule(text: str) -> str | int | type[Lost] | None:
        seen.append(text)
        return then(text) if then is not None else None

    return rule


def loads(seen: list[str]) -> list[tuple[int, str, int]]:
    """The pieces of each ``LOAD`` sent, in order: (port, token, number)."""
    return [(int(p), token, int(n)) for t in seen for p, token, n in PIECE.findall(t)]


def to_virtuoso(proxy: Proxy, layout: DataLayout, **options: Any) -> PushReport:
    """:func:`push` through the proxy (its ``/sparql``), in batches of at most three triples."""
    options.setdefault("batch_triples", 3)
    return push(layout, proxy.base + "/sparql", **options)


def journal_of(proxy: Proxy) -> Journal:
    """The journal of the pushes through the proxy."""
    journal = load_journal(Path(journal_path(proxy.base + "/sparql", None)))
    assert journal is not None
    return journal


def urls(pieces: list[tuple[int, str, int]]) -> list[str]:
    """The URLs of ``pieces``."""
    return [f"http://127.0.0.1:{port}/{token}/{number}.nq" for port, token, number in pieces]


def states(journal: Journal) -> list[str]:
    """Each batch's state."""
    return [batch.state for batch in journal.batches]


def test_a_push_to_virtuoso_on_loopback_goes_by_load_and_a_second_replaces_by_load(
    virtuoso: Virtuoso, proxy: Proxy, tmp_path: Path
) -> None:
    seen: list[str] = []
    proxy.rule = recording(seen)
    first = to_virtuoso(proxy, data(tmp_path, "first", FIRST))
    assert (first.sent, first.found, first.replaced, first.unchanged) == (SENT, SENT, [], [])
    assert held(virtuoso) == SENT
    assert holds(virtuoso, G1, "p") and holds(virtuoso, G2, "q")
    pieces = loads(seen)
    assert [(port, number) for port, _, number in pieces] == [(pieces[0][0], n) for n in (1, 2, 3)]
    assert pieces[0][0] != proxy.server_address[1] and len({t for _, t, _ in pieces}) == 1
    assert [t for t in seen if "LOAD" in t] == [f"LOAD <{p}>" for p in urls(pieces)]
    assert not [t for t in seen if t.lstrip().startswith("INSERT")]
    journal = journal_of(proxy)
    assert (journal.mode, journal.outcome, states(journal)) == ("load", "finished", ["done"] * 3)
    assert (journal.graphs, journal.sent, journal.prior) == (
        [G1, G2, G3, G4],
        [3, 2, 1, 3],
        [0] * 4,
    )
    seen.clear()
    second = to_virtuoso(proxy, data(tmp_path, "second", SECOND))
    assert (second.found, second.replaced, second.skipped) == (SENT, [G1, G2, G3, G4], [])
    # what Virtuoso held is counted by grouped queries naming the graphs, not a UNION branch each
    before = seen[: next(i for i, text in enumerate(seen) if text.startswith("LOAD"))]
    counts = [text for text in before if "COUNT(*)" in text]
    assert counts and not [text for text in counts if "UNION" in text]
    assert all(any(f"<{g}>" in text for text in counts) for g in SENT)
    assert held(virtuoso) == SENT  # no staging or backup graph left
    assert holds(virtuoso, G1, "r") and not holds(virtuoso, G1, "p")
    assert holds(virtuoso, G2, "s") and not holds(virtuoso, G2, "q")
    again = loads(seen)
    assert [number for _, _, number in again] == [1, 2, 3]
    assert {token for _, token, _ in again}.isdisjoint({token for _, token, _ in pieces})
    assert not [t for t in seen if t.lstrip().startswith("INSERT")]
    journal = journal_of(proxy)
    assert (journal.mode, journal.outcome, states(journal)) == ("load", "finished", ["done"] * 3)
    assert journal.prior == [3, 2, 1, 3]


def test_a_server_that_does_not_say_virtuoso_gets_sparql_update(
    virtuoso: Virtuoso, proxy: Proxy, tmp_path: Path
) -> None:
    proxy.passes_server = False  # the proxy's own header: Python's http.server
    seen: list[str] = []
    proxy.rule = recording(seen)
    report = to_virtuoso(proxy, data(tmp_path, "first", FIRST))
    assert (report.found, held(virtuoso)) == (SENT, SENT)
    assert loads(seen) == [] and len([t for t in seen if t.lstrip().startswith("INSERT")]) == 3
    assert journal_of(proxy).mode == "update"


def test_sparql_only_sends_by_update_to_virtuoso_too(
    virtuoso: Virtuoso, proxy: Proxy, tmp_path: Path
) -> None:
    seen: list[str] = []
    proxy.rule = recording(seen)
    report = to_virtuoso(proxy, data(tmp_path, "first", FIRST), sparql_only=True)
    assert (report.found, held(virtuoso), loads(seen)) == (SENT, SENT, [])
    assert journal_of(proxy).mode == "update"


@pytest.mark.parametrize(
    ("options", "refusal"),
    [
        ({"sparql_only": True}, "--serve-data is a way to send the data: not with --sparql-only"),
        ({"graph_store": "G"}, "--serve-data is a way to send the data: not with --graph-store"),
    ],
)
def test_serve_data_with_another_way_to_send_is_refused_before_anything_is_sent(
    virtuoso: Virtuoso, proxy: Proxy, tmp_path: Path, options: dict[str, Any], refusal: str
) -> None:
    if "graph_store" in options:
        options = {"graph_store": virtuoso.base + "/sparql-graph-crud"}
    with pytest.raises(UsageError, match=f"^{re.escape(refusal)}$"):
        to_virtuoso(proxy, data(tmp_path, "first", FIRST), serve_data="127.0.0.1", **options)
    assert held(virtuoso) == {}
    assert not Path(journal_path(f"{proxy.base}/sparql", None)).exists()


def test_serve_data_to_a_server_that_does_not_say_virtuoso_is_refused(
    virtuoso: Virtuoso, proxy: Proxy, tmp_path: Path
) -> None:
    proxy.passes_server = False
    with pytest.raises(
        UsageError,
        match=r"^--serve-data is for Virtuoso; http://127\.0\.0\.1:\d+/sparql is BaseHTTP/",
    ):
        to_virtuoso(proxy, data(tmp_path, "first", FIRST), serve_data="127.0.0.1")
    assert held(virtuoso) == {}
    assert not Path(journal_path(f"{proxy.base}/sparql", None)).exists()


def test_a_load_the_server_refuses_stops_the_push_and_it_is_rolled_back(
    virtuoso: Virtuoso, proxy: Proxy, tmp_path: Path
) -> None:
    to_virtuoso(proxy, data(tmp_path, "first", FIRST))
    seen: list[str] = []
    nowhere = free_port()  # the second LOAD names a port where nothing listens

    def elsewhere(text: str) -> str | None:
        if len(loads(seen)) != 2 or not text.startswith("LOAD"):
            return None
        return re.sub(r"127\.0\.0\.1:\d+", f"127.0.0.1:{nowhere}", text)

    proxy.rule = recording(seen, elsewhere)
    with pytest.raises(
        PushError, match=r"^the server refused to LOAD the push's N-Quads"
    ) as refused:
        to_virtuoso(proxy, data(tmp_path, "second", SECOND))
    message = str(refused.value)
    pieces = loads(seen)
    assert re.fullmatch(
        r"the server refused to LOAD the push's N-Quads from http://127\.0\.0\.1:(\d+): "
        rf"{re.escape(proxy.base)}/sparql answered 500: Virtuoso HTCLI Error HC001: Connection "
        r"Error in HTTP Client \(it refuses a file over its \[SPARQL\] MaxDataSourceSize, and "
        r"must reach this machine at that address: --serve-data ADDRESS; or push with "
        r"--sparql-only\)\n"
        rf"rolled back the push to {re.escape(proxy.base)}/sparql: staging dropped, 0 graphs the "
        r"server did not hold removed, 1 replaced graphs restored from their backups; every "
        r"graph holds what it held before",
        message,
    ), message
    assert f"from http://127.0.0.1:{pieces[0][0]}:" in message
    assert [number for _, _, number in pieces] == [1, 2]  # no LOAD after the refused one
    assert refused.value.report is not None and refused.value.report.found == {G1: 3}
    proxy.rule = None
    assert held(virtuoso) == SENT  # the first push's graphs, no staging or backup left
    assert all(holds(virtuoso, g, "p") and not holds(virtuoso, g, "r") for g in SENT)
    journal = journal_of(proxy)
    assert (journal.outcome, states(journal)) == ("rolled back", ["done", "sending", "pending"])


def test_a_refused_load_of_a_first_push_removes_what_it_loaded(
    virtuoso: Virtuoso, proxy: Proxy, tmp_path: Path
) -> None:
    proxy.rule = lambda text: 500 if text.startswith("LOAD") and "/3.nq" in text else None
    with pytest.raises(
        PushError, match=r"^the server refused to LOAD the push's N-Quads"
    ) as refused:
        to_virtuoso(proxy, data(tmp_path, "first", FIRST))
    assert str(refused.value).endswith(
        f"\nrolled back the push to {proxy.base}/sparql: staging dropped, 4 graphs the server did "
        "not hold removed; no graph was replaced: every graph holds what it held before"
    )
    assert "answered 500: refused by the test's proxy (it refuses a file over" in str(refused.value)
    assert held(virtuoso) == {}


def after_second_load(seen: list[str]) -> Rule:
    """Records; the first request that is no ``LOAD`` after the second ``LOAD`` is lost (500)."""
    lost = False

    def rule(text: str) -> int | None:
        nonlocal lost
        if lost or len(loads(seen)) < 2 or text.startswith("LOAD"):
            return None
        lost = True
        return 500

    return recording(seen, rule)


def test_a_push_by_load_that_stopped_is_resumed_by_load(
    virtuoso: Virtuoso, proxy: Proxy, tmp_path: Path
) -> None:
    to_virtuoso(proxy, data(tmp_path, "first", FIRST))
    layout = data(tmp_path, "second", SECOND)
    seen: list[str] = []
    proxy.rule = after_second_load(seen)
    with pytest.raises(RemoteError, match="kg push --resume continues") as stopped:
        to_virtuoso(proxy, layout)
    assert not isinstance(stopped.value, PushError)
    journal = journal_of(proxy)
    assert (journal.mode, journal.outcome, states(journal)) == (
        "load", "running", ["done", "sending", "pending"]
    )  # fmt: skip
    seen.clear()
    proxy.rule = recording(seen)
    resumed = to_virtuoso(proxy, layout, resume=True)
    assert (resumed.skipped, resumed.found, resumed.replaced) == ([G1], SENT, [G2, G3, G4])
    assert [number for _, _, number in loads(seen)] == [1, 2]  # the two batches not done
    assert not [t for t in seen if t.lstrip().startswith("INSERT")]
    assert held(virtuoso) == SENT
    assert all(holds(virtuoso, g, "r") and not holds(virtuoso, g, "p") for g in SENT)
    assert (journal_of(proxy).outcome, states(journal_of(proxy))) == ("finished", ["done"] * 3)


def test_a_virtuoso_not_on_loopback_gets_sparql_update_unless_serve_data_names_an_address(
    virtuoso: Virtuoso, remote: Proxy, tmp_path: Path
) -> None:
    seen: list[str] = []
    remote.rule = recording(seen)
    report = to_virtuoso(remote, data(tmp_path, "first", FIRST))
    assert (report.found, held(virtuoso), loads(seen)) == (SENT, SENT, [])
    assert journal_of(remote).mode == "update"
    port = free_port()
    report = to_virtuoso(remote, data(tmp_path, "second", SECOND), serve_data=f"127.0.0.1:{port}")
    assert (report.found, report.replaced, held(virtuoso)) == (SENT, [G1, G2, G3, G4], SENT)
    assert [(p, n) for p, _, n in loads(seen)] == [(port, 1), (port, 2), (port, 3)]
    assert journal_of(remote).mode == "load"


def test_a_push_by_load_not_on_loopback_is_resumed_with_serve_data_only(
    virtuoso: Virtuoso, remote: Proxy, tmp_path: Path
) -> None:
    layout = data(tmp_path, "first", FIRST)
    seen: list[str] = []
    remote.rule = after_second_load(seen)
    with pytest.raises(RemoteError, match="kg push --resume continues"):
        to_virtuoso(remote, layout, serve_data="127.0.0.1")
    remote.rule = recording(seen)
    with pytest.raises(
        UsageError, match=r"^this push went by LOAD: give --serve-data to resume it$"
    ):
        to_virtuoso(remote, layout, resume=True)
    seen.clear()
    port = free_port()
    resumed = to_virtuoso(remote, layout, resume=True, serve_data=f"127.0.0.1:{port}")
    assert (resumed.skipped, resumed.found, held(virtuoso)) == ([G1], SENT, SENT)
    assert [(p, n) for p, _, n in loads(seen)] == [(port, 1), (port, 2)]


def test_a_batch_by_load_holds_the_triples_of_a_bulk_request(
    virtuoso: Virtuoso, proxy: Proxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """By ``LOAD`` a batch holds ``BULK_TRIPLES`` (as to a dataset store), not ``BATCH_TRIPLES``."""
    monkeypatch.setattr(push_module, "BATCH_TRIPLES", 3)
    monkeypatch.setattr(push_module, "BULK_TRIPLES", 5)
    seen: list[str] = []
    proxy.rule = recording(seen)
    report = to_virtuoso(proxy, data(tmp_path, "first", FIRST), batch_triples=None)
    assert (report.found, held(virtuoso)) == (SENT, SENT)
    journal = journal_of(proxy)
    assert (journal.mode, [(b.start, b.end) for b in journal.batches]) == ("load", [(0, 2), (2, 4)])
    assert [n for _, _, n in loads(seen)] == [1, 2]
