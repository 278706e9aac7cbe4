"""A push to Virtuoso by ``LOAD``: the server fetches N-Quads pieces and reads them with its loader.

Virtuoso 7.2's SPARQL Update and Graph Store cost it about 60 µs of CPU a triple; ``LOAD <url>``
of an N-Quads file costs it 10–13 µs (its own parser and loader), with exact counts, blank nodes
included, each quad in the graph it names (the staging graphs, or the graphs the server did not
hold). So a push writes each batch as N-Quads pieces, serves them from a one-off
:class:`~kg.remote.piece_server.PieceServer` on this machine, and sends ``LOAD <url>`` for each,
:data:`PIECES_PER_REQUEST` to an update request; then it counts and switches as in every mode.

Limits measured on Virtuoso 7.2.5: it refuses a file over ``[SPARQL] MaxDataSourceSize`` (default
20 MiB), so a piece is at most :data:`PIECE_BYTES`; a ``LOAD`` is not atomic and adds to a graph
(only staging graphs and new graphs are loaded, and counted before anything is switched); each
costs about 5 ms whatever its size (few, big pieces). ``GRANT SPARQL_UPDATE`` suffices.

It is the default for a Virtuoso whose update URL is on loopback (the server reaches this machine
there); for a remote Virtuoso, ``--serve-data ADDRESS`` names an address of this machine it can
reach (a listener opened for the push's duration).
"""

from __future__ import annotations

import collections
import contextlib
import queue
import threading
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence

import pyoxigraph as ox

from kg.errors import UsageError
from kg.remote.chunking import ntriples, split_ntriples
from kg.remote.client import RemoteError, SparqlClient
from kg.remote.piece_server import PieceServer
from kg.remote.staging import post_update

__all__ = ["PIECE_BYTES", "LoadRefused", "Loader", "pieces", "serve_address"]

#: Bytes of one N-Quads piece at most (Virtuoso's default ``MaxDataSourceSize`` is 20 MiB).
PIECE_BYTES = 16 << 20
#: ``LOAD`` operations in one update request.
PIECES_PER_REQUEST = 4
#: Pieces made ahead of the server's ``LOAD`` at most (each at most :data:`PIECE_BYTES`): a
#: request's worth, so that the next request is ready when the server answers one.
PIECES_AHEAD = PIECES_PER_REQUEST
#: Hosts of an update URL on this machine: the server reaches the piece server at 127.0.0.1.
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


class LoadRefused(RuntimeError):
    """The server answered a ``LOAD`` with an error (the push is rolled back)."""


class _Stopped(Exception):
    """The push no longer wants the pieces being made."""


def serve_address(
    update_url: str, server: str, serve_data: str | None, other: str | None = None
) -> tuple[str, int] | None:
    """Where to serve the pieces from, or None to push without ``LOAD``.

    Args:
        update_url: The server's update URL.
        server: What the server says it is (its ``Server`` header).
        serve_data: ``HOST`` or ``HOST:PORT`` given with ``--serve-data``.
        other: The other way to send asked for (``graph-store``, ``sparql-only``), or, for a
            push resumed, the way it went (``load``: it goes on so).

    Raises:
        UsageError: ``--serve-data`` with another way to send, to a server that is not Virtuoso,
            or a wildcard address; a remote push by ``LOAD`` resumed without it.
    """
    if other == "load" and not serve_data:
        if urllib.parse.urlsplit(update_url).hostname in LOOPBACK:
            return "127.0.0.1", 0
        raise UsageError("this push went by LOAD: give --serve-data to resume it")
    if other is not None and other != "load":
        if serve_data:
            raise UsageError(f"--serve-data is a way to send the data: not with --{other}")
        return None
    if not server.startswith("Virtuoso/"):
        if serve_data:
            raise UsageError(f"--serve-data is for Virtuoso; {update_url} is {server or 'not'}")
        return None
    if serve_data:
        parts = urllib.parse.urlsplit("//" + serve_data)
        try:
            host, port = parts.hostname, parts.port or 0
        except ValueError:
            host = None
        if not host or host in {"0.0.0.0", "::"}:
            raise UsageError(
                f"--serve-data {serve_data}: give an address of this machine the server can "
                "reach (HOST or HOST:PORT), not a wildcard"
            )
        return host, port
    if urllib.parse.urlsplit(update_url).hostname in LOOPBACK:
        return "127.0.0.1", 0
    return None


def pieces(parts: Mapping[str, Sequence[ox.Triple]], limit: int = PIECE_BYTES) -> Iterator[
    tuple[bytes, int]
]:  # fmt: skip
    """N-Quads documents of at most ``limit`` bytes and the triples in each.

    Whole graphs where they fit; a larger graph is split at blank-node component borders (blank
    nodes are per document: a component stays in one).
    """
    piece: list[bytes] = []
    size = count = 0
    for destination, triples in parts.items():
        text = ntriples(triples)
        graph = f" <{destination}> .\n".encode()  # a line becomes a quad (as in nquads)
        document = text.replace(b" .\n", graph)
        if len(document) > limit:
            docs = [
                (chunk.replace(b" .\n", graph), number)
                for chunk, number in split_ntriples(text, limit // 2)
            ]
        else:
            docs = [(document, len(triples))]
        for data, number in docs:
            if piece and size + len(data) > limit:
                yield b"".join(piece), count
                piece, size, count = [], 0, 0
            piece.append(data)
            size += len(data)
            count += number
    if piece:
        yield b"".join(piece), count


class Loader:
    """Sends parts by ``LOAD`` of pieces served from ``files``.

    The pieces of the parts to come (:meth:`ahead`) are made in a thread while the server loads
    the ones before: making them is this process's work, loading them the server's, and this
    process only waits for the server's answer meanwhile. At most :data:`PIECES_AHEAD` pieces
    wait made; a piece is served only from its ``LOAD`` request on.

    Args:
        client: The server.
        files: The piece server it fetches from.
        limit: Bytes of a piece at most.
    """

    def __init__(self, client: SparqlClient, files: PieceServer, limit: int = PIECE_BYTES) -> None:
        self.client = client
        self.files = files
        self.limit = limit
        self._coming: collections.deque[Mapping[str, Sequence[ox.Triple]]] = collections.deque()
        self._made: queue.Queue[tuple[bytes, int] | BaseException | None] = queue.Queue(
            PIECES_AHEAD
        )
        self._stop = threading.Event()
        self._maker: threading.Thread | None = None

    def ahead(self, coming: Sequence[Mapping[str, Sequence[ox.Triple]]]) -> None:
        """Start making the pieces of ``coming``, the parts :meth:`send` is given next, in order."""
        self._coming.extend(coming)
        self._maker = threading.Thread(
            target=self._make, args=(list(coming),), name="kg-push-pieces", daemon=True
        )
        self._maker.start()

    def close(self) -> None:
        """Stop making pieces (a push that ends, or stops, makes none more)."""
        self._stop.set()
        if self._maker is not None:
            self._maker.join()

    def _make(self, coming: list[Mapping[str, Sequence[ox.Triple]]]) -> None:
        """The thread: each part's pieces, then ``None``; an error is handed over as it is."""
        try:
            for parts in coming:
                for piece in pieces(parts, self.limit):
                    self._hand(piece)
                self._hand(None)
        except _Stopped:
            return
        except BaseException as err:  # raised in send(), where the push handles it
            with contextlib.suppress(_Stopped):
                self._hand(err)

    def _hand(self, item: tuple[bytes, int] | BaseException | None) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(queue.Full):
                self._made.put(item, timeout=0.1)
                return
        raise _Stopped

    def _pieces(self, parts: Mapping[str, Sequence[ox.Triple]]) -> Iterator[tuple[bytes, int]]:
        """The pieces of ``parts``: made ahead if they are the parts expected next."""
        if not self._coming or self._coming[0].keys() != parts.keys():
            yield from pieces(parts, self.limit)
            return
        self._coming.popleft()
        while (item := self._made.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item

    def send(
        self, parts: Mapping[str, Sequence[ox.Triple]], advance: Callable[[int], None]
    ) -> None:
        """Every ``destination: triples`` part, by ``LOAD``; ``advance`` after each request."""
        request: list[tuple[str, int]] = []
        for data, count in self._pieces(parts):
            request.append((self.files.add(data), count))
            if len(request) >= PIECES_PER_REQUEST:
                self._load(request, advance)
                request = []
        if request:
            self._load(request, advance)

    def _load(self, request: list[tuple[str, int]], advance: Callable[[int], None]) -> None:
        text = " ;\n".join(f"LOAD <{url}>" for url, _ in request)
        try:
            post_update(self.client, text)
        except RemoteError as err:
            if err.status is None:  # unreachable: the push stops, resumable
                raise
            raise LoadRefused(
                f"the server refused to LOAD the push's N-Quads from {self.files.base}: {err} "
                "(it refuses a file over its [SPARQL] MaxDataSourceSize, and must reach this "
                "machine at that address: --serve-data ADDRESS; or push with --sparql-only)"
            ) from None
        finally:
            for url, _ in request:
                self.files.remove(url)
        advance(sum(count for _, count in request))
