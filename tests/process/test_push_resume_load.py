"""``kg push`` by ``LOAD`` to a real Virtuoso killed mid-way, then ``--resume``.

The same guarantees as the Oxigraph resume tests (:mod:`test_push_resume`): a Virtuoso 7.2 on its
own database, killed (``SIGKILL``) just before a chosen request of a push that replaces every
graph (the second batch's ``LOAD``, a staging count, a switch, a count after a switch), started
again on the same database, then the push resumed: every graph holds what was sent, no staging
or backup graph is left, and nothing the server held and counted is sent again (the graphs a
``LOAD`` sent are read from the pieces the push served).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from oxigraph_server import stop
from test_push_resume import VirtuosoTarget, killed_and_resumed, moments

from kg.remote import push as pushing

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_data_folder  # noqa: E402


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two versions of the same small dataset: the same graphs, other contents."""
    folder = tmp_path_factory.mktemp("push-load-data")
    return write_data_folder(folder / "a", 150, seed=1), write_data_folder(folder / "b", 150, 2)


@pytest.fixture
def virtuoso(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[VirtuosoTarget]:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # a journal per test
    target = VirtuosoTarget(tmp_path / "virtuoso")
    try:
        yield target
    finally:
        if target.process is not None:
            stop(target.process)


@pytest.mark.parametrize("moment", sorted(moments("load")))
def test_a_push_by_load_killed_then_resumed_ends_verified_and_sends_nothing_twice(
    virtuoso: VirtuosoTarget,
    datasets: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    moment: str,
) -> None:
    killed_and_resumed(virtuoso, datasets, monkeypatch, moment, "load")
    journal = pushing.status(virtuoso.query, virtuoso.update).splitlines()[0]
    assert "finished (load)" in journal, journal
