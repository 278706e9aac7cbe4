"""The server's explorer projection: nothing built before the fork, built once, shared by file.

The build runs in a child process that writes the file (and would finish even if its worker
were killed at its deadline); a second worker (here: a second :class:`SharedProjection` on the
same folder, as a forked worker has) reads that file instead of building again; the server
starts without parsing the data a second time.
"""

from __future__ import annotations

import logging
import os
import select
import signal
import struct
import sys
import threading
from pathlib import Path

import networkx as nx
import pytest

import kg
from kg.network.projection import to_networkx
from kg.server.messages import Request
from kg.server.projection_cache import ProjectionFailed, SharedProjection, private_folder

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import synthetic


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
    said = [r.getMessage() for r in caplog.records if r.name == "kg.server"]  # this process's
    assert said[0] == "explorer: building the projection from the loaded store"
    assert said[1].startswith("explorer: projection read from ")  # what the builder wrote
    assert said[2].startswith("explorer: projection read from ")
    assert len(said) == 3


def test_a_worker_killed_at_its_deadline_does_not_lose_the_build(tmp_path: Path) -> None:
    engine = kg.load().engine
    release_r, release_w = os.pipe()
    started_r, started_w = os.pipe()

    def build() -> nx.MultiDiGraph:  # in the builder: says it started, waits to be let go
        os.write(started_w, b"s")
        os.read(release_r, 1)
        return to_networkx(engine)  # type: ignore[arg-type]

    worker = os.fork()
    if worker == 0:  # a worker asked for the explorer
        try:
            SharedProjection(tmp_path, build).get()
        finally:
            os._exit(0)
    os.read(started_r, 1)  # the builder runs
    os.kill(worker, signal.SIGKILL)  # the worker's deadline
    os.waitpid(worker, 0)
    os.write(release_w, b"g")

    def must_not_build() -> nx.MultiDiGraph:
        raise AssertionError("the next worker built the projection again")

    graph = SharedProjection(tmp_path, must_not_build).get()  # waits for the builder's lock
    assert graph.nodes["https://w3id.org/zhipu-kg/resource/Zhipu"]["label_en"] == "Zhipu AI"
    for fd in (release_r, release_w, started_r, started_w):
        os.close(fd)


def test_a_failed_build_leaves_no_file_and_the_next_worker_builds(tmp_path: Path) -> None:
    def broken() -> nx.MultiDiGraph:
        raise RuntimeError("the build failed")

    with pytest.raises(ProjectionFailed, match="projection could not be built"):
        SharedProjection(tmp_path, broken).get()
    assert not (tmp_path / "projection.pickle").exists()
    graph = nx.MultiDiGraph()
    graph.add_node("x")
    assert list(SharedProjection(tmp_path, lambda: graph).get()) == ["x"]


def test_a_worker_can_tell_the_explorer_is_still_being_built(tmp_path: Path) -> None:
    engine = kg.load().engine
    release_r, release_w = os.pipe()

    def build() -> nx.MultiDiGraph:  # held until the test lets it go
        os.read(release_r, 1)
        return to_networkx(engine)  # type: ignore[arg-type]

    SharedProjection(tmp_path, build, lambda graph, lang: f"<p>{lang}</p>").start()

    def must_not_build() -> nx.MultiDiGraph:
        raise AssertionError("a worker built the projection during the builder's build")

    worker = SharedProjection(tmp_path, must_not_build)
    assert worker.building(True, 0) and worker.building(False, 0)  # "being built": 503
    os.write(release_w, b"g")
    assert not worker.building(True, 120)  # waits for the overview, then it is there
    assert worker.page("zh") == (b"<p>zh</p>", False)
    assert not worker.building(False, 120)
    assert worker.get().number_of_nodes() > 100
    for fd in (release_r, release_w):
        os.close(fd)


def test_the_builder_ends_with_the_server(tmp_path: Path) -> None:
    said_r, said_w = os.pipe()
    hold_r, hold_w = os.pipe()

    def build() -> nx.MultiDiGraph:  # says who it is, then would build for ever
        os.write(said_w, struct.pack("!i", os.getpid()))
        threading.Event().wait()
        raise AssertionError("the builder outlived its server")

    server = os.fork()
    if server == 0:  # a server that started its builder, then runs until it is killed
        try:
            SharedProjection(tmp_path, build).start()
            os.read(hold_r, 1)
        finally:
            os._exit(0)
    (builder,) = struct.unpack("!i", os.read(said_r, 4))
    ended = os.pidfd_open(builder)  # no child of this process: watched through a pidfd
    os.kill(server, signal.SIGKILL)
    os.waitpid(server, 0)
    assert select.select([ended], [], [], 60)[0], "the builder still runs"
    for fd in (said_r, said_w, hold_r, hold_w, ended):
        os.close(fd)


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
    app.allow("127.0.0.1", 8000)
    try:
        host = {"host": "127.0.0.1:8000"}
        ontology = app.handle(Request("GET", "/ontology", host, b"", "127.0.0.1"))
        assert ontology.status == 200 and b"kg:FundingEvent" in ontology.body
        overview = app.handle(Request("GET", "/explore", host, b"", "127.0.0.1"))
        assert overview.status == 200 and "智谱".encode() in overview.body
    finally:
        app.pool.close()


def test_the_builder_writes_the_overview_and_a_worker_sends_it_without_a_projection(
    tmp_path: Path,
) -> None:
    engine = kg.load().engine
    pages: list[str] = []

    def render(graph: nx.MultiDiGraph, lang: str) -> str:
        pages.append(lang)
        return f"<p>{graph.nodes['https://w3id.org/zhipu-kg/resource/Zhipu']['label_' + lang]}</p>"

    builder = SharedProjection(tmp_path, lambda: to_networkx(engine), render)  # type: ignore[arg-type]
    builder.start()  # forks: the pages are rendered in the builder, not here

    def must_not_build() -> nx.MultiDiGraph:
        raise AssertionError("a worker built the projection for the overview")

    worker = SharedProjection(tmp_path, must_not_build)
    assert worker.page("zh") == ("<p>智谱</p>".encode(), False)  # waits for the builder's lock
    assert pages == []
    assert worker.get().number_of_nodes() > 100  # a focus view reads the builder's file


def test_a_sketch_is_the_overview_until_the_full_page_is_written_over_it(tmp_path: Path) -> None:
    engine = kg.load().engine
    said_r, said_w = os.pipe()
    release_r, release_w = os.pipe()

    def sketch(lang: str) -> str:  # in the builder, before the projection
        os.write(said_w, f"sketch {lang};".encode())
        return f"<p>outline {lang}</p>"

    def build() -> nx.MultiDiGraph:  # held until the test lets it go
        os.read(release_r, 1)
        return to_networkx(engine)  # type: ignore[arg-type]

    def render(graph: nx.MultiDiGraph, lang: str) -> str:
        os.write(said_w, f"page {lang};".encode())
        return f"<p>full {lang} {graph.number_of_nodes()}</p>"

    SharedProjection(tmp_path, build, render, sketch).start()

    def must_not_build() -> nx.MultiDiGraph:
        raise AssertionError("a worker built the projection during the builder's build")

    worker = SharedProjection(tmp_path, must_not_build)
    assert os.read(said_r, 64) == b"sketch zh;"
    assert not worker.building(True, 120)  # the sketch is the overview, the build still held
    assert worker.page("zh") == (b"<p>outline zh</p>", True)  # not to be cached
    assert worker.building(False, 0)  # a focus or a path still waits for the projection
    assert worker.page("en") is None  # no sketch in English: a worker renders it from the file
    os.write(release_w, b"g")
    said = b""
    while not said.endswith(b"page en;"):  # the builder renders both pages, Chinese first
        said += os.read(said_r, 64)
    assert said == b"page zh;page en;"
    nodes = worker.get().number_of_nodes()
    assert worker.page("zh") == (f"<p>full zh {nodes}</p>".encode(), False)  # before English
    for fd in (said_r, said_w, release_r, release_w):
        os.close(fd)


def test_no_sketch_for_a_small_graph_and_the_overview_comes_as_before(tmp_path: Path) -> None:
    engine = kg.load().engine
    said_r, said_w = os.pipe()

    def render(graph: nx.MultiDiGraph, lang: str) -> str:
        os.write(said_w, f"page {lang};".encode())
        return f"<p>full {lang}</p>"

    def small(lang: str) -> None:  # as the server's sketch says of a graph it draws whole
        os.write(said_w, f"sketch {lang};".encode())

    SharedProjection(tmp_path, lambda: to_networkx(engine), render, small).start()  # type: ignore[arg-type]
    worker = SharedProjection(tmp_path, lambda: nx.MultiDiGraph())
    assert worker.page("zh") == (b"<p>full zh</p>", False)  # waits for the overview's lock
    assert os.read(said_r, 64).startswith(b"sketch zh;page zh;")
    for fd in (said_r, said_w):
        os.close(fd)


def test_the_server_sketches_a_large_graph_and_not_a_small_one(tmp_path: Path) -> None:
    from kg.query.labels import StoreLabels
    from kg.server.answers import Service

    def service(graph: kg.KnowledgeGraph) -> Service:
        return Service(graph.engine, graph.layout, StoreLabels(graph.engine), None, tmp_path)  # type: ignore[arg-type]

    shipped = kg.load()
    assert service(shipped)._sketch("zh") is None  # drawn whole by vis-network: as before
    folder = synthetic.write_data_folder(tmp_path / "syn", 4_500)  # ~2,500 nodes
    page = service(kg.load(folder))._sketch("en")
    assert page is not None and "kg-data" in page
    assert "This is the graph's outline" in page and '"lang":"en"' in page


def test_large_data_has_the_explorer_warmed_while_it_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.data.paths import data_dir
    from kg.explore.names import _sounds
    from kg.server import build

    shipped = data_dir(None)
    assert build._warming(shipped) is None  # loads sooner than the modules import
    folder = synthetic.write_data_folder(tmp_path / "syn", 300)
    size = sum(p.stat().st_size for p in (folder / "triples").iterdir())
    monkeypatch.setattr(build, "WARM_FROM", size)
    _sounds.cache_clear()
    warming = build._warming(data_dir(folder))
    assert warming is not None
    warming.join()
    assert _sounds.cache_info().currsize == 1  # the search box's table, made in the thread
    monkeypatch.setattr(build, "WARM_FROM", size + 1)
    assert build._warming(data_dir(folder)) is None


def test_the_outline_is_sent_uncached_and_the_full_page_after_it_with_a_tag(tmp_path: Path) -> None:
    from kg.query.labels import StoreLabels
    from kg.server.answers import Service

    graph = kg.load()
    said_r, said_w = os.pipe()
    release_r, release_w = os.pipe()

    def build() -> nx.MultiDiGraph:  # held until the test lets it go
        os.read(release_r, 1)
        return to_networkx(graph.engine)  # type: ignore[arg-type]

    def render(projection: nx.MultiDiGraph, lang: str) -> str:
        os.write(said_w, f"page {lang};".encode())
        return f"<p>full {lang}</p>"

    SharedProjection(tmp_path, build, render, lambda lang: f"<p>outline {lang}</p>").start()
    service = Service(graph.engine, graph.layout, StoreLabels(graph.engine), None, tmp_path)  # type: ignore[arg-type]
    sketched = service.explore(None, "zh")
    assert (sketched.status, sketched.body, sketched.varies) == (200, b"<p>outline zh</p>", True)
    os.write(release_w, b"g")
    said = b""
    while not said.endswith(b"page en;"):
        said += os.read(said_r, 64)
    full = service.explore(None, "zh")
    assert (full.status, full.body, full.varies) == (200, b"<p>full zh</p>", False)
    for fd in (said_r, said_w, release_r, release_w):
        os.close(fd)
