"""The pieces of a push by ``LOAD`` made ahead, in a thread, while the server loads the ones before.

The piece server is the real one, on loopback; the ``LOAD`` requests go to a small update
endpoint on loopback that does what Virtuoso's ``LOAD`` does: it fetches each piece's URL over
HTTP and reads it as N-Quads into a pyoxigraph store (a real Virtuoso:
``tests/process/test_virtuoso_load.py`` and ``tests/process/test_push_resume_load.py``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import ClassVar

import pyoxigraph as ox
import pytest
from load_endpoint import Loading, held, loading  # noqa: F401 - loading: the fixture, by name

from kg.remote.client import SparqlClient
from kg.remote.loading import PIECES_AHEAD, Loader, pieces
from kg.remote.piece_server import PieceServer

P = ox.NamedNode("urn:p")


class Seen(list[ox.Triple]):
    """A graph's triples that note which thread reads them (the one that makes their pieces)."""

    by: ClassVar[list[str]] = []

    def __iter__(self) -> Iterator[ox.Triple]:
        self.by.append(threading.current_thread().name)
        return super().__iter__()


def batch(number: int, graphs: int = 3, size: int = 40) -> dict[str, list[ox.Triple]]:
    """``graphs`` graphs of ``size`` triples, one a blank-node component, named by ``number``."""
    parts: dict[str, list[ox.Triple]] = {}
    for g in range(graphs):
        node = ox.BlankNode()
        parts[f"urn:b{number}g{g}"] = Seen(
            [
                *(
                    ox.Triple(ox.NamedNode(f"urn:s{i}"), P, ox.Literal(f"值 {i}"))
                    for i in range(size)
                ),
                ox.Triple(ox.NamedNode(f"urn:b{number}"), P, node),
                ox.Triple(node, P, ox.Literal("x")),
            ]
        )
    return parts


def test_pieces_made_ahead_are_the_pieces_in_order(loading: str) -> None:  # noqa: F811
    batches = [batch(n) for n in range(4)]
    expected = [data for parts in batches for data, _ in pieces(parts, limit=2_000)]
    Seen.by = []
    advanced: list[int] = []
    with PieceServer("127.0.0.1") as files:
        loader = Loader(SparqlClient(loading), files, limit=2_000)  # several pieces a batch
        loader.ahead(batches)
        for parts in batches:
            loader.send(parts, advanced.append)
        loader.close()
        assert files._files.pieces == {}  # each piece served only until it was loaded
    assert len(expected) > 2 * PIECES_AHEAD
    assert Seen.by == ["kg-push-pieces"] * 12  # each graph read once, by the maker
    # byte for byte what pieces() makes, in order: blank nodes keep their labels in a piece
    assert Loading.fetched == expected
    assert held(Loading.store) == {n: len(t) for parts in batches for n, t in parts.items()}
    assert sum(advanced) == sum(len(t) for parts in batches for t in parts.values())


def test_parts_not_expected_are_made_when_sent(loading: str) -> None:  # noqa: F811
    expected, other = batch(1), batch(2)
    Seen.by = []
    with PieceServer("127.0.0.1") as files:
        loader = Loader(SparqlClient(loading), files)
        loader.ahead([expected])
        loader.send(other, lambda _: None)  # not the parts expected next: made here
        loader.send(expected, lambda _: None)  # the expected ones, made ahead
        loader.close()
    assert sorted(Seen.by) == ["MainThread"] * 3 + ["kg-push-pieces"] * 3
    assert Loading.fetched == [data for parts in (other, expected) for data, _ in pieces(parts)]


def test_an_error_making_a_piece_is_raised_by_send_as_it_is(loading: str) -> None:  # noqa: F811
    good, bad = batch(1), {"urn:bad": ["not a triple"]}
    with PieceServer("127.0.0.1") as files:
        loader = Loader(SparqlClient(loading), files)
        said = "'str' object is not an instance of 'Quad'"  # pyoxigraph's, made here
        with pytest.raises(TypeError, match=f"^{re.escape(said)}$"):
            list(pieces(bad))  # type: ignore[arg-type]
        loader.ahead([good, bad])  # type: ignore[list-item]
        loader.send(good, lambda _: None)
        with pytest.raises(TypeError, match=f"^{re.escape(said)}$"):  # made in the thread
            loader.send(bad, lambda _: None)  # type: ignore[arg-type]
        loader.close()
    assert held(Loading.store) == {n: len(t) for n, t in good.items()}


def test_close_stops_the_maker_waiting_with_pieces_made(loading: str) -> None:  # noqa: F811
    batches = [batch(n, graphs=1, size=3) for n in range(3 * PIECES_AHEAD)]
    with PieceServer("127.0.0.1") as files:
        loader = Loader(SparqlClient(loading), files)
        loader.ahead(batches)  # none sent: the maker waits, the queue full
        loader.close()
        assert not any(t.name == "kg-push-pieces" for t in threading.enumerate())
        assert loader._maker is not None and not loader._maker.is_alive()
    assert Loading.fetched == []
