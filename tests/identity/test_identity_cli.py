"""``kg merge``, ``kg split`` and ``kg xref`` as real processes on a copy of the data.

The acceptance line of issue 21: merge → query by the old IRI and by both names → undo, and
every file of the data folder is byte for byte as before (checked by hashes of every file).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DRAFT_ENTITY = """@prefix kg: <https://w3id.org/zhipu-kg/ontology#> .
@prefix kgr: <https://w3id.org/zhipu-kg/resource/> .
@prefix kgg: <https://w3id.org/zhipu-kg/graph/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kgg:draft-curation {
    kgr:New-zhipu a kg:Company ; rdfs:label "北京智谱华章科技股份有限公司"@zh ; kg:status kg:Draft .
}
"""


def kg(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"KG_DATA", "KG_USER"}}
    return subprocess.run(
        [sys.executable, "-m", "kg", "--data", str(data), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**env, "KG_USER": "tester"},
    )


def ok(data: Path, *args: str) -> str:
    result = kg(data, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def fingerprint(root: Path) -> dict[str, str]:
    """Every file under ``root`` (path → SHA-256), and every folder (→ "")."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else ""
        for p in sorted(root.rglob("*"))
    }


def labels(data: Path, iri: str, *engine: str) -> set[str]:
    query = f"SELECT ?l WHERE {{ {iri} rdfs:label|skos:altLabel ?l }}"
    out = ok(data, "query", *engine, "--format", "json", query)
    return {row["l"]["value"] for row in json.loads(out)["results"]["bindings"]}


def test_merge_query_by_the_old_iri_and_both_names_then_undo_leaves_every_file_as_it_was(
    data_copy: Path,
) -> None:
    before = fingerprint(data_copy)
    evidence = ["query", "-n", "evidence_for_entity", "-p"]
    old_evidence = ok(data_copy, *evidence, "entity=kgr:InflectionAI").splitlines()[2:-1]
    assert old_evidence  # Inflection AI has quotes of its own

    said = ok(data_copy, "merge", "OpenAI", "Inflection AI", "--why", "test: one firm")
    assert "SameAs kgr:OpenAI kgr:InflectionAI recorded in" in said
    text = (data_copy / "triples" / "identity" / "judgements.trig").read_text(encoding="utf-8")
    assert 'rdfs:label "tester"' in text and '"test: one firm"@en' in text

    # by the old IRI, raw SPARQL, on both engines: the canonical entity's names, both sets
    for engine in ((), ("-e", "memory")):
        assert labels(data_copy, "kgr:InflectionAI", *engine) >= {"OpenAI", "Inflection AI"}
    # by the old IRI and by both names, as a named query's parameter: one answer
    answers = {
        ok(data_copy, *evidence, f"entity={name}")
        for name in ("kgr:InflectionAI", "kgr:OpenAI", "OpenAI", "Inflection AI", "inflection ai")
    }
    assert len(answers) == 1
    merged = answers.pop().splitlines()
    assert set(old_evidence) <= set(merged)  # the referent's evidence is the canonical's now
    card = ok(data_copy, "describe", "kgr:InflectionAI").splitlines()
    assert card[:2] == [
        "OpenAI / OpenAI",
        "kgr:OpenAI  <https://w3id.org/zhipu-kg/resource/OpenAI>",
    ]
    assert "Inflection AI" in card[3]  # the referent's label is an alias now
    assert ok(data_copy, "validate").startswith("valid (")

    said = ok(data_copy, "merge", "--undo", "kgr:OpenAI", "kgr:InflectionAI")
    assert said.strip() == "undone: SameAs kgr:OpenAI kgr:InflectionAI"
    assert fingerprint(data_copy) == before
    assert labels(data_copy, "kgr:InflectionAI") == {"Inflection AI"}


def test_split_undoes_the_merge_that_made_a_referent(data_copy: Path) -> None:
    before = fingerprint(data_copy)
    shipped = json.loads(ok(data_copy, "xref", "--judged", "--format", "json"))
    ok(data_copy, "merge", "kgr:ByteDance", "kgr:Alibaba")
    ok(data_copy, "merge", "--not-same", "kgr:SenseTime", "kgr:DeepSeek")
    middle = fingerprint(data_copy)
    ok(data_copy, "merge", "kgr:Huawei", "kgr:Microsoft")
    assert ok(data_copy, "split", "kgr:Microsoft").strip() == "split kgr:Microsoft from kgr:Huawei"
    assert fingerprint(data_copy) == middle
    judged = json.loads(ok(data_copy, "xref", "--judged", "--format", "json"))
    assert [(j["verdict"], j["user"]) for j in judged if j not in shipped] == [
        ("SameAs", "tester"),
        ("NotSame", "tester"),
    ]
    ok(data_copy, "merge", "--undo", "kgr:DeepSeek", "kgr:SenseTime")
    ok(data_copy, "split", "kgr:Alibaba")
    assert fingerprint(data_copy) == before


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ((), ("merge", "kgr:Zhipu", "智谱"), "both name kgr:Zhipu: merging it with itself"),
        ((), ("merge", "kgr:Zhipu", "kgr:Zhipuu"), "did you mean 智谱 / Zhipu AI (kgr:Zhipu)?"),
        ((), ("merge", "kgr:TangJie", "kgr:Zhipu"), "unrelated classes; add --force"),
        (
            (("merge", "kgr:OpenAI", "kgr:InflectionAI"),),
            ("merge", "kgr:InflectionAI", "kgr:OpenAI"),
            "are one entity already (kgr:OpenAI)",
        ),
        (  # a circle through a third entity: B → A, A → C, then C → B
            (("merge", "kgr:OpenAI", "kgr:InflectionAI"), ("merge", "kgr:Meta", "kgr:OpenAI")),
            ("merge", "kgr:InflectionAI", "kgr:Meta"),
            "are one entity already (kgr:Meta)",
        ),
        (
            (("merge", "--not-same", "kgr:SenseTime", "kgr:DeepSeek"),),
            ("merge", "kgr:DeepSeek", "kgr:SenseTime"),
            "were judged NotSame by tester",
        ),
        ((), ("merge", "--undo", "kgr:SenseTime", "kgr:DeepSeek"), "no judgement about"),
        ((), ("split", "kgr:DeepSeek"), "takes part in no merge"),
    ],
    ids=["itself", "unknown", "classes", "cycle", "cycle-via-c", "judged", "undo", "split"],
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    data_copy: Path, setup: tuple[tuple[str, ...], ...], args: tuple[str, ...], message: str
) -> None:
    for step in setup:
        ok(data_copy, *step)
    before = fingerprint(data_copy)
    result = kg(data_copy, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert message in result.stderr
    assert fingerprint(data_copy) == before


def test_a_circle_written_by_hand_is_one_line_and_exit_1(data_copy: Path) -> None:
    ok(data_copy, "merge", "kgr:OpenAI", "kgr:InflectionAI")
    path = data_copy / "triples" / "identity" / "judgements.trig"
    with path.open("a", encoding="utf-8") as out:
        out.write("kgg:identity { kgr:OpenAI owl:sameAs kgr:InflectionAI . }\n")
    result = kg(data_copy, "query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "merges go round in a circle" in result.stderr


def test_xref_lists_a_drafts_new_entity_beside_the_known_one(
    data_copy: Path, tmp_path: Path
) -> None:
    draft = tmp_path / "draft.trig"
    draft.write_text(DRAFT_ENTITY, encoding="utf-8")
    table = ok(data_copy, "xref", "--draft", str(draft)).splitlines()
    assert table[0] == "score\tleft\tright\tevidence"
    assert table[1].startswith(
        "0.85\t智谱 (kgr:Zhipu)\t北京智谱华章科技股份有限公司 (kgr:New-zhipu)\t"
    )
    assert "智谱华章 ~ 北京智谱华章科技股份有限公司 (same name without legal form)" in table[1]
    assert json.loads(ok(data_copy, "xref", "--format", "json")) == []


def test_validate_names_a_judgement_whose_entity_is_gone(data_copy: Path) -> None:
    ok(data_copy, "merge", "--not-same", "kgr:SenseTime", "kgr:DeepSeek")
    assert ok(data_copy, "validate").startswith("valid (")
    entities = data_copy / "triples" / "entities.trig"
    text = entities.read_text(encoding="utf-8")
    entities.write_text(text.replace("kgr:DeepSeek", "kgr:DeepSeekAI"), encoding="utf-8")
    for topic in (data_copy / "triples").glob("*.trig"):
        topic.write_text(
            topic.read_text(encoding="utf-8").replace("kgr:DeepSeek ", "kgr:DeepSeekAI "),
            encoding="utf-8",
        )
    result = kg(data_copy, "validate")
    assert result.returncode == 1
    assert "[identity] kgr:Judgement-" in result.stdout
    assert "judges kgr:DeepSeek, which the data no longer uses; undo it with `kg merge --undo" in (
        result.stdout
    )
