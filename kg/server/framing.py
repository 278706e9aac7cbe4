"""HTTP/1.1 framing for the front: read heads and bodies on a budget, parse, encode, close.

Heads and bodies are read within one memory budget shared by every connection (:class:`Budget`);
a head is parsed into method, target and headers; an answer is encoded; an error answer is
followed by a gentle close.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import http
import time

from kg.server.messages import Response
from kg.server.status import HttpError

HEAD_END = b"\r\n\r\n"
#: How much the front reads off a socket at once (and the most asyncio buffers per connection).
READ_SIZE = 16 << 10
BUSY = "server busy: too many unfinished requests at once; try again later"
_PHRASES = {s.value: s.phrase for s in http.HTTPStatus}
#: After an error answer, how long and how much unread input is drained before closing.
LINGER_SECONDS = 2.0
LINGER_BYTES = 4 << 20


async def drain(writer: asyncio.StreamWriter, timeout: float) -> None:
    """Wait until the answer is handed to the kernel, for at most ``timeout`` seconds."""
    if writer.transport.get_write_buffer_size():
        async with asyncio.timeout(timeout):
            await writer.drain()


async def linger(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Close gently after an error answer to a request not read to its end.

    Closing a socket with unread input makes the kernel reset the connection, and the client
    may then lose the answer it was sent (a 431 to a huge head, a 413 to a huge body). So: stop
    sending, then read and drop what the client still sends, for at most
    :data:`LINGER_SECONDS` and :data:`LINGER_BYTES`, before the caller closes.
    """
    with contextlib.suppress(Exception):
        if writer.can_write_eof():
            writer.write_eof()
        dropped = 0
        async with asyncio.timeout(LINGER_SECONDS):
            while dropped < LINGER_BYTES and (chunk := await reader.read(65536)):
                dropped += len(chunk)


class Budget:
    """Bytes held by unfinished requests across every connection (heads, bodies being read).

    Past ``limit``, the request that asks for more is answered 503.

    Args:
        limit: The budget, in bytes.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.held = 0

    def take(self, size: int) -> None:
        """Hold ``size`` more bytes.

        Raises:
            HttpError: 503 when the budget would be exceeded (nothing is held then).
        """
        if self.held + size > self.limit:
            raise HttpError(503, BUSY)
        self.held += size

    def give(self, size: int) -> None:
        """Release ``size`` bytes."""
        self.held -= size


async def read_head(
    reader: asyncio.StreamReader, pending: bytearray, budget: Budget, max_bytes: int
) -> bytes:
    """The next request head (through its blank line); what follows it stays in ``pending``.

    The head is kept as the chunks read (all of one size, so that memory freed by one
    connection serves the next) and joined once complete; every byte held while it is
    incomplete counts against ``budget``.

    Raises:
        HttpError: 431 for a head over ``max_bytes``, 503 when the budget is spent.
        asyncio.IncompleteReadError: The client closed first.
    """
    end = pending.find(HEAD_END)
    if end >= 0:
        head = bytes(pending[: end + len(HEAD_END)])
        del pending[: end + len(HEAD_END)]
        return head
    chunks = [bytes(pending)]
    pending.clear()
    size, held, tail = len(chunks[0]), 0, chunks[0][-3:]
    try:
        while True:
            if size > max_bytes:
                raise HttpError(431, "request header fields too large")
            chunk = await reader.read(READ_SIZE)
            if not chunk:
                raise asyncio.IncompleteReadError(b"", None)
            budget.take(len(chunk))
            held += len(chunk)
            window = tail + chunk
            found = window.find(HEAD_END)
            if found >= 0:  # it ends in this chunk (it would have been found in the tail before)
                cut = found + len(HEAD_END) - len(tail)
                chunks.append(chunk[:cut])
                pending += chunk[cut:]
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            tail = window[-3:]
    finally:
        budget.give(held)
        chunks.clear()  # an error's traceback keeps this frame alive while the client lingers


async def read_body(
    reader: asyncio.StreamReader, pending: bytearray, length: int, budget: Budget
) -> bytes:
    """A body of ``length`` bytes: what ``pending`` holds of it, then the rest off the socket.

    Raises:
        HttpError: 503 when the budget cannot hold it.
        asyncio.IncompleteReadError: The client closed first.
    """
    budget.take(length)
    try:
        body = bytes(pending[:length])
        del pending[:length]
        if len(body) < length:
            body += await reader.readexactly(length - len(body))
        return body
    finally:
        budget.give(length)


# ---------------------------------------------------------------- HTTP/1.1 framing
def parse_head(head: bytes) -> tuple[str, str, dict[str, str]]:
    """Method, target and headers (lower-case names) of a request head.

    Raises:
        HttpError: 400 for a malformed head, 505 for a version other than HTTP/1.x.
    """
    try:
        text = head.decode("latin-1")
    except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
        raise HttpError(400, "bad request") from None
    lines = text.split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[0].isalpha() or not parts[1]:
        raise HttpError(400, f"bad request line: {lines[0][:100]!r}")
    method, target, version = parts
    if version not in {"HTTP/1.0", "HTTP/1.1"}:
        raise HttpError(505, f"HTTP version not supported: {version[:20]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip() or line[0] in " \t":
            raise HttpError(400, f"bad request: malformed header line {line[:100]!r}")
        key = name.lower()
        if key in headers and key in {"content-length", "host"}:
            raise HttpError(400, f"bad request: more than one {name} header")
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    if version == "HTTP/1.0" and headers.get("connection", "").lower() != "keep-alive":
        headers["connection"] = "close"  # HTTP/1.0 closes unless asked to keep alive
    return method.upper(), target, headers


_date_cache: tuple[int, str] = (0, "")


def _date() -> str:
    global _date_cache
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache = (now, email.utils.formatdate(now, usegmt=True))
    return _date_cache[1]


def encode(response: Response, method: str, close: bool) -> bytes:
    """The answer as bytes on the wire (the head alone for ``HEAD``)."""
    phrase = _PHRASES.get(response.status, "")
    lines = [f"HTTP/1.1 {response.status} {phrase}", "Server: kg-serve", f"Date: {_date()}"]
    lines += [f"{name}: {value}" for name, value in response.headers]
    lines.append(f"Content-Length: {len(response.body)}")
    if close:
        lines.append("Connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
    return head if method == "HEAD" else head + response.body
