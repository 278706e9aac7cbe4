"""Run a real ``kg serve`` process for tests and benchmarks.

:func:`start` launches ``python -m kg [--data DIR] serve --port 0 ARGS…`` on 127.0.0.1, reads the
addresses it prints, and returns a :class:`RunningServer`; :meth:`RunningServer.stop` terminates
it (and its worker processes, which exit when the server's sockets close).
"""

from __future__ import annotations

import http.client
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: How long the server may take to load the data and start answering.
STARTUP_SECONDS = 60.0


@dataclass
class RunningServer:
    """A ``kg serve`` subprocess.

    Attributes:
        process: The process.
        base: ``http://127.0.0.1:PORT``.
        port: The port it bound.
        output: What it printed on start.
        log: Its standard error.
    """

    process: subprocess.Popen[str]
    base: str
    port: int
    output: list[str]
    log: Path

    def connection(self, timeout: float = 30.0) -> http.client.HTTPConnection:
        """A new keep-alive connection to the server."""
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def stop(self) -> None:
        """Terminate the server, and kill it if it does not exit in time."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


def start(
    args: Sequence[str], log: Path, data: Path | None = None, prelude: str | None = None
) -> RunningServer:
    """Start ``kg serve --port 0 ARGS`` and wait until it listens.

    ``prelude``, Python code run in the server's process before ``kg`` starts, is a test-only
    hook (e.g. switching off a check to show that the next defence holds).

    Raises:
        RuntimeError: If it exits or stays silent for :data:`STARTUP_SECONDS`.
    """
    command = [sys.executable, "-m", "kg"]
    if prelude is not None:
        main = "import runpy; runpy.run_module('kg', run_name='__main__', alter_sys=True)"
        command = [sys.executable, "-c", f"{prelude}\n{main}"]
    if data is not None:
        command += ["--data", str(data)]
    command += ["serve", "--port", "0", *args]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("w") as errors:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, text=True, env=env
        )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    output: list[str] = []
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.1)
        except queue.Empty:
            continue
        if line is None:
            break
        output.append(line)
        if line.startswith("SPARQL endpoint:"):
            base = output[0].split()[-1].rstrip("/")
            port = int(base.rsplit(":", 1)[1])
            return RunningServer(process, base, port, output, log)
    process.kill()
    raise RuntimeError(f"kg serve did not start: {output} {log.read_text(errors='replace')}")
