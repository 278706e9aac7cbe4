"""The explorer's projection, built once per server and shared by its workers through files.

``kg serve`` answers queries as soon as its store is loaded: nothing of the explorer is built
before the workers fork. Right after the load, :meth:`SharedProjection.start` forks a *builder*
process (at a lower priority) that reads the loaded store
(:func:`kg.network.projection.to_networkx`, one pass) while the server goes on starting. It
writes, in the server's private folder, the default explorer page in Chinese (the overview),
then the projection, then the page in English. A worker asked for the overview sends that file
as it is, holding no projection; a worker asked for a focus or a path reads the projection's
file once. Given a *sketch* (the overview drawn from the store's outline,
:mod:`kg.network.outline`, for a graph too large for the projection to come quickly), the
builder writes that page first, then the projection's file, then the full pages over it.
Two lock files, held by the builder until the overview, and until the projection's
file, are written, make workers wait for them rather than build their own. Without a builder
(none was started, or it failed), the first worker that needs the projection has one built the
same way, by a child process that finishes even if the worker is stopped at its deadline.
Progress is logged on ``kg.server`` and ``kg.progress``.
"""

from __future__ import annotations

import atexit
import fcntl
import gc
import logging
import os
import pickle
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from kg.data.output import write_text
from kg.progress import progress

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Overview", "ProjectionFailed", "SharedProjection", "private_folder"]

log = logging.getLogger("kg.server")


#: How much lower the builder's scheduling priority is than the server's (``nice``).
BUILDER_NICENESS = 5
#: Seconds between two looks at a lock a builder holds (see :meth:`SharedProjection.building`).
BUILDING_POLL = 0.1
#: The languages of the default page the builder writes, the default (the server's) first.
PAGE_LANGUAGES = ("zh", "en")


def private_folder() -> Path:
    """A folder only this user reads (mode 0700), removed when the creating process exits."""
    folder = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    owner = os.getpid()

    def remove() -> None:
        if os.getpid() == owner:  # not in a forked worker that happens to exit normally
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)
    return folder


class SharedProjection:
    """The projection, built once (by :meth:`start`'s builder or one worker), read from a file.

    Args:
        folder: The server's private folder (:func:`private_folder`).
        build: Builds the projection (from the store the process holds).
        render: The default explorer page of a projection in a language (HTML), written by the
            builder of :meth:`start`; ``None``: no page is written.
        sketch: The default page in a language drawn without the projection, written by the
            builder before it builds the projection; ``None`` from it (a small graph): none.
    """

    def __init__(
        self,
        folder: Path,
        build: Callable[[], nx.MultiDiGraph],
        render: Callable[[nx.MultiDiGraph, str], str] | None = None,
        sketch: Callable[[str], str | None] | None = None,
    ) -> None:
        self.path = folder / "projection.pickle"
        self.folder = folder
        self._lock_path = folder / "projection.lock"
        self._page_lock_path = folder / "overview.lock"
        self._build = build
        self._render = render
        self._sketch = sketch
        self._graph: nx.MultiDiGraph | None = None
        self._server_alive: int | None = None  # a pipe's write end, never written

    def start(self) -> None:
        """Fork the builder now; it holds the lock until the projection and first page are written.

        Call it before the process starts any thread (it forks). The builder is forked twice,
        so that it is no child of this process (whose children are its worker factory); it
        stops as soon as this process and every process forked from it after this call (the
        factory, the workers) have ended: they hold the write end of a pipe it watches.
        """
        # held by the builder once this process closes them: the overview's, the projection's
        locks = [open(path, "a+b") for path in (self._page_lock_path, self._lock_path)]  # noqa: SIM115
        for lock in locks:
            fcntl.flock(lock, fcntl.LOCK_EX)
        watched, self._server_alive = os.pipe()
        log.info("explorer: building the projection from the loaded store, in the background")
        sys.stdout.flush()
        sys.stderr.flush()
        middle = os.fork()
        if middle == 0:  # never returns into the server's code
            code = 0
            try:
                if os.fork() == 0:  # the builder
                    os.close(self._server_alive)
                    code = self._builder_main(locks[0], locks[1], watched)
            finally:
                os._exit(code)
        os.close(watched)
        for lock in locks:
            lock.close()
        os.waitpid(middle, 0)

    def _builder_main(self, page_lock: BinaryIO, lock: BinaryIO, watched: int) -> int:
        """Sketch, projection, file, pages; or projection, Chinese overview, file, English.

        The overview's lock is let go once there is an overview (sketched or full), the
        projection's once its file is written.
        """
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to act on
        os.nice(BUILDER_NICENESS)  # the cores serve queries first
        threading.Thread(target=_exit_on_eof, args=(watched,), daemon=True).start()
        first, *others = PAGE_LANGUAGES
        with progress(2 + len(PAGE_LANGUAGES), "building the explorer", unit="steps") as bar:
            sketched = self._save_sketch(first)
            if sketched:
                page_lock.close()  # the sketched overview is there
            bar.advance()
            graph = self._built()
            bar.advance()
            if graph is None:
                return 1
            # the projection's millions of objects live as long as this process: the collector
            # need not walk them again while the pages are rendered (15–25% of their time)
            gc.freeze()
            if not sketched:
                self._save_page(graph, first)
                page_lock.close()  # the overview is there (or a worker renders it)
            saved = self._saved(graph)
            lock.close()  # the file for a focus or a path is there (or a worker builds it)
            if not sketched:
                bar.advance()  # the overview and the file
            for lang in PAGE_LANGUAGES if sketched else others:
                self._save_page(graph, lang)  # over the sketch: the full page
                bar.advance()
        return 0 if saved else 1

    def _save_sketch(self, lang: str) -> bool:
        """Whether the sketched overview in ``lang`` was written."""
        if self._sketch is None:
            return False
        start = time.perf_counter()
        try:
            page = self._sketch(lang)
            if page is None:  # small enough: the full overview comes as soon
                return False
            write_text(self._outline_path(lang), page)
        except Exception as err:  # the full page comes later
            log.error(
                "explorer: the %s outline page could not be written: %s", lang, err, exc_info=err
            )
            return False
        log.info("explorer: the %s outline page written in %.1f s", lang, _since(start))
        return True

    def building(self, overview: bool, wait: float) -> bool:
        """Whether the overview (``overview``) or else the projection is still being built.

        True while a builder (or another worker's build) holds the lock this would wait for,
        after waiting for it up to ``wait`` seconds (a small graph is built in that time).
        """
        first = PAGE_LANGUAGES[0]
        written = self._page_path(first).exists() or self._outline_path(first).exists()
        if self._graph is not None or (overview and written):
            return False
        until = time.monotonic() + wait
        with open(self._page_lock_path if overview else self._lock_path, "a+b") as lock:
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    if time.monotonic() >= until:
                        return True
                    time.sleep(BUILDING_POLL)
                else:
                    return False

    def page(self, lang: str) -> Overview | None:
        """The default page in ``lang`` as the builder wrote it, once written; else ``None``.

        The full page once it is there, else the outline (``Overview.outline``: it will change).
        """
        full, outline = self._page_path(lang), self._outline_path(lang)
        if not full.exists() and not outline.exists():
            with self._locked(self._page_lock_path):  # a builder may be writing one
                pass
        for path, sketched in ((full, False), (outline, True)):
            try:
                return Overview(path.read_bytes(), sketched)
            except FileNotFoundError:
                continue
        return None

    def _page_path(self, lang: str) -> Path:
        return self.folder / f"explore-{lang}.html"

    def _outline_path(self, lang: str) -> Path:
        return self.folder / f"explore-{lang}.outline.html"

    def _save_page(self, graph: nx.MultiDiGraph, lang: str) -> None:
        if self._render is None:
            return
        start = time.perf_counter()
        try:
            write_text(self._page_path(lang), self._render(graph, lang))
        except Exception as err:  # the workers render it themselves, and say why it failed
            log.error("explorer: the %s page could not be written: %s", lang, err, exc_info=err)
            return
        log.info("explorer: the %s overview page written in %.1f s", lang, _since(start))

    def get(self) -> nx.MultiDiGraph:
        """The projection, kept for this process's life once built or read."""
        if self._graph is None:
            with self._locked():
                self._graph = self._read() if self.path.exists() else self._write()
        return self._graph

    @contextmanager
    def _locked(self, path: Path | None = None) -> Iterator[None]:
        with open(path or self._lock_path, "a+b") as lock:
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
            os._exit(0 if self._build_and_save() is not None else 1)
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:  # reaped by the kernel (workers ignore SIGCHLD): done
            status = 0
        if status != 0 or not self.path.exists():
            raise ProjectionFailed("the explorer's projection could not be built (see the log)")
        return self._read()

    def _build_and_save(self) -> nx.MultiDiGraph | None:
        """The builder process's work: the projection once its file is written, else ``None``."""
        graph = self._built()
        return graph if graph is not None and self._saved(graph) else None

    def _built(self) -> nx.MultiDiGraph | None:
        """The projection, or ``None`` if it could not be built (logged)."""
        try:
            start = time.perf_counter()
            graph = self._build()
        except BaseException as err:  # reported here; the exit status tells the worker
            log.error("explorer: the projection could not be built: %s", err, exc_info=err)
            return None
        log.info(
            "explorer: projection built, %d nodes and %d edges in %.1f s",
            graph.number_of_nodes(),
            graph.number_of_edges(),
            _since(start),
        )
        return graph

    def _saved(self, graph: nx.MultiDiGraph) -> bool:
        """Whether the projection's file could be written (whole, or not at all)."""
        start = time.perf_counter()
        part = self.path.with_suffix(".part")
        try:
            with open(part, "wb") as file:
                pickle.dump(graph, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(part, self.path)  # a reader never sees half of it
        except BaseException as err:  # reported here; the exit status tells the worker
            log.error("explorer: the projection could not be written: %s", err, exc_info=err)
            return False
        log.info("explorer: projection written in %.1f s", _since(start))
        return True


class Overview(NamedTuple):
    """A default explorer page as the builder wrote it.

    Attributes:
        body: The page.
        outline: Drawn from the outline: the full page will take its place (not to be cached).

    """

    body: bytes
    outline: bool


class ProjectionFailed(RuntimeError):
    """The builder process ended without writing the projection."""


def _exit_on_eof(fd: int) -> None:
    """Wait until every write end of the pipe ``fd`` reads from is closed, then end the process."""
    while os.read(fd, 1):
        pass
    os._exit(1)


def _since(start: float) -> float:
    return time.perf_counter() - start
