"""Fairness per client: one client's queries wait behind its own, not everyone's.

The worker pool (:mod:`kg.server.workers`) has ``size`` workers plus a slow lane of ``lane``
extra ones. :class:`ClientSlots` lets one client address run at most ``size + lane - 1`` jobs at
once, so however many slow queries one client sends, one worker is always left for everyone
else; the client's further jobs wait for its own to finish (up to their deadline, then 503).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from kg.server.workers import JobCancelled, WorkersBusy

__all__ = ["ClientSlots"]

#: How often a job waiting for its client's slot checks whether the client went away.
_POLL = 0.25


class ClientSlots:
    """How many jobs each client address runs at once, capped at ``cap``.

    Args:
        cap: The most jobs one client runs at once.
    """

    def __init__(self, cap: int) -> None:
        self.cap = max(1, cap)
        self._running: Counter[str] = Counter()
        self._changed = threading.Condition()

    @contextmanager
    def hold(self, client: str, timeout: float, gone: threading.Event) -> Iterator[None]:
        """Hold one of ``client``'s slots while the block runs (wait for one first).

        Raises:
            WorkersBusy: No slot of the client's came free within ``timeout`` seconds.
            JobCancelled: ``gone`` was set while waiting.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._running[client] >= self.cap:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise WorkersBusy(
                        f"this client already runs {self.cap} queries at once; "
                        "wait for them, then try again"
                    )
                if gone.is_set():
                    raise JobCancelled("the client went away: its query was not started")
                self._changed.wait(min(remaining, _POLL))
            self._running[client] += 1
        try:
            yield
        finally:
            with self._changed:
                self._running[client] -= 1
                if not self._running[client]:
                    del self._running[client]
                self._changed.notify_all()
