"""The statement inventory and the share of the article the evidence quotes (issue 10).

``tests/data/statements.json`` lists every statement of the article — facts, the author's
assessments and causal links, hearsay, reported speech, photo captions, questions — with the
evidence graphs that represent it and what the graph must *say* for it (issue 22): a claim
(``{"claim": CURIE}``: a kg:Claim of the statement's kind whose Chinese words are the
statement's, or contain it) or a triple (``{"triple": [s, p, o]}``; ``o`` a CURIE, a literal
``{"literal", "lang"|"datatype"}``, or ``{"asWritten": …}`` for a value node written so). These
tests fail when a statement loses its evidence graph, when a graph stops quoting it, when no
graph of the statement says it, or when the quoted share of the article falls below 97%.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import replace_in
from rdflib import RDF, Dataset, Literal, URIRef
from rdflib.term import Node

import kg
from kg.data.coverage import (
    KINDS,
    Statement,
    check_inventory,
    evidence_spans,
    gaps,
    inventory_markdown,
    load_inventory,
    quoted_share,
)
from kg.data.namespaces import KG, KGR, SCHEMA
from kg.data.prefixes import NON_EVIDENCE_GRAPHS, PREFIXES, shorten

INVENTORY = Path(__file__).resolve().parent / "data" / "statements.json"
EV = PREFIXES["ev"]


#: The claim types that model each kind of statement.
CLAIM_TYPES = {
    "assessment": {KG.AuthorAssessment},
    "question": {KG.AuthorAssessment},
    "cause": {KG.StatedCause},
    "hearsay": {KG.Hearsay, KG.Rumour, KG.MediaReport, KG.ReportedSpeech},
    "reported-speech": {KG.DirectQuote, KG.ReportedSpeech, KG.ReportedBelief},
}


def expand(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    return URIRef(PREFIXES[prefix] + local)


def says_problems(entry: dict[str, Any], dataset: Dataset) -> list[str]:
    """What a statement's evidence graphs fail to say of what its ``says`` list requires."""
    where = f"statement {entry['id']!r}"
    graphs = [dataset.graph(expand(e)) for e in entry["evidence"]]
    says = entry.get("says", [])
    claims = [item["claim"] for item in says if "claim" in item]
    triples = [item["triple"] for item in says if "triple" in item]
    problems = []
    if entry["kind"] in CLAIM_TYPES and not claims:
        problems.append(f"{where}: a {entry['kind']} must name the claim that says it")
    if entry["kind"] not in CLAIM_TYPES and not triples:
        problems.append(f"{where}: a {entry['kind']} must name a triple that says it")
    for curie in claims:
        claim = expand(curie)
        found = [g for g in graphs if (claim, RDF.type, KG.Claim) in g]
        if not found:
            problems.append(f"{where}: no evidence graph of it holds the claim {curie}")
            continue
        types = {t for g in found for t in g.objects(claim, KG.claimType)}
        if not types & CLAIM_TYPES.get(entry["kind"], set()):
            problems.append(f"{where}: {curie} is not a claim of its kind ({entry['kind']})")
        words = [str(t) for g in found for t in g.objects(claim, SCHEMA.text) if t.language == "zh"]
        if not any(w in entry["text"] or entry["text"] in w for w in words):
            problems.append(f"{where}: the words of {curie} are not the statement's")
    for s, p, o in triples:
        subject, predicate = expand(s), expand(p)
        if any(_says(g, subject, predicate, o) for g in graphs):
            continue
        problems.append(f"{where}: no evidence graph of it says {s} {p} {json.dumps(o)}")
    return problems


def _says(graph: Any, subject: URIRef, predicate: URIRef, obj: Any) -> bool:
    if isinstance(obj, str):
        return (subject, predicate, expand(obj)) in graph
    if "asWritten" in obj:
        written = Literal(obj["asWritten"])
        return any((v, KG.asWritten, written) in graph for v in graph.objects(subject, predicate))
    datatype = expand(obj["datatype"]) if "datatype" in obj else None
    literal: Node = Literal(obj["literal"], lang=obj.get("lang"), datatype=datatype)
    return (subject, predicate, literal) in graph


def non_empty_graphs(graph: kg.KnowledgeGraph) -> set[str]:
    return {
        shorten(str(g.identifier))
        for g in graph.dataset.graphs()
        if isinstance(g.identifier, URIRef)
        and str(g.identifier) not in NON_EVIDENCE_GRAPHS
        and len(g) > 0
    }


@pytest.fixture(scope="module")
def article(source_path: Path) -> str:
    return source_path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def statements() -> list[Statement]:
    return load_inventory(INVENTORY)


@pytest.fixture(scope="module")
def entries() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(INVENTORY.read_text("utf-8"))["statements"]
    return entries


def test_quoted_share_and_gaps_count_non_space_code_points() -> None:
    assert quoted_share("甲乙 丙丁", [(0, 2)]) == 0.5
    assert quoted_share("甲乙\n丙丁", [(0, 5)]) == 1.0
    assert gaps("甲乙。\n丙丁", [(0, 2), (4, 6)]) == [(2, 3, "。")]


def test_at_least_97_percent_of_the_article_is_quoted(
    graph: kg.KnowledgeGraph, article: str
) -> None:
    spans = [(s, e) for s, e, _ in evidence_spans(graph.dataset).values()]
    share = quoted_share(article, spans)
    assert share >= 0.97, [g for g in gaps(article, spans) if len(g[2]) >= 3]
    # No passage of six or more characters sits outside every quote.
    assert [g for g in gaps(article, spans) if len(g[2]) >= 6] == []


def test_kg_stats_reports_the_quoted_share(graph: kg.KnowledgeGraph, source_path: Path) -> None:
    stats = graph.stats()
    assert stats.quoted_share is not None and stats.quoted_share >= 0.97
    assert f"{stats.quoted_share:.1%} of its non-space text" in stats.as_text()
    assert stats.as_dict()["quoted_share"] == stats.quoted_share


def test_every_statement_is_mapped_to_evidence_that_quotes_it(
    graph: kg.KnowledgeGraph, article: str, statements: list[Statement]
) -> None:
    assert len(statements) >= 100
    assert {s.kind for s in statements} == KINDS
    spans = evidence_spans(graph.dataset)
    assert check_inventory(statements, article, spans, non_empty_graphs(graph)) == []


def test_the_inventory_covers_the_article(article: str, statements: list[Statement]) -> None:
    """Every sentence of the article is somewhere in the inventory."""
    spans = [(article.index(s.text), article.index(s.text) + len(s.text)) for s in statements]
    assert quoted_share(article, spans) >= 0.95
    assert [g for g in gaps(article, spans) if len(g[2]) >= 6] == []


def test_each_kind_of_statement_is_modelled_as_its_kind(
    graph: kg.KnowledgeGraph, statements: list[Statement]
) -> None:
    dataset = graph.dataset
    expected = CLAIM_TYPES
    for statement in statements:
        graphs = [dataset.graph(URIRef(EV + e.removeprefix("ev:"))) for e in statement.evidence]
        if statement.kind == "caption":
            assert any(any(g.subjects(RDF.type, KG.Photo)) for g in graphs), statement.id
            continue
        if statement.kind not in expected:
            continue
        types = {
            t
            for g in graphs
            for c in g.subjects(RDF.type, KG.Claim)
            for t in g.objects(c, KG.claimType)
        }
        assert types & expected[statement.kind], (statement.id, types)
        if statement.kind in {"assessment", "cause", "question"}:
            claimants = {o for g in graphs for o in g.objects(None, KG.claimant)}
            assert KGR.ErLing in claimants, statement.id


def test_every_statement_is_said_by_its_own_triple_or_claim(
    graph: kg.KnowledgeGraph, entries: list[dict[str, Any]]
) -> None:
    """A statement passes only when one of its evidence graphs says it (issue 22)."""
    assert [p for entry in entries for p in says_problems(entry, graph.dataset)] == []
    claims = {item["claim"] for entry in entries for item in entry["says"] if "claim" in item}
    # Every claim by the author is some statement's own claim.
    authors = {shorten(str(c)) for c in graph.dataset.subjects(KG.claimant, KGR.ErLing)}
    assert authors <= claims, authors - claims


def test_a_statement_the_graph_no_longer_says_fails(
    data_copy: Path, entries: list[dict[str, Any]]
) -> None:
    replace_in(data_copy / "triples" / "funding.trig", "        kg:followOn true ;\n", "")
    replace_in(
        data_copy / "triples" / "business.trig",
        "kg:claimType kg:StatedCause ;\n        kg:certainty kg:OnRecord ;\n"
        "        kg:statedCause kgr:Situation-SlowerModelIteration",
        "kg:claimType kg:AuthorAssessment ;\n        kg:certainty kg:OnRecord ;\n"
        "        kg:statedCause kgr:Situation-SlowerModelIteration",
    )
    broken = kg.load(data_copy)
    assert [p for entry in entries for p in says_problems(entry, broken.dataset)] == [
        "statement 'funding-april': no evidence graph of it says kgr:Funding-2025-04-Beijing "
        'kg:followOn {"literal": "true", "datatype": "xsd:boolean"}',
        "statement 'technology-lag': kgr:Cause-Lag-Doubts is not a claim of its kind (cause)",
    ]


def test_author_claims_quote_their_words(graph: kg.KnowledgeGraph) -> None:
    dataset = graph.dataset
    spans = evidence_spans(dataset)
    claims = 0
    for g in dataset.graphs():
        for claim in g.subjects(KG.claimant, KGR.ErLing):
            claims += 1
            words = [str(t) for t in g.objects(claim, SCHEMA.text) if t.language == "zh"]
            assert words and words[0] in spans[shorten(str(g.identifier))][2], claim
    assert claims >= 30


def test_a_statement_that_loses_its_evidence_graph_fails(
    data_copy: Path, article: str, statements: list[Statement]
) -> None:
    path = data_copy / "triples" / "argument.trig"
    text = path.read_text(encoding="utf-8")
    start = text.index("ev:pipe-dream {")
    end = text.index("}\n", start) + 2
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    broken = kg.load(data_copy)
    problems = check_inventory(
        statements, article, evidence_spans(broken.dataset), non_empty_graphs(broken)
    )
    assert problems == ["statement 'pipe-dream': ev:pipe-dream holds no triples"]


def test_a_graph_that_stops_quoting_its_statement_fails(
    data_copy: Path, article: str, statements: list[Statement]
) -> None:
    replace_in(
        data_copy / "triples" / "argument.trig",
        'oa:exact "当时智谱刚完成过亿元的A轮融资,如此条件去对标全球顶级选手,近乎是痴人说梦" ] ,\n'
        "            [ a oa:TextPositionSelector ; oa:start 1035 ; oa:end 1072 ]",
        'oa:exact "当时智谱刚完成过亿元的A轮融资" ] ,\n'
        "            [ a oa:TextPositionSelector ; oa:start 1035 ; oa:end 1050 ]",
    )
    broken = kg.load(data_copy)
    problems = check_inventory(
        statements, article, evidence_spans(broken.dataset), non_empty_graphs(broken)
    )
    assert problems == ["statement 'pipe-dream': the quote of ev:pipe-dream does not overlap it"]


def test_malformed_inventory_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "statements.json"
    bad.write_text('{"statements": [{"id": "x", "kind": "fact", "text": "甲"}]}', encoding="utf-8")
    with pytest.raises(ValueError, match="statement 1 lacks 'evidence'"):
        load_inventory(bad)


def test_docs_coverage_is_generated_from_the_inventory(
    statements: list[Statement], article: str
) -> None:
    """docs/coverage.md, the readable inventory, stays in step with the machine-readable one."""
    doc = (Path(__file__).resolve().parent.parent / "docs" / "coverage.md").read_text("utf-8")
    assert doc == inventory_markdown(statements, article)
    for statement in statements:
        assert f"| `{statement.id}` | {statement.kind} |" in doc
