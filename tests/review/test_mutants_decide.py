"""The desk's decisions (kg.review.decide) on the test draft, in memory, one rule at a time.

The desk tests (``test_desk.py``) run whole reviews, minutes each; these call each decision on
the hand-written draft of ``fixtures/`` with a few ontology terms and read the datasets it
changed, so a mutation run can afford them (see docs/mutation.md).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from desk_bench import FIXTURES, P
from rdflib import RDF, RDFS, XSD, Dataset, Literal, URIRef

from kg.data.namespaces import CURATION_GRAPH, KG, PROV, PROVENANCE_GRAPH, SCHEMA
from kg.data.prefixes import PREFIXES
from kg.errors import InvalidValue
from kg.review.decide import (
    accept,
    create_entity,
    edit_amount,
    edit_date,
    edit_entity,
    edit_role,
    new_entity_iri,
    record,
    reject,
    same_as,
)
from kg.review.document import Draft, Proposal, Terms, draft_id

KGR = PREFIXES["kgr"]
TERMS = Terms(
    frozenset({KG.Company, KG.Person, KG.FundingEvent}),
    frozenset({KG.investor, KG.investee}),
    {(KG.FundingEvent, "zh"): "融资", (KG.FundingEvent, "en"): "Funding round"},
)
XINGHE, FUND, ZHOU = (
    URIRef(KGR + "New-XingheZiben"),
    URIRef(KGR + "New-BeijingShiAIFund"),
    URIRef(KGR + "New-ZhouMing"),
)


def _draft() -> Draft:
    return Draft.read(FIXTURES / "xinghe-news.draft.trig")


def _proposal(draft: Draft, number: str) -> Proposal:
    return draft.proposal(draft_id(P + number))


def _fact(number: str) -> URIRef:
    return URIRef(f"{KGR}Draft-cd35c5bb-{number}")


def test_a_decision_is_recorded_in_the_provenance() -> None:
    target = Dataset()
    when = datetime(2026, 3, 16, 9, 30, 15, 999, tzinfo=UTC)
    about = URIRef(PREFIXES["ev"] + P + "000021-1")
    decision = record(target, "accept", about, "ann", when)
    digest = hashlib.sha256(
        f"2026-03-16T09:30:15+00:00|ann|accept|{about}|None".encode()
    ).hexdigest()
    assert decision == URIRef(f"{KGR}Decision-{digest[:12]}")
    assert set(target.graph(PROVENANCE_GRAPH)) == {
        (decision, RDF.type, KG.ReviewDecision),
        (decision, KG.decision, Literal("accept")),
        (decision, PROV.used, about),
        (decision, KG.reviewer, Literal("ann")),
        (decision, PROV.endedAtTime, Literal("2026-03-16T09:30:15+00:00", datatype=XSD.dateTime)),
    }
    other = record(target, "edit", about, "ann", when, change="date 2026-03", note="checked")
    assert other != decision
    prov = target.graph(PROVENANCE_GRAPH)
    change = prov.value(other, KG.change)
    assert isinstance(change, Literal) and (str(change), change.language) == ("date 2026-03", "en")
    assert prov.value(other, KG.reviewNote) == Literal("checked")


def test_accepting_moves_the_proposal_with_its_entities_and_names_its_fact() -> None:
    draft, target = _draft(), Dataset()
    proposal = _proposal(draft, "000021-1")
    accept(draft, proposal, target, TERMS)
    moved = target.graph(proposal.graph)
    assert (_fact("000021-1"), KG.investor, XINGHE) in moved and len(moved) == 11
    prov = target.graph(PROVENANCE_GRAPH)
    assert (proposal.graph, RDF.type, KG.Evidence) in prov
    assert (proposal.graph, KG.status, KG.Draft) not in prov
    assert prov.value(proposal.graph, KG.confidence) == Literal(Decimal("0.8"))
    curation = target.graph(CURATION_GRAPH)
    assert set(curation.predicate_objects(XINGHE)) == {
        (RDF.type, KG.Company),
        (RDFS.label, Literal("星河资本", lang="zh")),
    }
    assert set(curation.objects(_fact("000021-1"), RDFS.label)) == {
        Literal("融资 2026-03-15", lang="zh"),
        Literal("Funding round 2026-03-15", lang="en"),
    }
    # Out of the draft: its graph and its provenance; 星河资本 stays, a later proposal uses it.
    assert len(draft.dataset.graph(proposal.graph)) == 0
    assert (proposal.graph, None, None) not in draft.provenance
    assert (XINGHE, KG.status, KG.Draft) in draft.curation
    assert [p.name for p in draft.proposals()] == [P + "000057-1", P + "000087-1", P + "000111-1"]


def test_an_entity_no_proposal_uses_leaves_the_draft() -> None:
    draft, target = _draft(), Dataset()
    accept(draft, _proposal(draft, "000057-1"), target, TERMS)
    assert (FUND, None, None) not in draft.curation
    reject(draft, _proposal(draft, "000111-1"))  # 周明 goes; 星河资本 is still in 000021-1
    assert (ZHOU, None, None) not in draft.curation
    assert (XINGHE, KG.status, KG.Draft) in draft.curation
    reject(draft, _proposal(draft, "000021-1"))
    assert (XINGHE, None, None) not in draft.curation


def test_a_fact_with_other_curation_but_no_label_is_named() -> None:
    draft, target = _draft(), Dataset()
    draft.curation.add((_fact("000021-1"), RDFS.comment, Literal("from the company's release")))
    accept(draft, _proposal(draft, "000021-1"), target, TERMS)
    assert len(list(target.graph(CURATION_GRAPH).objects(_fact("000021-1"), RDFS.label))) == 2


def test_a_fact_with_no_date_is_named_by_its_class() -> None:
    draft, target = _draft(), Dataset()
    body = draft.dataset.graph(_proposal(draft, "000087-1").graph)
    body.remove((_fact("000087-1"), KG.date, None))
    body.remove((_fact("000087-1"), KG.dateText, None))
    only_en = Terms(TERMS.classes, TERMS.roles, {(KG.FundingEvent, "en"): "Funding round"})
    accept(draft, _proposal(draft, "000087-1"), target, only_en)
    assert list(target.graph(CURATION_GRAPH).objects(_fact("000087-1"), RDFS.label)) == [
        Literal("Funding round", lang="en")
    ]


def test_a_fact_labelled_already_or_of_a_class_without_a_label() -> None:
    draft, target = _draft(), Dataset()
    target.graph(CURATION_GRAPH).add((_fact("000021-1"), RDFS.label, Literal("已命名", lang="zh")))
    accept(draft, _proposal(draft, "000021-1"), target, TERMS)
    assert list(target.graph(CURATION_GRAPH).objects(_fact("000021-1"), RDFS.label)) == [
        Literal("已命名", lang="zh")
    ]
    only_zh = Terms(TERMS.classes, TERMS.roles, {(KG.FundingEvent, "zh"): "融资"})
    draft.dataset.graph(_proposal(draft, "000057-1").graph).remove(
        (_fact("000057-1"), KG.date, None)
    )
    accept(draft, _proposal(draft, "000057-1"), target, only_zh)
    assert list(target.graph(CURATION_GRAPH).objects(_fact("000057-1"), RDFS.label)) == [
        Literal("融资 同月", lang="zh")  # no date: the date as written
    ]


def test_the_amount_is_edited_field_by_field() -> None:
    draft = _draft()
    proposal = _proposal(draft, "000021-1")
    change = edit_amount(
        draft, proposal, value="1,200_000,000", currency=" HKD ", as_written="新一轮12亿元"
    )
    assert change == "amount: value 1,200_000,000, currency HKD, as written 新一轮12亿元"
    body = draft.dataset.graph(proposal.graph)
    amount = body.value(_fact("000021-1"), KG.amount)
    assert body.value(amount, SCHEMA.value) == Literal(Decimal(1_200_000_000), datatype=XSD.decimal)
    assert body.value(amount, SCHEMA.currency) == Literal("HKD")
    assert body.value(amount, KG.asWritten) == Literal("新一轮12亿元")
    assert edit_amount(draft, proposal, currency="USD") == "amount: currency USD"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"value": "12亿"}, r"amount '12亿': not a number; write digits"),
        ({"value": "Infinity"}, r"amount 'Infinity': not a finite number"),
        ({"currency": "hkd"}, r"currency 'hkd': write an ISO 4217 code"),
        ({"currency": "HKDX"}, r"currency 'HKDX'"),
        ({"as_written": "12亿港元"}, r"as written '12亿港元': not in the sentence"),
        ({}, r"^nothing to change: give a value, a currency or the words as written$"),
    ],
)
def test_an_amount_edit_that_is_wrong_is_refused(fields: dict[str, str], message: str) -> None:
    draft = _draft()
    with pytest.raises(InvalidValue, match=message):
        edit_amount(draft, _proposal(draft, "000021-1"), **fields)


def test_a_proposal_that_states_nothing_has_no_fact_to_edit() -> None:
    draft = _draft()
    graph = _proposal(draft, "000111-1").graph
    draft.dataset.remove_graph(draft.dataset.graph(graph))
    with pytest.raises(InvalidValue, match=rf"^{P}000111-1: states no fact to edit$"):
        edit_date(draft, draft.proposal(graph), "2026")


def test_a_proposal_without_an_amount_has_none_to_edit() -> None:
    draft = _draft()
    with pytest.raises(InvalidValue, match=rf"{P}000111-1: has no amount to edit"):
        edit_amount(draft, _proposal(draft, "000111-1"), value="1")


@pytest.mark.parametrize(
    ("date", "datatype"),
    [("2026", XSD.gYear), (" 2026-03 ", XSD.gYearMonth), ("2026-03-15", XSD.date)],
)
def test_a_date_keeps_its_precision(date: str, datatype: URIRef) -> None:
    draft = _draft()
    proposal = _proposal(draft, "000057-1")
    assert edit_date(draft, proposal, date) == f"date {date.strip()}"
    value = draft.dataset.graph(proposal.graph).value(_fact("000057-1"), KG.date)
    assert value == Literal(date.strip(), datatype=datatype)


@pytest.mark.parametrize("date", ["2026-13", "2026-3", "2026-02-32", "26", "2026-03-15T10:00"])
def test_a_date_not_written_so_is_refused(date: str) -> None:
    draft = _draft()
    with pytest.raises(InvalidValue, match=r"write YYYY, YYYY-MM or YYYY-MM-DD"):
        edit_date(draft, _proposal(draft, "000057-1"), date)


def test_a_role_is_filled_emptied_or_refused() -> None:
    draft = _draft()
    proposal = _proposal(draft, "000021-1")
    body = draft.dataset.graph(proposal.graph)
    other = URIRef(KGR + "Sequoia")
    assert edit_role(draft, proposal, KG.investor, [XINGHE, other], TERMS) == (
        "kg:investor = kgr:New-XingheZiben, kgr:Sequoia"
    )
    assert set(body.objects(_fact("000021-1"), KG.investor)) == {XINGHE, other}
    assert edit_role(draft, proposal, KG.investor, [], TERMS) == "kg:investor = none"
    assert list(body.objects(_fact("000021-1"), KG.investor)) == []
    with pytest.raises(InvalidValue, match=r"role kg:amount: not a property a fact can use here"):
        edit_role(draft, proposal, KG.amount, [XINGHE], TERMS)


def test_an_entity_is_renamed_in_one_language_and_its_class_changed() -> None:
    draft = _draft()
    draft.curation.add((XINGHE, RDFS.label, Literal("Xinghe Capital", lang="en")))
    change = edit_entity(draft, XINGHE, label_zh=" 星河資本 ", cls=KG.Person, terms=TERMS)
    assert change == "kgr:New-XingheZiben: label@zh 星河資本, class kg:Person"
    assert set(draft.curation.objects(XINGHE, RDFS.label)) == {
        Literal("星河資本", lang="zh"),
        Literal("Xinghe Capital", lang="en"),  # the other language is kept
    }
    assert list(draft.curation.objects(XINGHE, RDF.type)) == [KG.Person]
    # A fact is named here too, but keeps its class.
    fact = _fact("000021-1")
    assert (
        edit_entity(draft, fact, label_en="Series C")
        == "kgr:Draft-cd35c5bb-000021-1: label@en Series C"
    )
    with pytest.raises(InvalidValue, match=r"^kgr:Draft-cd35c5bb-000021-1: a fact's class is not"):
        edit_entity(draft, fact, cls=KG.Company, terms=TERMS)


@pytest.mark.parametrize(
    ("node", "fields", "message"),
    [
        (
            URIRef(KGR + "Zhipu"),
            {"label_zh": "智谱"},
            r"kgr:Zhipu: not an entity or fact this draft proposes",
        ),
        (XINGHE, {"label_en": "  "}, r"the en label is empty; give a name"),
        (XINGHE, {"cls": KG.Organization}, r"class kg:Organization: not a class of the ontology"),
        (XINGHE, {}, r"^nothing to change: give a label or a class$"),
    ],
)
def test_an_entity_edit_that_is_wrong_is_refused(
    node: URIRef, fields: dict[str, object], message: str
) -> None:
    draft = _draft()
    with pytest.raises(InvalidValue, match=message):
        edit_entity(draft, node, terms=TERMS, **fields)  # type: ignore[arg-type]


def test_without_terms_no_class_is_known() -> None:
    draft = _draft()
    with pytest.raises(InvalidValue, match=r"class kg:Company: not a class of the ontology"):
        edit_entity(draft, XINGHE, cls=KG.Company)


def test_same_as_puts_the_existing_entity_everywhere() -> None:
    draft = _draft()
    existing = URIRef(KGR + "XingheCapital")
    assert same_as(draft, XINGHE, existing) == "kgr:New-XingheZiben is kgr:XingheCapital"
    assert (XINGHE, None, None) not in draft.dataset and (None, None, XINGHE) not in draft.dataset
    assert (_fact("000021-1"), KG.investor, existing) in draft.dataset.graph(
        _proposal(draft, "000021-1").graph
    )
    assert (ZHOU, KG.memberOf, existing) in draft.dataset.graph(_proposal(draft, "000111-1").graph)
    with pytest.raises(
        InvalidValue, match=r"kgr:New-XingheZiben: not an entity this draft proposes"
    ):
        same_as(draft, XINGHE, existing)
    with pytest.raises(InvalidValue, match=r"^an entity is the same as itself; choose another$"):
        same_as(draft, ZHOU, ZHOU)
    # As subject too: 周明 is the existing person, still a member of the existing company.
    person = URIRef(KGR + "ZhouMing")
    assert same_as(draft, ZHOU, person) == "kgr:New-ZhouMing is kgr:ZhouMing"
    body = draft.dataset.graph(_proposal(draft, "000111-1").graph)
    assert set(body) == {(person, KG.memberOf, existing)}


@pytest.mark.parametrize(
    ("zh", "en", "slug"),
    [
        ("星河资本", "xinghe capital", "XingheCapital"),
        ("智谱", "Zhipu A.I. (Beijing)", "ZhipuAIBeijing"),
        ("星河资本", "星河", hashlib.sha256("星河资本".encode()).hexdigest()[:8]),
    ],
)
def test_a_new_entity_is_named_from_its_english_name(zh: str, en: str, slug: str) -> None:
    assert new_entity_iri(zh, en) == URIRef(f"{KGR}New-{slug}")


def test_an_entity_is_created_in_the_draft_once() -> None:
    draft = _draft()
    iri = create_entity(draft, " 红杉中国 ", " HongShan ", KG.Company, TERMS)
    assert iri == URIRef(KGR + "New-Hongshan")
    labels = draft.curation.objects(iri, RDFS.label)
    assert sorted((str(x), x.language) for x in labels if isinstance(x, Literal)) == [
        ("HongShan", "en"),
        ("红杉中国", "zh"),
    ]
    named_in_chinese = create_entity(draft, "高瓴", "高瓴资本", KG.Company, TERMS)
    assert (
        named_in_chinese
        == new_entity_iri("高瓴", "")
        == URIRef(KGR + "New-" + hashlib.sha256("高瓴".encode()).hexdigest()[:8])
    )
    assert set(draft.curation.predicate_objects(iri)) == {
        (RDF.type, KG.Company),
        (RDFS.label, Literal("红杉中国", lang="zh")),
        (RDFS.label, Literal("HongShan", lang="en")),
        (KG.status, KG.Draft),
    }
    with pytest.raises(InvalidValue, match=r"kgr:New-Hongshan exists already in the draft"):
        create_entity(draft, "红杉", "Hongshan", KG.Company, TERMS)
    # An IRI any graph of the draft uses (a proposal's fact, an entity of the data) is taken too.
    with pytest.raises(InvalidValue, match=r"kgr:New-XingheZiben exists already in the draft"):
        create_entity(draft, "星河", "Xinghe Ziben", KG.Company, TERMS)
    with pytest.raises(InvalidValue, match=r"^a new entity needs a Chinese and an English name$"):
        create_entity(draft, "红杉", " ", KG.Company, TERMS)
    with pytest.raises(InvalidValue, match=r"needs a Chinese and an English name"):
        create_entity(draft, "", "Sequoia", KG.Company, TERMS)
    with pytest.raises(InvalidValue, match=r"class <https://schema.org/Thing>: not a class"):
        create_entity(draft, "红杉", "Sequoia", URIRef("https://schema.org/Thing"), TERMS)
