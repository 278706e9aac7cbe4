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
* An incomplete answer is refused (:class:`PartialAnswer`, exit 1) unless the caller accepts
  it (``allow_partial``: the result then says why in :attr:`QueryResult.partial`): one the
  server cut at its own row cap (Virtuoso's ``ResultSetMaxRows``, announced by its
  ``X-SPARQL-MaxRows`` header) unless the caller's own ``max_rows`` cuts it at or before that
  cap anyway; an "anytime" answer, stopped by the server's time limit (Virtuoso's
  ``X-SQL-State: S1TAT``, sent when the URL carries a ``timeout``); a body cut short (shorter
  than its ``Content-Length``, or a chunk). (Virtuoso 7.2 cuts ``CONSTRUCT`` answers at the
  same cap without the header: that cannot be seen.)
* A malformed reply (a bad status line, more than 100 headers, a header line too long) is one
  line naming the URL, exit 3, never a traceback.

``urllib.request`` is imported here, so import this module only when a remote server is used:
the default engine's cold start must not pay for it.
"""

from __future__ import annotations

import http.client
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kg.errors import UsageError
from kg.logs import Log
from kg.query.results import PartialAnswer, QueryResult
from kg.remote.reading import BlankLabels, graph_result, solutions_result
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

log = Log(__name__)


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
        #: What the server says it is (the ``Server`` header of its last answer; "" before).
        self.server = ""
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
        log.info("%s %s (%s bytes sent)", request.get_method(), where, f"{len(data or b''):,}")
        try:
            response = self._opener.open(request, timeout=self.timeout)
            self.server = response.headers.get("Server", self.server)
            return response
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
        allow_partial: bool = False,
    ) -> QueryResult:
        """Run a query of the given form (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``).

        Args:
            text: The query.
            form: Its form.
            default_graphs: ``default-graph-uri`` values.
            named_graphs: ``named-graph-uri`` values.
            max_rows: Read at most this many rows (the rest is never read).
            allow_partial: Return an incomplete answer (saying why in ``result.partial``)
                instead of refusing it.

        Raises:
            PartialAnswer: The server sent part of the answer (its row cap before ``max_rows``,
                its time limit, a body cut short), unless ``allow_partial``.
            RemoteError: The server could not be reached, refused, or answered unreadably.
        """
        params = [("default-graph-uri", g) for g in default_graphs or []]
        params += [("named-graph-uri", g) for g in named_graphs or []]
        graph = form in {"CONSTRUCT", "DESCRIBE"}
        accept = _GRAPH_ACCEPT if graph else _RESULT_ACCEPT
        asked = (text, form, accept, params, max_rows, allow_partial)
        try:
            return self._answer(*asked, whole=False)
        except BlankLabels:  # Virtuoso's labels (nodeID://b1): again, read whole and relabel
            return self._answer(*asked, whole=True)

    def _answer(
        self,
        text: str,
        form: str,
        accept: str,
        params: Sequence[tuple[str, str]],
        max_rows: int | None,
        allow_partial: bool,
        whole: bool,
    ) -> QueryResult:
        """Ask and parse the answer as it arrives (or read ``whole`` first), on a byte budget."""
        where = shown(self.query_url)
        with self._ask(text, accept, params) as response:
            reply = reply_of(response, b"")
            said = _announced_cuts(where, reply, max_rows)
            if said and not allow_partial:  # refused before its body is read
                raise PartialAnswer("; ".join(said))
            stream = Budgeted(response, MAX_ANSWER_BYTES)
            source: bytes | Budgeted = stream.read() if whole else stream
            try:
                if form in {"CONSTRUCT", "DESCRIBE"}:
                    result = graph_result(form, source, reply.media, self.query_url, max_rows)
                else:
                    result = solutions_result(form, source, reply.media, self.query_url, max_rows)
            except RemoteError:
                stream.check(where)  # a failed read explains an unreadable answer
                if stream.cut is None:
                    raise
                result = QueryResult(form)  # the cut left nothing readable
            if not result.truncated and stream.cut is None:  # read to the end: is it all there?
                stream.read()
            stream.check(where)
            if stream.cut is not None:
                said.append(f"{where} {stream.cut}")
                if not allow_partial or result.form == "ASK":  # an ASK cut short has no answer
                    raise PartialAnswer("; ".join(said))
            result.partial = "; ".join(said) or None
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


def _announced_cuts(where: str, reply: Reply, max_rows: int | None) -> list[str]:
    """What the headers say of an incomplete answer (each a clause naming ``where``)."""
    said = []
    if reply.row_cap is not None and (max_rows is None or max_rows > reply.row_cap):
        said.append(
            f"{where} cut its answer at its own cap of {reply.row_cap:,} rows "
            "(X-SPARQL-MaxRows; Virtuoso's ResultSetMaxRows): ask for fewer rows "
            f"(LIMIT, or --max-rows {reply.row_cap}) or raise the cap"
        )
    if reply.anytime is not None:
        said.append(
            f"{where} stopped the query at its time limit and sent what it had found "
            f"({reply.anytime}): give it more time (the timeout in the URL) or ask for less"
        )
    return said
