"""``kg draft``: fact proposals from a plain-text article, for a reviewer to accept or reject.

The reader is layered: sentences (page furniture left out) → amounts, dates and names (known
ones linked across scripts, new ones found by pattern) → proposals, one typed fact each, every
role filled from the same sentence (:mod:`kg.draft.proposals`). Each proposal is its own evidence
graph, marked ``kg:status kg:Draft``, quoted exactly at its offsets, with its cue words and a
confidence; new entities are proposed in ``kgg:draft-curation``. Drafts belong in
``triples/drafts/``, which the default dataset leaves out (``--include-drafts`` adds it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Dataset, Literal, URIRef

from kg.data.namespaces import KG
from kg.data.prefixes import PREFIXES
from kg.data.quantities import find_quantities
from kg.data.sources import source_iri, source_of
from kg.draft.names import NameReader, NewEntity, tickers
from kg.draft.proposals import Proposal, propose
from kg.draft.reading import DateContext, Sentence, find_dates, sentences
from kg.draft.writing import graph_name, render
from kg.errors import InvalidValue

__all__ = ["DraftResult", "make_draft"]


@dataclass(frozen=True)
class DraftResult:
    """A draft document and what it holds."""

    document: str
    sentences: int
    graphs: int
    linked: frozenset[str]
    new_entities: tuple[NewEntity, ...]
    amounts: tuple[str, ...]
    tickers: tuple[str, ...]

    def summary(self) -> str:
        """One line for standard error."""
        return (
            f"draft: {self.sentences} sentences, {self.graphs} fact proposals, "
            f"{len(self.linked)} known entities linked, {len(self.new_entities)} new names, "
            f"{len(self.amounts)} amounts"
        )


def _context(dataset: Dataset, source: str, date: str | None) -> DateContext:
    """What relative dates are read against: ``--date``, else the source's recorded date."""
    if date is None:
        recorded = dataset.value(URIRef(source), KG.datePublished)
        date = str(recorded) if isinstance(recorded, Literal) else None
    try:
        return DateContext.of(date)
    except InvalidValue:
        raise InvalidValue(f"--date {date!r}: write YYYY, YYYY-MM or YYYY-MM-DD") from None


def _drafted(sentence: Sentence) -> bool:
    """Whether a sentence can hold the article's facts: not page furniture (a caption can)."""
    return not sentence.furniture or sentence.furniture_kind == "caption"


def make_draft(
    dataset: Dataset,
    text: str,
    sha256: str,
    *,
    date: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DraftResult:
    """Draft the fact proposals of ``text``.

    Args:
        dataset: The curated data (its names and its description of the source are read).
        text: The article.
        sha256: The article's fingerprint; the source described with it is named, else the IRI
            ``kg sources add`` would give it.
        date: The source's date for relative dates (default: its recorded ``kg:datePublished``).
        progress: Called with (sentences done, total) every 50 sentences and at the end.

    """
    source = source_of(dataset, sha256) or source_iri(sha256)
    context = _context(dataset, source, date)
    reader = NameReader(dataset)
    kept = [s for s in sentences(text) if _drafted(s)]
    for s in kept:
        reader.learn(s)
    reader.settle()

    def role_iri(kind: str, name: str) -> str:
        iri = PREFIXES["kgr"] + name
        if kind == "market" or reader.known(iri):
            return iri
        return reader.role(name).iri

    proposals: list[tuple[str, Proposal]] = []
    linked: set[str] = set()
    amounts: list[str] = []
    codes: list[str] = []
    for number, sentence in enumerate(kept, 1):
        if progress is not None and (number % 50 == 0 or number == len(kept)):
            progress(number, len(kept))
        names = reader.names(sentence)
        linked |= {n.iri for n in names if n.new is None}
        quantities = find_quantities(sentence.text)
        amounts += [q.text for q in quantities]
        found_tickers = [t for _, _, t in tickers(sentence.text)]
        codes += found_tickers
        dates = find_dates(sentence.text, None, context)
        found = propose(sentence, names, quantities, dates, found_tickers, role_iri)
        proposals += [(graph_name(sha256, sentence, k), p) for k, p in enumerate(found, 1)]
    entities = (*reader.new.values(), *reader.roles())
    document = render(proposals, entities, source)
    return DraftResult(
        document,
        len(kept),
        len(proposals),
        frozenset(linked),
        tuple(entities),
        tuple(amounts),
        tuple(codes),
    )
