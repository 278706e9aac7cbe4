"""What a fact proposal is, and what the proposal builders know of one sentence.

:class:`Proposal` is one proposed fact (class, roles, amounts, values, date, cue words);
:class:`Context` is a sentence as the builders of :mod:`kg.draft.proposals` and
:mod:`kg.draft.people` read it: folded text, names, amounts with their parts, dates, tickers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from kg.data.quantities import Quantity
from kg.data.sources import turtle_string
from kg.draft.cues import AmountRole, clause_of
from kg.draft.names import Name, investor_segments
from kg.draft.reading import DateMention, Sentence

_NOW = re.compile(r"目前|如今|现在|当前|眼下|此前|同期")

__all__ = [
    "Context",
    "Proposal",
    "amounts_as",
    "dated",
    "find_dates_in",
    "investors_of",
    "string",
    "subject_of",
    "unique",
]


@dataclass
class Proposal:
    """One proposed fact: its class, roles (property, IRI), values and amounts.

    Attributes:
        cls: The curated class, as a CURIE (``kg:FundingEvent``).
        sentence: The sentence it rests on.
        cues: The words that triggered it, as written.
        roles: (property CURIE, entity IRI) pairs.
        amounts: (property CURIE, quantity, node kind) triples; the kind is ``money``,
            ``share_price``, ``unit_price`` or ``quantity``.
        values: (property CURIE, Turtle term) pairs, e.g. ``("kg:status", "kg:Planned")``.
        date: The date the sentence gives it, if any.
        at: Where its cue is in the sentence.
        reported: Whether the sentence reports it as someone's words (表示, 称, 据…报道);
            the reviewer may make it a claim.
        extra: Other triples of the fact, as (subject IRI, property CURIE, object IRI); the
            fact's own IRI is written ``{fact}``.

    """

    cls: str
    sentence: Sentence
    cues: list[str]
    roles: list[tuple[str, str]] = field(default_factory=list)
    amounts: list[tuple[str, Quantity, str]] = field(default_factory=list)
    values: list[tuple[str, str]] = field(default_factory=list)
    date: DateMention | None = None
    extra: list[tuple[str, str, str]] = field(default_factory=list)
    at: int = 0
    reported: bool = False

    @property
    def confidence(self) -> Decimal:
        """0.5, plus 0.1 per role, amount or date filled, at most 0.9; 0.4 when reported."""
        if self.reported:
            return Decimal("0.4")
        filled = len(self.roles) + len(self.amounts) + (self.date is not None)
        return min(Decimal("0.9"), Decimal("0.5") + Decimal("0.1") * filled)


@dataclass(frozen=True)
class Context:
    """What :func:`propose` knows of one sentence."""

    sentence: Sentence
    text: str  # folded
    names: list[Name]
    amounts: list[AmountRole]
    dates: list[tuple[int, DateMention]]
    tickers: list[str]
    role_iri: Callable[[str, str], str]

    def rel(self, name: Name) -> tuple[int, int]:
        """The offsets of a name within the sentence."""
        return name.start - self.sentence.start, name.end - self.sentence.start

    def orgs(self) -> list[Name]:
        """The organisations the sentence names, in order."""
        return [n for n in self.names if n.kind == "org"]

    def date_before(self, at: int) -> DateMention | None:
        """The last date the sentence gives before offset ``at``.

        A clause with a time word of its own (目前, 如今 …) takes no date from another clause.
        """
        left, _ = clause_of(self.text, at, at)
        if _NOW.search(self.text[left:at]):
            before = [d for s, d in self.dates if left <= s < at]
        else:
            before = [d for s, d in self.dates if s < at]
        return before[-1] if before else None

    def hits(self, pattern: re.Pattern[str]) -> list[tuple[int, str]]:
        """Where the cue words of ``pattern`` are, outside names, and the words as written."""
        spans = [self.rel(n) for n in self.names]
        found = []
        for m in pattern.finditer(self.text):
            if not any(s < m.end() and m.start() < e for s, e in spans):
                found.append((m.start(), self.sentence.text[m.start() : m.end()]))
        return found

    def words(self, pattern: re.Pattern[str]) -> list[str]:
        """The cue words of ``pattern``, as written, outside names."""
        return [word for _, word in self.hits(pattern)]


def find_dates_in(text: str, dates: list[DateMention]) -> list[tuple[int, DateMention]]:
    """Each date with its offset in ``text`` (dates are found in order)."""
    at, found = 0, []
    for d in dates:
        i = text.find(d.text, at)
        if i >= 0:
            found.append((i, d))
            at = i + len(d.text)
    return found


def amounts_as(ctx: Context, *roles: str) -> list[AmountRole]:
    """The amounts of the sentence that play one of ``roles``."""
    return [a for a in ctx.amounts if a.role in roles]


def subject_of(ctx: Context, skip: set[str]) -> Name | None:
    """The first organisation of the sentence that is not among ``skip``."""
    return next((n for n in ctx.orgs() if n.iri not in skip), None)


def investors_of(ctx: Context) -> list[Name]:
    """The organisations in the sentence's investor lists."""
    spans = investor_segments(ctx.text)
    return [
        n
        for n in ctx.names
        if n.kind == "org" and any(s < ctx.rel(n)[1] and ctx.rel(n)[0] < e for s, e in spans)
    ]


def unique(names: list[Name]) -> list[str]:
    """The IRIs of ``names``, each once, in order."""
    return list(dict.fromkeys(n.iri for n in names))


def dated(p: Proposal, ctx: Context, at: int) -> Proposal:
    """``p`` with the date the sentence gives before its cue at ``at``."""
    p.date = ctx.date_before(at)
    p.at = at
    return p


def string(text: str) -> str:
    """A Turtle string literal."""
    return turtle_string(text)
