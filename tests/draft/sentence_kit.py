"""A small curated dataset and the draft reader's layers run sentence by sentence.

The fast tests of the proposal layer (``tests/draft/test_mutants_*.py``) read short passages
with the real :class:`kg.draft.names.NameReader` and :func:`kg.draft.proposals.propose`, on
this dataset of a dozen entities instead of the project's data, so a mutation run can afford
them (a draft of the loaded dataset takes seconds; see docs/mutation.md).
"""

from __future__ import annotations

from rdflib import Dataset

from kg.data.namespaces import CURATION_GRAPH, ONTOLOGY_GRAPH
from kg.data.prefixes import PREFIXES
from kg.data.quantities import find_quantities
from kg.draft.names import Name, NameReader, tickers
from kg.draft.proposals import Proposal, propose
from kg.draft.reading import DateContext, Sentence, find_dates, sentences

KGR = PREFIXES["kgr"]

_PREFIXES = """
@prefix kg: <https://w3id.org/zhipu-kg/ontology#> .
@prefix kgr: <https://w3id.org/zhipu-kg/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""
ONTOLOGY = """
    kg:Company rdfs:subClassOf kg:Organization .
    kg:InvestmentFirm rdfs:subClassOf kg:Organization .
    kg:InvestmentFund rdfs:subClassOf kg:InvestmentFirm .
    kg:LargeLanguageModel rdfs:subClassOf kg:AIModel .
    kg:City rdfs:subClassOf kg:Place .
"""
#: The curated names the tests link: organisations (华章 is two), people, models, a market, a role,
#: a place, a topic; a label outside ``kgr:``, an article's and a post's, which are no names (first,
#: so that a reader that stops at them misses the rest); a comment, which is no name either.
CURATION = """
    <https://example.org/Other> rdfs:label "百度"@zh .
    kgr:Article a kg:SourceArticle ; rdfs:label "智谱上市"@zh .
    kgr:Post-1 a kg:Post ; rdfs:label "张鹏任CEO"@zh .
    kgr:Zhipu a kg:Company ; rdfs:label "智谱"@zh, "Zhipu AI"@en ;
        skos:altLabel "智谱华章"@zh, "Z.ai"@en, "华章"@zh ; rdfs:comment "大模型公司"@zh .
    kgr:HuazhangPress a kg:Company ; rdfs:label "华章出版"@zh ; skos:altLabel "华章"@zh .
    kgr:Tencent a kg:Company ; rdfs:label "腾讯"@zh .
    kgr:Alibaba a kg:Company ; rdfs:label "阿里巴巴"@zh ; skos:altLabel "阿里"@zh .
    kgr:Qiming a kg:InvestmentFirm ; rdfs:label "启明创投"@zh .
    kgr:BeijingAIFund a kg:InvestmentFund ; rdfs:label "北京市人工智能产业投资基金"@zh .
    kgr:ZhangPeng a kg:Person ; rdfs:label "张鹏"@zh .
    kgr:ZhangFan a kg:Person ; rdfs:label "张帆"@zh .
    kgr:TangJie a kg:Person ; rdfs:label "唐杰"@zh .
    kgr:GLM-4 a kg:LargeLanguageModel ; rdfs:label "GLM-4"@en .
    kgr:GLM a kg:ModelArchitecture ; rdfs:label "GLM"@en .
    kgr:HongKongMarket a kg:StockMarket ; rdfs:label "港交所"@zh .
    kgr:Role-CEO a kg:Role ; rdfs:label "CEO"@en .
    kgr:Shanghai a kg:City ; rdfs:label "上海"@zh .
    kgr:Microsoft a kg:Company ; rdfs:label "微软"@zh .
    kgr:Topic a kg:Topic ; rdfs:label "大模型"@zh .
"""

#: The date relative dates (今年, 8月) are read against.
TODAY = "2025-09"


def small_dataset() -> Dataset:
    """The small curated dataset, as ``kg.load`` gives data: one dataset, every graph named."""
    dataset = Dataset(default_union=True)
    dataset.graph(ONTOLOGY_GRAPH).parse(data=_PREFIXES + ONTOLOGY, format="turtle")
    dataset.graph(CURATION_GRAPH).parse(data=_PREFIXES + CURATION, format="turtle")
    return dataset


def reader_of(text: str, dataset: Dataset | None = None) -> tuple[NameReader, list[Sentence]]:
    """A name reader that has learnt every sentence of ``text``, and the sentences."""
    reader = NameReader(dataset if dataset is not None else small_dataset())
    found = list(sentences(text))
    for s in found:
        reader.learn(s)
    reader.settle()
    return reader, found


def local(iri: str) -> str:
    """An IRI of ``kgr:`` by its local name (``Zhipu``, ``New-u1a2b3c4d``)."""
    return iri[len(KGR) :] if iri.startswith(KGR) else iri


def name_rows(text: str) -> list[tuple[str, int, int, str]]:
    """Every name of ``text`` in order: (as written, start, end, local name or ``new:<class>``)."""
    reader, found = reader_of(text)
    return [
        (n.text, n.start, n.end, f"new:{n.new.cls}" if n.new else local(n.iri))
        for s in found
        for n in reader.names(s)
    ]


def read(
    text: str, date: str = TODAY
) -> tuple[NameReader, list[tuple[list[Name], list[Proposal]]]]:
    """The reader, and each sentence's names and proposals, as ``kg draft`` reads them."""
    reader, found = reader_of(text)
    context = DateContext.of(date)

    def role_iri(kind: str, name: str) -> str:
        iri = KGR + name
        if kind == "market" or reader.known(iri):
            return iri
        return reader.role(name).iri

    out = []
    for sentence in found:
        names = reader.names(sentence)
        codes = [t for _, _, t in tickers(sentence.text)]
        dates = find_dates(sentence.text, None, context)
        quantities = find_quantities(sentence.text)
        out.append((names, propose(sentence, names, quantities, dates, codes, role_iri)))
    return reader, out


def proposals(text: str, date: str = TODAY) -> list[Proposal]:
    """Every proposal of ``text``, in order."""
    return [p for _, found in read(text, date)[1] for p in found]


def summaries(text: str, date: str = TODAY) -> list[dict[str, object]]:
    """Every proposal of ``text`` as a test reads it: roles by label (a known entity by its
    local name), amounts as written with their kind, values, date, cues, whether reported."""
    reader, out = read(text, date)
    names = {e.iri: e.label for e in [*reader.new.values(), *reader.roles()]}
    return [
        {
            "cls": p.cls,
            "roles": [(prop, names.get(iri, local(iri))) for prop, iri in p.roles],
            "amounts": [(prop, q.text, kind) for prop, q, kind in p.amounts],
            "values": list(p.values),
            "date": p.date.value if p.date else None,
            "cues": list(p.cues),
            "reported": p.reported,
            "quote": p.sentence.text,
            "extra": [(names.get(s, local(s)), prop, o) for s, prop, o in p.extra],
        }
        for _, found in out
        for p in found
    ]
