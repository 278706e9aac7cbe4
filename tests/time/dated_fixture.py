"""The time tests' fixture: a copy of the data folder plus one dated public report.

The report (``triples/sources/Report-test.trig``) is written in the shape of contract 3 (a
``kg:PublicReport`` with its dates; one cited evidence graph; the curation of the entity it
introduces). Its facts are test fixtures, not claims about the world: they live only here.
Each test module wraps :func:`make_dated_data` in a ``dated_data`` fixture (no conftest.py
here: a second module named ``conftest`` would shadow the suite's own for tests that import it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

REPORT = """\
# A test fixture in the shape of a cited public report: not real data.
@prefix kg: <https://w3id.org/zhipu-kg/ontology#> .
@prefix kgr: <https://w3id.org/zhipu-kg/resource/> .
@prefix ev: <https://w3id.org/zhipu-kg/evidence/> .
@prefix kgg: <https://w3id.org/zhipu-kg/graph/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .

kgg:provenance {
    kgr:Report-test a kg:PublicReport ;
        schema:url <https://example.org/report-test> ;
        kg:publisherName "Test Wire" ;
        kg:title "Test report on a listing" ;
        kg:datePublished "2026-01"^^xsd:gYearMonth ;
        kg:dateRetrieved "2026-02-01"^^xsd:date .
    ev:report-test-listing a kg:Evidence ;
        prov:wasDerivedFrom [ a kg:Citation ; oa:hasSource kgr:Report-test ;
            kg:locator "first paragraph"@en ] .
}

ev:report-test-listing {
    kgr:Zhipu-Listing-test a kg:Listing ;
        kg:organization kgr:Zhipu ;
        kg:targetMarket kgr:TestExchange ;
        kg:status kg:Completed ;
        kg:date "2026-01"^^xsd:gYearMonth ;
        kg:supersedes kgr:Zhipu-IPOPlan .
    kgr:Zhipu-Valuation-test a kg:Valuation ;
        kg:observedEntity kgr:Zhipu ;
        kg:supersedes kgr:Zhipu-Valuation-2025 .
}

kgg:curation {
    kgr:Report-test rdfs:label "测试报道"@zh , "Test report"@en .
    kgr:Zhipu-Listing-test rdfs:label "测试上市"@zh , "Test listing"@en .
    kgr:Zhipu-Valuation-test rdfs:label "测试估值"@zh , "Test valuation"@en .
    kgr:TestExchange a kg:StockMarket ;
        rdfs:label "测试交易所"@zh , "Test exchange"@en .
}
"""


def copy_data(root: Path) -> Path:
    """A writable copy of the shipped data folder at ``root``."""
    root.mkdir()
    for name in ("ontology.ttl", "shapes.ttl"):
        shutil.copy(ROOT / name, root / name)
    for folder in ("triples", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


def make_dated_data(tmp_path: Path) -> Path:
    """The data folder with the fixture report added under ``triples/sources/``."""
    root = copy_data(tmp_path / "data")
    (root / "triples" / "sources").mkdir(exist_ok=True)
    (root / "triples" / "sources" / "Report-test.trig").write_text(REPORT, encoding="utf-8")
    return root
