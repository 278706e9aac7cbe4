"""Reading the RDF for the projection: statements by graph, vocabulary terms, evidence order."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, cast, runtime_checkable

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.data.namespaces import (
    CURATION_GRAPH,
)
from kg.data.rdflib_bridge import to_rdflib
from kg.network.rules import NOTED, VOCABULARY_NAMESPACES, Vocabulary

Attrs = dict[str, Any]
Quads = Iterable[tuple[Node, URIRef, Node, URIRef]]


# ---------------------------------------------------------------- reading the RDF
Graphs = URIRef | tuple[URIRef, ...]
"""The graphs that assert a statement: the one graph (most statements), or a tuple of several."""


def graphs_in(graphs: Graphs) -> tuple[URIRef, ...]:
    """The graphs of a statement (:class:`Statements` keeps a single graph as it is)."""
    return graphs if isinstance(graphs, tuple) else (graphs,)


@dataclass
class Statements:
    """The asserted statements, indexed by subject, with the graphs that assert each.

    A statement's graphs are its one graph itself, not a set of one: a million statements
    would otherwise make a million sets (200 bytes each) the projection writes and reads again.
    """

    out: dict[Node, dict[tuple[URIRef, Node], Graphs]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    mentioned: set[URIRef] = field(default_factory=set)

    def add(self, s: Node, p: URIRef, o: Node, graph: URIRef, mention: bool) -> None:
        """Record ``s p o`` as stated in ``graph`` (``mention``: its IRIs are entities)."""
        stated = self.out[s]
        known = stated.get((p, o))
        if known is None:
            stated[(p, o)] = graph
        elif isinstance(known, tuple):
            if graph not in known:
                stated[(p, o)] = (*known, graph)
        elif known != graph:
            stated[(p, o)] = (known, graph)

    def read(self, quads: Quads, vocabulary: Vocabulary, skipped: Container[URIRef]) -> None:
        """Record every statement of ``quads`` (what :meth:`add` does, in one loop).

        Each statement is shown to ``vocabulary`` (if it notes its property); those of the
        ``skipped`` graphs are not recorded, and those of the curation graph mention no entity.
        A graph's statements come together, as do a subject's: each is looked up once a run.
        """
        out, mentioned, noted, note = self.out, self.mentioned, NOTED, vocabulary.add
        last_graph, last_subject = None, None
        kept = mention = False
        stated: dict[tuple[URIRef, Node], Graphs] = {}
        for s, p, o, graph in quads:
            if p in noted:
                note(s, p, o)
            if graph is not last_graph:
                last_graph = graph
                kept = graph not in skipped
                mention = kept and graph != CURATION_GRAPH
            if not kept:
                continue
            if s is not last_subject:
                last_subject, stated = s, out[s]
            known = stated.setdefault((p, o), graph)  # one look-up when new (most are)
            if known is not graph:
                if isinstance(known, tuple):
                    if graph not in known:
                        stated[(p, o)] = (*known, graph)
                elif known != graph:
                    stated[(p, o)] = (known, graph)
            if mention and p not in _NOT_MENTIONING:
                if isinstance(s, URIRef):
                    mentioned.add(s)
                if isinstance(o, URIRef):
                    mentioned.add(o)
        if mention and p not in _NOT_MENTIONING:
            if isinstance(s, URIRef):
                self.mentioned.add(s)
            if isinstance(o, URIRef):
                self.mentioned.add(o)


_NOT_MENTIONING = frozenset({RDF.type})
"""Properties whose statements make no entity of their subject or object."""


def is_vocabulary(term: Node | str) -> bool:
    """Whether ``term`` belongs to a vocabulary (kg:, rdf:, rdfs:, owl:, xsd:, skos:)."""
    return str(term).startswith(VOCABULARY_NAMESPACES)


def graph_id(graph: Graph | Node | None) -> Node | None:
    """The name of a graph, whether given as a graph or as its name."""
    return graph.identifier if isinstance(graph, Graph) else graph


def graph_quads(
    source: Graph, keep: Callable[[URIRef], bool]
) -> Iterator[tuple[Node, URIRef, Node, URIRef]]:
    """Statements with their graph (all graphs of a Dataset that ``keep`` accepts).

    A plain Graph counts as one graph, named by its identifier.
    """
    if isinstance(source, Dataset):
        for s, p, o, g in source.quads((None, None, None, None)):
            gid = graph_id(g)
            if isinstance(gid, URIRef) and isinstance(p, URIRef) and keep(gid):
                yield s, p, o, gid
    else:
        gid = source.identifier if isinstance(source.identifier, URIRef) else URIRef("urn:x:")
        for s, p, o in source:
            if isinstance(p, URIRef):
                yield s, p, o, gid


@runtime_checkable
class HasQuads(Protocol):
    """A loaded store the projection can read in one pass (an Oxigraph engine is one)."""

    referents: dict[str, str]

    def loaded_quads(self) -> Iterator[ox.Quad]:
        """Every quad as loaded (referents applied), without the entailments."""
        ...

    def quads_matching(
        self,
        subject: ox.NamedNode | ox.BlankNode | None,
        predicate: ox.NamedNode | None,
        obj: ox.NamedNode | ox.BlankNode | ox.Literal | None,
    ) -> Iterator[ox.Quad]:
        """The loaded quads that match a pattern (``None``: anything), in any graph."""
        ...


@runtime_checkable
class HasEngine(Protocol):
    """What holds a query engine (a :class:`kg.KnowledgeGraph`, which opens it on first use)."""

    @property
    def engine(self) -> object:
        """The engine (an Oxigraph engine is also :class:`HasQuads`)."""
        ...


def store_quads(
    store: HasQuads, keep: Callable[[URIRef], bool], known: Iterable[URIRef] = ()
) -> Iterator[tuple[Node, URIRef, Node, URIRef]]:
    """:func:`graph_quads` of a loaded store, in one pass, as rdflib terms.

    Each distinct term is converted once and shared by every statement naming it, and the
    ``known`` IRIs are these very objects, so the reader's indexes find them by identity
    (rdflib compares terms in Python, a slow step when done once per statement).
    """
    terms: dict[Any, Any] = {}  # Any: no typing.cast called once per statement
    named = {str(iri): iri for iri in known}

    def term(value: Any) -> Any:  # a term not met before
        found: Node
        if isinstance(value, ox.NamedNode):
            found = named.get(value.value) or URIRef(value.value)
        elif isinstance(value, ox.Literal) and value.language:
            # rdflib's normalising changes no tagged string, and takes half its time
            found = RDFLiteral(value.value, lang=value.language, normalize=False)
        else:
            found = to_rdflib(value)
        terms[value] = found
        return found

    known_term = terms.get  # looked up first: most terms are met before (no call of term())
    # The store gives a graph's quads together, a subject's together: the last graph and subject
    # are compared (in Rust) before any look-up by hash in the large table of terms.
    last_graph: Any = None
    last_subject: Any = None
    wanted, gid, sid = False, cast(Any, None), cast(Any, None)
    for subject, predicate, obj, graph in store.loaded_quads():
        if graph != last_graph:
            last_graph = graph
            wanted = isinstance(graph, ox.NamedNode) and keep(URIRef(graph.value))
            gid = known_term(graph) or term(graph)
        if wanted and isinstance(predicate, ox.NamedNode):
            if subject != last_subject:
                last_subject, sid = subject, known_term(subject) or term(subject)
            yield sid, known_term(predicate) or term(predicate), known_term(obj) or term(obj), gid


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a projection allocates its objects.

    They form no garbage cycles, but each collection scans all of them again: left on, the
    collector makes the time grow faster than the data.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def by_position(quote: Attrs) -> tuple[int, str]:
    """Sort key of quotes: by offset in the article (unknown first), then by graph."""
    start = quote.get("start")
    return (start if isinstance(start, int) else -1, str(quote["graph"]))


def only_curated(graphs: Iterable[URIRef]) -> bool:
    """Whether a statement is asserted by the curators alone (no evidence graph)."""
    return all(g == CURATION_GRAPH for g in graphs)
