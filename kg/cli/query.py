"""Query commands: ``kg query``, ``kg queries`` and ``kg push``, over plain functions."""

from __future__ import annotations

from pathlib import Path

import click

from kg.errors import NotFound
from kg.query.formats import FORMATS


class FormatName(click.ParamType[str]):
    """A format of :data:`kg.query.formats.FORMATS`, read when the command runs."""

    name = "format"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        """The names, as ``--help`` shows them."""
        return "[" + "|".join(FORMATS.names()) + "]"

    def convert(self, value: str, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """``value`` when it names a format; else a usage error."""
        if value not in FORMATS.names():
            self.fail(f"{value!r} is not one of {', '.join(FORMATS.names())}", param, ctx)
        return value


def named_query_text(data: Path | None, name: str) -> str:
    """The file of one named query, as written (a starting point for a question of one's own)."""
    from kg.data.paths import data_dir
    from kg.query.catalogue import load_query

    return load_query(name, data_dir(data)).text


def describe_catalogue(data: Path | None, tag: str | None) -> str:
    """A listing of the named queries: name, summaries, parameters."""
    from kg.data.paths import data_dir
    from kg.query.catalogue import load_catalogue

    catalogue = load_catalogue(data_dir(data))
    known = sorted({t for named in catalogue.values() for t in named.tags})
    if tag and tag not in known:
        import difflib

        close = difflib.get_close_matches(tag, known, n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise NotFound(f"no named query has the tag {tag!r}; {hint}tags: {', '.join(known)}")
    lines = []
    for name, named in sorted(catalogue.items()):
        if tag and tag not in named.tags:
            continue
        lines.append(f"{name}\n    {named.summary}\n    {named.summary_zh}")
        for param in named.params:
            flag = " (optional)" if param.optional else ""
            lines.append(f"    --param {param.name}=<{param.type}>{flag}  {param.description}")
    return "\n".join(lines)


# ---------------------------------------------------------------- querying
USER_HELP = "User name for servers that ask (HTTP Basic or Digest); password from $KG_PASSWORD."
AS_OF_HELP = (
    "Answer from the data as known on this day: sources published by then (a partial date "
    "counts from its last day; undated sources always), later facts' supersession left out."
)
ENGINE_HELP = "memory (rdflib), oxigraph (default, in memory) or oxigraph:DIR (persistent)."


format_option = click.option(
    "--format",
    "-f",
    "fmt",
    type=FormatName(),
    help="Output format. Default: table for SELECT/ASK, turtle for CONSTRUCT/DESCRIBE.",
)
engine_option = click.option("--engine", "-e", help=ENGINE_HELP)
timeout_option = click.option(
    "--timeout", type=float, default=30.0, show_default=True, help="Deadline in seconds."
)
max_rows_option = click.option("--max-rows", type=int, help="Stop after this many rows.")
as_of_option = click.option("--as-of", metavar="YYYY-MM-DD", help=AS_OF_HELP)


@click.command()
@click.argument("query", required=False)
@click.option("--name", "-n", help="Run a named query from queries/ (see `kg queries`).")
@click.option(
    "--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="Bind a parameter."
)
@format_option
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    help="Label language in tables (default zh); given, the other language's columns go.",
)
@engine_option
@click.option("--endpoint", help="Query a SPARQL 1.1 server at this URL instead.")
@click.option("--user", help=USER_HELP)
@click.option(
    "--allow-partial",
    is_flag=True,
    help="Print an endpoint's incomplete answer (its row cap or time limit) with a warning.",
)
@timeout_option
@max_rows_option
@as_of_option
@click.pass_obj
def query(
    data: Path | None,
    query: str | None,
    name: str | None,
    params: tuple[str, ...],
    fmt: str | None,
    lang: str | None,
    engine: str | None,
    endpoint: str | None,
    user: str | None,
    allow_partial: bool,
    timeout: float,
    max_rows: int | None,
    as_of: str | None,
) -> None:
    """Run a SPARQL query: QUERY text, @FILE (@- reads standard input), or --name NAME.

    Prefixes kg: kgr: ev: kgg: schema: org: prov: oa: rdfs: skos: xsd: are predeclared.
    Exit 0 answered, 1 an endpoint sent an incomplete answer (see --allow-partial),
    2 bad query (syntax error with line and column, or refused),
    3 deadline passed or engine unavailable.
    """
    from kg.cli.answer import QueryRequest, answer

    answer(
        data,
        QueryRequest(
            query,
            name,
            params,
            fmt,
            lang,
            engine,
            endpoint,
            timeout,
            max_rows,
            user,
            as_of,
            allow_partial,
        ),
    )


@click.command()
@click.argument("question")
@format_option
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    help="Label language in tables (default: the question's language).",
)
@engine_option
@timeout_option
@max_rows_option
@as_of_option
@click.pass_obj
def ask(
    data: Path | None,
    question: str,
    fmt: str | None,
    lang: str | None,
    engine: str | None,
    timeout: float,
    max_rows: int | None,
    as_of: str | None,
) -> None:
    """Answer a QUESTION in words (zh or en) with the named query it asks for.

    The question is matched to a phrase of queries/phrases.tsv (e.g. 谁投资了智谱, who funded
    zhipu, did Beijing invest in Zhipu); names in it are resolved as everywhere. The named query
    and its parameters are printed on standard error, the answer (with its evidence) on standard
    output. Exit 2 when no phrase matches: the closest phrases are listed.
    """
    from kg.cli.answer import QueryRequest, answer
    from kg.data.hanzi import has_hanzi
    from kg.graph import load
    from kg.query.ask import route

    graph = load(data, engine, as_of=as_of)
    match = route(question, graph.layout, graph.names)
    params = tuple(f"{slot}={value}" for slot, value in match.params)
    import shlex

    shown = "".join(f" --param {shlex.quote(p)}" for p in params)
    click.echo(f"→ kg query --name {match.query}{shown}", err=True)
    language = lang or ("zh" if has_hanzi(question) else "en")
    request = QueryRequest(
        None, match.query, params, fmt, language, engine, None, timeout, max_rows, None, as_of
    )
    answer(data, request, graph)


@click.command()
@click.option("--tag", help="Only queries with this tag.")
@click.option("--show", metavar="NAME", help="Print this named query's SPARQL (header included).")
@click.pass_obj
def queries(data: Path | None, tag: str | None, show: str | None) -> None:
    """List the named queries with their summaries and parameters."""
    if show is None:
        click.echo(describe_catalogue(data, tag))
        return
    click.echo(named_query_text(data, show), nl=False)


@click.command()
@click.option("--endpoint", required=True, help="The server's SPARQL query URL (counts there).")
@click.option("--update", "update_url", help="Its SPARQL Update URL. Default: --endpoint.")
@click.option(
    "--graph-store", help="Its Graph Store Protocol URL: send the data by GSP, not by Update."
)
@click.option(
    "--bulk",
    is_flag=True,
    help="N-Quads POSTs to --graph-store (a dataset store: Oxigraph, Fuseki); fastest.",
)
@click.option(
    "--sparql-only",
    is_flag=True,
    help="Send by SPARQL Update even to oxigraph serve (default there: its dataset store).",
)
@click.option(
    "--serve-data",
    metavar="ADDRESS",
    help="To a remote Virtuoso: HOST[:PORT] of this machine it can reach; opens a listener there "
    "for the push's duration, from which it LOADs the data (default to a Virtuoso on loopback).",
)
@click.option(
    "--force", is_flag=True, help="Send every graph, even those unchanged since the last push."
)
@click.option(
    "--resume", "action", flag_value="resume", help="Continue the push to this server that stopped."
)
@click.option(
    "--rollback",
    "action",
    flag_value="rollback",
    help="Undo the stopped push to this server: every graph back as it was before it.",
)
@click.option(
    "--status", "action", flag_value="status", help="Where the last push to this server got to."
)
@click.option("--user", help=USER_HELP)
@click.option("--timeout", type=float, default=600.0, show_default=True, help="Per request, s.")
@click.pass_obj
def push(
    data: Path | None,
    endpoint: str,
    update_url: str | None,
    graph_store: str | None,
    bulk: bool,
    sparql_only: bool,
    serve_data: str | None,
    force: bool,
    action: str | None,
    user: str | None,
    timeout: float,
) -> None:
    """Replace every named graph on a SPARQL server, staged and counted there, batch by batch.

    Exit 0 when the server holds every triple sent; 1 when it does not (the graphs are named, the
    push rolled back); 2 when the data cannot be read; 3 when the server cannot be reached or
    refuses (the message says which graphs are in which state: --resume or --rollback).
    """
    from kg.remote import push as pushing
    from kg.remote.client import Credentials

    if action == "status":
        click.echo(pushing.status(endpoint, update_url))
        return
    credentials = Credentials.from_env(user)
    if action == "rollback":
        click.echo(
            pushing.rollback(endpoint, update=update_url, credentials=credentials, timeout=timeout)
        )
        return
    from kg.data.paths import data_dir

    report = pushing.push(
        data_dir(data),
        endpoint,
        update=update_url,
        graph_store=graph_store,
        bulk=bulk,
        resume=action == "resume",
        credentials=credentials,
        timeout=timeout,
        sparql_only=sparql_only,
        force=force,
        serve_data=serve_data,
    )
    click.echo(report.summary())
