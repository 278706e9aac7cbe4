"""The explorer's projection, built once per server and shared by its workers through a file.

``kg serve`` answers queries as soon as its store is loaded: nothing of the explorer is built
before the workers fork. The first worker asked for an explorer page has the projection built
from the store it already holds (:func:`kg.network.projection.to_networkx` reads it in one
pass), by a child process that writes it to a file in the server's private folder and finishes
even if the worker is stopped at its deadline; every worker then reads that file. A lock file
makes the others wait for the build rather than start their own. Progress is logged on
``kg.server``.
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

__all__ = ["ProjectionFailed", "SharedProjection", "private_folder"]

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
        """Build in a child process, then read what it wrote.

        A worker past its deadline is killed; the child is not, and finishes the build (holding
        the lock), so the next worker asked reads the file instead of starting again.
        """
        log.info("explorer: building the projection from the loaded store")
        pid = os.fork()
        if pid == 0:  # the builder: never returns into the worker's code
            os._exit(self._build_and_save())
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:  # reaped by the kernel (workers ignore SIGCHLD): done
            status = 0
        if status != 0 or not self.path.exists():
            raise ProjectionFailed("the explorer's projection could not be built (see the log)")
        return self._read()

    def _build_and_save(self) -> int:
        """The builder process's work: 0 when the file is written, 1 if not."""
        try:
            start = time.perf_counter()
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
        except BaseException as err:  # reported here; the exit status tells the worker
            log.error("explorer: the projection could not be built: %s", err, exc_info=err)
            return 1
        return 0


class ProjectionFailed(RuntimeError):
    """The builder process ended without writing the projection."""


def _since(start: float) -> float:
    return time.perf_counter() - start
