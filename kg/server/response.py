"""What both sides of the server share: an :class:`Answer` (status, media type, body).

The HTTP side (:mod:`kg.server.protocol`, :mod:`kg.server.app`) and the worker side
(:mod:`kg.server.answers`) both import from here, never from each other's modules.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["HTML", "TEXT", "Answer"]

TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Answer:
    """A response body, ready to send.

    Attributes:
        status: The HTTP status.
        media_type: The ``Content-Type``.
        body: The bytes.
        truncated: True when the row cap cut the result short.
        varies: True when the same request may get another answer on another run (``NOW()``,
            ``RAND()``, fresh or relabelled blank nodes): it gets no ``ETag`` and is not stored.
    """

    status: int
    media_type: str
    body: bytes
    truncated: bool = False
    varies: bool = False

    @classmethod
    def text(cls, status: int, message: str) -> Answer:
        """A plain-text answer (errors)."""
        return cls(status, TEXT, message.encode("utf-8") + b"\n")


#: The Content-Security-Policy of every answer (the explorer adds its inline scripts' hashes).
CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
