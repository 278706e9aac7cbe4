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
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import pyoxigraph as ox

from kg.errors import EnvironmentProblem, Findings, UsageError
from kg.query.results import QueryResult, Term

#: The environment variable that holds the password for ``--user``.
PASSWORD_ENV = "KG_PASSWORD"
#: Longest URL sent as a GET; longer queries go as a form POST (servers cap URLs at 4-8 KB).
MAX_GET_URL = 2000
#: How much of a server's error text is relayed.
MAX_ERROR_CHARS = 300

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
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_ASK_COLUMN = "__ASK_RETVAL"
_BLANK_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


class RemoteError(EnvironmentProblem, RuntimeError):
    """The server could not be reached, refused the request, or answered in an unknown form.

    Attributes:
        status: The HTTP status the server answered with, when it answered one.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class PartialAnswer(Findings):
    """The server cut its answer short at its own row cap: what came back is not the answer."""


class Reply(NamedTuple):
    """One answer off the wire.

    Attributes:
        body: The body.
        media: Its media type.
        row_cap: The row cap the server says it cut the answer at (``X-SPARQL-MaxRows``).
    """

    body: bytes
    media: str
    row_cap: int | None = None


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


def one_line(text: str) -> str:
    """A server's error body as one short line: tags stripped, the echoed query cut off."""
    text = _TAG.sub(" ", text)
    for echo in ("SPARQL query:", "SPARQL request:"):  # Virtuoso repeats the whole query
        text = text.split(echo, 1)[0]
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def _media_type(response_type: str | None) -> str:
    return (response_type or "").split(";", 1)[0].strip().lower()


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
    def send(
        self,
        url: str,
        data: bytes | None = None,
        method: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """One HTTP exchange.

        Returns:
            The body, the media type of the answer and the row cap it was cut at, if any.

        Raises:
            RemoteError: With the server's error text in one line.
        """
        request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
        where = urllib.parse.urlsplit(url)._replace(query="").geturl()  # never echo the query
        self.requests += 1
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                body: bytes = response.read()
                cap = response.headers.get("X-SPARQL-MaxRows", "")
                media = _media_type(response.headers.get("Content-Type"))
                return Reply(body, media, int(cap) if cap.isascii() and cap.isdigit() else None)
        except urllib.error.HTTPError as err:
            detail = one_line(err.read().decode("utf-8", "replace")) or err.reason
            raise RemoteError(f"{where} answered {err.code}: {detail}", err.code) from None
        except ValueError as err:  # urllib's auth handlers: an unknown scheme
            raise RemoteError(f"{where}: {err}") from None
        except http.client.HTTPException as err:  # not an OSError: a reply that is not HTTP
            detail = one_line(str(err)) or type(err).__name__
            raise RemoteError(f"{where} sent a malformed reply ({detail})") from None
        except OSError as err:
            raise RemoteError(f"cannot reach {where}: {err}") from None

    def _negotiate(self, url: str, data: bytes | None, accept: str, form: str) -> Reply:
        headers = {"Accept": accept}
        if data is not None:
            headers["Content-Type"] = form
        try:
            return self.send(url, data, headers=headers)
        except RemoteError as err:
            if " answered 406:" not in str(err):
                raise
        return self.send(url, data, headers={**headers, "Accept": "*/*"})

    def _ask(self, text: str, accept: str, params: Sequence[tuple[str, str]]) -> Reply:
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
        reply = self._ask(text, _GRAPH_ACCEPT if graph else _RESULT_ACCEPT, params)
        if reply.row_cap is not None and (max_rows is None or max_rows > reply.row_cap):
            where = urllib.parse.urlsplit(self.query_url)._replace(query="").geturl()
            raise PartialAnswer(
                f"{where} cut its answer at its own cap of {reply.row_cap:,} rows "
                "(X-SPARQL-MaxRows; Virtuoso's ResultSetMaxRows): the answer is incomplete; "
                f"ask for fewer rows (LIMIT, or --max-rows {reply.row_cap}) or raise the cap"
            )
        if graph:
            return _graph_result(form, reply.body, reply.media, self.query_url, max_rows)
        return _solutions_result(form, reply.body, reply.media, self.query_url, max_rows)

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
    form: str, body: bytes, media: str, url: str, max_rows: int | None
) -> QueryResult:
    fmt = _GRAPH_FORMATS.get(media)
    if fmt is None:
        raise RemoteError(f"{url} answered a {form} with {media or 'no media type'}, not RDF")
    try:
        triples = [q.triple for q in ox.parse(body, format=fmt)]
    except SyntaxError as err:
        raise RemoteError(f"{url} answered unreadable {media}: {err}") from None
    cut = max_rows is not None and len(triples) > max_rows
    return QueryResult(form, triples=triples[:max_rows] if cut else triples, truncated=cut)


def _solutions_result(
    form: str, body: bytes, media: str, url: str, max_rows: int | None
) -> QueryResult:
    fmt = _RESULT_FORMATS.get(media)
    if fmt is None:
        raise RemoteError(
            f"{url} answered with {media or 'no media type'}, not SPARQL results: "
            + one_line(body[:2000].decode("utf-8", "replace"))
        )
    if fmt == ox.QueryResultsFormat.JSON and b'"bnode"' in body:
        body = _valid_blank_labels(body)
    try:
        parsed = ox.parse_query_results(body, format=fmt)
        if isinstance(parsed, ox.QueryBoolean):
            return QueryResult("ASK", boolean=bool(parsed))
        variables = [v.value for v in parsed.variables]
        rows: list[tuple[Term | None, ...]] = []
        for solution in parsed:
            if max_rows is not None and len(rows) >= max_rows:
                return QueryResult("SELECT", variables, rows, truncated=True)
            rows.append(tuple(solution))
    except SyntaxError as err:
        raise RemoteError(f"{url} answered unreadable {media}: {err}") from None
    if form == "ASK":  # Virtuoso: a one-column SELECT, one true row or none
        if variables != [_ASK_COLUMN]:
            raise RemoteError(f"{url} answered an ASK with a table of {variables}")
        return QueryResult("ASK", boolean=any(_truthy(row[0]) for row in rows))
    return QueryResult("SELECT", variables, rows)


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
