"""The whole workflow with a second source of our own (tests/data/second_source_fixture.txt).

The fixture is an invented text, marked as such in its first line: it restates the March 2025
funding (18亿元), contradicts the Beijing top-up of April 2025 (3亿元 where the article says 2亿)
and names one entity the graph does not know (南湖智算基金). The test records it as a source,
drafts it, curates the draft into a scratch copy of the data, validates every quote against its
own source, and asks the corroboration and conflict queries.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from test_named_queries import CATALOGUE, examples_for, expected, normalise, run_named

import kg
from kg.data.namespaces import KG, OA, PROV, PROVENANCE_GRAPH
from kg.draft.reading import sentences

FIXTURE = Path(__file__).resolve().parent / "data" / "second_source_fixture.txt"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=120
    )


def _draft_quotes(draft: Path) -> dict[str, tuple[str, int, int, str]]:
    """The draft's sentences by a key word: (quote, start, end, source IRI).

    The sentence of 南湖智算基金 (an intention, reported) proposes no fact: the curator quotes
    it from the text itself, at its offsets.
    """
    dataset = rdflib.Dataset()
    dataset.parse(draft, format="trig")
    prov = dataset.graph(PROVENANCE_GRAPH)
    found = {}
    text = FIXTURE.read_text(encoding="utf-8")
    for s in sentences(text):
        if "南湖智算基金" in s.text:
            source = str(next(iter(prov.objects(None, OA.hasSource))))
            found["南湖智算基金"] = (s.text, s.start, s.end, source)
    for g in prov.subjects(KG.status, KG.Draft):
        resource = prov.value(g, PROV.wasDerivedFrom)
        source = str(prov.value(resource, OA.hasSource))
        exact = start = end = None
        for selector in prov.objects(resource, OA.hasSelector):
            exact = exact or prov.value(selector, OA.exact)
            start = start if start is not None else prov.value(selector, OA.start)
            end = end if end is not None else prov.value(selector, OA.end)
        for key in ("18亿元", "3亿元", "南湖智算基金"):
            if key in str(exact):
                found[key] = (str(exact), int(start), int(end), source)  # type: ignore[arg-type]
    return found


def _curate(quotes: dict[str, tuple[str, int, int, str]]) -> str:
    """What a curator makes of the draft: the facts each quote states, nothing more."""
    source = quotes["18亿元"][3]

    def provenance(graph: str, key: str) -> str:
        exact, start, end, _ = quotes[key]
        return (
            f"    ev:{graph} a kg:Evidence ; prov:wasDerivedFrom [ a oa:SpecificResource ;\n"
            f"        oa:hasSource <{source}> ;\n"
            f'        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "{exact}" ] ,\n'
            f"            [ a oa:TextPositionSelector ; oa:start {start} ; oa:end {end} ] ] .\n"
        )

    return f"""@prefix kg: <https://w3id.org/zhipu-kg/ontology#> .
@prefix kgr: <https://w3id.org/zhipu-kg/resource/> .
@prefix ev: <https://w3id.org/zhipu-kg/evidence/> .
@prefix kgg: <https://w3id.org/zhipu-kg/graph/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .

kgg:provenance {{
{provenance("s2-funding-2025-03", "18亿元")}{provenance("s2-beijing", "3亿元")}\
{provenance("s2-nanhu", "南湖智算基金")}}}

ev:s2-funding-2025-03 {{
    kgr:Funding-2025-03 kg:date "2025-03"^^xsd:gYearMonth ;
        kg:amount [ a schema:MonetaryAmount ; schema:value 1800000000.0 ; schema:currency "CNY" ;
            kg:asWritten "18亿元" ; kg:isApproximate false ] .
}}

ev:s2-beijing {{
    kgr:Funding-2025-04-Beijing kg:date "2025-04"^^xsd:gYearMonth ;
        kg:amount [ a schema:MonetaryAmount ; schema:value 300000000.0 ; schema:currency "CNY" ;
            kg:asWritten "3亿元" ; kg:isApproximate false ] .
}}

ev:s2-nanhu {{
    kgr:NanhuFund a kg:GovernmentFund .
}}

kgg:curation {{
    kgr:NanhuFund rdfs:label "南湖智算基金"@zh , "Nanhu Computing Fund (test fixture)"@en .
}}
"""


@pytest.fixture
def texts(tmp_path: Path, source_path: Path) -> Path:
    folder = tmp_path / "texts"
    folder.mkdir()
    shutil.copy(source_path, folder / "seed.txt")
    shutil.copy(FIXTURE, folder / "second.txt")
    return folder


def test_second_source_workflow(data_copy: Path, texts: Path) -> None:
    data = ["--data", str(data_copy)]
    added = run(*data, "sources", "add", str(FIXTURE), "--title", "测试夹具:智谱融资短文",
                "--title-en", "Test fixture", "--date", "2025-06")  # fmt: skip
    assert added.returncode == 0, added.stderr
    drafts = data_copy / "triples" / "drafts"
    drafts.mkdir()
    draft = drafts / "second.trig"
    drafted = run(*data, "draft", str(FIXTURE), "-o", str(draft))
    assert drafted.returncode == 0, drafted.stderr
    text = draft.read_text(encoding="utf-8")
    assert 'rdfs:label "南湖智算基金"@zh' in text  # proposed as a new entity
    assert "schema:value 300000000.0" in text and "schema:value 1800000000.0" in text
    assert "kg:investor <https://w3id.org/zhipu-kg/resource/BeijingAIFund>" in text
    assert "kg:investee <https://w3id.org/zhipu-kg/resource/Zhipu>" in text
    assert 'kg:date "2025-04"^^xsd:gYearMonth' in text

    quotes = _draft_quotes(draft)
    assert set(quotes) == {"18亿元", "3亿元", "南湖智算基金"}
    (data_copy / "triples" / "second-source.trig").write_text(_curate(quotes), encoding="utf-8")

    valid = run(*data, "validate", "--sources", str(texts))
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert "skipped" not in valid.stdout and "76 quotes" in valid.stdout, valid.stdout
    (texts / "second.txt").unlink()
    partial = run(*data, "validate", "--sources", str(texts))
    assert "skipped: source kgr:Source-" in partial.stdout and "(3 quote(s))" in partial.stdout

    listed = run(*data, "sources").stdout
    assert "\t3\t0\t" in listed and "\t73\t0\t" in listed

    graph = kg.load(data_copy)
    corroborated = normalise(
        run_named(graph, CATALOGUE["corroborated_facts"], {"subject": "kgr:Funding-2025-03"})
    )
    # the article, the fixture, and a later public report (udn.com, cited) give the same figure
    assert corroborated["rows"] == [
        ["kgr:Funding-2025-03", "kg:amount", '"1800000000"^^xsd:decimal', 3, 3],
        ["kgr:Funding-2025-03", "kg:date", '"2025-03"^^xsd:gYearMonth', 3, 3],
        ["kgr:Funding-2025-03", "kg:investee", "kgr:Zhipu", 2, 2],
        ["kgr:Funding-2025-03", "kg:investor", "kgr:Chengdu-StatePlatform", 2, 2],
        ["kgr:Funding-2025-03", "kg:investor", "kgr:Hangzhou-StatePlatform", 2, 2],
        ["kgr:Funding-2025-03", "kg:investor", "kgr:Zhuhai-StatePlatform", 2, 2],
    ]
    single = normalise(
        run_named(graph, CATALOGUE["single_source_facts"], {"subject": "kgr:NanhuFund"})
    )
    assert [r[:2] for r in single["rows"]] == [["kgr:NanhuFund", "rdf:type"]]
    conflicts = normalise(run_named(graph, CATALOGUE["conflicting_facts"], {}))["rows"]
    beijing = [row for row in conflicts if row[0] == "kgr:Funding-2025-04-Beijing"]
    assert len(beijing) == 1, conflicts
    _, prop, value1, source1, published1, quote1, value2, _, published2, quote2 = beijing[0]
    assert prop == "kg:amount" and (value1, value2) == ('"3亿元"', '"2亿"')
    assert "追加投资3亿元" in quote1 and "2亿追加投资" in quote2
    # the fixture (kgr:Source-…) sorts before kgr:SourceArticle; the article has no date line
    assert source1.startswith("kgr:Source-") and published1 == '"2025-06"^^xsd:gYearMonth'
    assert published2 is None

    projection = graph.to_networkx()
    sources = {
        q.get("source")
        for _, _, attrs in projection.edges(data=True)
        if attrs.get("fact", "").endswith("Funding-2025-03")
        for q in attrs.get("evidence", [])
    }
    # the article, the fixture, and the public report that cites the same round
    assert len(sources - {None}) == 3 and "kgr:Report-udn-20250819" in sources, sources


def test_named_queries_are_unchanged_by_drafts(data_copy: Path, source_path: Path) -> None:
    drafts = data_copy / "triples" / "drafts"
    drafts.mkdir()
    drafted = run("--data", str(data_copy), "draft", str(source_path), "-o", str(drafts / "s.trig"))
    assert drafted.returncode == 0, drafted.stderr
    graph = kg.load(data_copy, engine="memory")
    for name in sorted(CATALOGUE):
        for params in examples_for(name):
            got = normalise(run_named(graph, CATALOGUE[name], params))
            assert got == expected(name, params), f"{name} {params} changed with drafts present"
