"""How much of the article the evidence quotes, and whether every statement keeps its evidence.

:func:`quoted_share` is the share of the article's non-space code points that lie inside some
evidence quote (``oa:TextPositionSelector`` spans); :func:`gaps` lists the passages no quote
covers. :func:`load_inventory` reads the statement inventory (``tests/data/statements.json``):
every statement of the article — facts, the author's assessments and causal links, hearsay,
reported speech, photo captions — with the evidence graphs that represent it;
:func:`check_inventory` says what is wrong with it against the loaded data.

>>> quoted_share("ab cd", [(0, 2)])
0.5
>>> gaps("ab cd", [(0, 2)])
[(3, 5, 'cd')]
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import RDF, Dataset, Literal, URIRef

from kg.data.namespaces import KG, OA, PROV, PROVENANCE_GRAPH
from kg.data.prefixes import shorten

__all__ = [
    "Statement",
    "check_inventory",
    "evidence_spans",
    "gaps",
    "inventory_markdown",
    "load_inventory",
    "quoted_share",
    "source_share",
]

#: The kinds of statement the inventory distinguishes.
KINDS = frozenset(
    {"fact", "assessment", "cause", "hearsay", "reported-speech", "caption", "question"}
)


@dataclass(frozen=True)
class Statement:
    """One statement of the article.

    Attributes:
        id: A short, stable name.
        kind: One of :data:`KINDS`.
        text: The statement's words, verbatim (they occur once in the article).
        evidence: The evidence graphs (``ev:…`` CURIEs) that represent it.

    """

    id: str
    kind: str
    text: str
    evidence: tuple[str, ...]


def evidence_spans(dataset: Dataset) -> dict[str, tuple[int, int, str]]:
    """Each evidence graph (as a CURIE) with its quote's start, end and exact text."""
    provenance = dataset.graph(PROVENANCE_GRAPH)
    spans: dict[str, tuple[int, int, str]] = {}
    for evidence in provenance.subjects(RDF.type, KG.Evidence):
        if not isinstance(evidence, URIRef):
            continue
        start = end = None
        exact = ""
        for resource in provenance.objects(evidence, PROV.wasDerivedFrom):
            for selector in provenance.objects(resource, OA.hasSelector):
                if (selector, RDF.type, OA.TextPositionSelector) in provenance:
                    start = _int(provenance.value(selector, OA.start))
                    end = _int(provenance.value(selector, OA.end))
                elif (selector, RDF.type, OA.TextQuoteSelector) in provenance:
                    exact = str(provenance.value(selector, OA.exact) or "")
        if start is not None and end is not None:
            spans[shorten(str(evidence))] = (start, end, exact)
    return spans


def _int(node: object) -> int | None:
    return int(node) if isinstance(node, Literal) and str(node).lstrip("-").isdigit() else None


def _covered(length: int, spans: Iterable[tuple[int, int]]) -> list[bool]:
    covered = [False] * length
    for start, end in spans:
        for i in range(max(start, 0), min(end, length)):
            covered[i] = True
    return covered


def quoted_share(text: str, spans: Iterable[tuple[int, int]]) -> float:
    """The share (0–1) of ``text``'s non-space code points inside some span."""
    covered = _covered(len(text), spans)
    counted = [covered[i] for i, char in enumerate(text) if not char.isspace()]
    return sum(counted) / len(counted) if counted else 1.0


def gaps(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The passages of ``text`` that no span covers, trimmed of white space."""
    covered = _covered(len(text), spans)
    found = []
    i = 0
    while i < len(text):
        if covered[i] or text[i].isspace():
            i += 1
            continue
        j = i
        while j < len(text) and not covered[j]:
            j += 1
        passage = text[i:j].rstrip()
        found.append((i, i + len(passage), passage))
        i = j
    return found


def source_share(dataset: Dataset, source: str | os.PathLike[str] | None = None) -> float | None:
    """:func:`quoted_share` of the source article by the evidence of ``dataset``.

    Returns ``None`` when the article cannot be found (see :func:`kg.data.paths.source_text_path`).
    """
    from kg.data.paths import source_text_path

    path = source_text_path(source)
    if path is None or not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    return quoted_share(text, [(start, end) for start, end, _ in evidence_spans(dataset).values()])


def load_inventory(path: str | os.PathLike[str]) -> list[Statement]:
    """Read a statement inventory (JSON: ``{"statements": [{id, kind, text, evidence}, …]}``).

    Raises:
        ValueError: Naming the file and the entry that is malformed.

    """
    data: Any = json.loads(Path(path).read_text(encoding="utf-8"))
    statements = []
    for number, entry in enumerate(data.get("statements", []), start=1):
        try:
            statements.append(
                Statement(
                    id=str(entry["id"]),
                    kind=str(entry["kind"]),
                    text=str(entry["text"]),
                    evidence=tuple(str(e) for e in entry["evidence"]),
                )
            )
        except (KeyError, TypeError) as err:
            raise ValueError(f"{path}: statement {number} lacks {err}") from None
    return statements


def check_inventory(
    statements: Iterable[Statement],
    article: str,
    spans: Mapping[str, tuple[int, int, str]],
    non_empty: set[str],
) -> list[str]:
    """What is wrong with the inventory against the data (empty when all is well).

    Each statement must be verbatim in the article exactly once, of a known kind, and name at
    least one evidence graph; each graph it names must exist, hold triples, and quote a passage
    that overlaps the statement.

    Args:
        statements: The inventory.
        article: The source text.
        spans: :func:`evidence_spans` of the data.
        non_empty: The evidence graphs (CURIEs) that hold at least one triple.

    """
    problems = []
    seen: set[str] = set()
    for statement in statements:
        where = f"statement {statement.id!r}"
        if statement.id in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(statement.id)
        if statement.kind not in KINDS:
            problems.append(f"{where}: unknown kind {statement.kind!r}")
        count = article.count(statement.text)
        if count != 1:
            problems.append(f"{where}: its text occurs {count} times in the article, not once")
            continue
        start = article.index(statement.text)
        end = start + len(statement.text)
        if not statement.evidence:
            problems.append(f"{where}: names no evidence graph")
        for graph in statement.evidence:
            if graph not in spans:
                problems.append(f"{where}: {graph} is not an evidence graph")
            elif graph not in non_empty:
                problems.append(f"{where}: {graph} holds no triples")
            elif not (spans[graph][0] < end and start < spans[graph][1]):
                problems.append(f"{where}: the quote of {graph} does not overlap it")
    return problems


_KIND_MEANINGS = {
    "fact": "a fact the article states",
    "assessment": "the author's own judgement (kg:AuthorAssessment claim by kgr:ErLing)",
    "cause": "a cause-and-effect link the author states (kg:StatedCause claim by kgr:ErLing)",
    "hearsay": "hearsay, rumour or a press report (据说, 被传, 曝出, 据…表示): an unverified claim",
    "reported-speech": "what a named person or group said or believed: a claim attributed to them",
    "caption": "a photo caption: what the photo shows and whom it credits",
    "question": "a question the author asks: a kg:AuthorAssessment claim by kgr:ErLing",
}


def inventory_markdown(statements: Iterable[Statement], article: str) -> str:
    """``docs/coverage.md``: the inventory as a readable table, in article order."""
    ordered = sorted(statements, key=lambda s: article.find(s.text))
    counts: dict[str, int] = {}
    for statement in ordered:
        counts[statement.kind] = counts.get(statement.kind, 0) + 1
    lines = [
        "# Statement inventory",
        "",
        "Every statement of the source article, in article order, with the evidence graphs that",
        "represent it. The machine-readable list is `tests/data/statements.json`, and this page",
        "is generated from it (`kg.data.coverage.inventory_markdown`); `tests/test_coverage.py`",
        "fails when a statement loses its evidence graph, a graph stops quoting it, or none of",
        "its graphs says it any more (each statement names the claim or triple that says it).",
        "`kg stats` reports the share of the article's non-space text inside some evidence quote.",
        "",
        "Kinds: "
        + ", ".join(f"{kind} ({n})" for kind, n in sorted(counts.items()))
        + f"; {len(ordered)} statements in all.",
        "",
        "| kind | meaning |",
        "| --- | --- |",
        *(f"| {kind} | {meaning} |" for kind, meaning in _KIND_MEANINGS.items()),
        "",
        "| # | id | kind | statement (verbatim) | evidence |",
        "| --- | --- | --- | --- | --- |",
    ]
    for number, statement in enumerate(ordered, start=1):
        text = statement.text.replace("\n", " ").replace("|", "\\|")
        graphs = ", ".join(f"`{g}`" for g in statement.evidence)
        lines.append(f"| {number} | `{statement.id}` | {statement.kind} | {text} | {graphs} |")
    return "\n".join(lines) + "\n"
