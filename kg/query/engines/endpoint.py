"""A remote SPARQL 1.1 server as an engine, and ``push`` to fill one (through :mod:`kg.remote`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from kg.data.prefixes import PREFIXES
from kg.query.engines.base import EngineError
from kg.query.results import QueryResult, Term
from kg.query.safety import analyse, prebind


class EndpointEngine:
    """A remote SPARQL 1.1 server, queried through :class:`kg.remote.client.SparqlClient`.

    Args:
        url: The query endpoint.
        timeout: Seconds to wait for the server.
        user: A user name for servers that ask (Basic or Digest); the password is read from
            the environment variable ``KG_PASSWORD``.
    """

    name = "endpoint"

    def __init__(self, url: str, timeout: float = 30.0, user: str | None = None) -> None:
        from kg.remote.client import Credentials, RemoteError, SparqlClient

        try:
            self.client = SparqlClient(url, credentials=Credentials.from_env(user), timeout=timeout)
        except RemoteError as err:
            raise EngineError(str(err)) from None
        self.url = url
        self.timeout = timeout

    def query(
        self,
        text: str,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Send the query (prefixes declared, bindings as BIND clauses) and parse the answer."""
        from kg.remote.client import RemoteError

        body = with_prologue(prebind(text, bindings) if bindings else text)
        try:
            return self.client.query(
                body, analyse(text).form, default_graphs, named_graphs, max_rows
            )
        except RemoteError as err:
            raise EngineError(str(err)) from None

    def prepare(self, text: str, graphs: Sequence[str] = ()) -> None:
        """Nothing to do before a query's deadline starts."""

    def graph_names(self) -> set[str]:
        """The server's named graphs (asked with a query)."""
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return {row[0].value for row in result.rows if isinstance(row[0], ox.NamedNode)}


def with_prologue(text: str) -> str:
    """Declare the project's prefixes that ``text`` uses but does not declare itself."""
    analysis = analyse(text)
    declared = {prefix for prefix, _ in analysis.prefixes}
    used = analysis.used_prefixes()
    lines = [f"PREFIX {p}: <{PREFIXES[p]}>" for p in sorted(used - declared) if p in PREFIXES]
    return "\n".join([*lines, text])
