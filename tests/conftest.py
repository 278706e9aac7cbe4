"""Shared fixtures: the shipped data, a scratch copy of it, the source article, a browser."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import launch_chromium
from kg_server import RunningServer, start

import kg
from kg.data.paths import source_text_path

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def push_journals(tmp_path_factory: pytest.TempPathFactory) -> None:
    """``kg push`` keeps its journals in a folder of the session, not the user's state folder."""
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("state"))


@pytest.fixture(scope="session")
def graph() -> kg.KnowledgeGraph:
    """The shipped knowledge graph, loaded once."""
    return kg.load()


@pytest.fixture(scope="session")
def source_path() -> Path:
    """The source article; tests that need it are skipped, loudly, where it is absent."""
    path = source_text_path()
    if path is None:
        reason = "source article not found: expected shared/seeds/000_84821df325fde2eb.txt"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI always has it)")
        pytest.skip(reason)
    return path


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the data folder, for tests that break it on purpose."""
    root = tmp_path / "data"
    root.mkdir()
    for name in ("ontology.ttl", "shapes.ttl"):
        shutil.copy(ROOT / name, root / name)
    for folder in ("triples", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of ``old`` in ``path``."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium for one test module (``tests/chromium.py`` says how it is found)."""
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """A real ``kg serve`` of the shipped data for one test module (its stderr kept in a file)."""
    folder = tmp_path_factory.mktemp("serve-" + request.module.__name__.rpartition(".")[2])
    running = start([], folder / "stderr.log")
    yield running
    running.stop()
