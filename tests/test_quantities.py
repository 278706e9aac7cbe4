"""Chinese amounts as the article writes them: parsing, finding in prose, checking stored values."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from kg.data.quantities import Quantity, QuantityError, find_quantities, matches, parse_quantity


def dec(number: str | None) -> Decimal | None:
    return None if number is None else Decimal(number)


# text -> value, min_value, max_value, approximate, unit
PARSE_CASES: list[tuple[str, str | None, str | None, str | None, bool, str | None]] = [
    # Arabic figures with magnitude words; currencies
    ("30亿元", "3e9", None, None, False, "CNY"),
    ("18亿元", "1.8e9", None, None, False, "CNY"),
    ("2亿", "2e8", None, None, False, None),
    ("400亿元", "4e10", None, None, False, "CNY"),
    ("3亿元", "3e8", None, None, False, "CNY"),
    ("20亿元", "2e9", None, None, False, "CNY"),
    ("1.75万亿", "1.75e12", None, None, False, None),
    ("6.5亿美元", "6.5e8", None, None, False, "USD"),
    ("3亿美元", "3e8", None, None, False, "USD"),
    ("3000亿港元", "3e11", None, None, False, "HKD"),
    ("200来亿港币", "2e10", None, None, True, "HKD"),
    ("5万", "5e4", None, None, False, None),
    ("5千万", "5e7", None, None, False, None),
    ("2百万人民币", "2e6", None, None, False, "CNY"),
    ("10欧元", "10", None, None, False, "EUR"),
    # bounds and vagueness
    ("过亿元", None, "1e8", None, True, "CNY"),
    ("不足600亿", None, None, "6e10", True, None),
    ("200来亿", "2e10", None, None, True, None),
    ("100余位", None, "100", None, True, "PERSON"),
    ("100余人", None, "100", None, True, "PERSON"),
    ("至少7名", None, "7", None, True, "PERSON"),
    ("千万级", None, "1e7", "1e8", True, None),
    ("千亿级", None, "1e11", "1e12", True, None),
    ("万亿级", None, "1e12", "1e13", True, None),
    ("千亿", None, "1e11", "1e12", True, None),
    ("万亿", None, "1e12", "1e13", True, None),
    ("前十", None, None, "10", True, None),
    ("数万块", None, "2e4", "1e5", True, "块"),
    ("数亿元", None, "2e8", "1e9", True, "CNY"),
    ("数十亿", None, "2e9", "1e10", True, None),
    ("几百万", None, "2e6", "1e7", True, None),
    ("近10倍", "10", None, "10", True, "TIMES"),
    ("近三年", "3", None, "3", True, "年"),
    ("近亿元", "1e8", None, "1e8", True, "CNY"),
    ("超万亿", None, "1e12", None, True, None),
    ("3亿多元", None, "3e8", None, True, "CNY"),
    ("二十多万", None, "2e5", None, True, None),
    ("十来个", "10", None, None, True, "个"),
    ("100人左右", "100", None, None, True, "PERSON"),
    ("3亿元上下", "3e8", None, None, True, "CNY"),
    ("10万人以上", None, "1e5", None, True, "PERSON"),
    ("5年以内", None, None, "5", True, "年"),
    ("不足100人以下", None, None, "100", True, "PERSON"),
    ("过10万级", None, "1e5", "1e6", True, None),
    # percentages, multipliers, fractions
    ("31.2%", "31.2", None, None, False, "PERCENT"),
    ("31.2％", "31.2", None, None, False, "PERCENT"),
    ("百分之三十", "30", None, None, False, "PERCENT"),
    ("1/10", "0.1", None, None, False, None),
    ("一半", "0.5", None, None, True, None),
    ("半年", "0.5", None, None, False, "年"),
    ("三分之一", "0.3333333333333333333333333333", None, None, False, None),
    ("十分之一", "0.1", None, None, False, None),
    ("约三分之二", "0.6666666666666666666666666667", None, None, True, None),
    # Chinese numerals and measure words
    ("五个", "5", None, None, False, "个"),
    ("5座", "5", None, None, False, "座"),
    ("5位", "5", None, None, False, "PERSON"),
    ("十", "10", None, None, False, None),
    ("二十", "20", None, None, False, None),
    ("十二", "12", None, None, False, None),
    ("一百", "100", None, None, False, None),
    ("一百零五", "105", None, None, False, None),
    ("一千零五十", "1050", None, None, False, None),
    ("两千", "2000", None, None, False, None),
    ("九千九百九十九", "9999", None, None, False, None),
    ("三千五百万", "3.5e7", None, None, False, None),
    ("十万八千", "108000", None, None, False, None),
    ("一万亿", "1e12", None, None, False, None),
    ("三亿五千万", "3.5e8", None, None, False, None),
    ("三地", "3", None, None, False, "地"),
    ("三项", "3", None, None, False, "项"),
    ("两条", "2", None, None, False, "条"),
    ("五年", "5", None, None, False, "年"),
    ("4年", "4", None, None, False, "年"),
    ("三个月", "3", None, None, False, "个月"),
    ("100万token", "1e6", None, None, False, "TOKEN"),
    ("2倍", "2", None, None, False, "TIMES"),
]


@pytest.mark.parametrize(("text", "value", "low", "high", "approximate", "unit"), PARSE_CASES)
def test_parse_quantity(
    text: str,
    value: str | None,
    low: str | None,
    high: str | None,
    approximate: bool,
    unit: str | None,
) -> None:
    q = parse_quantity(text)
    assert (q.text, q.start, q.end) == (text, 0, len(text))
    assert q.value == dec(value)
    assert q.min_value == dec(low)
    assert q.max_value == dec(high)
    assert q.approximate is approximate
    assert q.unit == unit
    assert q.reference_quantity is None and q.reference_unit is None
    assert not q.is_price


def test_values_are_tidy_decimals() -> None:
    assert repr(parse_quantity("30亿元").value) == "Decimal('3000000000')"
    assert repr(parse_quantity("6.5亿美元").value) == "Decimal('650000000')"
    assert repr(parse_quantity("0.0003元/千token").value) == "Decimal('0.0003')"
    assert repr(parse_quantity("31.20%").value) == "Decimal('31.2')"


@pytest.mark.parametrize(
    ("text", "value", "currency", "reference"),
    [
        ("0.0003元/千token", "0.0003", "CNY", "1000"),
        ("5元/百万token", "5", "CNY", "1e6"),
        ("2元/万tokens", "2", "CNY", "1e4"),
        ("1元/1000Token", "1", "CNY", "1000"),
        ("0.5美元/1百万TOKENS", "0.5", "USD", "1e6"),
        ("5元/token", "5", "CNY", "1"),
    ],
)
def test_prices(text: str, value: str, currency: str, reference: str) -> None:
    q = parse_quantity(text)
    assert q.value == Decimal(value)
    assert q.unit == currency
    assert q.reference_quantity == Decimal(reference)
    assert q.reference_unit == "TOKEN"
    assert q.is_money and q.is_price
    assert not q.approximate


@pytest.mark.parametrize(
    ("text", "value", "low", "high"),
    [
        ("约5人", "5", None, None),
        ("大约5人", "5", None, None),
        ("近5人", "5", None, "5"),
        ("将近5人", "5", None, "5"),
        ("接近5人", "5", None, "5"),
        ("过5万人", None, "5e4", None),
        ("超5人", None, "5", None),
        ("超过5人", None, "5", None),
        ("逾5人", None, "5", None),
        ("至少5人", None, "5", None),
        ("最少5人", None, "5", None),
        ("不少于5人", None, "5", None),
        ("多于5人", None, "5", None),
        ("不足5人", None, None, "5"),
        ("不到5人", None, None, "5"),
        ("少于5人", None, None, "5"),
        ("至多5人", None, None, "5"),
        ("最多5人", None, None, "5"),
        ("不超过5人", None, None, "5"),
    ],
)
def test_every_bound_word(text: str, value: str | None, low: str | None, high: str | None) -> None:
    q = parse_quantity(text)
    assert (q.value, q.min_value, q.max_value) == (dec(value), dec(low), dec(high))
    assert q.approximate
    assert q.unit == "PERSON"


def test_surrounding_whitespace_is_allowed_and_offsets_point_into_the_input() -> None:
    q = parse_quantity("  30亿元\n")
    assert (q.text, q.start, q.end, q.value) == ("30亿元", 2, 6, Decimal("3e9"))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "亿",
        "元",
        "万",
        "亿元",
        "1..2亿",
        "1/0",
        "0分之1",
        "30亿元x",
        "3月",
    ],
)
def test_not_a_quantity(text: str) -> None:
    with pytest.raises(QuantityError, match="not a quantity") as caught:
        parse_quantity(text)
    assert repr(text) in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_a_year_is_not_a_quantity() -> None:
    with pytest.raises(QuantityError, match="calendar year"):
        parse_quantity("2025年")
    assert parse_quantity("近2000年").value == Decimal(2000)


def spans(
    text: str,
) -> list[tuple[str, Decimal | None, Decimal | None, Decimal | None, str | None]]:
    found = find_quantities(text)
    for q in found:
        assert text[q.start : q.end] == q.text
    return [(q.text, q.value, q.min_value, q.max_value, q.unit) for q in found]


FIND_CASES: list[tuple[str, list[tuple[str, str | None, str | None, str | None, str | None]]]] = [
    (
        "累计获得资金30亿元,估值更是飙升至400亿元。",
        [("30亿元", "3e9", None, None, "CNY"), ("400亿元", "4e10", None, None, "CNY")],
    ),
    ("拿下了北京市人工智能产业投资基金的2亿追加投资", [("2亿", "2e8", None, None, None)]),
    (
        "唐杰与100余位AI科学家近三年联合攻关",
        [("100余位", None, "100", None, "PERSON"), ("近三年", "3", None, "3", "年")],
    ),
    (
        "1.75万亿参数规模较当时的GPT-3超出近10倍",
        [("1.75万亿", "1.75e12", None, None, None), ("近10倍", "10", None, "10", "TIMES")],
    ),
    (
        "以4年3亿美元的天价从OpenAI挖走至少7名核心成员",
        [
            ("4年", "4", None, None, "年"),
            ("3亿美元", "3e8", None, None, "USD"),
            ("至少7名", None, "7", None, "PERSON"),
        ],
    ),
    (
        "跌至不足600亿,最惨时跌至200来亿港币的市值",
        [("不足600亿", None, None, "6e10", None), ("200来亿港币", "2e10", None, None, "HKD")],
    ),
    ("通过3亿元融资", [("3亿元", "3e8", None, None, "CNY")]),
    ("市值过100亿元", [("过100亿元", None, "1e10", None, "CNY")]),
    ("最近3年", [("3年", "3", None, None, "年")]),
    ("签约3家", [("3家", "3", None, None, "家")]),
    ("10亿项目", [("10亿", "1e9", None, None, None)]),
    ("3000亿人工智能产业", [("3000亿", "3e11", None, None, None)]),
    ("进度条完成了一半", [("一半", "0.5", None, None, None)]),
    ("用1/10训练成本", [("1/10", "0.1", None, None, None)]),
    # not amounts
    ("2025年,智谱的高管中", []),
    ("2021年12月的一天", []),
    ("3月底的智谱OpenDay上", []),
    ("11月底,ChatGPT-3.5正式亮相", []),
    ("同年6月悟道2.0横空出世", []),
    ("2015年起,美国技术封锁", []),
    ("公开了GLM-10B模型的源代码", []),
    ("智谱发布了千亿级大模型GLM-130B", [("千亿级", None, "1e11", "1e12", None)]),
    ("集中到GLM-Z1、GLM-4-Air两条主线", [("两条", "2", None, None, "条")]),
    ("L1预训练大模型、L2对齐与推理、L5意识智能", []),
    ("4年前,顶着AI第一股上市的商汤科技", []),
    ("3年后", []),
    ("在ChatGPT-3.5发布的前三个月", []),
    ("推出Qwen3个月", []),
    ("今年上半年,智谱5位高管先后离职", [("5位", "5", None, None, "PERSON")]),
    ("大概是最忙的一位", []),
    ("智谱还给自己安排了第二件大事", []),
    ("唐杰给公司拉过一个进度条", []),
    ("但这样一来,更大的问题也来了", []),
    ("整体跻身前十的大模型", [("前十", None, None, "10", None)]),
    ("在此前十年;目前三家", [("三家", "3", None, None, "家")]),
    ("AI六小龙;十分重要;零样本;为数不多;几乎", []),
    ("一季度同比下降达31.2%", [("31.2%", "31.2", None, None, "PERCENT")]),
    ("1/0元", []),
]


@pytest.mark.parametrize(("text", "expected"), FIND_CASES)
def test_find_quantities(
    text: str, expected: list[tuple[str, str | None, str | None, str | None, str | None]]
) -> None:
    assert spans(text) == [(t, dec(v), dec(lo), dec(hi), u) for t, v, lo, hi, u in expected]


def test_find_offsets_point_into_the_passage() -> None:
    text = "获得资金30亿元,估值400亿元"
    found = find_quantities(text)
    assert [(q.start, q.end) for q in found] == [(4, 8), (11, 16)]


@pytest.mark.parametrize(
    ("text", "inherits"),
    [
        ("智谱已经被迫将API价格从5元/百万token砍至1元,", True),
        ("价格从5元/百万token降到了1元", True),
        ("从5元/百万token到1元", True),
        ("价格5元/百万token砍至1元", False),  # no 从
        ("从5元/百万token砍至1美元", False),  # another currency
        ("从5元/百万token,后来砍至1元", False),  # punctuation between
        ("从5元/百万token砍至1元/千token", False),  # already a price
    ],
)
def test_from_to_price_inherits_the_reference(text: str, inherits: bool) -> None:
    first, second = find_quantities(text)
    assert (first.value, first.reference_quantity) == (Decimal(5), Decimal(10**6))
    assert second.value == Decimal(1)
    if inherits:
        assert (second.reference_quantity, second.reference_unit) == (Decimal(10**6), "TOKEN")
        assert second.text == "1元" and second.is_price
    else:
        assert second.reference_quantity != Decimal(10**6)


def test_matches_point_values() -> None:
    q = parse_quantity("30亿元")
    assert matches(q, value=Decimal("3E+9"))
    assert matches(q, value=3000000000, currency="CNY")
    assert matches(q, value="3000000000.00", currency="cny")
    assert matches(q, value=3e9)
    assert matches(q)
    assert not matches(q, value=Decimal("3E+8"))
    assert not matches(q, currency="USD")
    assert not matches(q, min_value=3000000000)  # no bound was stated
    assert not matches(parse_quantity("30亿"), currency="CNY")  # not money


def test_matches_bounds() -> None:
    q = parse_quantity("千万级")
    assert matches(q, min_value="1E+7", max_value=100000000)
    assert not matches(q, value=10000000)  # no point value
    assert not matches(q, min_value=10000000, max_value=10000000)
    assert matches(parse_quantity("过亿元"), min_value=Decimal(10**8), currency="CNY")
    assert matches(parse_quantity("近10倍"), value=10, max_value="10.0")


def test_matches_prices() -> None:
    q = parse_quantity("0.0003元/千token")
    assert matches(q, value="0.0003", currency="CNY", reference_quantity="1E+3")
    assert not matches(q, value="0.0003", reference_quantity=1000000)
    assert not matches(q, value="0.0003", currency="USD", reference_quantity=1000)
    assert not matches(parse_quantity("0.0003元"), reference_quantity=1000)


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", ""])
def test_matches_rejects_non_numbers(bad: str) -> None:
    with pytest.raises(ValueError, match="not a"):
        matches(parse_quantity("30亿元"), value=bad)


def test_quantity_is_a_frozen_value() -> None:
    q = parse_quantity("5位")
    assert q == Quantity("5位", 0, 2, Decimal(5), None, None, False, "PERSON")
    with pytest.raises(AttributeError):
        q.value = Decimal(6)  # type: ignore[misc]


# The article, line by line: every amount a reader would call an amount, keyed by a snippet of
# its line (checked by reading the article). Lines not listed hold none.
# (text, value, min_value, max_value, unit, reference_quantity)
Golden = list[tuple[str, str | None, str | None, str | None, str | None, str | None]]
ARTICLE_GOLDEN: dict[str, Golden] = {
    "半年时间,智谱集齐了": [
        ("半年", "0.5", None, None, "年", None),
        ("5座", "5", None, None, "座", None),
        ("30亿元", "3e9", None, None, "CNY", None),
        ("400亿元", "4e10", None, None, "CNY", None),
    ],
    "3月,连跑珠海": [
        ("三地", "3", None, None, "地", None),
        ("18亿元", "1.8e9", None, None, "CNY", None),
        ("2亿", "2e8", None, None, None, None),
    ],
    "这是唐杰与100余位": [
        ("100余位", None, "100", None, "PERSON", None),
        ("近三年", "3", None, "3", "年", None),
        ("1.75万亿", "1.75e12", None, None, None, None),
        ("近10倍", "10", None, "10", "TIMES", None),
    ],
    "GPT-3所展示出的千亿参数": [
        ("千亿", None, "1e11", "1e12", None, None),
        ("千亿级", None, "1e11", "1e12", None, None),
        ("数万块", None, "2e4", "1e5", "块", None),
        ("数亿元", None, "2e8", "1e9", "CNY", None),
        ("过亿元", None, "1e8", None, "CNY", None),
    ],
    "2022年,在ChatGPT-3.5发布的前三个月": [
        ("千亿级", None, "1e11", "1e12", None, None),
        ("千亿级", None, "1e11", "1e12", None, None),
    ],
    "11月底,ChatGPT-3.5正式亮相": [
        ("前十", None, None, "10", None, None),
        ("千亿级", None, "1e11", "1e12", None, None),
    ],
    "三项硬实力": [("三项", "3", None, None, "项", None)],
    "发展分成五个阶段": [("五个", "5", None, None, "个", None)],
    "五年过去": [("五年", "5", None, None, "年", None), ("一半", "0.5", None, None, None, None)],
    "智谱年度收入为3亿元": [
        ("3亿元", "3e8", None, None, "CNY", None),
        ("20亿元", "2e9", None, None, "CNY", None),
    ],
    "一季度同比下降达31.2%": [("31.2%", "31.2", None, None, "PERCENT", None)],
    "微软刚以6.5亿美元": [
        ("6.5亿美元", "6.5e8", None, None, "USD", None),
        ("4年", "4", None, None, "年", None),
        ("3亿美元", "3e8", None, None, "USD", None),
        ("至少7名", None, "7", None, "PERSON", None),
    ],
    "DeepSeek用1/10": [
        ("1/10", "0.1", None, None, None, None),
        ("0.0003元/千token", "0.0003", None, None, "CNY", "1000"),
    ],
    "智谱5位高管先后离职": [
        ("5位", "5", None, None, "PERSON", None),
        ("100余人", None, "100", None, "PERSON", None),
    ],
    "从5元/百万token砍至1元": [
        ("5元/百万token", "5", None, None, "CNY", "1e6"),
        ("1元", "1", None, None, "CNY", "1e6"),
        ("千万级", None, "1e7", "1e8", None, None),
    ],
    "GLM-4-Air两条主线": [("两条", "2", None, None, "条", None)],
    "3000亿港元的市值": [
        ("3000亿港元", "3e11", None, None, "HKD", None),
        ("不足600亿", None, None, "6e10", None, None),
        ("200来亿港币", "2e10", None, None, "HKD", None),
    ],
}


def test_article_golden(source_path: Path) -> None:
    text = source_path.read_text(encoding="utf-8")
    lines = text.split("\n")
    for snippet in ARTICLE_GOLDEN:
        assert sum(snippet in line for line in lines) == 1, f"{snippet!r} must pick one line"
    for line in lines:
        keys = [k for k in ARTICLE_GOLDEN if k in line]
        expected = [
            (t, dec(v), dec(lo), dec(hi), u, dec(r))
            for t, v, lo, hi, u, r in (ARTICLE_GOLDEN[keys[0]] if keys else [])
        ]
        got = [
            (q.text, q.value, q.min_value, q.max_value, q.unit, q.reference_quantity)
            for q in find_quantities(line)
        ]
        assert got == expected, line
    # Over the whole article at once: the same amounts, at offsets into the article.
    whole = find_quantities(text)
    assert len(whole) == sum(len(g) for g in ARTICLE_GOLDEN.values())
    assert all(text[q.start : q.end] == q.text for q in whole)


@pytest.mark.parametrize("text", ["200来亿港币", "200来亿", "十来个", "20来万元"])
def test_lai_is_an_approximation_with_no_bound(text: str) -> None:
    """来 means "about, n-odd": it licenses neither a floor nor a ceiling (issue 10)."""
    q = parse_quantity(text)
    assert q.approximate
    assert q.value is not None
    assert (q.min_value, q.max_value) == (None, None)


def test_half_done_is_approximate() -> None:
    """一半 as a progress figure ("完成了一半") is a rough half: approximate, no bound."""
    [q] = find_quantities("五年过去,智谱的进度条完成了一半")[-1:]
    assert (q.text, q.value, q.approximate) == ("一半", Decimal("0.5"), True)
    assert (q.min_value, q.max_value) == (None, None)


# ---------------------------------------------------------------- as outlets write them
# Passages written for these tests in four outlets' styles (none of them the seed article's):
# Simplified business news with spaced figures, Hong Kong press in Traditional script, an HKEX
# announcement (Chinese and English), and 36Kr-style tech news.
SPACED = (
    "据悉，星河动力此次港股 IPO 拟发行 1,204.5万股 H 股，招股价介于 30 至 36 港元，"
    "募资规模约 12 亿港元；按发行价上限计，公司市值约 288 亿港元（约合 37 亿美元）。"
    "公司去年营收 7.6 亿元，同比增长 41.2%，净亏损收窄至不足 5000 万元。"
)
HK_PRESS = (
    "智譜上周五公布招股詳情，擬發行4,350萬股H股，每股招股價116.20港元，集資淨額約50.1億港元。"
    "公開發售部分獲超額認購1,159.46倍，市值介乎120.5億至133.8億港元。"
    "公司去年收入3.12億元人民幣，按年增長125.5%；股價首日收報145.8港元，較招股價上漲25.5%，"
    "恒指則下跌 1.3%。"
)
HKEX_ZH = (
    "全球發售項下將予發行的發售股份數目：43,500,000股H股。"
    "最高發售價：每股H股116.20港元。"
    "所得款項淨額估計約為4,350,000,000港元，約30%將用於研發。"
)
HKEX_EN = (
    "Offer Price: HK$116.20 per H Share. "
    "Net proceeds: approximately HK$4,350.0 million, of which up to US$120 million is reserved."
)
KR36 = (
    "36氪获悉，AI 公司深言科技完成新一轮 5 亿美元融资，投后估值超 30 亿美元(约合 216 亿元)。"
    "其 API 价格下调至 0.8 元/百万 tokens，较此前下降 80%；年化收入 37.9百万美元，"
    "付费企业 1,200 余家。公司估值较上轮提升 3 倍，团队已近 20 亿元的研发投入中，"
    "数亿元来自政府基金，另有 2 亿来自老股东。"
)
# Taiwan's press (兆, 新台幣, 成, 個百分點) and a mainland earnings report (spaced, a minus).
TW_PRESS = (
    "鴻海昨（8）日公布去年第四季營收達新台幣2.1兆元，年增逾兩成；全年營收約7.5兆元，"
    "毛利率6.2%，較前年提升0.3個百分點。"
)
EARNINGS = (
    "财报显示，2025 年第三季度，公司实现营收 56.3 亿元，同比增长 18.6%；归母净利润 3.2 亿元，"
    "同比下降 7.4%；经营性现金流净额为 -1.5 亿元。期内研发投入 12.1 亿元，占营收比重 21.5%。"
)
Row = tuple[str, str | None, str | None, str | None, str | None]
OUTLET_CASES: list[tuple[str, list[Row]]] = [
    (
        TW_PRESS,
        [
            ("新台幣2.1兆元", "2.1e12", None, None, "TWD"),
            ("逾兩成", None, "20", None, "PERCENT"),
            ("約7.5兆元", "7.5e12", None, None, "CNY"),  # 元 alone: the reader cannot tell NTD
            ("6.2%", "6.2", None, None, "PERCENT"),
            ("0.3個百分點", "0.3", None, None, "PERCENTAGE_POINT"),
        ],
    ),
    (
        EARNINGS,
        [
            ("56.3 亿元", "5.63e9", None, None, "CNY"),
            ("18.6%", "18.6", None, None, "PERCENT"),
            ("3.2 亿元", "3.2e8", None, None, "CNY"),
            ("7.4%", "7.4", None, None, "PERCENT"),
            ("1.5 亿元", "1.5e8", None, None, "CNY"),
            ("12.1 亿元", "1.21e9", None, None, "CNY"),
            ("21.5%", "21.5", None, None, "PERCENT"),
        ],
    ),
    (
        SPACED,
        [
            ("1,204.5万股", "12045000", None, None, "SHARE"),
            ("30 至 36 港元", None, "30", "36", "HKD"),
            ("约 12 亿港元", "1.2e9", None, None, "HKD"),
            ("约 288 亿港元", "2.88e10", None, None, "HKD"),
            ("37 亿美元", "3.7e9", None, None, "USD"),
            ("7.6 亿元", "7.6e8", None, None, "CNY"),
            ("41.2%", "41.2", None, None, "PERCENT"),
            ("不足 5000 万元", None, None, "5e7", "CNY"),
        ],
    ),
    (
        HK_PRESS,
        [
            ("4,350萬股", "4.35e7", None, None, "SHARE"),
            ("每股招股價116.20港元", "116.2", None, None, "HKD"),
            ("約50.1億港元", "5.01e9", None, None, "HKD"),
            ("1,159.46倍", "1159.46", None, None, "TIMES"),
            ("120.5億至133.8億港元", None, "1.205e10", "1.338e10", "HKD"),
            ("3.12億元人民幣", "3.12e8", None, None, "CNY"),
            ("125.5%", "125.5", None, None, "PERCENT"),
            ("145.8港元", "145.8", None, None, "HKD"),
            ("25.5%", "25.5", None, None, "PERCENT"),
            ("1.3%", "1.3", None, None, "PERCENT"),
        ],
    ),
    (
        HKEX_ZH,
        [
            ("43,500,000股", "43500000", None, None, "SHARE"),
            ("每股H股116.20港元", "116.2", None, None, "HKD"),
            ("約為4,350,000,000港元"[2:], "4350000000", None, None, "HKD"),
            ("約30%", "30", None, None, "PERCENT"),
        ],
    ),
    (
        HKEX_EN,
        [
            ("HK$116.20 per H Share", "116.2", None, None, "HKD"),
            ("approximately HK$4,350.0 million", "4.35e9", None, None, "HKD"),
            ("up to US$120 million", None, None, "1.2e8", "USD"),
        ],
    ),
    (
        KR36,
        [
            ("5 亿美元", "5e8", None, None, "USD"),
            ("超 30 亿美元", None, "3e9", None, "USD"),
            ("216 亿元", "2.16e10", None, None, "CNY"),
            ("0.8 元/百万 tokens", "0.8", None, None, "CNY"),
            ("80%", "80", None, None, "PERCENT"),
            ("37.9百万美元", "3.79e7", None, None, "USD"),
            ("1,200 余家", None, "1200", None, "家"),
            ("3 倍", "3", None, None, "TIMES"),
            ("近 20 亿元", "2e9", None, "2e9", "CNY"),
            ("数亿元", None, "2e8", "1e9", "CNY"),
            ("2 亿", "2e8", None, None, None),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), OUTLET_CASES, ids=lambda v: str(v)[:12])
def test_amounts_as_outlets_write_them(text: str, expected: list[Row]) -> None:
    assert spans(text) == [(t, dec(v), dec(lo), dec(hi), u) for t, v, lo, hi, u in expected]


def _one(text: str, written: str) -> Quantity:
    [q] = [q for q in find_quantities(text) if q.text == written]
    return q


def test_outlets_prices_are_per_share_or_per_tokens() -> None:
    for text, written in [
        (HK_PRESS, "每股招股價116.20港元"),
        (HKEX_ZH, "每股H股116.20港元"),
        (HKEX_EN, "HK$116.20 per H Share"),
        ("发售价为 88.5 港元 / 每股", "88.5 港元 / 每股"),
        ("定价 26.8港元/股", "26.8港元/股"),
        ("发售价为每股 88.5 港元", "每股 88.5 港元"),
        ("每股价格定为3港元", "每股价格定为3港元"),
    ]:
        q = _one(text, written)
        assert (q.reference_quantity, q.reference_unit, q.is_price) == (1, "SHARE", True), written
    tokens = _one(KR36, "0.8 元/百万 tokens")
    assert (tokens.reference_quantity, tokens.reference_unit) == (Decimal(1000000), "TOKEN")


def test_outlets_conversions_are_linked_to_what_they_convert() -> None:
    usd = _one(SPACED, "37 亿美元")
    assert usd.converted_from is not None and usd.converted_from.text == "约 288 亿港元"
    assert usd.approximate  # 约合
    cny = _one(KR36, "216 亿元")
    assert cny.converted_from is not None and cny.converted_from.text == "超 30 亿美元"
    [first, second] = find_quantities("800亿港元(约合102亿美元)")
    assert (second.converted_from, second.value, second.unit) == (first, Decimal("1.02e10"), "USD")
    assert first.converted_from is None
    # Two amounts of one sentence are not a conversion; nor is a bracket after a count.
    assert _one(KR36, "超 30 亿美元").converted_from is None
    assert find_quantities("估值100亿元(去年50亿元)")[1].converted_from is None
    assert find_quantities("1000股(约合5亿美元)")[1].converted_from is None
    hk, cny = find_quantities("募资800亿港元(折合人民币约735亿元)")
    assert (cny.text, cny.converted_from, cny.approximate) == ("约735亿元", hk, True)


def test_outlets_changes_have_a_direction() -> None:
    assert _one(SPACED, "41.2%").direction == "up"  # 同比增长
    assert _one(HK_PRESS, "125.5%").direction == "up"  # 按年增長 (Traditional)
    assert _one(HK_PRESS, "25.5%").direction == "up"  # 上漲
    assert _one(HK_PRESS, "1.3%").direction == "down"  # 下跌 with a space
    assert _one(KR36, "80%").direction == "down"  # 下降
    assert _one(KR36, "3 倍").direction == "up"  # 提升
    assert _one(HKEX_ZH, "約30%").direction is None
    points = find_quantities("毛利率提升 5.2 个百分点，净利率下降3个百分点")
    assert [(q.text, q.unit, q.direction) for q in points] == [
        ("5.2 个百分点", "PERCENTAGE_POINT", "up"),
        ("3个百分点", "PERCENTAGE_POINT", "down"),
    ]
    # A level reached is not a change: 收窄至, 下调至, 涨至.
    assert _one(SPACED, "不足 5000 万元").direction is None
    assert _one(KR36, "0.8 元/百万 tokens").direction is None
    assert find_quantities("API 降价 90%")[0].direction == "down"
    assert [q.direction for q in find_quantities("股价涨至120港元,跌幅达3.4%,回落了2%")] == [
        None,
        "down",
        "down",
    ]


def test_a_minus_sign_is_kept_apart_from_the_value() -> None:
    negative = _one(EARNINGS, "1.5 亿元")
    assert (negative.value, negative.negative) == (Decimal("1.5e8"), True)
    assert not _one(EARNINGS, "12.1 亿元").negative
    assert find_quantities("−3.2%")[0].negative
    assert not find_quantities("30-36港元")[0].negative
    assert [(q.text, q.negative) for q in find_quantities("GPT-4的3倍")] == [("3倍", False)]


def test_zhao_is_a_trillion_only_before_a_currency() -> None:
    assert parse_quantity("1.5兆至2兆元").min_value == Decimal("1.5e12")
    assert find_quantities("装机100兆瓦") == []


def test_outlets_vague_words_and_implied_currency() -> None:
    assert _one(HKEX_EN, "approximately HK$4,350.0 million").approximate
    assert not _one(HKEX_EN, "HK$116.20 per H Share").approximate
    assert _one(SPACED, "30 至 36 港元").approximate
    assert _one(SPACED, "30 至 36 港元").is_range
    assert not _one(SPACED, "7.6 亿元").is_range
    implied = _one(KR36, "2 亿")
    assert (implied.unit, implied.context_currency, implied.currency_from_context) == (
        None,
        "CNY",
        True,
    )
    assert not _one(KR36, "5 亿美元").currency_from_context  # the first: nothing before it
    assert find_quantities("融资2亿")[0].context_currency is None
    assert find_quantities("融资5亿元,用户30%")[1].context_currency is None  # not scaled


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("30至36港元", "30", "36", "HKD"),
        ("30-36港元", "30", "36", "HKD"),
        ("30~36港元", "30", "36", "HKD"),
        ("30～36港元", "30", "36", "HKD"),
        ("30到36港元", "30", "36", "HKD"),
        ("30港元至36港元", "30", "36", "HKD"),
        ("30至36亿元", "3e9", "3.6e9", "CNY"),
        ("5000至1亿", "5000", "1e8", None),
        ("三至五年", "3", "5", "年"),
        ("120.5億至133.8億港元", "1.205e10", "1.338e10", "HKD"),
        ("1,030至1,036港元", "1030", "1036", "HKD"),
    ],
)
def test_ranges(text: str, low: str, high: str, unit: str | None) -> None:
    q = parse_quantity(text)
    assert (q.text, q.value, q.min_value, q.max_value, q.unit) == (
        text,
        None,
        Decimal(low),
        Decimal(high),
        unit,
    )
    assert find_quantities(f"招股价{text}。") == [replace(q, start=3, end=3 + len(text))]
    after_a_comma = find_quantities(f"收入1亿元,股价{text}")[-1]
    assert (after_a_comma.text, after_a_comma.min_value) == (text, Decimal(low))


@pytest.mark.parametrize(
    "text",
    [
        "从30亿元至50亿元",  # from A to B: a change, two amounts
        "30美元至36港元",  # two currencies
        "36至30港元",  # high before low
        "GPT-4-5倍",  # a name before the dash
        "2025-2026年",  # years
        "30至约36港元",  # a bound word on the second figure
    ],
)
def test_not_ranges(text: str) -> None:
    assert not any(q.is_range for q in find_quantities(text))


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("25億元", "2.5e9", "CNY"),
        ("7億美元", "7e8", "USD"),
        ("12.508 億港元", "1250800000", "HKD"),
        ("１８亿元", "1.8e9", "CNY"),
        ("１２．５亿", "1.25e9", None),
        ("12 亿港元", "1.2e9", "HKD"),
        ("12\u3000亿港元", "1.2e9", "HKD"),
        ("4,350,000,000港元", "4.35e9", "HKD"),
        ("512.3百万美元", "5.123e8", "USD"),
        ("1204.5万股", "12045000", "SHARE"),
        ("8.8億港幣", "8.8e8", "HKD"),
        ("8.8亿港币", "8.8e8", "HKD"),
        ("30億新台幣", "3e9", "TWD"),
        ("人民币25亿元", "2.5e9", "CNY"),
        ("RMB 3.5 billion", "3.5e9", "CNY"),
        ("US$1.2亿", "1.2e8", "USD"),
        ("12亿 HKD", "1.2e9", "HKD"),
        ("5 USD", "5", "USD"),
        ("¥99", "99", "CNY"),
        ("超额认购1,159.46倍"[4:], "1159.46", "TIMES"),
        ("452倍", "452", "TIMES"),
    ],
)
def test_written_forms(text: str, value: str, unit: str | None) -> None:
    q = parse_quantity(text)
    assert (q.text, q.value, q.unit) == (text, Decimal(value), unit)


def test_tenths_are_percentages() -> None:
    found = find_quantities("營收增長逾三成，其中一成來自海外，九成以上用户在国内，成本下降两成")
    assert [(q.text, q.value, q.min_value, q.unit) for q in found] == [
        ("逾三成", None, Decimal(30), "PERCENT"),
        ("一成", Decimal(10), None, "PERCENT"),
        ("九成以上", None, Decimal(90), "PERCENT"),
        ("两成", Decimal(20), None, "PERCENT"),
    ]
    assert find_quantities("三成员与三成本") == []


@pytest.mark.parametrize(
    ("text", "value", "low", "high"),
    [
        ("逾 100 亿元", None, "1e10", None),
        ("超过 3 亿美元", None, "3e8", None),
        ("近 20 亿元", "2e9", None, "2e9"),
        ("約 12 億港元", "1.2e9", None, None),
        ("不足 600 亿", None, None, "6e10"),
        ("200来亿港元", "2e10", None, None),
        ("数十亿元", None, "2e9", "1e10"),
        ("30余亿元", None, "3e9", None),
        ("3亿多元", None, "3e8", None),
        ("30亿元以上", None, "3e9", None),
        ("30亿元左右", "3e9", None, None),
        ("more than US$5 million", None, "5e6", None),
        ("not more than HK$10 billion", None, None, "1e10"),
        ("about RMB 2 billion", "2e9", None, None),
    ],
)
def test_hedges_with_spaces_and_scripts(
    text: str, value: str | None, low: str | None, high: str | None
) -> None:
    q = parse_quantity(text)
    assert (q.value, q.min_value, q.max_value, q.approximate) == (
        dec(value),
        dec(low),
        dec(high),
        True,
    )


@pytest.mark.parametrize(
    "text",
    ["1,2,3", "12,1234", "2026-03-15", "GLM-4.5", "3 月", "H 股", "turnover 5", "RMBS 5"],
)
def test_not_amounts_in_outlets_text(text: str) -> None:
    assert find_quantities(text) == []


def test_a_spaced_year_is_still_a_year() -> None:
    assert find_quantities("2025 年营收") == []
    with pytest.raises(QuantityError, match="calendar year"):
        parse_quantity("2025 年")
