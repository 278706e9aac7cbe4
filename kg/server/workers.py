"""A pool of worker processes that can be stopped: the server's deadline is a ``SIGKILL``.

A thread cannot stop a running query (rdflib ignores it; pyoxigraph runs natively), so every job
runs in a worker *process*, and a job that outlives its deadline is ended by killing its worker
and forking a replacement. One bad query never holds up the others.

Layout, all on one machine::

    server process (threads)  ──control socket──>  factory process  ──fork──>  worker, worker …
          └─────────────── one socket pair per worker (jobs in, answers out) ──────┘

The factory is forked from the server process *before* the server starts any thread, right after
the data was loaded, so it holds the data; every worker it forks shares that memory
copy-on-write and starts in milliseconds. (Forking the threaded server process itself would copy
locks that other threads hold.) The factory hands each new worker's socket to the server over
the control socket (``SCM_RIGHTS``); it ignores ``SIGCHLD`` so killed workers are reaped by the
kernel. Factory and workers exit when the server's end of their socket closes.

Health: a worker whose socket has closed (it died while idle) is replaced before a job is sent
to it; :meth:`WorkerPool.healthy` says whether the factory still runs (the server checks it and
exits non-zero when it does not: a supervisor restarts it).

Fairness: :func:`default_size` gives twice as many workers as cores (at least 4), so a slow query
or two (each bounded by the deadline) leave workers free for cheap ones; the operating system
shares the cores among them. On top of that, a *slow lane*: while some job has run longer than
:data:`SLOW_SECONDS`, a job that finds no free worker gets an extra one forked for it (up to
``lane`` extra workers; each is stopped once its job is done), so slow queries cannot hold every
worker that cheap ones need.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import select
import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kg.errors import EnvironmentProblem

__all__ = [
    "JobCancelled",
    "JobFailed",
    "WorkerError",
    "WorkerPool",
    "WorkerTimeout",
    "WorkersBusy",
    "default_size",
]

Handler = Callable[[Any], Any]
#: A job running longer than this opens the slow lane (see *Fairness*).
SLOW_SECONDS = 1.0
#: How often a running job checks whether its caller gave it up.
CANCEL_POLL = 0.1
_HEADER = struct.Struct("!Q")
_PID = struct.Struct("!i")


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def default_size() -> int:
    """The default number of workers: twice the cores, at least 4 (see *Fairness* above)."""
    return max(4, 2 * cores())


class WorkerError(EnvironmentProblem, RuntimeError):
    """A worker died mid-job, or the pool can no longer make workers."""

    http_status = 500


class WorkerTimeout(EnvironmentProblem, TimeoutError):
    """The job missed its deadline (its worker was killed and replaced), or no worker was free."""


class WorkersBusy(WorkerTimeout):
    """No worker became free within the job's deadline."""


class JobCancelled(EnvironmentProblem):
    """The caller gave the job up (its client went away): the worker was killed and replaced."""

    http_status = 499  # "client closed request": nobody reads the answer


class JobFailed(EnvironmentProblem, RuntimeError):
    """The handler raised in the worker; the message is its ``Type: message``."""

    http_status = 500


# ---------------------------------------------------------------- framing
def _send(sock: socket.socket, value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_HEADER.pack(len(data)) + data)


def _recv_exactly(sock: socket.socket, size: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    missing = size
    while missing:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            sock.settimeout(remaining)
        chunk = sock.recv(min(missing, 1 << 20))
        if not chunk:
            raise EOFError("the other end closed")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _recv(sock: socket.socket, deadline: float | None = None) -> Any:
    (size,) = _HEADER.unpack(_recv_exactly(sock, _HEADER.size, deadline))
    return pickle.loads(_recv_exactly(sock, size, deadline))


def _wait_for_answer(sock: socket.socket, deadline: float | None, cancel: threading.Event) -> None:
    """Return once the worker starts answering; raise when the deadline passes or on cancel."""
    while True:
        remaining = CANCEL_POLL if deadline is None else deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        if select.select([sock], [], [], min(remaining, CANCEL_POLL))[0]:
            return
        if cancel.is_set():
            raise JobCancelled("the client went away: its query was stopped")


# ---------------------------------------------------------------- the processes
def _quiet_signals() -> None:
    """Ctrl-C reaches the whole process group: only the server process acts on it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _worker_main(sock: socket.socket, handler: Handler) -> None:
    while True:
        try:
            job = _recv(sock)
        except (EOFError, OSError):
            return
        try:
            reply: tuple[bool, Any] = (True, handler(job))
        except Exception as err:  # reported to the server (500); the traceback is logged here
            logging.getLogger("kg.server").error("worker: the job failed", exc_info=err)
            reply = (False, f"{type(err).__name__}: {err}")
        try:
            _send(sock, reply)
        except OSError:
            return


def _factory_main(control: socket.socket, handler: Handler) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps killed workers
    while control.recv(1):
        server_end, worker_end = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            control.close()
            server_end.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            _worker_main(worker_end, handler)
            os._exit(0)
        worker_end.close()
        socket.send_fds(control, [_PID.pack(pid)], [server_end.fileno()])
        server_end.close()


@dataclass(eq=False)
class _Worker:
    pid: int
    sock: socket.socket
    extra: bool = False

    def alive(self) -> bool:
        """False when the worker's end of the socket has closed (an idle worker never writes)."""
        if self.sock.fileno() < 0:
            return False
        ready, _, _ = select.select([self.sock], [], [], 0)
        return not ready

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.sock.close()


class WorkerPool:
    """``size`` worker processes running ``handler(job)``, each job under a deadline.

    Create the pool before the calling process starts any thread (it forks). Jobs and answers
    travel pickled, so both must be picklable.

    Args:
        handler: What a worker does with a job; runs in the workers, with everything the
            calling process held when the pool was created.
        size: How many jobs run at once.
        initializer: Run once in the factory process before any worker is forked (workers
            inherit its effects), e.g. :func:`kg.sandbox.forbid_outbound_connections`.
        lane: Extra workers the slow lane may fork (see *Fairness*); 0: none.
    """

    def __init__(
        self,
        handler: Handler,
        size: int,
        initializer: Callable[[], None] | None = None,
        lane: int = 0,
    ) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.size = size
        self.lane = lane
        self._extra = 0
        self._started: dict[_Worker, float] = {}
        self._busy_lock = threading.Lock()
        self._control, factory_end = socket.socketpair()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            self._control.close()
            code = 0
            try:
                _quiet_signals()
                if initializer is not None:
                    initializer()
                _factory_main(factory_end, handler)
            except BaseException:  # the factory must never run the server's code
                code = 1
            finally:
                os._exit(code)
        factory_end.close()
        self._factory_pid = pid
        self._spawn_lock = threading.Lock()
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._all: set[_Worker] = set()
        self._closed = False
        self._factory_exit: int | None = None
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        with self._spawn_lock:
            if self._closed:
                raise WorkerError("the pool is closed")
            try:
                self._control.sendall(b"w")
                message, fds, _flags, _address = socket.recv_fds(self._control, _PID.size, 1)
            except OSError as err:
                raise WorkerError(f"cannot start a worker: {err}") from err
            if len(fds) != 1 or len(message) != _PID.size:
                raise WorkerError("the worker factory has stopped")
            worker = _Worker(_PID.unpack(message)[0], socket.socket(fileno=fds[0]))
            self._all.add(worker)
            return worker

    def _retire(self, worker: _Worker) -> None:
        """Kill ``worker`` and put a fresh one in its place (if the factory still can)."""
        worker.kill()
        with self._spawn_lock:
            self._all.discard(worker)
        if worker.extra:
            with self._busy_lock:
                self._extra -= 1
            return
        if not self._closed:
            with contextlib.suppress(WorkerError):  # healthy() now says False
                self._idle.put(self._spawn())

    def healthy(self) -> bool:
        """True while the pool is open and its factory process runs."""
        if self._closed or self._factory_exit is not None:
            return False
        try:
            pid, status = os.waitpid(self._factory_pid, os.WNOHANG)
        except ChildProcessError:
            pid, status = self._factory_pid, 0
        if pid == 0:
            return True
        self._factory_exit = status
        return False

    def _take(self, timeout: float | None) -> _Worker:
        """A free, live worker (dead idle ones are replaced on the way)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            worker = self._free_or_extra()
            while worker is None:
                remaining = 1.0 if deadline is None else deadline - time.monotonic()
                if remaining <= 0:
                    raise WorkersBusy(
                        f"all {self.size} workers stayed busy for {timeout:g} s; try again later"
                    )
                try:
                    worker = self._idle.get(timeout=min(remaining, 0.25))
                except queue.Empty:
                    worker = self._free_or_extra()
            if worker.alive():
                return worker
            self._retire(worker)
            if not self.healthy():
                raise WorkerError("the worker factory has stopped; the server is shutting down")

    def _free_or_extra(self) -> _Worker | None:
        """An idle worker, else an extra one if the slow lane is open, else ``None``."""
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        now = time.monotonic()
        with self._busy_lock:
            slow = any(now - started >= SLOW_SECONDS for started in self._started.values())
            if not slow or self._extra >= self.lane:
                return None
            self._extra += 1
        try:
            worker = self._spawn()
        except WorkerError:
            with self._busy_lock:
                self._extra -= 1
            return None
        worker.extra = True
        return worker

    def _release(self, worker: _Worker) -> None:
        """Put a worker back after a job (an extra one is stopped instead)."""
        if worker.extra:
            self._retire(worker)
        else:
            self._idle.put(worker)

    def call(
        self, job: object, timeout: float | None, cancel: threading.Event | None = None
    ) -> Any:
        """Run ``job`` in a free worker and return the handler's answer.

        Args:
            job: The handler's argument.
            timeout: Seconds the job may run once a worker has it (``None``: no limit). Waiting
                for a free worker is bounded by the same number of seconds.
            cancel: Set by the caller to give the job up: its worker is killed and replaced
                (checked every :data:`CANCEL_POLL` seconds while the job runs).

        Raises:
            WorkerTimeout: The deadline passed (the worker was killed and replaced).
            WorkersBusy: No worker became free in time.
            JobCancelled: ``cancel`` was set.
            JobFailed: The handler raised an exception.
            WorkerError: The worker died, or the pool is closed.
        """
        worker = self._take(timeout)
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._busy_lock:
            self._started[worker] = time.monotonic()
        try:
            worker.sock.settimeout(None)  # the last job's deadline no longer applies
            _send(worker.sock, job)
            if cancel is not None:
                _wait_for_answer(worker.sock, deadline, cancel)
            ok, value = _recv(worker.sock, deadline)
        except JobCancelled:
            self._retire(worker)
            raise
        except TimeoutError:
            self._retire(worker)
            raise WorkerTimeout(
                f"query stopped at its deadline of {timeout:g} s (kg serve --timeout)"
            ) from None
        except (EOFError, OSError, pickle.UnpicklingError) as err:
            self._retire(worker)
            raise WorkerError(f"the worker stopped unexpectedly ({err or 'no answer'})") from None
        finally:
            with self._busy_lock:
                self._started.pop(worker, None)
        self._release(worker)
        if not ok:
            raise JobFailed(value)
        return value

    def close(self) -> None:
        """Stop the factory and every worker (idempotent)."""
        with self._spawn_lock:
            if self._closed:
                return
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()
        self._control.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._factory_pid, 0)
