"""What the desk's page shows (:mod:`kg.review.view`): the cases mutation testing showed missing.

A real desk on a small data folder (the ontology, the shapes, the entities and the source the
draft quotes, as in ``test_mutants_desk.py``), with the desk's hand-written draft and one more
proposal written here: a fact whose class only the curation graph gives, its labels, a range of
amounts with a price and a unit, a literal, an entity of the data the draft names without labels.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from desk_bench import P, small_folder

from kg.data.paths import DataLayout
from kg.data.prefixes import PREFIXES
from kg.review.desk import Desk
from kg.review.view import state, suggest

#: One more proposal: evidence, curation and a fact graph, in the draft's own format.
MORE = """
kgg:provenance {
    ev:draft-cd35c5bb-000200-1 a kg:Evidence ; kg:status kg:Draft ;
        kg:cue "价格" ; kg:confidence 0.5 ;
        prov:wasDerivedFrom [ a oa:SpecificResource ; oa:hasSource kgr:Source-cd35c5bbcc4e ;
            oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "看好大模型的长期价值。" ] ,
                [ a oa:TextPositionSelector ; oa:start 123 ; oa:end 134 ] ] .
}

kgg:draft-curation {
    kgr:Draft-cd35c5bb-000200-1 a kg:Listing ;
        rdfs:label "一次发行"@zh , "An offering"@en .
    kgr:New-Half a kg:Company ; rdfs:label "半名"@zh ; kg:status kg:Draft .
    kgr:New-Two a kg:Company ; rdfs:label "两名"@zh , "Two names"@en ; kg:status kg:Draft .
    kgr:New-EnOnly rdfs:label "Only English"@en ; kg:status kg:Draft .
    kgr:New-Zhipu a kg:AIStartup ; rdfs:label "智谱"@zh , "Zhipu AI"@en ; kg:status kg:Draft .
    kgr:Beijing rdfs:label "北京城"@zh .
    kgr:New-Shang a kg:Person ; rdfs:label "商汤"@zh ; kg:status kg:Draft .
}

ev:draft-cd35c5bb-000200-1 {
    kgr:Draft-cd35c5bb-000200-1 kg:issuer kgr:Zhipu ;
        kg:partner kgr:BeijingAIFund ;
        kg:amount [ schema:minValue 1 ; schema:maxValue 2 ; schema:price 3.5 ;
            schema:priceCurrency "HKD" ; schema:unitText "股" ; kg:asWritten "1至2股" ] ;
        kg:note "价格待定" .
    kgr:Bare kg:partner kgr:New-Half , kgr:Beijing .
    kgr:Odd a [ ] ; kg:madeUp "x" .
}
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[DataLayout, Path, Path, Path]:
    """The data folder, the desk's draft, the draft with one more proposal, the article."""
    tmp = tmp_path_factory.mktemp("view")
    layout, draft, text = small_folder(tmp)
    more = draft.with_name("more.draft.trig")
    more.write_text(draft.read_text(encoding="utf-8") + MORE, encoding="utf-8")
    return layout, draft, more, text


@pytest.fixture(scope="module")
def desk(folder: tuple[DataLayout, Path, Path, Path]) -> Iterator[Desk]:
    layout, _, more, text = folder
    with Desk(layout, more, user="lin", text=text) as opened:
        yield opened


@pytest.fixture
def shown(desk: Desk) -> dict[str, Any]:
    """The state, read again for each test (mutmut runs a mutant's tests by who called it)."""
    return state(desk)


def by_name(shown: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in shown["proposals"] if p["name"] == name)


def test_the_page_state_names_the_draft_target_user_text_and_undo(
    shown: dict[str, Any], folder: tuple[DataLayout, Path, Path, Path]
) -> None:
    _, _, _, text = folder
    assert shown["draft"] == "more.draft.trig"
    assert shown["target"] == "triples/sources/Source-cd35c5bbcc4e.trig"
    assert shown["user"] == "lin"
    assert shown["text"] == text.read_text(encoding="utf-8")
    assert shown["undo"] is None
    assert [p["name"] for p in shown["proposals"]] == [
        P + "000021-1",
        P + "000057-1",
        P + "000087-1",
        P + "000111-1",
        P + "000200-1",
    ]


def test_a_proposal_shows_its_quote_place_cues_confidence_facts_and_entities(
    shown: dict[str, Any],
) -> None:
    first = by_name(shown, P + "000021-1")
    assert {k: first[k] for k in ("quote", "start", "end", "cues", "confidence")} == {
        "quote": "2026年3月15日，智谱宣布完成新一轮12亿元融资，由星河资本领投。",
        "start": 21,
        "end": 56,
        "cues": ["融资", "领投"],
        "confidence": 0.8,
    }
    assert first["entities"] == [
        {"iri": "kgr:New-XingheZiben", "zh": "星河资本", "en": "", "new": True}
    ]
    [fact] = first["facts"]
    assert fact["iri"] == "kgr:Draft-cd35c5bb-000021-1"
    assert fact["class"] == {"curie": "kg:FundingEvent", "zh": "融资事件", "en": "Funding event"}
    assert (fact["label_zh"], fact["label_en"]) == ("", "")
    # rows in the order of their property's IRI, then their value; no rdf:type row
    assert fact["rows"] == [
        {
            "property": {"curie": "kg:amount", "zh": "金额", "en": "amount"},
            "amount": {"value": "12.0", "currency": "CNY", "written": "12亿元"},
        },
        {"property": {"curie": "kg:date", "zh": "日期", "en": "date"}, "text": "2026-03-15"},
        {
            "property": {"curie": "kg:dateText", "zh": "原文时间表述", "en": "date as written"},
            "text": "2026年3月15日",
        },
        {
            "property": {"curie": "kg:investee", "zh": "被投方", "en": "investee"},
            "entity": {"iri": "kgr:Zhipu", "zh": "智谱", "en": "Zhipu AI", "new": False},
        },
        {
            "property": {"curie": "kg:investor", "zh": "投资方", "en": "investor"},
            "entity": {"iri": "kgr:New-XingheZiben", "zh": "星河资本", "en": "", "new": True},
        },
    ]


def test_a_fact_s_class_and_labels_from_the_curation_and_every_amount_field(
    shown: dict[str, Any],
) -> None:
    proposal = by_name(shown, P + "000200-1")
    fact = next(f for f in proposal["facts"] if f["iri"] == "kgr:Draft-cd35c5bb-000200-1")
    assert fact["class"] == {"curie": "kg:Listing", "zh": "上市", "en": "Listing"}
    assert (fact["label_zh"], fact["label_en"]) == ("一次发行", "An offering")
    rows = {row["property"]["curie"]: row for row in fact["rows"]}
    assert rows["kg:amount"]["amount"] == {
        "min": "1",
        "max": "2",
        "price": "3.5",
        "priceCurrency": "HKD",
        "unit": "股",
        "written": "1至2股",
    }
    assert rows["kg:note"]["text"] == "价格待定"
    # an entity of the data the draft gives no label: both its names from the data
    assert rows["kg:partner"]["entity"] == {
        "iri": "kgr:BeijingAIFund",
        "zh": "北京市人工智能产业投资基金",
        "en": "Beijing AI Industry Investment Fund",
        "new": False,
    }
    # a fact with no class at all
    bare = next(f for f in proposal["facts"] if f["iri"] == "kgr:Bare")
    assert bare["class"] is None
    partners = [row["entity"] for row in bare["rows"]]
    # a new entity with one label keeps the other empty; an entity of the data with one label
    # in the draft gets the other from the data
    assert partners == [
        {"iri": "kgr:Beijing", "zh": "北京城", "en": "Beijing", "new": False},
        {"iri": "kgr:New-Half", "zh": "半名", "en": "", "new": True},
    ]
    # a class that is no IRI, and a property the ontology does not label
    odd = next(f for f in proposal["facts"] if f["iri"] == "kgr:Odd")
    assert (odd["class"]["zh"], odd["class"]["en"]) == ("", "")
    assert odd["rows"] == [
        {"property": {"curie": "kg:madeUp", "zh": "", "en": ""}, "text": "x"},
    ]


def test_the_new_entities_are_listed_with_their_class(shown: dict[str, Any]) -> None:
    listed = {e["iri"]: e for e in shown["entities"]}
    assert len(listed) == len(shown["entities"]) == 9
    assert listed["kgr:New-EnOnly"] == {
        "iri": "kgr:New-EnOnly",
        "zh": "",
        "en": "Only English",
        "new": True,
        "class": "",
    }
    assert listed["kgr:New-XingheZiben"] == {
        "iri": "kgr:New-XingheZiben",
        "zh": "星河资本",
        "en": "",
        "new": True,
        "class": "kg:Company",
    }
    assert listed["kgr:New-ZhouMing"]["class"] == "kg:Person"
    assert listed["kgr:New-BeijingShiAIFund"]["class"] == "kg:GovernmentFund"
    assert (listed["kgr:New-Two"]["zh"], listed["kgr:New-Two"]["en"]) == ("两名", "Two names")


def test_classes_the_page_offers_come_first_and_roles_are_sorted(shown: dict[str, Any]) -> None:
    curies = [c["curie"] for c in shown["classes"]]
    assert all(c.startswith("kg:") for c in curies)
    offered = [
        "kg:AIModel",
        "kg:City",
        "kg:Company",
        "kg:GovernmentFund",
        "kg:LargeLanguageModel",
        "kg:Organization",
        "kg:Person",
        "kg:Product",
        "kg:StateInvestmentPlatform",
        "kg:StockMarket",
    ]
    assert curies[: len(offered)] == offered
    assert curies[len(offered) :] == sorted(curies[len(offered) :])
    assert len(curies) > len(offered)
    company = next(c for c in shown["classes"] if c["curie"] == "kg:Company")
    assert company["zh"] and company["en"]
    roles = [r["curie"] for r in shown["roles"]]
    assert roles == sorted(roles) and "kg:investor" in roles
    assert all(r.startswith("kg:") for r in roles)


def test_xref_pairs_each_proposed_entity_with_the_data_s_best_first(
    shown: dict[str, Any],
) -> None:
    assert shown["xref"][0] == {
        "entity": "kgr:New-BeijingShiAIFund",
        "existing": "kgr:BeijingAIFund",
        "existing_name": "北京市人工智能产业投资基金",
        "score": 1.0,
        "evidence": [
            "北京市人工智能产业投资基金 ~ 北京市人工智能产业投资基金 (same name)",
            "same class: kg:GovernmentFund",
        ],
    }
    # a proposed entity whose IRI sorts before the data's: the pair's new side is its left
    zhipu = next(x for x in shown["xref"] if x["entity"] == "kgr:New-Zhipu")
    assert (zhipu["existing"], zhipu["existing_name"]) == ("kgr:Zhipu", "智谱")
    shang = next(x for x in shown["xref"] if x["entity"] == "kgr:New-Shang")
    assert shang == {
        "entity": "kgr:New-Shang",
        "existing": "kgr:SenseTime",
        "existing_name": "商汤科技",
        "score": 0.5,
        "evidence": [
            "商汤科技 ~ 商汤 (same name without legal form)",
            "商汤 ~ 商汤 (same name)",
            "unrelated classes",
        ],
    }
    assert all(x["entity"].startswith("kgr:New-") for x in shown["xref"])
    assert not any(x["existing"].startswith("kgr:New-") for x in shown["xref"])


def test_a_desk_without_its_article_or_source_shows_none(
    folder: tuple[DataLayout, Path, Path, Path], tmp_path: Path
) -> None:
    layout, _, _, _ = folder
    bare = tmp_path / "bare.trig"
    bare.write_text("<https://w3id.org/zhipu-kg/graph/provenance> { }\n", encoding="utf-8")
    shown = state(Desk(layout, bare, user="a"))
    assert (shown["target"], shown["text"], shown["proposals"]) == ("", None, [])
    assert shown["draft"] == "bare.trig"


def test_names_are_suggested_from_the_draft_first_then_the_data(desk: Desk) -> None:
    assert suggest(desk, "  ") == []
    assert suggest(desk, " 星河 ") == [
        {"iri": "kgr:New-XingheZiben", "name": "星河资本", "new": "1"}
    ]
    found = suggest(desk, "北京")
    assert found[0] == {
        "iri": "kgr:New-BeijingShiAIFund",
        "name": "北京市人工智能产业投资基金",
        "new": "1",
    }
    assert {"iri": "kgr:Beijing", "name": "北京 / Beijing", "new": ""} in found[1:]
    assert all(f["new"] == "" for f in found[1:])
    assert len(found) > 2
    assert suggest(desk, "北京", limit=2) == found[:2]
    assert suggest(desk, "北京", limit=1) == found[:1]
    assert len(suggest(desk, "智")) == 8
    # every label of a new entity is searched, and shown joined
    two = {"iri": "kgr:New-Two", "name": "两名 / Two names", "new": "1"}
    assert suggest(desk, "Two") == [two]
    assert suggest(desk, "两名") == [two]


def test_iris_are_shown_by_the_project_s_prefixes() -> None:
    from rdflib import URIRef

    from kg.review.view import _curie

    for prefix in ("kgr", "kg", "ev", "schema", "xsd"):
        assert _curie(URIRef(PREFIXES[prefix] + "x")) == f"{prefix}:x"
    assert _curie(URIRef("http://example.org/x")) == "http://example.org/x"
    assert _curie(URIRef(PREFIXES["rdfs"] + "label")) == PREFIXES["rdfs"] + "label"
