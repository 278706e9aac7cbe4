"""Where the data is held and queried: three engines behind one small interface.

* :class:`OxigraphEngine` (``oxigraph``, the default): pyoxigraph, in memory or persistent on
  disk (``oxigraph:DIR``). Fastest to start and to answer.
* :class:`MemoryEngine` (``memory``): rdflib's own store and SPARQL engine.
* ``EndpointEngine`` (``--endpoint URL``): any SPARQL 1.1 server, through the protocol; it
  lives in :mod:`kg.remote.engine` (above this package: the query path never imports
  :mod:`kg.remote`), and :func:`kg.remote.engine.connect` opens it or one of these.

Both local engines load the ontology into ``kgg:ontology`` and every TriG file as is, then
materialise the RDFS subclass and subproperty closure into ``kgg:inference`` (Oxigraph on the
first query that may see it), so that a query for
``schema:Organization`` (or ``kg:involves``) finds every company, fund and institute (or every
participant). Engines return :class:`kg.query.results.QueryResult` with pyoxigraph terms.
"""

from __future__ import annotations

from kg.data.paths import DataLayout
from kg.query.engines.base import DEFAULT_ENGINE, Engine, EngineError, data_fingerprint
from kg.query.engines.memory import MemoryEngine, materialise_rdfs
from kg.query.engines.oxigraph import OxigraphEngine, materialise_rdfs_oxigraph

__all__ = [
    "DEFAULT_ENGINE",
    "Engine",
    "EngineError",
    "MemoryEngine",
    "OxigraphEngine",
    "data_fingerprint",
    "materialise_rdfs",
    "materialise_rdfs_oxigraph",
    "open_engine",
]


def open_engine(layout: DataLayout, spec: str | None = None) -> Engine:
    """Open the local engine ``spec`` (``memory``, ``oxigraph``, ``oxigraph:DIR``).

    Args:
        layout: The data folder.
        spec: The engine (default :data:`DEFAULT_ENGINE`).

    Raises:
        EngineError: For an unknown engine name.
    """
    name, _, directory = (spec or DEFAULT_ENGINE).partition(":")
    if name == "memory" and not directory:
        return MemoryEngine(layout)
    if name == "oxigraph":
        return OxigraphEngine(layout, directory or None)
    raise EngineError(f"unknown engine {spec!r}: use memory, oxigraph or oxigraph:DIR")
