"""Ask in words: a question matched to a named query by a table of search phrases (zh and en).

The table is ``queries/phrases.tsv`` (named query, language, phrase). A phrase may hold slots,
``{city}``, ``{entity}``, ``{month}`` …, each the name of a parameter of its query; a slot matches
any text that fits the parameter (a name the resolver knows, a month, a year), so
``{city}投资了智谱吗`` answers ``北京投资了智谱吗`` and ``北京投資了智譜嗎`` alike. Matching
folds Traditional characters, case, width, spaces and punctuation. A question no phrase matches
gets the closest phrases instead, like a name gets its did-you-mean.

>>> table = PhraseTable([Phrase("funding_by_city", "en", "how much did {city} invest in zhipu")])
>>> match = table.match("How much did Beijing invest in Zhipu?", lambda query, slot, text: True)
>>> match.query, dict(match.params)
('funding_by_city', {'city': 'beijing'})
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kg.data.hanzi import has_hanzi, simplified
from kg.errors import InvalidValue, UsageError

if TYPE_CHECKING:
    from kg.data.paths import DataLayout
    from kg.query.catalogue import NamedQuery
    from kg.query.resolve import Names

__all__ = [
    "Asker",
    "NoMatchingPhrase",
    "Phrase",
    "PhraseMatch",
    "PhraseTable",
    "load_phrases",
    "route",
    "slot_value",
]

_SLOT = re.compile(r"\{([a-z_]+)\}")
_PUNCTUATION = re.compile(r"[\s?？!！。.,，、:：;；'\"“”‘’「」《》()（）]+")
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}


class NoMatchingPhrase(UsageError, LookupError):
    """No phrase matches the question; the closest phrases are attached."""

    def __init__(self, question: str, closest: list[Phrase]) -> None:
        self.closest = closest
        hint = "; try: " + " | ".join(p.text for p in closest) if closest else ""
        super().__init__(f"no named query answers {question!r}{hint}")


class Phrase(NamedTuple):
    """One search phrase.

    Attributes:
        query: The named query it stands for.
        lang: ``zh`` or ``en``.
        text: The phrase as written in the table, slots included.
    """

    query: str
    lang: str
    text: str

    @property
    def slots(self) -> tuple[str, ...]:
        """The parameters its slots fill, in order."""
        return tuple(_SLOT.findall(self.text))


class PhraseMatch(NamedTuple):
    """A question matched: the named query and the parameter values taken from it."""

    query: str
    params: tuple[tuple[str, str], ...]
    phrase: Phrase


def fold(text: str) -> str:
    """The form questions and phrases are compared in.

    >>> fold("  誰投資了智譜？ ")
    '谁投资了智谱'
    >>> fold("Who  funded ZHIPU?")
    'who funded zhipu'
    """
    text = simplified(unicodedata.normalize("NFKC", text)).casefold()
    text = " ".join(_PUNCTUATION.sub(" ", text).split())
    return _CJK_GAP.sub("", text)


def _pattern(phrase: str) -> re.Pattern[str]:
    parts = _SLOT.split(phrase)  # literal, slot, literal, slot, …
    regex = []
    for index, part in enumerate(parts):
        if index % 2:
            regex.append(f"(?P<{part}>.+?)")
        else:
            regex.append(re.escape(fold(part)) if part.strip() else "")
    return re.compile("^" + r"\s?".join(r for r in regex if r) + "$")


class PhraseTable:
    """The phrases, each compiled once."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self.phrases = list(phrases)
        self._patterns = [_pattern(p.text) for p in self.phrases]

    def match(self, question: str, fits: Callable[[str, str, str], bool]) -> PhraseMatch:
        """The named query a question asks for.

        Args:
            question: As typed.
            fits: Whether a slot's text is a value of its query's parameter
                (``fits("funding_by_city", "city", "北京")``).

        Raises:
            NoMatchingPhrase: When no phrase matches (with the closest ones).
        """
        folded = fold(question)
        found: list[tuple[int, PhraseMatch]] = []
        for phrase, pattern in zip(self.phrases, self._patterns, strict=True):
            hit = pattern.match(folded)
            if hit is None:
                continue
            values = hit.groupdict()
            if all(fits(phrase.query, slot, text) for slot, text in values.items()):
                literal = len(_SLOT.sub("", phrase.text))
                found.append((literal, PhraseMatch(phrase.query, tuple(values.items()), phrase)))
        if not found:
            raise NoMatchingPhrase(question, self.closest(question))
        return max(found, key=lambda pair: pair[0])[1]

    def closest(self, question: str, limit: int = 5) -> list[Phrase]:
        """The phrases nearest a question, in its language first, best first."""
        import difflib

        folded = fold(question)
        lang = "zh" if has_hanzi(question) else "en"
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(folded)
        scored = []
        for phrase in self.phrases:
            matcher.set_seq1(fold(_SLOT.sub(" ", phrase.text)))
            scored.append((phrase.lang != lang, -matcher.ratio(), phrase.text, phrase))
        return [entry[-1] for entry in sorted(scored)[:limit]]

    def suggest(self, typed: str, limit: int = 8) -> list[Phrase]:
        """Phrases for a question being typed: those that contain what is typed, then the closest.

        >>> phrases = [Phrase("q", "zh", "谁投资了智谱"), Phrase("r", "zh", "智谱的融资")]
        >>> [p.text for p in PhraseTable(phrases).suggest("投资")]
        ['谁投资了智谱', '智谱的融资']
        """
        folded = fold(typed)
        if not folded:
            return self.phrases[:limit]
        containing = [p for p in self.phrases if folded in fold(p.text)]
        rest = [p for p in self.closest(typed, limit) if p not in containing]
        return (containing + rest)[:limit]


def load_phrases(path: Path, known: Mapping[str, Iterable[str]]) -> PhraseTable:
    """Read a phrase table and check it against the named queries.

    Args:
        path: The TSV file.
        known: Named query → the names of its parameters.

    Raises:
        InvalidValue: A line that is not three columns, an unknown query or language, or a slot
            that is not a parameter of its query (file and line named).
    """
    phrases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        where = f"{path}:{number}"
        if len(columns) != 3:
            raise InvalidValue(f"{where}: expected query<TAB>lang<TAB>phrase")
        phrase = Phrase(*(c.strip() for c in columns))
        if phrase.query not in known:
            raise InvalidValue(f"{where}: no named query {phrase.query!r}")
        if phrase.lang not in {"zh", "en"}:
            raise InvalidValue(f"{where}: language {phrase.lang!r}: write zh or en")
        unknown = set(phrase.slots) - set(known[phrase.query])
        if unknown:
            raise InvalidValue(
                f"{where}: {{{min(unknown)}}} is not a parameter of {phrase.query} "
                f"(it has: {', '.join(sorted(known[phrase.query])) or 'none'})"
            )
        phrases.append(phrase)
    return PhraseTable(phrases)


def slot_value(kind: str, text: str) -> str | None:
    """A month or a year as a question writes it, in the form a parameter takes; else ``None``.

    >>> slot_value("gYearMonth", "2025年4月"), slot_value("gYearMonth", "april 2025")
    ('2025-04', '2025-04')
    >>> slot_value("gYear", "2024年"), slot_value("gYearMonth", "spring")
    ('2024', None)
    """
    text = fold(text)
    if kind == "gYear":
        whole = re.fullmatch(r"(\d{4})年?", text)
        return whole.group(1) if whole else None
    if kind == "gYearMonth":
        numeric = re.fullmatch(r"(\d{4})(?:年|-|/)(\d{1,2})月?", text)
        if numeric:
            year, month = numeric.group(1), int(numeric.group(2))
        else:
            words = re.fullmatch(r"(?:in )?([a-z]+) (\d{4})", text)
            if not words or words.group(1) not in _MONTHS:
                return None
            year, month = words.group(2), _MONTHS[words.group(1)]
        return f"{year}-{month:02d}" if 1 <= month <= 12 else None
    return text


PHRASES_FILE = "phrases.tsv"
"""The phrase table's file name in a data folder's ``queries/``."""


class Asker(NamedTuple):
    """A phrase table with what it needs to fill its slots: each query's parameter types."""

    table: PhraseTable
    kinds: Mapping[str, Mapping[str, str]]

    @classmethod
    def load(cls, catalogue: Mapping[str, NamedQuery], folder: Path) -> Asker:
        """The phrase table of ``folder`` (a data folder's ``queries/``), checked.

        Raises:
            InvalidValue: When the phrase table is malformed.
        """
        kinds = {name: {p.name: p.type for p in q.params} for name, q in catalogue.items()}
        return cls(load_phrases(folder / PHRASES_FILE, kinds), kinds)

    def route(self, question: str, names: Names) -> PhraseMatch:
        """The named query a question asks for, with its parameters ready for ``bind_params``.

        Raises:
            NoMatchingPhrase: When no phrase matches (with the closest ones).
        """

        def fits(query: str, slot: str, text: str) -> bool:
            kind = self.kinds[query][slot]
            if kind != "iri":
                return slot_value(kind, text) is not None
            # one entity, as resolve() would find it, without computing its did-you-mean
            return len(names.matches(text)) == 1

        match = self.table.match(question, fits)
        params = tuple(
            (slot, slot_value(self.kinds[match.query][slot], text) or text)
            for slot, text in match.params
        )
        return match._replace(params=params)


def route(question: str, layout: DataLayout, names: Names) -> PhraseMatch:
    """The named query a question asks for, with its parameters ready for ``bind_params``.

    Raises:
        NoMatchingPhrase: When no phrase matches (with the closest ones).
        InvalidValue: When the phrase table is malformed.
    """
    from kg.query.catalogue import load_catalogue

    return Asker.load(load_catalogue(layout), layout.queries_dir).route(question, names)
