"""The server's explorer projection: nothing built before the fork, built once, shared by file.

A second worker (here: a second :class:`SharedProjection` on the same folder, as a forked
worker has) reads what the first built instead of building again; the server starts without
parsing the data a second time.
"""

from __future__ import annotations

import logging
from pathlib import Path

import networkx as nx
import pytest

import kg
from kg.network.projection import to_networkx
from kg.server.projection_cache import SharedProjection, private_folder


def test_the_first_worker_builds_and_the_next_reads_the_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = kg.load().engine
    caplog.set_level(logging.INFO, logger="kg.server")
    first = SharedProjection(tmp_path, lambda: to_networkx(engine))  # type: ignore[arg-type]
    built = first.get()
    assert first.get() is built  # kept for the worker's life
    assert first.path.exists() and not first.path.with_suffix(".part").exists()

    def must_not_build() -> nx.MultiDiGraph:
        raise AssertionError("the second worker built the projection again")

    second = SharedProjection(tmp_path, must_not_build)
    read = second.get()
    assert read.number_of_nodes() == built.number_of_nodes() > 100
    assert read.nodes["https://w3id.org/zhipu-kg/resource/Zhipu"]["label_zh"] == "智谱"
    said = [r.getMessage() for r in caplog.records if r.name == "kg.server"]
    assert said[0] == "explorer: building the projection from the loaded store"
    assert said[1].startswith("explorer: projection built, ")
    assert said[2].startswith("explorer: projection read from ")


def test_a_failed_build_leaves_no_file_and_the_next_worker_builds(tmp_path: Path) -> None:
    def broken() -> nx.MultiDiGraph:
        raise RuntimeError("the build failed")

    with pytest.raises(RuntimeError, match="the build failed"):
        SharedProjection(tmp_path, broken).get()
    assert not (tmp_path / "projection.pickle").exists()
    graph = nx.MultiDiGraph()
    graph.add_node("x")
    assert list(SharedProjection(tmp_path, lambda: graph).get()) == ["x"]


def test_the_private_folder_is_the_users_alone() -> None:
    folder = private_folder()
    assert folder.is_dir()
    assert folder.stat().st_mode & 0o777 == 0o700


def test_the_app_is_made_without_an_rdflib_parse_or_a_projection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kg.data import store
    from kg.server.app import ServerConfig
    from kg.server.build import create_app

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the server parsed the data with rdflib")

    monkeypatch.setattr(store, "load_dataset", no_parse)
    app = create_app(ServerConfig(workers=1))
    try:
        assert b"kg:FundingEvent" in app.static["/ontology"][1]
    finally:
        app.pool.close()
