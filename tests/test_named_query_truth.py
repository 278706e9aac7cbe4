"""Every named query answers what the article says (checks in :mod:`query_truths` style).

Each check below names the sentence of the article (or the cited report) its expected values come
from; they were read off the text by hand, not copied from the query's output or its golden file.
The last tests show that a fact changed against its quote, with its golden file re-recorded from
the changed data, fails a check here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from query_truths import TRUTHS, Answers, D, one, project, truth

import kg
from kg.query.catalogue import load_catalogue

CATALOGUE = load_catalogue()


# ------------------------------------------------------------------ strategy, technology, argument
@truth("strategic_shifts")
def strategic_shifts(a: Answers) -> None:
    # 这也是智谱从卖模型转向卖服务+卖场景并重的原因 / 把商业化团队打散为区域制项目组,专攻政务大单,
    # C端投放踩刹车,2025年其大模型清言App几乎停掉大规模投放 / 资源都集中到GLM-Z1、GLM-4-Air两条主线
    rows = a.rows("strategic_shifts")
    assert project(rows, "shift", "from_model", "to_model", "focus_model", "segment", "date") == {
        (
            "kgr:Shift-BusinessModel",
            "kgr:SellingModels",
            "kgr:SellingServicesAndScenarios",
            None,
            None,
            None,
        ),
        ("kgr:Shift-RegionalProjectGroups", None, None, None, "kgr:GovernmentSegment", None),
        ("kgr:Shift-ConsumerMarketing", None, None, None, "kgr:ConsumerSegment", "2025"),
        ("kgr:Shift-TechnicalFocus", None, None, "kgr:GLM-Z1", None, None),
        ("kgr:Shift-TechnicalFocus", None, None, "kgr:GLM-4-Air", None, None),
    }
    words = {
        "kgr:Shift-BusinessModel": ("从卖模型转向卖服务+卖场景",),
        "kgr:Shift-RegionalProjectGroups": ("区域制项目组", "政务大单"),
        "kgr:Shift-ConsumerMarketing": ("C端投放踩刹车", "2025年", "清言App"),
        "kgr:Shift-TechnicalFocus": ("GLM-Z1", "GLM-4-Air"),
    }
    for row in rows:
        a.quoted(row["quote"], *words[row["shift"]])
    # the business-model shift is the one the author gives a cause for (这也是…的原因)
    assert {r["shift"] for r in rows if r["because_zh"]} == {"kgr:Shift-BusinessModel"}


@truth("technical_approaches")
def technical_approaches(a: Answers) -> None:
    rows = a.rows("technical_approaches")
    expected = {
        # 强调在训练框架、中文数据、国产算力及模型架构等关键环节的自主可控
        ("kgr:GLM", "kgr:FullChainAutonomy", None): "关键环节的自主可控",
        # 据参与当时项目的研究员表示,…就选择了手搓国产芯片算子的路线
        ("kgr:GLM-10B", "kgr:HandmadeChipOperators", "kgr:UnnamedResearcher"): "手搓国产芯片算子",
        # 也是唯一开源、可商用、全链路国产的千亿级方案
        ("kgr:GLM-130B", "kgr:FullDomesticRoute", None): "全链路国产",
        # 唐杰把这套全国产路线带进了智谱 (这套: WuDao's)
        ("kgr:RouteTransfer", "kgr:FullDomesticRoute", None): "全国产路线带进了智谱",
        ("kgr:WuDao", "kgr:FullDomesticRoute", None): "全国产路线",
        ("kgr:Zhipu", "kgr:FullDomesticRoute", None): "带进了智谱",
        # 张鹏…表示:大模型技术的完全自主可控,是我们最核心的一项竞争力
        ("kgr:Zhipu", "kgr:FullChainAutonomy", "kgr:ZhangPeng"): "完全自主可控",
        # 智谱希望通过全链路自主可控解决生存问题
        ("kgr:Zhipu", "kgr:FullChainAutonomy", None): "全链路自主可控",
        # the author: 智谱团队没有直接用国外芯片配套的现成计算工具,而是像手工打造零件一样从头做起
        ("kgr:Zhipu", "kgr:HandmadeChipOperators", "kgr:ErLing"): "手工打造零件",
    }
    assert project(rows, "subject", "approach", "claimant") == set(expected)
    for row in rows:
        a.quoted(row["quote"], expected[row["subject"], row["approach"], row["claimant"]])


@truth("article_argument")
def article_argument(a: Answers) -> None:
    rows = a.rows("article_argument")
    for row in rows:  # the position is where the passage stands in the article
        if a.article is not None:
            assert a.article.find(row["quote"]) == row["position"], row["claim"]
    causes = {
        # 这些综合下来就是,其模型收入…难有胜出的可能,这也是智谱从卖模型转向卖服务+卖场景并重的原因
        (
            "kgr:Cause-ModelRevenue-BusinessShift",
            "kgr:Situation-ModelRevenueCannotWin",
            "kgr:Shift-BusinessModel",
        ): "这也是智谱从卖模型转向",
        # 由于核心模型迭代放缓,多模态能力滞后,智谱也正遭遇掉队的质疑
        (
            "kgr:Cause-Lag-Doubts",
            "kgr:Situation-SlowerModelIteration",
            "kgr:Challenge-TechnologyLag",
        ): "由于核心模型迭代放缓",
        ("kgr:Cause-Lag-Doubts", "kgr:Situation-MultimodalLag", "kgr:Challenge-TechnologyLag"): (
            "多模态能力滞后"
        ),
        # 而导致其市值大缩水的关键就是,…依然要靠卖服务+卖场景的苦力赚钱
        (
            "kgr:Cause-SenseTimeDecline",
            "kgr:Situation-SenseTimeSellsServices",
            "kgr:SenseTime-MarketCapDecline",
        ): "导致其市值大缩水",
        # 不断引入国资战投,则不仅可以获得资金来源,还能借此撬动政策、订单与上市通道
        (
            "kgr:Cause-StateCapital-Levers",
            "kgr:Situation-BringingInStateInvestors",
            "kgr:Lever-Policy",
        ): "撬动政策",
        (
            "kgr:Cause-StateCapital-Levers",
            "kgr:Situation-BringingInStateInvestors",
            "kgr:Lever-ListingChannel",
        ): "上市通道",
    }
    got = project(rows, "claim", "cause", "effect")
    assert set(causes) <= got, set(causes) - got
    for row in rows:
        if (row["claim"], row["cause"], row["effect"]) in causes:
            a.quoted(row["quote"], causes[row["claim"], row["cause"], row["effect"]])
            assert row["type"] == "kg:StatedCause"
    # hedges stay hedged: 大概是最忙的一位; 希望通过全链路自主可控
    assert one(rows, claim="kgr:Assessment-ZhangPengBusiest")["modality"] == "大概"
    assert one(rows, claim="kgr:Cause-Autonomy-Survival")["modality"] == "希望"
    assert one(rows, claim="kgr:Assessment-ZhangPengBusiest")["type"] == "kg:AuthorAssessment"
    only_causes = a.rows("article_argument", type="kg:StatedCause")
    assert {r["type"] for r in only_causes} == {"kg:StatedCause"}
    assert set(causes) <= project(only_causes, "claim", "cause", "effect")


@truth("model_lineage")
def model_lineage(a: Answers) -> None:
    # The article never says one model is built on another: every link is the curators' inference
    # from names (GLM-10B, GLM-130B, GLM-Z1, GLM-4-Air; 悟道2.0) and from
    # 唐杰把这套全国产路线带进了智谱。清华和智谱联合推出GLM, so each is inferred, without a quote.
    rows = a.rows("model_lineage")
    assert project(rows, "model", "relation", "parent") == {
        ("kgr:GLM", "kg:influencedBy", "kgr:WuDao"),
        ("kgr:GLM-10B", "kg:basedOn", "kgr:GLM"),
        ("kgr:GLM-130B", "kg:basedOn", "kgr:GLM"),
        ("kgr:GLM-Z1", "kg:basedOn", "kgr:GLM"),
        ("kgr:GLM-4-Air", "kg:basedOn", "kgr:GLM"),
        ("kgr:WuDao-2.0", "kg:basedOn", "kgr:WuDao"),
    }
    assert all(r["inferred"] is True and r["quote"] is None for r in rows)
    assert all(r["inference_note"] for r in rows)


@truth("challenges")
def challenges(a: Answers) -> None:
    rows = a.rows("challenges")
    expected = {
        # B端合作也多为单一项目,难以复制和规模化
        ("kgr:Challenge-BusinessProjects", "kgr:Zhipu", "kgr:BusinessSegment"): "B端合作",
        # 国内,AI六小龙融资几乎被冰冻
        ("kgr:Challenge-DragonsFunding", "kgr:AILittleDragons", None): "融资几乎被冰冻",
        # 智谱也正遭遇掉队的质疑
        ("kgr:Challenge-TechnologyLag", "kgr:Zhipu", None): "掉队的质疑",
        # 但训练千亿级模型需要数万块GPU、数亿元资金
        ("kgr:Challenge-TrainingCost", "kgr:Zhipu", None): "数万块GPU、数亿元资金",
    }
    assert project(rows, "challenge", "entity", "segment") == set(expected)
    for row in rows:
        a.quoted(row["quote"], expected[row["challenge"], row["entity"], row["segment"]])


@truth("events_in_month")
def events_in_month(a: Answers) -> None:
    april = a.rows("events_in_month", month="2025-04")
    by_what = {r["what"]: r for r in april}
    # 4月,拿下了北京市人工智能产业投资基金的2亿追加投资
    assert by_what["kgr:Funding-2025-04-Beijing"]["match"] == "month"
    a.quoted(by_what["kgr:Funding-2025-04-Beijing"]["quote"], "4月", "2亿追加投资")
    # 今年4月,CEO张鹏在接受采访时表示
    assert by_what["kgr:Interview-ZhangPeng-2025-04"]["date_text"] == "今年4月"
    # 今年上半年,智谱5位高管先后离职: a range January to June covers April
    wave = by_what["kgr:DepartureWave-2025H1"]
    assert (wave["match"], wave["not_before"], wave["not_after"]) == ("range", "2025-01", "2025-06")
    a.quoted(wave["quote"], "今年上半年", "5位高管")
    # 3月…;4月…。期间,还主导将公司主体改制为股份公司: between March and April
    restructuring = by_what["kgr:Zhipu-Restructuring"]
    assert (restructuring["not_before"], restructuring["not_after"]) == ("2025-03", "2025-04")
    # 3月 only: the March round is not an April event
    assert "kgr:Funding-2025-03" not in by_what
    november = {r["what"]: r for r in a.rows("events_in_month", month="2022-11")}
    # 11月底,ChatGPT-3.5正式亮相 / 几乎同一时间…HELM / 2022年…智谱发布了千亿级大模型GLM-130B
    assert november["kgr:Release-ChatGPT-3.5"]["match"] == "month"
    assert november["kgr:Ranking-GLM130B-HELM"]["match"] == "approximate"
    assert november["kgr:Release-GLM-130B"]["date"] == "2022"
    a.quoted(november["kgr:Ranking-GLM130B-HELM"]["quote"], "几乎同一时间", "HELM")
    december = {r["what"]: r for r in a.rows("events_in_month", month="2021-12")}
    # 2021年12月的一天,智谱内部开了一场重要的的决策会 / 4年前,顶着AI第一股上市的商汤科技
    assert december["kgr:DecisionMeeting-2021-12"]["date"] == "2021-12"
    a.quoted(december["kgr:DecisionMeeting-2021-12"]["quote"], "2021年12月")
    assert (
        december["kgr:Listing-SenseTime"]["match"],
        december["kgr:Listing-SenseTime"]["date"],
    ) == (
        "approximate",
        "2021",
    )


# ------------------------------------------------------------------ across sources
@truth("story_timeline")
def story_timeline(a: Answers) -> None:
    rows = a.rows("story_timeline")
    got = project(rows, "date", "fact", "source", "tier")
    article = "kgr:SourceArticle"
    expected = {
        ("2019", "kgr:TangJie-AGIRoadmap", article, "quoted"),  # 2019年,智谱刚创立时
        ("2021-12", "kgr:DecisionMeeting-2021-12", article, "quoted"),  # 2021年12月的一天
        ("2022", "kgr:Release-GLM-130B", article, "quoted"),  # 2022年,…发布了…GLM-130B
        ("2024", "kgr:Zhipu-Revenue-2024", article, "quoted"),  # 以2024年为例,…收入为3亿元
        ("2024", "kgr:Zhipu-Loss-2024", article, "quoted"),  # 而亏损却达20亿元
        ("2025-03", "kgr:Funding-2025-03", article, "quoted"),  # 3月,连跑珠海、成都、杭州
        ("2025-03", "kgr:Funding-2025-03", "kgr:Report-udn-20250819", "cited"),
        ("2026-01-08", "kgr:Zhipu-HKIPO", "kgr:Report-reuters-20260108", "cited"),
    }
    assert expected <= got, expected - got
    dates = [str(r["date"]) for r in rows]
    assert dates == sorted(dates), "the timeline is not in date order"
    a.cited("kgr:Report-udn-20250819", '"2025-08-19"^^xsd:date', "kgr:Funding-2025-03")
    a.cited("kgr:Report-reuters-20260108", '"2026-01-08"^^xsd:date', "kgr:Zhipu-HKIPO")
    # 冲刺2025年底上市: the plan, superseded by the listing the reports give
    plan = one(rows, fact="kgr:Zhipu-IPOPlan")
    assert (plan["date"], plan["superseded_by"]) == ("2025", "kgr:Zhipu-HKIPO")
    zhipu = {r["fact"] for r in a.rows("story_timeline", entity="kgr:Zhipu")}
    assert "kgr:Release-GLM-130B" in zhipu and "kgr:Release-ChatGPT-3.5" not in zhipu


@truth("changed_since_article")
def changed_since_article(a: Answers) -> None:
    rows = a.rows("changed_since_article")
    supersedes = project(
        [r for r in rows if r["change"] == "supersedes"], "fact", "replaced", "source"
    )
    # the article: 冲刺2025年底上市 / 近期又在评估赴港上市的可行性; InfoQ (2026-01-08): listed
    assert {
        ("kgr:Zhipu-HKIPO", "kgr:Zhipu-IPOPlan", "kgr:Report-infoq-20260108"),
        ("kgr:Zhipu-HKIPO", "kgr:Zhipu-HKListingEvaluation", "kgr:Report-infoq-20260108"),
    } <= supersedes
    a.cited("kgr:Report-infoq-20260108", "kg:supersedes", "kgr:Zhipu-IPOPlan")
    new = {r["fact"] for r in rows if r["change"] == "new"}
    assert {"kgr:Zhipu-HKIPO", "kgr:Funding-2025-07-Shanghai"} <= new
    # what the article itself says is not new
    assert not new & {"kgr:Funding-2025-03", "kgr:Zhipu-IPOPlan", "kgr:Funding-2025-04-Beijing"}
    for row in rows:
        assert row["source"] != "kgr:SourceArticle"
        a.cited(row["source"], f'kg:datePublished "{row["published"]}"')


@truth("figures_by_source")
def figures_by_source(a: Answers) -> None:
    march = a.rows("figures_by_source", fact="kgr:Funding-2025-03")
    # 3月,连跑珠海、成都、杭州三地签下18亿元国资 (文 | 华商韬略); udn.com: 18億元
    assert project(march, "as_written", "source", "publisher", "tier") == {
        ("18亿元", "kgr:SourceArticle", "华商韬略", "quoted"),
        ("18億元", "kgr:Report-udn-20250819", "聯合新聞網", "cited"),
    }
    a.quoted(a.article[:16] if a.article else "华商韬略", "华商韬略")
    total = a.rows("figures_by_source", fact="kgr:Zhipu-FundingToDate")
    amounts = project([r for r in total if r["property"] == "kg:amount"], "as_written", "source")
    assert amounts == {
        ("逾人民幣135億元", "kgr:Report-udn-20250819"),
        ("超83亿元", "kgr:Report-cfbond-20251231"),
        ("近84亿元", "kgr:Report-cs-20260108"),
    }
    for written, source in amounts:
        a.cited(source, f'kg:asWritten "{written}"')
    ipo = a.rows("figures_by_source", fact="kgr:Zhipu-HKIPO")
    prices = project([r for r in ipo if r["property"] == "kg:offerPrice"], "as_written", "currency")
    assert prices == {("116.20港元", "HKD"), ("HK$116.20", "HKD"), ("116.2 港元", "HKD")}


@truth("conflicting_facts")
def conflicting_facts(a: Answers) -> None:
    # udn.com (2025-08-19): over 13.5 billion yuan; cfbond (超83亿元) and cs (近84亿元) later
    rows = a.rows("conflicting_facts")
    pairs = {frozenset({(r["value1"], r["source1"]), (r["value2"], r["source2"])}) for r in rows}
    assert pairs == {
        frozenset({("超83亿元", "kgr:Report-cfbond-20251231")})
        | {("逾人民幣135億元", "kgr:Report-udn-20250819")},
        frozenset({("近84亿元", "kgr:Report-cs-20260108")})
        | {("逾人民幣135億元", "kgr:Report-udn-20250819")},
    }


@truth("corroborated_facts", "single_source_facts", "facts_without_second_source")
def second_sources(a: Answers) -> None:
    # The March round: the article (18亿元, 珠海、成都、杭州) and udn.com (18億元) both give it.
    corroborated = project(a.rows("corroborated_facts"), "subject", "predicate", "object")
    assert {
        ("kgr:Funding-2025-03", "kg:amount", D("1.8e9")),
        ("kgr:Funding-2025-03", "kg:investor", "kgr:Zhuhai-StatePlatform"),
        ("kgr:Funding-2025-03", "kg:date", "2025-03"),
    } <= corroborated
    # only the article says ZhangPeng led it (连跑…签下; the subject is 张鹏 of the sentence before)
    single = a.rows("single_source_facts", subject="kgr:Funding-2025-03")
    led = one(single, predicate="kg:ledBy")
    assert (led["object"], led["only_source"], led["tier"]) == (
        "kgr:ZhangPeng",
        "kgr:SourceArticle",
        "quoted",
    )
    assert not {("kg:investor", "kgr:Zhuhai-StatePlatform")} & project(
        single, "predicate", "object"
    )
    alone = a.rows("facts_without_second_source", subject="kgr:Zhipu")
    founding = one(alone, predicate="schema:foundingDate")  # 2019年,智谱刚创立时
    assert founding["object"] == "2019"
    a.quoted(founding["quote"], "2019年", "刚创立")


@truth("evidence_for_fact", "evidence_for_entity")
def evidence(a: Answers) -> None:
    cases = [
        a.rows("evidence_for_fact", subject="kgr:Funding-2025-03"),
        a.rows("evidence_for_fact", subject="kgr:Zhipu", predicate="kg:competesWith"),
        a.rows("evidence_for_entity", entity="kgr:ZhangPeng"),
        a.rows("evidence_for_entity", entity="kgr:GLM-130B"),
    ]
    for rows in cases:  # each quoted passage is the article between its offsets
        for row in rows:
            if row["tier"] == "quoted":
                assert a.article is None or a.article[row["start"] : row["end"]] == row["quote"]
    fact = cases[0]
    # 3月,连跑珠海、成都、杭州三地签下18亿元国资
    amount = [r for r in fact if r["predicate"] == "kg:date" and r["tier"] == "quoted"]
    assert [r["object"] for r in amount] == ["2025-03"]
    a.quoted(amount[0]["quote"], "3月", "18亿元")
    cited = one(fact, predicate="kg:date", tier="cited")
    assert cited["source"] == "kgr:Report-udn-20250819"
    a.cited(cited["source"], cited["locator"])
    # 2022年,…智谱发布了千亿级大模型GLM-130B / HELM榜单
    glm = {r["graph"]: r["quote"] for r in cases[3]}
    a.quoted(glm["ev:glm-130b"], "2022年", "GLM-130B")
    a.quoted(glm["ev:helm"], "HELM")
    hk = a.rows("evidence_for_entity", entity="kgr:Zhipu-HKIPO", tier="cited")
    assert {r["tier"] for r in hk} == {"cited"} and all(r["quote"] is None for r in hk)


# ------------------------------------------------------------------ money
@truth("funding_by_city", "zhipu_funded_from_city", "funding_timeline")
def funding(a: Answers) -> None:
    # 3月,连跑珠海、成都、杭州三地签下18亿元国资;4月,拿下了北京市人工智能产业投资基金的2亿追加投资
    rows = a.rows("funding_by_city")
    quoted = [row for row in rows if row["tier"] == "quoted"]
    assert project(quoted, "city", "event", "event_amount", "as_written", "cities_sharing") == {
        ("kgr:Zhuhai", "kgr:Funding-2025-03", D("1.8e9"), "18亿元", D(3)),
        ("kgr:Chengdu", "kgr:Funding-2025-03", D("1.8e9"), "18亿元", D(3)),
        ("kgr:Hangzhou", "kgr:Funding-2025-03", D("1.8e9"), "18亿元", D(3)),
        ("kgr:Beijing", "kgr:Funding-2025-04-Beijing", D("2e8"), "2亿", D(1)),
    }
    for row in quoted:
        a.quoted(row["quote"], row["as_written"])
    # the article names 上海 only among the cities placing orders
    # (成都、杭州、珠海、上海、北京…政府订单); Shanghai's money comes from a report, cited:
    # udn.com (2025-08-19), fifth paragraph: Pudong VC and Zhangjiang Group, July 2025, 10億元
    [shanghai] = a.rows("funding_by_city", city="kgr:Shanghai")
    assert (shanghai["investor"], shanghai["event"], shanghai["date"]) == (
        "kgr:PudongVC",
        "kgr:Funding-2025-07-Shanghai",
        "2025-07",
    )
    assert (shanghai["event_amount"], shanghai["as_written"], shanghai["tier"]) == (
        D("1e9"),
        "10億元",
        "cited",
    )
    assert shanghai["quote"] is None and shanghai["source"] == "kgr:Report-udn-20250819"
    a.cited("kgr:Report-udn-20250819", "10億元", "kgr:Funding-2025-07-Shanghai")
    for row in rows:  # every row rests on a quote or a citation, never on neither
        assert (row["quote"] is None) != (row["source"] is None)
    assert a.ask("zhipu_funded_from_city") is True  # default Beijing
    assert a.ask("zhipu_funded_from_city", city="kgr:Zhuhai") is True
    # udn.com (2025-08-19): Pudong Venture Capital (Shanghai) among the July 2025 investors
    assert a.ask("zhipu_funded_from_city", city="kgr:Shanghai") is True
    a.cited(
        "kgr:Report-udn-20250819",
        "kg:investor kgr:PudongVC",
        "kgr:PudongVC kg:location kgr:Shanghai",
    )
    # 当时智谱刚完成过亿元的A轮融资: a lower bound, not a value
    timeline = a.rows("funding_timeline")
    series_a = one(timeline, event="kgr:Funding-SeriesA")
    assert (series_a["value"], series_a["min_value"], series_a["as_written"]) == (
        None,
        D("1e8"),
        "过亿元",
    )
    a.quoted(series_a["quote"], "过亿元", "A轮")


@truth("state_capital_total")
def state_capital_total(a: Answers) -> None:
    # 半年时间,智谱集齐了5座城市的国资平台,累计获得资金30亿元,估值更是飙升至400亿元
    [row] = a.rows("state_capital_total")
    assert (row["cities_stated"], row["total_stated"], row["valuation"]) == (
        D(5),
        D("3e9"),
        D("4e10"),
    )
    # named: 18亿元 (珠海、成都、杭州) + 2亿 (北京) = 20亿; 10亿 not attributed; four cities named
    assert (row["cities_named"], row["sum_of_named_events"], row["not_attributed"]) == (
        D(4),
        D("2e9"),
        D("1e9"),
    )
    a.quoted(row["quote"], "5座城市", "30亿元", "400亿元")


@truth("revenue_and_loss")
def revenue_and_loss(a: Answers) -> None:
    # 以2024年为例,智谱年度收入为3亿元,而亏损却达20亿元 / 其C端App年收入仅仅千万级
    rows = a.rows("revenue_and_loss")
    assert project(rows, "observation", "date", "value", "min_value", "max_value") == {
        ("kgr:Zhipu-Revenue-2024", "2024", D("3e8"), None, None),
        ("kgr:Zhipu-Loss-2024", "2024", D("2e9"), None, None),
        ("kgr:Qingyan-AnnualRevenue", None, None, D("1e7"), D("1e8")),
    }
    for row in rows:
        a.quoted(row["quote"], row["as_written"])
    assert {r["observation"] for r in a.rows("revenue_and_loss", year="2024")} == {
        "kgr:Zhipu-Revenue-2024",
        "kgr:Zhipu-Loss-2024",
    }


@truth("price_per_million_tokens")
def prices(a: Answers) -> None:
    # 将API价格从5元/百万token砍至1元 / 字节、阿里又把API价格打到0.0003元/千token (0.3元/百万)
    rows = a.rows("price_per_million_tokens")
    assert project(rows, "product", "which", "price_per_million") == {
        ("kgr:Zhipu-API", "before", D(5)),
        ("kgr:Zhipu-API", "after", D(1)),
        ("kgr:ByteDance-API", "after", D("0.3")),
        ("kgr:Alibaba-API", "after", D("0.3")),
    }
    for row in rows:
        a.quoted(row["quote"], row["as_written"])


@truth("sensetime_market_value")
def sensetime(a: Answers) -> None:
    # 一度跑出3000亿港元的市值,但如今已跌至不足600亿,最惨时跌至200来亿港币的市值
    rows = a.rows("sensetime_market_value")
    values = project(rows, "what", "value", "min_value", "max_value", "approximate")
    assert {
        ("kgr:SenseTime-MarketCap-Peak", D("3e11"), None, None, False),  # exact: 3000亿港元
        ("kgr:SenseTime-MarketCap-Current", None, None, D("6e10"), True),  # 不足: upper bound
        ("kgr:SenseTime-MarketCap-Trough", D("2e10"), None, None, True),  # 来: approximate
    } <= values
    for row in rows:
        a.quoted(row["quote"], "3000亿港元", "不足600亿", "200来亿")


# ------------------------------------------------------------------ people, plans, models
@truth("departures", "people_and_posts")
def people(a: Answers) -> None:
    # 今年上半年,智谱5位高管先后离职,包括负责智谱商业化战略落地的COO张帆 / 员工…减少100余人
    rows = a.rows("departures")
    assert project(rows, "event", "person", "count", "at_least") >= {
        ("kgr:Departure-ZhangFan", "kgr:ZhangFan", None, None),
    }
    wave = one(rows, event="kgr:DepartureWave-2025H1")
    assert (wave["count"], wave["as_written"]) == (D(5), "5位")
    staff = one(rows, event="kgr:Zhipu-StaffReduction")
    assert (staff["at_least"], staff["as_written"]) == (D(100), "100余人")
    a.quoted(staff["quote"], "100余人")
    # 主管融资与政府合作的CEO张鹏 / 3月底的智谱OpenDay上,张鹏就表示
    posts = a.rows("people_and_posts", person="kgr:ZhangPeng")
    ceo = one(posts, what="kgr:Zhipu-CEO")
    assert ceo["responsibility_zh"] == "融资与政府合作"
    a.quoted(ceo["quote"], "CEO张鹏")
    assert one(posts, what="kgr:Zhipu-OpenDay-2025")["date"] == "2025-03"


@truth("claims_by_speaker")
def claims(a: Answers) -> None:
    zhang = a.rows("claims_by_speaker", speaker="kgr:ZhangPeng")
    # 2024年,张鹏也在接受央视网《望海对谈》独家专访时表示:大模型技术的完全自主可控…
    assert project(zhang, "claim", "when") == {
        ("kgr:Claim-ZhangPeng-Autonomy", "2024"),
        ("kgr:Claim-ZhangPeng-OpenDay", "2025-03"),  # 3月底的智谱OpenDay上
        ("kgr:Claim-ZhangPeng-Travelling-Money", "2025-04"),  # 今年4月
    }
    # 据说在那场决策会上,以工程师为代表的一派默不作声: hearsay, unverified
    [hearsay] = a.rows("claims_by_speaker", speaker="kgr:UnnamedHearsay")
    assert (hearsay["claim_type"], hearsay["certainty"]) == ("kg:Hearsay", "kg:Unverified")
    a.quoted(hearsay["quote"], "据说", "默不作声")
    unverified = {r["claim"] for r in a.rows("claims_by_speaker", certainty="kg:Unverified")}
    assert "kgr:Claim-Rumour-ExecutivesTalkToBAT" in unverified  # 均被传已同BAT等巨头接触
    assert "kgr:Claim-ZhangPeng-Autonomy" not in unverified


@truth("listing_plan")
def listing_plan(a: Answers) -> None:
    rows = a.rows("listing_plan")
    # 启动A股上市辅导的同时,近期又在评估赴港上市的可行性 / 将在10月完成辅导并冲刺2025年底上市
    evaluation = one(rows, step="kgr:Zhipu-HKListingEvaluation")
    assert (evaluation["status"], evaluation["date_text"]) == ("kg:UnderEvaluation", "近期")
    a.quoted(evaluation["quote"], "评估赴港上市")
    tutoring = one(rows, step="kgr:Zhipu-TutoringCompletion", source="kgr:SourceArticle")
    assert (tutoring["status"], tutoring["date"]) == ("kg:Planned", "2025-10")
    a.quoted(tutoring["quote"], "10月完成辅导")
    plan = one(rows, step="kgr:Zhipu-IPOPlan")
    assert (plan["date"], plan["superseded_by"]) == ("2025", "kgr:Zhipu-HKIPO")
    a.quoted(plan["quote"], "2025年底上市")
    listed = one(rows, step="kgr:Zhipu-HKIPO", source="kgr:Report-cfbond-20251231")
    assert (listed["status"], listed["date"]) == ("kg:Completed", "2026-01-08")
    a.cited("kgr:Report-cfbond-20251231", '"2026-01-08"^^xsd:date')
    # SenseTime: 4年前,顶着AI第一股上市的商汤科技
    [sensetime] = a.rows("listing_plan", company="kgr:SenseTime")
    a.quoted(sensetime["quote"], "AI第一股上市")


@truth("roadmap_stages", "roadmap_progress")
def roadmap(a: Answers) -> None:
    # 五个阶段:L1预训练大模型、L2对齐与推理、L3自我学习、L4自我认知、L5意识智能;
    # 我们目前正处在L2和L3的交汇处
    stages = a.rows("roadmap_stages")
    assert project(stages, "number", "name_in_text", "zhipu_is_here") == {
        (D(1), "L1预训练大模型", False),
        (D(2), "L2对齐与推理", True),
        (D(3), "L3自我学习", True),
        (D(4), "L4自我认知", False),
        (D(5), "L5意识智能", False),
    }
    for row in stages:
        a.quoted(row["quote"], row["name_in_text"])
    # 五年过去,智谱的进度条完成了一半
    progress = one(a.rows("roadmap_progress"), statement="kgr:RoadmapProgress-Zhipu")
    assert (progress["value"], progress["as_written"], progress["approximate_date"]) == (
        D("0.5"),
        "一半",
        "2025",
    )
    a.quoted(progress["quote"], "五年过去", "一半")


@truth("model_releases")
def model_releases(a: Answers) -> None:
    rows = a.rows("model_releases")
    # 2022年,…智谱发布了千亿级大模型GLM-130B。作为首个开源的…: 千亿级 is a range, not 130B
    glm = one(rows, release="kgr:Release-GLM-130B")
    assert (glm["date"], glm["parameters"], glm["min_parameters"], glm["max_parameters"]) == (
        "2022",
        None,
        D("1e11"),
        D("1e12"),
    )
    assert (glm["approximate_date"], glm["open_source"]) == ("2022-08", True)
    # 同年6月悟道2.0横空出世,1.75万亿参数规模
    wudao = one(rows, release="kgr:Release-WuDao-2.0")
    assert (wudao["parameters"], wudao["parameters_as_written"]) == (D("1.75e12"), "1.75万亿")
    a.quoted(wudao["size_quote"], "1.75万亿")
    # 公开了GLM-10B模型的源代码: released by Tsinghua and Zhipu together (清华和智谱联合推出)
    assert {r["released_by"] for r in rows if r["model"] == "kgr:GLM-10B"} == {
        "kgr:Tsinghua",
        "kgr:Zhipu",
    }


@truth("rivals_and_comparisons")
def rivals(a: Answers) -> None:
    rows = a.rows("rivals_and_comparisons")
    # 1.75万亿参数规模较当时的GPT-3超出近10倍 / DeepSeek用1/10训练成本开源
    wudao = one(rows, entity="kgr:WuDao-2.0", other="kgr:GPT-3")
    assert (wudao["ratio"], wudao["ratio_as_written"]) == (D(10), "近10倍")
    deepseek = one(rows, entity="kgr:DeepSeek")
    assert (deepseek["ratio"], deepseek["ratio_as_written"]) == (D("0.1"), "1/10")
    # 是否押注自主GLM架构,对标…OpenAI
    zhipu = project(a.rows("rivals_and_comparisons", entity="kgr:Zhipu"), "other")
    assert zhipu == {("kgr:OpenAI",), ("kgr:BigTechFirms",)}
    a.quoted(one(rows, entity="kgr:Zhipu", other="kgr:OpenAI")["quote"], "对标")


@truth("organisations", "entity_neighbourhood")
def entities(a: Answers) -> None:
    # 北京市人工智能产业投资基金 (a fund), 智源研究院 (an institute), 商汤科技 (a company)
    everything = project(a.rows("organisations", **{"class": "schema:Organization"}), "org")
    assert {("kgr:BeijingAIFund",), ("kgr:BAAI",), ("kgr:SenseTime",), ("kgr:Zhipu",)} <= everything
    companies = project(a.rows("organisations", **{"class": "kg:Company"}), "org")
    assert ("kgr:SenseTime",) in companies and ("kgr:BeijingAIFund",) not in companies
    research = a.rows("organisations", **{"class": "schema:ResearchOrganization"})
    assert project(research, "org") == {("kgr:BAAI",)}
    # 作为首个开源的中英文双语千亿级预训练模型,GLM-130B
    around = a.triples("entity_neighbourhood", entity="kgr:GLM-130B")
    assert ("kgr:Release-GLM-130B", "kg:model", "kgr:GLM-130B") in around or any(
        s == "kgr:Release-GLM-130B" and o == "kgr:GLM-130B" for s, _, o in around
    )
    assert ("kgr:GLM-130B", "rdfs:label", "GLM-130B") in around


# ------------------------------------------------------------------ the tests
@pytest.fixture(scope="module")
def answers(source_path: Path) -> Answers:
    """The shipped data, with the article to check passages against."""
    return Answers(kg.load(engine="oxigraph"), source_path.read_text(encoding="utf-8"), ROOT)


def test_every_named_query_has_a_truth_check() -> None:
    missing = sorted(set(CATALOGUE) - set(TRUTHS))
    assert not missing, f"named queries without a check read off the article: {missing}"
    assert set(TRUTHS) <= set(CATALOGUE), set(TRUTHS) - set(CATALOGUE)


CHECKS = sorted({check for checks in TRUTHS.values() for check in checks}, key=lambda c: c.__name__)


@pytest.mark.parametrize("check", CHECKS, ids=[c.__name__ for c in CHECKS])
def test_named_query_says_what_the_article_says(answers: Answers, check: object) -> None:
    assert callable(check)
    check(answers)
