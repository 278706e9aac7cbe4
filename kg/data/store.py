"""Load the knowledge graph into an rdflib Dataset.

The ontology goes into the named graph ``kgg:ontology``; every TriG file in ``triples/`` brings
its own named graphs (one per evidence quote, plus ``kgg:curation`` and ``kgg:provenance``).
The dataset's default graph is the union of all graphs, so plain queries see every triple and
provenance queries use ``GRAPH ?g``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from rdflib import Dataset, Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.data.namespaces import ONTOLOGY_GRAPH, PREFIXES
from kg.data.paths import DataLayout
from kg.errors import Findings
from kg.logs import Log

log = Log(__name__)


class LoadError(Findings, ValueError):
    """A data file could not be read or parsed.

    Attributes:
        path: The file.
        line: The 1-based line of the problem, when the parser reports one.
        reason: What is wrong.

    """

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class ParsedFile:
    """How many triples (or quads) one file contributed.

    Attributes:
        path: The file.
        statements: Its statement count, as parsed by rdflib.

    """

    path: Path
    statements: int


class HasDataset(Protocol):
    """Loaded data as rdflib sees it (a :class:`kg.KnowledgeGraph` is one)."""

    @property
    def dataset(self) -> Dataset:
        """The union Dataset of every file."""
        ...


def _format_of(path: Path) -> str:
    return "trig" if path.suffix == ".trig" else "turtle"


_VARIABLE = re.compile(r"(?:^|[\s(\[{,;])[?$][A-Za-z_]")
"""A SPARQL variable where a term belongs (rdflib's parser fails on it with AttributeError)."""


def syntax_problem(err: Exception, text: str) -> tuple[int | None, str]:
    """Where and what an rdflib parse error of Turtle or TriG ``text`` is, for a person.

    Args:
        err: What rdflib's Turtle/TriG parser raised.
        text: The text it was parsing.

    Returns:
        The 1-based line (``None`` when rdflib does not say) and a one-line description.

    """
    if isinstance(err, BadSyntax):
        return err.lines + 1, " ".join(err.message.split())
    if isinstance(err, AttributeError):
        lines = text.splitlines()
        line = next((n for n, row in enumerate(lines, 1) if _VARIABLE.search(row)), None)
        return line, "a variable (?x) is not an RDF term; write an IRI or _:x"
    match = re.search(r"line (\d+)", str(err))
    return (int(match.group(1)) if match else None), " ".join(str(err).split())


def _syntax_error(path: Path, err: Exception) -> LoadError:
    text = "" if not isinstance(err, AttributeError) else path.read_text("utf-8", "replace")
    line, what = syntax_problem(err, text)
    return LoadError(path, line, f"syntax error: {what}")


def parse_file(path: Path) -> Dataset:
    """Parse one Turtle or TriG file into a fresh Dataset.

    Raises:
        LoadError: With the file and line of a syntax error.

    """
    dataset = Dataset()
    try:
        if _format_of(path) == "trig":
            dataset.parse(path, format="trig")
        else:
            dataset.graph(ONTOLOGY_GRAPH).parse(path, format="turtle")
    # rdflib's Turtle parser reads `?x` as a formula's variable and fails with AttributeError
    except (BadSyntax, SyntaxError, ValueError, AttributeError) as err:
        raise _syntax_error(path, err) from None
    except OSError as err:
        raise LoadError(path, None, f"cannot read: {err.strerror or err}") from None
    return dataset


def load_dataset(layout: DataLayout) -> tuple[Dataset, list[ParsedFile]]:
    """Load the ontology and every data file of ``layout`` into one union Dataset.

    Returns:
        The dataset and the per-file statement counts (for cross-checking with a second parser).

    Raises:
        LoadError: For the first file that cannot be parsed.

    """
    from kg.progress import progress

    started = time.perf_counter()
    files = [layout.ontology, *layout.triple_files()]
    with progress(len(files), "parsing", unit="files") as bar:

        def each() -> Iterator[tuple[Path, Dataset]]:
            for path in files:
                yield path, parse_file(path)
                bar.advance()

        dataset, parsed = assemble(each())
    if layout.as_of is not None:
        as_of(dataset, layout.as_of)
    log.info(
        "rdflib parsed %d files from %s (%d statements) in %.2f s",
        len(files),
        layout.root,
        sum(file.statements for file in parsed),
        time.perf_counter() - started,
    )
    return dataset, parsed


def as_of(dataset: Dataset, day: str) -> None:
    """Leave out of ``dataset`` what was not yet published on ``day`` (:mod:`kg.data.asof`)."""
    import datetime

    import pyoxigraph as ox

    from kg.data.asof import apply_as_of
    from kg.data.rdflib_bridge import to_oxigraph, to_rdflib

    store = ox.Store()
    quads = []
    for s, p, o, g in dataset.quads((None, None, None, None)):
        subject, predicate, name = to_oxigraph(s), to_oxigraph(p), to_oxigraph(g)
        if isinstance(subject, ox.Literal) or isinstance(name, ox.Literal):
            continue
        if isinstance(predicate, ox.NamedNode):
            quads.append(ox.Quad(subject, predicate, to_oxigraph(o), name))
    store.bulk_extend(quads)
    view = apply_as_of(store, datetime.date.fromisoformat(day))
    for quad in view.removed:
        graph = dataset.graph(to_rdflib(quad.graph_name))
        graph.remove((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))


def dataset_of_quads(quads: Iterable[Any]) -> Dataset:
    """One union Dataset of quads pyoxigraph already parsed (the data is not parsed again).

    Args:
        quads: ``pyoxigraph.Quad`` objects.
    """
    import pyoxigraph as ox

    from kg.data.rdflib_bridge import to_rdflib

    dataset = _union_dataset()
    dataset.addN(
        (
            to_rdflib(quad.subject),
            to_rdflib(quad.predicate),
            to_rdflib(quad.object),
            dataset.default_context
            if isinstance(quad.graph_name, ox.DefaultGraph)
            else dataset.graph(to_rdflib(quad.graph_name)),
        )
        for quad in quads
    )
    return dataset


def _union_dataset() -> Dataset:
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, replace=True)
    return dataset


def assemble(parts: Iterable[tuple[Path, Dataset]]) -> tuple[Dataset, list[ParsedFile]]:
    """One union Dataset from files parsed one by one, with each file's statement count."""
    dataset = _union_dataset()
    parsed: list[ParsedFile] = []
    for path, part in parts:
        quads = [
            (s, p, o, dataset.graph(g.identifier if isinstance(g, Graph) else g))
            for s, p, o, g in part.quads((None, None, None, None))
        ]
        dataset.addN(quads)
        parsed.append(ParsedFile(path, len(quads)))
    return dataset, parsed
