"""The one network sandbox: no outbound connection or name lookup, by an audit hook.

Used by the query runner (:func:`kg.query.run.call_with_deadline`, for the thread that runs a
query), by the server (:mod:`kg.server.front`, for the whole server process and its workers) and
by the tests. One hook is installed per process (audit hooks cannot be removed); it refuses a
connection unless its target is allowed for the calling thread (:func:`no_outbound`) or, failing
that, for the process (:func:`forbid_outbound_connections`).
"""

from __future__ import annotations

import sys
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["forbid_outbound_connections", "no_outbound"]

_NETWORK_EVENTS = frozenset(
    {
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.sendto",
        "socket.sendmsg",
        "urllib.Request",
    }
)
_thread = threading.local()
_lock = threading.Lock()
_installed = False
_process_allowed: frozenset[str] | None = None


def _target(event: str, args: tuple[Any, ...]) -> str | None:
    """The host an audited call wants to reach; ``None`` when it reaches none."""
    if event == "urllib.Request":
        return urllib.parse.urlsplit(str(args[0])).hostname or ""
    if event.startswith("socket.get"):
        return str(args[0])
    address = args[1] if len(args) > 1 else None
    if address is None:  # sendmsg/sendto on a connected socket (socket pairs)
        return None
    if isinstance(address, tuple) and address:
        return str(address[0])
    return str(address)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event not in _NETWORK_EVENTS:
        return
    allowed: frozenset[str] | None = getattr(_thread, "allowed", None)
    if allowed is None:
        allowed = _process_allowed
    if allowed is None:
        return
    target = _target(event, args)
    if target is not None and target not in allowed:
        raise PermissionError(f"kg makes no outbound connections (refused {target!r})")


def _install() -> None:
    global _installed
    with _lock:
        if not _installed:
            sys.addaudithook(_hook)
            _installed = True


def forbid_outbound_connections(allowed_hosts: frozenset[str] = frozenset()) -> None:
    """From now on, refuse every outbound connection and name lookup of this process.

    Call it only in a process whose job is to serve: it cannot be undone. Forked children
    inherit it. Connections to ``allowed_hosts`` (a relayed SPARQL endpoint) stay allowed.
    """
    global _process_allowed
    _install()
    _process_allowed = allowed_hosts


@contextmanager
def no_outbound(allowed_hosts: frozenset[str] = frozenset()) -> Iterator[None]:
    """Refuse outbound connections of the calling thread (but to ``allowed_hosts``) inside."""
    _install()
    previous = getattr(_thread, "allowed", None)
    _thread.allowed = allowed_hosts
    try:
        yield
    finally:
        _thread.allowed = previous
