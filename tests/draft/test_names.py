"""New names and known names in news text (kg.draft.names), on real-style sentences."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset

import kg
from kg.draft.names import NameReader, tickers
from kg.draft.reading import Sentence, sentences

KGR = "https://w3id.org/zhipu-kg/resource/"
CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "corpus"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return kg.load(lazy=True).dataset


def _read(dataset: Dataset, text: str) -> tuple[NameReader, list[Sentence]]:
    reader = NameReader(dataset)
    found = list(sentences(text))
    for s in found:
        reader.learn(s)
    reader.settle()
    return reader, found


def _names(dataset: Dataset, text: str) -> dict[str, str]:
    """Each name as written -> its IRI's local name or ``new:<class>``."""
    reader, found = _read(dataset, text)
    names = {}
    for s in found:
        for n in reader.names(s):
            names[n.text] = f"new:{n.new.cls}" if n.new else n.iri[len(KGR) :]
    return names


def test_traditional_script_links_the_known_names(dataset: Dataset) -> None:
    names = _names(dataset, "智譜董事長劉德兵表示，張鵬與唐傑出席；智譜華章將赴港上市。")
    assert names["智譜"] == "Zhipu" and names["智譜華章"] == "Zhipu"
    assert names["張鵬"] == "ZhangPeng" and names["唐傑"] == "TangJie"
    assert names["劉德兵"] == "new:kg:Person"


def test_organisation_suffixes_investor_lists_and_people_in_roles(dataset: Dataset) -> None:
    text = (
        "2月10日，AI 算力服务商星河智算科技宣布完成 5 亿元 B 轮融资，本轮由红杉中国领投，"
        "北京市人工智能产业投资基金、国投创合跟投，老股东中关村资本继续加码。\n"
        "星河智算创始人兼CEO陈立表示，新资金将用于扩建智算中心。"
    )
    names = _names(dataset, text)
    assert names["星河智算科技"] == "new:kg:Company"
    assert names["星河智算"] == "new:kg:Company"  # the short form is an alias of the same entity
    assert names["红杉中国"] == names["国投创合"] == "new:kg:Company"
    assert names["中关村资本"] == "new:kg:InvestmentFirm"
    assert names["北京市人工智能产业投资基金"] == "BeijingAIFund"
    assert names["陈立"] == "new:kg:Person"
    assert "算力服务商星河智算科技" not in names and "AI 算力服务商" not in names
    reader, found = _read(dataset, text)
    for s in found:
        reader.names(s)  # records each name as written
    company = next(e for e in reader.new.values() if e.label == "星河智算科技")
    assert company.aliases == {"星河智算"} and company.written == {"星河智算", "星河智算科技"}


def test_models_bracketed_names_and_tickers(dataset: Dataset) -> None:
    text = (
        "月之暗面（Moonshot AI）发布并开源了Kimi K2。智谱发布GLM-4.5及GLM-4.5-Air。"
        "智譜（2513）股價收跌；智谱（02513.HK）挂牌；（股份代號：2513）"
    )
    names = _names(dataset, text)
    assert (
        names["Kimi K2"] == names["GLM-4.5"] == names["GLM-4.5-Air"] == "new:kg:LargeLanguageModel"
    )
    assert names["月之暗面"] == names["Moonshot AI"] == "new:kg:Company"
    assert "GLM" not in names  # the known architecture inside a new model's name is not linked
    assert [t for _, _, t in tickers(text)] == ["2513", "02513.HK", "2513"]


@pytest.mark.parametrize(
    "text",
    [
        "巨头的资源和成本优势，则几乎令初创AI公司窒息。",
        "唐杰给公司定下的目标是AGI。",
        "席卷AI初创公司的寒潮还在继续，多家公司裁员。",
        "面对开源低价冲击，智谱已经被迫降价。",
        "张江科投、上海国投共 18 亿元投资。",
        "北京市人工智能产业投资基金向智谱追加投资3亿元。",
    ],
)
def test_words_that_are_not_names_are_not_proposed(dataset: Dataset, text: str) -> None:
    reader, _ = _read(dataset, text)
    labels = {e.label for e in reader.new.values()}
    assert not labels & {
        "初创AI公司",
        "唐杰给公司",
        "席卷AI初创公司",
        "多家公司",
        "面对",
        "亿元投资",
    }


def test_a_unit_of_a_known_company_is_new_its_legal_name_is_not(dataset: Dataset) -> None:
    names = _names(dataset, "创始团队多来自微软亚洲研究院。北京智谱华章科技股份有限公司公告。")
    assert names["微软亚洲研究院"] == "new:kg:ResearchInstitute"
    assert names["智谱华章"] == "Zhipu" and "北京智谱华章科技股份有限公司" not in names
