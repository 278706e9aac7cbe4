"""Where the data is held and queried: three engines behind one small interface.

* :class:`OxigraphEngine` (``oxigraph``, the default): pyoxigraph, in memory or persistent on
  disk (``oxigraph:DIR``). Fastest to start and to answer.
* :class:`MemoryEngine` (``memory``): rdflib's own store and SPARQL engine.
* :class:`EndpointEngine` (``--endpoint URL``): any SPARQL 1.1 server, through the protocol.

Both local engines load the ontology into ``kgg:ontology`` and every TriG file as is, then
materialise the RDFS subclass and subproperty closure into ``kgg:inference``, so that a query for
``schema:Organization`` (or ``kg:involves``) finds every company, fund and institute (or every
participant). Engines return :class:`kg.query.results.QueryResult` with pyoxigraph terms.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from kg.data.paths import DataLayout
from kg.data.prefixes import INFERENCE_GRAPH, ONTOLOGY_GRAPH, PREFIXES
from kg.errors import EnvironmentProblem
from kg.query.results import QueryResult, Term
from kg.query.safety import QueryAnalysis, analyse, with_values

DEFAULT_ENGINE = "oxigraph"

_RDFS = PREFIXES["rdfs"]
_RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_CLOSURE = (
    "SELECT DISTINCT ?term ?parent WHERE {{ "
    "GRAPH <{graph}> {{ ?term <{rdfs}{relation}>+ ?parent }} "
    "FILTER(isIRI(?term) && isIRI(?parent)) }}"
)

#: Parents by term: (subclass closure, subproperty closure).
Closure = tuple[dict[ox.NamedNode, list[ox.NamedNode]], dict[ox.NamedNode, list[ox.NamedNode]]]


def rdfs_closure(store: ox.Store) -> Closure:
    """The ontology's subclass and subproperty closures (small: computed by one query each)."""
    closures = []
    for relation in ("subClassOf", "subPropertyOf"):
        parents: dict[ox.NamedNode, list[ox.NamedNode]] = {}
        query = _CLOSURE.format(graph=ONTOLOGY_GRAPH, rdfs=_RDFS, relation=relation)
        solutions = store.query(query)
        assert isinstance(solutions, ox.QuerySolutions)
        for row in solutions:
            term, parent = row["term"], row["parent"]
            assert isinstance(term, ox.NamedNode) and isinstance(parent, ox.NamedNode)
            parents.setdefault(term, []).append(parent)
        closures.append(parents)
    return closures[0], closures[1]


def materialise_rdfs_oxigraph(store: ox.Store, closure: Closure | None = None) -> None:
    """Add the RDFS subclass / subproperty closure (rdfs9, rdfs7) to ``kgg:inference``.

    The ontology's closure is small, so it is computed first; each term's statements are then
    read by pattern and the entailments added in one bulk insert (20% faster at 1M triples than
    a SPARQL ``INSERT … WHERE`` joined with ``VALUES``).
    """
    classes, properties = closure if closure is not None else rdfs_closure(store)
    inferred = ox.NamedNode(INFERENCE_GRAPH)
    new: list[ox.Quad] = []
    for term, parents in classes.items():
        for quad in store.quads_for_pattern(None, _RDF_TYPE, term, None):
            new += [ox.Quad(quad.subject, _RDF_TYPE, parent, inferred) for parent in parents]
    for term, parents in properties.items():
        for quad in store.quads_for_pattern(None, term, None, None):
            new += [ox.Quad(quad.subject, parent, quad.object, inferred) for parent in parents]
    store.bulk_extend(new)


class EngineError(EnvironmentProblem, RuntimeError):
    """The engine could not load data or answer (not a problem with the query itself)."""


class Engine(Protocol):
    """What every engine offers."""

    name: str

    def query(
        self,
        text: str,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Answer a query whose safety was already checked."""
        ...

    def graph_names(self) -> set[str]:
        """The named graphs the engine holds."""
        ...


def data_fingerprint(layout: DataLayout) -> str:
    """A digest of every data file's name and bytes (decides whether a disk store is current)."""
    import hashlib  # only for on-disk stores; it costs 5 ms of every cold start

    digest = hashlib.sha256()
    for path in [layout.ontology, *layout.triple_files()]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _rdf_format(path: Path) -> ox.RdfFormat:
    return ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE


def _collect(solutions: Any, form: str, max_rows: int | None) -> QueryResult:
    if isinstance(solutions, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(solutions))
    if isinstance(solutions, ox.QueryTriples):
        triples: list[ox.Triple] = []
        for triple in solutions:
            if max_rows is not None and len(triples) >= max_rows:
                return QueryResult(form, triples=triples, truncated=True)
            triples.append(triple)
        return QueryResult(form, triples=triples)
    variables = [v.value for v in solutions.variables]
    rows: list[tuple[Term | None, ...]] = []
    for solution in solutions:
        if max_rows is not None and len(rows) >= max_rows:
            return QueryResult("SELECT", variables, rows, truncated=True)
        rows.append(tuple(solution))  # in ``variables`` order; 5x faster than by name
    return QueryResult("SELECT", variables, rows)


class OxigraphEngine:
    """pyoxigraph, in memory or on disk.

    Args:
        layout: The data to load.
        directory: A folder for a persistent store; reused while the data is unchanged.
    """

    name = "oxigraph"
    _FINGERPRINT = ox.NamedNode(PREFIXES["kgg"] + "fingerprint")

    def __init__(self, layout: DataLayout, directory: str | Path | None = None) -> None:
        self._store = ox.Store(str(directory)) if directory is not None else ox.Store()
        self._inferred = True
        fingerprint = data_fingerprint(layout) if directory is not None else ""
        if directory is None or not self._is_current(fingerprint):
            self._load(layout)
            self._inferred = False
            if directory is not None:  # a store on disk keeps its entailments: add them now
                self._materialise()
                self._mark(fingerprint)
                self._store.flush()

    @property
    def store(self) -> ox.Store:
        """The whole store, entailments included."""
        self._materialise()
        return self._store

    def _materialise(self) -> None:
        if not self._inferred:
            materialise_rdfs_oxigraph(self._store, self._closure)
            self._inferred = True

    @functools.cached_property
    def _closure(self) -> Closure:
        return rdfs_closure(self._store)

    @functools.cached_property
    def _entailing(self) -> frozenset[str]:
        """IRIs whose mention lets a query see entailments: every parent, the inference graph."""
        classes, properties = self._closure
        parents = {p.value for ps in (*classes.values(), *properties.values()) for p in ps}
        return frozenset({*parents, INFERENCE_GRAPH})

    def _needs_entailments(self, plan: QueryAnalysis, graphs: Sequence[str]) -> bool:
        """Whether the answer could differ without ``kgg:inference`` (decided conservatively).

        Entailments are added on the first query that may see them, so that what never asks
        for them (``kg query --name funding_by_city``) does not pay for them.
        """
        return (
            plan.has_open_pattern
            or not self._entailing.isdisjoint(plan.iris)
            or not self._entailing.isdisjoint(graphs)
        )

    def _is_current(self, fingerprint: str) -> bool:
        marks = self._store.quads_for_pattern(
            self._FINGERPRINT, self._FINGERPRINT, None, ox.NamedNode(INFERENCE_GRAPH)
        )
        return any(
            isinstance(q.object, ox.Literal) and q.object.value == fingerprint for q in marks
        )

    def _mark(self, fingerprint: str) -> None:
        self._store.add(
            ox.Quad(
                self._FINGERPRINT,
                self._FINGERPRINT,
                ox.Literal(fingerprint),
                ox.NamedNode(INFERENCE_GRAPH),
            )
        )

    def _load(self, layout: DataLayout) -> None:
        self._store.clear()
        try:
            self._store.bulk_load(
                path=str(layout.ontology),
                format=ox.RdfFormat.TURTLE,
                to_graph=ox.NamedNode(ONTOLOGY_GRAPH),
            )
            for path in layout.triple_files():
                self._store.bulk_load(path=str(path), format=_rdf_format(path))
        except SyntaxError as err:
            raise EngineError(f"cannot load the data: {err}") from err

    def query(
        self,
        text: str,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Answer with pyoxigraph (the union of all graphs is the default graph)."""
        plan = analyse(text)
        if not self._inferred and self._needs_entailments(
            plan, [*(default_graphs or ()), *(named_graphs or ())]
        ):
            self._materialise()
        options: dict[str, Any] = {"prefixes": PREFIXES}
        if default_graphs is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs] or [
                ox.DefaultGraph()
            ]
        elif not (plan.from_graphs or plan.from_named_graphs):  # a query's own FROM wins
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        text = plan.text
        if bindings and (plan.projected is None or plan.projected >= bindings.keys()):
            options["substitutions"] = {ox.Variable(k): v for k, v in bindings.items()}
        elif bindings:  # pyoxigraph substitutes only projected variables (SEP-0007)
            text = with_values(text, bindings)
        return _collect(self._store.query(text, **options), plan.form, max_rows)

    def graph_names(self) -> set[str]:
        """Every named graph in the store (entailments included)."""
        return {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}


class MemoryEngine:
    """rdflib's in-memory Dataset and SPARQL engine."""

    name = "memory"

    def __init__(self, layout: DataLayout) -> None:
        import rdflib.plugins.sparql

        from kg.data.store import load_dataset

        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # FROM never fetches
        self.dataset, self.files = load_dataset(layout)
        materialise_rdfs(self.dataset)

    def query(
        self,
        text: str,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Answer with rdflib (the union of all graphs is the default graph)."""
        from rdflib import Dataset, URIRef

        from kg.data.rdflib_bridge import to_oxigraph, to_rdflib

        target = self.dataset
        if default_graphs is not None or named_graphs is not None:
            target = Dataset(default_union=False)
            for name in default_graphs if default_graphs is not None else []:
                for triple in self.dataset.graph(URIRef(name)):
                    target.default_graph.add(triple)
            for name in named_graphs if named_graphs is not None else self.graph_names():
                view = target.graph(URIRef(name))
                for triple in self.dataset.graph(URIRef(name)):
                    view.add(triple)
        init = {k: to_rdflib(v) for k, v in (bindings or {}).items()}
        result = target.query(text, initNs=PREFIXES, initBindings=init)
        form = analyse(text).form
        if result.type == "ASK":
            return QueryResult("ASK", boolean=bool(result.askAnswer))
        if result.type in {"CONSTRUCT", "DESCRIBE"}:
            assert result.graph is not None
            triples = [_ox_triple(s, p, o) for s, p, o in result.graph]
            cut = max_rows is not None and len(triples) > max_rows
            return QueryResult(form, triples=triples[:max_rows] if cut else triples, truncated=cut)
        variables = [str(v) for v in result.vars or []]
        rows: list[tuple[Term | None, ...]] = []
        for row in result.bindings:
            if max_rows is not None and len(rows) >= max_rows:
                return QueryResult("SELECT", variables, rows, truncated=True)
            values = {str(k): v for k, v in row.items()}
            rows.append(tuple(to_oxigraph(values[v]) if v in values else None for v in variables))
        return QueryResult("SELECT", variables, rows)

    def graph_names(self) -> set[str]:
        """Every named graph in the dataset."""
        from rdflib import URIRef

        return {
            str(g.identifier) for g in self.dataset.graphs() if isinstance(g.identifier, URIRef)
        }


def materialise_rdfs(dataset: Any) -> None:
    """Add the subclass / subproperty closure to ``kgg:inference`` of an rdflib Dataset.

    The same entailments as :func:`materialise_rdfs_oxigraph` (a test checks they are equal),
    computed in Python because rdflib's SPARQL Update takes seconds where this takes milliseconds.
    """
    from rdflib import RDF, RDFS, URIRef

    ontology = dataset.graph(URIRef(ONTOLOGY_GRAPH))
    inferred = dataset.graph(URIRef(INFERENCE_GRAPH))

    def closure(relation: URIRef) -> dict[Any, set[Any]]:
        return {
            term: {t for t in ontology.transitive_objects(term, relation) if isinstance(t, URIRef)}
            - {term}
            for term in set(ontology.subjects(relation, None))
        }

    classes, properties = closure(RDFS.subClassOf), closure(RDFS.subPropertyOf)
    statements = list(dataset.triples((None, None, None)))
    for subject, predicate, obj in statements:
        if predicate == RDF.type:
            for parent in classes.get(obj, ()):
                inferred.add((subject, RDF.type, parent))
        for parent in properties.get(predicate, ()):
            inferred.add((subject, parent, obj))


def _ox_triple(subject: Any, predicate: Any, obj: Any) -> ox.Triple:
    from kg.data.rdflib_bridge import to_oxigraph

    s, p, o = to_oxigraph(subject), to_oxigraph(predicate), to_oxigraph(obj)
    if isinstance(s, ox.Literal) or not isinstance(p, ox.NamedNode):
        raise EngineError(f"not an RDF triple: {subject} {predicate} {obj}")
    return ox.Triple(s, p, o)


class EndpointEngine:
    """A remote SPARQL 1.1 server, queried through :class:`kg.remote.client.SparqlClient`.

    Args:
        url: The query endpoint.
        timeout: Seconds to wait for the server.
        user: A user name for servers that ask (Basic or Digest); the password is read from
            the environment variable ``KG_PASSWORD``.
    """

    name = "endpoint"

    def __init__(self, url: str, timeout: float = 30.0, user: str | None = None) -> None:
        from kg.remote.client import Credentials, RemoteError, SparqlClient

        try:
            self.client = SparqlClient(url, credentials=Credentials.from_env(user), timeout=timeout)
        except RemoteError as err:
            raise EngineError(str(err)) from None
        self.url = url
        self.timeout = timeout

    def query(
        self,
        text: str,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Send the query (prefixes declared, bindings as a VALUES clause) and parse the answer."""
        from kg.remote.client import RemoteError

        body = with_prologue(with_values(text, bindings) if bindings else text)
        try:
            return self.client.query(
                body, analyse(text).form, default_graphs, named_graphs, max_rows
            )
        except RemoteError as err:
            raise EngineError(str(err)) from None

    def graph_names(self) -> set[str]:
        """The server's named graphs (asked with a query)."""
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return {row[0].value for row in result.rows if isinstance(row[0], ox.NamedNode)}


def with_prologue(text: str) -> str:
    """Declare the project's prefixes that ``text`` uses but does not declare itself."""
    analysis = analyse(text)
    declared = {prefix for prefix, _ in analysis.prefixes}
    used = analysis.used_prefixes()
    lines = [f"PREFIX {p}: <{PREFIXES[p]}>" for p in sorted(used - declared) if p in PREFIXES]
    return "\n".join([*lines, text])


def push(
    layout: DataLayout,
    endpoint: str,
    graph_store: str | None = None,
    timeout: float = 600.0,
    update: str | None = None,
) -> dict[str, int]:
    """Replace every graph of the dataset on a SPARQL server and count it there.

    See :func:`kg.remote.push.push`, which this calls, for the options (update URL,
    authentication, bulk loading) and for how a failed push is reported.

    Returns:
        Triples sent per graph, each counted on the server afterwards.

    Raises:
        EngineError: The push failed, or the server does not hold what was sent.
    """
    from kg.remote.client import RemoteError
    from kg.remote.push import push as push_graphs

    try:
        return push_graphs(
            layout, endpoint, update=update, graph_store=graph_store, timeout=timeout
        ).sent
    except RemoteError as err:
        raise EngineError(str(err)) from None


def open_engine(layout: DataLayout, spec: str | None = None, endpoint: str | None = None) -> Engine:
    """Open the engine ``spec`` (``memory``, ``oxigraph``, ``oxigraph:DIR``) or ``endpoint``.

    Raises:
        EngineError: For an unknown engine name.
    """
    if endpoint:
        return EndpointEngine(endpoint)
    name, _, directory = (spec or DEFAULT_ENGINE).partition(":")
    if name == "memory" and not directory:
        return MemoryEngine(layout)
    if name == "oxigraph":
        return OxigraphEngine(layout, directory or None)
    raise EngineError(f"unknown engine {spec!r}: use memory, oxigraph or oxigraph:DIR")


__all__ = [
    "DEFAULT_ENGINE",
    "EndpointEngine",
    "Engine",
    "EngineError",
    "MemoryEngine",
    "OxigraphEngine",
    "open_engine",
    "push",
]
