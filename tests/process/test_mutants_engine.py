"""A remote SPARQL server as an engine (:mod:`kg.remote.engine`): the cases mutation testing
showed missing.

Queries go to a real scratch ``oxigraph serve`` holding three small named graphs; a small
``http.server`` on loopback that asks for Basic auth and records each request shows what the
engine sends (its credentials, its prologue, its bindings).
"""

from __future__ import annotations

import base64
import http.server
import json
import logging
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest
from loopback_http import running
from oxigraph_server import free_port, serving_oxigraph

from kg.data.paths import DataLayout
from kg.data.prefixes import PREFIXES
from kg.errors import UsageError
from kg.query.engines import EngineError
from kg.query.engines.memory import MemoryEngine
from kg.query.results import PartialAnswer
from kg.remote.client import MissingPassword
from kg.remote.engine import EndpointEngine, connect, with_prologue

KG = PREFIXES["kg"]
DATA = f"""
<urn:g1> {{ <urn:a> <{KG}name> "A" . <urn:b> <{KG}name> "B" . }}
<urn:g2> {{ <urn:c> <{KG}name> "C" . }}
<urn:g3> {{ <urn:c> <{KG}age> "3" . }}
"""


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving_oxigraph(tmp_path_factory.mktemp("engine"), union_default_graph=True) as base:
        request = urllib.request.Request(
            base + "/store", data=DATA.encode(), headers={"Content-Type": "application/trig"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status in {200, 201, 204}
        yield base + "/query"


class Asking(http.server.BaseHTTPRequestHandler):
    """Asks for Basic auth (user ``u``, password ``pw``), then answers every query ``true``."""

    seen: ClassVar[list[tuple[str, str]]] = []

    def do_GET(self) -> None:
        expected = "Basic " + base64.b64encode(b"u:pw").decode()
        if self.headers.get("Authorization") != expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="kg"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["query"][0]
        self.seen.append((self.headers["Authorization"], query))
        body = json.dumps({"head": {}, "boolean": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet."""


class Capped(http.server.BaseHTTPRequestHandler):
    """Cuts every answer at one row and says so, as Virtuoso's ``ResultSetMaxRows`` does."""

    def do_GET(self) -> None:
        binding = {"x": {"type": "literal", "value": "first"}}
        body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [binding]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("X-SPARQL-MaxRows", "1")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet."""


def test_an_answer_the_server_cut_is_refused_unless_a_part_is_allowed() -> None:
    with running(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Capped)) as server:
        engine = EndpointEngine(f"http://127.0.0.1:{server.server_address[1]}/sparql")
        with pytest.raises(PartialAnswer, match="its own cap of 1 rows"):
            engine.query("SELECT ?x WHERE { ?x ?p ?o }")
        partial = engine.query("SELECT ?x WHERE { ?x ?p ?o }", allow_partial=True)
    assert partial.rows == [(ox.Literal("first"),)]
    assert partial.partial is not None and "its own cap of 1 rows" in partial.partial


def test_the_log_names_the_server_without_its_query_string(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="kg.remote.engine"):
        EndpointEngine("http://127.0.0.1:1/sparql?default-graph-uri=urn:g")
    assert [r.getMessage() for r in caplog.records if r.name == "kg.remote.engine"] == [
        "queries go to the SPARQL server at http://127.0.0.1:1/sparql"
    ]


def test_without_an_endpoint_the_local_engine_is_opened(tmp_path: Path) -> None:
    (tmp_path / "ontology.ttl").write_text("", encoding="utf-8")
    (tmp_path / "triples").mkdir()
    layout = DataLayout(tmp_path)
    assert isinstance(connect(layout, "memory"), MemoryEngine)
    assert isinstance(connect(layout, "memory", endpoint=""), MemoryEngine)
    with pytest.raises(EngineError, match="unknown engine 'nope'"):
        connect(layout, "nope")


def test_an_endpoint_with_a_day_is_refused(tmp_path: Path) -> None:
    said = "--as-of works on the local engines: a SPARQL server answers from all it holds"
    with pytest.raises(UsageError, match=f"^{re.escape(said)}$"):
        connect(DataLayout(tmp_path, as_of="2024-01-01"), endpoint="http://127.0.0.1:1/q")


def test_an_endpoint_engine_is_opened_with_its_url_timeout_and_hosts(tmp_path: Path) -> None:
    engine = connect(DataLayout(tmp_path), "memory", endpoint="http://localhost:7/sparql")
    assert isinstance(engine, EndpointEngine)
    assert engine.name == "endpoint"
    assert (engine.url, engine.timeout) == ("http://localhost:7/sparql", 30.0)
    assert engine.client.timeout == 30.0
    assert engine.client.query_url == "http://localhost:7/sparql"
    assert engine.outbound == {"localhost", "127.0.0.1", "::1"}
    other = EndpointEngine("https://example.org:8890/sparql", timeout=2.5)
    assert (other.timeout, other.client.timeout) == (2.5, 2.5)
    assert other.outbound == {"example.org"}
    assert EndpointEngine("http://127.0.0.1:7/q").outbound == {"127.0.0.1"}
    assert EndpointEngine("http:///q").outbound == {""}
    with pytest.raises(
        EngineError, match=r"^endpoint must be an http\(s\) URL: ftp://h/q$"
    ) as caught:
        EndpointEngine("ftp://h/q")
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_the_user_s_password_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KG_PASSWORD", raising=False)
    with pytest.raises(MissingPassword, match="KG_PASSWORD"):
        connect(DataLayout(tmp_path), endpoint="http://127.0.0.1:1/q", user="u")
    monkeypatch.setenv("KG_PASSWORD", "pw")
    Asking.seen = []
    with running(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Asking)) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        engine = connect(DataLayout(tmp_path), endpoint=url, user="u")
        assert engine.query("ASK { ?s kg:name ?o }").boolean is True
        with pytest.raises(EngineError, match="401"):
            connect(DataLayout(tmp_path), endpoint=url).query("ASK {}")
    assert Asking.seen == [
        ("Basic dTpwdw==", f"PREFIX kg: <{KG}>\nASK {{ ?s kg:name ?o }}"),
    ]


def test_queries_get_the_prefixes_they_use_and_their_bindings(endpoint: str) -> None:
    engine = EndpointEngine(endpoint)
    result = engine.query("SELECT ?n WHERE { ?s kg:name ?n } ORDER BY ?n")
    assert (result.form, result.variables) == ("SELECT", ["n"])
    assert result.rows == [(ox.Literal("A"),), (ox.Literal("B"),), (ox.Literal("C"),)]
    bound = engine.query("SELECT ?n WHERE { ?s kg:name ?n }", bindings={"s": ox.NamedNode("urn:b")})
    assert bound.rows == [(ox.Literal("B"),)]
    assert engine.query("ASK { <urn:c> kg:age ?a }").boolean is True
    graph = engine.query("CONSTRUCT { ?s kg:name ?n } WHERE { ?s kg:name ?n }")
    assert (graph.form, len(graph.triples)) == ("CONSTRUCT", 3)


def test_queries_keep_their_graphs_row_limit_and_form(endpoint: str) -> None:
    engine = EndpointEngine(endpoint)
    text = "SELECT ?n WHERE { ?s kg:name ?n } ORDER BY ?n"
    assert engine.query(text, default_graphs=["urn:g2"]).rows == [(ox.Literal("C"),)]
    named = engine.query(
        "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g", named_graphs=["urn:g3"]
    )
    assert named.rows == [(ox.NamedNode("urn:g3"),)]
    capped = engine.query(text, default_graphs=["urn:g1", "urn:g2"], max_rows=2)
    assert (capped.rows, capped.truncated) == ([(ox.Literal("A"),), (ox.Literal("B"),)], True)
    whole = engine.query(text, default_graphs=["urn:g1", "urn:g2"], allow_partial=True)
    assert (len(whole.rows), whole.truncated, whole.partial) == (3, False, None)


def test_the_server_s_graphs_are_its_named_graphs(endpoint: str) -> None:
    assert EndpointEngine(endpoint).graph_names() == {"urn:g1", "urn:g2", "urn:g3"}
    assert EndpointEngine(endpoint).prepare("ASK {}", ["urn:g1"]) is None


def test_a_server_that_cannot_be_reached_is_an_engine_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(EngineError, match=f"^cannot reach {url}: ") as caught:
        EndpointEngine(url, timeout=5).query("ASK {}")
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_the_prologue_declares_only_the_known_prefixes_a_query_uses_and_lacks() -> None:
    assert with_prologue("ASK {}") == "ASK {}"
    text = (
        "PREFIX kg: <urn:own#>\nSELECT * { ?s kg:x ?o ; schema:name ?n ; rdfs:label ?l ; zz:q ?z }"
    )
    assert with_prologue(text) == (
        f"PREFIX rdfs: <{PREFIXES['rdfs']}>\nPREFIX schema: <{PREFIXES['schema']}>\n{text}"
    )


class CappingProxy(http.server.BaseHTTPRequestHandler):
    """Forwards each query to a real ``oxigraph serve`` and, as Virtuoso's ``ResultSetMaxRows``
    does, cuts an answer of :attr:`cap` rows or more at the cap and says so; keeps each query."""

    target: ClassVar[str] = ""
    cap: ClassVar[int] = 2
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["query"][0]
        self.seen.append(query)
        asked = urllib.request.Request(
            self.target + "?" + urllib.parse.urlencode({"query": query}),
            headers={"Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(asked, timeout=30) as response:
            answer = json.load(response)
        rows = answer["results"]["bindings"]
        cut = len(rows) >= self.cap
        answer["results"]["bindings"] = rows[: self.cap]
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        if cut:
            self.send_header("X-SPARQL-MaxRows", str(self.cap))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.mark.parametrize(
    ("cap", "pages"),
    [(2, ["", "urn:g1", "urn:g2", "urn:g3"]), (3, ["", "urn:g2"]), (4, [])],
)
def test_graphs_past_the_row_cap_are_read_page_by_page_after_the_last_name(
    endpoint: str, cap: int, pages: list[str]
) -> None:
    """Three graphs behind a cap of 2 rows: pages of 1 (an answer of 2 rows reads as cut), each
    after the last name of the one before, until a short page; a cap of 3: pages of 2; a cap of
    4: the first answer is whole, no page."""
    CappingProxy.target, CappingProxy.cap, CappingProxy.seen = endpoint, cap, []
    with running(http.server.ThreadingHTTPServer(("127.0.0.1", 0), CappingProxy)) as proxy:
        engine = EndpointEngine(f"http://127.0.0.1:{proxy.server_address[1]}/sparql")
        assert engine.graph_names() == {"urn:g1", "urn:g2", "urn:g3"}
    first, *paged = CappingProxy.seen
    assert first == "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    size = max(1, cap - 1)
    assert paged == [
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
        + (f"FILTER(STR(?g) > STR(<{after}>)) " if after else "")
        + f"}} ORDER BY (STR(?g)) LIMIT {size}"
        for after in pages
    ]
