"""``kg draft``: fact proposals from a plain-text article, for a reviewer to accept or reject.

The reader is layered: sentences (page furniture left out) → amounts, dates and names (known
ones linked across scripts, new ones found by pattern) → proposals, one typed fact each, every
role filled from the same sentence (:mod:`kg.draft.proposals`). Each proposal is its own evidence
graph, marked ``kg:status kg:Draft``, quoted exactly at its offsets, with its cue words and a
confidence; new entities are proposed in ``kgg:draft-curation``. Drafts belong in
``triples/drafts/``, which the default dataset leaves out (``--include-drafts`` adds it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Dataset, Literal, URIRef

from kg.data.namespaces import KG
from kg.data.prefixes import PREFIXES
from kg.data.quantities import find_quantities
from kg.data.sources import source_iri, source_of
from kg.draft.names import NameReader, NewEntity, fold, tickers
from kg.draft.proposals import Proposal, propose
from kg.draft.reading import Sentence, find_dates, sentences
from kg.draft.writing import graph_name, render
from kg.errors import InvalidValue

__all__ = ["DraftResult", "make_draft"]

#: Page furniture: bylines, editors, sources, reading times, image credits, notices, date lines.
_FURNITURE = re.compile(
    r"^(?:[（(]?(?:文|作者|编辑|责任编辑|记者|来源|图片来源|图源|摄影|撰文|出品)\s*[｜|:：丨]"
    r"|承董事会命$|.*(?:阅读时间|字数\s*\d|阅读\s*[\d.]+万?$|概不负责|（记者|\(记者|图片来源)"
    r"|[\u4e00-\u9fff]{2,4}[，,]\s*\d{4}年\d{1,2}月\d{1,2}日$)"
)


def is_furniture(sentence: Sentence) -> bool:
    """Whether a sentence is page furniture rather than the article's words.

    >>> is_furniture(Sentence(0, 9, "作者 | 高洪浩")), is_furniture(Sentence(0, 4, "智谱上市"))
    (True, False)
    """
    text = fold(sentence.text)
    return _FURNITURE.match(text) is not None and (len(text) <= 40 or "概不负责" in text)


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
    year = _year(dataset, source, date)
    reader = NameReader(dataset)
    kept = [s for s in sentences(text) if not is_furniture(s)]
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
        dates = find_dates(sentence.text, year)
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
