"""The wire under the SPARQL client: one-line errors, and answers read on a byte budget.

:class:`Budgeted` reads an answer's body at most :data:`MAX_ANSWER_BYTES` bytes, and turns a
failed read into a message instead of an exception thrown through a parser: a body cut short
(shorter than its ``Content-Length``, or its chunks) is an incomplete answer, any other failure a
malformed reply. :func:`reply_of` reads what a server says of its answer in the headers (a row
cap it cut it at, an "anytime" answer interrupted by its time limit); :func:`one_line` makes a
server's error page one short line.
"""

from __future__ import annotations

import http.client
import io
import re
import urllib.parse
from typing import Any, NamedTuple

from kg.errors import EnvironmentProblem

__all__ = [
    "MAX_ANSWER_BYTES",
    "MAX_ERROR_CHARS",
    "Budgeted",
    "RemoteError",
    "Reply",
    "malformed",
    "one_line",
    "reply_of",
    "shown",
]

_CHUNK = 1 << 16

#: The most bytes of one answer read off the wire (rows past ``max_rows`` are never read).
MAX_ANSWER_BYTES = 256 << 20
#: How much of a server's error text is relayed.
MAX_ERROR_CHARS = 300
#: Virtuoso's SQL state for an "anytime" answer: partial results, the query stopped by a timeout.
_ANYTIME_STATE = "S1TAT"
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


class RemoteError(EnvironmentProblem, RuntimeError):
    """The server could not be reached, refused the request, or answered in an unknown form.

    Attributes:
        status: The HTTP status the server answered with, when it answered one.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class Reply(NamedTuple):
    """One answer off the wire.

    Attributes:
        body: The body.
        media: Its media type.
        row_cap: The row cap the server says it cut the answer at (``X-SPARQL-MaxRows``).
        anytime: The server's word that the answer is partial, cut by its time limit
            (Virtuoso's "anytime" answers: ``X-SQL-State: S1TAT`` and its ``X-SQL-Message``).
        server: What the server says it is (its ``Server`` header: ``Oxigraph/0.5.13``).
    """

    body: bytes
    media: str
    row_cap: int | None = None
    anytime: str | None = None
    server: str = ""


def one_line(text: str) -> str:
    """A server's error body as one short line: tags stripped, the echoed query cut off."""
    text = _TAG.sub(" ", text)
    for echo in ("SPARQL query:", "SPARQL request:"):  # Virtuoso repeats the whole query
        text = text.split(echo, 1)[0]
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def media_type(response_type: str | None) -> str:
    """The media type of a ``Content-Type`` header, lower-cased, without parameters."""
    return (response_type or "").split(";", 1)[0].strip().lower()


class Budgeted(io.RawIOBase):
    """An answer's body, read at most ``limit`` bytes (then as if it had ended, and said so).

    A body cut short (the server closed before its ``Content-Length`` or its last chunk) ends it
    and is kept in :attr:`cut`: what was read is an incomplete answer. Any other failure while
    reading also ends it; :meth:`check` then raises it as one line.

    Args:
        response: The open HTTP response.
        limit: The most bytes read.
    """

    def __init__(self, response: Any, limit: int) -> None:
        super().__init__()
        self._response = response
        self.limit = limit
        self.left = limit
        self.failure: str | None = None
        self.cut: str | None = None

    def readable(self) -> bool:
        """It can be read."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Read into ``buffer``; 0 at the end, past the budget, or after a failed read."""
        if self.failure is not None or self.cut is not None:
            return 0
        try:
            # at most 64 KiB a read: http.client allocates (and zero-fills) what a read asks for,
            # so a reader that asks for "all it can" would cost the whole budget in memory
            data = self._response.read(min(len(buffer), self.left + 1, _CHUNK))
        except http.client.IncompleteRead as err:  # chunked: closed before the last chunk
            self.cut = "closed the connection before the last chunk of its answer"
            data = err.partial  # what arrived before the cut stands
        except (http.client.HTTPException, OSError) as err:
            self.failure = f"sent a malformed reply ({malformed(err)})"
            return 0
        missing = getattr(self._response, "length", None)  # http.client: bytes still announced
        if not data and buffer and isinstance(missing, int) and missing > 0:
            self.cut = f"sent a body {missing:,} bytes shorter than its Content-Length"
            return 0
        if len(data) > self.left:
            self.failure = (
                f"answered more than {self.limit:,} bytes; ask for less "
                "(LIMIT, or --max-rows: rows past it are never read)"
            )
            return 0
        self.left -= len(data)
        buffer[: len(data)] = data
        return len(data)

    def check(self, where: str) -> None:
        """Raise the failure that ended the reading, if one did.

        Raises:
            RemoteError: Naming ``where`` and what went wrong.
        """
        if self.failure is not None:
            raise RemoteError(f"{where} {self.failure}")


def shown(url: str) -> str:
    """The URL as messages show it: without its query string (never echo the query)."""
    return urllib.parse.urlsplit(url)._replace(query="").geturl()


def malformed(err: BaseException) -> str:
    """An error of a malformed reply, as one line."""
    return one_line(str(err)) or type(err).__name__


def reply_of(response: Any, body: bytes) -> Reply:
    """``body`` with what the headers of ``response`` say of it (media type, cuts)."""
    headers = response.headers
    cap = headers.get("X-SPARQL-MaxRows", "")
    media = media_type(headers.get("Content-Type"))
    anytime = None
    if headers.get("X-SQL-State", "").strip().upper() == _ANYTIME_STATE:
        said = one_line(headers.get("X-SQL-Message", "")).split("Activity:", 1)[0]
        anytime = f"X-SQL-State {_ANYTIME_STATE}: {said.strip(' .') or 'incomplete results'}"
    rows = int(cap) if cap.isascii() and cap.isdigit() else None
    return Reply(body, media, rows, anytime, headers.get("Server", ""))
