"""A remote SPARQL 1.1 server as an engine, and :func:`connect`: the engine a command asked for.

The engine sits here, above :mod:`kg.query` (whose :class:`~kg.query.engines.Engine` interface it
implements), so that the query path never imports :mod:`kg.remote`: the dependency runs one way.
Callers that may be given ``--endpoint`` (:mod:`kg.graph`, the server) open engines through
:func:`connect`.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from kg.data.paths import DataLayout
from kg.data.prefixes import PREFIXES
from kg.errors import UsageError
from kg.logs import Log
from kg.query.engines import Engine, EngineError, open_engine
from kg.query.results import QueryResult, Term
from kg.query.safety import analyse, prebind

__all__ = ["EndpointEngine", "connect", "with_prologue"]
log = Log(__name__)


def connect(
    layout: DataLayout,
    spec: str | None = None,
    endpoint: str | None = None,
    user: str | None = None,
) -> Engine:
    """Open the server at ``endpoint``, or else the local engine ``spec`` (see ``open_engine``).

    Args:
        layout: The data folder.
        spec: The local engine (``memory``, ``oxigraph``, ``oxigraph:DIR``).
        endpoint: A SPARQL 1.1 server's query URL instead.
        user: For ``endpoint``: a user name for servers that ask (password from
            ``$KG_PASSWORD``).

    Raises:
        EngineError: For an unknown engine name or a URL that is not http(s).
        UsageError: For ``endpoint`` with a layout limited to a day (``--as-of``).
    """
    if not endpoint:
        return open_engine(layout, spec)
    if layout.as_of is not None:
        raise UsageError(
            "--as-of works on the local engines: a SPARQL server answers from all it holds"
        )
    return EndpointEngine(endpoint, user=user)


class EndpointEngine:
    """A remote SPARQL 1.1 server, queried through :class:`kg.remote.client.SparqlClient`.

    An incomplete answer (the server's row cap or time limit, a body cut short) is refused
    (:class:`~kg.query.results.PartialAnswer`), or with ``allow_partial`` comes back with
    :attr:`QueryResult.partial` saying why.

    Args:
        url: The query endpoint.
        timeout: Seconds to wait for the server.
        user: A user name for servers that ask (Basic or Digest); the password is read from
            the environment variable ``KG_PASSWORD``.

    Attributes:
        outbound: The hosts its queries connect to: the server's (``localhost`` as itself and
            both loopback addresses).
    """

    name = "endpoint"

    def __init__(self, url: str, timeout: float = 30.0, user: str | None = None) -> None:
        from kg.remote.client import Credentials, RemoteError, SparqlClient
        from kg.remote.wire import shown

        log.info("queries go to the SPARQL server at %s", shown(url))
        try:
            self.client = SparqlClient(url, credentials=Credentials.from_env(user), timeout=timeout)
        except RemoteError as err:
            raise EngineError(str(err)) from None
        self.url = url
        self.timeout = timeout
        host = urllib.parse.urlsplit(url).hostname or ""
        self.outbound = frozenset({host, "127.0.0.1", "::1"} if host == "localhost" else {host})

    def query(
        self,
        text: str,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        max_rows: int | None = None,
        allow_partial: bool = False,
    ) -> QueryResult:
        """Send the query (prefixes declared, bindings as BIND clauses) and parse the answer."""
        from kg.remote.client import RemoteError

        body = with_prologue(prebind(text, bindings) if bindings else text)
        try:
            return self.client.query(
                body, analyse(text).form, default_graphs, named_graphs, max_rows, allow_partial
            )
        except RemoteError as err:
            raise EngineError(str(err)) from None

    def prepare(self, text: str, graphs: Sequence[str] = ()) -> None:
        """Nothing to do before a query's deadline starts."""

    def graph_names(self) -> set[str]:
        """The server's named graphs (asked with a query; in pages when its row cap cuts them).

        A server holding more graphs than its row cap (Virtuoso's ``ResultSetMaxRows``, 10,000
        by default; a pushed million triples make 17k graphs) is asked again page by page, in
        the order of the names, each page after the last name of the one before (no ``OFFSET``,
        which Virtuoso refuses past 10,000 sorted rows). A name read from an answer is a valid
        IRI (the results parser refuses others), so it holds no ``>`` to escape.
        """
        listing = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } %s}"
        result = self.query(listing % "", allow_partial=True)
        names = [row[0].value for row in result.rows if isinstance(row[0], ox.NamedNode)]
        if result.partial is None:
            return set(names)
        page = max(1, len(result.rows) - 1)  # an answer as long as the cap reads as cut
        names, after = [], ""
        while True:
            text = listing % (f"FILTER(STR(?g) > STR(<{after}>)) " if after else "")
            rows = self.query(f"{text} ORDER BY (STR(?g)) LIMIT {page}").rows
            names += [row[0].value for row in rows if isinstance(row[0], ox.NamedNode)]
            if len(rows) < page or not names:
                return set(names)
            after = names[-1]


def with_prologue(text: str) -> str:
    """Declare the project's prefixes that ``text`` uses but does not declare itself."""
    analysis = analyse(text)
    declared = {prefix for prefix, _ in analysis.prefixes}
    used = analysis.used_prefixes()
    lines = [f"PREFIX {p}: <{PREFIXES[p]}>" for p in sorted(used - declared) if p in PREFIXES]
    return "\n".join([*lines, text])
