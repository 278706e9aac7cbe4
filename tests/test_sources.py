"""Sources and drafts: ``kg sources [add]``, ``kg draft``, drafts left out by default."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

import kg
from kg.data.sources import read_article
from kg.draft import make_draft
from kg.draft.reading import find_dates, sentences
from kg.errors import InvalidValue, NotFound


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "KG_SOURCE"}  # only the texts given
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=120, env=env
    )


def test_sources_lists_the_article_with_its_evidence_count() -> None:
    result = run("sources")
    assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()[1:]]
    (row,) = [r for r in rows if r[0] == "kgr:SourceArticle"]
    assert int(row[1]) >= 70 and row[2] == "0"
    # the public reports are sources too: cited, with their date and no fingerprint
    infoq = [r for r in rows if r[0] == "kgr:Report-infoq-20260108"]
    assert infoq and infoq[0][1] == "4" and "2026-01-08" in infoq[0]


def test_every_evidence_graph_names_a_described_source(graph: kg.KnowledgeGraph) -> None:
    answer = graph.query(
        """ASK { GRAPH kgg:provenance { ?g a kg:Evidence . FILTER NOT EXISTS {
          ?g prov:wasDerivedFrom/oa:hasSource ?s .
          VALUES ?kind { kg:SourceArticle kg:PublicReport } ?s a ?kind } } }"""
    )
    assert answer.askAnswer is False


def test_sources_add_records_fingerprint_and_refuses_a_second_time(
    data_copy: Path, tmp_path: Path
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("智谱在2025年6月又获得10亿元融资。\n", encoding="utf-8")
    added = run("--data", str(data_copy), "sources", "add", str(article), "--title", "测试",
                "--date", "2025-06")  # fmt: skip
    assert added.returncode == 0, added.stderr
    sha = hashlib.sha256(article.read_bytes()).hexdigest()
    written = data_copy / "triples" / "sources" / f"Source-{sha[:12]}.trig"
    text = written.read_text(encoding="utf-8")
    assert sha in text and '"2025-06"^^xsd:gYearMonth' in text and "kg:characterCount 21" in text
    assert "智谱在" not in text  # nothing of the article is copied
    again = run("--data", str(data_copy), "sources", "add", str(article), "--title", "x")
    assert again.returncode == 2 and "already recorded" in again.stderr
    listed = run("--data", str(data_copy), "sources")
    assert f"kgr:Source-{sha[:12]}\t0\t0\t21\t2025-06" in listed.stdout
    valid = run("--data", str(data_copy), "validate")
    assert valid.returncode == 0, valid.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x00\x01PNG", "binary"), ("智谱".encode("gb18030"), "not UTF-8")],
)
def test_bad_articles_are_refused_and_nothing_is_written(
    tmp_path: Path, content: bytes, message: str
) -> None:
    article = tmp_path / "bad.txt"
    article.write_bytes(content)
    out = tmp_path / "out.trig"
    result = run("draft", str(article), "-o", str(out))
    assert result.returncode == 2 and message in result.stderr and not out.exists()
    with pytest.raises(InvalidValue, match=re.escape(message)):
        read_article(article)


def test_missing_article_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        read_article(tmp_path / "nope.txt")
    result = run("draft", str(tmp_path / "nope.txt"))
    assert result.returncode == 2 and "no such file" in result.stderr


def test_sentences_keep_exact_offsets() -> None:
    text = "  智谱说:“好。”\n Zhipu grew. 估值400亿元!"
    found = list(sentences(text))
    assert [s.text for s in found] == ["智谱说:“好。”", "Zhipu grew.", "估值400亿元!"]
    assert all(text[s.start : s.end] == s.text for s in found)


def test_relative_dates_use_the_source_date() -> None:
    assert [(d.value, d.datatype) for d in find_dates("今年3月与2024年", 2025)] == [
        ("2025-03", "gYearMonth"),
        ("2024", "gYear"),
    ]
    assert find_dates("今年", None)[0].value is None


def _draft(graph: kg.KnowledgeGraph, text: str) -> rdflib.Dataset:
    sha = hashlib.sha256(text.encode()).hexdigest()
    result = make_draft(graph.dataset, text, sha, date="2025-07")
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(data=result.document, format="trig")
    return dataset


def test_draft_proposes_facts_with_known_and_new_names(graph: kg.KnowledgeGraph) -> None:
    text = "今年5月,智谱获得杭州城投集团15亿元投资,张小明任董事。\n无关的一句话。"
    dataset = _draft(graph, text)
    answer = dataset.query(
        """PREFIX kg: <https://w3id.org/zhipu-kg/ontology#> PREFIX schema: <https://schema.org/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?iri ?investor ?value ?date WHERE {
          GRAPH ?g { ?f a kg:FundingEvent ; kg:investee ?iri ; kg:investor ?new ;
                        kg:amount/schema:value ?value ; kg:date ?date }
          GRAPH ?c { ?new rdfs:label ?investor ; kg:status kg:Draft } }"""
    )
    rows = {(str(r[0]).rsplit("/", 1)[-1], str(r[1]), float(r[2]), str(r[3])) for r in answer}  # type: ignore[index]
    assert rows == {("Zhipu", "杭州城投集团", 1.5e9, "2025-05")}
    # provenance, one proposal, the proposed entities, and the default graph
    assert len(set(dataset.contexts())) == 4


def test_drafts_are_left_out_unless_asked_for(data_copy: Path, source_path: Path) -> None:
    drafts = data_copy / "triples" / "drafts"
    drafts.mkdir()
    result = run("--data", str(data_copy), "draft", str(source_path), "-o", str(drafts / "s.trig"))
    assert result.returncode == 0, result.stderr
    assert "draft:" in result.stderr
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH kgg:provenance { ?g kg:status kg:Draft } }"
    assert kg.load(data_copy).query(count).rows[0][0].value == "0"
    with_drafts = kg.load(data_copy, include_drafts=True).query(count).rows[0][0].value
    assert int(with_drafts) > 10
    cli = run("--data", str(data_copy), "--include-drafts", "sources")
    (article,) = [line for line in cli.stdout.splitlines() if line.startswith("kgr:SourceArticle")]
    assert "\t0\t" not in article
    valid = run("--data", str(data_copy), "validate", "--source", str(source_path))
    assert valid.returncode == 0 and "draft quotes" in valid.stdout, valid.stdout
    shutil.move(drafts / "s.trig", data_copy / "triples" / "s.trig")
    moved = run("--data", str(data_copy), "validate", "--source", str(source_path))
    assert moved.returncode == 1 and "move it to triples/drafts/" in moved.stdout


def test_validate_sources_names_a_missing_source_as_skipped(
    data_copy: Path, tmp_path: Path, source_path: Path
) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    result = run("--data", str(data_copy), "validate", "--sources", str(texts))
    assert result.returncode == 0, result.stdout
    assert "skipped: source kgr:SourceArticle (73 quote(s)): no file with SHA-256" in result.stdout
    shutil.copy(source_path, texts / "any-name.txt")
    (texts / "other.txt").write_text("unrelated", encoding="utf-8")
    result = run("--data", str(data_copy), "validate", "--sources", str(texts))
    assert result.returncode == 0 and "skipped" not in result.stdout, result.stdout
    assert "73 quotes" in result.stdout


def test_draft_of_the_seed_meets_the_benchmark_goals(source_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import bench_draft

    result = bench_draft.score_seed(source_path)
    assert result["quotes"] == 1.0
    assert result["amounts"] >= 0.95 and result["entities"] >= 0.90, result


@pytest.mark.parametrize("flag", [False, True])
def test_server_answers_with_drafts_only_when_asked(
    data_copy: Path, source_path: Path, tmp_path: Path, flag: bool
) -> None:
    from urllib.parse import quote

    from kg_server import start

    drafts = data_copy / "triples" / "drafts"
    drafts.mkdir()
    result = run("--data", str(data_copy), "draft", str(source_path), "-o", str(drafts / "s.trig"))
    assert result.returncode == 0, result.stderr
    ask = "ASK { GRAPH kgg:provenance { ?g kg:status kg:Draft } }"
    server = start(["--include-drafts"] if flag else [], tmp_path / "log", data=data_copy)
    try:
        connection = server.connection()
        connection.request(
            "GET",
            "/sparql?query=" + quote(ask),
            headers={"Accept": "application/sparql-results+json"},
        )
        response = connection.getresponse()
        assert response.status == 200
        assert (b'"boolean":true' in response.read().replace(b" ", b"")) is flag
    finally:
        server.stop()
