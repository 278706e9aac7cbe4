"""A query's answer as an XLSX workbook: the writer of the ``xlsx`` format record.

One sheet, ``results``: a header row of the variables, then a row per solution. IRIs are written
as CURIEs (``kgr:Zhipu``) followed, in their own column, by their label when the labels given
have one; numbers as numbers (Excel sorts and sums them: ``1800000000``, not ``18亿``); dates and
text as written. Quote columns (``?quote``, ``?…_quote``) are wide and wrap, so the evidence
reads in the workbook as on the query page. ``openpyxl`` is imported only when a workbook is
written.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from kg.data.prefixes import shorten
from kg.query.table import Tabular

__all__ = ["to_xlsx"]

XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {XSD + t for t in ("decimal", "integer", "double", "float", "long", "int")}
_WIDE = 60
_NARROW = 18


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str | int | float | Decimal:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if term.datatype.value in _NUMERIC:
        try:
            number = Decimal(term.value)
        except InvalidOperation:
            return term.value
        if number == number.to_integral_value() and abs(number) < 10**15:
            return int(number)
        return float(number)
    return term.value


def _wide(name: str) -> bool:
    return name == "quote" or name.endswith(("_quote", "_zh", "_en")) or name.startswith("text")


def to_xlsx(result: Tabular, labels: Mapping[str, str]) -> bytes:
    """The workbook's bytes.

    Args:
        result: A SELECT or ASK answer.
        labels: Display labels by IRI: a column of IRIs gets a ``…_label`` column beside it.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "results"
    if result.form == "ASK":
        sheet.append(["_askResult"])
        sheet.append(["true" if result.boolean else "false"])
    else:
        variables = list(result.variables)
        labelled = [
            any(isinstance(row[i], ox.NamedNode) and row[i].value in labels for row in result.rows)  # type: ignore[union-attr]
            for i in range(len(variables))
        ]
        header: list[str] = []
        for name, with_label in zip(variables, labelled, strict=True):
            header += [name, f"{name}_label"] if with_label else [name]
        sheet.append(header)
        for row in result.rows:
            cells: list[object] = []
            for term, with_label in zip(row, labelled, strict=True):
                cells.append(_cell(term))
                if with_label:
                    named = isinstance(term, ox.NamedNode)
                    cells.append(labels.get(term.value, "") if named else "")  # type: ignore[union-attr]
            sheet.append(cells)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, name in enumerate(header, 1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = _WIDE if _wide(name) else _NARROW
            if _wide(name):
                for cell in sheet[letter][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
