"""A SPARQL 1.1 Protocol client that talks to the servers people run.

What it does, and why (each point is a server it was measured against; see
``docs/scaling-out.md``):

* Queries go as ``GET ?query=`` while the URL stays short (:data:`MAX_GET_URL`), else as a
  form-encoded ``POST`` (``application/x-www-form-urlencoded``): the two ways every server
  answers, and what SPARQLWrapper and Jena send. A direct ``POST application/sparql-query`` is
  never sent: Virtuoso 7.2 leaves it unanswered until the client gives up.
* Updates go as a form-encoded ``POST`` (``update=``), which every server accepts.
* Content negotiation with fallbacks: results are asked for as JSON, XML or TSV, graphs as
  N-Triples or Turtle, and parsed by the media type the server actually sent. A ``406`` is
  retried once with ``*/*``. RDF/XML is never accepted (see ``shared/DESIGN.md`` §4).
* Virtuoso answers ``ASK`` with a one-column SELECT (``__ASK_RETVAL``); that becomes a boolean.
* A failure is one line: the URL, the status, and the server's own text (tags stripped, the
  echoed query cut off).
* HTTP Basic and Digest authentication, answered when the server asks (``401``). The password
  comes from an environment variable, never from the command line, and never appears in a
  message: a URL with a user name or password in it is refused (use ``--user``), unechoed.
* An answer the server cut at its own row cap (Virtuoso's ``ResultSetMaxRows``, announced by
  its ``X-SPARQL-MaxRows`` header) is refused as incomplete (:class:`PartialAnswer`, exit 1),
  unless the caller's own ``max_rows`` cuts it at or before the server's cap anyway. (Virtuoso
  7.2 cuts ``CONSTRUCT`` answers at the same cap without the header: that cannot be seen.)
* A malformed reply (a bad status line, more than 100 headers, a header line too long, a body
  shorter than its ``Content-Length``) is one line naming the URL, exit 3, never a traceback.

``urllib.request`` is imported here, so import this module only when a remote server is used:
the default engine's cold start must not pay for it.
"""

from __future__ import annotations

import http.client
import io
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kg.errors import Findings, UsageError
from kg.query.results import QueryResult, Term
from kg.remote.wire import (
    MAX_ANSWER_BYTES,
    Budgeted,
    RemoteError,
    Reply,
    malformed,
    one_line,
    reply_of,
    shown,
)

__all__ = [
    "PASSWORD_ENV",
    "Credentials",
    "CredentialsInUrl",
    "MissingPassword",
    "PartialAnswer",
    "RemoteError",
    "SparqlClient",
    "one_line",
]

#: The environment variable that holds the password for ``--user``.
PASSWORD_ENV = "KG_PASSWORD"
#: Longest URL sent as a GET; longer queries go as a form POST (servers cap URLs at 4-8 KB).
MAX_GET_URL = 2000

_RESULT_ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "text/tab-separated-values;q=0.8"
)
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, text/plain;q=0.5"
_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # N-Triples' media type before RDF 1.1
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
}
_ASK_COLUMN = "__ASK_RETVAL"
_BLANK_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


class PartialAnswer(Findings):
    """The server cut its answer short at its own row cap: what came back is not the answer."""


class MissingPassword(UsageError):
    """A user name was given without its password in the environment."""


class CredentialsInUrl(UsageError):
    """A URL carries a user name or password (they would show in messages, logs and ``ps``)."""


@dataclass(frozen=True)
class Credentials:
    """A user name and password for HTTP Basic or Digest authentication.

    The password is kept out of ``repr`` so that it cannot leak into a log or a traceback.
    """

    user: str
    password: str

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, password=<hidden>)"

    @classmethod
    def from_env(cls, user: str | None, variable: str = PASSWORD_ENV) -> Credentials | None:
        """Credentials for ``user`` with the password from ``$variable``; ``None`` without a user.

        Raises:
            MissingPassword: If a user is given but the variable is not set (exit 2).
        """
        if not user:
            return None
        password = os.environ.get(variable)
        if password is None:
            raise MissingPassword(
                f"--user {user} needs the password in the environment variable "
                f"{variable} (it is never read from the command line)"
            )
        return cls(user, password)


class _BlankLabels(Exception):
    """A streamed JSON answer has blank-node labels pyoxigraph refuses (read it whole instead)."""


class SparqlClient:
    """Talks to one server: its query URL, and optionally its update and Graph Store URLs.

    Args:
        query_url: The SPARQL query endpoint.
        update_url: The SPARQL Update endpoint (default: ``query_url``, as on Virtuoso/Fuseki).
        graph_store: The Graph Store Protocol endpoint, when one is used.
        credentials: For servers that ask for them (``401``); Basic or Digest, as asked.
        timeout: Seconds to wait for each answer.
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        graph_store: str | None = None,
        credentials: Credentials | None = None,
        timeout: float = 30.0,
    ) -> None:
        for url in (query_url, update_url, graph_store):
            if url is None:
                continue
            parts = urllib.parse.urlsplit(url)
            if "@" in parts.netloc:
                shown = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"
                raise CredentialsInUrl(
                    f"{shown}: a user name or password in the URL is refused; use --user NAME "
                    f"and the password in the environment variable {PASSWORD_ENV}"
                )
            if parts.scheme not in {"http", "https"}:
                raise RemoteError(f"endpoint must be an http(s) URL: {url}")
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.graph_store = graph_store
        self.timeout = timeout
        self.requests = 0
        handlers: list[urllib.request.BaseHandler] = []
        if credentials is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {query_url, self.update_url, graph_store} - {None}:
                passwords.add_password(None, str(url), credentials.user, credentials.password)
            handlers += [
                urllib.request.HTTPDigestAuthHandler(passwords),
                urllib.request.HTTPBasicAuthHandler(passwords),
            ]
        self._opener = urllib.request.build_opener(*handlers)

    # ------------------------------------------------------------ the wire
    def _open(
        self,
        url: str,
        data: bytes | None = None,
        method: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """Send one request; the open response (close it), its errors as :class:`RemoteError`."""
        request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
        where = shown(url)
        self.requests += 1
        try:
            return self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as err:
            detail = one_line(err.read().decode("utf-8", "replace")) or err.reason
            raise RemoteError(f"{where} answered {err.code}: {detail}", err.code) from None
        except ValueError as err:  # urllib's auth handlers: an unknown scheme
            raise RemoteError(f"{where}: {err}") from None
        except http.client.HTTPException as err:  # not an OSError: a reply that is not HTTP
            raise RemoteError(f"{where} sent a malformed reply ({malformed(err)})") from None
        except OSError as err:
            raise RemoteError(f"cannot reach {where}: {err}") from None

    def send(
        self,
        url: str,
        data: bytes | None = None,
        method: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """One HTTP exchange, its answer read whole (at most :data:`MAX_ANSWER_BYTES`).

        Returns:
            The body, the media type of the answer and the row cap it was cut at, if any.

        Raises:
            RemoteError: With the server's error text in one line.
        """
        with self._open(url, data, method, headers) as response:
            stream = Budgeted(response, MAX_ANSWER_BYTES)
            body = stream.read()
            stream.check(shown(url))
            return reply_of(response, body)

    def _negotiate(self, url: str, data: bytes | None, accept: str, form: str) -> Any:
        headers = {"Accept": accept}
        if data is not None:
            headers["Content-Type"] = form
        try:
            return self._open(url, data, headers=headers)
        except RemoteError as err:
            if err.status != 406:
                raise
        return self._open(url, data, headers={**headers, "Accept": "*/*"})

    def _ask(self, text: str, accept: str, params: Sequence[tuple[str, str]]) -> Any:
        """The open response to a query (``GET`` while the URL is short, else a form ``POST``)."""
        fields = urllib.parse.urlencode([("query", text), *params])
        url = f"{self.query_url}{'&' if '?' in self.query_url else '?'}{fields}"
        if len(url) <= MAX_GET_URL:
            return self._negotiate(url, None, accept, "")
        return self._negotiate(
            self.query_url, fields.encode(), accept, "application/x-www-form-urlencoded"
        )

    # ------------------------------------------------------------ the operations
    def query(
        self,
        text: str,
        form: str,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run a query of the given form (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``).

        Raises:
            PartialAnswer: The server cut the answer at its own row cap, before ``max_rows``.
            RemoteError: The server could not be reached, refused, or answered unreadably.
        """
        params = [("default-graph-uri", g) for g in default_graphs or []]
        params += [("named-graph-uri", g) for g in named_graphs or []]
        graph = form in {"CONSTRUCT", "DESCRIBE"}
        accept = _GRAPH_ACCEPT if graph else _RESULT_ACCEPT
        try:
            return self._answer(text, form, accept, params, max_rows, whole=False)
        except _BlankLabels:  # Virtuoso's labels (nodeID://b1): again, read whole and relabel
            return self._answer(text, form, accept, params, max_rows, whole=True)

    def _answer(
        self,
        text: str,
        form: str,
        accept: str,
        params: Sequence[tuple[str, str]],
        max_rows: int | None,
        whole: bool,
    ) -> QueryResult:
        """Ask and parse the answer as it arrives (or read ``whole`` first), on a byte budget."""
        where = shown(self.query_url)
        with self._ask(text, accept, params) as response:
            reply = reply_of(response, b"")
            if reply.row_cap is not None and (max_rows is None or max_rows > reply.row_cap):
                raise PartialAnswer(
                    f"{where} cut its answer at its own cap of {reply.row_cap:,} rows "
                    "(X-SPARQL-MaxRows; Virtuoso's ResultSetMaxRows): the answer is incomplete; "
                    f"ask for fewer rows (LIMIT, or --max-rows {reply.row_cap}) or raise the cap"
                )
            stream = Budgeted(response, MAX_ANSWER_BYTES)
            source: bytes | Budgeted = stream.read() if whole else stream
            try:
                if form in {"CONSTRUCT", "DESCRIBE"}:
                    result = _graph_result(form, source, reply.media, self.query_url, max_rows)
                else:
                    result = _solutions_result(form, source, reply.media, self.query_url, max_rows)
            except RemoteError:
                stream.check(where)  # a failed read explains an unreadable answer
                raise
            if not result.truncated:  # read to the end: a body shorter than announced is no answer
                stream.read()
            stream.check(where)
            return result

    def update(self, text: str) -> None:
        """Run a SPARQL Update (form-encoded POST)."""
        fields = urllib.parse.urlencode({"update": text}).encode()
        self._negotiate(
            self.update_url, fields, "text/plain, */*;q=0.1", "application/x-www-form-urlencoded"
        )

    def graph_store_request(self, method: str, graph: str, ntriples: bytes | None) -> None:
        """One Graph Store Protocol request (``PUT``/``POST``/``DELETE``) on graph ``graph``."""
        if self.graph_store is None:
            raise RemoteError("no Graph Store Protocol URL given")
        url = f"{self.graph_store}?{urllib.parse.urlencode({'graph': graph})}"
        headers = {"Content-Type": "application/n-triples"} if ntriples is not None else {}
        self.send(url, ntriples, method, headers)

    def post_quads(self, nquads: bytes) -> None:
        """``POST`` a whole dataset as N-Quads to the Graph Store URL (a dataset store)."""
        if self.graph_store is None:
            raise RemoteError("no Graph Store Protocol URL given")
        self.send(self.graph_store, nquads, "POST", {"Content-Type": "application/n-quads"})


def _graph_result(
    form: str, body: bytes | Budgeted, media: str, url: str, max_rows: int | None
) -> QueryResult:
    fmt = _GRAPH_FORMATS.get(media)
    if fmt is None:
        raise RemoteError(f"{url} answered a {form} with {media or 'no media type'}, not RDF")
    triples: list[ox.Triple] = []
    try:
        for quad in ox.parse(_io(body), format=fmt):
            if max_rows is not None and len(triples) >= max_rows:
                return QueryResult(form, triples=triples, truncated=True)
            triples.append(quad.triple)
    except (SyntaxError, OSError) as err:
        raise RemoteError(f"{url} answered unreadable {media}: {err}") from None
    return QueryResult(form, triples=triples)


def _solutions_result(
    form: str, body: bytes | Budgeted, media: str, url: str, max_rows: int | None
) -> QueryResult:
    fmt = _RESULT_FORMATS.get(media)
    if fmt is None:
        raise RemoteError(
            f"{url} answered with {media or 'no media type'}, not SPARQL results: "
            + one_line(
                (body if isinstance(body, bytes) else body.read(2000)).decode(errors="replace")
            )
        )
    if fmt == ox.QueryResultsFormat.JSON and isinstance(body, bytes) and b'"bnode"' in body:
        body = _valid_blank_labels(body)
    try:
        parsed = ox.parse_query_results(_io(body), format=fmt)
        if isinstance(parsed, ox.QueryBoolean):
            return QueryResult("ASK", boolean=bool(parsed))
        variables = [v.value for v in parsed.variables]
        rows: list[tuple[Term | None, ...]] = []
        for solution in parsed:
            if max_rows is not None and len(rows) >= max_rows:
                return QueryResult("SELECT", variables, rows, truncated=True)
            rows.append(tuple(solution))
    except (SyntaxError, OSError) as err:
        if (
            not isinstance(body, bytes)
            and fmt == ox.QueryResultsFormat.JSON
            and "blank" in str(err)
        ):
            raise _BlankLabels from None
        raise RemoteError(f"{url} answered unreadable {media}: {err}") from None
    if form == "ASK":  # Virtuoso: a one-column SELECT, one true row or none
        if variables != [_ASK_COLUMN]:
            raise RemoteError(f"{url} answered an ASK with a table of {variables}")
        return QueryResult("ASK", boolean=any(_truthy(row[0]) for row in rows))
    return QueryResult("SELECT", variables, rows)


def _io(body: bytes | Budgeted) -> bytes | io.BufferedReader:
    """What a pyoxigraph parser reads: the bytes, or the answer as it arrives."""
    return body if isinstance(body, bytes) else io.BufferedReader(body)


def _valid_blank_labels(body: bytes) -> bytes:
    """Blank nodes relabelled where a server's labels are invalid (Virtuoso: ``nodeID://b1``).

    A label names a node within one answer only, so any other unique, valid label is the same
    answer.
    """
    import hashlib
    import json

    document = json.loads(body)
    for solution in document.get("results", {}).get("bindings", []):
        for term in solution.values():
            if term.get("type") == "bnode" and not _BLANK_LABEL.fullmatch(term["value"]):
                term["value"] = "b" + hashlib.sha256(term["value"].encode()).hexdigest()[:24]
    return json.dumps(document).encode()


def _truthy(term: Term | None) -> bool:
    return isinstance(term, ox.Literal) and term.value not in {"0", "false", ""}
