"""The sources the data quotes: describing one, listing them, and finding their texts.

The project ships no third-party text. A source is described in the data (``kg:SourceArticle``:
title, author, publisher, date, language, SHA-256, character count) and found on disk by its
fingerprint, never by its name: ``kg validate --sources DIR`` hashes the files in DIR.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, Dataset, Literal, URIRef

from kg.data.namespaces import KG, OA, PROV, SCHEMA
from kg.data.output import write_text
from kg.data.paths import DataLayout
from kg.data.prefixes import PREFIXES
from kg.errors import InvalidValue, NotFound

__all__ = [
    "SourceInfo",
    "add_source",
    "describe_source",
    "fingerprint_dir",
    "list_sources",
    "read_article",
    "source_iri",
    "source_of",
    "turtle_string",
]

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_DATE_TYPES = {4: "gYear", 7: "gYearMonth", 10: "date"}


class ArticleError(InvalidValue):
    """A file that cannot be read as a plain-text article."""


def read_article(path: str | os.PathLike[str]) -> tuple[str, str]:
    """Read a plain-text article.

    Returns:
        Its text (UTF-8, newlines untouched) and the hex SHA-256 of its bytes.

    Raises:
        NotFound: If there is no such file.
        ArticleError: If it is a folder, binary, not UTF-8, or empty.

    """
    file = Path(path)
    if not file.exists():
        raise NotFound(f"{file}: no such file; give the path of a plain-text (UTF-8) article")
    if not file.is_file():
        raise ArticleError(f"{file}: not a file; give the path of a plain-text (UTF-8) article")
    data = file.read_bytes()
    if b"\x00" in data:
        raise ArticleError(f"{file}: a binary file (it holds NUL bytes); save the article as text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ArticleError(
            f"{file}:{line}: not UTF-8 (byte {err.start}); convert it, e.g. "
            f"iconv -f GB18030 -t UTF-8 {file.name}"
        ) from None
    if not text.strip():
        raise ArticleError(f"{file}: empty; an article needs text")
    return text, hashlib.sha256(data).hexdigest()


def source_iri(sha256: str) -> str:
    """The IRI ``kg sources add`` gives a source: ``kgr:Source-<first 12 hex digits>``."""
    return f"{PREFIXES['kgr']}Source-{sha256[:12]}"


@dataclass(frozen=True)
class SourceInfo:
    """One described source and how many evidence graphs quote it."""

    iri: str
    title: str | None
    sha256: str | None
    characters: int | None
    date: str | None
    language: str | None
    evidence: int
    drafts: int


def list_sources(dataset: Dataset) -> list[SourceInfo]:
    """Every source, quoted or cited, with its counts of evidence (curated and draft) graphs.

    A source is a ``kg:SourceArticle`` (a text the project quotes) or a ``kg:PublicReport``.
    """
    counts: dict[URIRef, list[int]] = {}
    for graph, _, resource in dataset.triples((None, PROV.wasDerivedFrom, None)):
        for source in dataset.objects(resource, OA.hasSource):
            if isinstance(source, URIRef):
                draft = (graph, KG.status, KG.Draft) in dataset
                counts.setdefault(source, [0, 0])[1 if draft else 0] += 1
    found = []
    described = {
        x
        for kind in (KG.SourceArticle, KG.PublicReport)
        for x in dataset.subjects(RDF.type, kind)
        if isinstance(x, URIRef)
    }
    for iri in sorted(described):
        title = dataset.value(iri, KG.title) or _label(dataset, iri)
        count = _int(dataset.value(iri, KG.characterCount))
        evidence, drafts = counts.get(iri, [0, 0])
        found.append(
            SourceInfo(
                str(iri),
                str(title) if title is not None else None,
                _str(dataset.value(iri, KG.sha256)),
                count,
                _str(dataset.value(iri, KG.datePublished)),
                _str(dataset.value(iri, SCHEMA.inLanguage)),
                evidence,
                drafts,
            )
        )
    return found


def source_of(dataset: Dataset, sha256: str) -> str | None:
    """The IRI of the source whose recorded fingerprint is ``sha256``, if any."""
    for iri in dataset.subjects(KG.sha256, Literal(sha256)):
        return str(iri)
    return None


def _label(dataset: Dataset, iri: URIRef) -> Literal | None:
    labels = [x for x in dataset.objects(iri, RDFS.label) if isinstance(x, Literal)]
    labels.sort(key=lambda x: (x.language != "zh", str(x)))
    return labels[0] if labels else None


def _str(node: object) -> str | None:
    return str(node) if node is not None else None


def _int(node: object) -> int | None:
    return int(node) if isinstance(node, Literal) else None


def turtle_string(text: str) -> str:
    """``text`` as a Turtle string literal (quotes, backslashes and newlines escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _check_text(option: str, value: str) -> None:
    """Refuse what cannot be written into the data as one line of text.

    Raises:
        InvalidValue: For a control character (a carriage return, a tab, a bell…) or bytes that
            were not UTF-8 (which reach Python as lone surrogates).
    """
    for char in value:
        if "\udc80" <= char <= "\udcff":
            raise InvalidValue(f"{option}: not UTF-8 text; give it in UTF-8")
        if unicodedata.category(char) in {"Cc", "Cs"}:
            raise InvalidValue(
                f"{option}: control character {char!r} in {value!r}; give it on one line, "
                "without control characters"
            )


def _check_date(date: str) -> str:
    """The ``kg:datePublished`` literal of ``date``.

    Raises:
        InvalidValue: Unless ``date`` is a real ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
    """
    import datetime

    problem = InvalidValue(f"--date {date!r}: write a real date as YYYY, YYYY-MM or YYYY-MM-DD")
    if not _DATE.fullmatch(date):
        raise problem
    parts = [int(x) for x in date.split("-")]
    try:
        datetime.date(parts[0], *[*parts[1:], 1, 1][:2])
    except ValueError:
        raise problem from None
    return f'"{date}"^^xsd:{_DATE_TYPES[len(date)]}'


def describe_source(
    text: str,
    sha256: str,
    *,
    title: str,
    file_name: str,
    author: str | None = None,
    publisher: str | None = None,
    date: str | None = None,
    language: str = "zh",
    title_en: str | None = None,
) -> str:
    """A TriG document that describes one source in ``kgg:provenance``.

    Raises:
        InvalidValue: If ``date`` is not a real ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, a text
            holds a control character or bytes that were not UTF-8, or the title is
            empty.

    """
    for option, value in (
        ("--title", title),
        ("--title-en", title_en),
        ("--author", author),
        ("--publisher", publisher),
        ("--language", language),
        ("the file name", file_name),
    ):
        if value is not None:
            _check_text(option, value)
    if not title.strip():
        raise InvalidValue("--title: a source needs a title")
    published = _check_date(date) if date else None
    lines = [
        f"    <{source_iri(sha256)}> a kg:SourceArticle ;",
        f"        kg:title {turtle_string(title.strip())} ;",
        f"        kg:fileName {turtle_string(file_name)} ;",
        f'        kg:sha256 "{sha256}" ;',
        f"        kg:characterCount {len(text)} ;",
    ]
    if author:
        lines.append(f"        kg:authorName {turtle_string(author)} ;")
    if publisher:
        lines.append(f"        kg:publisherName {turtle_string(publisher)} ;")
    if published:
        lines.append(f"        kg:datePublished {published} ;")
    lines.append(f"        schema:inLanguage {turtle_string(language)} .")
    prefixes = "".join(
        f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in ("kg", "kgg", "xsd", "schema", "rdfs")
    )
    english = title_en or f"Source article {sha256[:12]}"
    curation = (
        f"kgg:curation {{\n    <{source_iri(sha256)}> rdfs:label "
        f"{turtle_string(title.strip())}@zh , {turtle_string(english)}@en .\n}}\n"
    )
    return (
        f"# A source, recorded by `kg sources add` (its text is not shipped; found by SHA-256).\n"
        f"{prefixes}\nkgg:provenance {{\n" + "\n".join(lines) + "\n}\n\n" + curation
    )


def add_source(
    layout: DataLayout,
    path: str | os.PathLike[str],
    *,
    title: str,
    author: str | None = None,
    publisher: str | None = None,
    date: str | None = None,
    language: str = "zh",
    title_en: str | None = None,
    recorded: Dataset | None = None,
) -> tuple[str, Path]:
    """Record a source in ``triples/sources/Source-<sha12>.trig`` (atomic; the text is not copied).

    Returns:
        The source's IRI and the data file written.

    Raises:
        InvalidValue: If the source is already recorded, or its description is invalid.

    """
    text, sha = read_article(path)
    if recorded is not None and (known := source_of(recorded, sha)) is not None:
        raise InvalidValue(f"{path}: already recorded as <{known}> (same SHA-256 {sha})")
    target = layout.sources_dir / f"Source-{sha[:12]}.trig"
    if target.exists():
        raise InvalidValue(f"{target}: already exists; the source is recorded")
    document = describe_source(
        text,
        sha,
        title=title,
        file_name=Path(path).name,
        author=author,
        publisher=publisher,
        date=date,
        language=language,
        title_en=title_en,
    )
    target.parent.mkdir(exist_ok=True)
    write_text(target, document)
    return source_iri(sha), target


def fingerprint_dir(folder: str | os.PathLike[str]) -> dict[str, Path]:
    """The SHA-256 of every file directly in ``folder`` (hidden files aside).

    Raises:
        NotFound: If ``folder`` is not a folder.

    """
    root = Path(folder)
    if not root.is_dir():
        raise NotFound(f"--sources {root}: not a folder of source texts")
    found: dict[str, Path] = {}
    for file in sorted(root.iterdir()):
        if file.is_file() and not file.name.startswith("."):
            found.setdefault(hashlib.sha256(file.read_bytes()).hexdigest(), file)
    return found
