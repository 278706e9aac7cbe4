"""The ontology page: ``kg docs -o DIR`` and ``/ontology`` document every declared term."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import replace_in
from kg_server import RunningServer
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.data.paths import data_dir

KG_NS = "https://w3id.org/zhipu-kg/ontology#"
DECLARATIONS = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
)


def declared_terms(ontology: Path) -> set[str]:
    """The local names of every kg: class and property ontology.ttl declares, read here."""
    graph = Graph().parse(ontology, format="turtle")
    return {
        str(s)[len(KG_NS) :]
        for kind in DECLARATIONS
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(KG_NS)
    }


def sections(page: str) -> dict[str, str]:
    """Each term section of the page by its anchor."""
    return dict(re.findall(r'<section class="term \w+" id="([^"]+)">(.*?)</section>', page, re.S))


def kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=120
    )


def test_kg_docs_writes_every_declared_term_with_labels_uses_and_an_example(tmp_path: Path) -> None:
    done = kg("docs", "-o", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "site" / "ontology.css").is_file()
    found = sections(page)
    terms = declared_terms(data_dir(None).ontology)
    assert set(found) == terms
    ontology = Graph().parse(data_dir(None).ontology, format="turtle")
    company = found["Company"]
    for label in ontology.objects(URIRef(KG_NS + "Company"), RDFS.label):
        assert str(label) in company
    for comment in ontology.objects(URIRef(KG_NS + "Company"), RDFS.comment):
        assert str(comment) in company
    assert 'href="#Organization"' in company  # the super-class links to its anchor
    assert re.search(r'class="uses">[1-9]', company)
    assert "rdf:type" in company
    investor = found["investor"]
    assert "定义域 · Domain" in investor or "值域 · Range" in investor
    assert "<blockquote>" in investor  # an example with its quote


def test_markup_in_the_ontology_is_escaped(data_copy: Path, tmp_path: Path) -> None:
    ontology = data_copy / "ontology.ttl"
    replace_in(ontology, '"A for-profit business."@en', '"<script>alert(1)</script>"@en')
    done = kg("--data", str(data_copy), "docs", "-o", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_served_ontology_lists_every_declared_term(server: RunningServer) -> None:
    connection = server.connection()
    connection.request("GET", "/ontology")
    response = connection.getresponse()
    page = response.read().decode("utf-8")
    assert response.status == 200
    assert response.getheader("Content-Type", "").startswith("text/html")
    assert set(sections(page)) == declared_terms(data_dir(None).ontology)
    assert 'href="/static/ontology.css"' in page
    connection.request("GET", "/static/ontology.css")
    assert connection.getresponse().status == 200
