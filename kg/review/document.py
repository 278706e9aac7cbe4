"""A draft document as the desk reads it: its proposals, their quotes and the new entities.

A draft (``kg draft``'s output) holds one evidence graph ``ev:draft-…`` per *proposal*, described
in ``kgg:provenance`` with ``kg:status kg:Draft``, its cue, confidence and quote; the entities it
proposes are in ``kgg:draft-curation``, marked ``kg:status kg:Draft``. :class:`Draft` parses one
and answers what the desk needs; it never writes (see :mod:`kg.review.decide`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from kg.data.namespaces import DRAFT_CURATION_GRAPH, KG, OA, PROV, PROVENANCE_GRAPH
from kg.data.prefixes import PREFIXES
from kg.data.store import syntax_problem
from kg.errors import InvalidValue, NotFound

__all__ = [
    "DRAFT_CURATION",
    "Draft",
    "DraftError",
    "Proposal",
    "Terms",
    "cbd",
    "draft_id",
]

#: The named graph of a draft's proposed entities (contract 1).
DRAFT_CURATION = DRAFT_CURATION_GRAPH
_DRAFT_GRAPH = re.compile(re.escape(PREFIXES["ev"]) + r"draft-[0-9a-f]{8}-\d{6}(-\d+)?$")


@dataclass(frozen=True)
class Terms:
    """What the desk needs of the ontology.

    Attributes:
        classes: The declared classes.
        roles: The declared object properties (the roles a fact can fill).
        labels: Each term's label by (term, language).

    """

    classes: frozenset[URIRef]
    roles: frozenset[URIRef]
    labels: dict[tuple[URIRef, str], str]

    @classmethod
    def of(cls, ontology: Graph) -> Terms:
        """The terms of an ontology graph."""
        labels = {
            (s, o.language): str(o)
            for s, o in ontology.subject_objects(RDFS.label)
            if isinstance(s, URIRef) and isinstance(o, Literal) and o.language
        }
        return cls(
            frozenset(x for x in ontology.subjects(RDF.type, OWL.Class) if isinstance(x, URIRef)),
            frozenset(
                x for x in ontology.subjects(RDF.type, OWL.ObjectProperty) if isinstance(x, URIRef)
            ),
            labels,
        )


class DraftError(InvalidValue):
    """A draft file that cannot be read as a draft."""


def draft_id(text: str) -> URIRef:
    """The evidence graph of a proposal named ``text`` (``draft-…``, ``ev:draft-…`` or an IRI).

    Raises:
        NotFound: If ``text`` is not a proposal's name.

    """
    name = text.strip()
    if name.startswith("ev:"):
        name = PREFIXES["ev"] + name[3:]
    elif not name.startswith("http"):
        name = PREFIXES["ev"] + name
    if not _DRAFT_GRAPH.match(name):
        raise NotFound(f"{text!r}: not a proposal's name; they look like draft-1a2b3c4d-000021-1")
    return URIRef(name)


def cbd(graph: Graph, subject: Node) -> Iterator[tuple[Node, Node, Node]]:
    """The triples about ``subject`` and, recursively, about the blank nodes they reach."""
    todo, seen = [subject], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for _, p, o in graph.triples((node, None, None)):
            yield node, p, o
            if isinstance(o, BNode):
                todo.append(o)


@dataclass(frozen=True)
class Proposal:
    """One proposal of a draft.

    Attributes:
        graph: Its evidence graph ``ev:draft-…``.
        quote: The sentence, as written.
        start: The sentence's start offset in the source.
        end: Its end offset.
        source: The source it quotes.
        cues: The trigger words.
        confidence: The reader's confidence, when given.
        facts: The subjects its graph states (fact nodes first), as IRIs.
        entities: The draft entities (``kgg:draft-curation``) it uses.

    """

    graph: URIRef
    quote: str
    start: int
    end: int
    source: URIRef | None
    cues: tuple[str, ...]
    confidence: float | None
    facts: tuple[URIRef, ...]
    entities: tuple[URIRef, ...] = field(default=())

    @property
    def name(self) -> str:
        """Its short name, as the command line takes it (``draft-1a2b3c4d-000021-1``)."""
        return str(self.graph)[len(PREFIXES["ev"]) :]


class Draft:
    """A parsed draft document.

    Attributes:
        path: The file.
        data: Its bytes, as read (the desk compares them before it writes).
        dataset: Its quads.

    """

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        self.data = data
        self.dataset = _parse(path, data)

    @classmethod
    def read(cls, path: str | Path) -> Draft:
        """Read and parse ``path``.

        Raises:
            NotFound: If there is no such file.
            DraftError: If it is not UTF-8 TriG, or holds no draft proposals' description.

        """
        file = Path(path)
        if not file.is_file():
            raise NotFound(f"{file}: no such draft; write one with `kg draft ARTICLE -o FILE`")
        return cls(file, file.read_bytes())

    @property
    def provenance(self) -> Graph:
        """Its ``kgg:provenance`` graph."""
        return self.dataset.graph(PROVENANCE_GRAPH)

    @property
    def curation(self) -> Graph:
        """Its ``kgg:draft-curation`` graph (the proposed entities)."""
        return self.dataset.graph(DRAFT_CURATION)

    def new_entities(self) -> list[URIRef]:
        """The entities the draft proposes, in IRI order."""
        marked = self.curation.subjects(KG.status, KG.Draft)
        return sorted({x for x in marked if isinstance(x, URIRef)})

    def proposals(self) -> list[Proposal]:
        """Its proposals, in the order of their sentences."""
        found = []
        for graph in self.provenance.subjects(KG.status, KG.Draft):
            if isinstance(graph, URIRef) and _DRAFT_GRAPH.match(str(graph)):
                found.append(self.proposal(graph))
        return sorted(found, key=lambda p: (p.start, str(p.graph)))

    def proposal(self, graph: URIRef) -> Proposal:
        """The proposal whose evidence graph is ``graph``.

        Raises:
            NotFound: If the draft has no such proposal (left, accepted or rejected already).

        """
        prov = self.provenance
        if (graph, KG.status, KG.Draft) not in prov:
            left = ", ".join(p.name for p in self.proposals()) or "none"
            raise NotFound(f"{self.path}: no proposal {_short(graph)} here (left: {left})")
        quote, start, end, source = "", -1, -1, None
        for resource in prov.objects(graph, PROV.wasDerivedFrom):
            found = prov.value(resource, OA.hasSource)
            source = found if isinstance(found, URIRef) else None
            for selector in prov.objects(resource, OA.hasSelector):
                if (selector, RDF.type, OA.TextQuoteSelector) in prov:
                    quote = str(prov.value(selector, OA.exact) or "")
                elif (selector, RDF.type, OA.TextPositionSelector) in prov:
                    start = _int(prov.value(selector, OA.start))
                    end = _int(prov.value(selector, OA.end))
        body = self.dataset.graph(graph)
        subjects = {s for s in body.subjects() if isinstance(s, URIRef)}
        facts = sorted(
            subjects, key=lambda s: (not str(s).startswith(PREFIXES["kgr"] + "Draft-"), s)
        )
        drafted = set(self.new_entities())
        used = {n for t in body for n in (t[0], t[2]) if n in drafted}
        confidence = prov.value(graph, KG.confidence)
        return Proposal(
            graph,
            quote,
            start,
            end,
            source,
            tuple(sorted(str(c) for c in prov.objects(graph, KG.cue))),
            float(confidence) if isinstance(confidence, Literal) else None,
            tuple(facts),
            tuple(sorted(x for x in used if isinstance(x, URIRef))),
        )

    def label(self, node: URIRef, lang: str = "zh") -> str | None:
        """A label of ``node`` the draft gives, in ``lang``."""
        for label in self.curation.objects(node, RDFS.label):
            if isinstance(label, Literal) and label.language == lang:
                return str(label)
        return None


def _int(node: Node | None) -> int:
    return int(node) if isinstance(node, Literal) else -1


def _short(iri: Node) -> str:
    return str(iri)[len(PREFIXES["ev"]) :] if str(iri).startswith(PREFIXES["ev"]) else str(iri)


def _one_line(message: str) -> str:
    text = " ".join(message.split())
    return text if len(text) <= 120 else text[:119] + "…"


def _parse(path: Path, data: bytes) -> Dataset:
    if not data.strip():
        raise DraftError(f"{path}: empty; write a draft with `kg draft ARTICLE -o FILE`")
    if b"\x00" in data:
        raise DraftError(f"{path}: a binary file, not a TriG draft")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise DraftError(
            f"{path}:{line}: not UTF-8 (byte {err.start}); a draft is UTF-8 TriG"
        ) from None
    dataset = Dataset()
    try:
        dataset.parse(data=text, format="trig")
    # rdflib asserts on a cut string, and a variable (`?x`) ends in an AttributeError
    except (BadSyntax, SyntaxError, ValueError, AssertionError, AttributeError) as err:
        at, what = syntax_problem(err, text)
        where = f"{path}:{at}" if at else str(path)
        raise DraftError(
            f"{where}: not valid TriG ({_one_line(what)}); fix the file or write the draft again "
            "with `kg draft`"
        ) from None
    return dataset
