"""Merge decisions (kg.identity.merge) on a small store and a judgements file of their own.

What a judgement is checked against before it is written (the entities, the judgements so far,
circles, classes), and what undo and split take out (see docs/mutation.md).
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.data.prefixes import PREFIXES
from kg.errors import InvalidValue, NotFound
from kg.identity.judgements import Judgement, judgements_path, read
from kg.identity.merge import decide, now, referents_of, split, undo

KGR = PREFIXES["kgr"]
A, B, C, P = (KGR + x for x in ("A", "B", "C", "Person"))
WHEN = "2026-03-16T09:30:00Z"


@pytest.fixture
def store() -> ox.Store:
    prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
    data = f"""{prefixes}
kgg:ontology {{ kg:Company rdfs:subClassOf schema:Organization . }}
kgg:curation {{
  kgr:A a kg:Company ; rdfs:label "甲" .
  kgr:B a schema:Organization ; rdfs:label "乙" .
  kgr:C a kg:Company ; rdfs:label "丙" .
  kgr:Person a schema:Person, schema:Thing ; rdfs:label "丁" .
  kgr:A org:memberOf kgr:Group . kgr:Person org:memberOf kgr:Group .
}}
ev:f {{ kgr:F kg:investee kgr:Mentioned . }}
"""
    result = ox.Store()
    result.load(data.encode(), ox.RdfFormat.TRIG)
    return result


def same(left: str, right: str, verdict: str = "SameAs") -> Judgement:
    return Judgement(verdict, left, right, "ann", WHEN)


def test_now_is_utc_to_the_second_wherever_the_machine_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Shanghai")  # eight hours from UTC, no summer time
    time.tzset()
    try:
        stamp = now()
    finally:
        monkeypatch.undo()
        time.tzset()
    assert re.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp)
    written = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - written) < timedelta(hours=1)  # not eight hours off


def test_referents_come_from_same_as_judgements_only() -> None:
    judgements = [same(A, B), same(A, C, "NotSame"), same(B, P, "Unsure")]
    assert referents_of(judgements) == {B: A}


def test_a_judgement_is_recorded_and_undone(tmp_path: Path, store: ox.Store) -> None:
    assert decide(tmp_path, store, same(A, B)) == same(A, B)
    assert read(judgements_path(tmp_path)) == [same(A, B)]
    decide(tmp_path, store, same(A, C, "NotSame"))
    assert undo(tmp_path, C, A) == same(A, C, "NotSame")  # either order names the pair
    assert read(judgements_path(tmp_path)) == [same(A, B)]
    with pytest.raises(NotFound, match=r"no judgement about kgr:A and kgr:C to undo"):
        undo(tmp_path, A, C)


def test_an_entity_only_an_object_names_is_known(tmp_path: Path, store: ox.Store) -> None:
    decide(tmp_path, store, same(A, KGR + "Mentioned", "Unsure"))
    with pytest.raises(NotFound, match=r"no entity is called kgr:Nobody in the data"):
        decide(tmp_path, store, same(A, KGR + "Nobody", "Unsure"))
    with pytest.raises(NotFound, match=r"no entity is called kgr:Nobody in the data"):
        decide(tmp_path, store, same(KGR + "Nobody", A, "Unsure"))


@pytest.mark.parametrize(
    ("judgement", "message"),
    [
        (
            same(A, B, "Same"),
            r"unknown verdict 'Same'; use one of \('SameAs', 'NotSame', 'Unsure'\)",
        ),
        (same(A, A), r"kgr:A is one entity already: nothing to judge"),
        (
            same(A, P),
            r"^kgr:A \(kg:Company\) and kgr:Person \(schema:Person, schema:Thing\) have unrelated"
            r" classes; add --force to merge them anyway$",
        ),
        (
            same(P, A),
            r"^kgr:Person \(schema:Person, schema:Thing\) and kgr:A \(kg:Company\) have unrelated",
        ),
    ],
)
def test_a_judgement_that_cannot_be_is_refused(
    tmp_path: Path, store: ox.Store, judgement: Judgement, message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        decide(tmp_path, store, judgement)
    assert not judgements_path(tmp_path).exists()


def test_force_merges_unrelated_classes_and_other_verdicts_need_no_check(
    tmp_path: Path, store: ox.Store
) -> None:
    decide(tmp_path, store, same(B, P, "NotSame"))  # unrelated classes: not the same, fine
    decide(tmp_path, store, same(A, P), force=True)
    assert [j.verdict for j in read(judgements_path(tmp_path))] == ["NotSame", "SameAs"]


def test_a_pair_judged_already_is_refused_until_undone(tmp_path: Path, store: ox.Store) -> None:
    decide(tmp_path, store, Judgement("NotSame", A, C, "", WHEN))
    undo_first = r"`kg merge --undo kgr:A kgr:C` first"
    with pytest.raises(
        InvalidValue,
        match=rf"kgr:C and kgr:A were judged NotSame by someone on {WHEN}; {undo_first}",
    ):
        decide(tmp_path, store, same(C, A))
    decide(tmp_path, store, same(B, C, "Unsure"))
    with pytest.raises(InvalidValue, match=rf"kgr:C and kgr:B were judged Unsure by ann on {WHEN}"):
        decide(tmp_path, store, same(C, B, "NotSame"))
    undo(tmp_path, A, C)
    decide(tmp_path, store, same(C, A))


def test_a_referent_is_judged_through_its_canonical_entity(tmp_path: Path, store: ox.Store) -> None:
    decide(tmp_path, store, same(A, B))
    message = r"kgr:B is merged into kgr:A already; judge kgr:A instead, or `kg split kgr:B` first"
    with pytest.raises(InvalidValue, match=message):
        decide(tmp_path, store, same(C, B))
    with pytest.raises(InvalidValue, match=message):
        decide(tmp_path, store, same(B, C, "NotSame"))


def test_split_takes_out_the_merge_of_a_referent_or_of_a_canonical_entity(
    tmp_path: Path, store: ox.Store
) -> None:
    decide(tmp_path, store, same(A, B))
    decide(tmp_path, store, same(A, C, "NotSame"))
    assert split(tmp_path, A) == same(A, B)  # A is canonical in one merge only
    decide(tmp_path, store, same(A, B))
    assert split(tmp_path, B) == same(A, B)
    assert read(judgements_path(tmp_path)) == [same(A, C, "NotSame")]
    with pytest.raises(
        NotFound, match=r"kgr:C takes part in no merge; `kg xref --judged` lists them"
    ):
        split(tmp_path, C)


def test_split_of_an_entity_canonical_for_several_names_them(
    tmp_path: Path, store: ox.Store
) -> None:
    decide(tmp_path, store, same(A, B))
    decide(tmp_path, store, same(A, C))
    with pytest.raises(
        InvalidValue, match=r"kgr:A has several referents \(kgr:B, kgr:C\); split one of them"
    ):
        split(tmp_path, A)
    assert split(tmp_path, C) == same(A, C)
