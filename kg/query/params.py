"""Named-query parameters: the strings a user typed, turned into RDF terms by declared type.

:func:`bind_params` converts ``--param city=kgr:Beijing`` (or ``city=Beijing`` with a resolver,
see :mod:`kg.query.resolve`) into terms; the query runner pre-binds them (``VALUES`` /
``initBindings``), never splicing them into the text. Optional parameters without a default
stay unbound.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple, Protocol

import pyoxigraph as ox

from kg.data.prefixes import PREFIXES
from kg.errors import InvalidValue

if TYPE_CHECKING:
    from decimal import Decimal

    from kg.query.resolve import Names

__all__ = ["PARAM_TYPES", "Param", "Parameterised", "bind_params", "convert_value"]

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

#: Patterns, compiled on first use by ``re``'s cache (binding is not every query's work).
_LANG_TAG = r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*\Z"
_GYEAR = r"-?\d{4,}\Z"
_GYEARMONTH = r"-?\d{4,}-(?:0[1-9]|1[0-2])\Z"
_INTEGER = r"[+-]?\d+\Z"
_DECIMAL = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)\Z"
_IRI_FORBIDDEN = r"[\x00-\x20<>\"{}|^`\\]"
_SCHEME = r"[A-Za-z][A-Za-z0-9+.\-]*\Z"
_PN_LOCAL = r"[\w\-.%:]*\Z"
#: Schemes accepted without ``//`` (everything else must be an ``http(s)://…``-style IRI).
_OPAQUE_SCHEMES = frozenset({"urn", "tag", "mailto", "did"})


class Param(NamedTuple):
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


class Parameterised(Protocol):
    """What :func:`bind_params` needs of a query (a :class:`kg.query.catalogue.NamedQuery`)."""

    @property
    def name(self) -> str:
        """The query's name, for messages."""

    @property
    def params(self) -> tuple[Param, ...]:
        """Its declared parameters."""

    def param(self, name: str) -> Param:
        """The declared parameter called ``name`` (raising for an unknown one)."""


def bind_params(
    query: Parameterised,
    raw: Mapping[str, str],
    names: Names | None = None,
    unknown: list[str] | None = None,
) -> dict[str, ox.NamedNode | ox.Literal]:
    """Convert the strings a caller typed into terms, by each parameter's declared type.

    Args:
        query: The named query.
        raw: Parameter name → value as typed (``kgr:Beijing``, ``2025-04``, ``智谱@zh`` …).
        names: When given, an ``iri`` parameter may also be a label, alias or local name
            (``唐杰``, ``Beijing``), resolved by :meth:`kg.query.resolve.Names.resolve`.
        unknown: When given with ``names``, collects a warning (with suggestions) for each IRI
            the data does not use; the IRI is still bound.

    Returns:
        Variable name → term, for the query runner's ``bindings``. Optional parameters that
        were not given take their default, or stay unbound when they have none.

    Raises:
        ValueError: For an unknown parameter, a missing required one, or a value that does not
            fit its type (the message names the parameter).

    >>> from pathlib import Path
    >>> from kg.query.catalogue import NamedQuery, Param
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
            if param.type == "iri" and names is not None:
                bound[param.name] = _entity(names, param, value, unknown)
            else:
                bound[param.name] = convert_value(param.type, value)
        except ValueError as err:
            raise InvalidValue(f"parameter {param.name!r} of query {query.name!r}: {err}") from None
    return bound


def _entity(names: Names, param: Param, value: str, unknown: list[str] | None) -> ox.NamedNode:
    """An ``iri`` parameter's value by the resolver; an unknown IRI is kept with a warning."""
    from kg.query.resolve import EntityNotFound

    try:
        return ox.NamedNode(names.resolve(value))
    except EntityNotFound as err:
        try:
            term = convert_value("iri", value)
        except ValueError:
            raise err from None
        if unknown is None:
            raise
        unknown.append(f"parameter {param.name!r}: {err}")
        assert isinstance(term, ox.NamedNode)
        return term


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
        if not at or not re.match(_LANG_TAG, tag):
            raise InvalidValue(f"{value!r} needs a language tag, e.g. 智谱@zh")
        return ox.Literal(body, language=tag.lower())
    datatype = ox.NamedNode(PARAM_TYPES[kind] or "")
    if kind == "integer":
        if not re.match(_INTEGER, text):
            raise InvalidValue(f"{value!r} is not an integer")
        return ox.Literal(str(int(text)), datatype=datatype)
    if kind == "decimal":
        if not re.match(_DECIMAL, text):
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
        if not re.match(_GYEAR, text):
            raise InvalidValue(f"{value!r} is not a year (YYYY)")
        return ox.Literal(text, datatype=datatype)
    if not re.match(_GYEARMONTH, text):
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
            if not re.match(_PN_LOCAL, local):
                raise InvalidValue(f"{text!r}: {local!r} cannot follow a prefix")
            iri = PREFIXES[prefix] + local
        elif re.match(_SCHEME, prefix) and (
            local.startswith("//") or prefix.lower() in _OPAQUE_SCHEMES
        ):
            iri = text
        else:
            known = ", ".join(sorted(PREFIXES))
            raise InvalidValue(f"{text!r}: unknown prefix {prefix!r} (known: {known})")
    scheme, colon, _ = iri.partition(":")
    if not colon or not re.match(_SCHEME, scheme):
        raise InvalidValue(f"{text!r} is not an absolute IRI")
    if re.search(_IRI_FORBIDDEN, iri):
        raise InvalidValue(f'{text!r}: IRIs cannot contain spaces or any of <>"{{}}|^`\\')
    return iri
