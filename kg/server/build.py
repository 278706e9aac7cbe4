"""Making the application of ``kg serve``: load the data, fork the worker pool, build the pages.

:func:`create_app` is all the front (:mod:`kg.server.front`) and the in-process tests need to get
a ready :class:`~kg.server.app.App`; the routes it answers are :data:`kg.server.routes.ROUTES`.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from functools import partial

from kg.data.paths import DataLayout, data_dir
from kg.query.catalogue import load_catalogue
from kg.query.engines import data_fingerprint
from kg.query.engines.oxigraph import OxigraphEngine
from kg.query.labels import StoreLabels
from kg.query.resolve import Names
from kg.remote.engine import connect
from kg.sandbox import forbid_outbound_connections
from kg.server.answers import Service, warm_explorer
from kg.server.app import App
from kg.server.lazy import Lazy
from kg.server.listing import catalogue_json
from kg.server.projection_cache import private_folder
from kg.server.routes import ROUTES
from kg.server.routing import RouteTable
from kg.server.settings import ServerConfig
from kg.server.workers import WorkerPool

__all__ = ["create_app"]

log = logging.getLogger("kg.server")


#: Data files of at least this many bytes load for longer than the explorer's modules import.
WARM_FROM = 10_000_000


def _warming(layout: DataLayout) -> threading.Thread | None:
    """For large data: the explorer's modules imported while the store loads (it lets go of Python).

    The builder forked after the load (:meth:`Service.start_explorer`) then starts drawing at
    once. Small data loads sooner than they import, and the server would wait: ``None``.
    """
    files = layout.triples_dir.rglob("*") if layout.triples_dir.is_dir() else ()
    if sum(path.stat().st_size for path in files if path.is_file()) < WARM_FROM:
        return None
    thread = threading.Thread(target=warm_explorer, name="explorer warm-up", daemon=True)
    thread.start()
    return thread


def create_app(config: ServerConfig, routes: RouteTable = ROUTES) -> App:
    """Load the data and fork the worker pool: the application, ready to :meth:`App.handle`.

    Call it before the process starts any thread: the worker pool forks.

    Args:
        config: The server's settings.
        routes: The route records (tests add one to show where it runs).

    Raises:
        kg.data.paths.DataDirError: No data folder.
        kg.query.engines.EngineError: The engine cannot load the data.
    """
    start = time.perf_counter()
    layout = data_dir(config.data)
    warming = _warming(layout) if config.endpoint is None else None
    engine = connect(layout, config.engine, config.endpoint, config.user)
    if warming is not None:
        warming.join()  # before anything forks
    log.info("start: data loaded in %.1f s", time.perf_counter() - start)
    # nothing is indexed up front: labels are read from the store when asked, the index of
    # names is made by the first request that needs it (in this process only), the ontology
    # page by the first worker asked for it
    service = Service(engine, layout, StoreLabels(engine), config.max_rows, private_folder())
    if isinstance(engine, OxigraphEngine):  # the explorer, read from the store, in the background
        service.start_explorer()
    catalogue = load_catalogue(layout)
    graphs = frozenset(engine.graph_names())
    data = config.endpoint or data_fingerprint(layout)
    fingerprint = f"{data} {type(engine).__name__} {config.engine or 'default'}"
    initializer = partial(forbid_outbound_connections, engine.outbound)
    # what is loaded stays shared: the collector of the forked factory and of its workers
    # leaves it alone (this process collects it again, once they are forked)
    gc.freeze()
    try:
        pool = WorkerPool(service.handle, config.workers, initializer, lane=config.workers)
    finally:
        gc.unfreeze()
    log.info("start: %d workers forked at %.1f s", config.workers, time.perf_counter() - start)
    forms = {name: named.form for name, named in catalogue.items()}
    listing = catalogue_json(catalogue, forms)
    names = Lazy(lambda: Names.from_engine(engine), "the index of names")
    return App(
        config, pool, catalogue, StoreLabels(engine), graphs, routes, listing, fingerprint, names
    )
