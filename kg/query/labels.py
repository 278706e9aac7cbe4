"""Labels read from the loaded store when they are asked for, not indexed up front.

:func:`kg.query.entity.load_labels` reads every label of the data into one dictionary: right
for a command that prints many of them, too much for a server at a million statements (seconds
at start and a dictionary per entity in every process). :class:`StoreLabels` is the same mapping
read on demand: one query for the IRIs asked (``VALUES``), the answers kept (up to ``keep``
IRIs, the oldest dropped first), with the same rule as ``load_labels``: every ``rdfs:label``
(entailed ones included), the first by primary language subtag.

>>> import kg
>>> from kg.data.prefixes import PREFIXES
>>> labels = StoreLabels(kg.load().engine)
>>> labels[PREFIXES["kgr"] + "TangJie"]["en"], PREFIXES["kgr"] + "Nobody" in labels
('Tang Jie', False)
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox

from kg.query.engines import Engine
from kg.query.run import run

__all__ = ["StoreLabels"]

_OF = "SELECT ?s ?label WHERE {{ VALUES ?s {{ {iris} }} ?s rdfs:label ?label }}"
_LABELLED = "SELECT DISTINCT ?s WHERE { ?s rdfs:label ?label FILTER(isIRI(?s)) }"
#: IRIs asked in one query.
BATCH = 200


class StoreLabels(Mapping[str, dict[str, str]]):
    """Every ``rdfs:label`` of ``engine``'s data by IRI and language, read when asked.

    Safe to share between threads. An IRI without labels is not in the mapping.

    Args:
        engine: The loaded data.
        keep: How many IRIs' answers are kept (labelled or not).
    """

    def __init__(self, engine: Engine, keep: int = 20_000) -> None:
        self.engine = engine
        self.keep = keep
        self._kept: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()

    def __getitem__(self, iri: str) -> dict[str, str]:
        own = self.fetch([iri]).get(iri)
        if not own:
            raise KeyError(iri)
        return own

    def __iter__(self) -> Iterator[str]:
        for (subject,) in run(self.engine, _LABELLED, timeout=None).rows:
            if isinstance(subject, ox.NamedNode):
                yield subject.value

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def fetch(self, iris: Iterable[str]) -> dict[str, dict[str, str]]:
        """The labels of those of ``iris`` that have any: one query per :data:`BATCH` not kept.

        A string that is not an IRI has no labels.
        """
        wanted = list(dict.fromkeys(iris))
        with self._lock:
            known = {iri: self._kept[iri] for iri in wanted if iri in self._kept}
        missing = [iri for iri in wanted if iri not in known]
        for start in range(0, len(missing), BATCH):
            known.update(self._read(missing[start : start + BATCH]))
        return {iri: own for iri in wanted if (own := known[iri])}

    def _read(self, iris: list[str]) -> dict[str, dict[str, str]]:
        """The labels of ``iris`` (empty for those without), read now and kept."""
        nodes = []
        for iri in iris:
            with contextlib.suppress(ValueError):  # not an IRI: nothing is labelled so
                nodes.append(ox.NamedNode(iri))
        found: dict[str, dict[str, str]] = {iri: {} for iri in iris}
        if nodes:
            text = _OF.format(iris=" ".join(str(node) for node in nodes))
            for subject, label in run(self.engine, text, timeout=None).rows:
                if isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal):
                    language = (label.language or "").split("-")[0].lower()
                    found[subject.value].setdefault(language, label.value)
        with self._lock:
            self._kept.update(found)
            while len(self._kept) > self.keep:
                del self._kept[next(iter(self._kept))]
        return found
