"""The draft writer's TriG, read back by rdflib: bounds, flags, units, dates, entities.

Proposals are built from amounts the quantity reader reads in news sentences (written the way
outlets write), rendered by :func:`kg.draft.writing.render` and parsed; each test asks the
parsed graph what it holds. Written to kill the mutants the draft tests let live
(``benchmarks/mutation.py writing``; see docs/mutation.md).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import RDF, Dataset, Literal, Namespace, URIRef
from rdflib.term import Node

from kg.data.prefixes import PREFIXES
from kg.data.quantities import parse_quantity
from kg.draft.dates import DateMention
from kg.draft.facts import Proposal
from kg.draft.names import NewEntity
from kg.draft.reading import Sentence
from kg.draft.writing import graph_name, node, render

KG, KGR, EV = Namespace(PREFIXES["kg"]), Namespace(PREFIXES["kgr"]), Namespace(PREFIXES["ev"])
SCHEMA, OA, PROV = (
    Namespace(PREFIXES["schema"]),
    Namespace(PREFIXES["oa"]),
    Namespace(PREFIXES["prov"]),
)
SKOS, RDFS = Namespace(PREFIXES["skos"]), Namespace(PREFIXES["rdfs"])
SOURCE = "https://w3id.org/zhipu-kg/resource/News1"
SENTENCE = Sentence(10, 40, "智谱完成超过 30 亿元融资,估值约 400 亿元。")


def parsed(*proposals: Proposal, entities: tuple[NewEntity, ...] = ()) -> Dataset:
    items = [(graph_name("ab" * 32, p.sentence, k), p) for k, p in enumerate(proposals, 1)]
    data = Dataset()
    data.parse(data=render(items, entities, SOURCE), format="trig")
    return data


def value_node(text: str, kind: str = "money") -> tuple[Dataset, Node]:
    proposal = Proposal(
        "kg:FundingEvent", SENTENCE, ["融资"], amounts=[("kg:amount", parse_quantity(text), kind)]
    )
    data = parsed(proposal)
    fact = URIRef(KGR + "Draft-abababab-000010-1")
    graph = data.graph(URIRef(EV + "draft-abababab-000010-1"))
    found = graph.value(fact, KG.amount)
    assert found is not None
    return data, found


def props(data: Dataset, subject: Node) -> dict[str, object]:
    out: dict[str, object] = {}
    for graph in data.graphs():
        for _, p, o in graph.triples((subject, None, None)):
            key = str(p).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            out[key] = o.toPython() if isinstance(o, Literal) else o
    return out


def test_an_exact_amount_has_its_value_and_is_not_approximate() -> None:
    data, amount = value_node("18亿元")
    got = props(data, amount)
    assert got["type"] == SCHEMA.MonetaryAmount
    assert got["value"] == Decimal("1800000000.0")
    assert got["currency"] == "CNY"
    assert got["asWritten"] == "18亿元"
    assert got["isApproximate"] is False
    assert "minValue" not in got and "maxValue" not in got


def test_values_are_written_as_decimals() -> None:
    data, amount = value_node("18亿元")
    (literal,) = [o for g in data.graphs() for o in g.objects(amount, SCHEMA.value)]
    assert isinstance(literal, Literal)
    assert literal.datatype == URIRef(PREFIXES["xsd"] + "decimal")


def test_a_price_read_as_money_is_money() -> None:
    data, amount = value_node("5元/百万tokens", "money")
    assert props(data, amount)["type"] == SCHEMA.MonetaryAmount


def test_a_price_per_a_unit_without_a_chinese_name_keeps_the_readers_unit() -> None:
    data, price = value_node("30港元/股", "unit_price")
    reference = props(data, props(data, price)["referenceQuantity"])  # type: ignore[arg-type]
    assert reference["value"] == Decimal("1.0") and reference["unitText"] == "SHARE"


def test_a_lower_bound_is_a_min_value_and_approximate() -> None:
    data, amount = value_node("超过 30 亿元")
    got = props(data, amount)
    assert got["minValue"] == Decimal("3000000000.0")
    assert "value" not in got and "maxValue" not in got
    assert got["isApproximate"] is True


def test_an_upper_bound_is_a_max_value() -> None:
    data, amount = value_node("不足600亿港元")
    got = props(data, amount)
    assert got["maxValue"] == Decimal("60000000000.0") and "minValue" not in got
    assert got["currency"] == "HKD" and got["isApproximate"] is True


def test_a_range_keeps_min_below_max() -> None:
    data, amount = value_node("30至36亿元")
    got = props(data, amount)
    assert (got["minValue"], got["maxValue"]) == (Decimal("3000000000.0"), Decimal("3600000000.0"))


def test_a_vague_magnitude_has_both_bounds() -> None:
    data, amount = value_node("数十亿元")
    got = props(data, amount)
    assert (got["minValue"], got["maxValue"]) == (Decimal("2000000000.0"), Decimal("10000000000.0"))


def test_an_approximate_point_value_keeps_its_value() -> None:
    data, amount = value_node("约 12 亿港元")
    got = props(data, amount)
    assert got["value"] == Decimal("1200000000.0") and got["isApproximate"] is True


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("30%", "%"),
        ("10倍", "倍"),
        ("5万人", "人"),
        ("100万token", "token"),
        ("三项", "项"),
        ("三千", "个"),
    ],
)
def test_a_count_names_its_unit(text: str, unit: str) -> None:
    data, value = value_node(text, "quantity")
    got = props(data, value)
    assert got["type"] == SCHEMA.QuantitativeValue
    assert got["unitText"] == unit
    assert got["asWritten"] == text


def test_a_price_per_million_tokens() -> None:
    data, price = value_node("5元/百万token", "unit_price")
    got = props(data, price)
    assert got["type"] == SCHEMA.UnitPriceSpecification
    assert got["price"] == Decimal("5.0") and got["priceCurrency"] == "CNY"
    reference = props(data, got["referenceQuantity"])  # type: ignore[arg-type]
    assert reference["value"] == Decimal("1000000.0") and reference["unitText"] == "token"


def test_a_share_price_is_per_one_share() -> None:
    data, price = value_node("30港元", "share_price")
    reference = props(data, props(data, price)["referenceQuantity"])  # type: ignore[arg-type]
    assert reference["value"] == Decimal("1.0") and reference["unitText"] == "股"


def test_a_price_per_units_the_words_around_it_give() -> None:
    data, price = value_node("0.5元", "per:1000:token")
    got = props(data, price)
    reference = props(data, got["referenceQuantity"])  # type: ignore[arg-type]
    assert got["price"] == Decimal("0.5")
    assert reference["value"] == Decimal("1000.0") and reference["unitText"] == "token"


def test_the_evidence_graph_quotes_the_sentence_at_its_offsets() -> None:
    proposal = Proposal(
        "kg:FundingEvent",
        SENTENCE,
        ["融资", "融资", "完成"],
        roles=[("kg:investee", KGR + "Zhipu")],
    )
    data = parsed(proposal)
    provenance = data.graph(URIRef(PREFIXES["kgg"] + "provenance"))
    evidence = URIRef(EV + "draft-abababab-000010-1")
    assert (evidence, RDF.type, KG.Evidence) in provenance
    assert (evidence, KG.status, KG.Draft) in provenance
    assert sorted(str(c) for c in provenance.objects(evidence, KG.cue)) == ["完成", "融资"]
    assert provenance.value(evidence, KG.confidence).toPython() == Decimal("0.6")
    resource = provenance.value(evidence, PROV.wasDerivedFrom)
    assert provenance.value(resource, OA.hasSource) == URIRef(SOURCE)
    exact = {
        str(provenance.value(s, OA.exact)) for s in provenance.objects(resource, OA.hasSelector)
    }
    assert SENTENCE.text in exact
    starts = [provenance.value(s, OA.start) for s in provenance.objects(resource, OA.hasSelector)]
    ends = [provenance.value(s, OA.end) for s in provenance.objects(resource, OA.hasSelector)]
    assert Literal(10) in starts and Literal(40) in ends


def test_the_fact_has_its_class_roles_and_values_once_each() -> None:
    proposal = Proposal(
        "kg:FundingEvent",
        SENTENCE,
        ["融资"],
        roles=[
            ("kg:investee", KGR + "Zhipu"),
            ("kg:investor", KGR + "A"),
            ("kg:investor", KGR + "B"),
            ("kg:investor", KGR + "A"),
        ],
        values=[("kg:round", '"B轮"@zh')],
        extra=[(KGR + "A", "kg:tookPartIn", "{fact}")],
    )
    data = parsed(proposal)
    graph = data.graph(URIRef(EV + "draft-abababab-000010-1"))
    fact = URIRef(KGR + "Draft-abababab-000010-1")
    assert (fact, RDF.type, KG.FundingEvent) in graph
    assert sorted(graph.objects(fact, KG.investor)) == [URIRef(KGR + "A"), URIRef(KGR + "B")]
    assert graph.value(fact, KG.investee) == URIRef(KGR + "Zhipu")
    assert graph.value(fact, KG["round"]) == Literal("B轮", lang="zh")
    assert (URIRef(KGR + "A"), KG.tookPartIn, fact) in graph
    assert graph.value(fact, KG.dateNote) == Literal("The sentence gives no date.", lang="en")


def test_a_date_is_written_with_its_type_and_words() -> None:
    date = DateMention("2025年3月", "2025-03", "gYearMonth")
    proposal = Proposal("kg:FundingEvent", SENTENCE, ["融资"], date=date)
    graph = parsed(proposal).graph(URIRef(EV + "draft-abababab-000010-1"))
    fact = URIRef(KGR + "Draft-abababab-000010-1")
    written = graph.value(fact, KG.date)
    assert isinstance(written, Literal)
    assert (str(written), written.datatype) == ("2025-03", URIRef(PREFIXES["xsd"] + "gYearMonth"))
    assert graph.value(fact, KG.dateText) == Literal("2025年3月", lang="zh")
    assert graph.value(fact, KG.dateNote) is None


def test_a_date_without_a_year_keeps_only_its_words() -> None:
    date = DateMention("3月", None, None)
    proposal = Proposal("kg:Statement", SENTENCE, ["表示"], date=date)
    graph = parsed(proposal).graph(URIRef(EV + "draft-abababab-000010-1"))
    fact = URIRef(KGR + "Draft-abababab-000010-1")
    assert graph.value(fact, KG.date) is None
    assert graph.value(fact, KG.dateText) == Literal("3月", lang="zh")


def test_a_non_event_without_a_date_gets_no_date_note() -> None:
    graph = parsed(Proposal("kg:Statement", SENTENCE, ["表示"])).graph(
        URIRef(EV + "draft-abababab-000010-1")
    )
    assert graph.value(URIRef(KGR + "Draft-abababab-000010-1"), KG.dateNote) is None


def test_new_entities_are_drafts_with_their_names() -> None:
    entity = NewEntity(
        "Baichuan", "百川智能", "kg:Company", "org", {"百川智能", "百川"}, {"百川智能", "百川"}
    )
    data = parsed(Proposal("kg:Statement", SENTENCE, ["表示"]), entities=(entity,))
    curation = data.graph(URIRef(PREFIXES["kgg"] + "draft-curation"))
    iri = URIRef(entity.iri)
    assert (iri, RDF.type, KG.Company) in curation
    assert curation.value(iri, RDFS.label) == Literal("百川智能", lang="zh")
    assert set(curation.objects(iri, SKOS.altLabel)) == {Literal("百川", lang="zh")}
    assert (iri, KG.status, KG.Draft) in curation
    assert set(curation.objects(iri, KG.asWritten)) == {Literal("百川"), Literal("百川智能")}


def test_no_entities_no_curation_graph() -> None:
    text = render([], [], SOURCE)
    assert "draft-curation" not in text
    assert text.startswith(
        "# A DRAFT written by `kg draft`: each graph proposes one fact, marked kg:status kg:Draft\n"
        "# and left out of the default dataset. Review it (kg review), or curate it by hand: keep\n"
        "# what the quote says, drop the draft mark, move it to triples/sources/.\n@prefix "
    )
    assert text.endswith("kgg:provenance {\n}\n")


def test_graph_names_and_the_node_of_an_untyped_count() -> None:
    assert graph_name("0123456789abcdef", Sentence(42, 50, "x"), 3) == "draft-01234567-000042-3"
    assert node(parse_quantity("三千"), "quantity").startswith("[ a schema:QuantitativeValue ;")
