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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

if TYPE_CHECKING:
    from decimal import Decimal

from kg.data.paths import DataLayout, data_dir
from kg.data.prefixes import PREFIXES
from kg.errors import InvalidValue, NotFound, UsageError
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

XSD = PREFIXES["xsd"]

#: The parameter types a header may declare, and the XSD datatype each becomes.
PARAM_TYPES: dict[str, str | None] = {
    "iri": None,
    "string": XSD + "string",
    "lang": None,
    "integer": XSD + "integer",
    "decimal": XSD + "decimal",
    "date": XSD + "date",
    "gYear": XSD + "gYear",
    "gYearMonth": XSD + "gYearMonth",
}

#: Header keys; each may appear once, except ``param``.
HEADER_KEYS = ("summary", "summary_zh", "tags", "param")

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_HEADER_LINE = re.compile(r"#\+\s*(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*)\Z")
_PARAM = re.compile(
    r"(?P<name>\S+)\s+(?P<type>\S+)\s+\"(?P<description>(?:[^\"\\]|\\.)*)\"\s*"
    r"(?:\((?P<flags>[^()]*)\))?\s*\Z"
)
_LANG_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*\Z")
_GYEAR = re.compile(r"-?\d{4,}\Z")
_GYEARMONTH = re.compile(r"-?\d{4,}-(?:0[1-9]|1[0-2])\Z")
_INTEGER = re.compile(r"[+-]?\d+\Z")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)\Z")
_IRI_FORBIDDEN = re.compile(r"[\x00-\x20<>\"{}|^`\\]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*\Z")
_PN_LOCAL = re.compile(r"[\w\-.%:]*\Z")
#: Schemes accepted without ``//`` (everything else must be an ``http(s)://…``-style IRI).
_OPAQUE_SCHEMES = frozenset({"urn", "tag", "mailto", "did"})


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


@dataclass(frozen=True)
class Param:
    """One declared parameter of a named query.

    Attributes:
        name: The query variable it binds (without ``?``).
        type: One of :data:`PARAM_TYPES`.
        description: What to pass, in the header's words.
        optional: False if every call must give it.
        default: The raw value used when the caller gives none (``None``: stay unbound).
    """

    name: str
    type: str
    description: str
    optional: bool = False
    default: str | None = None


@dataclass(frozen=True)
class NamedQuery:
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
    queries = (parse_query(path) for path in sorted(folder.glob("*.rq")))
    return {query.name: query for query in queries}


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
    return parse_query(path)


# ---------------------------------------------------------------- binding parameters
def bind_params(query: NamedQuery, raw: Mapping[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """Convert the strings a caller typed into terms, by each parameter's declared type.

    Args:
        query: The named query.
        raw: Parameter name → value as typed (``kgr:Beijing``, ``2025-04``, ``智谱@zh`` …).

    Returns:
        Variable name → term, for the query runner's ``bindings``. Optional parameters that
        were not given take their default, or stay unbound when they have none.

    Raises:
        kg.errors.InvalidValue: For an unknown parameter, a missing required one, or a value
            that does not fit its type (the message names the parameter).

    >>> from pathlib import Path
    >>> q = NamedQuery("q", Path("q.rq"), "", "s", "s", params=(Param("month", "gYearMonth", ""),))
    >>> bind_params(q, {"month": "2025-04"})["month"].datatype.value
    'http://www.w3.org/2001/XMLSchema#gYearMonth'
    >>> bind_params(q, {})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.InvalidValue: query 'q' needs parameter 'month' (gYearMonth): missing; give ...
    """
    bound: dict[str, ox.NamedNode | ox.Literal] = {}
    for name in raw:
        query.param(name)  # raises for an unknown name
    for param in query.params:
        value = raw.get(param.name)
        if value is None:
            if param.default is not None:
                value = param.default
            elif param.optional:
                continue
            else:
                hint = f" ({param.description})" if param.description else ""
                raise InvalidValue(
                    f"query {query.name!r} needs parameter {param.name!r} ({param.type}): "
                    f"missing; give {param.name}=VALUE{hint}"
                )
        try:
            bound[param.name] = convert_value(param.type, value)
        except ValueError as err:
            raise InvalidValue(f"parameter {param.name!r} of query {query.name!r}: {err}") from None
    return bound


def convert_value(kind: str, value: str) -> ox.NamedNode | ox.Literal:
    """One typed string → an RDF term.

    Args:
        kind: A parameter type (see :data:`PARAM_TYPES`).
        value: The text.

    Raises:
        ValueError: If the text does not fit the type.

    >>> convert_value("iri", "kgr:Zhipu").value
    'https://w3id.org/zhipu-kg/resource/Zhipu'
    >>> convert_value("iri", "<https://schema.org/Organization>").value
    'https://schema.org/Organization'
    >>> convert_value("lang", "智谱@zh")
    <Literal value=智谱 language=zh>
    >>> convert_value("decimal", "1.50")
    <Literal value=1.5 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#decimal>>
    >>> convert_value("gYearMonth", "2025-13")
    Traceback (most recent call last):
    ...
    kg.errors.InvalidValue: '2025-13' is not a year and month (YYYY-MM)
    """
    if kind not in PARAM_TYPES:
        raise InvalidValue(f"unknown parameter type {kind!r}")
    text = value.strip()
    if kind == "iri":
        return ox.NamedNode(_expand_iri(text))
    if kind == "string":
        return ox.Literal(value)
    if kind == "lang":
        body, at, tag = value.rpartition("@")
        if not at or not _LANG_TAG.match(tag):
            raise InvalidValue(f"{value!r} needs a language tag, e.g. 智谱@zh")
        return ox.Literal(body, language=tag.lower())
    datatype = ox.NamedNode(PARAM_TYPES[kind] or "")
    if kind == "integer":
        if not _INTEGER.match(text):
            raise InvalidValue(f"{value!r} is not an integer")
        return ox.Literal(str(int(text)), datatype=datatype)
    if kind == "decimal":
        if not _DECIMAL.match(text):
            raise InvalidValue(f"{value!r} is not a decimal number")
        from decimal import Decimal  # only for decimal parameters: 8 ms of a cold start

        number = Decimal(text)  # the pattern admits only valid numbers
        return ox.Literal(_canonical_decimal(number), datatype=datatype)
    if kind == "date":
        try:
            from datetime import date  # only for date parameters: 5 ms of a cold start

            day = date.fromisoformat(text)
        except ValueError:
            raise InvalidValue(f"{value!r} is not a date (YYYY-MM-DD)") from None
        if len(text) != 10:
            raise InvalidValue(f"{value!r} is not a date (YYYY-MM-DD)")
        return ox.Literal(day.isoformat(), datatype=datatype)
    if kind == "gYear":
        if not _GYEAR.match(text):
            raise InvalidValue(f"{value!r} is not a year (YYYY)")
        return ox.Literal(text, datatype=datatype)
    if not _GYEARMONTH.match(text):
        raise InvalidValue(f"{value!r} is not a year and month (YYYY-MM)")
    return ox.Literal(text, datatype=datatype)


def _canonical_decimal(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text if "." in text else text + ".0"


def _expand_iri(text: str) -> str:
    """``kgr:Zhipu``, ``<https://…>`` or ``https://…`` → the full IRI.

    Raises:
        ValueError: For an unknown prefix, a relative IRI, or characters IRIs cannot hold.
    """
    if text.startswith("<") and text.endswith(">"):
        iri = text[1:-1]
    else:
        prefix, colon, local = text.partition(":")
        if not colon:
            raise InvalidValue(f"{text!r} is not an IRI: write kgr:Name, <https://…> or a full IRI")
        if prefix in PREFIXES:
            if not _PN_LOCAL.match(local):
                raise InvalidValue(f"{text!r}: {local!r} cannot follow a prefix")
            iri = PREFIXES[prefix] + local
        elif _SCHEME.match(prefix) and (
            local.startswith("//") or prefix.lower() in _OPAQUE_SCHEMES
        ):
            iri = text
        else:
            known = ", ".join(sorted(PREFIXES))
            raise InvalidValue(f"{text!r}: unknown prefix {prefix!r} (known: {known})")
    scheme, colon, _ = iri.partition(":")
    if not colon or not _SCHEME.match(scheme):
        raise InvalidValue(f"{text!r} is not an absolute IRI")
    if _IRI_FORBIDDEN.search(iri):
        raise InvalidValue(f'{text!r}: IRIs cannot contain spaces or any of <>"{{}}|^`\\')
    return iri
