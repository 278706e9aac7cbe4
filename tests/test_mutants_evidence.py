"""The evidence rules on small TriG written as the data writes it, read by rdflib's parser.

Each case is one evidence graph of a short news text (written for the test, the way outlets
write); the checks of :mod:`kg.validate.evidence` are run on it as ``kg validate`` runs them.
Written to kill the mutants the other tests let live (``benchmarks/mutation.py evidence``; see
docs/mutation.md).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef

from kg.data.prefixes import PREFIXES
from kg.data.source import SourceText
from kg.validate.evidence import (
    Quote,
    check_claim_words,
    check_quotes,
    check_source,
    cited_graphs,
    evidence_quotes,
)
from kg.validate.report import Problem

EV = PREFIXES["ev"]
TEXT = "36氪获悉,智谱今日宣布完成新一轮融资。智谱表示,资金将用于模型研发。"
HEADER = """
@prefix kg: <https://w3id.org/zhipu-kg/ontology#> .
@prefix kgr: <https://w3id.org/zhipu-kg/resource/> .
@prefix ev: <https://w3id.org/zhipu-kg/evidence/> .
@prefix kgg: <https://w3id.org/zhipu-kg/graph/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def article(text: str = TEXT) -> SourceText:
    data = text.encode("utf-8")
    return SourceText(Path("news.txt"), text, hashlib.sha256(data).hexdigest())


def dataset(provenance: str, *graphs: str) -> Dataset:
    data = Dataset()
    trig = HEADER + "kgg:provenance {\n" + provenance + "\n}\n" + "\n".join(graphs)
    data.parse(data=trig, format="trig")
    return data


def quoted(name: str, exact: str, start: object, end: object, prefix: str | None = None) -> str:
    more = f' ; oa:prefix "{prefix}"' if prefix is not None else ""
    return (
        f"ev:{name} a kg:Evidence ; prov:wasDerivedFrom [ a oa:SpecificResource ;"
        f' oa:hasSource kgr:News ; oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "{exact}"'
        f"{more} ] , [ a oa:TextPositionSelector ; oa:start {start} ; oa:end {end} ] ] ."
    )


def test_quotes_are_read_with_their_prefix_and_offsets() -> None:
    start = TEXT.index("完成新一轮融资")
    data = dataset(
        quoted("funding", "完成新一轮融资", start, start + 7, prefix="今日宣布")
        + "\n"
        + quoted("plain", "智谱表示", TEXT.index("智谱表示"), TEXT.index("智谱表示") + 4)
    )
    found = dict(evidence_quotes(data))
    assert found == {
        URIRef(EV + "funding"): Quote("完成新一轮融资", "今日宣布", start, start + 7),
        URIRef(EV + "plain"): Quote("智谱表示", None, 20, 24),
    }
    assert check_quotes(found, article()) == []


def test_offsets_that_are_not_integers_are_read_as_missing() -> None:
    data = dataset(quoted("odd", "智谱表示", '"x"', '"y"^^xsd:integer'))
    assert dict(evidence_quotes(data)) == {URIRef(EV + "odd"): Quote("智谱表示", None, None, None)}


CITED = "ev:cited a kg:Evidence ; prov:wasDerivedFrom [ a kg:Citation ; oa:hasSource kgr:Report ] ."


def test_an_evidence_without_a_quote_or_typed_otherwise_is_left_out() -> None:
    data = dataset(
        "\n".join(
            [
                CITED,
                "ev:untyped prov:wasDerivedFrom [ oa:hasSelector [ a oa:TextQuoteSelector ;"
                ' oa:exact "智谱" ] ] .',
                "_:b a kg:Evidence ; prov:wasDerivedFrom [ oa:hasSelector"
                ' [ a oa:TextQuoteSelector ; oa:exact "智谱" ] ] .',
                "ev:position a kg:Evidence ; prov:wasDerivedFrom [ oa:hasSelector"
                " [ a oa:TextPositionSelector ; oa:start 0 ; oa:end 2 ] ] .",
            ]
        )
    )
    assert dict(evidence_quotes(data)) == {}


def test_cited_graphs_name_their_report() -> None:
    data = dataset(
        CITED
        + '\nev:loose a kg:Evidence ; prov:wasDerivedFrom [ a kg:Citation ; oa:hasSource "r" ] .\n'
        + "_:b a kg:Evidence ; prov:wasDerivedFrom [ a kg:Citation ; oa:hasSource kgr:R ] .\n"
        + quoted("quoted", "智谱表示", 20, 24)
    )
    assert cited_graphs(data) == {
        URIRef(EV + "cited"): URIRef(PREFIXES["kgr"] + "Report"),
        URIRef(EV + "loose"): None,
    }


def test_a_quote_that_drifted_is_told_where_it_is() -> None:
    quotes = {URIRef(EV + "drift"): Quote("智谱表示", None, 19, 23)}
    assert check_quotes(quotes, article()) == [
        Problem(
            "quote",
            "ev:drift",
            "oa:exact is not the source text at 19–23 (found '。智谱表'); the quote is at 20–24",
        )
    ]


def test_a_quote_without_offsets_or_absent_says_why() -> None:
    quotes = {
        URIRef(EV + "b-none"): Quote("智谱表示", None, None, None),
        URIRef(EV + "a-absent"): Quote("百川表示", None, 0, 4),
        URIRef(EV + "c-twice"): Quote("智谱", None, 0, 2),
    }
    problems = check_quotes(quotes, article())
    assert [(p.resource, p.message) for p in problems] == [
        (
            "ev:a-absent",
            "oa:exact is not the source text at 0–4 (found '36氪获'); "
            "quote not found in the source: '百川表示'",
        ),
        (
            "ev:b-none",
            "oa:exact is not the source text at None–None (found None); the quote is at 20–24",
        ),
        (
            "ev:c-twice",
            "oa:exact is not the source text at 0–2 (found '36'); "
            "quote occurs 2 times (at [6, 20]); add an oa:prefix: '智谱'",
        ),
    ]


def test_a_prefix_picks_the_occurrence() -> None:
    quotes = {URIRef(EV + "second"): Quote("智谱", "。", 0, 2)}
    (problem,) = check_quotes(quotes, article())
    assert problem.message.endswith("; the quote is at 20–22")


def test_the_source_fingerprint_must_be_recorded() -> None:
    text = article()
    # The source's description sits outside the evidence graphs: in the default graph here.
    recorded = dataset("", f'kgr:News kg:sha256 "{text.sha256}" .')
    assert check_source(recorded, text) == []
    other = dataset("", 'kgr:News kg:sha256 "11aa" . kgr:Old kg:sha256 "00ff" .')
    assert check_source(other, text) == [
        Problem(
            "source",
            "news.txt",
            f"SHA-256 {text.sha256} does not match the recorded ['00ff', '11aa']",
        )
    ]
    assert check_source(dataset("", "kgr:News kg:title 'x' ."), text) == [
        Problem("source", "news.txt", f"SHA-256 {text.sha256} does not match the recorded none")
    ]


@pytest.mark.parametrize(
    ("words", "problems"),
    [
        ('"资金将用于模型研发"@zh', []),
        ('"资金将用于芯片研发"@zh', ["its words '资金将用于芯片研发' are not in its quote"]),
        ('"funds go to model research"@en', []),
        ('"资金将用于芯片研发"', []),
    ],
)
def test_a_claims_chinese_words_are_in_its_quote(words: str, problems: list[str]) -> None:
    graph = f"ev:said {{ kgr:Claim1 a kg:Claim ; schema:text {words} . }}"
    data = dataset(quoted("said", "资金将用于模型研发", 25, 34), graph)
    quotes = dict(evidence_quotes(data))
    found = check_claim_words(data, quotes)
    assert [p.message for p in found] == problems
    assert all(p.rule == "claim" and p.resource == "kgr:Claim1" for p in found)


def test_only_claims_are_held_to_their_quote() -> None:
    graph = 'ev:said { kgr:Note1 a kg:Note ; schema:text "芯片"@zh . }'
    data = dataset(quoted("said", "资金将用于模型研发", 25, 34), graph)
    assert check_claim_words(data, dict(evidence_quotes(data))) == []


def test_only_what_an_evidence_graph_was_derived_from_is_its_quote() -> None:
    quote = '[ oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "智谱" ] ]'
    data = dataset(
        "\n".join(
            [
                f"_:blank a kg:Evidence ; prov:wasDerivedFrom {quote} .",
                f"ev:note a prov:Entity ; prov:wasDerivedFrom {quote} .",
                f"ev:pointer rdfs:seeAlso kg:Evidence ; prov:wasDerivedFrom {quote} .",
                "ev:kept a kg:Evidence ; prov:wasInfluencedBy "
                '[ oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "别处" ] ] ;'
                " prov:wasDerivedFrom [ rdfs:seeAlso"
                " [ a oa:TextPositionSelector ; oa:start 3 ; oa:end 5 ] ; oa:hasSelector"
                ' [ a oa:TextQuoteSelector ; oa:exact "智谱表示" ] ] .',
            ]
        )
    )
    assert list(evidence_quotes(data)) == [
        (URIRef(EV + "kept"), Quote("智谱表示", None, None, None))
    ]
    cited = dataset(
        "_:blank a kg:Evidence ; prov:wasDerivedFrom [ a kg:Citation ; oa:hasSource kgr:R ] .\n"
        "ev:note a prov:Entity ; prov:wasDerivedFrom [ a kg:Citation ; oa:hasSource kgr:R ] .\n"
        "ev:pointer rdfs:seeAlso kg:Evidence ;"
        " prov:wasDerivedFrom [ a kg:Citation ; oa:hasSource kgr:R ] .\n"
        "ev:kept a kg:Evidence ; prov:wasInfluencedBy [ a kg:Citation ; oa:hasSource kgr:R ] ."
    )
    assert cited_graphs(cited) == {}


def test_every_wrong_quote_is_reported_after_a_right_one() -> None:
    quotes = {
        URIRef(EV + "a-right"): Quote("智谱表示", None, 20, 24),
        URIRef(EV + "b-wrong"): Quote("智谱表示", None, 0, 4),
    }
    assert [p.resource for p in check_quotes(quotes, article())] == ["ev:b-wrong"]


def test_other_words_in_the_graph_are_not_the_claims() -> None:
    graph = (
        'ev:said { kgr:Claim1 a kg:Claim ; schema:text "资金将用于模型研发"@zh ;'
        ' rdfs:label "融资用途"@zh . kgr:Speech schema:text "芯片"@zh .'
        ' kgr:Note1 rdfs:seeAlso kg:Claim ; schema:text "芯片"@zh . }'
    )
    data = dataset(quoted("said", "资金将用于模型研发", 25, 34), graph)
    assert check_claim_words(data, dict(evidence_quotes(data))) == []
