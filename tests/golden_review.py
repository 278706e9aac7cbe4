"""Reviewed regeneration of the golden files: no golden changes without the passage that says so.

``python tests/test_named_queries.py --write-golden [NAME...]`` runs the named queries on the
data, compares each answer with its golden file and prints every changed row (``+`` added, ``-``
gone) as one JSON line with an empty ``"because"``. It writes nothing until each of those lines
comes back, in a file given with ``--confirm FILE``, with ``"because"`` filled in by what
justifies the change (a line may carry ``"passage_in_row"``: a value of the row that is a passage
of the article, offered as a hint; it justifies nothing until the reviewer has read the row
against it and copied it into ``"because"``):

* a passage of the article, copied from it (checked: it must occur in the article's text), or
* a citation: the report's IRI (``kgr:Report-…``, which must have its file in
  ``triples/sources/``) followed by where in the report the figure or fact stands.

Then the golden files are written and ``tests/golden/REVIEW.log`` gets one JSON line per file
written: the query, the SHA-256 of the new file, the day, the reviewer (``--by``) and the
confirmed changes. ``test_golden_review.py`` checks that every golden file's current content is
the last one its log entries record, so a golden file re-recorded any other way fails the tests.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import kg
from kg.data.output import write_text
from kg.data.paths import data_dir, source_text_path
from kg.query.catalogue import load_catalogue

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
LOG_NAME = "REVIEW.log"
_REPORT = re.compile(r"^(kgr:Report-[A-Za-z0-9-]+)\s+\S")
_MIN_QUOTE = 4  # a passage shorter than this proves nothing


def digest(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_log(golden_dir: Path) -> list[dict[str, Any]]:
    """The review log's entries, oldest first (none when there is no log)."""
    path = golden_dir / LOG_NAME
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def unreviewed(golden_dir: Path) -> list[str]:
    """Golden files whose content is not the last reviewed content of their query."""
    last = {entry["query"]: entry["sha256"] for entry in read_log(golden_dir)}
    return sorted(
        path.name for path in golden_dir.glob("*.json") if last.get(path.stem) != digest(path)
    )


def _items(result: Mapping[str, Any]) -> list[Any]:
    if "boolean" in result:
        return [result["boolean"]]
    return list(result.get("rows", result.get("triples", [])))


def changes(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The rows (or triples, or booleans) of ``new`` that ``old`` lacks (+) and has extra (-)."""
    name = new["query"]
    before = {json.dumps(c["params"]): c["result"] for c in (old or {}).get("cases", [])}
    after = {json.dumps(c["params"]): c["result"] for c in new["cases"]}
    found = []
    for case in [*after, *(c for c in before if c not in after)]:
        was = [json.dumps(i, ensure_ascii=False) for i in _items(before.get(case, {}))]
        now = [json.dumps(i, ensure_ascii=False) for i in _items(after.get(case, {}))]
        for sign, rows in (
            ("-", [r for r in was if r not in now]),
            ("+", [r for r in now if r not in was]),
        ):
            for row in rows:
                found.append(
                    {
                        "query": name,
                        "case": json.loads(case),
                        "change": sign,
                        "row": json.loads(row),
                    }
                )
    if old is not None and old.get("summary") != new.get("summary"):
        found.append({"query": name, "case": None, "change": "summary", "row": new["summary"]})
    return found


def _key(change: Mapping[str, Any]) -> str:
    fields = (change["query"], change["case"], change["change"], change["row"])
    return json.dumps(fields, ensure_ascii=False, sort_keys=True)


def refusal(because: str, article: str | None, root: Path) -> str | None:
    """Why ``because`` does not justify a change (``None`` when it does)."""
    because = because.strip()
    cited = _REPORT.match(because)
    if cited:
        report = cited.group(1).removeprefix("kgr:")
        if (root / "triples" / "sources" / f"{report}.trig").is_file():
            return None
        return f"{cited.group(1)} has no citation file in triples/sources/"
    if len(because) < _MIN_QUOTE:
        return "no passage of the article and no citation (kgr:Report-… and where in it) given"
    if article is None:
        return (
            "the article is not on this machine, so the passage cannot be checked (set KG_SOURCE)"
        )
    if because not in article:
        return "not a passage of the article (copy it exactly), nor a citation kgr:Report-…"
    return None


_LITERAL = re.compile(r'^"(.*)"(?:@[A-Za-z-]+|\^\^\S+)?$', re.DOTALL)


def passage_in_row(row: Any, article: str | None) -> str | None:
    """A value of ``row`` that is a passage of the article (a hint for the reviewer, who still
    reads the row against it and writes it into ``because`` only if it says so)."""
    if article is None or not isinstance(row, list):
        return None
    for value in row:
        found = _LITERAL.match(value) if isinstance(value, str) else None
        if found and len(found.group(1)) >= _MIN_QUOTE and found.group(1) in article:
            return found.group(1)
    return None


def record(root: Path, names: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The golden documents the data gives now (all queries, or those in ``names``)."""
    from test_named_queries import examples_for, normalise, run_named

    catalogue = load_catalogue(data_dir(root))
    unknown = sorted(set(names) - set(catalogue))
    if unknown:
        raise SystemExit(f"write-golden: no such named query: {', '.join(unknown)}")
    graph = kg.load(root, engine="memory")
    documents = {}
    for name, query in catalogue.items():
        if names and name not in names:
            continue
        cases = [
            {"params": params, "result": normalise(run_named(graph, query, params))}
            for params in examples_for(name)
        ]
        documents[name] = {"query": name, "summary": query.summary, "cases": cases}
    return documents


def main(argv: Sequence[str]) -> int:
    """The ``--write-golden`` command (see the module docstring); returns the exit status."""
    from test_named_queries import dump_golden

    parser = argparse.ArgumentParser(prog="python tests/test_named_queries.py")
    parser.add_argument("--write-golden", action="store_true", required=True)
    parser.add_argument("--confirm", type=Path, help="JSON lines: each change with its because")
    parser.add_argument("--by", default="", help="who reviewed the changes (for the log)")
    parser.add_argument("--data", type=Path, default=None, help="the data folder")
    parser.add_argument("--golden", type=Path, default=GOLDEN_DIR, help="the golden folder")
    parser.add_argument("names", nargs="*", help="only these queries")
    args = parser.parse_args(argv)
    root = data_dir(args.data).root
    documents = record(root, args.names)
    pending: dict[str, list[dict[str, Any]]] = {}
    for name, document in documents.items():
        path = args.golden / f"{name}.json"
        text = dump_golden(document)
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        old = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
        pending[name] = changes(old, document) or [
            {"query": name, "case": None, "change": "layout", "row": None}
        ]
    if not pending:
        print("write-golden: every golden file already says what the data answers")
        return 0
    confirmed = _confirmations(args.confirm)
    source = source_text_path()
    article = source.read_text(encoding="utf-8") if source is not None else None
    missing = []
    for change in (c for cs in pending.values() for c in cs):
        because = confirmed.get(_key(change), "").strip()
        if not because:
            why: str | None = "not confirmed"
        elif change["change"] in {"summary", "layout"}:  # no row changed: any reason will do
            why = None
        else:
            why = refusal(because, article, root)
        if why is None:
            change["because"] = because
            continue
        missing.append(change)
        hint = passage_in_row(change["row"], article)
        shown = {**change, "because": because, **({"passage_in_row": hint} if hint else {})}
        print(json.dumps(shown, ensure_ascii=False))
        if because:
            print(f"  refused: {why}")
    if missing:
        print(
            f"write-golden: {len(missing)} changed row(s) above not confirmed; nothing written. "
            'Put each line, with "because" filled in by the passage of the article that says '
            "so (or kgr:Report-… and where in it), in a file and run again with --confirm FILE."
        )
        return 1
    day = datetime.date.today().isoformat()
    for name, confirmed_changes in pending.items():
        path = args.golden / f"{name}.json"
        write_text(path, dump_golden(documents[name]))
        entry = {
            "query": name,
            "sha256": digest(path),
            "reviewed": day,
            "by": args.by,
            "changes": confirmed_changes,
        }
        log = args.golden / LOG_NAME
        previous = log.read_text(encoding="utf-8") if log.is_file() else ""
        write_text(log, previous + json.dumps(entry, ensure_ascii=False) + "\n")
        print(f"write-golden: {path} ({len(confirmed_changes)} reviewed change(s))")
    return 0


def _confirmations(path: Path | None) -> dict[str, str]:
    """The ``because`` of each confirmed change in ``path`` (JSON lines), by the change."""
    if path is None:
        return {}
    if not path.is_file():
        raise SystemExit(f"write-golden: no file {path} (the changes, each with its because)")
    found = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            change = json.loads(line)
            found[_key(change)] = str(change.get("because") or "")
        except (json.JSONDecodeError, KeyError) as error:
            raise SystemExit(
                f"{path}:{number}: not a change line ({error}); copy the printed line"
            ) from error
    return found
