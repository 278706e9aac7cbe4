"""The explorer's projection, built once per server and shared by its workers through a file.

``kg serve`` answers queries as soon as its store is loaded: nothing of the explorer is built
before the workers fork. The first worker asked for an explorer page builds the projection
from the store it already holds (:func:`kg.network.projection.to_networkx` reads it in one
pass) and writes it to a file in the server's private folder; a worker asked later reads that
file instead of building again. A lock file makes the others wait for the first build rather
than start their own. Progress is logged on ``kg.server``.
"""

from __future__ import annotations

import fcntl
import logging
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["SharedProjection", "private_folder"]

log = logging.getLogger("kg.server")


def private_folder() -> Path:
    """A folder only this user reads (mode 0700), removed when the creating process exits."""
    import atexit

    folder = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    owner = os.getpid()

    def remove() -> None:
        if os.getpid() == owner:  # not in a forked worker that happens to exit normally
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)
    return folder


class SharedProjection:
    """The projection, built on first use by one worker and read from a file by the others.

    Args:
        folder: The server's private folder (:func:`private_folder`).
        build: Builds the projection (from the store the worker holds).
    """

    def __init__(self, folder: Path, build: Callable[[], nx.MultiDiGraph]) -> None:
        self.path = folder / "projection.pickle"
        self._lock_path = folder / "projection.lock"
        self._build = build
        self._graph: nx.MultiDiGraph | None = None

    def get(self) -> nx.MultiDiGraph:
        """The projection, kept for this process's life once built or read."""
        if self._graph is None:
            with self._locked():
                self._graph = self._read() if self.path.exists() else self._write()
        return self._graph

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self._lock_path, "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            yield

    def _read(self) -> nx.MultiDiGraph:
        start = time.perf_counter()
        with open(self.path, "rb") as file:
            graph: nx.MultiDiGraph = pickle.load(file)  # our own file, in a 0700 folder
        log.info("explorer: projection read from %s in %.1f s", self.path, _since(start))
        return graph

    def _write(self) -> nx.MultiDiGraph:
        start = time.perf_counter()
        log.info("explorer: building the projection from the loaded store")
        graph = self._build()
        log.info(
            "explorer: projection built, %d nodes and %d edges in %.1f s",
            graph.number_of_nodes(),
            graph.number_of_edges(),
            _since(start),
        )
        part = self.path.with_suffix(".part")
        with open(part, "wb") as file:
            pickle.dump(graph, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(part, self.path)  # whole or not at all: a reader never sees half of it
        return graph


def _since(start: float) -> float:
    return time.perf_counter() - start
