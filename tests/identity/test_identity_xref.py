"""Cross-referencing on the shipped data and on a draft's new entities."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.data.paths import data_dir
from kg.data.prefixes import PREFIXES
from kg.identity.judgements import Judgement, append, judgements_path
from kg.identity.loading import draft_candidates, judged_pairs, load_store
from kg.identity.xref import candidates

KGR = PREFIXES["kgr"]

#: A draft document as contract 1 writes it: proposals in ``ev:draft-…`` graphs, the new
#: entities they use in ``kgg:draft-curation``, names as a later report writes them.
DRAFT = """@prefix kg: <https://w3id.org/zhipu-kg/ontology#> .
@prefix kgr: <https://w3id.org/zhipu-kg/resource/> .
@prefix kgg: <https://w3id.org/zhipu-kg/graph/> .
@prefix ev: <https://w3id.org/zhipu-kg/evidence/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

ev:draft-4c6dfad5-000120-1 {
    kgr:Draft-4c6dfad5-000120-1 a kg:FundingEvent ;
        kg:investee kgr:New-beijing-zhipu-huazhang ;
        kg:investor kgr:BeijingAIFund .
}
kgg:draft-curation {
    kgr:New-beijing-zhipu-huazhang a kg:Company ;
        rdfs:label "北京智譜華章科技股份有限公司"@zh ;
        skos:altLabel "Zhipu AI Inc."@en ;
        kg:status kg:Draft ;
        kg:asWritten "北京智譜華章科技股份有限公司" .
    kgr:New-tang-jie a kg:Organization ;
        rdfs:label "唐傑"@zh ;
        kg:status kg:Draft ;
        kg:asWritten "唐傑" .
}
"""


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "draft.trig"
    path.write_text(DRAFT, encoding="utf-8")
    return path


def test_the_shipped_data_has_no_likely_duplicates() -> None:
    """Checked by hand: the one pair above 0.3 is 悟道 and 悟道2.0, two versions (not listed)."""
    layout = data_dir()
    assert candidates(load_store(layout), judged_pairs(layout)) == []


def test_a_drafts_new_company_is_paired_with_the_known_one_with_its_evidence(draft: Path) -> None:
    found = draft_candidates(data_dir(), draft)
    best = found[0]
    assert (best.left, best.right) == (KGR + "Zhipu", KGR + "New-beijing-zhipu-huazhang")
    assert best.score == 0.9  # 0.8 (names) + 0.05 (one shared role) + 0.05 (related classes)
    assert (
        "智谱华章",
        "北京智譜華章科技股份有限公司",
        "same name without legal form",
    ) in best.names
    assert ("Zhipu AI", "Zhipu AI Inc.", "same name without legal form") in best.names
    assert best.roles == ("kg:investee of a fact with kg:investor kgr:BeijingAIFund",)
    assert best.classes == "related classes"  # kg:AIStartup is a kg:Company
    assert json.loads(json.dumps(best.as_dict()))["right"] == "kgr:New-beijing-zhipu-huazhang"


def test_unrelated_classes_halve_the_score(draft: Path) -> None:
    pair = next(
        c for c in draft_candidates(data_dir(), draft, min_score=0) if c.left == KGR + "TangJie"
    )
    assert pair.names == (("唐杰", "唐傑", "same name"),)
    assert pair.classes == "unrelated classes"
    assert pair.score == 0.5


def test_a_judged_pair_is_not_suggested_again(data_copy: Path, draft: Path) -> None:
    layout = data_dir(data_copy)
    judgement = Judgement(
        "NotSame", KGR + "TangJie", KGR + "New-tang-jie", "tester", "2026-01-01T00:00:00Z"
    )
    append(judgements_path(layout.triples_dir), judgement)
    pairs = {(c.left, c.right) for c in draft_candidates(layout, draft, min_score=0)}
    assert (KGR + "TangJie", KGR + "New-tang-jie") not in pairs
    assert (KGR + "Zhipu", KGR + "New-beijing-zhipu-huazhang") in pairs


def test_judge_records_what_kg_merge_records_and_refuses_what_it_refuses(data_copy: Path) -> None:
    """The function a client such as the review desk calls, with the same checks."""
    from kg.errors import InvalidValue
    from kg.identity.loading import judge
    from kg.identity.merge import undo

    layout = data_dir(data_copy)
    judgements = layout.triples_dir / "identity" / "judgements.trig"
    shipped = judgements.read_bytes() if judgements.exists() else None
    made = judge(layout, "SameAs", KGR + "OpenAI", KGR + "InflectionAI", user="desk", why="同一")
    assert (made.user, made.why, made.verdict) == ("desk", "同一", "SameAs")
    with pytest.raises(InvalidValue, match="merged into kgr:OpenAI already"):
        judge(layout, "SameAs", KGR + "InflectionAI", KGR + "Meta", user="desk")
    with pytest.raises(InvalidValue, match="unrelated classes"):
        judge(layout, "SameAs", KGR + "TangJie", KGR + "OpenAI", user="desk")
    assert undo(layout.triples_dir, KGR + "InflectionAI", KGR + "OpenAI") == made
    assert (judgements.read_bytes() if judgements.exists() else None) == shipped
