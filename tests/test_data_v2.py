"""Data v2 (issue 10): one role model, nothing beyond the quote, one model per kind of fact.

Each test reads the shipped graph through :func:`kg.load` (RDFS closure materialised in
``kgg:inference``) and checks what the article supports, sentence by sentence.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.term import Node

import kg
from kg.data.namespaces import (
    CURATION_GRAPH,
    IDENTITY_GRAPH,
    INFERENCE_GRAPH,
    KG,
    KGR,
    ONTOLOGY_GRAPH,
    ORG,
    PROV,
    SCHEMA,
)
from kg.data.prefixes import NON_EVIDENCE_GRAPHS, PREFIXES

SKOS_ALT = URIRef(PREFIXES["skos"] + "altLabel")
EV = PREFIXES["ev"]


def evidence_graphs(g: kg.KnowledgeGraph) -> list:
    return [
        graph
        for graph in g.dataset.graphs()
        if isinstance(graph.identifier, URIRef)
        and str(graph.identifier) not in NON_EVIDENCE_GRAPHS
        and str(graph.identifier).startswith(EV)
    ]


def in_evidence(g: kg.KnowledgeGraph, triple: tuple[Node, Node, Node]) -> list[URIRef]:
    return [graph.identifier for graph in evidence_graphs(g) if triple in graph]


def quote_of(g: kg.KnowledgeGraph, graph_id: URIRef) -> str:
    rows = g.query(
        "SELECT ?q WHERE { ?ev prov:wasDerivedFrom/oa:hasSelector/oa:exact ?q }",
        {"ev": graph_id},
    )
    return str(next(iter(rows))[0])


# ---------------------------------------------------------------- one role model
def test_every_role_property_is_a_sub_property_of_involves(graph: kg.KnowledgeGraph) -> None:
    onto = graph.dataset.graph(ONTOLOGY_GRAPH)
    values = {KG.claimType, KG.certainty, KG.status, KG.observationKind, KG.direction}
    amounts = {
        KG.amount,
        KG.quantity,
        KG.price,
        KG.priceBefore,
        KG.priceAfter,
        KG.sharePrice,
        KG.ratio,
        KG.duration,
        KG.parameterCount,
        KG.offerPrice,
        KG.netProceeds,
        KG.subscriptionMultiple,
    }
    drafts = {KG.mention, KG.refersTo}  # a draft's annotations (kg draft), not roles of facts
    between_facts = {KG.supersedes}  # a later fact marks an earlier one: no participant
    drafts |= {KG.verdict, KG.leftEntity, KG.rightEntity}  # a judgement's parts (kg merge)
    from rdflib import OWL

    for prop in onto.subjects(RDF.type, OWL.ObjectProperty):
        if not str(prop).startswith(
            str(KG)
        ) or prop in values | amounts | drafts | between_facts | {KG.involves}:
            continue
        assert KG.involves in set(onto.transitive_objects(prop, RDFS.subPropertyOf)), prop


def test_facts_per_entity_via_involves_equal_facts_by_any_predicate(
    graph: kg.KnowledgeGraph,
) -> None:
    """For every entity: the facts that point at it by any predicate are exactly the facts that
    kg:involves it under the RDFS closure the engine materialises (one triple pattern finds
    everything about X)."""
    facts = "VALUES ?class { kg:Event kg:Observation kg:Claim } ?fact a ?class ."
    by_any_rows = graph.query(
        f"""SELECT DISTINCT ?x ?fact WHERE {{
            GRAPH ?g {{ ?fact ?p ?x }}
            FILTER(?g != kgg:inference && ?g != kgg:ontology && ?p != rdf:type)
            FILTER(isIRI(?x) && STRSTARTS(STR(?x), STR(kgr:)))
            {facts}
        }}"""
    )
    involves_rows = graph.query(
        f"""SELECT DISTINCT ?x ?fact WHERE {{
            ?fact kg:involves ?x .
            FILTER(isIRI(?x) && STRSTARTS(STR(?x), STR(kgr:)))
            {facts}
        }}"""
    )
    by_any: dict[Node, set[Node]] = defaultdict(set)
    via_involves: dict[Node, set[Node]] = defaultdict(set)
    for x, fact in by_any_rows:
        by_any[x].add(fact)
    for x, fact in involves_rows:
        via_involves[x].add(fact)
    entities = set(by_any) | set(via_involves)
    assert len(entities) > 50
    mismatched = {
        str(e): (len(by_any[e]), len(via_involves[e]))
        for e in entities
        if by_any[e] != via_involves[e]
    }
    assert mismatched == {}
    # The example: kg:involves found 2 of Tang Jie's facts; now it finds all of them.
    assert len(via_involves[KGR.TangJie]) >= 5


def test_involves_is_one_triple_pattern_in_sparql(graph: kg.KnowledgeGraph) -> None:
    rows = graph.query("SELECT DISTINCT ?fact WHERE { ?fact kg:involves kgr:TangJie }")
    found = {r[0] for r in rows}
    assert {
        KGR["RouteTransfer"],
        KGR["WuDao-Project"],
        KGR["Claim-TangJie-Summit"],
        KGR["Claim-TangJie-L2L3"],
        KGR["Photo-WuDaoTeam"],
    } <= found


# ---------------------------------------------------------------- nothing beyond the quote
def test_wudao_caption_credits_baai_and_says_nothing_about_parents(
    graph: kg.KnowledgeGraph,
) -> None:
    dataset = graph.dataset
    assert (KGR["WuDao-Team"], KG.partOf, KGR.BAAI) not in dataset
    caption = dataset.graph(URIRef(EV + "wudao-caption"))
    assert (KGR["Photo-WuDaoTeam"], KG.credit, KGR.BAAI) in caption
    assert (KGR["Photo-WuDaoTeam"], KG.depicts, KGR.TangJie) in caption
    assert (KGR.WuDao, KG.developer, KGR["WuDao-Team"]) not in caption


def test_glm_influenced_by_wudao_is_a_marked_inference(graph: kg.KnowledgeGraph) -> None:
    triple = (KGR.GLM, KG.influencedBy, KGR.WuDao)
    assert in_evidence(graph, triple) == []
    assert_marked_inference(graph, triple)


def test_decision_meeting_is_not_led_by_the_leadership(graph: kg.KnowledgeGraph) -> None:
    dataset = graph.dataset
    assert (KGR["DecisionMeeting-2021-12"], KG.ledBy, KGR["Zhipu-CoreLeadership"]) not in dataset
    assert not list(dataset.objects(KGR["DecisionMeeting-2021-12"], KG.ledBy))
    # 为首: Tang Jie and Zhang Peng head the core leadership, which insisted (a claim).
    insisted = URIRef(EV + "leadership-insisted")
    for person in (KGR.TangJie, KGR.ZhangPeng):
        assert in_evidence(graph, (person, ORG.headOf, KGR["Zhipu-CoreLeadership"])) == [insisted]
    assert "为首" in quote_of(graph, insisted)


def test_sensetime_lesson_names_sensetime_in_its_quote(graph: kg.KnowledgeGraph) -> None:
    dataset = graph.dataset
    assert (KGR["Comparison-Zhipu-SenseTime"], KG.comparedItem, KGR.SenseTime) not in dataset
    for graph_id in in_evidence(
        graph, (KGR["Assessment-SenseTimeLesson"], KG.about, KGR.SenseTime)
    ):
        assert "商汤" in quote_of(graph, graph_id)
    assert in_evidence(graph, (KGR["Assessment-SenseTimeLesson"], KG.about, KGR.SenseTime))


@pytest.mark.parametrize(
    ("model", "parent"),
    [("WuDao-2.0", "WuDao"), ("GLM-130B", "GLM"), ("GLM-Z1", "GLM"), ("GLM-4-Air", "GLM")],
)
def test_based_on_from_names_is_a_marked_inference(
    graph: kg.KnowledgeGraph, model: str, parent: str
) -> None:
    triple = (KGR[model], KG.basedOn, KGR[parent])
    assert in_evidence(graph, triple) == []
    assert_marked_inference(graph, triple)


def assert_marked_inference(graph: kg.KnowledgeGraph, triple: tuple[Node, Node, Node]) -> None:
    dataset = graph.dataset
    assert triple in dataset.graph(CURATION_GRAPH)
    s, p, o = triple
    records = (
        set(dataset.subjects(RDF.subject, s))
        & set(dataset.subjects(RDF.predicate, p))
        & set(dataset.subjects(RDF.object, o))
    )
    assert len(records) == 1, triple
    [record] = records
    assert (record, RDF.type, KG.Inference) in dataset
    sources = set(dataset.objects(record, PROV.wasDerivedFrom))
    assert sources and all((src, RDF.type, KG.Evidence) in dataset for src in sources)
    notes = {n.language for n in dataset.objects(record, KG.inferenceNote)}
    assert notes == {"zh", "en"}


def test_every_curated_relation_between_resources_is_a_marked_inference(
    graph: kg.KnowledgeGraph,
) -> None:
    dataset = graph.dataset
    curation = dataset.graph(CURATION_GRAPH)
    marked = {
        (
            dataset.value(r, RDF.subject),
            dataset.value(r, RDF.predicate),
            dataset.value(r, RDF.object),
        )
        for r in dataset.subjects(RDF.type, KG.Inference)
    }
    for s, p, o in curation:
        if p == RDF.type or (s, RDF.type, KG.Inference) in curation:
            continue
        if isinstance(o, URIRef) and str(o).startswith(str(KGR)):
            assert (s, p, o) in marked, (s, p, o)


def test_queries_tell_inferences_from_stated_facts(graph: kg.KnowledgeGraph) -> None:
    rows = graph.query(
        "SELECT ?model ?graph ?inferred WHERE { VALUES ?model { kgr:GLM-10B kgr:GLM-130B } "
        "GRAPH ?graph { ?model kg:basedOn kgr:GLM } "
        "BIND(EXISTS { ?i a kg:Inference ; rdf:subject ?model ; rdf:predicate kg:basedOn ; "
        "rdf:object kgr:GLM } AS ?inferred) }"
    )
    answer = {(str(r[0]).rsplit("/", 1)[1], r[2].toPython()) for r in rows}
    # Both sit in the GLM family by their names only (issue 22): each is a marked inference.
    assert answer == {("GLM-10B", True), ("GLM-130B", True)}


# ---------------------------------------------------------------- one model per kind of fact
def test_talent_deals_share_one_class_and_roles(graph: kg.KnowledgeGraph) -> None:
    dataset = graph.dataset
    for deal, acquirer, source in (
        ("TalentDeal-Microsoft-Inflection", KGR.Microsoft, KGR.InflectionAI),
        ("TalentDeal-Meta-OpenAI", KGR.Meta, KGR.OpenAI),
    ):
        node = KGR[deal]
        assert (node, RDF.type, KG.TalentAcquisition) in dataset
        assert (node, KG.acquirer, acquirer) in dataset
        assert (node, KG.acquiredFrom, source) in dataset
        assert dataset.value(node, KG.acquiredTeam) is not None
        assert dataset.value(node, KG.amount) is not None
    # Meta's deal is only reported: it points to the unverified media report.
    report = dataset.value(KGR["TalentDeal-Meta-OpenAI"], KG.reportedIn)
    assert dataset.value(report, KG.certainty) == KG.Unverified


def test_every_api_price_is_a_price_change_of_one_company(graph: kg.KnowledgeGraph) -> None:
    dataset = graph.dataset
    assert not list(dataset.subjects(RDF.type, KG.PriceQuote))
    specs = set(dataset.subjects(RDF.type, SCHEMA.UnitPriceSpecification))
    assert len(specs) == 4
    for spec in specs:
        [(change, _)] = [
            (s, p)
            for s, p in dataset.subject_predicates(spec)
            if p in (KG.priceBefore, KG.priceAfter)
        ]
        assert (change, RDF.type, KG.PriceChange) in dataset
        assert len(set(dataset.objects(change, KG.organization))) == 1
        [product] = set(dataset.objects(change, KG.product))
        assert len(set(dataset.objects(product, SCHEMA.manufacturer))) == 1
        assert dataset.value(change, KG.direction) == KG.Decrease


def test_led_by_is_a_person_who_leads(graph: kg.KnowledgeGraph) -> None:
    dataset = graph.dataset
    for event, leader in dataset.subject_objects(KG.ledBy):
        assert (leader, RDF.type, KG.Person) in dataset, (event, leader)
    assert (KGR["Zhipu-Restructuring"], KG.ledBy, KGR.ZhangPeng) in dataset
    assert (KGR.RouteTransfer, KG.ledBy, KGR.TangJie) in dataset
    [graph_id] = in_evidence(graph, (KGR["Zhipu-Restructuring"], KG.ledBy, KGR.ZhangPeng))
    assert "主导" in quote_of(graph, graph_id) and "张鹏" in quote_of(graph, graph_id)


def test_every_big_tech_company_is_one_of_the_giants_by_a_quote(graph: kg.KnowledgeGraph) -> None:
    dataset = graph.dataset
    giants = list(dataset.subjects(RDF.type, KG.BigTech))
    assert len(giants) >= 4
    for company in giants:
        graphs = in_evidence(graph, (company, KG.memberOf, KGR.BigTechFirms))
        assert graphs, company
        assert any("巨头" in quote_of(graph, g) for g in graphs), company


# ---------------------------------------------------------------- duplicates and conflations
def test_each_entity_list_listing_is_its_own_event(graph: kg.KnowledgeGraph) -> None:
    dataset = graph.dataset
    listings = [s for s in dataset.subjects(KG.list, KGR.EntityList)]
    targets = Counter(t for s in listings for t in dataset.objects(s, KG.target))
    assert set(targets) == {KGR.Tianhe2Centre, KGR.Huawei, KGR.HIT}
    assert all(len(set(dataset.objects(s, KG.target))) == 1 for s in listings)
    assert all((s, KG.partOf, KGR["US-TechBlockade"]) in dataset for s in listings)


def test_named_conflations_are_resolved(graph: kg.KnowledgeGraph) -> None:
    dataset = graph.dataset
    assert Literal("GPT-3.5", lang="en") not in set(dataset.objects(KGR["ChatGPT-3.5"], SKOS_ALT))
    assert (KGR["ByteDance-API"], SCHEMA.manufacturer, KGR.ByteDance) in dataset
    assert (KGR["Alibaba-API"], SCHEMA.manufacturer, KGR.Alibaba) in dataset
    assert not list(dataset.triples((KGR["BigTech-API"], None, None)))
    assert (KGR["WuDao-Project"], KG.participant, KGR["WuDao-Team"]) in dataset
    assert (
        KGR.FullDomesticRoute,
        URIRef(PREFIXES["skos"] + "related"),
        KGR.FullChainAutonomy,
    ) in dataset
    # Zhang Fan's COO post ends with his departure in the first half of 2025.
    departure = KGR["Departure-ZhangFan"]
    assert (departure, KG.endsPost, KGR["Zhipu-COO"]) in dataset
    assert str(dataset.value(departure, KG.notAfter)) == "2025-06"


def test_labels_say_what_the_text_says(graph: kg.KnowledgeGraph) -> None:
    dataset = graph.dataset
    trough = {str(x) for x in dataset.objects(KGR["SenseTime-MarketCap-Trough"], RDFS.label)}
    assert "SenseTime's market value at its lowest: HK$20-odd billion" in trough
    assert not any("about" in label for label in trough)
    shift = {str(x) for x in dataset.objects(KGR["Shift-BusinessModel"], RDFS.label)}
    assert "从卖模型转向卖服务+卖场景并重" in shift
    assert any("alongside" in label for label in shift)


USER_SHOWN = (
    RDFS.label,
    RDFS.comment,
    KG.aspect,
    KG.outcome,
    KG.distinction,
    KG.topic,
    KG.reason,
    KG.goal,
    KG.responsibility,
    KG.roundName,
    KG.trainingData,
    KG.hardware,
    SCHEMA.text,
    SCHEMA.caption,
    URIRef(PREFIXES["skos"] + "definition"),
    KG.inferenceNote,
)


def test_every_literal_shown_to_users_has_zh_and_en(graph: kg.KnowledgeGraph) -> None:
    counts: dict[tuple[Node, Node], Counter[str]] = defaultdict(Counter)
    for s, p, o, c in graph.dataset.quads((None, None, None, None)):
        ident = getattr(c, "identifier", c)
        if (
            p in USER_SHOWN
            and isinstance(o, Literal)
            and ident not in (ONTOLOGY_GRAPH, INFERENCE_GRAPH, IDENTITY_GRAPH)
        ):  # a judgement's reason and judge are a person's words as written, in one language
            counts[(s, p)][o.language or "none"] += 1
    unbalanced = {
        (str(s), str(p)): dict(n) for (s, p), n in counts.items() if n["zh"] != n["en"] or n["none"]
    }
    assert unbalanced == {}
    assert len(counts) > 250


# ---------------------------------------------------------------- quantities
def test_declines_are_stored_as_non_negative_magnitudes_with_a_direction(
    graph: kg.KnowledgeGraph,
) -> None:
    dataset = graph.dataset
    declines = set(dataset.subjects(KG.direction, KG.Decrease))
    assert {
        KGR["AIFundingDrop-2025Q1"],
        KGR["Zhipu-StaffReduction"],
        KGR["SenseTime-MarketCapDecline"],
        KGR["PriceChange-Zhipu-API"],
    } <= declines
    for node in declines:
        for quantity in dataset.objects(node, KG.quantity):
            for prop in (SCHEMA.value, SCHEMA.minValue, SCHEMA.maxValue):
                for value in dataset.objects(quantity, prop):
                    assert Decimal(str(value)) >= 0, (node, prop, value)
    drop = dataset.value(KGR["AIFundingDrop-2025Q1"], KG.quantity)
    assert Decimal(str(dataset.value(drop, SCHEMA.value))) == Decimal("31.2")


def test_lai_and_half_carry_no_bound(graph: kg.KnowledgeGraph) -> None:
    for node, written in (
        (KGR["SenseTime-MarketCap-Trough"], KG.amount),
        (KGR["RoadmapProgress-Zhipu"], KG.quantity),
    ):
        value = graph.dataset.value(node, written)
        assert graph.dataset.value(value, KG.isApproximate) == Literal(True)
        assert graph.dataset.value(value, SCHEMA.minValue) is None
        assert graph.dataset.value(value, SCHEMA.maxValue) is None
