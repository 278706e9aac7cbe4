"""A value made on first use, once, whichever thread asks first: the server's name index.

``kg serve`` answers queries as soon as its store is loaded; what only some requests need (the
resolver's index of names, for ``/entity/唐杰``, named-query parameters given as names and
``/ask``) is made by the first request that needs it, in the server process alone (the workers
are given IRIs), and logged with its time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Lazy"]

T = TypeVar("T")
log = logging.getLogger("kg.server")


class Lazy(Generic[T]):
    """``make()``, called once, on the first :meth:`get` (other threads wait for it).

    Args:
        make: Makes the value.
        what: What it is, for the log (``the index of names``).
    """

    def __init__(self, make: Callable[[], T], what: str) -> None:
        self._make = make
        self.what = what
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        """The value, made now if it is the first call."""
        value = self._value
        if value is None:
            with self._lock:
                value = self._value
                if value is None:
                    log.info("%s: made on first use", self.what)
                    start = time.perf_counter()
                    value = self._value = self._make()
                    log.info("%s: made in %.1f s", self.what, time.perf_counter() - start)
        return value
