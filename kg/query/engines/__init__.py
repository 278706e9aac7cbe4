"""Where the data is held and queried: three engines behind one small interface.

* :class:`OxigraphEngine` (``oxigraph``, the default): pyoxigraph, in memory or persistent on
  disk (``oxigraph:DIR``). Fastest to start and to answer.
* :class:`MemoryEngine` (``memory``): rdflib's own store and SPARQL engine.
* :class:`EndpointEngine` (``--endpoint URL``): any SPARQL 1.1 server, through the protocol.

Both local engines load the ontology into ``kgg:ontology`` and every TriG file as is, then
materialise the RDFS subclass and subproperty closure into ``kgg:inference`` (Oxigraph on the
first query that may see it), so that a query for
``schema:Organization`` (or ``kg:involves``) finds every company, fund and institute (or every
participant). Engines return :class:`kg.query.results.QueryResult` with pyoxigraph terms.
"""

from __future__ import annotations

from kg.data.paths import DataLayout
from kg.errors import UsageError
from kg.query.engines.base import DEFAULT_ENGINE, Engine, EngineError, data_fingerprint
from kg.query.engines.endpoint import EndpointEngine
from kg.query.engines.memory import MemoryEngine, materialise_rdfs
from kg.query.engines.oxigraph import OxigraphEngine, materialise_rdfs_oxigraph

__all__ = [
    "DEFAULT_ENGINE",
    "EndpointEngine",
    "Engine",
    "EngineError",
    "MemoryEngine",
    "OxigraphEngine",
    "data_fingerprint",
    "materialise_rdfs",
    "materialise_rdfs_oxigraph",
    "open_engine",
]


def open_engine(
    layout: DataLayout,
    spec: str | None = None,
    endpoint: str | None = None,
    user: str | None = None,
) -> Engine:
    """Open the engine ``spec`` (``memory``, ``oxigraph``, ``oxigraph:DIR``) or ``endpoint``.

    Args:
        layout: The data folder.
        spec: The local engine.
        endpoint: A SPARQL 1.1 server's query URL instead.
        user: For ``endpoint``: a user name for servers that ask (password from
            ``$KG_PASSWORD``).

    Raises:
        EngineError: For an unknown engine name.
        UsageError: For ``endpoint`` with a layout limited to a day (``--as-of``).
    """
    if endpoint:
        if layout.as_of is not None:
            raise UsageError(
                "--as-of works on the local engines: a SPARQL server answers from all it holds"
            )
        return EndpointEngine(endpoint, user=user)
    name, _, directory = (spec or DEFAULT_ENGINE).partition(":")
    if name == "memory" and not directory:
        return MemoryEngine(layout)
    if name == "oxigraph":
        return OxigraphEngine(layout, directory or None)
    raise EngineError(f"unknown engine {spec!r}: use memory, oxigraph or oxigraph:DIR")
