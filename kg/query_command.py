"""What ``kg query`` and ``kg queries`` do, as plain functions the CLI wraps."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from kg.results import QueryResult

EXIT_OK, EXIT_QUERY_ERROR, EXIT_TIMEOUT, EXIT_ENGINE = 0, 2, 3, 4


@dataclass(frozen=True)
class QueryRequest:
    """One ``kg query`` invocation.

    Attributes:
        text: Query text, or ``@FILE``.
        name: A named query instead of ``text``.
        params: ``NAME=VALUE`` strings for the named query's parameters.
        fmt: Output format, or ``None`` for the default of the query form.
        lang: Label language for tables.
        engine: Engine spec (``memory``, ``oxigraph``, ``oxigraph:DIR``).
        endpoint: A SPARQL server URL instead of a local engine.
        timeout: Deadline in seconds.
        max_rows: Row cap.
        user: User name for an endpoint that asks (password from ``$KG_PASSWORD``).
    """

    text: str | None
    name: str | None
    params: tuple[str, ...]
    fmt: str | None
    lang: str
    engine: str | None
    endpoint: str | None
    timeout: float
    max_rows: int | None
    user: str | None = None


def execute(data: Path | None, request: QueryRequest) -> tuple[int, str, str]:
    """Run a request.

    Returns:
        ``(exit code, output, error message)``.
    """
    from kg.engines import EngineError
    from kg.graph import load
    from kg.paths import DataDirError, data_dir
    from kg.safety import QueryRejected
    from kg.sparql import QuerySyntaxError, QueryTimeout

    try:
        layout = data_dir(data)
        bindings = {}
        if request.name:
            from kg.catalogue import bind_params, load_query

            try:
                named = load_query(request.name, layout)
            except KeyError:
                return EXIT_QUERY_ERROR, "", f"no named query {request.name!r}; see `kg queries`"
            text = named.text
            bindings = bind_params(named, dict(_split(p) for p in request.params))
        elif request.text:
            text = _read_text(request.text)
            if request.params:
                return EXIT_QUERY_ERROR, "", "--param works with --name"
        else:
            return EXIT_QUERY_ERROR, "", "give a query, @FILE, @- (standard input) or --name NAME"
        if request.endpoint and request.user:
            from kg.engines import EndpointEngine
            from kg.graph import KnowledgeGraph

            engine = EndpointEngine(request.endpoint, user=request.user)
            graph = KnowledgeGraph(layout, engine)
        else:
            graph = load(data, request.engine, request.endpoint)
        result = graph.query(text, bindings, timeout=request.timeout, max_rows=request.max_rows)
        return EXIT_OK, render(graph, result, request.fmt, request.lang), ""
    except QueryTimeout as err:
        return EXIT_TIMEOUT, "", str(err)
    except (QuerySyntaxError, QueryRejected, ValueError, OSError) as err:
        return EXIT_QUERY_ERROR, "", str(err)
    except (EngineError, DataDirError) as err:
        return EXIT_ENGINE, "", str(err)


def _split(param: str) -> tuple[str, str]:
    name, sep, value = param.partition("=")
    if not sep or not name:
        raise ValueError(f"--param needs NAME=VALUE, got {param!r}")
    return name.strip(), value


def _read_text(text: str) -> str:
    """The query itself, or the contents of ``@FILE`` (``@-``: standard input)."""
    if text == "@-":
        return sys.stdin.read()
    if text.startswith("@"):
        return Path(text[1:]).read_text(encoding="utf-8")
    return text


def render(graph: object, result: QueryResult, fmt: str | None, lang: str) -> str:
    """Serialise ``result``; for tables, label IRIs in ``lang``."""
    from kg.graph import KnowledgeGraph

    chosen = fmt or ("turtle" if result.is_graph else "table")
    labels: dict[str, str] = {}
    if chosen == "table" and not result.is_graph and isinstance(graph, KnowledgeGraph):
        iris = {
            t.value
            for row in result.rows
            for t in row
            if t is not None and type(t).__name__ == "NamedNode"
        }
        labels = graph.labels(iris, lang) if iris else {}
    return result.serialize(chosen, labels).rstrip("\n")


def named_query_text(data: Path | None, name: str) -> str:
    """The file of one named query, as written (a starting point for a question of one's own).

    Raises:
        KeyError: If there is no such named query.
    """
    from kg.catalogue import load_query
    from kg.paths import data_dir

    return load_query(name, data_dir(data)).text


def describe_catalogue(data: Path | None, tag: str | None) -> str:
    """A listing of the named queries: name, summaries, parameters."""
    from kg.catalogue import load_catalogue
    from kg.paths import data_dir

    lines = []
    for name, named in sorted(load_catalogue(data_dir(data)).items()):
        if tag and tag not in named.tags:
            continue
        lines.append(f"{name}\n    {named.summary}\n    {named.summary_zh}")
        for param in named.params:
            flag = " (optional)" if param.optional else ""
            lines.append(f"    --param {param.name}=<{param.type}>{flag}  {param.description}")
    return "\n".join(lines)
