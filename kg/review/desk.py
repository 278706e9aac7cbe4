"""The review desk: one draft, its source's reviewed file, and the decisions that move facts.

The command line (``kg review DRAFT --accept …``) and the desk page call the same methods. Each
decision reads the draft and the source's file, changes them in memory
(:mod:`kg.review.decide`), validates the result (:mod:`kg.review.check`: a decision that makes
the data invalid is refused with the reason), and writes both files together, journaled for
undo (:mod:`kg.review.journal`). A desk holds the draft's lock while it is open.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset, Graph, URIRef

from kg.data.namespaces import KG, OA
from kg.data.paths import DataLayout, writable
from kg.data.prefixes import PREFIXES
from kg.data.source import SourceText
from kg.errors import Findings, InvalidValue, NotFound
from kg.review import decide
from kg.review.check import Version, problems, version
from kg.review.document import Draft, Terms, draft_id
from kg.review.journal import DeskLock, commit, sha256, undo

if TYPE_CHECKING:
    from kg.query.resolve import Names

__all__ = ["Desk", "Refused"]


class Refused(Findings):
    """A decision that would make the data invalid; nothing was written."""


def _user(user: str | None) -> str:
    name = user or os.environ.get("USER") or os.environ.get("USERNAME") or ""
    if not name.strip():
        raise InvalidValue("who decides? give --user NAME (or set $USER)")
    return name.strip()


class Desk:
    """A desk open on one draft.

    Attributes:
        layout: The data folder written to (never the installed copy).
        path: The draft file.
        user: Who decides (recorded with every decision).

    """

    def __init__(
        self,
        layout: DataLayout,
        draft: str | os.PathLike[str],
        *,
        user: str | None = None,
        text: str | os.PathLike[str] | None = None,
    ) -> None:
        self.layout = writable(DataLayout(layout.root), "kg review")
        self.path = Path(draft).resolve()
        self.user = _user(user)
        self.terms = Terms.of(Graph().parse(self.layout.ontology, format="turtle"))
        self.lock = DeskLock(self.path)
        first = Draft.read(self.path)
        self.source = _source_of(first)
        self.text = self._text(text)
        self._baseline: dict[tuple[str, Version], set[str]] = {}

    def __enter__(self) -> Desk:
        self.lock.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock.release()

    # ---------------------------------------------------------------- reading
    @property
    def target(self) -> Path:
        """The source's file of reviewed facts (contract 2)."""
        if self.source is None:
            raise InvalidValue(f"{self.path}: no proposal left names its source (oa:hasSource)")
        local = str(self.source)[len(PREFIXES["kgr"]) :].replace("/", "-")
        return self.layout.sources_dir / f"{local}.trig"

    def draft(self) -> Draft:
        """The draft as it is on disk now."""
        return Draft.read(self.path)

    def _text(self, given: str | os.PathLike[str] | None) -> SourceText | None:
        candidates = [Path(given)] if given is not None else []
        if given is None:
            name = self._recorded(KG.fileName)
            if name is not None:
                candidates = [self.path.parent / name, Path.cwd() / name]
        for path in candidates:
            if path.is_file():
                from kg.data.sources import read_article

                text, digest = read_article(path)
                expected = self._recorded(KG.sha256)
                if expected is not None and expected != digest:
                    raise InvalidValue(
                        f"{path}: not the draft's article (its SHA-256 is {digest[:12]}…, "
                        f"the source's is {expected[:12]}…)"
                    )
                return SourceText(path, text, digest)
        if given is not None:
            raise NotFound(f"{given}: no such article")
        return None

    def _recorded(self, prop: URIRef) -> str | None:
        from kg.data.store import parse_file

        if self.source is None:
            return None
        for path in self.layout.triple_files():
            for _, _, value, _ in parse_file(path).quads((self.source, prop, None, None)):
                return str(value)
        return None

    # ---------------------------------------------------------------- deciding
    def _decide(
        self,
        kind: str,
        about: URIRef,
        change: Callable[[Draft, Dataset], str | None],
        note: str | None,
    ) -> str:
        draft = self.draft()
        before = self.target.read_bytes() if self.target.is_file() else None
        target = Dataset()
        if before is not None:
            target.parse(data=before.decode("utf-8"), format="trig")
        said = change(draft, target)
        decide.record(target, kind, about, self.user, datetime.now(UTC), said, note)
        target_bytes = _serialize(target, _TARGET_HEADER)
        draft_bytes = _serialize(draft.dataset, _DRAFT_HEADER)
        new = {_str(p) for p in problems(self.layout, {self.target: target_bytes}, self.text)}
        found = sorted(new - self._known(before))
        if found:
            more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
            raise Refused(f"{kind} {_short(about)} refused, nothing written: {found[0]}{more}")
        commit(
            self.path,
            {self.path: sha256(draft.data), self.target: sha256(before)},
            {self.target: target_bytes, self.path: draft_bytes},
            f"{kind} {_short(about)}" + (f": {said}" if said else ""),
        )
        self._baseline = {(sha256(target_bytes), version(self.layout, self.target)): new}
        self.__dict__.pop("names", None)  # accepted entities are names now
        return f"{kind} {_short(about)}" + (f": {said}" if said else "")

    def _known(self, before: bytes | None) -> set[str]:
        """The problems the data has already (not this desk's doing), computed once per state.

        A state is the source's file (``before``) and the version of the other files the checks
        read: a file changed by someone else while the desk is open brings its problems along.
        """
        key = (sha256(before), version(self.layout, self.target))
        if key not in self._baseline:
            replaced = {self.target: before} if before is not None else {}
            self._baseline = {key: {_str(p) for p in problems(self.layout, replaced, self.text)}}
        return self._baseline[key]

    def accept(self, name: str, note: str | None = None) -> str:
        """Accept the proposal ``name``: its fact moves into the source's file."""
        graph = draft_id(name)

        def change(draft: Draft, target: Dataset) -> None:
            decide.accept(draft, draft.proposal(graph), target, self.terms)

        return self._decide("accept", graph, change, note)

    def reject(self, name: str, note: str | None = None) -> str:
        """Reject the proposal ``name``: it leaves the draft, the decision is recorded."""
        graph = draft_id(name)

        def change(draft: Draft, target: Dataset) -> None:
            decide.reject(draft, draft.proposal(graph))

        return self._decide("reject", graph, change, note)

    def edit(self, name: str, field: str, value: str, note: str | None = None) -> str:
        """Edit the proposal ``name``: ``amount``, ``currency``, ``date``, or a role's names.

        A role is a property's CURIE (``kg:investor``); its value is names separated by ``;``,
        each resolved by the resolver (or a draft entity's label); empty removes the role.
        """
        graph = draft_id(name)

        def change(draft: Draft, target: Dataset) -> str:
            proposal = draft.proposal(graph)
            if field == "amount":
                return decide.edit_amount(draft, proposal, value=value)
            if field == "currency":
                return decide.edit_amount(draft, proposal, currency=value)
            if field == "date":
                return decide.edit_date(draft, proposal, value)
            role = _expand(field)
            names = [n for n in (x.strip() for x in value.split(";")) if n]
            return decide.edit_role(
                draft, proposal, role, [self.resolve(draft, n) for n in names], self.terms
            )

        return self._decide("edit", graph, change, note)

    def name_entity(
        self,
        entity: str,
        label_zh: str | None = None,
        label_en: str | None = None,
        cls: str | None = None,
        note: str | None = None,
    ) -> str:
        """Name a proposed entity (or a fact) in zh and en, or change a proposed entity's class."""
        node = _expand(entity)

        def change(draft: Draft, target: Dataset) -> str:
            return decide.edit_entity(
                draft, node, label_zh, label_en, _expand(cls) if cls else None, self.terms
            )

        return self._decide("edit", node, change, note)

    def same_as(self, entity: str, existing: str, note: str | None = None) -> str:
        """Use an existing entity (by name) in place of the proposed ``entity``."""
        node = _expand(entity)

        def change(draft: Draft, target: Dataset) -> str:
            return decide.same_as(draft, node, self.resolve(None, existing))

        return self._decide("same-as", node, change, note)

    def create_entity(self, label_zh: str, label_en: str, cls: str, note: str | None = None) -> str:
        """Propose a new entity, named in both languages, for the roles of this draft."""

        def change(draft: Draft, target: Dataset) -> str:
            decide.create_entity(draft, label_zh, label_en, _expand(cls), self.terms)
            return f"{label_zh} / {label_en}, {cls}"

        iri = decide.new_entity_iri(label_zh, label_en)
        return self._decide("create", iri, change, note)

    def undo(self) -> str:
        """Undo the last decision on this draft (its files get their prior bytes back)."""
        self._baseline = {}
        self.__dict__.pop("names", None)
        return undo(self.path)

    # ---------------------------------------------------------------- names
    def resolve(self, draft: Draft | None, name: str) -> URIRef:
        """The entity ``name`` designates: a draft entity's label or IRI, else by the resolver."""
        if draft is not None:
            for entity in draft.new_entities():
                labels = {str(x) for x in draft.curation.objects(entity)}
                if name in labels or _expand(name) == entity:
                    return entity
        return URIRef(self.names.resolve(name))

    @cached_property
    def names(self) -> Names:
        """The resolver over the reviewed data (read once)."""
        from kg.graph import load

        return load(self.layout.root, lazy=True, include_drafts=False).names


def _source_of(draft: Draft) -> URIRef | None:
    for source in draft.provenance.objects(None, OA.hasSource):
        if isinstance(source, URIRef):
            return source
    return None


def _expand(name: str) -> URIRef:
    text = name.strip()
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        return URIRef(PREFIXES[prefix] + local)
    if text.startswith(("http://", "https://")):
        return URIRef(text)
    return URIRef(PREFIXES["kgr"] + text)


def _short(node: URIRef) -> str:
    for prefix in ("ev", "kgr", "kg"):
        if str(node).startswith(PREFIXES[prefix]):
            return str(node)[len(PREFIXES[prefix]) :]
    return str(node)


def _str(problem: object) -> str:
    return str(problem)


_TARGET_HEADER = (
    "# Reviewed facts of one source, written by `kg review` (contract 2): each evidence graph as\n"
    "# the draft proposed it, as accepted or edited, and every decision (kg:ReviewDecision).\n"
)
_DRAFT_HEADER = "# A draft under review with `kg review`: what is left to decide.\n"


def _serialize(dataset: Dataset, header: str) -> bytes:
    out = Dataset()
    for prefix in ("kg", "kgr", "ev", "kgg", "rdfs", "xsd", "skos", "schema", "prov", "oa", "org"):
        out.bind(prefix, PREFIXES[prefix], replace=True)
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = g.identifier if isinstance(g, Graph) else g
        out.add((s, p, o, out.graph(name)))
    text = out.serialize(format="trig")
    return (header + text).encode("utf-8")
