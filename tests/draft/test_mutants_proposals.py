"""Fact proposals of one sentence (kg.draft.proposals), on sentences as outlets write them.

``test_proposals.py`` checks drafts of the loaded dataset written as TriG, seconds each; these
read single sentences (Simplified and Traditional, full-width punctuation, spaces between
figures and units, 百萬 and 億 units, ranges) with the real name reader on a small dataset
(``tests/draft/sentence_kit.py``), so a mutation run can afford them (see docs/mutation.md).
Each proposal is asserted whole: class, roles by label (a curated entity by its local name),
amounts as written with their kind, values, date and cue words.
"""

from __future__ import annotations

import pytest

from tests.draft.sentence_kit import KGR, proposals, summaries

Brief = tuple[
    str,
    list[tuple[str, str]],
    list[tuple[str, str, str]],
    list[tuple[str, str]],
    str | None,
    list[str],
]


def _facts(text: str, *classes: str) -> list[Brief]:
    """(class, roles, amounts, values, date, cues) of every proposal of ``classes``, in order."""
    return [
        (p["cls"], p["roles"], p["amounts"], p["values"], p["date"], p["cues"])  # type: ignore[misc]
        for p in summaries(text)
        if not classes or p["cls"] in classes
    ]


FUNDING = [
    (
        "7月3日，智谱宣布完成新一轮战略融资，融资金额为 10 亿元，由浦东创投集团领投，"
        "张江科投、上海国投跟投。",
        [
            (
                "kg:FundingEvent",
                [
                    ("kg:investee", "Zhipu"),
                    ("kg:investor", "浦东创投集团"),
                    ("kg:investor", "张江科投"),
                    ("kg:investor", "上海国投"),
                ],
                [("kg:amount", "10 亿元", "money")],
                [],
                "2025-07-03",
                ["融资", "融资", "领投", "跟投"],
            )
        ],
    ),
    (
        "百川智能今日宣布完成A+轮融资，金额为3亿美元，投资方包括阿里巴巴、腾讯、小米及"
        "北京市人工智能产业投资基金。",
        [
            (
                "kg:FundingEvent",
                [
                    ("kg:investee", "百川智能"),
                    ("kg:investor", "Alibaba"),
                    ("kg:investor", "Tencent"),
                    ("kg:investor", "小米"),
                    ("kg:investor", "BeijingAIFund"),
                ],
                [("kg:amount", "3亿美元", "money")],
                [("kg:roundName", '"A+轮"@zh')],
                None,
                ["融资"],
            )
        ],
    ),
    # The date is the one before the amount; the cue words in the order written.
    (
        "MiniMax由前商汤科技副总裁闫俊杰于2021年创立，今年3月完成由阿里巴巴领投的 6 亿美元融资。",
        [
            (
                "kg:FundingEvent",
                [("kg:investee", "MiniMax"), ("kg:investor", "Alibaba")],
                [("kg:amount", "6 亿美元", "money")],
                [],
                "2025-03",
                ["领投", "融资"],
            )
        ],
    ),
    # A向B追加投资: A invests in B, whichever is named first.
    (
        "北京市人工智能产业投资基金向智谱追加投资3亿元。",
        [
            (
                "kg:FundingEvent",
                [("kg:investee", "Zhipu"), ("kg:investor", "BeijingAIFund")],
                [("kg:amount", "3亿元", "money")],
                [],
                None,
                ["投资"],
            )
        ],
    ),
    (
        "2025年3月，騰訊向智譜注資 5 億元人民幣。",
        [
            (
                "kg:FundingEvent",
                [("kg:investee", "Zhipu"), ("kg:investor", "Tencent")],
                [("kg:amount", "5 億元人民幣", "money")],
                [],
                "2025-03",
                ["注資"],
            )
        ],
    ),
    # An amount with no funding word: the two characters before it are the cue.
    (
        "智谱获10亿元。",
        [
            (
                "kg:FundingEvent",
                [("kg:investee", "Zhipu")],
                [("kg:amount", "10亿元", "money")],
                [],
                None,
                ["谱获"],
            )
        ],
    ),
    # A round named with a space (B 轮), Traditional and full-width.
    (
        "星河智算完成 5 億元 B 輪融資，紅杉中國領投",
        [
            (
                "kg:FundingEvent",
                [("kg:investee", "星河智算"), ("kg:investor", "紅杉中國")],
                [("kg:amount", "5 億元", "money")],
                [("kg:roundName", '"B 輪"@zh')],
                None,
                ["融資", "領投"],
            )
        ],
    ),
    # Investors and no amount: still a funding, of the company the sentence names.
    (
        "由腾讯领投，智谱估值达 400 亿元。",
        [
            (
                "kg:FundingEvent",
                [("kg:investee", "Zhipu"), ("kg:investor", "Tencent")],
                [],
                [],
                None,
                ["领投"],
            ),
            (
                "kg:Valuation",
                [("kg:observedEntity", "Zhipu")],
                [("kg:amount", "400 亿元", "money")],
                [],
                None,
                ["智谱估值达"],
            ),
        ],
    ),
]


@pytest.mark.parametrize(("text", "facts"), FUNDING)
def test_a_funding_with_its_investee_investors_amount_round_and_date(
    text: str, facts: list[Brief]
) -> None:
    assert _facts(text, "kg:FundingEvent", "kg:FundingTotal", "kg:Valuation") == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (
            "智谱累计融资超过 160 亿元。",
            [
                (
                    "kg:FundingTotal",
                    [("kg:observedEntity", "Zhipu")],
                    [("kg:amount", "超过 160 亿元", "money")],
                    [],
                    None,
                    ["融资", "累计"],
                )
            ],
        ),
        (
            "截至2025年底，智譜累計融資總額已超過160億元人民幣。",
            [
                (
                    "kg:FundingTotal",
                    [("kg:observedEntity", "Zhipu")],
                    [("kg:amount", "超過160億元人民幣", "money")],
                    [],
                    "2025",
                    ["融資", "累计"],
                )
            ],
        ),
        (
            "智谱今年以来共计融资约 30 亿元。",
            [
                (
                    "kg:FundingTotal",
                    [("kg:observedEntity", "Zhipu")],
                    [("kg:amount", "约 30 亿元", "money")],
                    [],
                    "2025",
                    ["融资", "累计"],
                )
            ],
        ),
        # A total with investors is a round they took part in, not a total (a space between
        # the investor and the figure, as outlets write it).
        (
            "智谱累计获得腾讯 10 亿元投资。",
            [
                (
                    "kg:FundingEvent",
                    [("kg:investee", "Zhipu"), ("kg:investor", "Tencent")],
                    [("kg:amount", "10 亿元", "money")],
                    [],
                    None,
                    ["投资"],
                )
            ],
        ),
    ],
)
def test_a_total_of_fundings_is_a_total(text: str, facts: list[Brief]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    "text",
    [
        "本轮融资后，公司估值约 60 亿元。",  # after a round: no one funded, no one named
        "公司正在融资。",
        "融资环境趋紧，腾讯与阿里巴巴都在观望。",  # organisations, but no investor list
    ],
)
def test_no_funding_without_an_investee_or_investors_or_what_was_done(text: str) -> None:
    assert _facts(text, "kg:FundingEvent", "kg:FundingTotal") == []


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (
            "【星島日報報道】智譜（2513）昨日公布2025年全年業績，收入按年增長1.3倍至7.2億元人民幣，"
            "經調整淨虧損擴大至29.6億元人民幣。",
            [
                (
                    "kg:Revenue",
                    [("kg:observedEntity", "Zhipu")],
                    [("kg:amount", "7.2億元人民幣", "money")],
                    [],
                    "2025",
                    ["長1.3倍至"],
                ),
                (
                    "kg:Loss",
                    [("kg:observedEntity", "Zhipu")],
                    [("kg:amount", "29.6億元人民幣", "money")],
                    [],
                    "2025",
                    ["淨虧損擴大至"],
                ),
            ],
        ),
        (
            "以招股價上限計，智譜上市後市值約511億港元。",
            [
                (
                    "kg:MarketCapitalisation",
                    [("kg:observedEntity", "Zhipu")],
                    [("kg:amount", "約511億港元", "money")],
                    [],
                    None,
                    ["譜上市後市值"],
                )
            ],
        ),
        # The investors are not the company valued.
        (
            "由腾讯领投，智谱估值达 400 亿元。",
            [
                (
                    "kg:Valuation",
                    [("kg:observedEntity", "Zhipu")],
                    [("kg:amount", "400 亿元", "money")],
                    [],
                    None,
                    ["智谱估值达"],
                )
            ],
        ),
        # A clause of its own time (目前) takes no date from another.
        (
            "2024年，智谱收入约 3 亿元，目前估值约 400 亿元。",
            [
                (
                    "kg:Revenue",
                    [("kg:observedEntity", "Zhipu")],
                    [("kg:amount", "约 3 亿元", "money")],
                    [],
                    "2024",
                    ["智谱收入"],
                ),
                (
                    "kg:Valuation",
                    [("kg:observedEntity", "Zhipu")],
                    [("kg:amount", "约 400 亿元", "money")],
                    [],
                    None,
                    ["目前估值"],
                ),
            ],
        ),
        # A forecast is no observation; the figure in the other clause is.
        (
            "月之暗面总裁张予彤称，公司今年的收入预计将超过 1 亿美元。",
            [],
        ),
        (
            "智谱预计2026年收入超过 20 亿元，2025年收入为 7.2 亿元。",
            [
                (
                    "kg:Revenue",
                    [("kg:observedEntity", "Zhipu")],
                    [("kg:amount", "7.2 亿元", "money")],
                    [],
                    "2025",
                    ["25年收入为"],
                )
            ],
        ),
    ],
)
def test_observations_of_revenue_loss_valuation_and_market_value(
    text: str, facts: list[Brief]
) -> None:
    classes = ("kg:Revenue", "kg:Loss", "kg:Valuation", "kg:MarketCapitalisation")
    assert _facts(text, *classes) == facts


LISTINGS = [
    (
        "【明報專訊】內地大模型企業智譜今日起招股，計劃於2026年1月8日在港交所主板掛牌，股份代號2513。",
        [
            (
                "kg:Listing",
                [("kg:organization", "Zhipu"), ("kg:targetMarket", "HongKongMarket")],
                [],
                [("kg:status", "kg:Planned"), ("kg:stockCode", '"2513"')],
                "2026-01-08",
                ["招股", "掛牌"],
            )
        ],
    ),
    (
        "2026年1月8日，智谱（02513.HK）正式在港交所挂牌上市，成为“全球大模型第一股”。",
        [
            (
                "kg:Listing",
                [("kg:organization", "Zhipu"), ("kg:targetMarket", "HongKongMarket")],
                [],
                [("kg:status", "kg:Completed"), ("kg:stockCode", '"02513.HK"')],
                "2026-01-08",
                ["挂牌", "上市"],
            )
        ],
    ),
    # A range of prices: the first price per share; the proceeds, approximate.
    (
        "智譜擬發售3,742萬股H股，招股價介乎每股116.2港元至120.5港元，集資最多約43億港元。",
        [
            (
                "kg:Listing",
                [("kg:organization", "Zhipu")],
                [
                    ("kg:amount", "約43億港元", "money"),
                    ("kg:sharePrice", "每股116.2港元", "share_price"),
                ],
                [("kg:status", "kg:Planned")],
                None,
                ["發售", "招股價"],
            )
        ],
    ),
    (
        "最終發售價已釐定為每股H股120.50港元（不包括1%經紀佣金、0.0027%證監會交易徵費）。",
        [
            (
                "kg:Listing",
                [],
                [("kg:sharePrice", "每股H股120.50港元", "share_price")],
                [],
                None,
                ["發售價"],
            )
        ],
    ),
    (
        "按最終發售價計算，本公司將收取的全球發售所得款項淨額估計約為4,183.2百萬港元。",
        [
            (
                "kg:Listing",
                [],
                [("kg:amount", "4,183.2百萬港元", "money")],
                [],
                None,
                ["發售價", "發售"],
            )
        ],
    ),
    (
        "香港發售股份已獲大幅超額認購，相當於初步可供認購股份總數約1,159.46倍。",
        [
            (
                "kg:Listing",
                [("kg:targetMarket", "HongKongMarket")],
                [("kg:quantity", "約1,159.46倍", "quantity")],
                [],
                None,
                ["發售"],
            )
        ],
    ),
    (
        "預期H股將於2026年1月8日上午九時正開始在聯交所買賣。",
        [
            (
                "kg:Listing",
                [("kg:targetMarket", "HongKongMarket")],
                [],
                [("kg:status", "kg:Planned")],
                "2026-01-08",
                ["開始在聯交所買賣"],
            )
        ],
    ),
    (
        "星河智算计划于2027年在科创板上市。",
        [
            (
                "kg:Listing",
                [("kg:organization", "星河智算"), ("kg:targetMarket", "AShareMarket")],
                [],
                [("kg:status", "kg:Planned")],
                "2027",
                ["上市"],
            )
        ],
    ),
    (
        "阶跃星辰计划2026年赴港上市，拟募资约20亿港元。",
        [
            (
                "kg:Listing",
                [("kg:organization", "阶跃星辰"), ("kg:targetMarket", "HongKongMarket")],
                [("kg:amount", "约20亿港元", "money")],
                [("kg:status", "kg:Planned")],
                "2026",
                ["上市"],
            )
        ],
    ),
    # The status is read in the clause of the core word: 已 in another clause is not its own.
    (
        "智谱已完成股改，将于明年在港交所上市。",
        [
            (
                "kg:Listing",
                [("kg:organization", "Zhipu"), ("kg:targetMarket", "HongKongMarket")],
                [],
                [("kg:status", "kg:Planned")],
                "2026",
                ["上市"],
            )
        ],
    ),
    (
        "智谱已在港交所上市。",
        [
            (
                "kg:Listing",
                [("kg:organization", "Zhipu"), ("kg:targetMarket", "HongKongMarket")],
                [],
                [("kg:status", "kg:Completed")],
                None,
                ["上市"],
            )
        ],
    ),
    # Neither plan nor done: a listing, status left to the reviewer.
    (
        "智谱在港交所上市。",
        [
            (
                "kg:Listing",
                [("kg:organization", "Zhipu"), ("kg:targetMarket", "HongKongMarket")],
                [],
                [],
                None,
                ["上市"],
            )
        ],
    ),
]


@pytest.mark.parametrize(("text", "facts"), LISTINGS)
def test_a_listing_with_its_market_status_code_and_amounts(text: str, facts: list[Brief]) -> None:
    assert _facts(text, "kg:Listing") == facts


@pytest.mark.parametrize(
    "text",
    [
        "月之暗面创始人杨植麟曾表示，公司短期内没有上市计划。",  # denied
        "智譜否認上市傳聞。",
        "智谱正在评估赴港上市的可行性。",  # weighed
        "智谱今日起招股。",  # no core word, no market, code or amount
        "上市时，智谱的市值约为 500 亿港元。",  # 上市时 is a time, not a listing
    ],
)
def test_no_listing_denied_weighed_or_with_nothing_to_say(text: str) -> None:
    assert _facts(text, "kg:Listing") == []


RELEASES = [
    (
        "36氪获悉，7月28日，智谱正式发布并开源新一代旗舰模型GLM-4.5及其轻量版GLM-4.5-Air。",
        [
            (
                "kg:ModelRelease",
                [
                    ("kg:releasedBy", "Zhipu"),
                    ("kg:releasedModel", "GLM-4.5"),
                    ("kg:releasedModel", "GLM-4.5-Air"),
                ],
                [],
                [("kg:openSource", "true")],
                "2025-07-28",
                ["发布", "开源"],
            )
        ],
    ),
    # One release per maker: each model goes with the organisation named last before it.
    (
        "此前，月之暗面发布的Kimi K2和阿里的Qwen3也在本月相继开源。",
        [
            (
                "kg:ModelRelease",
                [("kg:releasedBy", "月之暗面"), ("kg:releasedModel", "Kimi K2")],
                [],
                [("kg:openSource", "true")],
                None,
                ["发布", "开源"],
            ),
            (
                "kg:ModelRelease",
                [("kg:releasedBy", "Alibaba"), ("kg:releasedModel", "Qwen3")],
                [],
                [("kg:openSource", "true")],
                None,
                ["发布", "开源"],
            ),
        ],
    ),
    # A plan before the cue word; Traditional; the speaker's word is a cue.
    (
        "智譜行政總裁張鵬表示，公司將於今年推出GLM-5。",
        [
            (
                "kg:ModelRelease",
                [("kg:releasedBy", "Zhipu"), ("kg:releasedModel", "GLM-5")],
                [],
                [("kg:status", "kg:Planned")],
                "2025",
                ["推出", "表示"],
            )
        ],
    ),
    # A curated model with a version is a model released; the maker named after it.
    (
        "GLM-4由智谱于2024年1月发布。",
        [
            (
                "kg:ModelRelease",
                [("kg:releasedBy", "Zhipu"), ("kg:releasedModel", "GLM-4")],
                [],
                [],
                "2024-01",
                ["发布"],
            )
        ],
    ),
    (
        "Step-R1上线。",
        [("kg:ModelRelease", [("kg:releasedModel", "Step-R1")], [], [], None, ["上线"])],
    ),
]


@pytest.mark.parametrize(("text", "facts"), RELEASES)
def test_a_release_per_maker_with_its_models(text: str, facts: list[Brief]) -> None:
    assert _facts(text, "kg:ModelRelease") == facts


@pytest.mark.parametrize(
    "text",
    [
        "智谱发布GLM架构白皮书。",  # a curated architecture without a version is no release
        "GLM-4.5总参数量3550亿，激活参数320亿。",  # no word of release
        "智谱发布新一代旗舰模型。",  # no model named
    ],
)
def test_no_release_without_a_model_and_a_word_of_release(text: str) -> None:
    assert _facts(text, "kg:ModelRelease") == []


PRICES = [
    (
        "智谱开盘价报 150 港元/股，较发行价 120.5 港元上涨 24.5%。",
        [
            (
                "kg:PriceChange",
                [("kg:organization", "Zhipu")],
                [("kg:quantity", "24.5%", "quantity")],
                [("kg:direction", "kg:Increase")],
                None,
                ["开盘", "发行价"],
            )
        ],
    ),
    (
        "受業績拖累，智譜股價昨日收跌8.3%，報212.4港元。",
        [
            (
                "kg:PriceChange",
                [("kg:organization", "Zhipu")],
                [("kg:quantity", "8.3%", "quantity")],
                [("kg:direction", "kg:Decrease")],
                None,
                ["股價", "收跌"],
            )
        ],
    ),
    (
        "价格方面，智谱将GLM-4的API调用价格从每百万输入tokens 2元下调至0.8元，降幅达60%。",
        [
            (
                "kg:PriceChange",
                [("kg:organization", "Zhipu"), ("kg:product", "GLM-4")],
                [
                    ("kg:priceBefore", "2元", "per:1000000:token"),
                    ("kg:priceAfter", "0.8元", "per:1000000:token"),
                    ("kg:quantity", "60%", "quantity"),
                ],
                [("kg:direction", "kg:Decrease")],
                None,
                ["下调"],
            )
        ],
    ),
    (
        "智谱将GLM-4的价格从每千tokens 0.1元上调至0.2元。",
        [
            (
                "kg:PriceChange",
                [("kg:organization", "Zhipu"), ("kg:product", "GLM-4")],
                [
                    ("kg:priceBefore", "0.1元", "per:1000:token"),
                    ("kg:priceAfter", "0.2元", "per:1000:token"),
                ],
                [("kg:direction", "kg:Increase")],
                None,
                ["上调"],
            )
        ],
    ),
    # A price per tokens as written (a unit price); no organisation in the clause.
    (
        "智谱发布新一代旗舰模型GLM-4.5，API价格下调至0.8元/百万tokens",
        [
            (
                "kg:PriceChange",
                [],
                [("kg:priceAfter", "0.8元/百万tokens", "unit_price")],
                [("kg:direction", "kg:Decrease")],
                None,
                ["下调"],
            )
        ],
    ),
    # 并将: the clause goes on with the sentence's subject; the date of the sentence.
    (
        "今年1月，阶跃星辰发布了开源推理模型Step-R1，并将API价格下调至每百万tokens 4元。",
        [
            (
                "kg:PriceChange",
                [("kg:organization", "阶跃星辰")],
                [("kg:priceAfter", "4元", "per:1000000:token")],
                [("kg:direction", "kg:Decrease")],
                "2025-01",
                ["下调"],
            )
        ],
    ),
    (
        "腾讯宣布，将价格下调至每 tokens 1元。",
        [
            (
                "kg:PriceChange",
                [("kg:organization", "Tencent")],
                [("kg:priceAfter", "1元", "per:1:token")],
                [("kg:direction", "kg:Decrease")],
                None,
                ["下调"],
            )
        ],
    ),
    # The organisation that acts is in the clause of the cue, before it.
    (
        "腾讯宣布，智谱把价格从每万tokens 0.5元降至0.1元。",
        [
            (
                "kg:PriceChange",
                [("kg:organization", "Zhipu")],
                [
                    ("kg:priceBefore", "0.5元", "per:10000:token"),
                    ("kg:priceAfter", "0.1元", "per:10000:token"),
                ],
                [("kg:direction", "kg:Decrease")],
                None,
                ["降至"],
            )
        ],
    ),
]


@pytest.mark.parametrize(("text", "facts"), PRICES)
def test_price_changes_of_a_share_and_of_a_service(text: str, facts: list[Brief]) -> None:
    assert _facts(text, "kg:PriceChange") == facts


@pytest.mark.parametrize(
    "text",
    [
        "摩根士丹利將智譜目標價由250港元下調至230港元。",  # a price per what the text does not say
        "智谱将价格下调至0.5元。",
        "智谱宣布降价。",  # no price
        "智谱股价平稳。",  # a stock word and no change
    ],
)
def test_no_price_change_without_a_price_per_something(text: str) -> None:
    assert _facts(text, "kg:PriceChange") == []


def test_a_fact_after_a_word_of_speech_is_reported() -> None:
    [listing] = [
        p
        for p in summaries(
            "据彭博社报道，上海AI公司MiniMax计划最早于今年年底在香港上市，拟募资约 5 亿美元。"
        )
    ]
    assert listing["cls"] == "kg:Listing" and listing["reported"] is True
    assert listing["cues"] == ["上市", "据彭博社报道"]
    assert listing["date"] == "2025"
    # The speaker's post comes before the word: not reported; the release after it is.
    facts = summaries("智譜行政總裁張鵬表示，公司將於今年推出GLM-5。")
    assert [(p["cls"], p["reported"]) for p in facts] == [
        ("kg:ModelRelease", True),
        ("kg:Post", False),
    ]
    assert [p["cls"] for p in summaries("智谱发布GLM-5。")] == ["kg:ModelRelease"]
    assert [p["reported"] for p in summaries("智谱发布GLM-5。")] == [False]


def test_amounts_inside_names_play_no_part() -> None:
    # 360 in a company's name is not an amount of the funding.
    facts = _facts("三六零集团旗下360智脑获得腾讯 2 亿元投资。", "kg:FundingEvent")
    assert [amounts for _, _, amounts, _, _, _ in facts] == [[("kg:amount", "2 亿元", "money")]]


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # The date before the amount, after the first cue word.
        (
            "由腾讯领投，智谱于2025年3月完成10亿元融资。",
            [
                (
                    "kg:FundingEvent",
                    [("kg:investee", "Zhipu"), ("kg:investor", "Tencent")],
                    [("kg:amount", "10亿元", "money")],
                    [],
                    "2025-03",
                    ["领投", "融资"],
                )
            ],
        ),
        # No cue word and only spaces before the amount: the cue is 获得.
        (
            "智谱获得  10 亿元。",
            [
                (
                    "kg:FundingEvent",
                    [("kg:investee", "Zhipu")],
                    [("kg:amount", "10 亿元", "money")],
                    [],
                    None,
                    ["获得"],
                )
            ],
        ),
        # A向B投资 after another organisation: B is the investee, not the first named.
        (
            "据腾讯透露，北京市人工智能产业投资基金向智谱追加投资3亿元。",
            [
                (
                    "kg:FundingEvent",
                    [("kg:investee", "Zhipu"), ("kg:investor", "BeijingAIFund")],
                    [("kg:amount", "3亿元", "money")],
                    [],
                    None,
                    ["投资", "透露"],
                )
            ],
        ),
        # 向 before no organisation, or before one not invested in: no A向B.
        (
            "智谱向员工宣布完成融资。",
            [("kg:FundingEvent", [("kg:investee", "Zhipu")], [], [], None, ["融资"])],
        ),
        (
            "智谱向腾讯采购算力后完成融资。",
            [("kg:FundingEvent", [("kg:investee", "Zhipu")], [], [], None, ["融资"])],
        ),
        # What was done (完成) is enough, with the investee; a round in progress is not.
        (
            "智谱完成融资。",
            [("kg:FundingEvent", [("kg:investee", "Zhipu")], [], [], None, ["融资"])],
        ),
        (
            "月之暗面近日完成新一轮融资。",
            [("kg:FundingEvent", [("kg:investee", "月之暗面")], [], [], None, ["融资"])],
        ),
        ("智谱正在融资。", []),
        # An amount and no one: nothing to propose; investors and no investee: a funding.
        ("本轮融资金额为 10 亿元。", []),
        (
            "是次招股引入多名基石投资者，包括泰康人壽、雲鋒基金及高毅資產，合共認購約12億港元。",
            [
                (
                    "kg:FundingEvent",
                    [
                        ("kg:investor", "泰康人壽"),
                        ("kg:investor", "雲鋒基金"),
                        ("kg:investor", "高毅資產"),
                    ],
                    [("kg:amount", "約12億港元", "money")],
                    [],
                    None,
                    ["認購"],
                )
            ],
        ),
    ],
)
def test_funding_edges(text: str, facts: list[Brief]) -> None:
    assert _facts(text, "kg:FundingEvent", "kg:FundingTotal") == facts


def test_an_observation_after_a_funding_amount() -> None:
    assert _facts("智谱获得 10 亿元投资，估值超 400 亿元。") == [
        (
            "kg:FundingEvent",
            [("kg:investee", "Zhipu")],
            [("kg:amount", "10 亿元", "money")],
            [],
            None,
            ["投资"],
        ),
        (
            "kg:Valuation",
            [("kg:observedEntity", "Zhipu")],
            [("kg:amount", "超 400 亿元", "money")],
            [],
            None,
            ["估值"],
        ),
    ]


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # A stock code is enough without a core word; a core word needs its organisation.
        (
            "智谱（02513.HK）今起招股。",
            [
                (
                    "kg:Listing",
                    [("kg:organization", "Zhipu")],
                    [],
                    [("kg:stockCode", '"02513.HK"')],
                    None,
                    ["招股"],
                )
            ],
        ),
        ("H股将于明日上市。", []),
        (
            "智谱已正式上市。",
            [
                (
                    "kg:Listing",
                    [("kg:organization", "Zhipu")],
                    [],
                    [("kg:status", "kg:Completed")],
                    None,
                    ["上市"],
                )
            ],
        ),
        # The clause of a cue word that opens it.
        (
            "今日，挂牌港交所的智谱股价大涨。",
            [
                (
                    "kg:Listing",
                    [("kg:organization", "Zhipu"), ("kg:targetMarket", "HongKongMarket")],
                    [],
                    [],
                    None,
                    ["挂牌"],
                )
            ],
        ),
        # Trading that has begun is a listing done.
        (
            "H股已于2026年1月8日开始在联交所买卖。",
            [
                (
                    "kg:Listing",
                    [("kg:targetMarket", "HongKongMarket")],
                    [],
                    [("kg:status", "kg:Completed")],
                    "2026-01-08",
                    ["开始在联交所买卖"],
                )
            ],
        ),
    ],
)
def test_listing_edges(text: str, facts: list[Brief]) -> None:
    assert _facts(text, "kg:Listing") == facts


def test_a_market_is_named_by_its_curated_iri_even_when_the_data_does_not_label_it() -> None:
    [listing] = proposals("星河智算计划于2027年在科创板上市。")
    assert ("kg:targetMarket", KGR + "AShareMarket") in listing.roles


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # The organisation right before the cue word acts.
        (
            "智谱下调GLM-4价格至每百万tokens 0.5元。",
            [
                (
                    "kg:PriceChange",
                    [("kg:organization", "Zhipu")],
                    [("kg:priceAfter", "0.5元", "per:1000000:token")],
                    [("kg:direction", "kg:Decrease")],
                    None,
                    ["下调"],
                )
            ],
        ),
        # 并将 with no subject in the sentence: no organisation.
        (
            "并将API价格下调至每百万tokens 4元。",
            [
                (
                    "kg:PriceChange",
                    [],
                    [("kg:priceAfter", "4元", "per:1000000:token")],
                    [("kg:direction", "kg:Decrease")],
                    None,
                    ["下调"],
                )
            ],
        ),
        # A model that opens the clause, right before the cue word.
        (
            "GLM-4下调至每百万tokens 1元。",
            [
                (
                    "kg:PriceChange",
                    [("kg:product", "GLM-4")],
                    [("kg:priceAfter", "1元", "per:1000000:token")],
                    [("kg:direction", "kg:Decrease")],
                    None,
                    ["下调"],
                )
            ],
        ),
        # A cue word that opens its clause reads the clause after it.
        (
            "智谱宣布，下调至每百万tokens 0.5元。",
            [
                (
                    "kg:PriceChange",
                    [],
                    [("kg:priceAfter", "0.5元", "per:1000000:token")],
                    [("kg:direction", "kg:Decrease")],
                    None,
                    ["下调"],
                )
            ],
        ),
        # A price per nothing said is skipped, the next still read.
        (
            "智谱将价格从2元下调至0.8元/百万tokens。",
            [
                (
                    "kg:PriceChange",
                    [("kg:organization", "Zhipu")],
                    [("kg:priceAfter", "0.8元/百万tokens", "unit_price")],
                    [("kg:direction", "kg:Decrease")],
                    None,
                    ["下调"],
                )
            ],
        ),
        # 从 before a unit price, with or without a space: the price before.
        (
            "智谱将价格从 0.5元/百万tokens 降至 0.1元/百万tokens。",
            [
                (
                    "kg:PriceChange",
                    [("kg:organization", "Zhipu")],
                    [
                        ("kg:priceBefore", "0.5元/百万tokens", "unit_price"),
                        ("kg:priceAfter", "0.1元/百万tokens", "unit_price"),
                    ],
                    [("kg:direction", "kg:Decrease")],
                    None,
                    ["降至"],
                )
            ],
        ),
        (
            "智谱将价格从0.5元/百万tokens降至0.1元/百万tokens。",
            [
                (
                    "kg:PriceChange",
                    [("kg:organization", "Zhipu")],
                    [
                        ("kg:priceBefore", "0.5元/百万tokens", "unit_price"),
                        ("kg:priceAfter", "0.1元/百万tokens", "unit_price"),
                    ],
                    [("kg:direction", "kg:Decrease")],
                    None,
                    ["降至"],
                )
            ],
        ),
        # A rise with its percentage.
        (
            "智谱将GLM-4的价格从每千tokens 0.1元上调至0.2元，涨幅100%。",
            [
                (
                    "kg:PriceChange",
                    [("kg:organization", "Zhipu"), ("kg:product", "GLM-4")],
                    [
                        ("kg:priceBefore", "0.1元", "per:1000:token"),
                        ("kg:priceAfter", "0.2元", "per:1000:token"),
                        ("kg:quantity", "100%", "quantity"),
                    ],
                    [("kg:direction", "kg:Increase")],
                    None,
                    ["上调"],
                )
            ],
        ),
        # A price and no word of change.
        ("GLM-4售价0.8元/千tokens。", []),
    ],
)
def test_price_change_edges(text: str, facts: list[Brief]) -> None:
    assert _facts(text, "kg:PriceChange") == facts


def test_a_model_right_after_its_maker() -> None:
    assert _facts("腾讯与智谱GLM-5同日发布。") == [
        (
            "kg:ModelRelease",
            [("kg:releasedBy", "Zhipu"), ("kg:releasedModel", "GLM-5")],
            [],
            [],
            None,
            ["发布"],
        )
    ]


def test_reported_from_the_first_word_of_speech() -> None:
    facts = summaries("智谱CEO张鹏表示，公司将于今年推出GLM-5，唐杰也表示支持。")
    assert [(p["cls"], p["reported"], p["cues"]) for p in facts] == [
        ("kg:ModelRelease", True, ["推出", "表示"]),
        ("kg:Post", False, ["CEO"]),
    ]


def test_names_are_masked_at_their_place_in_a_later_sentence() -> None:
    # 投资 inside the fund's name gives the amount no part (it would read as a funding).
    assert _facts("作者 | 高洪浩\n北京市人工智能产业投资基金规模达 100 亿元。") == []
    # ... and no further: the words after a name in a later sentence are read.
    assert _facts("作者 | 高洪浩\n智谱估值达 400 亿元。") == [
        (
            "kg:Valuation",
            [("kg:observedEntity", "Zhipu")],
            [("kg:amount", "400 亿元", "money")],
            [],
            None,
            ["智谱估值达"],
        )
    ]
