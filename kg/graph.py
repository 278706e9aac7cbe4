"""The public entry point: :func:`load` and the :class:`KnowledgeGraph` it returns.

Importing this module does not import rdflib: queries on the default (Oxigraph) engine start in a
fraction of a second. rdflib is loaded when something asks for it (``.dataset``, validation, the
memory engine, or iterating over a result as rdflib terms).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.data.paths import DataLayout, data_dir
from kg.logs import Log
from kg.query.engines import Engine, MemoryEngine, OxigraphEngine
from kg.query.results import QueryResult, Term
from kg.query.run import DEFAULT_TIMEOUT, run
from kg.remote.engine import connect

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Dataset

    from kg.data.stats import Stats
    from kg.data.store import ParsedFile
    from kg.network.paths import Path
    from kg.query.resolve import Entry, Names
    from kg.validate import ValidationReport

_LABELS = """SELECT ?s ?label WHERE {{
  VALUES ?s {{ {iris} }}
  ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label
  FILTER(lang(?label) IN ("zh", "en"))
}}"""
_QUOTES = """SELECT ?g ?start ?end ?quote WHERE {
  GRAPH kgg:provenance {
    ?g a kg:Evidence ; prov:wasDerivedFrom/oa:hasSelector ?quote_selector , ?position_selector .
    ?quote_selector oa:exact ?quote .
    ?position_selector oa:start ?start ; oa:end ?end .
  }
  FILTER(CONTAINS(LCASE(?quote), LCASE(?text)))
} ORDER BY ?start ?g"""

log = Log(__name__)


class KnowledgeGraph:
    """The loaded knowledge graph.

    Attributes:
        layout: The data folder it was loaded from.
        engine: Where queries run (see :mod:`kg.query.engines`).
    """

    def __init__(
        self,
        layout: DataLayout,
        engine: Engine | None = None,
        *,
        spec: str | None = None,
        endpoint: str | None = None,
        user: str | None = None,
    ) -> None:
        self.layout = layout
        self._engine = engine
        self._spec = spec
        self._endpoint = endpoint
        self._user = user

    @property
    def engine(self) -> Engine:
        """Where queries run, opened on first use (the network commands never need one)."""
        if self._engine is None:
            self._engine = connect(self.layout, self._spec, self._endpoint, self._user)
        return self._engine

    @cached_property
    def _parsed(self) -> tuple[Dataset, list[ParsedFile]]:
        if isinstance(self._engine, MemoryEngine):
            return self._engine.dataset, self._engine.files
        from kg.data.store import load_dataset
        from kg.identity.referents import apply_to_dataset

        parsed = load_dataset(self.layout)
        apply_to_dataset(parsed[0])  # merged entities: referents rewritten to canonical IRIs
        return parsed

    @cached_property
    def dataset(self) -> Dataset:
        """The data as an rdflib Dataset (default graph = union of all named graphs).

        When an Oxigraph engine is already open, its store's quads make the dataset: the data
        is parsed once (the server, ``kg.load()`` followed by ``.dataset``); else rdflib parses
        the files (the memory engine's dataset is its own).
        """
        if isinstance(self._engine, OxigraphEngine) and "_parsed" not in self.__dict__:
            from kg.data.store import dataset_of_quads

            dataset = dataset_of_quads(self._engine.asserted_quads())
            log.info("rdflib dataset made from the Oxigraph store's quads, not parsed again")
            return dataset
        return self._parsed[0]

    @property
    def files(self) -> list[ParsedFile]:
        """How many statements each data file contributed (as rdflib parsed it)."""
        return self._parsed[1]

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        max_rows: int | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        allow_partial: bool = False,
    ) -> QueryResult:
        """Run a SPARQL query safely (see :func:`kg.query.run.run`).

        The project's prefixes (``kg:``, ``kgr:``, ``schema:``, ``rdfs:`` …) are predeclared, and
        the default graph is the union of all graphs, RDFS subclass/subproperty closure included.

        Args:
            sparql: The query text.
            bindings: Values for variables (rdflib or pyoxigraph terms; a ``str`` is a plain
                literal), bound by the engine and never spliced into the text.
            timeout: Seconds before :class:`kg.query.run.QueryTimeout`; ``None`` for none.
            max_rows: Stop after this many rows; ``result.truncated`` says so.
            default_graphs: Graph IRIs forming the default graph instead of the union.
            named_graphs: Graph IRIs available to ``GRAPH``.
            allow_partial: Return a remote server's incomplete answer (``result.partial``
                says why) instead of raising :class:`kg.query.results.PartialAnswer`.

        Returns:
            A :class:`kg.query.results.QueryResult`: iterate for rdflib-style rows, or use
            ``.to_dicts()``, ``.to_dataframe()``, ``.serialize(fmt)``, ``.askAnswer``.
        """
        return run(
            self.engine,
            sparql,
            bindings=_terms(bindings),
            timeout=timeout,
            max_rows=max_rows,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            allow_partial=allow_partial,
        )

    def labels(self, iris: Iterable[str], lang: str = "zh") -> dict[str, str]:
        """Display labels of ``iris`` in ``lang`` (falling back to the other language)."""
        wanted = sorted(set(iris))
        if not wanted:
            return {}
        # the IRIs are written by pyoxigraph (validated, escaped): nothing typed is spliced
        query = _LABELS.format(iris=" ".join(str(ox.NamedNode(iri)) for iri in wanted))
        found: dict[str, dict[str, str]] = {}
        for subject, label in self.query(query, timeout=None).rows:
            assert isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal)
            found.setdefault(subject.value, {}).setdefault(label.language or "", label.value)
        other = "en" if lang != "en" else "zh"
        return {iri: names.get(lang) or names[other] for iri, names in found.items()}

    @cached_property
    def names(self) -> Names:
        """The names of every entity (see :mod:`kg.query.resolve`), read once."""
        from kg.query.resolve import Names

        return Names.from_engine(self.engine)

    def resolve(self, name: str) -> str:
        """The IRI of the entity ``name`` designates: an IRI, CURIE, local name, label or alias.

        Raises:
            kg.query.resolve.EntityNotFound: If nothing matches (naming the closest entities).
            kg.query.resolve.AmbiguousEntity: If several entities match (with their types).

        >>> import kg
        >>> kg.load().resolve("tang jie")
        'https://w3id.org/zhipu-kg/resource/TangJie'
        """
        return self.names.resolve(name)

    def search(self, text: str, limit: int = 20) -> list[tuple[float, Entry, str]]:
        """Entities whose labels or aliases match ``text``: ``(score, entry, matched name)``."""
        return self.names.search(text, limit)

    def quotes(self, text: str, limit: int = 20) -> list[tuple[str, str, str, str]]:
        """Quotes that contain ``text`` (ignoring case): ``(graph, start, end, quote)``."""
        import unicodedata

        wanted = ox.Literal(unicodedata.normalize("NFKC", text).strip())
        result = self.query(_QUOTES, {"text": wanted}, timeout=None, max_rows=limit)
        found = []
        for graph, start, end, quote in result.rows:
            if graph is not None and start is not None and end is not None and quote is not None:
                found.append((graph.value, start.value, end.value, quote.value))
        return found

    def to_networkx(self, *, collapse: bool = True) -> nx.MultiDiGraph:
        """The graph of entities as NetworkX; see :func:`kg.network.projection.to_networkx`."""
        from kg.network.projection import to_networkx

        return to_networkx(self, collapse=collapse)

    def paths(self, a: str, b: str, k: int = 3) -> list[Path]:
        """How ``a`` and ``b`` are linked, facts first; see :func:`kg.network.paths.ranked_paths`.

        >>> [hop.relation for hop in load().paths("唐杰", "商汤")[0].hops]
        ['kg:ledBy', 'kg:businessModel', 'kg:businessModel']
        """
        from kg.network.paths import ranked_paths

        return ranked_paths(self.to_networkx(), a, b, k)

    def validate(self, source: str | os.PathLike[str] | None = None) -> ValidationReport:
        """Check the graph against its contract; see :func:`kg.validate.validate`."""
        from kg.validate import validate

        return validate(self, source=source)

    def stats(self) -> Stats:
        """Counts by class, facts with evidence, languages; see :func:`kg.data.stats.compute`."""
        from kg.data.stats import compute

        return compute(self)


def _terms(bindings: Mapping[str, Any] | None) -> dict[str, Term] | None:
    if not bindings:
        return None
    converted: dict[str, Term] = {}
    for name, value in bindings.items():
        if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal):
            converted[name] = value
        elif isinstance(value, str) and type(value) is str:
            converted[name] = ox.Literal(value)
        else:
            from kg.data.rdflib_bridge import to_oxigraph

            converted[name] = to_oxigraph(value)
    return converted


def load(
    data: str | os.PathLike[str] | None = None,
    engine: str | None = None,
    endpoint: str | None = None,
    *,
    lazy: bool = False,
    include_drafts: bool | None = None,
    user: str | None = None,
    as_of: str | None = None,
) -> KnowledgeGraph:
    """Load the knowledge graph.

    Args:
        data: A data folder (with ``ontology.ttl`` and ``triples/``); default: the one shipped.
        engine: ``oxigraph`` (default), ``oxigraph:DIR`` (persistent store) or ``memory`` (rdflib).
        endpoint: Query a SPARQL 1.1 server at this URL instead (load it with ``kg push``).
        lazy: Open the engine only when a query needs it: what needs only the rdflib dataset or
            the network (``kg viz``, ``kg path``…) then loads the data once, not twice.
        include_drafts: Add the draft evidence graphs (``triples/drafts/``); default: no, unless
            ``$KG_INCLUDE_DRAFTS`` is ``1``.
        user: For ``endpoint``: a user name for servers that ask (HTTP Basic or Digest); the
            password is read from ``$KG_PASSWORD``.
        as_of: The data as known on this day (``YYYY-MM-DD``): evidence from sources published
            later is left out (see :mod:`kg.data.asof`); default ``$KG_AS_OF``, else all of it.

    Raises:
        kg.data.paths.DataDirError: If there is no data folder.
        kg.query.engines.EngineError: If the engine cannot be opened or the data loaded.

    >>> g = load()
    >>> g.query("ASK { kgr:Zhipu a kg:AIStartup }").askAnswer
    True
    """
    layout = data_dir(data, include_drafts=include_drafts, as_of=as_of)
    log.debug(
        "data folder %s%s%s; engine %s",
        layout.root,
        " with drafts" if layout.include_drafts else "",
        f" as of {layout.as_of}" if layout.as_of else "",
        "endpoint" if endpoint else engine or "oxigraph",
    )
    graph = KnowledgeGraph(layout, spec=engine, endpoint=endpoint, user=user)
    if not lazy:
        graph.engine  # noqa: B018 - open now, so that load errors surface here
    return graph
