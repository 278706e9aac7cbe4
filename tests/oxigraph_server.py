"""A pytest fixture that runs a real Oxigraph server, loaded with ``kg push``.

Import the fixture into a test module (``from oxigraph_server import oxigraph_endpoint``) and ask
for it by name. It starts ``oxigraph serve`` (PyPI package ``oxigraph``, in the test extra) as a
subprocess on a free port of 127.0.0.1, waits until it answers, loads every named graph with
:func:`kg.remote.push.push` through the Graph Store Protocol, yields the query URL, and
terminates the process at the end of the session.

The server runs with ``--union-default-graph``: like the local engines, queries then see the
union of all named graphs as their default graph (the data has no triples outside named graphs).

Without the ``oxigraph`` executable the tests that need it are skipped, loudly; in CI (``$CI``
set) they fail instead, because CI installs it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kg.data.paths import data_dir
from kg.remote.push import push

#: How long the server may take to start answering.
STARTUP_SECONDS = 30.0


def oxigraph_executable() -> str | None:
    """The ``oxigraph`` server binary: beside this Python (the venv) or on ``$PATH``."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_answering(process: subprocess.Popen[bytes], query_url: str, log: Path) -> None:
    """Poll ``query_url`` with ``ASK {}`` until the server answers.

    Raises:
        RuntimeError: If the process exits or does not answer within :data:`STARTUP_SECONDS`.
    """
    probe = query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(errors="replace")
            raise RuntimeError(f"oxigraph serve exited with {process.returncode}: {output}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    raise RuntimeError(f"oxigraph serve did not answer on {query_url} in {STARTUP_SECONDS:g} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the server, and kill it if it does not exit in time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def require_oxigraph() -> str:
    """The ``oxigraph`` executable; skips the test without it (fails under CI, which has it)."""
    executable = oxigraph_executable()
    if executable is None:
        reason = "the oxigraph server is not installed (pip install oxigraph)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI installs it")
        pytest.skip(reason)
    return executable


@contextmanager
def serving_oxigraph(workdir: Path, *, union_default_graph: bool = False) -> Iterator[str]:
    """A fresh ``oxigraph serve`` on a free port of 127.0.0.1, its store and log in ``workdir``.

    Yields:
        Its base URL (``http://127.0.0.1:PORT``), once it answers; the server is stopped on exit.
    """
    executable = require_oxigraph()
    base = f"http://127.0.0.1:{free_port()}"
    log = workdir / "server.log"
    command = [executable, "serve", "--location", str(workdir / "store"),
               "--bind", base.removeprefix("http://")]  # fmt: skip
    if union_default_graph:
        command.append("--union-default-graph")
    with log.open("wb") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        wait_until_answering(process, base + "/query", log)
        yield base
    finally:
        stop(process)


@pytest.fixture(scope="session")
def oxigraph_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The query URL of a live ``oxigraph serve`` process holding the shipped data."""
    with serving_oxigraph(
        tmp_path_factory.mktemp("oxigraph-server"), union_default_graph=True
    ) as base:
        push(data_dir(), base + "/query", update=base + "/update", graph_store=base + "/store")
        yield base + "/query"
