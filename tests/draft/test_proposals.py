"""Fact proposals (kg.draft.proposals) written as curated facts, and the benchmark at small size."""

from __future__ import annotations

import hashlib
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Literal, Namespace, URIRef

import kg
from kg.data.namespaces import DRAFT_CURATION_GRAPH, KG, OA, PROV, PROVENANCE_GRAPH
from kg.draft import make_draft

KGR = Namespace("https://w3id.org/zhipu-kg/resource/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return kg.load(lazy=True).dataset


def _draft(dataset: Dataset, text: str, date: str = "2025-07") -> tuple[Dataset, str]:
    sha = hashlib.sha256(text.encode()).hexdigest()
    document = make_draft(dataset, text, sha, date=date).document
    draft = Dataset(default_union=True)
    draft.parse(data=document, format="trig")
    return draft, sha


def _facts(draft: Dataset, cls: URIRef) -> list[tuple[URIRef, URIRef]]:
    """(evidence graph, fact) of every proposal of class ``cls``."""
    found = []
    for evidence in draft.graph(PROVENANCE_GRAPH).subjects(KG.status, KG.Draft):
        for fact in draft.graph(evidence).subjects(RDF.type, cls):
            found.append((evidence, fact))  # type: ignore[arg-type]
    return found


def _label(draft: Dataset, node: object) -> str:
    label = draft.graph(DRAFT_CURATION_GRAPH).value(node, RDFS.label)  # type: ignore[arg-type]
    return str(label) if label is not None else str(node).rsplit("/", 1)[-1]


def test_funding_is_written_as_curated_funding(dataset: Dataset) -> None:
    text = "2025年6月，星河智算科技完成10亿元B轮融资，由红杉中国领投，启明创投跟投。"
    draft, sha = _draft(dataset, text)
    [(evidence, fact)] = _facts(draft, KG.FundingEvent)
    graph = draft.graph(evidence)
    assert re.fullmatch(rf".*/evidence/draft-{sha[:8]}-000000-1", str(evidence))
    assert str(fact).endswith(f"/resource/Draft-{sha[:8]}-000000-1")
    assert _label(draft, graph.value(fact, KG.investee)) == "星河智算科技"
    assert {_label(draft, o) for o in graph.objects(fact, KG.investor)} == {"红杉中国", "启明创投"}
    amount = graph.value(fact, KG.amount)
    assert (amount, RDF.type, SCHEMA.MonetaryAmount) in graph
    assert graph.value(amount, SCHEMA.value) == Literal(Decimal("1000000000.0"))
    assert str(graph.value(amount, SCHEMA.currency)) == "CNY"
    assert str(graph.value(amount, KG.asWritten)) == "10亿元"
    assert graph.value(fact, KG.roundName) == Literal("B轮", lang="zh")
    assert str(graph.value(fact, KG.date)) == "2025-06"
    provenance = draft.graph(PROVENANCE_GRAPH)
    assert {str(c) for c in provenance.objects(evidence, KG.cue)} >= {"融资", "领投", "跟投"}
    assert Decimal(str(provenance.value(evidence, KG.confidence))) >= Decimal("0.8")
    curation = draft.graph(DRAFT_CURATION_GRAPH)
    for investor in graph.objects(fact, KG.investor):
        assert (investor, KG.status, KG.Draft) in curation


def test_quotes_are_exact_at_their_offsets(dataset: Dataset) -> None:
    text = (
        "作者 | 高洪浩\n晚点获悉，智谱COO张帆已于今年8月离职。\n"
        "智譜董事長劉德兵表示，公司計劃於2026年1月在港交所上市。"
    )
    draft, _ = _draft(dataset, text)
    provenance = draft.graph(PROVENANCE_GRAPH)
    graphs = list(provenance.subjects(KG.status, KG.Draft))
    assert len(graphs) >= 4
    for evidence in graphs:
        resource = provenance.value(evidence, PROV.wasDerivedFrom)
        exact = start = end = None
        for selector in provenance.objects(resource, OA.hasSelector):
            exact = exact or provenance.value(selector, OA.exact)
            start = start if start is not None else provenance.value(selector, OA.start)
            end = end if end is not None else provenance.value(selector, OA.end)
        assert text[int(start) : int(end)] == str(exact)  # type: ignore[arg-type]
        assert "作者" not in str(exact)  # the byline is page furniture


def test_posts_departures_and_plans(dataset: Dataset) -> None:
    text = (
        "晚点获悉，智谱COO张帆已于今年8月离职。\n"
        "智譜董事長劉德兵表示，公司計劃於2026年1月在港交所上市。"
    )
    draft, _ = _draft(dataset, text, date="2025-09")
    [(ev, departure)] = _facts(draft, KG.Departure)
    graph = draft.graph(ev)
    assert graph.value(departure, KG.person) == KGR.ZhangFan
    assert graph.value(departure, KG.organization) == KGR.Zhipu
    assert str(graph.value(departure, KG.date)) == "2025-08"
    posts = {
        (_label(draft, draft.value(p, ORG.heldBy)), _label(draft, draft.value(p, ORG.role)))
        for _, p in _facts(draft, KG.Post)
    }
    assert posts == {("ZhangFan", "Role-COO"), ("劉德兵", "董事長")}
    for ev, post in _facts(draft, KG.Post):
        assert draft.graph(ev).value(post, ORG.postIn) == KGR.Zhipu
        holder = draft.graph(ev).value(post, ORG.heldBy)
        assert (holder, ORG.holds, post) in draft.graph(ev)
    [(ev, listing)] = _facts(draft, KG.Listing)
    graph = draft.graph(ev)
    assert graph.value(listing, KG.status) == KG.Planned  # a plan is a plan
    assert graph.value(listing, KG.targetMarket) == KGR.HongKongMarket
    assert str(graph.value(listing, KG.date)) == "2026-01"
    # the plan is the chairman's words: marked as reported, with the verb as a cue
    provenance = draft.graph(PROVENANCE_GRAPH)
    assert "表示" in {str(c) for c in provenance.objects(ev, KG.cue)}
    assert Decimal(str(provenance.value(ev, KG.confidence))) < Decimal("0.5")


def test_sentences_without_known_entities_and_what_is_not_proposed(dataset: Dataset) -> None:
    text = (
        "本轮融资后，公司估值约60亿元。\n"
        "月之暗面创始人杨植麟曾表示，公司短期内没有上市计划。\n"
        "启动A股上市辅导的同时，近期又在评估赴港上市的可行性。"
    )
    draft, _ = _draft(dataset, text)
    [(ev, valuation)] = _facts(draft, KG.Valuation)
    graph = draft.graph(ev)
    assert graph.value(valuation, KG.observedEntity) is None  # 公司 names no one: left out
    assert str(graph.value(graph.value(valuation, KG.amount), KG.asWritten)) == "约60亿元"
    assert _facts(draft, KG.Listing) == []  # denied; only weighed
    assert _facts(draft, KG.FundingEvent) == []  # 融资后 dates the valuation, raises nothing


def test_price_changes_and_stock_moves(dataset: Dataset) -> None:
    text = (
        "价格方面，智谱将GLM-4.5的API调用价格从每百万输入tokens 2元下调至0.8元，降幅达60%。\n"
        "受业绩拖累，智谱股价昨日收跌8.3%，报212.4港元。"
    )
    draft, _ = _draft(dataset, text)
    changes = {
        str(draft.value(f, KG.direction)): (ev, f) for ev, f in _facts(draft, KG.PriceChange)
    }
    assert len(changes) == 1 and len(_facts(draft, KG.PriceChange)) == 2
    for ev, fact in _facts(draft, KG.PriceChange):
        graph = draft.graph(ev)
        assert graph.value(fact, KG.organization) == KGR.Zhipu
        assert graph.value(fact, KG.direction) == KG.Decrease
        after = graph.value(fact, KG.priceAfter)
        if after is not None:
            assert _label(draft, graph.value(fact, KG.product)) == "GLM-4.5"
            assert (after, RDF.type, SCHEMA.UnitPriceSpecification) in graph
            reference = graph.value(after, SCHEMA.referenceQuantity)
            assert graph.value(reference, SCHEMA.value) == Literal(Decimal("1000000.0"))
            before = graph.value(fact, KG.priceBefore)
            assert str(graph.value(before, KG.asWritten)) == "2元"
        else:
            percent = graph.value(fact, KG.quantity)
            assert str(graph.value(percent, KG.asWritten)) == "8.3%"


def test_draft_of_a_corpus_text_passes_the_draft_checks(dataset: Dataset, tmp_path: Path) -> None:
    """kg validate's draft check (syntax, quotes at offsets in their source) passes."""
    from kg.data.paths import DataLayout
    from kg.validate.sources import check_drafts

    text_path = BENCHMARKS / "corpus" / "07_debut.txt"
    text = text_path.read_text(encoding="utf-8")
    sha = hashlib.sha256(text_path.read_bytes()).hexdigest()
    document = make_draft(dataset, text, sha, date="2026-01-08").document
    drafts = tmp_path / "triples" / "drafts"
    drafts.mkdir(parents=True)
    (drafts / "debut.trig").write_text(document, encoding="utf-8")
    described = Dataset()
    described.parse(
        data=f"""@prefix kg: <https://w3id.org/zhipu-kg/ontology#> .
        <https://w3id.org/zhipu-kg/resource/Source-{sha[:12]}> a kg:SourceArticle ;
            kg:sha256 "{sha}" .""",
        format="turtle",
    )
    problems, checked = check_drafts(DataLayout(tmp_path), {sha: text_path}, described)
    assert problems == [] and checked >= 8


def test_the_benchmark_at_small_size() -> None:
    sys.path.insert(0, str(BENCHMARKS))
    import bench_draft

    figures = bench_draft.score_corpus(limit=3)
    assert figures["texts"] == 3
    assert figures["quotes"] == 1.0
    assert figures["known"] >= 0.95 and figures["new_names"] >= 0.90
    assert figures["precision"] >= 0.90, figures["details"]
    assert figures["recall"] > 0.3


def test_a_person_leaving_one_company_for_another(dataset: Dataset) -> None:
    text = (
        "另一方面，零一万物联合创始人马杰已于近日离职，加入阶跃星辰担任首席运营官。\n"
        "阶跃星辰计划2026年赴港上市，拟募资约20亿港元。"
    )
    draft, _ = _draft(dataset, text)
    posts = set()
    for ev, post in _facts(draft, KG.Post):
        graph = draft.graph(ev)
        posts.add(
            tuple(_label(draft, graph.value(post, p)) for p in (ORG.heldBy, ORG.postIn, ORG.role))
        )
    assert posts == {("马杰", "零一万物", "联合创始人"), ("马杰", "阶跃星辰", "Role-COO")}
    [(ev, departure)] = _facts(draft, KG.Departure)
    assert _label(draft, draft.graph(ev).value(departure, KG.organization)) == "零一万物"
    [(ev, listing)] = _facts(draft, KG.Listing)
    graph = draft.graph(ev)
    assert _label(draft, graph.value(listing, KG.organization)) == "阶跃星辰"
    assert graph.value(listing, KG.status) == KG.Planned
    assert str(graph.value(graph.value(listing, KG.amount), KG.asWritten)) == "约20亿港元"


def test_a_former_post_and_a_forecast(dataset: Dataset) -> None:
    text = (
        "MiniMax由前商汤科技副总裁闫俊杰于2021年创立。\n"
        "月之暗面总裁张予彤称，公司今年的收入预计将超过1亿美元。"
    )
    draft, _ = _draft(dataset, text)
    provenance = draft.graph(PROVENANCE_GRAPH)
    former = {}
    for ev, post in _facts(draft, KG.Post):
        graph = draft.graph(ev)
        key = (
            _label(draft, graph.value(post, ORG.heldBy)),
            _label(draft, graph.value(post, ORG.postIn)),
        )
        former[key] = "前" in {str(c) for c in provenance.objects(ev, KG.cue)}
    assert former == {("闫俊杰", "SenseTime"): True, ("张予彤", "月之暗面"): False}
    assert _facts(draft, KG.Revenue) == []  # a forecast is no observation


#: How an amount is written → what the draft must say: (value, min, max, approximate).
WRITTEN_AMOUNTS = {
    "10亿元": (Decimal("1e9"), None, None, False),  # exact
    "１０亿元": (Decimal("1e9"), None, None, False),  # full-width digits, still exact
    "约10亿元": (Decimal("1e9"), None, None, True),
    "超10亿元": (None, Decimal("1e9"), None, True),  # a lower bound
    "逾5億元": (None, Decimal("5e8"), None, True),  # Traditional, a lower bound
    "不足5亿元": (None, None, Decimal("5e8"), True),  # an upper bound
    "3亿至5亿元": (None, Decimal("3e8"), Decimal("5e8"), True),  # a range, low first
    "数亿元": (None, Decimal("2e8"), Decimal("1e9"), True),
}


@pytest.mark.parametrize("written", sorted(WRITTEN_AMOUNTS))
def test_a_drafted_amount_keeps_its_bounds_and_its_approximation(
    dataset: Dataset, written: str
) -> None:
    text = f"2025年6月，星河智算科技完成{written}B轮融资，由红杉中国领投。"
    draft, _ = _draft(dataset, text)
    [(evidence, fact)] = _facts(draft, KG.FundingEvent)
    graph = draft.graph(evidence)
    amount = graph.value(fact, KG.amount)

    def number(prop: URIRef) -> Decimal | None:
        found = graph.value(amount, prop)
        return None if found is None else Decimal(str(found))

    got = (number(SCHEMA.value), number(SCHEMA.minValue), number(SCHEMA.maxValue))
    approximate = graph.value(amount, KG.isApproximate)
    assert (*got, approximate.toPython() if approximate is not None else None) == (
        WRITTEN_AMOUNTS[written]
    )
    assert str(graph.value(amount, KG.asWritten)) == written
