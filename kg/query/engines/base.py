"""What every engine shares: the interface, its error, collecting results, the data fingerprint."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from kg.data.paths import DataLayout
from kg.errors import EnvironmentProblem
from kg.query.results import QueryResult, Term

DEFAULT_ENGINE = "oxigraph"


class EngineError(EnvironmentProblem, RuntimeError):
    """The engine could not load data or answer (not a problem with the query itself)."""


class Engine(Protocol):
    """What every engine offers.

    Attributes:
        name: The engine's name.
        outbound: The hosts its queries may connect to (none for a local engine).
    """

    name: str
    outbound: frozenset[str]

    def query(
        self,
        text: str,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        max_rows: int | None = None,
        allow_partial: bool = False,
    ) -> QueryResult:
        """Answer a query whose safety was already checked, after :meth:`prepare`.

        A remote server's incomplete answer raises :class:`~kg.query.results.PartialAnswer`,
        or with ``allow_partial`` comes back with ``partial`` saying why (a local engine's
        answers are always whole).
        """
        ...

    def prepare(self, text: str, graphs: Sequence[str] = ()) -> None:
        """Do what ``text`` needs before its deadline starts (Oxigraph: add the entailments)."""
        ...

    def graph_names(self) -> set[str]:
        """The named graphs the engine holds."""
        ...


def data_fingerprint(layout: DataLayout) -> str:
    """A digest of every data file's name and bytes (decides whether a disk store is current)."""
    import hashlib  # only for on-disk stores; it costs 5 ms of every cold start

    digest = hashlib.sha256()
    for path in [layout.ontology, *layout.triple_files()]:
        name = path.relative_to(layout.root).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    if layout.as_of is not None:
        digest.update(b"as-of\0" + layout.as_of.encode())
    return digest.hexdigest()


def rdf_format(path: Path) -> ox.RdfFormat:
    """The pyoxigraph format of a data file, by its suffix."""
    return ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE


def collect(solutions: Any, form: str, max_rows: int | None) -> QueryResult:
    """Pyoxigraph's answer as a :class:`QueryResult`, cut at ``max_rows``."""
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
