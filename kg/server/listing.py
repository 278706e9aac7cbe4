"""The named queries as JSON, as served at ``/queries`` (built once, when the app is made).

Besides the queries and the prefixes it lists the formats the server offers (the format
records of :mod:`kg.query.formats`): the query page makes its download links from them.
"""

from __future__ import annotations

import json
import re

from kg.data.prefixes import PREFIXES
from kg.query.catalogue import NamedQuery
from kg.query.formats import FORMATS

__all__ = ["catalogue_json"]

_EXAMPLE = re.compile(r"e\.g\.\s+([^\s,;()]+)")


def _title(summary: str) -> str:
    """The part of a summary before its first colon (the named query's title)."""
    head = re.split(r"[:：]", summary, maxsplit=1)[0].strip()
    return head or summary


def _example(description: str) -> str | None:
    match = _EXAMPLE.search(description)
    return match.group(1) if match else None


def catalogue_json(catalogue: dict[str, NamedQuery], forms: dict[str, str]) -> bytes:
    """The named queries, their parameters and the prefixes, as served at ``/queries``."""
    queries = [
        {
            "name": named.name,
            "title": _title(named.summary),
            "title_zh": _title(named.summary_zh),
            "summary": named.summary,
            "summary_zh": named.summary_zh,
            "tags": list(named.tags),
            "form": forms[named.name],
            "text": named.text,
            "params": [
                {
                    "name": p.name,
                    "type": p.type,
                    "description": p.description,
                    "optional": p.optional,
                    "default": p.default,
                    "example": p.default or (None if p.optional else _example(p.description)),
                }
                for p in named.params
            ],
        }
        for named in catalogue.values()
    ]
    document = {"prefixes": PREFIXES, "queries": queries, "formats": FORMATS.listing()}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")
