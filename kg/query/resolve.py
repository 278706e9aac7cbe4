"""One resolver for every name a user may type: IRI, CURIE, local name, label or alias.

Every entry point that expects an entity (``kg query -p``, ``kg path``, ``kg viz --focus``,
``kg describe``, the server's ``/entity/NAME`` and ``/explore?focus=NAME``, the Python API) turns
what the user typed into an IRI here. Accepted, in this order:

1. an IRI (``<https://…>`` or bare ``https://…``) or a CURIE (``kgr:TangJie``) the data uses;
2. a label in either language (``唐杰``, ``Tang Jie``);
3. an alias (``skos:altLabel``);
4. a local name of the resource namespace (``TangJie``);
5. the same with spaces and punctuation ignored (``tangjie``, ``Zhipu-AI``).

Matching is case- and width-insensitive (Unicode NFKC, then casefold: ``ＴＡＮＧ　ＪＩＥ`` is
``Tang Jie``), and a name in Traditional characters that matches nothing as written is tried in
Simplified ones (``唐傑`` is ``唐杰``, see :mod:`kg.data.hanzi`). When several entities match
at the first tier that matches, the name is ambiguous (:class:`AmbiguousEntity`, listing them
with their types); when nothing matches it is unknown (:class:`EntityNotFound`, naming the
closest labels and IRIs). The closest are found by characters and by sound: a name is also
compared in toneless pinyin (``唐洁`` sounds like ``唐杰``; ``tang jie`` and ``zhipu`` are how
``唐杰`` and ``智谱`` sound), so a homophone typo or a name typed in pinyin gets its did-you-mean.
An IRI merged into another (``kg merge``, see :mod:`kg.identity`)
resolves to the canonical one, by IRI, CURIE or local name.

The index is read from the loaded data with one SPARQL query, on whatever engine holds it; this
module imports neither rdflib nor networkx.

>>> import kg
>>> names = Names.from_engine(kg.load().engine)
>>> shorten(names.resolve("ｔａｎｇ ｊｉｅ"))
'kgr:TangJie'
>>> [entry.title for entry in names.suggest("kgr:TangJei")]
['唐杰 / Tang Jie (kgr:TangJie)']
>>> [entry.title for entry in names.suggest("唐洁")]
['唐杰 / Tang Jie (kgr:TangJie)']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kg.data.hanzi import has_hanzi, simplified
from kg.data.prefixes import IDENTITY_GRAPH, INFERENCE_GRAPH, ONTOLOGY_GRAPH, PREFIXES, shorten
from kg.errors import NotFound, UsageError
from kg.identity.referents import canonical_map
from kg.query.engines import Engine
from kg.query.run import run

__all__ = [
    "AmbiguousEntity",
    "EntityNotFound",
    "Entry",
    "Names",
    "compact_key",
    "normalise",
    "parse_iri",
    "sound_key",
]

_RESOURCE = PREFIXES["kgr"]
_COMPACT = re.compile(r"[\W_]+")
_INDEX = f"""SELECT ?s ?kind ?text WHERE {{
  {{ GRAPH ?g {{ ?s rdfs:label ?text }} BIND("label" AS ?kind) }}
  UNION {{ GRAPH ?g {{ ?s skos:altLabel ?text }} BIND("alias" AS ?kind) }}
  UNION {{ GRAPH ?g {{ ?s a ?text }} BIND("type" AS ?kind) }}
  FILTER(isIRI(?s) && ?g NOT IN (<{INFERENCE_GRAPH}>, <{ONTOLOGY_GRAPH}>, <{IDENTITY_GRAPH}>))
}}"""
_REFERENTS = f"SELECT ?old ?new WHERE {{ GRAPH <{IDENTITY_GRAPH}> {{ ?old owl:sameAs ?new }} }}"
_EXISTS = "ASK { { ?term ?p ?o } UNION { ?s ?term ?o } UNION { ?s ?p ?term } }"


def used_in_data(engine: Engine, iri: str) -> bool:
    """Whether any statement of ``engine``'s data uses ``iri``, in any position.

    >>> import kg
    >>> engine = kg.load().engine
    >>> used_in_data(engine, PREFIXES["kgr"] + "Zhipu"), used_in_data(engine, "urn:x:nothing")
    (True, False)
    """
    try:
        term = ox.NamedNode(iri)
    except ValueError:
        return False
    # entailments restate asserted subjects and objects: they cannot make an IRI occur
    answer = run(engine, _EXISTS, bindings={"term": term}, timeout=None, entailments=False)
    return bool(answer.askAnswer)


class EntityNotFound(NotFound, LookupError):
    """No entity has that IRI, CURIE, label, alias or local name.

    Attributes:
        name: What was asked for.
        suggestions: The closest entities, best first.
    """

    def __init__(self, name: str, suggestions: list[Entry]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = (
            "did you mean " + " or ".join(entry.title for entry in suggestions) + "?"
            if suggestions
            else "try an IRI, a CURIE (kgr:Name), a label or an alias; `kg search TEXT` lists"
            " matches"
        )
        super().__init__(f"no entity is called {name!r}; {hint}")


class AmbiguousEntity(UsageError, LookupError):
    """Several entities share that name.

    Attributes:
        name: What was asked for.
        candidates: Their IRIs.
        entries: The entities, with labels and types.
    """

    def __init__(self, name: str, entries: list[Entry]) -> None:
        self.name = name
        self.entries = entries
        self.candidates = [entry.iri for entry in entries]
        listed = "; ".join(entry.title_with_types for entry in entries)
        super().__init__(
            f"{name!r} names {len(entries)} entities: {listed} — give the CURIE of the one you mean"
        )


class Entry:
    """One entity of the index.

    Attributes:
        iri: Its IRI.
        labels: Its labels by language (``zh``, ``en``, …).
        aliases: Its aliases, as written.
        types: Its asserted classes, as CURIEs.
    """

    def __init__(
        self,
        iri: str,
        labels: dict[str, str] | None = None,
        aliases: list[str] | None = None,
        types: list[str] | None = None,
    ) -> None:
        self.iri = iri
        self.labels: dict[str, str] = labels if labels is not None else {}
        self.aliases: list[str] = aliases if aliases is not None else []
        self.types: list[str] = types if types is not None else []

    def __repr__(self) -> str:
        return f"Entry({self.iri!r}, {self.labels!r}, {self.aliases!r}, {self.types!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and (
            (self.iri, self.labels, self.aliases, self.types)
            == (other.iri, other.labels, other.aliases, other.types)
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass would be

    @property
    def curie(self) -> str:
        """The IRI as a CURIE where a prefix covers it."""
        return shorten(self.iri)

    @property
    def name(self) -> str:
        """``唐杰 / Tang Jie``: the labels in both languages, or the CURIE when it has none."""
        labels = dict.fromkeys(v for k in ("zh", "en") if (v := self.labels.get(k)))
        return " / ".join(labels) or next(iter(self.labels.values()), self.curie)

    @property
    def title(self) -> str:
        """``唐杰 / Tang Jie (kgr:TangJie)``."""
        return f"{self.name} ({self.curie})" if self.name != self.curie else self.curie

    @property
    def title_with_types(self) -> str:
        """``唐杰 / Tang Jie (kgr:TangJie, kg:Person)``."""
        inside = ", ".join([self.curie, *self.types])
        return f"{self.name} ({inside})" if self.name != self.curie else inside

    def texts(self) -> Iterator[tuple[str, str]]:
        """Every name of the entity with its tier: ``label``, ``alias`` or ``local``."""
        for label in self.labels.values():
            yield "label", label
        for alias in self.aliases:
            yield "alias", alias
        if self.iri.startswith(_RESOURCE):
            yield "local", self.iri[len(_RESOURCE) :]


def normalise(text: str) -> str:
    """Case-, width- and spacing-insensitive form of ``text``.

    >>> normalise("  ＴＡＮＧ　Jie ")
    'tang jie'
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def compact_key(text: str) -> str:
    """``text`` as names are compared: normalised, spaces and punctuation dropped.

    >>> compact_key("Zhipu-AI 智谱")
    'zhipuai智谱'
    """
    return _COMPACT.sub("", normalise(text))


def sound_key(text: str) -> str:
    """How ``text`` sounds: toneless pinyin, spaces and punctuation dropped (``唐杰`` → tangjie)."""
    if not has_hanzi(text):
        return compact_key(text)
    from pypinyin import lazy_pinyin  # only to suggest: a name that resolves never needs it

    return compact_key("".join(lazy_pinyin(simplified(text))))


def parse_iri(text: str) -> str | None:
    """``<https://…>``, ``https://…`` or a CURIE of a known prefix → the IRI; else ``None``.

    >>> parse_iri("kgr:Zhipu")
    'https://w3id.org/zhipu-kg/resource/Zhipu'
    >>> parse_iri("唐杰") is None
    True
    """
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1] or None
    prefix, colon, local = text.partition(":")
    if not colon or " " in text:
        return None
    if prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    if local.startswith("//") and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*", prefix):
        return text
    return None


class Names:
    """The names of every entity of the data, and the lookups over them.

    Args:
        entries: The entities.
        engine: Asked whether an IRI the index does not hold occurs in the data at all.
    """

    def __init__(
        self,
        entries: Iterable[Entry],
        engine: Engine | None = None,
        referents: dict[str, str] | None = None,
    ) -> None:
        self.entries = {entry.iri: entry for entry in entries}
        self.engine = engine
        self._sounds: dict[str, set[str]] | None = None  # built on the first miss
        #: IRIs merged into another (``kg merge``), mapped to the canonical IRI they resolve to.
        self.referents: dict[str, str] = referents if referents is not None else {}
        self._tiers: dict[str, dict[str, set[str]]] = {
            tier: {} for tier in ("label", "alias", "local", "compact")
        }
        for entry in self.entries.values():
            for tier, text in entry.texts():
                self._tiers[tier].setdefault(normalise(text), set()).add(entry.iri)
                self._tiers["compact"].setdefault(compact_key(text), set()).add(entry.iri)
        for old, canonical in self.referents.items():
            if old.startswith(_RESOURCE):  # the old local name still finds the entity
                self._tiers["local"].setdefault(normalise(old[len(_RESOURCE) :]), set()).add(
                    canonical
                )

    @classmethod
    def from_engine(cls, engine: Engine) -> Names:
        """Read labels, aliases and asserted types of every IRI from ``engine``'s data."""
        entries: dict[str, Entry] = {}
        rows = run(engine, _INDEX, timeout=None, entailments=False).rows  # asserted names only
        for subject, kind, text in rows:
            if not isinstance(subject, ox.NamedNode) or kind is None or text is None:
                continue
            entry = entries.setdefault(subject.value, Entry(subject.value))
            if kind.value == "type" and isinstance(text, ox.NamedNode):
                curie = shorten(text.value)
                if curie not in entry.types:
                    entry.types.append(curie)
            elif kind.value == "label" and isinstance(text, ox.Literal):
                language = (text.language or "").split("-")[0].lower()
                entry.labels.setdefault(language, text.value)
            elif kind.value == "alias" and text.value not in entry.aliases:
                entry.aliases.append(text.value)
        for entry in entries.values():
            entry.types.sort()
        pairs = run(engine, _REFERENTS, timeout=None, entailments=False).rows
        referents = canonical_map(
            (old.value, new.value)
            for old, new in pairs
            if isinstance(old, ox.NamedNode) and isinstance(new, ox.NamedNode)
        )
        return cls(entries.values(), engine, referents)

    # ------------------------------------------------------------ lookups
    def entry(self, iri: str) -> Entry:
        """The entry of ``iri`` (an empty one when the index holds no names for it)."""
        return self.entries.get(iri) or Entry(iri)

    def exists(self, iri: str) -> bool:
        """Whether the data uses ``iri`` at all (named or not)."""
        if iri in self.entries:
            return True
        return self.engine is not None and used_in_data(self.engine, iri)

    def matches(self, name: str) -> list[str]:
        """The IRIs ``name`` designates at the first tier that matches (empty: none)."""
        iri = parse_iri(name)
        if iri is not None and iri in self.referents:
            return [self.referents[iri]]
        if iri is not None and self.exists(iri):
            return [iri]
        found = self._match_tiers(name)
        if not found and has_hanzi(name) and (folded := simplified(name)) != name:
            found = self._match_tiers(folded)
        return found

    def _match_tiers(self, name: str) -> list[str]:
        for tier, key in (
            ("label", normalise(name)),
            ("alias", normalise(name)),
            ("local", normalise(name)),
            ("compact", compact_key(name)),
        ):
            found = self._tiers[tier].get(key)
            if key and found:
                return sorted(found)
        return []

    def resolve(self, name: str) -> str:
        """The IRI of the one entity ``name`` designates.

        Raises:
            EntityNotFound: If nothing matches (with the closest names).
            AmbiguousEntity: If several entities match (with their types).
        """
        found = self.matches(name)
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousEntity(name, [self.entry(iri) for iri in found])
        raise EntityNotFound(name, self.suggest(name))

    def suggest(self, name: str, limit: int = 3) -> list[Entry]:
        """The entities whose names are closest to ``name``, best first."""
        iri = parse_iri(name)
        typed = iri[len(_RESOURCE) :] if iri and iri.startswith(_RESOURCE) else name
        wanted = compact_key(simplified(typed))
        if not wanted:
            return []
        import difflib  # only to suggest: a name that resolves never needs it

        scored: dict[str, float] = {}
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(wanted)
        for key, iris in self._tiers["compact"].items():
            matcher.set_seq1(key)
            if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6:
                continue
            score = matcher.ratio()
            if score >= 0.6:
                for found in iris:
                    scored[found] = max(score, scored.get(found, 0.0))
        heard = sound_key(typed)
        if len(heard) >= 3:  # by sound: homophones and pinyin
            matcher.set_seq2(heard)
            for key, iris in self._sound_index().items():
                matcher.set_seq1(key)
                if matcher.real_quick_ratio() < 0.75 or matcher.quick_ratio() < 0.75:
                    continue
                score = 1.0 if key == heard else matcher.ratio() * 0.95
                if score >= 0.75:
                    for found in iris:
                        scored[found] = max(score, scored.get(found, 0.0))
        if not scored:
            return []
        ranked = sorted(scored, key=lambda found: (-scored[found], found))
        close = [found for found in ranked if scored[found] >= scored[ranked[0]] - 0.1]
        return [self.entry(found) for found in close[:limit]]

    def _sound_index(self) -> dict[str, set[str]]:
        """Toneless pinyin of every label and alias with Chinese characters → its IRIs."""
        if self._sounds is None:
            self._sounds = {}
            for entry in self.entries.values():
                for tier, text in entry.texts():
                    if tier in {"label", "alias"} and has_hanzi(text):
                        self._sounds.setdefault(sound_key(text), set()).add(entry.iri)
        return self._sounds

    def search(self, text: str, limit: int = 20) -> list[tuple[float, Entry, str]]:
        """Entities whose names contain or resemble ``text``, best first.

        Returns:
            ``(score, entry, matched name)`` triples; score 1 is an exact match.
        """
        import difflib  # only to search: 1.4 ms of every cold start otherwise

        text = simplified(text)  # the data's names are written in Simplified characters
        wanted, compact = normalise(text), compact_key(text)
        if not wanted:
            return []
        ranked: dict[str, tuple[float, str]] = {}
        for entry in self.entries.values():
            for _tier, name in entry.texts():
                key = normalise(name)
                if key == wanted or compact_key(name) == compact:
                    score = 1.0
                elif wanted in key or (compact and compact in compact_key(name)):
                    score = 0.8 + 0.1 * len(wanted) / max(len(key), 1)
                else:
                    score = difflib.SequenceMatcher(None, compact, compact_key(name)).ratio() * 0.75
                if score >= 0.5 and score > ranked.get(entry.iri, (0.0, ""))[0]:
                    ranked[entry.iri] = (score, name)
        order = sorted(ranked, key=lambda iri: (-ranked[iri][0], iri))[:limit]
        return [(ranked[iri][0], self.entry(iri), ranked[iri][1]) for iri in order]
