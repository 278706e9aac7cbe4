"""The rdflib engine: rdflib's Dataset and SPARQL, the RDFS closure computed in Python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyoxigraph as ox

from kg.data.paths import DataLayout
from kg.data.prefixes import INFERENCE_GRAPH, ONTOLOGY_GRAPH, PREFIXES
from kg.identity.referents import apply_to_dataset
from kg.query.aliases import canonical_text
from kg.query.engines.base import EngineError
from kg.query.results import QueryResult, Term
from kg.query.safety import analyse


class MemoryEngine:
    """rdflib's in-memory Dataset and SPARQL engine."""

    name = "memory"
    outbound: frozenset[str] = frozenset()

    def __init__(self, layout: DataLayout) -> None:
        import rdflib.plugins.sparql

        from kg.data.store import load_dataset

        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # FROM never fetches
        self.dataset, self.files = load_dataset(layout)
        #: Merged IRIs (``kg merge``) and their canonical IRIs, for queries that name old ones.
        self.referents = apply_to_dataset(self.dataset)  # statements moved to canonical IRIs
        materialise_rdfs(self.dataset)

    def query(
        self,
        text: str,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        max_rows: int | None = None,
        allow_partial: bool = False,
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
        text = canonical_text(text, self.referents) if self.referents else text
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
            # rdflib gives a GROUP BY key that is unbound in a group as None: unbound, as here
            values = {str(k): v for k, v in row.items() if v is not None}
            rows.append(tuple(to_oxigraph(values[v]) if v in values else None for v in variables))
        return QueryResult("SELECT", variables, rows)

    def prepare(self, text: str, graphs: Sequence[str] = ()) -> None:
        """Nothing to do before a query's deadline starts."""

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
