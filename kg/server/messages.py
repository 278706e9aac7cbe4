"""One HTTP request as the front read it, and the response the app hands back."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Request", "Response"]


@dataclass(frozen=True)
class Request:
    """One HTTP request, as the front read it.

    Attributes:
        method: The method, upper case.
        target: The request target (path and query string).
        headers: Header values by lower-case name.
        body: The body (empty when none was sent).
        client: The client's address.
        gone: Set by the front when the client closes its connection before the answer: the
            request's work is then given up.
    """

    method: str
    target: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    client: str = ""
    gone: threading.Event = field(default_factory=threading.Event, compare=False, repr=False)

    def header(self, name: str) -> str | None:
        """A header's value (``name`` in any case), or ``None``."""
        return self.headers.get(name.lower())


@dataclass
class Response:
    """What to send back.

    Attributes:
        status: The HTTP status.
        headers: Every header but ``Content-Length``, ``Connection``, ``Date`` and ``Server``.
        body: The body (the front leaves it out for ``HEAD``).
        close: True when the connection must close after it.
    """

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    close: bool = False
