"""The SPARQL 1.1 Protocol's rules, apart from the HTTP plumbing that :mod:`kg.server.app` does.

* :func:`read_request`: which query a request carries (``GET ?query=``, ``POST`` form,
  ``POST`` direct), its ``default-graph-uri`` / ``named-graph-uri`` dataset (graphs of the
  dataset only: unknown ones are empty and never fetched), and every protocol error as
  :class:`HttpError`: 405 wrong method, 400 more than one ``query`` or no query in a POST,
  415 a wrong or missing media type, 400 a body or parameters that are not UTF-8, 403 any update
  (an ``update`` field, ``application/sparql-update``, or an update in ``query``);
* :func:`negotiate`: the answer format from the ``Accept`` header, among the offers of the
  format records (:meth:`kg.query.formats.Formats.offers` for the query's form; the first offer
  when ``Accept`` is absent or ``*/*``);
* :func:`service_description`: what ``GET /sparql`` without a query returns.

Syntax errors (with line and column) are found where the query runs (:mod:`kg.server.answers`).
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from kg.data.prefixes import PREFIXES
from kg.query.formats import FORMATS
from kg.query.safety import UPDATE_KEYWORDS, QueryRejected, analyse, decode_escapes, tokenize
from kg.server.status import HttpError

__all__ = [
    "READ_ONLY",
    "SERVER_NS",
    "SparqlRequest",
    "choose_format",
    "form_fields",
    "json_depth",
    "media_type",
    "negotiate",
    "query_form",
    "read_request",
    "require",
    "service_description",
]

SD = "http://www.w3.org/ns/sparql-service-description#"
W3C_FORMATS = "http://www.w3.org/ns/formats/"
#: The server's own vocabulary for its limits, in the service description (prefix ``kgs:``).
SERVER_NS = "https://w3id.org/zhipu-kg/server#"
READ_ONLY = "forbidden: this endpoint is read-only (no SPARQL Update)"


def require(method: str, allowed: Sequence[str]) -> None:
    """Refuse any method but ``allowed``.

    Raises:
        HttpError: 405, with an ``Allow`` header.
    """
    if method not in allowed:
        raise HttpError(
            405,
            f"method not allowed: use {' or '.join(allowed)}",
            [("Allow", ", ".join(allowed))],
        )


# ---------------------------------------------------------------- content negotiation
def _accept_ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((media.lower(), quality))
    return ranges


def negotiate(accept: str | None, offers: Sequence[tuple[str, str]]) -> str | None:
    """The format to answer with: the offer the ``Accept`` header rates highest.

    Each offer takes the quality of the most specific range that matches it; ties go to the
    more specific match, then to the offer listed first. An absent, empty or ``*/*`` header
    gets the first offer.

    Returns:
        The format name, or ``None`` when nothing offered is acceptable.

    >>> negotiate("text/csv, */*;q=0.1", FORMATS.offers("SELECT"))
    'csv'
    >>> negotiate(None, FORMATS.offers("CONSTRUCT"))
    'turtle'
    >>> negotiate("image/png", FORMATS.offers("SELECT")) is None
    True
    """
    if accept is None or not accept.strip():
        return offers[0][1]
    ranges = _accept_ranges(accept)
    best: tuple[float, int, int] | None = None
    chosen = None
    for order, (media, fmt) in enumerate(offers):
        kind = media.split("/")[0]
        matches = [
            (quality, 2 if pattern == media else 1 if pattern == f"{kind}/*" else 0)
            for pattern, quality in ranges
            if pattern in {media, f"{kind}/*", "*/*"}
        ]
        if not matches:
            continue
        quality, specificity = max(matches, key=lambda m: m[1])
        rank = (quality, specificity, -order)
        if quality > 0 and (best is None or rank > best):
            best, chosen = rank, fmt
    return chosen


def choose_format(accept: str | None, form: str) -> str:
    """The negotiated format for a query of ``form``.

    Raises:
        HttpError: 406, listing what the answer can be sent as.
    """
    offers = FORMATS.offers(form)
    fmt = negotiate(accept, offers)
    if fmt is None:
        types = ", ".join(dict.fromkeys(media for media, _ in offers))
        raise HttpError(406, f"not acceptable: this answer can be sent as {types}")
    return fmt


# ---------------------------------------------------------------- reading a request
def form_fields(text: str) -> list[tuple[str, str]]:
    """The fields of a query string or form body, strictly percent-encoded UTF-8.

    Raises:
        HttpError: 400 when they are not.
    """
    try:
        return urllib.parse.parse_qsl(
            text, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=1000
        )
    except UnicodeDecodeError:
        raise HttpError(400, "bad request: parameters must be percent-encoded UTF-8") from None
    except ValueError as err:
        raise HttpError(400, f"bad request: {err}") from None


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """How deeply a JSON text nests arrays and objects, found without parsing it.

    >>> json_depth('[1, {"a": ["]]]"]}]')
    3
    """
    depth = deepest = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def media_type(header: str | None) -> tuple[str | None, str | None]:
    """``(media type, charset)`` of a ``Content-Type`` header, lower-cased.

    >>> media_type("application/sparql-query; charset=UTF-8")
    ('application/sparql-query', 'utf-8')
    """
    if header is None or not header.strip():
        return None, None
    media, *params = (p.strip() for p in header.split(";"))
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


def _graphs(
    fields: Sequence[tuple[str, str]], name: str, known: frozenset[str]
) -> list[str] | None:
    """The graphs of the dataset a ``default-graph-uri`` / ``named-graph-uri`` names.

    Unknown graphs are empty, so they are dropped (and never fetched). ``None`` when the
    parameter is not given.
    """
    given = [value for field_name, value in fields if field_name == name]
    if not given:
        return None
    for iri in given:
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise HttpError(400, f"bad request: {name} {iri!r} is not an IRI") from None
    return [iri for iri in given if iri in known]


@lru_cache(maxsize=512)
def query_form(text: str) -> str:
    """The query's form, after the static rules of :mod:`kg.query.safety` (cached: clients repeat).

    Raises:
        HttpError: 403 for an update, 400 for any other broken rule.
    """
    try:
        return analyse(text).form
    except QueryRejected as err:
        try:  # the keywords as the engine reads them: \u0049NSERT is INSERT
            words = [t.text.upper() for t in tokenize(decode_escapes(text)) if t.kind == "word"]
        except QueryRejected:  # an escape that is no character: rejected, but not an update
            words = []
        update = any(word in UPDATE_KEYWORDS for word in words)
        raise HttpError(403 if update else 400, str(err)) from None


@dataclass(frozen=True)
class SparqlRequest:
    """A query request, checked.

    Attributes:
        text: The query.
        form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
        default_graphs: The dataset's default graph (``None``: the union of all graphs).
        named_graphs: Its named graphs (``None``: all of them).
    """

    text: str
    form: str
    default_graphs: list[str] | None
    named_graphs: list[str] | None


def _fields(
    method: str, query_string: str, content_type: str | None, body: Callable[[], str]
) -> list[tuple[str, str]]:
    require(method, ("GET", "HEAD", "POST"))
    fields = form_fields(query_string)
    if method != "POST":
        return fields
    media, charset = media_type(content_type)
    if media == "application/sparql-update":
        raise HttpError(403, READ_ONLY)
    if media is None:
        raise HttpError(
            415,
            "unsupported media type: a POST needs a Content-Type, "
            "application/x-www-form-urlencoded or application/sparql-query",
        )
    if charset not in {None, "utf-8", "utf8"}:
        raise HttpError(415, f"unsupported media type: charset {charset} (use UTF-8)")
    if media == "application/x-www-form-urlencoded":
        return fields + form_fields(body())
    if media == "application/sparql-query":
        if any(name == "query" for name, _ in fields):
            raise HttpError(400, "bad request: a query both in the URL and in the body")
        return [*fields, ("query", body())]
    raise HttpError(
        415,
        f"unsupported media type {media}: use application/x-www-form-urlencoded "
        "or application/sparql-query",
    )


def read_request(
    method: str,
    query_string: str,
    content_type: str | None,
    body: Callable[[], str],
    graphs: frozenset[str],
) -> SparqlRequest | None:
    """The query a ``/sparql`` request carries.

    Args:
        method: The HTTP method.
        query_string: The URL's query string.
        content_type: The ``Content-Type`` header.
        body: Reads the body as text (called only when the request has one to read).
        graphs: The named graphs of the dataset.

    Returns:
        The request, or ``None`` for a ``GET`` without a query (the service description).

    Raises:
        HttpError: For every protocol error (see the module docstring).
    """
    fields = _fields(method, query_string, content_type, body)
    if any(name == "update" for name, _ in fields):
        raise HttpError(403, READ_ONLY)
    queries = [value for name, value in fields if name == "query"]
    if len(queries) > 1:
        raise HttpError(400, f"bad request: {len(queries)} query parameters; send exactly one")
    if not queries:
        if method == "POST":
            raise HttpError(400, "bad request: no query parameter")
        return None
    default = _graphs(fields, "default-graph-uri", graphs)
    named = _graphs(fields, "named-graph-uri", graphs)
    if default is not None or named is not None:  # the protocol's dataset replaces ours
        default, named = default or [], named or []
    return SparqlRequest(queries[0], query_form(queries[0]), default, named)


# ---------------------------------------------------------------- the service description
def service_description(
    endpoint: str, graphs: Sequence[str], limits: Mapping[str, ox.Literal]
) -> bytes:
    """A SPARQL 1.1 Service Description in Turtle: the dataset, the result formats, the limits.

    Args:
        endpoint: The endpoint's URL.
        graphs: The named graphs of the dataset.
        limits: Values of the server's own properties (in :data:`SERVER_NS`).
    """
    service, dataset, default = ox.NamedNode(endpoint), ox.BlankNode(), ox.BlankNode()
    w3c = [fmt.w3c for fmt in FORMATS if fmt.w3c and fmt.accepts]
    a = ox.NamedNode(PREFIXES["rdf"] + "type")

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(SD + name)

    triples = [
        ox.Triple(service, a, sd("Service")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        *(ox.Triple(service, sd("resultFormat"), ox.NamedNode(W3C_FORMATS + f)) for f in w3c),
        ox.Triple(
            service,
            ox.NamedNode(PREFIXES["rdfs"] + "label"),
            ox.Literal("Zhipu knowledge graph, read-only SPARQL endpoint", language="en"),
        ),
        *(ox.Triple(service, ox.NamedNode(SERVER_NS + k), v) for k, v in limits.items()),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, a, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
    ]
    named = [ox.BlankNode() for _ in graphs]
    triples += [ox.Triple(dataset, sd("namedGraph"), node) for node in named]
    triples.append(ox.Triple(default, a, sd("Graph")))
    for node, graph in zip(named, graphs, strict=True):
        triples += [
            ox.Triple(node, a, sd("NamedGraph")),
            ox.Triple(node, sd("name"), ox.NamedNode(graph)),
        ]
    prefixes = {"sd": SD, "formats": W3C_FORMATS, "kgs": SERVER_NS, "rdfs": PREFIXES["rdfs"]}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
