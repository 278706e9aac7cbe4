"""The public entry point: :func:`load` and the :class:`KnowledgeGraph` it returns."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from rdflib import Dataset
from rdflib.query import Result
from rdflib.term import Identifier

from kg.namespaces import PREFIXES
from kg.paths import DataLayout, data_dir
from kg.store import ParsedFile, load_dataset

if TYPE_CHECKING:
    from kg.stats import Stats
    from kg.validate import ValidationReport


class KnowledgeGraph:
    """The loaded knowledge graph.

    Attributes:
        layout: The data folder it was loaded from.
        dataset: The rdflib Dataset (default graph = union of all named graphs).
        files: How many statements each data file contributed.

    """

    def __init__(self, layout: DataLayout, dataset: Dataset, files: list[ParsedFile]) -> None:
        self.layout = layout
        self.dataset = dataset
        self.files = files

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> Result:
        """Run a SPARQL query over the union of all graphs.

        The project's prefixes (``kg:``, ``kgr:``, ``schema:``, ``rdfs:`` …) are predeclared.

        Args:
            sparql: The query text.
            bindings: Values for variables, bound by the engine (never spliced into the text).

        """
        return self.dataset.query(sparql, initNs=PREFIXES, initBindings=dict(bindings or {}))

    def validate(self, source: str | os.PathLike[str] | None = None) -> ValidationReport:
        """Check the graph against its contract; see :func:`kg.validate.validate`."""
        from kg.validate import validate

        return validate(self, source=source)

    def stats(self) -> Stats:
        """Counts by class, facts with evidence, languages; see :func:`kg.stats.compute`."""
        from kg.stats import compute

        return compute(self)


def load(data: str | os.PathLike[str] | None = None) -> KnowledgeGraph:
    """Load the knowledge graph.

    Args:
        data: A data folder (with ``ontology.ttl`` and ``triples/``); default: the one shipped.

    Raises:
        kg.paths.DataDirError: If there is no data folder.
        kg.store.LoadError: If a file cannot be parsed (message names file and line).

    >>> g = load()
    >>> bool(g.query("ASK { kgr:Zhipu a kg:AIStartup }").askAnswer)
    True

    """
    layout = data_dir(data)
    dataset, files = load_dataset(layout)
    return KnowledgeGraph(layout, dataset, files)
