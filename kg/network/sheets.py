"""Facts as spreadsheets: one sheet (XLSX) or one file (CSV) per kind of fact, evidence included.

Each sheet holds the facts of one class (``FundingEvent``, ``Valuation``, ``Claim`` …), a row per
fact and evidence graph: the fact, its labels in Chinese and English, its participants in both
languages, amounts (value, bounds, currency, the words written), dates, and then the evidence —
tier, quote and offsets, or the report, its address and where in it. A last sheet,
``statements``, holds every other statement of an evidence graph (memberships, business models,
developers …) with its evidence, so every fact of the graph is in the workbook with its source.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from pathlib import Path

from rdflib import BNode, Dataset, URIRef

from kg.data.namespaces import KG, SCHEMA
from kg.data.output import STDOUT, write_atomically
from kg.data.prefixes import shorten
from kg.errors import InvalidValue
from kg.network.facts import EVIDENCE_COLUMNS, Parties, facts, label, statements

__all__ = ["Table", "fact_tables", "write_csv_folder", "write_xlsx"]

Table = tuple[list[str], list[list[str]]]
"""A sheet: its header and its rows."""

_STATEMENT_COLUMNS = [
    "subject",
    "subject_zh",
    "subject_en",
    "property",
    "value",
    "value_zh",
    "value_en",
]


def fact_tables(dataset: Dataset) -> dict[str, Table]:
    """Sheet name → table: one per kind of fact, in name order, then ``statements``."""
    by_kind: dict[str, list[tuple[str, dict[str, str], dict[str, str]]]] = {}
    for fact in facts(dataset):
        name = fact.kind.split(":", 1)[-1]
        by_kind.setdefault(name, []).append((fact.iri, fact.cells, fact.evidence))
    tables: dict[str, Table] = {}
    for name in sorted(by_kind):
        columns: list[str] = []
        for _, cells, _ in by_kind[name]:
            columns += [c for c in cells if c not in columns]
        header = ["fact", *columns, *EVIDENCE_COLUMNS]
        rows = [
            [iri, *(cells.get(c, "") for c in columns), *(ev.get(c, "") for c in EVIDENCE_COLUMNS)]
            for iri, cells, ev in by_kind[name]
        ]
        tables[name] = (header, rows)
    parties = Parties(dataset)
    rows = []
    for st in statements(dataset):
        linked = isinstance(st.value, URIRef)
        value = shorten(str(st.value)) if linked else str(st.value)
        if isinstance(st.value, BNode):  # an amount or a count: the words written, else its value
            value = str(
                dataset.value(st.value, KG.asWritten) or dataset.value(st.value, SCHEMA.value) or ""
            )
        rows.append(
            [
                shorten(str(st.subject)),
                label(parties, st.subject, "zh"),
                label(parties, st.subject, "en"),
                shorten(str(st.predicate)),
                value,
                label(parties, st.value, "zh") if linked else "",
                label(parties, st.value, "en") if linked else "",
                *(st.evidence.get(c, "") for c in EVIDENCE_COLUMNS),
            ]
        )
    tables["statements"] = ([*_STATEMENT_COLUMNS, *EVIDENCE_COLUMNS], rows)
    return tables


def _sheet_title(name: str, taken: set[str]) -> str:
    """An Excel sheet title: at most 31 characters, no brackets, colon, star, slashes; unique."""
    title = "".join(c for c in name if c not in "[]:*?/\\")[:31] or "sheet"
    base, number = title, 2
    while title in taken:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title)
    return title


def write_xlsx(dataset: Dataset, path: str | os.PathLike[str]) -> Path:
    """Write the fact tables as one workbook, atomically."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for name, (header, rows) in fact_tables(dataset).items():
        sheet = book.create_sheet(_sheet_title(name, taken))
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_number(value) for value in row])
        sheet.freeze_panes = "B2"
        for index, column in enumerate(header, 1):
            letter = sheet.cell(row=1, column=index).column_letter
            wide = column in {"quote", "label_zh", "label_en", "text_zh", "text_en"}
            sheet.column_dimensions[letter].width = 60 if wide else 18
            if wide:
                for cell in sheet[letter][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    target = Path(path)
    write_atomically(target, lambda tmp: book.save(tmp))
    return target


def _number(text: str) -> str | int | float:
    """Offsets and amounts as numbers (Excel sorts and sums them); the rest as text."""
    if re.fullmatch(r"\d{1,15}", text):
        return int(text)
    if re.fullmatch(r"\d{1,15}\.\d+", text):
        return float(text)
    return text


def write_csv_folder(dataset: Dataset, folder: str | os.PathLike[str]) -> Path:
    """Write one CSV file per table into a new folder (all of it, or nothing).

    The files are UTF-8 with a byte-order mark, so that Excel reads the Chinese right.

    Raises:
        InvalidValue: When the folder exists and is not empty.
    """
    target = Path(folder)
    if str(target) == STDOUT:
        raise InvalidValue("csv writes a folder of files: give -o DIR, a new folder")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InvalidValue(f"{target}: exists and is not an empty folder; name a new folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for name, (header, rows) in fact_tables(dataset).items():
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(header)
            writer.writerows(rows)
            (staging / f"{name}.csv").write_text(buffer.getvalue(), encoding="utf-8-sig")
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
