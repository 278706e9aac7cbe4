"""``kg draft``: draft evidence graphs from a plain-text article, for a curator to edit.

One draft evidence graph per sentence that mentions a known entity and carries a quantity, a date
or a relation cue. Each graph is marked ``kg:status kg:Draft`` and describes its quote with an
``oa:TextQuoteSelector`` and an ``oa:TextPositionSelector`` exact at its offsets. Drafts belong
in ``triples/drafts/``, which the default dataset leaves out (``--include-drafts`` adds it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import RDFS, Dataset, Literal, URIRef
from rdflib.namespace import SKOS

from kg.data.namespaces import CURATION_GRAPH, KG
from kg.data.prefixes import PREFIXES
from kg.data.quantities import find_quantities
from kg.data.sources import source_iri, source_of
from kg.draft.reading import (
    NameIndex,
    find_candidates,
    find_cues,
    find_dates,
    sentences,
)
from kg.draft.writing import DraftGraph, render
from kg.errors import InvalidValue

__all__ = ["DraftResult", "make_draft", "name_index"]


def name_index(dataset: Dataset) -> NameIndex:
    """The labels and aliases of the resources in ``kgg:curation`` (evidence is not read)."""
    curation = dataset.graph(CURATION_GRAPH)
    names: dict[str, set[str]] = {}
    for predicate in (RDFS.label, SKOS.altLabel):
        for subject, text in curation.subject_objects(predicate):
            if isinstance(subject, URIRef) and str(subject).startswith(PREFIXES["kgr"]):
                if (subject, None, KG.SourceArticle) in dataset:
                    continue
                names.setdefault(str(text), set()).add(str(subject))
    return NameIndex(names)


@dataclass(frozen=True)
class DraftResult:
    """A draft document and what it holds."""

    document: str
    sentences: int
    graphs: int
    linked: int
    candidates: int
    quantities: int

    def summary(self) -> str:
        """One line for standard error."""
        return (
            f"draft: {self.sentences} sentences, {self.graphs} draft graphs, "
            f"{self.linked} linked mentions, {self.candidates} candidate names, "
            f"{self.quantities} quantities"
        )


def _year(dataset: Dataset, source: str, date: str | None) -> int | None:
    if date is not None:
        if len(date) < 4 or not date[:4].isdigit():
            raise InvalidValue(f"--date {date!r}: write YYYY, YYYY-MM or YYYY-MM-DD")
        return int(date[:4])
    recorded = dataset.value(URIRef(source), KG.datePublished)
    return int(str(recorded)[:4]) if isinstance(recorded, Literal) else None


def make_draft(
    dataset: Dataset,
    text: str,
    sha256: str,
    *,
    date: str | None = None,
    use_jieba: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> DraftResult:
    """Draft the evidence graphs of ``text``.

    Args:
        dataset: The curated data (its names and its description of the source are read).
        text: The article.
        sha256: The article's fingerprint; the source described with it is named, else the IRI
            ``kg sources add`` would give it.
        date: The source's date for relative dates (default: its recorded ``kg:datePublished``).
        use_jieba: Use jieba's name tags for candidates when it is installed.
        progress: Called with (sentences done, total) every 50 sentences and at the end.

    """
    source = source_of(dataset, sha256) or source_iri(sha256)
    year = _year(dataset, source, date)
    index = name_index(dataset)
    all_sentences = list(sentences(text))
    graphs: list[DraftGraph] = []
    linked = candidates = quantities = 0
    for number, sentence in enumerate(all_sentences, 1):
        if progress is not None and (number % 50 == 0 or number == len(all_sentences)):
            progress(number, len(all_sentences))
        mentions = index.link(sentence)
        if not mentions:
            continue
        found = find_quantities(sentence.text)
        dates = find_dates(sentence.text, year)
        cues = find_cues(sentence.text)
        if not (found or dates or cues):
            continue
        names = find_candidates(sentence, mentions, index, use_jieba=use_jieba)
        graphs.append(DraftGraph(sentence, mentions, names, found, dates, cues))
        linked += len(mentions)
        candidates += len(names)
        quantities += len(found)
    document = render(graphs, source, sha256)
    return DraftResult(document, len(all_sentences), len(graphs), linked, candidates, quantities)
