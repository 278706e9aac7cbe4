"""Identity judgements as data: ``triples/identity/judgements.trig``, one block per judgement.

A judgement says of two entities that they are one (``kg:SameAs``: the left one is canonical,
the right one becomes its referent), that they are not (``kg:NotSame``), or that the curator
cannot tell (``kg:Unsure``), as nomenklatura's resolver records positive, negative and unsure
edges. Each is a ``kg:Judgement`` in the graph ``kgg:identity``, with who made it
(``prov:wasAttributedTo`` an agent with a label), when (``prov:generatedAtTime``) and why
(``rdfs:comment``); a ``kg:SameAs`` judgement also states ``referent owl:sameAs canonical``,
which loading applies (:mod:`kg.identity.referents`).

The file is written by this module only: blocks are appended, newest last, and undoing a
judgement removes its block, byte for byte, so undoing the last judgements gives back the file
as it was (and no file when none is left).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.data.hanzi import has_hanzi
from kg.data.output import write_text
from kg.data.prefixes import PREFIXES, shorten
from kg.errors import Findings
from kg.identity.referents import IDENTITY

__all__ = [
    "HEADER",
    "VERDICTS",
    "Judgement",
    "JudgementFileError",
    "append",
    "judgements_path",
    "read",
    "remove",
    "render",
]

#: The verdicts a judgement may give (local names of ``kg:`` controlled values).
VERDICTS = ("SameAs", "NotSame", "Unsure")

_Term = ox.NamedNode | ox.BlankNode | ox.Literal
_KG = PREFIXES["kg"]
_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")
_USED = ("kg", "kgg", "kgr", "owl", "prov", "rdfs", "xsd")

HEADER = (
    "# Identity judgements (kg merge, kg merge --not-same, kg merge --unsure), newest last.\n"
    "# Written by kg: `kg merge --undo` and `kg split` remove a block exactly as it was written.\n"
    + "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in _USED)
)


class JudgementFileError(Findings, ValueError):
    """The judgements file cannot be read, or was edited so that a block cannot be found."""


@dataclass(frozen=True)
class Judgement:
    """One judgement about two entities.

    Attributes:
        verdict: ``SameAs``, ``NotSame`` or ``Unsure``.
        left: The first entity's IRI (for ``SameAs``: the canonical one).
        right: The second entity's IRI (for ``SameAs``: the referent).
        user: Who judged.
        when: When, as an ``xsd:dateTime`` in UTC (``2026-01-31T12:00:00Z``).
        why: Why, in the curator's words (may be empty).
    """

    verdict: str
    left: str
    right: str
    user: str
    when: str
    why: str = ""

    @property
    def iri(self) -> str:
        """``kgr:Judgement-<time>-<digest>``: stable for the same judgement."""
        digest = hashlib.sha256(
            "\0".join((self.verdict, self.left, self.right, self.when)).encode()
        ).hexdigest()[:8]
        stamp = "".join(c for c in self.when if c.isdigit() or c == "T")
        return f"{PREFIXES['kgr']}Judgement-{stamp}-{digest}"

    def pair(self) -> frozenset[str]:
        """The two entities, in no order."""
        return frozenset((self.left, self.right))


def judgements_path(triples_dir: Path) -> Path:
    """Where the judgements of a data folder's ``triples/`` live."""
    return triples_dir / "identity" / "judgements.trig"


def _term(iri: str) -> str:
    return shorten(iri)


def render(judgement: Judgement) -> str:
    """The TriG block of ``judgement`` (starting with a blank line), as :func:`append` writes it."""
    literal = str(ox.Literal(judgement.user))
    when = f"{ox.Literal(judgement.when)}^^xsd:dateTime"
    lines = [
        "",
        "kgg:identity {",
        f"    {_term(judgement.iri)} a kg:Judgement ;",
        f"        kg:verdict kg:{judgement.verdict} ;",
        f"        kg:leftEntity {_term(judgement.left)} ;",
        f"        kg:rightEntity {_term(judgement.right)} ;",
        f"        prov:wasAttributedTo [ a prov:Agent ; rdfs:label {literal} ] ;",
        f"        prov:generatedAtTime {when}",
    ]
    if judgement.why:
        language = "zh" if has_hanzi(judgement.why) else "en"
        lines[-1] += " ;"
        lines.append(f"        rdfs:comment {ox.Literal(judgement.why, language=language)}")
    lines[-1] += " ."
    if judgement.verdict == "SameAs":
        lines.append(f"    {_term(judgement.right)} owl:sameAs {_term(judgement.left)} .")
    lines.append("}")
    return "\n".join(lines) + "\n"


def read(path: Path) -> list[Judgement]:
    """The judgements of ``path`` in the order they were made (none when there is no file).

    Raises:
        JudgementFileError: If the file does not parse, or a judgement lacks a part.
    """
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    try:
        quads = list(ox.parse(text.encode(), format=ox.RdfFormat.TRIG))
    except SyntaxError as err:
        raise JudgementFileError(f"{path}: {err}; fix or remove the broken block") from None
    facts: dict[ox.NamedNode | ox.BlankNode, dict[str, _Term]] = {}
    for quad in quads:
        subject, obj = quad.subject, quad.object
        if quad.graph_name != IDENTITY or isinstance(obj, ox.Triple):
            continue
        if isinstance(subject, ox.NamedNode | ox.BlankNode):
            facts.setdefault(subject, {})[quad.predicate.value] = obj
    found: list[tuple[int, Judgement]] = []
    for subject, values in facts.items():
        if values.get(_TYPE.value) != ox.NamedNode(_KG + "Judgement"):
            continue
        found.append((text.find(_term(subject.value)), _judgement(path, subject, values, facts)))
    return [judgement for _, judgement in sorted(found, key=lambda item: item[0])]


def _judgement(
    path: Path,
    subject: ox.NamedNode | ox.BlankNode,
    values: dict[str, _Term],
    facts: dict[ox.NamedNode | ox.BlankNode, dict[str, _Term]],
) -> Judgement:
    parts = {}
    for key, iri in (
        ("verdict", _KG + "verdict"),
        ("left", _KG + "leftEntity"),
        ("right", _KG + "rightEntity"),
        ("agent", PREFIXES["prov"] + "wasAttributedTo"),
        ("when", PREFIXES["prov"] + "generatedAtTime"),
    ):
        term = values.get(iri)
        if term is None:
            raise JudgementFileError(f"{path}: {_term(subject.value)} has no {shorten(iri)}")
        parts[key] = term
    agent = parts["agent"]
    user = facts.get(agent, {}).get(_LABEL.value) if isinstance(agent, ox.BlankNode) else None
    why = values.get(PREFIXES["rdfs"] + "comment")
    verdict = parts["verdict"].value.removeprefix(_KG)
    if verdict not in VERDICTS:
        raise JudgementFileError(f"{path}: {_term(subject.value)}: unknown verdict kg:{verdict}")
    return Judgement(
        verdict,
        parts["left"].value,
        parts["right"].value,
        user.value if user is not None else "",
        parts["when"].value,
        why.value if why is not None else "",
    )


def append(path: Path, judgement: Judgement) -> None:
    """Add ``judgement`` at the end of ``path`` (created with its header when absent).

    The new text is parsed before it is written, atomically.
    """
    text = path.read_text(encoding="utf-8") if path.is_file() else HEADER
    new = text + render(judgement)
    _check(path, new)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, new)


def remove(path: Path, judgement: Judgement) -> None:
    """Remove ``judgement``'s block from ``path``, exactly as :func:`append` wrote it.

    When only the header is left the file goes (and its folder, when empty).

    Raises:
        JudgementFileError: If the block is not in the file as written (edited by hand).
    """
    text = path.read_text(encoding="utf-8")
    block = render(judgement)
    at = text.rfind(block)
    if at < 0:
        raise JudgementFileError(
            f"{path}: the block of {_term(judgement.iri)} was edited by hand; remove it there"
        )
    rest = text[:at] + text[at + len(block) :]
    if rest == HEADER:
        path.unlink()
        if not any(path.parent.iterdir()):
            path.parent.rmdir()
        return
    _check(path, rest)
    write_text(path, rest)


def _check(path: Path, text: str) -> None:
    try:
        ox.parse(text.encode(), format=ox.RdfFormat.TRIG)
    except SyntaxError as err:  # only a bug could write it: say so before writing anything
        raise JudgementFileError(f"{path}: would not parse ({err}); nothing written") from None
