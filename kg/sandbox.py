"""The one network sandbox: no outbound connection or name lookup, behind two walls.

**The first wall** is an audit hook. Used by the query runner
(:func:`kg.query.run.call_with_deadline`, for the thread that runs a query), by the server
(:mod:`kg.server.front`, for the whole server process and its workers) and by the tests. One hook
is installed per process (audit hooks cannot be removed); it refuses a connection unless its
target is allowed for the calling thread (:func:`no_outbound`) or, failing that, for the process
(:func:`forbid_outbound_connections`). It sees only what Python code does: pyoxigraph makes its
``SERVICE`` calls with its own native HTTP client, out of its reach.

**The second wall** (:func:`wall_off_network`) is a seccomp filter on the thread that runs a
query on a local engine: from then on the kernel refuses that thread (and any thread it starts)
every ``socket()`` call but for Unix sockets, and ``io_uring``, whatever code makes it — Python,
rdflib, or pyoxigraph's native client. A socket that cannot be made cannot connect anywhere. The
query thread is new for every query and ends with it, so nothing else in the process is walled.
It needs Linux on x86-64 or AArch64; elsewhere :func:`second_wall` says it is unavailable and the
static check of :mod:`kg.query.safety` and the audit hook stand alone.
"""

from __future__ import annotations

import sys
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["forbid_outbound_connections", "no_outbound", "second_wall", "wall_off_network"]

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


# ---------------------------------------------------------------- the second wall: seccomp
_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
_SOCKET_CALL = {"x86_64": 41, "aarch64": 198}
_IO_URING_SETUP = 425  # the same number on both
_X32_BIT = 0x40000000  # x86-64's x32 numbering, refused as a whole
_AF_UNIX = 1
_LD, _JEQ, _JGE, _RET = (
    0x20,
    0x15,
    0x35,
    0x06,
)  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_JMP|JGE|K, BPF_RET|K
_ALLOW, _REFUSE = 0x7FFF0000, 0x00050000 | 13  # SECCOMP_RET_ALLOW; SECCOMP_RET_ERRNO | EACCES
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2


def _machine() -> str:
    import platform

    return platform.machine().lower()


def _filter_program(machine: str) -> list[tuple[int, int, int, int]]:
    """The classic-BPF program: refuse ``socket()`` but for ``AF_UNIX``, and ``io_uring``.

    Each instruction is (code, jump if true, jump if false, constant); offsets into
    ``struct seccomp_data`` are 0 (call number), 4 (architecture) and 16 (first argument).
    """
    return [
        (_LD, 0, 0, 4),
        (_JEQ, 1, 0, _AUDIT_ARCH[machine]),  # another architecture's calls: refused
        (_RET, 0, 0, _REFUSE),
        (_LD, 0, 0, 0),
        (_JGE, 0, 1, _X32_BIT),
        (_RET, 0, 0, _REFUSE),
        (_JEQ, 2, 0, _SOCKET_CALL[machine]),  # socket(): look at its domain
        (_JEQ, 0, 4, _IO_URING_SETUP),  # anything else: allowed
        (_RET, 0, 0, _REFUSE),
        (_LD, 0, 0, 16),
        (_JEQ, 1, 0, _AF_UNIX),
        (_RET, 0, 0, _REFUSE),
        (_RET, 0, 0, _ALLOW),
    ]


def second_wall() -> str | None:
    """Why the second wall is unavailable here, or ``None`` when it can be put up."""
    if not sys.platform.startswith("linux"):
        return f"the second wall needs Linux (this is {sys.platform})"
    if _machine() not in _AUDIT_ARCH:
        return f"the second wall needs x86-64 or AArch64 (this is {_machine()})"
    return None


def wall_off_network() -> bool:
    """Refuse every non-Unix socket to the calling thread and the threads it starts, for good.

    Call it only in a thread that does nothing else afterwards (a query thread): the filter
    cannot be lifted. Returns ``False`` (and changes nothing) where the platform has no seccomp
    (:func:`second_wall` says why) or the kernel refuses the filter.
    """
    if second_wall() is not None:
        return False
    import ctypes

    class SockFilter(ctypes.Structure):
        _fields_ = (
            ("code", ctypes.c_ushort),
            ("jt", ctypes.c_ubyte),
            ("jf", ctypes.c_ubyte),
            ("k", ctypes.c_uint32),
        )

    class SockFprog(ctypes.Structure):
        _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter)))

    program = [SockFilter(*step) for step in _filter_program(_machine())]
    instructions = (SockFilter * len(program))(*program)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    fprog = SockFprog(len(program), instructions)
    return bool(libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0)
