"""The HTTP front of ``kg serve``: an event loop that slow clients cannot hold.

One asyncio loop reads requests; :meth:`kg.server.app.App.handle` answers each in a thread (it
waits for a worker process of :mod:`kg.server.workers`). Connections cost the loop nothing
while they wait, and every wait is bounded as a whole, never per read:

* the request head (request line and headers) must arrive within ``head_timeout`` seconds of
  the connection's start or of the previous answer (so dripping bytes never extends it; it is
  also the keep-alive idle limit); a late head closes the connection, a head larger than
  ``max_request_bytes`` gets 431;
* the body must arrive within ``body_timeout`` seconds of the head (408 and close);
* unfinished requests (heads being received, bodies being read) hold at most
  :data:`BUFFER_BUDGET` bytes across all connections; a request that would need more is
  answered 503 and its connection closed, so many large unfinished heads cannot exhaust memory;
* past ``max_connections`` open connections, or ``max_per_client`` from one address, a new
  connection is shed at once (503 and close): accepting never blocks;
* ``SIGTERM`` (or Ctrl-C) stops accepting, closes idle connections, lets in-flight requests
  finish for up to ``grace`` seconds, then exits 0;
* every second the front checks that the worker factory runs; when it has stopped, the server
  stops (exit 3) so that a supervisor restarts it.
"""

from __future__ import annotations

__all__ = ["SparqlServer", "create_server", "serve"]

import asyncio
import contextlib
import logging
import re
import signal
import socket
import sys
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from kg.errors import EnvironmentProblem
from kg.sandbox import forbid_outbound_connections
from kg.server.app import App
from kg.server.build import create_app
from kg.server.framing import (
    READ_SIZE,
    Budget,
    drain,
    encode,
    linger,
    parse_head,
    read_body,
    read_head,
)
from kg.server.messages import Request, Response
from kg.server.response import CSP
from kg.server.settings import ServerConfig
from kg.server.status import HttpError, error_answer

log = logging.getLogger("kg.server")
#: Threads that wait for workers (and serve static answers) at once.
HANDLER_THREADS = 64
_LENGTH = re.compile(r"[0-9]{1,18}")
#: Bytes all unfinished requests may hold at once (see the module docstring).
BUFFER_BUDGET = 64 << 20


class _Closed(Exception):
    """The client went away or missed a deadline: close without an answer."""


class SparqlServer:
    """The listening socket, the loop's state and the worker pool's owner.

    Args:
        app: The application.
    """

    def __init__(self, app: App) -> None:
        self.app = app
        config = app.config
        family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((config.host, config.port))
        self.sock.listen(1024)
        self.sock.setblocking(False)
        self.port: int = self.sock.getsockname()[1]
        app.allow(config.host, self.port)
        self.exit_code = 0
        self._per_client: Counter[str] = Counter()
        self._open = 0
        self._busy: set[asyncio.Task[None]] = set()
        self._idle: set[asyncio.Task[None]] = set()
        self._stopping: asyncio.Event | None = None
        self._executor = ThreadPoolExecutor(HANDLER_THREADS, thread_name_prefix="kg-handler")
        self._budget = Budget(BUFFER_BUDGET)

    # ------------------------------------------------------------ running
    def run(self, on_listen: Callable[[], None] = lambda: None) -> int:
        """Serve until ``SIGTERM``, Ctrl-C or a dead worker factory; return the exit code."""
        return asyncio.run(self._main(on_listen))

    def stop(self) -> None:
        """Begin a graceful stop (call from the loop's thread)."""
        if self._stopping is not None:
            self._stopping.set()

    async def _main(self, on_listen: Callable[[], None]) -> int:
        loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self.stop)
        server = await asyncio.start_server(self._connection, sock=self.sock, limit=READ_SIZE)
        on_listen()
        watch = asyncio.create_task(self._watch_factory())
        await self._stopping.wait()
        server.close()
        for task in list(self._idle):
            task.cancel()
        if self._busy:
            await asyncio.wait(set(self._busy), timeout=self.app.config.grace)
        watch.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)
        self.app.pool.close()
        return self.exit_code

    async def _watch_factory(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(1.0)
            if not await loop.run_in_executor(self._executor, self.app.pool.healthy):
                log.error("the worker factory has stopped: the server stops (exit 3)")
                self.exit_code = 3
                self.stop()
                return

    # ------------------------------------------------------------ one connection
    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        client = str(peer[0]) if isinstance(peer, tuple) else "local"
        config = self.app.config
        if (
            self._open >= config.max_connections
            or self._per_client[client] >= config.max_per_client
        ):
            log.warning("%s shed: too many connections", client)
            await self._shed(writer)
            return
        if hasattr(writer.transport, "max_size"):  # asyncio reads 256 KiB per recv by default
            writer.transport.max_size = READ_SIZE  # so a connection buffers at most ~48 KiB
        self._open += 1
        self._per_client[client] += 1
        task = asyncio.current_task()
        assert task is not None
        try:
            await self._serve(reader, writer, client, task)
        except (_Closed, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self._idle.discard(task)
            self._busy.discard(task)
            self._open -= 1
            self._per_client[client] -= 1
            if not self._per_client[client]:
                del self._per_client[client]
            writer.close()

    async def _shed(self, writer: asyncio.StreamWriter) -> None:
        answer, headers = error_answer(
            HttpError(503, "server busy: too many connections; try again later")
        )
        response = Response(503, [("Content-Type", answer.media_type), *headers], answer.body)
        with contextlib.suppress(Exception):
            writer.write(encode(response, "GET", close=True))
            await asyncio.wait_for(writer.drain(), 1.0)
        writer.close()

    async def _serve(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        client: str,
        task: asyncio.Task[None],
    ) -> None:
        config = self.app.config
        assert self._stopping is not None
        pending = bytearray()  # read off the socket, not yet part of a request
        while not self._stopping.is_set():
            self._idle.add(task)
            try:
                head = await self._read_head(reader, pending)
            except HttpError as err:
                writer.write(encode(self._error_response(err), "GET", close=True))
                await drain(writer, config.body_timeout)
                await linger(reader, writer)
                return
            finally:
                self._idle.discard(task)
            self._busy.add(task)
            try:
                request, error = await self._read_request(reader, writer, head, client, pending)
                if error is not None:
                    response = self._error_response(error)
                    writer.write(encode(response, request.method if request else "GET", True))
                    await drain(writer, config.body_timeout)
                    await linger(reader, writer)
                    return
                assert request is not None
                if not self.app.runs_on_loop(request.target):
                    answered = await self._unless_gone(reader, pending, request)
                    if answered is None:
                        return
                    response = answered
                else:  # answered from memory in microseconds: no thread hop
                    response = self.app.handle(request)
                close = (
                    response.close
                    or self._stopping.is_set()
                    or (request.header("Connection") or "").lower() == "close"
                )
                writer.write(encode(response, request.method, close))
                await drain(writer, config.body_timeout)
                if close:
                    return
            finally:
                self._busy.discard(task)

    async def _unless_gone(
        self, reader: asyncio.StreamReader, pending: bytearray, request: Request
    ) -> Response | None:
        """The app's answer, computed in a handler thread, or ``None`` if the client left first.

        While the answer is computed, the socket is watched: an end of input means the client
        closed, so ``request.gone`` is set and its work given up (the worker is killed). Bytes
        that arrive instead (a pipelined request) are kept for later.
        """
        loop = asyncio.get_running_loop()
        work = loop.run_in_executor(self._executor, self.app.handle, request)
        watch: asyncio.Future[bytes] | None = asyncio.ensure_future(reader.read(READ_SIZE))
        while watch is not None:
            waiting: set[asyncio.Future[Any]] = {work, watch}
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            if not watch.done():
                pending += await _cancelled(watch)
                break
            data = watch.result() if not watch.cancelled() else b""
            if not data:
                request.gone.set()
                log.info('%s "%s %s" gone: work given up', request.client, request.method,
                         request.target[:200])  # fmt: skip
                return None
            pending += data
            full = len(pending) > self.app.config.max_request_bytes  # then the socket waits
            watch = None if work.done() or full else asyncio.ensure_future(reader.read(READ_SIZE))
        return await work

    async def _read_head(self, reader: asyncio.StreamReader, pending: bytearray) -> bytes:
        config = self.app.config
        try:
            async with asyncio.timeout(config.head_timeout):
                return await read_head(
                    reader, pending, self._budget, config.max_request_bytes + 65536
                )
        except (TimeoutError, asyncio.IncompleteReadError):
            raise _Closed from None

    async def _read_request(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        head: bytes,
        client: str,
        pending: bytearray,
    ) -> tuple[Request | None, HttpError | None]:
        try:
            method, target, headers = parse_head(head)
        except HttpError as err:
            return None, err
        length_header = headers.get("content-length")
        body = b""
        if "transfer-encoding" in headers:
            return None, HttpError(411, "length required: send a Content-Length, not chunks")
        if length_header is not None:
            if not _LENGTH.fullmatch(length_header):  # ASCII digits: not "²", not 5,000 of them
                return None, HttpError(
                    400, "bad request: Content-Length must be a decimal number of at most 18 digits"
                )
            length = int(length_header)
            if length > self.app.config.max_request_bytes:
                return None, HttpError(
                    413,
                    f"request too large: {length:,} bytes; the limit is "
                    f"{self.app.config.max_request_bytes:,} (kg serve --max-request-bytes)",
                )
            if headers.get("expect", "").lower() == "100-continue":
                writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            try:
                async with asyncio.timeout(self.app.config.body_timeout):
                    body = await read_body(reader, pending, length, self._budget)
            except TimeoutError:
                return None, HttpError(
                    408,
                    f"request timeout: the body did not arrive within "
                    f"{self.app.config.body_timeout:g} s",
                )
            except asyncio.IncompleteReadError:
                raise _Closed from None
            except HttpError as err:  # the budget of unfinished requests is spent
                return None, err
        elif method == "POST":
            return None, HttpError(411, "length required: send a Content-Length")
        return Request(method, target, headers, body, client), None

    def _error_response(self, error: HttpError) -> Response:
        answer, headers = error_answer(error)
        log.info('front: %s "%s"', answer.status, error)
        return Response(
            answer.status,
            [
                ("Content-Type", answer.media_type),
                ("Content-Security-Policy", CSP),
                ("X-Content-Type-Options", "nosniff"),
                ("Cache-Control", "no-store"),
                *headers,
            ],
            answer.body,
            close=True,
        )

    def close(self) -> None:
        """Close the socket and stop the workers (when :meth:`run` was never called)."""
        self.sock.close()
        self.app.pool.close()


async def _cancelled(watch: asyncio.Future[bytes]) -> bytes:
    """Stop a pending read, and wait until it has stopped (a read may not overlap another).

    Returns:
        What it had read if it finished first after all.
    """
    watch.cancel()
    try:
        return await watch
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():  # this connection itself is being stopped
            raise
        return b""


# ---------------------------------------------------------------- starting
def create_server(config: ServerConfig) -> SparqlServer:
    """Load the data, fork the workers, and bind (without serving yet).

    Raises:
        OSError: The address cannot be bound.
    """
    app = create_app(config)
    try:
        return SparqlServer(app)
    except BaseException:
        app.pool.close()
        raise


def _raise_file_limit(wanted: int) -> None:
    """Let the process hold ``wanted`` open files if the hard limit allows (else as many)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def serve(config: ServerConfig, announce: Callable[[str], None] = print) -> None:
    """Run the server until ``SIGTERM`` or Ctrl-C (a graceful stop), then return.

    Also forbids outbound connections in this process for good (an audit hook), so call it
    only in a process whose job is to serve.

    Raises:
        EnvironmentProblem: The worker factory stopped (exit 3: a supervisor restarts it).
    """
    if not logging.getLogger().handlers and not logging.getLogger("kg").handlers:  # not `kg -v`
        logging.basicConfig(
            level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s"
        )
    _raise_file_limit(config.max_connections + 256)
    server = create_server(config)
    forbid_outbound_connections(frozenset())
    host = config.host
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{'127.0.0.1' if host in {'0.0.0.0', '::'} else shown}:{server.port}"

    def listening() -> None:
        announce(f"Query page:      {base}/")
        announce(f"Graph explorer:  {base}/explore")
        announce(f"SPARQL endpoint: {base}/sparql")

    if server.run(listening):
        raise EnvironmentProblem("the worker factory stopped; kg serve exits so it can restart")
