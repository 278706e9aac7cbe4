"""Competency questions: what the graph must answer, and the sentence of the article that says so.

Each question is one or more SPARQL queries run through :func:`kg.load`. Answers are checked
against values read off the article by hand; every answer is joined through ``GRAPH ?ev { … }``
to the evidence graph that asserts it, and the quote of that graph must carry the key words.
"""

from __future__ import annotations

import hashlib
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from rdflib import XSD, Literal, Namespace, URIRef
from rdflib.term import Identifier

import kg
from kg.data.prefixes import PREFIXES

KG = Namespace(PREFIXES["kg"])
KGR = Namespace(PREFIXES["kgr"])
EV = Namespace(PREFIXES["ev"])

#: Joins an evidence graph ``?ev`` to its quote ``?quote`` (only real evidence graphs qualify).
QUOTE = "?ev a kg:Evidence ; prov:wasDerivedFrom/oa:hasSelector/oa:exact ?quote ."


def D(text: str) -> Decimal:
    return Decimal(text)


def gyear(year: str) -> Literal:
    return Literal(year, datatype=XSD.gYear)


def gyearmonth(month: str) -> Literal:
    return Literal(month, datatype=XSD.gYearMonth)


@pytest.fixture(scope="module")
def g(tmp_path_factory: pytest.TempPathFactory) -> kg.KnowledgeGraph:
    """The article's part of the shipped graph, loaded once for this module.

    These are the article's competency questions: the later public reports
    (``triples/sources/Report-*.trig``, cited) give some of the same facts again and add others;
    they are tested in ``test_cited_evidence.py`` and by the cross-source named queries.
    """
    root = tmp_path_factory.mktemp("article-data")
    for name in ("ontology.ttl", "shapes.ttl"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "queries", root / "queries")
    (root / "triples").mkdir()
    for path in (ROOT / "triples").glob("*.trig"):
        shutil.copy(path, root / "triples" / path.name)
    return kg.load(root)


@pytest.fixture(scope="module")
def article(g: kg.KnowledgeGraph, source_path: Path) -> str:
    """The source article's text (see the ``source_path`` fixture for where it is found)."""
    path = source_path
    data = path.read_bytes()
    [expected] = [str(r.h) for r in g.query("SELECT ?h WHERE { kgr:SourceArticle kg:sha256 ?h }")]
    assert hashlib.sha256(data).hexdigest() == expected, (
        f"{path} is not the article the data quotes"
    )
    return data.decode("utf-8")


def select(g: kg.KnowledgeGraph, sparql: str, **bindings: Identifier) -> list[dict[str, Any]]:
    """Rows as dicts of rdflib terms (unbound variables are missing)."""
    return [row.asdict() for row in g.query(sparql, bindings)]  # type: ignore[union-attr]


def ask(g: kg.KnowledgeGraph, sparql: str, **bindings: Identifier) -> bool:
    return bool(g.query(sparql, bindings).askAnswer)


def num(term: Identifier | None) -> Decimal | None:
    """A numeric literal as a Decimal, or None."""
    return None if term is None else Decimal(str(term))


def assert_quotes_mention(rows: list[dict[str, Any]], *words: str) -> None:
    """Some quote among ``rows`` contains each word (and there is at least one quote)."""
    quotes = {str(r["quote"]) for r in rows if "quote" in r}
    assert quotes, "no evidence quote joined to the answer"
    for word in words:
        assert any(word in q for q in quotes), f"no quote mentions {word!r}: {sorted(quotes)}"


# --------------------------------------------------------------------------------------------
# 1. Who invested in Zhipu in 2025, when, how much, from which city?


FUNDING_2025 = f"""
SELECT ?event ?investor ?city ?date ?value ?currency ?written ?quote WHERE {{
    ?event a/rdfs:subClassOf* kg:FundingEvent .
    GRAPH ?ev {{
        ?event kg:investee kgr:Zhipu ; kg:investor ?investor ; kg:location ?city ;
            kg:date ?date ; kg:amount ?amount .
        ?amount schema:value ?value ; schema:currency ?currency ; kg:asWritten ?written .
    }}
    {QUOTE}
    FILTER(STRSTARTS(STR(?date), "2025"))
}}
"""


def test_q1_who_invested_in_2025_when_how_much_where(g: kg.KnowledgeGraph) -> None:
    rows = select(g, FUNDING_2025)
    events: dict[URIRef, dict[str, Any]] = {}
    for r in rows:
        e = events.setdefault(
            r["event"],
            {"investors": set(), "cities": set(), "facts": set(), "rows": []},
        )
        e["investors"].add(r["investor"])
        e["cities"].add(r["city"])
        e["facts"].add((r["date"], num(r["value"]), str(r["currency"]), str(r["written"])))
        e["rows"].append(r)

    assert set(events) == {KGR["Funding-2025-03"], KGR["Funding-2025-04-Beijing"]}

    march = events[KGR["Funding-2025-03"]]
    assert march["investors"] == {
        KGR["Zhuhai-StatePlatform"],
        KGR["Chengdu-StatePlatform"],
        KGR["Hangzhou-StatePlatform"],
    }
    assert march["cities"] == {KGR.Zhuhai, KGR.Chengdu, KGR.Hangzhou}
    # One event, one amount for the three cities together.
    assert march["facts"] == {(gyearmonth("2025-03"), D("1.8e9"), "CNY", "18亿元")}
    assert_quotes_mention(march["rows"], "3月", "珠海", "成都", "杭州", "18亿元")

    april = events[KGR["Funding-2025-04-Beijing"]]
    assert april["investors"] == {KGR.BeijingAIFund}
    assert april["cities"] == {KGR.Beijing}
    assert april["facts"] == {(gyearmonth("2025-04"), D("2e8"), "CNY", "2亿")}
    assert_quotes_mention(april["rows"], "4月", "北京市人工智能产业投资基金", "2亿")


def test_q1_investor_platforms_are_located_in_their_cities(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        f"""SELECT ?investor ?city ?cityZh ?quote WHERE {{
            GRAPH ?ev {{ ?f kg:investor ?investor . ?investor kg:location ?city }}
            ?city rdfs:label ?cityZh FILTER(lang(?cityZh) = "zh")
            {QUOTE}
        }}""",
    )
    located = {(r["investor"], r["city"]) for r in rows}
    assert located == {
        (KGR["Zhuhai-StatePlatform"], KGR.Zhuhai),
        (KGR["Chengdu-StatePlatform"], KGR.Chengdu),
        (KGR["Hangzhou-StatePlatform"], KGR.Hangzhou),
        (KGR.BeijingAIFund, KGR.Beijing),
    }
    for r in rows:
        assert str(r["cityZh"]) in str(r["quote"])


def test_q1_each_2025_event_has_exactly_one_amount(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        """SELECT ?event (COUNT(DISTINCT ?a) AS ?n) WHERE {
            ?event a kg:FundingEvent ; kg:investee kgr:Zhipu ; kg:date ?d ; kg:amount ?a .
            FILTER(STRSTARTS(STR(?d), "2025"))
        } GROUP BY ?event""",
    )
    assert {r["event"]: r["n"].toPython() for r in rows} == {
        KGR["Funding-2025-03"]: 1,
        KGR["Funding-2025-04-Beijing"]: 1,
    }


def test_q1_no_amount_for_zhuhai_alone(g: kg.KnowledgeGraph) -> None:
    # No funding event whose only investor is the Zhuhai platform carries an amount …
    assert not ask(
        g,
        """ASK {
            ?f kg:investor kgr:Zhuhai-StatePlatform ; kg:amount ?a .
            FILTER NOT EXISTS { ?f kg:investor ?other FILTER(?other != kgr:Zhuhai-StatePlatform) }
        }""",
    )
    # … no amount hangs off Zhuhai or its platform directly …
    assert not ask(
        g,
        """ASK {
            VALUES ?s { kgr:Zhuhai kgr:Zhuhai-StatePlatform }
            ?s ?p ?a . ?a a schema:MonetaryAmount .
        }""",
    )
    # … and the only money Zhuhai is part of is the 18亿元 shared by three cities.
    rows = select(
        g,
        """SELECT ?f ?v (COUNT(DISTINCT ?inv) AS ?investors) WHERE {
            ?f kg:investor kgr:Zhuhai-StatePlatform , ?inv ; kg:amount/schema:value ?v .
        } GROUP BY ?f ?v""",
    )
    assert [(r["f"], num(r["v"]), r["investors"].toPython()) for r in rows] == [
        (KGR["Funding-2025-03"], D("1.8e9"), 3)
    ]


# --------------------------------------------------------------------------------------------
# 2. Valuation and total state capital.


def test_q2_valuation_and_total_state_capital(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        f"""SELECT ?valuation ?vcur ?total ?tcur ?cities ?unit ?quote WHERE {{
            GRAPH ?ev {{
                ?val a kg:Valuation ; kg:observedEntity kgr:Zhipu ; kg:amount ?va .
                ?va schema:value ?valuation ; schema:currency ?vcur .
                ?tot a kg:FundingTotal ; kg:observedEntity kgr:Zhipu ;
                    kg:partOf ?campaign ; kg:amount ?ta .
                ?ta schema:value ?total ; schema:currency ?tcur .
                ?campaign kg:quantity ?q . ?q schema:value ?cities ; schema:unitText ?unit .
            }}
            {QUOTE}
        }}""",
    )
    assert [
        (num(r["valuation"]), str(r["vcur"]), num(r["total"]), str(r["tcur"]), num(r["cities"]))
        for r in rows
    ] == [(D("4e10"), "CNY", D("3e9"), "CNY", D("5"))]
    assert str(rows[0]["unit"]) == "座城市"
    assert_quotes_mention(rows, "5座城市", "国资", "30亿元", "400亿元")


def test_q2_named_2025_rounds_fit_within_the_total(g: kg.KnowledgeGraph) -> None:
    # The article names four of the five cities; their rounds (18亿 + 2亿) stay under the 30亿.
    [row] = select(
        g,
        """SELECT ?total (SUM(?v) AS ?named) WHERE {
            ?tot a kg:FundingTotal ; kg:partOf ?c ; kg:amount/schema:value ?total .
            ?f a kg:FundingEvent ; kg:partOf ?c ; kg:amount/schema:value ?v .
        } GROUP BY ?total""",
    )
    assert (num(row["total"]), num(row["named"])) == (D("3e9"), D("2e9"))
    [row] = select(
        g,
        """SELECT (COUNT(DISTINCT ?city) AS ?n) WHERE {
            ?f a kg:FundingEvent ; kg:partOf kgr:StateCapitalCampaign-2025 ; kg:location ?city .
        }""",
    )
    assert row["n"].toPython() == 4


# --------------------------------------------------------------------------------------------
# 3. Executives and their posts; who left in 2025; the staff reduction.


def test_q3_executives_and_posts(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        f"""SELECT ?person ?name ?role ?abbr ?resp ?quote WHERE {{
            GRAPH ?ev {{
                ?post org:postIn kgr:Zhipu ; org:role ?role ; org:heldBy ?person ;
                    kg:responsibility ?resp .
                ?person org:holds ?post .
            }}
            FILTER(lang(?resp) = "zh")
            ?person rdfs:label ?name FILTER(lang(?name) = "zh")
            ?role skos:altLabel ?abbr FILTER(lang(?abbr) = "en")
            {QUOTE}
        }}""",
    )
    answer = {(r["person"], str(r["name"]), str(r["abbr"]), str(r["resp"])) for r in rows}
    assert answer == {
        (KGR.ZhangPeng, "张鹏", "CEO", "融资与政府合作"),
        (KGR.ZhangFan, "张帆", "COO", "智谱商业化战略落地"),
    }
    for r in rows:
        assert f"{r['abbr']}{r['name']}" in str(r["quote"])
        assert str(r["resp"]) in str(r["quote"])


def test_q3_who_left_in_2025(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        f"""SELECT ?person ?name ?post ?size ?nb ?na ?quote WHERE {{
            GRAPH ?ev {{
                ?d a kg:Departure ; kg:person ?person ; kg:organization kgr:Zhipu ;
                   kg:endsPost ?post ; kg:partOf ?wave ;
                   kg:notBefore ?nb ; kg:notAfter ?na .
                ?wave a kg:DepartureWave ; kg:quantity/schema:value ?size .
            }}
            ?person rdfs:label ?name FILTER(lang(?name) = "zh")
            FILTER(STRSTARTS(STR(?nb), "2025"))
            {QUOTE}
        }}""",
    )
    assert [
        (r["person"], str(r["name"]), r["post"], num(r["size"]), r["nb"], r["na"]) for r in rows
    ] == [
        (
            KGR.ZhangFan,
            "张帆",
            KGR["Zhipu-COO"],
            D("5"),
            gyearmonth("2025-01"),
            gyearmonth("2025-06"),
        )
    ]
    assert_quotes_mention(rows, "今年上半年", "5位高管", "离职", "张帆")


def test_q3_departures_are_dated_only_as_a_range(g: kg.KnowledgeGraph) -> None:
    for subject in (KGR["Departure-ZhangFan"], KGR["DepartureWave-2025H1"]):
        assert not ask(g, "ASK { ?s kg:date ?d }", s=subject), subject
        assert not ask(g, "ASK { ?s kg:approximateDate ?d }", s=subject), subject
        [row] = select(
            g, "SELECT ?t WHERE { ?s kg:dateText ?t FILTER(lang(?t) = 'zh') }", s=subject
        )
        assert str(row["t"]) == "今年上半年"


def test_q3_staff_reduction_is_a_minimum(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        f"""SELECT ?min ?value ?max ?approx ?written ?quote WHERE {{
            GRAPH ?ev {{
                ?r a kg:StaffReduction ; kg:organization kgr:Zhipu ; kg:quantity ?q .
                ?q schema:minValue ?min ; kg:isApproximate ?approx ; kg:asWritten ?written .
                OPTIONAL {{ ?q schema:value ?value }}
                OPTIONAL {{ ?q schema:maxValue ?max }}
            }}
            {QUOTE}
        }}""",
    )
    assert [
        (num(r["min"]), r.get("value"), r.get("max"), r["approx"].toPython(), str(r["written"]))
        for r in rows
    ] == [(D("100"), None, None, True, "100余人")]
    assert_quotes_mention(rows, "减少100余人")


# --------------------------------------------------------------------------------------------
# 4. Models released or open-sourced: when, how large.


def test_q4_zhipu_model_releases(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        f"""SELECT ?model ?date ?open ?quote WHERE {{
            GRAPH ?ev {{
                ?rel a kg:ModelRelease ; kg:releasedModel ?model ; kg:releasedBy kgr:Zhipu .
                OPTIONAL {{ ?rel kg:date ?date }}
                OPTIONAL {{ ?rel kg:openSource ?open }}
            }}
            {QUOTE}
        }}""",
    )
    answer = {(r["model"], r.get("date"), r["open"].toPython()) for r in rows}
    assert answer == {
        (KGR["GLM-130B"], gyear("2022"), True),
        (KGR["GLM-10B"], None, True),
    }
    by_model = {r["model"]: str(r["quote"]) for r in rows}
    assert "2022年" in by_model[KGR["GLM-130B"]]
    assert "开源" in by_model[KGR["GLM-130B"]]
    assert "公开了GLM-10B模型的源代码" in by_model[KGR["GLM-10B"]]


def test_q4_glm_10b_open_sourcing_has_no_date(g: kg.KnowledgeGraph) -> None:
    assert not ask(
        g,
        """ASK { ?rel kg:releasedModel kgr:GLM-10B .
                 ?rel kg:date|kg:approximateDate|kg:notBefore|kg:notAfter ?d }""",
    )


def test_q4_glm_130b_is_open_and_of_the_hundred_billion_class(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        f"""SELECT ?min ?max ?value ?approx ?quote WHERE {{
            GRAPH ?ev {{
                kgr:GLM-130B kg:openSource true ; kg:parameterCount ?p .
                ?p schema:minValue ?min ; schema:maxValue ?max ; kg:isApproximate ?approx .
                OPTIONAL {{ ?p schema:value ?value }}
            }}
            {QUOTE}
        }}""",
    )
    assert [
        (num(r["min"]), num(r["max"]), r.get("value"), r["approx"].toPython()) for r in rows
    ] == [(D("1e11"), D("1e12"), None, True)]
    assert_quotes_mention(rows, "千亿级", "首个开源")


def test_q4_wudao_2_size_known_date_unknown(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        f"""SELECT ?params ?approx ?dateText ?quote WHERE {{
            GRAPH ?ev {{
                ?rel a kg:ModelRelease ; kg:releasedModel kgr:WuDao-2.0 ; kg:dateText ?dateText .
                kgr:WuDao-2.0 kg:parameterCount ?p .
                ?p schema:value ?params ; kg:isApproximate ?approx .
            }}
            {QUOTE}
        }}""",
    )
    assert [(num(r["params"]), r["approx"].toPython(), r["dateText"]) for r in rows] == [
        (D("1.75e12"), False, Literal("同年6月", lang="zh"))
    ]
    assert_quotes_mention(rows, "同年6月", "悟道2.0", "1.75万亿")
    # 同年 points to a year the article never states: the date stays unknown.
    assert not ask(
        g,
        """ASK { { ?rel kg:releasedModel kgr:WuDao-2.0 } UNION { BIND(kgr:WuDao-2.0 AS ?rel) }
                 ?rel kg:date|kg:approximateDate|kg:notBefore|kg:notAfter ?d }""",
    )


# --------------------------------------------------------------------------------------------
# 5. API prices, per million tokens.


PRICES = f"""
SELECT ?who ?when ?perMillion ?quote WHERE {{
    GRAPH ?ev {{
        {{ ?pc kg:organization ?who ; kg:priceBefore ?spec . BIND("before" AS ?when) }}
        UNION
        {{ ?pc kg:organization ?who ; kg:priceAfter ?spec . BIND("after" AS ?when) }}
        ?spec schema:price ?price ; schema:priceCurrency "CNY" ; schema:referenceQuantity ?ref .
        ?ref schema:value ?per ; schema:unitText "token" .
    }}
    BIND(?price * 1000000 / ?per AS ?perMillion)
    {QUOTE}
}}
"""


def test_q5_api_prices_per_million_tokens(g: kg.KnowledgeGraph) -> None:
    rows = select(g, PRICES)
    answer = {(r["who"], r["when"].toPython(), num(r["perMillion"])) for r in rows}
    assert answer == {
        (KGR.Zhipu, "before", D("5")),
        (KGR.Zhipu, "after", D("1")),
        (KGR.ByteDance, "after", D("0.3")),
        (KGR.Alibaba, "after", D("0.3")),
    }
    assert_quotes_mention(rows, "5元/百万token", "砍至1元", "0.0003元/千token", "字节", "阿里")


def test_q5_big_tech_undercuts_zhipu_even_after_the_cut(g: kg.KnowledgeGraph) -> None:
    assert ask(
        g,
        """ASK {
            kgr:PriceChange-Zhipu-API kg:priceBefore ?b ; kg:priceAfter ?a .
            ?b schema:price ?bp ; schema:referenceQuantity/schema:value ?bq .
            ?a schema:price ?ap ; schema:referenceQuantity/schema:value ?aq .
            ?pc a kg:PriceChange ; kg:organization kgr:ByteDance ; kg:priceAfter ?c .
            ?c schema:price ?cp ; schema:referenceQuantity/schema:value ?cq .
            FILTER(?cp * 1000000 / ?cq < ?ap * 1000000 / ?aq
                   && ?ap * 1000000 / ?aq < ?bp * 1000000 / ?bq)
        }""",
    )
    rows = select(g, PRICES + " ORDER BY ?perMillion")
    order = [(r["who"], r["when"].toPython()) for r in rows]
    assert {order[0], order[1]} == {(KGR.ByteDance, "after"), (KGR.Alibaba, "after")}
    assert order[2:] == [(KGR.Zhipu, "after"), (KGR.Zhipu, "before")]


# --------------------------------------------------------------------------------------------
# 6. 2024 revenue and loss.


def test_q6_revenue_and_loss_2024(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        f"""SELECT ?kind ?value ?currency ?date ?quote WHERE {{
            VALUES ?kind {{ kg:Revenue kg:Loss }}
            GRAPH ?ev {{
                ?obs a ?kind ; kg:observedEntity kgr:Zhipu ; kg:date ?date ; kg:amount ?a .
                ?a schema:value ?value ; schema:currency ?currency .
            }}
            FILTER(?date = "2024"^^xsd:gYear)
            {QUOTE}
        }}""",
    )
    assert {(r["kind"], num(r["value"]), str(r["currency"]), r["date"]) for r in rows} == {
        (KG.Revenue, D("3e8"), "CNY", gyear("2024")),
        (KG.Loss, D("2e9"), "CNY", gyear("2024")),
    }
    assert_quotes_mention(rows, "2024年", "收入为3亿元", "亏损却达20亿元")


# --------------------------------------------------------------------------------------------
# 7. The five roadmap stages, and where Zhipu is now.


def test_q7_roadmap_stages_in_order(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        f"""SELECT ?stage ?n ?label ?quote WHERE {{
            GRAPH ?ev {{ kgr:TangJie-AGIRoadmap kg:hasStage ?stage . ?stage kg:stageNumber ?n }}
            ?stage rdfs:label ?label FILTER(lang(?label) = "zh")
            {QUOTE}
        }} ORDER BY ?n""",
    )
    assert [(r["stage"], r["n"].toPython()) for r in rows] == [
        (KGR[f"L{i}"], i) for i in range(1, 6)
    ]
    names = ["预训练大模型", "对齐与推理", "自我学习", "自我认知", "意识智能"]
    for r, name in zip(rows, names, strict=True):
        assert name in str(r["label"])
        assert f"L{r['n']}{name}" in str(r["quote"])
    assert_quotes_mention(rows, "2019年", "唐杰", "五个阶段")
    # The stages form one chain L1 → L5.
    assert ask(g, "ASK { kgr:L1 kg:nextStage/kg:nextStage/kg:nextStage/kg:nextStage kgr:L5 }")
    assert not ask(g, "ASK { kgr:L5 kg:nextStage ?x }")


def test_q7_where_zhipu_is_now(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        f"""SELECT ?claim ?text ?quote WHERE {{
            GRAPH ?ev {{
                ?claim a kg:Claim ; kg:claimant kgr:TangJie ; kg:claimType kg:DirectQuote ;
                    kg:certainty kg:OnRecord ; kg:about kgr:L2 , kgr:L3 , kgr:Zhipu ;
                    schema:text ?text .
            }}
            FILTER(lang(?text) = "zh")
            {QUOTE}
        }}""",
    )
    assert [(r["claim"], str(r["text"])) for r in rows] == [
        (KGR["Claim-TangJie-L2L3"], "我们目前正处在L2和L3的交汇处")
    ]
    assert_quotes_mention(rows, "唐杰的话", "L2和L3的交汇处")


# --------------------------------------------------------------------------------------------
# 8. SenseTime's market value: peak, now, trough.


def test_q8_sensetime_market_value(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        f"""SELECT ?kind ?value ?min ?max ?currency ?approx ?written ?quote WHERE {{
            GRAPH ?ev {{
                ?mc a kg:MarketCapitalisation ; kg:observedEntity kgr:SenseTime ;
                    kg:observationKind ?kind ; kg:amount ?a .
                ?a schema:currency ?currency ; kg:isApproximate ?approx ; kg:asWritten ?written .
                OPTIONAL {{ ?a schema:value ?value }}
                OPTIONAL {{ ?a schema:minValue ?min }}
                OPTIONAL {{ ?a schema:maxValue ?max }}
            }}
            {QUOTE}
        }}""",
    )
    answer = {
        r["kind"]: (
            num(r.get("value")),
            num(r.get("max")),
            str(r["currency"]),
            r["approx"].toPython(),
            str(r["written"]),
        )
        for r in rows
    }
    assert answer == {
        KG.Peak: (D("3e11"), None, "HKD", False, "3000亿港元"),
        KG.Current: (None, D("6e10"), "HKD", True, "不足600亿"),
        KG.Trough: (D("2e10"), None, "HKD", True, "200来亿港币"),
    }
    trough = next(r for r in rows if r["kind"] == KG.Trough)
    assert "min" not in trough or num(trough["min"]) == D("2e10")
    assert_quotes_mention(rows, "商汤科技", "3000亿港元", "不足600亿", "200来亿港币")


def test_q8_current_sensetime_value_has_no_point_value(g: kg.KnowledgeGraph) -> None:
    assert not ask(g, "ASK { kgr:SenseTime-MarketCap-Current kg:amount/schema:value ?v }")


# --------------------------------------------------------------------------------------------
# 9. Claims by speaker; which are hearsay.

CLAIMS = f"""
SELECT ?claim ?claimant ?type ?certainty ?text ?quote WHERE {{
    GRAPH ?ev {{
        ?claim a kg:Claim ; kg:claimant ?claimant ; kg:claimType ?type ; kg:certainty ?certainty ;
            schema:text ?text .
    }}
    FILTER(lang(?text) = "zh")
    {QUOTE}
}}
"""


def test_q9_claims_by_speaker(g: kg.KnowledgeGraph) -> None:
    rows = select(g, CLAIMS)
    table = {(r["claim"], r["claimant"], r["type"], r["certainty"]) for r in rows}
    assert table == {
        (KGR["Claim-TangJie-Summit"], KGR.TangJie, KG.ReportedBelief, KG.OnRecord),
        (KGR["Claim-TangJie-L2L3"], KGR.TangJie, KG.DirectQuote, KG.OnRecord),
        (KGR["Claim-ZhangPeng-OpenDay"], KGR.ZhangPeng, KG.ReportedSpeech, KG.OnRecord),
        (KGR["Claim-ZhangPeng-Autonomy"], KGR.ZhangPeng, KG.DirectQuote, KG.OnRecord),
        (KGR["Claim-ZhangPeng-Travelling-Money"], KGR.ZhangPeng, KG.ReportedSpeech, KG.OnRecord),
        (
            KGR["Claim-Researcher-ChipOperators"],
            KGR.UnnamedResearcher,
            KG.ReportedSpeech,
            KG.Unverified,
        ),
        (
            KGR["Claim-FoundingTeam-GeneralModels"],
            KGR["Zhipu-FoundingTeam"],
            KG.ReportedBelief,
            KG.Unverified,
        ),
        (
            KGR["Claim-Leadership-MustCatchTheTrain"],
            KGR["Zhipu-CoreLeadership"],
            KG.ReportedBelief,
            KG.Unverified,
        ),
        (KGR["Claim-Hearsay-EngineersProtest"], KGR.UnnamedHearsay, KG.Hearsay, KG.Unverified),
        (KGR["Claim-Rumour-ExecutivesTalkToBAT"], KGR.UnnamedRumour, KG.Rumour, KG.Unverified),
        (KGR["Claim-Reports-MetaHires"], KGR.UnnamedReports, KG.MediaReport, KG.Unverified),
    } | {
        # The author's voice (issue 10): every assessment and stated cause is a claim by Er Ling.
        (claim, KGR.ErLing, kind, KG.OnRecord)
        for claim, kind in AUTHOR_CLAIMS.items()
    }


#: The author's assessments and causal links, each a claim by kgr:ErLing (issue 10).
AUTHOR_CLAIMS = {
    KGR[name]: KG.StatedCause if name.startswith("Cause-") else KG.AuthorAssessment
    for name in (
        "Assessment-DragonsRetrench",
        "Assessment-LedeQuestion",
        "Assessment-ZhangPengBusiest",
        "Assessment-AllForIPO",
        "Assessment-JustTheStart",
        "Assessment-HandBuiltOperators",
        "Cause-RestrictedAccess-SelfReliance",
        "Cause-Blockade-RestrictedAccess",
        "Cause-Autonomy-Survival",
        "Assessment-SecondBigTask",
        "Cause-GPT3-ShookIndustry",
        "Cause-GPT3-Realisation",
        "Assessment-PipeDream",
        "Assessment-GLM130BFillsGap",
        "Cause-ChatGPT-Opinion",
        "Cause-HELM-Label",
        "Cause-HELM-Label-Orders",
        "Cause-Orders-SelfFunding",
        "Assessment-ThreeStrengths",
        "Assessment-RoadmapsMatch",
        "Assessment-Halfway",
        "Assessment-SummitStillFar",
        "Assessment-CashBurn",
        "Cause-Losses-Listing",
        "Cause-StateCapital-Levers",
        "Assessment-RaceAgainstTime",
        "Assessment-LandscapeShift",
        "Assessment-GiantsSweep",
        "Assessment-DragonsLoseTheSay",
        "Assessment-GiantsSuffocateStartups",
        "Cause-PriceWar-MonetisationFails",
        "Assessment-ZhipuTroubles",
        "Cause-PricePressure-ZhipuCut",
        "Cause-Lag-Doubts",
        "Cause-Troubles-ModelRevenue",
        "Cause-ModelRevenue-BusinessShift",
        "Assessment-TransformationEssence",
        "Assessment-HumanLabourHope",
        "Assessment-BiggerProblem",
        "Assessment-ValuationQuestion",
        "Assessment-SenseTimeLesson",
        "Cause-SenseTimeDecline",
    )
}


def test_q9_every_claim_text_is_verbatim_in_its_quote(g: kg.KnowledgeGraph) -> None:
    rows = select(g, CLAIMS)
    assert len(rows) == 11 + len(AUTHOR_CLAIMS)
    for r in rows:
        assert str(r["text"]) in str(r["quote"]), r["claim"]


def test_q9_hearsay_is_unverified_and_unnamed(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        f"""SELECT ?claim ?type ?certainty ?claimant ?sourceType ?quote WHERE {{
            VALUES ?type {{ kg:Hearsay kg:Rumour kg:MediaReport }}
            GRAPH ?ev {{ ?claim kg:claimType ?type ; kg:certainty ?certainty ;
                                kg:claimant ?claimant }}
            ?claimant a ?sourceType .
            {QUOTE}
        }}""",
    )
    assert {r["claim"] for r in rows} == {
        KGR["Claim-Hearsay-EngineersProtest"],
        KGR["Claim-Rumour-ExecutivesTalkToBAT"],
        KGR["Claim-Reports-MetaHires"],
    }
    assert {r["certainty"] for r in rows} == {KG.Unverified}
    for claim in {r["claim"] for r in rows}:
        types = {r["sourceType"] for r in rows if r["claim"] == claim}
        assert KG.UnnamedSource in types, claim
    markers = {
        KG.Hearsay: "据说",
        KG.Rumour: "被传",
        KG.MediaReport: "曝出",
    }
    for r in rows:
        assert markers[r["type"]] in str(r["quote"]), r["claim"]
    # Conversely: nothing an unnamed source says is on the record.
    assert not ask(
        g, "ASK { ?c kg:claimant ?s ; kg:certainty kg:OnRecord . ?s a kg:UnnamedSource }"
    )


def test_q9_unnamed_sources_have_no_known_occasion(g: kg.KnowledgeGraph) -> None:
    # 据说 / 被传 / 曝出 / 据……研究员表示: the article never says where or when these were said.
    # (The engineers' silence happened at the 2021 meeting; that is what the hearsay is about,
    # not where the unnamed source spoke.)
    rows = select(
        g,
        """SELECT ?claim ?occasion WHERE {
            ?claim kg:claimant ?s ; kg:statedAt ?occasion . ?s a kg:UnnamedSource .
        }""",
    )
    assert [(r["claim"], r["occasion"]) for r in rows] == []
    assert ask(g, "ASK { kgr:Claim-Hearsay-EngineersProtest kg:about kgr:DecisionMeeting-2021-12 }")


def test_q9_zhang_peng_three_claims_and_where(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        f"""SELECT ?claim ?occasion ?date ?quote WHERE {{
            GRAPH ?ev {{ ?claim kg:claimant kgr:ZhangPeng ; kg:statedAt ?occasion }}
            OPTIONAL {{ ?occasion kg:date ?date }}
            {QUOTE}
        }}""",
    )
    answer = {(r["claim"], r["occasion"], r.get("date")) for r in rows}
    assert answer == {
        (KGR["Claim-ZhangPeng-OpenDay"], KGR["Zhipu-OpenDay-2025"], gyearmonth("2025-03")),
        (
            KGR["Claim-ZhangPeng-Autonomy"],
            KGR["Interview-ZhangPeng-CCTV-2024"],
            gyear("2024"),
        ),
        (
            KGR["Claim-ZhangPeng-Travelling-Money"],
            KGR["Interview-ZhangPeng-2025-04"],
            gyearmonth("2025-04"),
        ),
    }
    assert_quotes_mention(rows, "OpenDay", "央视网《望海对谈》", "今年4月")

    cctv = select(
        g,
        f"""SELECT ?programme ?name ?interviewer ?quote WHERE {{
            GRAPH ?ev {{
                kgr:Interview-ZhangPeng-CCTV-2024 kg:interviewee kgr:ZhangPeng ;
                    kg:interviewer ?interviewer ; kg:broadcastOn ?programme .
            }}
            ?programme rdfs:label ?name FILTER(lang(?name) = "zh")
            {QUOTE}
        }}""",
    )
    assert [(r["programme"], str(r["name"]), r["interviewer"]) for r in cctv] == [
        (KGR.WanghaiDuitan, "望海对谈", KGR.CCTVnet)
    ]
    assert_quotes_mention(cctv, "《望海对谈》独家专访")


# --------------------------------------------------------------------------------------------
# 10. For any fact: which sentence says so?

FACTS = [
    pytest.param(
        "kgr:Funding-2025-04-Beijing kg:investor kgr:BeijingAIFund .",
        EV["funding-2025-04"],
        ["北京市人工智能产业投资基金", "2亿"],
        id="beijing-fund-invested",
    ),
    pytest.param(
        "kgr:Zhipu-Loss-2024 kg:amount ?a .",
        EV["results-2024"],
        ["亏损", "20亿元"],
        id="loss-2024",
    ),
    pytest.param(
        "kgr:Funding-2025-03 kg:amount ?a . ?a schema:value 1800000000.0 .",
        EV["funding-2025-03"],
        ["18亿元"],
        id="three-cities-18e8",
    ),
    pytest.param(
        "kgr:ZhangFan org:holds kgr:Zhipu-COO .",
        EV["departures-2025h1"],
        ["COO张帆"],
        id="zhang-fan-coo",
    ),
    pytest.param(
        "kgr:GLM-130B kg:openSource true .",
        EV["glm-130b"],
        ["首个开源", "GLM-130B"],
        id="glm-130b-open",
    ),
    pytest.param(
        "kgr:Zhipu schema:foundingDate ?d .",
        EV["roadmap"],
        ["2019年", "刚创立"],
        id="zhipu-founded",
    ),
    pytest.param(
        "kgr:SenseTime kg:businessModel kgr:SellingServicesAndScenarios .",
        EV["sensetime-cause"],
        ["卖服务+卖场景"],
        id="sensetime-business-model",
    ),
    pytest.param(
        "kgr:Zhipu-IPOPlan kg:date ?d .",
        EV["ipo-plan"],
        ["2025年底上市"],
        id="ipo-plan",
    ),
]


@pytest.mark.parametrize(("pattern", "expected_graph", "words"), FACTS)
def test_q10_which_sentence_says_so(
    g: kg.KnowledgeGraph, article: str, pattern: str, expected_graph: URIRef, words: list[str]
) -> None:
    rows = select(
        g,
        f"""SELECT DISTINCT ?ev ?quote ?start ?end WHERE {{
            GRAPH ?ev {{ {pattern} }}
            ?ev a kg:Evidence ; prov:wasDerivedFrom ?target .
            ?target oa:hasSelector ?qs , ?ps .
            ?qs a oa:TextQuoteSelector ; oa:exact ?quote .
            ?ps a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
        }}""",
    )
    assert [r["ev"] for r in rows] == [expected_graph]
    [r] = rows
    quote, start, end = str(r["quote"]), r["start"].toPython(), r["end"].toPython()
    assert article[start:end] == quote
    for word in words:
        assert word in quote


def test_q10_every_quote_matches_the_article_at_its_offsets(
    g: kg.KnowledgeGraph, article: str
) -> None:
    rows = select(
        g,
        """SELECT ?ev ?quote ?start ?end WHERE {
            ?ev a kg:Evidence ; prov:wasDerivedFrom ?target .
            ?target oa:hasSelector ?qs , ?ps .
            ?qs oa:exact ?quote .
            ?ps oa:start ?start ; oa:end ?end .
        }""",
    )
    assert len(rows) >= 50
    wrong = [
        (str(r["ev"]), r["start"].toPython(), r["end"].toPython())
        for r in rows
        if article[r["start"].toPython() : r["end"].toPython()] != str(r["quote"])
    ]
    assert wrong == []


def test_q10_every_evidence_graph_has_exactly_one_quote(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        """SELECT ?ev (COUNT(DISTINCT ?quote) AS ?n) WHERE {
            GRAPH ?ev { ?s ?p ?o }
            FILTER(STRSTARTS(STR(?ev), STR(ev:)))
            OPTIONAL { ?ev prov:wasDerivedFrom/oa:hasSelector/oa:exact ?quote }
        } GROUP BY ?ev""",
    )
    assert rows
    assert {str(r["ev"]): r["n"].toPython() for r in rows if r["n"].toPython() != 1} == {}


# --------------------------------------------------------------------------------------------
# 11. How is Tang Jie connected to SenseTime?


def test_q11_tang_jie_to_sensetime(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        f"""SELECT ?team ?model ?modelZh ?comparison ?hop ?quote WHERE {{
            kgr:TangJie kg:memberOf ?team . ?team kg:partOf kgr:Zhipu .
            kgr:Zhipu kg:businessModel ?model . kgr:SenseTime kg:businessModel ?model .
            ?comparison a kg:Claim ; kg:claimant kgr:ErLing ; kg:about kgr:Zhipu , kgr:SenseTime .
            ?model rdfs:label ?modelZh FILTER(lang(?modelZh) = "zh")
            {{ GRAPH ?ev {{ kgr:TangJie kg:memberOf ?team . ?team kg:partOf kgr:Zhipu }}
               BIND("member" AS ?hop) }}
            UNION {{ GRAPH ?ev {{ kgr:Zhipu kg:businessModel ?model }} BIND("zhipu" AS ?hop) }}
            UNION {{ GRAPH ?ev {{ kgr:SenseTime kg:businessModel ?model }}
                     BIND("sensetime" AS ?hop) }}
            UNION {{ GRAPH ?ev {{ ?comparison kg:about kgr:Zhipu , kgr:SenseTime }}
                     BIND("comparison" AS ?hop) }}
            {QUOTE}
        }}""",
    )
    assert {(r["team"], r["model"], r["comparison"]) for r in rows} == {
        (
            KGR["Zhipu-CoreLeadership"],
            KGR.SellingServicesAndScenarios,
            KGR["Assessment-SenseTimeLesson"],
        )
    }
    assert {str(r["modelZh"]) for r in rows} == {"卖服务+卖场景"}
    quotes = {r["hop"].toPython(): str(r["quote"]) for r in rows}
    assert set(quotes) == {"member", "zhipu", "sensetime", "comparison"}
    assert "唐杰" in quotes["member"] and "核心决策层" in quotes["member"]
    assert "智谱" in quotes["zhipu"] and "卖服务+卖场景" in quotes["zhipu"]
    assert "卖服务+卖场景" in quotes["sensetime"] and "市值大缩水" in quotes["sensetime"]
    assert "智谱" in quotes["comparison"] and "教训" in quotes["comparison"]
    assert "商汤" in quotes["comparison"]


def test_q11_path_as_a_single_property_path(g: kg.KnowledgeGraph) -> None:
    assert ask(
        g,
        """ASK {
            kgr:TangJie kg:memberOf/kg:partOf kgr:Zhipu .
            kgr:Zhipu kg:businessModel/^kg:businessModel kgr:SenseTime .
            kgr:Zhipu ^kg:about/kg:about kgr:SenseTime .
        }""",
    )


# --------------------------------------------------------------------------------------------
# 12. No value more precise than the text.

ANY = object()  # the value is not checked
VAGUE = [
    # asWritten, subject, value, minValue, maxValue (None: must be absent)
    ("过亿元", "Funding-SeriesA", None, "1e8", None),
    ("不足600亿", "SenseTime-MarketCap-Current", None, None, "6e10"),
    ("千万级", "Qingyan-AnnualRevenue", None, "1e7", "1e8"),
    ("100余人", "Zhipu-StaffReduction", None, "100", None),
    ("100余位", "WuDao-Project", None, "100", None),
    ("至少7名", "TalentDeal-Meta-OpenAI", None, "7", None),
    ("近10倍", "Comparison-WuDao2-GPT3", ANY, None, "10"),
    ("千亿级", "GLM-130B", None, "1e11", "1e12"),
    ("前十", "Ranking-GLM130B-HELM", None, None, "10"),
    ("数万块", "Challenge-TrainingCost", None, "2e4", "1e5"),
    ("数亿元", "Challenge-TrainingCost", None, "2e8", "1e9"),
    # 来 is "about, n-odd": a value, approximate, and no bound either way.
    ("200来亿港币", "SenseTime-MarketCap-Trough", "2e10", None, None),
    # A progress bar "half done" is a rough half.
    ("一半", "RoadmapProgress-Zhipu", "0.5", None, None),
    # GPT-3's 千亿参数规模 is a scale (an order of magnitude), like GLM-130B's 千亿级.
    ("千亿", "GPT-3", None, "1e11", "1e12"),
]
VAGUE_IDS = [
    "guo-yi-yuan",
    "bu-zu-600-yi",
    "qian-wan-ji",
    "100-yu-ren",
    "100-yu-wei",
    "zhi-shao-7",
    "jin-10-bei",
    "qian-yi-ji",
    "qian-shi",
    "shu-wan-kuai",
    "shu-yi-yuan",
    "200-lai-yi",
    "yi-ban",
    "gpt3-qian-yi",
]


@pytest.mark.parametrize(("written", "subject", "value", "low", "high"), VAGUE, ids=VAGUE_IDS)
def test_q12_vague_amounts_stay_vague(
    g: kg.KnowledgeGraph, written: str, subject: str, value: Any, low: str | None, high: str | None
) -> None:
    rows = select(
        g,
        f"""SELECT ?s ?value ?min ?max ?approx ?quote WHERE {{
            GRAPH ?ev {{
                ?s ?p ?node . ?node kg:asWritten ?written ; kg:isApproximate ?approx .
                OPTIONAL {{ ?node schema:value ?value }}
                OPTIONAL {{ ?node schema:minValue ?min }}
                OPTIONAL {{ ?node schema:maxValue ?max }}
            }}
            {QUOTE}
        }}""",
        written=Literal(written),
    )
    assert len(rows) == 1, rows
    [r] = rows
    assert r["s"] == KGR[subject]
    assert r["approx"].toPython() is True
    if value is not ANY:
        assert num(r.get("value")) == (None if value is None else D(value))
    assert num(r.get("min")) == (None if low is None else D(low))
    assert num(r.get("max")) == (None if high is None else D(high))
    assert written in str(r["quote"])


def test_q12_series_a_is_bounded_not_dated(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        f"""SELECT ?notAfter ?quote WHERE {{
            GRAPH ?ev {{ kgr:Funding-SeriesA kg:notAfter ?notAfter ; kg:investee kgr:Zhipu }}
            {QUOTE}
        }}""",
    )
    assert [r["notAfter"] for r in rows] == [gyearmonth("2021-12")]
    assert_quotes_mention(rows, "过亿元的A轮融资")
    assert not ask(g, "ASK { kgr:Funding-SeriesA kg:date|kg:approximateDate ?d }")
    assert not ask(g, "ASK { kgr:Funding-SeriesA kg:amount/schema:value ?v }")
    # The bound comes from the meeting the sentence belongs to.
    assert ask(g, 'ASK { kgr:DecisionMeeting-2021-12 kg:date "2021-12"^^xsd:gYearMonth }')


def test_q12_sensetime_listing_is_approximately_dated(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        f"""SELECT ?approx ?text ?quote WHERE {{
            GRAPH ?ev {{ kgr:Listing-SenseTime kg:approximateDate ?approx ; kg:dateText ?text }}
            {QUOTE}
        }}""",
    )
    assert [(r["approx"], str(r["text"])) for r in rows] == [(gyear("2021"), "4年前")]
    assert_quotes_mention(rows, "4年前", "AI第一股上市")
    assert not ask(g, "ASK { kgr:Listing-SenseTime kg:date ?d }")


def test_q12_no_date_has_a_day(g: kg.KnowledgeGraph) -> None:
    rows = select(
        g,
        """SELECT ?s ?p ?d WHERE {
            VALUES ?p { kg:date kg:approximateDate kg:notBefore kg:notAfter }
            ?s ?p ?d .
            FILTER(datatype(?d) NOT IN (xsd:gYear, xsd:gYearMonth))
        }""",
    )
    assert rows == []
    # Nor does any fact in an evidence graph carry a day-precise date or timestamp.
    assert not ask(
        g,
        """ASK {
            GRAPH ?ev { ?s ?p ?d }
            ?ev a kg:Evidence .
            FILTER(isLiteral(?d) && datatype(?d) IN (xsd:date, xsd:dateTime, xsd:dateTimeStamp))
        }""",
    )
    # The text's one day (2021年12月的一天) is not a date: it is kept at month precision.
    assert ask(
        g,
        """ASK { kgr:DecisionMeeting-2021-12 kg:date "2021-12"^^xsd:gYearMonth ;
                     kg:dateText "2021年12月的一天"@zh }""",
    )


def test_q12_approximate_flag_set_on_every_vague_figure(g: kg.KnowledgeGraph) -> None:
    # Every amount or quantity written with a hedge word is marked approximate.
    rows = select(
        g,
        """SELECT ?written ?approx WHERE {
            ?node kg:asWritten ?written ; kg:isApproximate ?approx .
            FILTER(REGEX(STR(?written), "余|来|近|不足|至少|过|级|数|前"))
        }""",
    )
    assert rows
    assert {str(r["written"]) for r in rows if not r["approx"].toPython()} == set()


# --------------------------------------------------------------------------------------------
# 13. Subclass awareness via property paths.


def test_q13_organisations_through_subclass_paths(g: kg.KnowledgeGraph) -> None:
    orgs = {
        r["x"]
        for r in select(g, "SELECT DISTINCT ?x WHERE { ?x a/rdfs:subClassOf* schema:Organization }")
    }
    assert {KGR.Zhipu, KGR.BeijingAIFund, KGR.BAAI, KGR.Tsinghua, KGR.CCTVnet} <= orgs
    assert not {KGR.ZhangPeng, KGR.TangJie, KGR.Zhuhai, KGR["GLM-130B"]} & orgs


@pytest.mark.parametrize(
    ("entity", "asserted_class", "mention"),
    [
        ("Zhipu", KG.AIStartup, "智谱"),
        ("BeijingAIFund", KG.GovernmentFund, "北京市人工智能产业投资基金"),
        ("BAAI", KG.ResearchInstitute, "智源研究院"),
        ("Tsinghua", KG.University, "清华"),
        ("CCTVnet", KG.MediaOrganization, "央视网"),
    ],
)
def test_q13_each_organisation_its_class_and_a_sentence(
    g: kg.KnowledgeGraph, entity: str, asserted_class: URIRef, mention: str
) -> None:
    rows = select(
        g,
        f"""SELECT DISTINCT ?quote WHERE {{
            ?x a ?cls . ?cls rdfs:subClassOf* schema:Organization .
            GRAPH ?ev {{ {{ ?x ?p ?o }} UNION {{ ?s ?p ?x }} }}
            {QUOTE}
        }}""",
        x=KGR[entity],
        cls=asserted_class,
    )
    assert_quotes_mention(rows, mention)
