"""Named queries: the ``queries/*.rq`` catalogue, its header lines, and safe parameter binding.

Each named query is one SPARQL file, ``queries/<name>.rq``, that opens with header lines in the
manner of grlc and sparql-examples::

    #+ summary: Funding timeline of Zhipu, with amounts and the sentence that says so
    #+ summary_zh: 智谱融资时间线(金额与原文出处)
    #+ tags: funding, money
    #+ param: city iri "A city, e.g. kgr:Beijing" (optional; omit for all)

``summary`` and ``summary_zh`` are required; ``tags`` is a comma-separated list; each ``param``
line declares one variable of the query that callers may bind: ``NAME TYPE "description"``,
optionally followed by ``(optional)``, ``(optional; default=VALUE)`` or ``(default=VALUE)``
(free notes may sit among them, separated by ``;``). ``TYPE`` is one of :data:`PARAM_TYPES`.
The header is the run of comment lines at the top of the file; other ``#`` lines there are
free documentation. A malformed header is reported as :class:`CatalogueError` naming the file
and the line.

:func:`bind_params` turns the strings a user typed (``--param city=kgr:Beijing``) into RDF terms
by the declared type. The query runner then pre-binds them (``VALUES`` / ``initBindings``); they
are never spliced into the text. Optional parameters without a default stay unbound.

This module itself imports neither rdflib nor a query engine, so listing or binding a named query
costs milliseconds.

>>> from kg.data.paths import data_dir
>>> catalogue = load_catalogue(data_dir())
>>> query = catalogue["funding_by_city"]
>>> query.params[0].name, query.params[0].type, query.params[0].optional
('city', 'iri', True)
>>> bind_params(query, {"city": "kgr:Beijing"})
{'city': <NamedNode value=https://w3id.org/zhipu-kg/resource/Beijing>}
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from kg.data.paths import DataLayout, data_dir
from kg.errors import InvalidValue, NotFound, UsageError
from kg.logs import Log
from kg.query.params import PARAM_TYPES, Param, bind_params, convert_value
from kg.query.safety import analyse, tokenize

__all__ = [
    "PARAM_TYPES",
    "CatalogueError",
    "NamedQuery",
    "Param",
    "bind_params",
    "convert_value",
    "load_catalogue",
    "load_query",
    "parse_query",
]

#: Header keys; each may appear once, except ``param``.
HEADER_KEYS = ("summary", "summary_zh", "tags", "param")

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_HEADER_LINE = re.compile(r"#\+\s*(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*)\Z")
_PARAM = re.compile(
    r"(?P<name>\S+)\s+(?P<type>\S+)\s+\"(?P<description>(?:[^\"\\]|\\.)*)\"\s*"
    r"(?:\((?P<flags>[^()]*)\))?\s*\Z"
)

log = Log(__name__)


class UnknownQuery(NotFound, KeyError):
    """No named query has this name."""

    def __str__(self) -> str:
        return str(self.args[0])


class CatalogueError(UsageError, ValueError):
    """A named query's file is malformed.

    Attributes:
        path: The file.
        line: The 1-based line the problem is on.
    """

    def __init__(self, path: Path, line: int, message: str) -> None:
        self.path = path
        self.line = line
        super().__init__(f"{path}:{line}: {message}")


class NamedQuery(NamedTuple):
    """A query of the catalogue.

    Attributes:
        name: The file name without ``.rq``.
        path: The file.
        text: The whole file, header included (the header is SPARQL comments).
        summary: One line in English.
        summary_zh: One line in Chinese.
        tags: Keywords, in the order written.
        params: Declared parameters, in the order written.
    """

    name: str
    path: Path
    text: str
    summary: str
    summary_zh: str
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()

    def param(self, name: str) -> Param:
        """The declared parameter called ``name``.

        Raises:
            ValueError: If the query declares no such parameter.
        """
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise InvalidValue(f"query {self.name!r} has no parameter {name!r} (it takes: {known})")

    @property
    def required(self) -> tuple[Param, ...]:
        """The parameters every call must give."""
        return tuple(p for p in self.params if not p.optional)

    @property
    def form(self) -> str:
        """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.

        Raises:
            kg.query.safety.QueryRejected: If the text breaks a safety rule.
        """
        return analyse(self.text).form


# ---------------------------------------------------------------- reading the files
def parse_query(path: Path, text: str | None = None) -> NamedQuery:
    """Read one named query and its header.

    Args:
        path: The ``.rq`` file; its stem is the query's name.
        text: The file's contents, if already read.

    Raises:
        CatalogueError: Naming the file and line of the first problem.
    """
    if text is None:
        text = path.read_text(encoding="utf-8")
    name = path.stem
    if not _NAME.match(name):
        raise CatalogueError(path, 1, f"query name {name!r} must match [a-z][a-z0-9_]*")
    fields: dict[str, tuple[str, int]] = {}
    params: list[Param] = []
    seen_params: dict[str, int] = {}
    last_header_line = 0
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if not line.startswith("#"):
            break
        last_header_line = number
        if not line.startswith("#+"):
            continue
        match = _HEADER_LINE.match(line)
        if match is None:
            raise CatalogueError(
                path, number, f"header line must read '#+ key: value', not {line!r}"
            )
        key, value = match.group("key"), match.group("value").strip()
        if key not in HEADER_KEYS:
            raise CatalogueError(
                path, number, f"unknown header key {key!r} (known: {', '.join(HEADER_KEYS)})"
            )
        if key == "param":
            param = _parse_param(path, number, value)
            if param.name in seen_params:
                raise CatalogueError(
                    path,
                    number,
                    f"parameter {param.name!r} is declared twice "
                    f"(first on line {seen_params[param.name]})",
                )
            seen_params[param.name] = number
            params.append(param)
            continue
        if key in fields:
            raise CatalogueError(
                path, number, f"{key!r} is given twice (first on line {fields[key][1]})"
            )
        if not value:
            raise CatalogueError(path, number, f"{key!r} is empty")
        fields[key] = (value, number)
    for key in ("summary", "summary_zh"):
        if key not in fields:
            raise CatalogueError(path, max(last_header_line, 1), f"missing '#+ {key}:' header line")
    body = "\n".join(text.splitlines()[last_header_line:])
    if not body.strip():
        raise CatalogueError(path, last_header_line + 1, "no query after the header")
    used = _variables(body)
    for param in params:
        if param.name not in used:
            raise CatalogueError(
                path,
                seen_params[param.name],
                f"parameter {param.name!r} is not a variable of the query (?{param.name})",
            )
    tags_text = fields.get("tags", ("", 0))[0]
    tags = tuple(tag.strip() for tag in tags_text.split(",") if tag.strip())
    return NamedQuery(
        name=name,
        path=path,
        text=text,
        summary=fields["summary"][0],
        summary_zh=fields["summary_zh"][0],
        tags=tags,
        params=tuple(params),
    )


def _parse_param(path: Path, number: int, value: str) -> Param:
    match = _PARAM.match(value)
    if match is None:
        raise CatalogueError(
            path,
            number,
            f'a parameter reads: NAME TYPE "description" (optional; default=VALUE), not {value!r}',
        )
    name, kind = match.group("name"), match.group("type")
    description = match.group("description").replace('\\"', '"')
    if not _VARIABLE.match(name):
        raise CatalogueError(path, number, f"{name!r} is not a SPARQL variable name")
    if kind not in PARAM_TYPES:
        raise CatalogueError(
            path, number, f"unknown parameter type {kind!r} (use one of {', '.join(PARAM_TYPES)})"
        )
    optional, default, notes = False, None, []
    for flag in (match.group("flags") or "").split(";"):
        flag = flag.strip()
        if flag == "optional":
            optional = True
        elif flag.startswith("default="):
            default = flag.removeprefix("default=").strip()
            optional = True
            try:
                convert_value(kind, default)
            except ValueError as err:
                raise CatalogueError(path, number, f"bad default for {name!r}: {err}") from None
        elif flag:
            notes.append(flag)
    if notes:
        description = f"{description} ({'; '.join(notes)})"
    return Param(name, kind, description, optional, default)


def _variables(body: str) -> set[str]:
    """The variable names a query's text uses (comments, strings and IRIs skipped)."""
    return {token.text[1:] for token in tokenize(body) if token.kind == "var"}


def load_catalogue(layout: DataLayout | None = None) -> dict[str, NamedQuery]:
    """Read every ``queries/*.rq`` file of a data folder.

    Args:
        layout: The data folder; default: :func:`kg.data.paths.data_dir`.

    Returns:
        The queries by name, in name order.

    Raises:
        CatalogueError: For the first malformed file (naming it and the line).
    """
    layout = layout if layout is not None else data_dir()
    folder = layout.queries_dir
    if not folder.is_dir():
        return {}
    queries = {query.name: query for query in map(parse_query, sorted(folder.glob("*.rq")))}
    log.info("read %d named queries from %s", len(queries), folder)
    return queries


def load_query(name: str, layout: DataLayout | None = None) -> NamedQuery:
    """Read one named query without reading the rest of the catalogue.

    Raises:
        UnknownQuery: If there is no ``queries/<name>.rq`` (naming the closest ones).
        CatalogueError: If the file is malformed.
    """
    layout = layout if layout is not None else data_dir()
    path = layout.queries_dir / f"{name}.rq"
    if not _NAME.match(name) or not path.is_file():
        known = sorted(p.stem for p in layout.queries_dir.glob("*.rq"))
        import difflib  # only on this error path: 2 ms of every cold start

        close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise UnknownQuery(
            f"no named query {name!r}; {hint}known: {', '.join(known) or 'none'} (see `kg queries`)"
        )
    log.info("read the named query %s", path)
    return parse_query(path)
