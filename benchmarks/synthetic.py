"""A synthetic knowledge graph of the same shape as the real one, at any size.

Companies (start-ups, companies, big tech), state platforms and government funds in cities, and
funding events between them, each event in its own evidence graph described in ``kgg:provenance``
with a real quote of the article (so the data satisfies ``shapes.ttl`` and even the quote check),
labels in both languages in ``kgg:curation``.
About 10 statements per entity: ``entities_for(1_000_000)`` entities give ~1M triples.

Usage::

    python benchmarks/synthetic.py 10000 /tmp/syn10k   # writes a data folder kg can --data
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUOTE = "3月,连跑珠海、成都、杭州三地签下18亿元国资"
QUOTE_START = 137
HEADER = """@prefix kg: <https://w3id.org/zhipu-kg/ontology#> .
@prefix kgr: <https://w3id.org/zhipu-kg/resource/> .
@prefix ev: <https://w3id.org/zhipu-kg/evidence/> .
@prefix kgg: <https://w3id.org/zhipu-kg/graph/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
"""
STATEMENTS_PER_ENTITY = 10.4
#: Classes cycled through, as in the article: start-ups, companies and big tech are funded by
#: state platforms and government funds.
COMPANY_CLASSES = ("kg:AIStartup", "kg:Company", "kg:BigTech")
FUND_CLASSES = ("kg:StateInvestmentPlatform", "kg:GovernmentFund")


def entities_for(triples: int) -> int:
    """How many entities give roughly ``triples`` statements."""
    return max(3, round(triples / STATEMENTS_PER_ENTITY))


def build_trig(entities: int, seed: int = 0) -> str:
    """TriG text with ``entities`` entities: a third each companies, platforms and events."""
    rng = random.Random(seed)
    per_kind = max(1, entities // 3)
    cities = max(1, per_kind // 50)
    parts = [HEADER, "kgg:curation {"]
    parts += [
        f'kgr:SynCity{c} a kg:City ; rdfs:label "城市{c}"@zh , "City {c}"@en .'
        for c in range(cities)
    ]
    for i in range(per_kind):
        company_class = COMPANY_CLASSES[i % len(COMPANY_CLASSES)]
        fund_class = FUND_CLASSES[i % len(FUND_CLASSES)]
        parts.append(
            f'kgr:SynCo{i} a {company_class} ; rdfs:label "公司{i}"@zh , "Company {i}"@en .'
        )
        parts.append(
            f"kgr:SynFund{i} a {fund_class} ; "
            f'rdfs:label "国资平台{i}"@zh , "State platform {i}"@en .'
        )
        parts.append(f'kgr:SynDeal{i} rdfs:label "融资{i}"@zh , "Funding {i}"@en .')
    parts.append("}")
    provenance = ["kgg:provenance {"]
    for i in range(per_kind):
        company = rng.randrange(per_kind)
        month = f"20{rng.randrange(15, 26)}-{rng.randrange(1, 13):02d}"
        parts.append(
            f"ev:syn{i} {{ kgr:SynDeal{i} a kg:FundingEvent ; kg:investor kgr:SynFund{i} ; "
            f"kg:investee kgr:SynCo{company} ; kg:location kgr:SynCity{i % cities} ; "
            f'kg:date "{month}"^^xsd:gYearMonth ; kg:amount [ a schema:MonetaryAmount ; '
            f'schema:value 1800000000.0 ; schema:currency "CNY" ; kg:asWritten "18亿元" ; '
            f"kg:isApproximate false ] . kgr:SynFund{i} kg:location kgr:SynCity{i % cities} . }}"
        )
        provenance.append(
            f"ev:syn{i} a kg:Evidence ; prov:wasDerivedFrom [ a oa:SpecificResource ; "
            f"oa:hasSource kgr:SourceArticle ; oa:hasSelector [ a oa:TextQuoteSelector ; "
            f'oa:exact "{QUOTE}" ] , [ a oa:TextPositionSelector ; oa:start {QUOTE_START} ; '
            f"oa:end {QUOTE_START + len(QUOTE)} ] ] ."
        )
    provenance.append("}")
    return "\n".join(parts + provenance) + "\n"


def write_data_folder(target: Path, entities: int, seed: int = 0) -> Path:
    """A data folder (ontology, shapes, source description, synthetic triples) for ``--data``."""
    triples = target / "triples"
    triples.mkdir(parents=True, exist_ok=True)
    for name in ("ontology.ttl", "shapes.ttl"):
        shutil.copy(ROOT / name, target / name)
    shutil.copy(ROOT / "triples" / "00-source.trig", triples / "00-source.trig")
    (triples / "synthetic.trig").write_text(build_trig(entities, seed), encoding="utf-8")
    (target / "queries").mkdir(exist_ok=True)
    return target


if __name__ == "__main__":
    write_data_folder(Path(sys.argv[2]), int(sys.argv[1]))
