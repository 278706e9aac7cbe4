"""``kg serve`` against real clients: SPARQLWrapper and raw http.client, on 127.0.0.1.

One server process (``--timeout 2 --max-rows 100 …``) serves most tests; a second one runs with
every default, and a third on the rdflib engine for the no-outbound-connection rules.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import Listener
from kg_server import RunningServer, start
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, XML
from SPARQLWrapper import SPARQLWrapper as Wrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.cli.serve import serve
from kg.data.prefixes import PREFIXES

TIMEOUT = 2
MAX_ROWS = 100
MAX_BYTES = 20_000
KGR = PREFIXES["kgr"]
ZHIPU_LABELS = f"SELECT ?l WHERE {{ <{KGR}Zhipu> rdfs:label ?l }} ORDER BY ?l"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    log = tmp_path_factory.mktemp("serve") / "stderr.log"
    running = start(
        [
            "--timeout", str(TIMEOUT),
            "--max-rows", str(MAX_ROWS),
            "--max-request-bytes", str(MAX_BYTES),
            "--workers", "2",
            "--allow-host", "kg.example",
            "--cors", "http://allowed.example",
        ],
        log,
    )  # fmt: skip
    yield running
    running.stop()


@pytest.fixture(scope="module")
def default_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start([], tmp_path_factory.mktemp("serve-default") / "stderr.log")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def rdflib_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    log = tmp_path_factory.mktemp("serve-memory") / "stderr.log"
    running = start(["--engine", "memory", "--timeout", "10"], log)
    yield running
    running.stop()


def fetch(
    server: RunningServer,
    method: str,
    path: str,
    body: bytes | str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One request on a fresh connection: status, headers (lower-case names), body."""
    connection = server.connection()
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def get_query(
    server: RunningServer, query: str, accept: str | None = None, **extra: str
) -> tuple[int, dict[str, str], bytes]:
    params = urllib.parse.urlencode({"query": query, **extra})
    return fetch(server, "GET", f"/sparql?{params}", headers={"Accept": accept} if accept else {})


def wrapper(server: RunningServer, query: str, fmt: str, method: str = "GET") -> Wrapper:
    client = Wrapper(server.base + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method == POST:
        client.setMethod(POST)
    elif method == POSTDIRECTLY:
        client.setMethod(POST)
        client.setRequestMethod(POSTDIRECTLY)
    return client


# ---------------------------------------------------------------- SPARQLWrapper, every method
@pytest.mark.parametrize("method", ["GET", POST, POSTDIRECTLY])
def test_sparqlwrapper_select_json_by_every_method(server: RunningServer, method: str) -> None:
    result = wrapper(server, ZHIPU_LABELS, JSON, method).queryAndConvert()
    assert isinstance(result, dict)
    values = {b["l"]["value"] for b in result["results"]["bindings"]}
    assert values == {"智谱", "Zhipu AI"}


def test_sparqlwrapper_select_xml_csv_tsv(server: RunningServer) -> None:
    document = wrapper(server, ZHIPU_LABELS, XML).queryAndConvert()
    literals = {n.firstChild.data for n in document.getElementsByTagName("literal")}  # type: ignore[union-attr]
    assert literals == {"智谱", "Zhipu AI"}
    table = wrapper(server, ZHIPU_LABELS, CSV).queryAndConvert()
    assert list(csv.reader(io.StringIO(table.decode()))) == [["l"], ["Zhipu AI"], ["智谱"]]  # type: ignore[union-attr]
    lines = wrapper(server, ZHIPU_LABELS, TSV).queryAndConvert().decode().splitlines()  # type: ignore[union-attr]
    assert lines == ["?l", '"Zhipu AI"@en', '"智谱"@zh']


def test_sparqlwrapper_ask(server: RunningServer) -> None:
    answer: Any = wrapper(server, "ASK { kgr:Zhipu a kg:AIStartup }", JSON).queryAndConvert()
    assert answer["boolean"] is True
    document: Any = wrapper(server, "ASK { kgr:Zhipu a kg:Person }", XML).queryAndConvert()
    assert document.getElementsByTagName("boolean")[0].firstChild.data == "false"


@pytest.mark.parametrize("fmt", [TURTLE, JSONLD, RDFXML])
def test_sparqlwrapper_construct(server: RunningServer, fmt: str) -> None:
    query = "CONSTRUCT WHERE { kgr:Zhipu rdfs:label ?l }"
    converted = wrapper(server, query, fmt).queryAndConvert()
    if isinstance(converted, bytes):  # SPARQLWrapper hands Turtle over unparsed
        objects = {q.object.value for q in ox.parse(converted, format=ox.RdfFormat.TURTLE)}
    else:
        objects = {str(o) for o in converted.objects()}  # type: ignore[union-attr]
    assert objects == {"智谱", "Zhipu AI"}


def test_sparqlwrapper_reports_a_syntax_error(server: RunningServer) -> None:
    with pytest.raises(QueryBadFormed, match="line 1, column"):
        wrapper(server, "SELECT * WHERE { ?s ?p }", JSON).queryAndConvert()


# ---------------------------------------------------------------- formats, by Accept
SELECT_FORMATS = [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/html, application/xml;q=0.9, */*;q=0.8", "application/sparql-results+xml"),
]
GRAPH_FORMATS = [
    (None, "text/turtle", ox.RdfFormat.TURTLE),
    ("*/*", "text/turtle", ox.RdfFormat.TURTLE),
    ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
]


@pytest.mark.parametrize(("accept", "media"), SELECT_FORMATS)
def test_select_formats(server: RunningServer, accept: str | None, media: str) -> None:
    status, headers, body = get_query(server, ZHIPU_LABELS, accept)
    assert status == 200
    assert headers["content-type"].split(";")[0] == media
    assert "Accept" in headers["vary"]
    if "json" in media:
        rows = json.loads(body)["results"]["bindings"]
        assert {r["l"]["value"] for r in rows} == {"智谱", "Zhipu AI"}
    elif "xml" in media:
        root = ET.fromstring(body)
        assert {e.text for e in root.iter("{http://www.w3.org/2005/sparql-results#}literal")} == {
            "智谱",
            "Zhipu AI",
        }
    else:
        assert "智谱" in body.decode("utf-8")


@pytest.mark.parametrize(("accept", "media", "rdf_format"), GRAPH_FORMATS)
def test_graph_formats(
    server: RunningServer, accept: str | None, media: str, rdf_format: ox.RdfFormat
) -> None:
    status, headers, body = get_query(server, "DESCRIBE kgr:Zhipu", accept)
    assert status == 200
    assert headers["content-type"].split(";")[0] == media
    objects = {q.object.value for q in ox.parse(body, format=rdf_format)}
    assert {"智谱", "Zhipu AI"} <= objects


@pytest.mark.parametrize(
    "accept", ["text/csv", "application/sparql-results+xml", "text/tab-separated-values"]
)
def test_ask_formats(server: RunningServer, accept: str) -> None:
    status, _, body = get_query(server, "ASK { kgr:Zhipu a kg:AIStartup }", accept)
    assert status == 200
    assert "true" in body.decode()


def test_unacceptable_media_type_is_406(server: RunningServer) -> None:
    status, headers, body = get_query(server, ZHIPU_LABELS, "image/png")
    assert status == 406
    assert headers["content-type"].startswith("text/plain")
    assert b"application/sparql-results+json" in body


# ---------------------------------------------------------------- protocol errors
def test_wrong_method_is_405(server: RunningServer) -> None:
    for method in ("PUT", "DELETE", "PATCH"):
        status, headers, _body = fetch(server, method, "/sparql")
        assert status == 405, method
        assert "GET" in headers["allow"] and headers["content-type"].startswith("text/plain")


def test_more_than_one_query_is_400(server: RunningServer) -> None:
    query = urllib.parse.urlencode([("query", "ASK {}"), ("query", "ASK {}")])
    status, _, body = fetch(server, "GET", f"/sparql?{query}")
    assert status == 400 and b"exactly one" in body
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, _ = fetch(server, "POST", "/sparql?query=ASK%20%7B%7D", query.split("&")[0], form)
    assert status == 400
    direct = {"Content-Type": "application/sparql-query"}
    status, _, _ = fetch(server, "POST", "/sparql?query=ASK%20%7B%7D", "ASK {}", direct)
    assert status == 400


def test_missing_or_wrong_media_type_is_415(server: RunningServer) -> None:
    status, _, body = fetch(server, "POST", "/sparql", "ASK {}", {})
    assert status == 415 and b"Content-Type" in body
    status, _, _ = fetch(server, "POST", "/sparql", "ASK {}", {"Content-Type": "text/plain"})
    assert status == 415
    latin = {"Content-Type": "application/sparql-query; charset=iso-8859-1"}
    assert fetch(server, "POST", "/sparql", "ASK {}", latin)[0] == 415


def test_non_utf8_is_400(server: RunningServer) -> None:
    direct = {"Content-Type": "application/sparql-query"}
    status, _, body = fetch(
        server, "POST", "/sparql", "ASK { ?s ?p '\xe9' }".encode("latin-1"), direct
    )
    assert status == 400 and b"UTF-8" in body
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert fetch(server, "POST", "/sparql", "query=ASK%20%7B%7D%FF", form)[0] == 400
    assert fetch(server, "GET", "/sparql?query=ASK%20%7B%7D%FF")[0] == 400


def test_syntax_error_is_400_with_line_and_column(server: RunningServer) -> None:
    status, headers, body = get_query(server, "SELECT ?s\nWHERE { ?s ?p }")
    assert status == 400
    assert headers["content-type"].startswith("text/plain")
    assert b"line 2, column" in body


def test_relative_iri_construct_uses_the_request_url_as_base(server: RunningServer) -> None:
    """The W3C SPARQL 1.1 Protocol test ``query_post_direct``-style case with relative IRIs."""
    headers = {"Content-Type": "application/sparql-query", "Accept": "application/n-triples"}
    status, _, body = fetch(server, "POST", "/sparql", "CONSTRUCT { <s> <p> 1 } WHERE {}", headers)
    base = f"http://127.0.0.1:{server.port}/"
    assert status == 200
    assert body.decode().strip() == (
        f'<{base}s> <{base}p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    )


def test_no_query_in_a_post_is_400(server: RunningServer) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert fetch(server, "POST", "/sparql", "default-graph-uri=x", form)[0] == 400


def test_service_description(server: RunningServer) -> None:
    status, headers, body = fetch(server, "GET", "/sparql")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    store = ox.Store()
    store.load(body, format=ox.RdfFormat.TURTLE)
    sd = "http://www.w3.org/ns/sparql-service-description#"

    def values(prop: str) -> set[str]:
        quads = store.quads_for_pattern(None, ox.NamedNode(prop), None)
        return {str(getattr(q.object, "value", q.object)) for q in quads}

    endpoint = f"http://127.0.0.1:{server.port}/sparql"
    assert values(sd + "endpoint") == {endpoint}
    formats = values(sd + "resultFormat")
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ):
        assert "http://www.w3.org/ns/formats/" + name in formats
    assert PREFIXES["kgg"] + "curation" in values(sd + "name")
    limits = "https://w3id.org/zhipu-kg/server#"
    assert values(limits + "maxRows") == {str(MAX_ROWS)}
    assert {float(v) for v in values(limits + "queryTimeoutSeconds")} == {TIMEOUT}
    assert values(limits + "maxRequestBytes") == {str(MAX_BYTES)}


# ---------------------------------------------------------------- read-only
def count_triples(server: RunningServer) -> int:
    _, _, body = get_query(server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_updates_are_403_and_change_nothing(server: RunningServer) -> None:
    before = count_triples(server)
    insert = "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    attempts = [
        ("POST", "/sparql", urllib.parse.urlencode({"update": insert}), form),
        ("POST", "/sparql", insert, {"Content-Type": "application/sparql-update"}),
        ("POST", "/sparql", urllib.parse.urlencode({"query": insert}), form),
        ("GET", "/sparql?" + urllib.parse.urlencode({"update": insert}), None, {}),
        ("GET", "/sparql?" + urllib.parse.urlencode({"query": "DROP ALL"}), None, {}),
        ("POST", "/update", urllib.parse.urlencode({"update": insert}), form),
        ("GET", "/update", None, {}),
    ]
    for method, path, body, headers in attempts:
        status, response_headers, text = fetch(server, method, path, body, headers)
        assert status == 403, (method, path)
        assert response_headers["content-type"].startswith("text/plain") and text
    assert count_triples(server) == before
    answer = get_query(server, "ASK { GRAPH <urn:g> { <urn:a> ?p ?o } }")[2]
    assert json.loads(answer)["boolean"] is False


# ---------------------------------------------------------------- datasets
def test_default_and_named_graph_uri(server: RunningServer) -> None:
    curation = PREFIXES["kgg"] + "curation"
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{KGR}Zhipu> rdfs:label ?l }}"
    only_curation = get_query(server, query, **{"default-graph-uri": curation})
    assert json.loads(only_curation[2])["results"]["bindings"][0]["n"]["value"] == "2"
    funding = PREFIXES["ev"] + "funding-2025-03"
    not_there = get_query(server, query, **{"default-graph-uri": funding})
    assert json.loads(not_there[2])["results"]["bindings"][0]["n"]["value"] == "0"
    unknown = get_query(server, query, **{"default-graph-uri": "http://example.org/nothing"})
    assert unknown[0] == 200
    assert json.loads(unknown[2])["results"]["bindings"][0]["n"]["value"] == "0"
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    named = get_query(server, graphs, **{"named-graph-uri": curation})
    assert [b["g"]["value"] for b in json.loads(named[2])["results"]["bindings"]] == [curation]
    assert get_query(server, graphs, **{"named-graph-uri": "not an iri"})[0] == 400


# ---------------------------------------------------------------- limits
def test_row_cap_says_it_truncated(server: RunningServer) -> None:
    status, headers, body = get_query(server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 200
    assert headers["x-kg-truncated"] == "true" and headers["x-kg-max-rows"] == str(MAX_ROWS)
    document = json.loads(body)
    assert document["truncated"] is True
    assert len(document["results"]["bindings"]) == MAX_ROWS
    status, headers, body = get_query(server, "SELECT * WHERE { ?s ?p ?o }", "text/csv")
    assert headers["x-kg-truncated"] == "true" and len(body.decode().splitlines()) == MAX_ROWS + 1
    status, headers, body = get_query(server, ZHIPU_LABELS)
    assert "x-kg-truncated" not in headers and "truncated" not in json.loads(body)


def test_request_size_cap(server: RunningServer) -> None:
    big = "ASK {}" + " " * MAX_BYTES
    status, _headers, body = fetch(
        server, "POST", "/sparql", big, {"Content-Type": "application/sparql-query"}
    )
    assert status == 413 and b"limit" in body
    assert fetch(server, "GET", "/sparql?query=" + "%20" * MAX_BYTES)[0] == 414


def test_service_and_updates_are_refused_before_running(server: RunningServer) -> None:
    status, _, body = get_query(
        server, "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"
    )
    assert status == 400 and b"SERVICE" in body


@pytest.mark.parametrize("which", ["server", "rdflib_server"])
def test_no_outbound_connection(which: str, request: pytest.FixtureRequest) -> None:
    target: RunningServer = request.getfixturevalue(which)
    listener = Listener()
    url = f"http://127.0.0.1:{listener.port}/"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    try:
        assert get_query(target, f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")[0] == 400
        for query in (
            f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
            f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            f"ASK FROM <{url}data.ttl> {{ ?s ?p ?o }}",
        ):
            status, _, body = get_query(target, query)
            assert status == 200, body
            document = json.loads(body)
            assert document.get("boolean") is False or document["results"]["bindings"] == []
        for param in ("default-graph-uri", "named-graph-uri"):
            status, _, body = get_query(target, "SELECT * WHERE { ?s ?p ?o }", **{param: url})
            assert status == 200 and json.loads(body)["results"]["bindings"] == []
        load = f"LOAD <{url}>"
        assert (
            fetch(target, "POST", "/sparql", urllib.parse.urlencode({"update": load}), form)[0]
            == 403
        )
        assert (
            fetch(target, "POST", "/sparql", urllib.parse.urlencode({"query": load}), form)[0]
            == 403
        )
        update = {"Content-Type": "application/sparql-update"}
        assert fetch(target, "POST", "/sparql", load, update)[0] == 403
        time.sleep(0.3)
    finally:
        listener.close()
    assert listener.connections == 0


def test_host_header_must_be_an_allowed_name(server: RunningServer) -> None:
    for host in (
        f"127.0.0.1:{server.port}",
        f"localhost:{server.port}",
        f"[::1]:{server.port}",
        f"kg.example:{server.port}",
        "kg.example",
    ):
        assert fetch(server, "GET", "/sparql?query=ASK%7B%7D", headers={"Host": host})[0] == 200, (
            host
        )
    for host in (f"evil.example:{server.port}", "attacker.localhost", f"127.0.0.2:{server.port}"):
        status, _, body = fetch(server, "GET", "/", headers={"Host": host})
        assert status == 403 and b"Host" in body, host
    connection = server.connection()
    connection.putrequest("GET", "/", skip_host=True)
    connection.endheaders()
    assert connection.getresponse().status == 403
    connection.close()


def test_cors_only_for_the_configured_origin(
    server: RunningServer, default_server: RunningServer
) -> None:
    allowed = {"Origin": "http://allowed.example"}
    _, headers, _ = fetch(server, "GET", "/sparql?query=ASK%7B%7D", headers=allowed)
    assert headers["access-control-allow-origin"] == "http://allowed.example"
    status, headers, _ = fetch(
        server, "OPTIONS", "/sparql", headers={**allowed, "Access-Control-Request-Method": "POST"}
    )
    assert status == 204 and "POST" in headers["access-control-allow-methods"]
    _, headers, _ = fetch(
        server, "GET", "/sparql?query=ASK%7B%7D", headers={"Origin": "http://evil.example"}
    )
    assert not any(name.startswith("access-control") for name in headers)
    for origin in (
        "http://allowed.example",
        "http://evil.example",
        f"http://127.0.0.1:{default_server.port}",
    ):
        _, headers, _ = fetch(
            default_server, "GET", "/sparql?query=ASK%7B%7D", headers={"Origin": origin}
        )
        assert not any(name.startswith("access-control") for name in headers)


def test_defaults(default_server: RunningServer) -> None:
    assert default_server.output[0].startswith("Query page:")
    assert f"http://127.0.0.1:{default_server.port}/explore" in default_server.output[1]
    _status, _, body = fetch(default_server, "GET", "/sparql")
    store = ox.Store()
    store.load(body, format=ox.RdfFormat.TURTLE)
    limits = {
        q.predicate.value.rsplit("#")[-1]: q.object.value
        for q in store
        if q.predicate.value.startswith("https://w3id.org/zhipu-kg/server#")
    }
    assert limits["maxRows"] == "10000" and float(limits["queryTimeoutSeconds"]) == 30
    assert limits["maxRequestBytes"] == str(1 << 20)


def test_help_lists_every_limit() -> None:
    text = CliRunner().invoke(serve, ["--help"]).output
    for flag, default in [
        ("--host", "127.0.0.1"), ("--port", "8000"), ("--timeout", "30.0"), ("--max-rows", "10000"),
        ("--max-request-bytes", "1 MiB"), ("--workers", "twice the cores"),
        ("--max-connections", "1024"), ("--max-per-client", "256"), ("--head-timeout", "10.0"),
        ("--body-timeout", "20.0"), ("--grace", "30.0"), ("--allow-host", "localhost"),
        ("--cors", "ORIGIN"),
    ]:  # fmt: skip
        assert flag in text and default in text, flag


# ---------------------------------------------------------------- deadlines and concurrency
def test_deadline_stops_a_cartesian_product_while_others_are_served(server: RunningServer) -> None:
    slow: dict[str, object] = {}

    def cartesian() -> None:
        started = time.monotonic()
        slow["status"], _, slow["body"] = get_query(server, CARTESIAN)
        slow["seconds"] = time.monotonic() - started

    latencies: list[float] = []
    failures: list[object] = []

    def client() -> None:
        connection = server.connection()
        path = "/sparql?" + urllib.parse.urlencode({"query": ZHIPU_LABELS})
        end = time.monotonic() + TIMEOUT + 0.5
        while time.monotonic() < end:
            started = time.monotonic()
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            latencies.append(time.monotonic() - started)
            if response.status != 200 or len(json.loads(body)["results"]["bindings"]) != 2:
                failures.append((response.status, body))
        connection.close()

    threads = [threading.Thread(target=cartesian)]
    threads[0].start()
    time.sleep(0.2)  # the cartesian product holds one worker from here on
    threads += [threading.Thread(target=client) for _ in range(4)]
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert slow["status"] == 503 and b"deadline of 2 s" in slow["body"]  # type: ignore[operator]
    assert TIMEOUT - 0.1 <= slow["seconds"] < TIMEOUT + 2  # type: ignore[operator]
    assert failures == []
    # none of the quick queries waited for the slow one (which holds its worker the whole deadline)
    assert len(latencies) > 20 and max(latencies) < TIMEOUT - 0.5
    assert get_query(server, ZHIPU_LABELS)[0] == 200  # the killed worker was replaced
    (factory,) = children(server.process.pid)
    deadline = time.monotonic() + 5
    while len(children(factory)) != 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # the kernel reaps the killed worker
    assert len(children(factory)) == 2


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux ``/proc``)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:  # the thread ended while we looked
            continue
    return found


# ---------------------------------------------------------------- the page's own routes
def test_named_queries_route(server: RunningServer) -> None:
    status, _, body = fetch(server, "GET", "/queries")
    catalogue = json.loads(body)
    names = {q["name"] for q in catalogue["queries"]}
    assert "funding_by_city" in names and catalogue["prefixes"]["kgr"] == KGR
    entry = next(q for q in catalogue["queries"] if q["name"] == "evidence_for_entity")
    assert entry["title_zh"] and entry["title"] and entry["params"][0]["example"] == "kgr:ZhangPeng"
    status, _, body = fetch(server, "GET", "/queries/funding_by_city?city=kgr:Beijing")
    rows = json.loads(body)["results"]["bindings"]
    assert status == 200 and {r["city"]["value"] for r in rows} == {KGR + "Beijing"}
    assert fetch(server, "GET", "/queries/evidence_for_entity")[0] == 400  # required parameter
    assert fetch(server, "GET", "/queries/funding_by_city?city=not%20an%20iri")[0] == 400
    assert fetch(server, "GET", "/queries/funding_by_city?town=kgr:Beijing")[0] == 400
    assert fetch(server, "GET", "/queries/no_such_query")[0] == 404
    status, headers, _ = fetch(
        server, "GET", "/queries/entity_neighbourhood", headers={"Accept": "application/n-triples"}
    )
    assert status == 200 and headers["content-type"] == "application/n-triples"


def test_labels_route(server: RunningServer) -> None:
    body = json.dumps([KGR + "Zhipu", "urn:nothing", 3])
    status, _, answer = fetch(server, "POST", "/labels", body, {"Content-Type": "application/json"})
    assert status == 200 and json.loads(answer) == {KGR + "Zhipu": {"zh": "智谱", "en": "Zhipu AI"}}
    assert fetch(server, "POST", "/labels", "{", {"Content-Type": "application/json"})[0] == 400
    assert fetch(server, "GET", "/labels")[0] == 405


def test_entity_page(server: RunningServer) -> None:
    status, headers, body = fetch(server, "GET", "/entity/Funding-2025-03")
    page = body.decode()
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "3月,连跑珠海、成都、杭州三地签下18亿元国资" in page  # the evidence quote
    assert 'href="/entity/Zhipu"' in page and 'href="/explore?focus=Funding-2025-03"' in page
    assert "18亿元" in page  # a part of the structured amount
    assert fetch(server, "GET", "/entity/NoSuchThing")[0] == 404
    assert fetch(server, "GET", "/entity/%FF")[0] == 400


def test_explorer(server: RunningServer) -> None:
    status, headers, body = fetch(server, "GET", "/explore?focus=Zhipu&lang=en")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "script-src 'sha256-" in headers["content-security-policy"]
    assert b'<html lang="en">' in body
    assert fetch(server, "GET", "/explore?focus=NoSuchThing")[0] == 404


def test_static_assets_are_served_locally(server: RunningServer) -> None:
    status, _, page = fetch(server, "GET", "/")
    assert status == 200
    for path in (
        "/static/vendor/codemirror/codemirror.js",
        "/static/vendor/codemirror/sparql.js",
        "/static/query.js",
        "/static/site.css",
    ):
        assert path.encode() in page
        status, headers, _ = fetch(server, "GET", path)
        assert status == 200 and headers["x-content-type-options"] == "nosniff", path
    assert b"MIT License" in fetch(server, "GET", "/static/vendor/codemirror/LICENSE")[2]
    assert fetch(server, "GET", "/static/../server.py")[0] == 404
    assert fetch(server, "HEAD", "/")[2] == b""
    assert fetch(server, "GET", "/nothing")[0] == 404
