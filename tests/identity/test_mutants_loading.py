"""Loading the data for identity work (:mod:`kg.identity.loading`), on small data folders.

Each test builds a folder of its own (an ontology, a few data files, perhaps a draft and a
judgements file), so the loader's every step is seen: the ontology in its graph, TriG and Turtle
files each read as what they are, a draft added on demand, merges applied, a file that does not
parse named with its line, and the judgements the desk records.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.data.paths import DataLayout
from kg.data.prefixes import ONTOLOGY_GRAPH, PREFIXES
from kg.errors import InvalidValue, NotFound
from kg.identity.judgements import Judgement, append, judgements_path, read
from kg.identity.loading import DataError, draft_candidates, judge, judged_pairs, load_store

PREFIX_LINES = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
ONTOLOGY = (
    PREFIX_LINES
    + """kg:Company a owl:Class ; rdfs:subClassOf schema:Organization .
kg:Person a owl:Class .
schema:Organization a owl:Class .
kg:investor a owl:ObjectProperty ; rdfs:subPropertyOf kg:involves .
"""
)
CURATION = """kgg:curation {
  kgr:A a kg:Company ; rdfs:label "智谱AI"@zh .
  kgr:P a kg:Person ; rdfs:label "张鹏"@zh .
  kgr:Q a kg:Person ; rdfs:label "唐杰"@zh .
}
ev:facts { kgr:F kg:investor kgr:A . }
"""


def kgr(name: str) -> str:
    return PREFIXES["kgr"] + name


def folder(tmp_path: Path, *, extra: dict[str, str] | None = None) -> DataLayout:
    """A data folder: the ontology, ``triples/data.trig`` and ``extra`` files under ``triples/``."""
    root = tmp_path / "data"
    (root / "triples").mkdir(parents=True)
    (root / "ontology.ttl").write_text(ONTOLOGY, encoding="utf-8")
    (root / "triples" / "data.trig").write_text(PREFIX_LINES + CURATION, encoding="utf-8")
    for name, text in (extra or {}).items():
        path = root / "triples" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return DataLayout(root)


def graphs_of(store: ox.Store, subject: str) -> set[tuple[str, str | None]]:
    """``(predicate, graph)`` of each statement about ``subject`` (graph ``None``: default)."""
    return {
        (q.predicate.value, q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None)
        for q in store.quads_for_pattern(ox.NamedNode(subject), None, None)
    }


def test_the_ontology_goes_to_its_graph_and_each_file_is_read_in_its_own_syntax(
    tmp_path: Path,
) -> None:
    layout = folder(
        tmp_path,
        extra={"notes.ttl": PREFIX_LINES + 'kgr:N rdfs:comment "a Turtle file" .\n'},
    )
    store = load_store(layout)
    company = graphs_of(store, PREFIXES["kg"] + "Company")
    assert company == {(PREFIXES["rdf"] + "type", ONTOLOGY_GRAPH),
                       (PREFIXES["rdfs"] + "subClassOf", ONTOLOGY_GRAPH)}  # fmt: skip
    assert graphs_of(store, kgr("A")) == {
        (PREFIXES["rdf"] + "type", PREFIXES["kgg"] + "curation"),
        (PREFIXES["rdfs"] + "label", PREFIXES["kgg"] + "curation"),
    }
    assert graphs_of(store, kgr("N")) == {(PREFIXES["rdfs"] + "comment", None)}


def test_an_extra_file_is_loaded_and_one_missing_is_named(tmp_path: Path) -> None:
    layout = folder(tmp_path)
    extra = tmp_path / "more.trig"
    extra.write_text(PREFIX_LINES + 'kgg:curation { kgr:X rdfs:label "新"@zh . }\n', "utf-8")
    assert graphs_of(load_store(layout, [extra]), kgr("X")) == {
        (PREFIXES["rdfs"] + "label", PREFIXES["kgg"] + "curation")
    }
    missing = tmp_path / "gone.trig"
    with pytest.raises(NotFound, match=rf"^{missing}: no such file$"):
        load_store(layout, [extra, missing])


def test_a_file_that_does_not_parse_is_named_with_the_parsers_line(tmp_path: Path) -> None:
    layout = folder(tmp_path, extra={"zz-bad.trig": PREFIX_LINES + "kgg:curation { kgr:A \n"})
    bad = layout.triples_dir / "zz-bad.trig"
    with pytest.raises(DataError, match=rf"^{bad}: .*line"):
        load_store(layout)


def test_a_turtle_file_with_a_graph_block_does_not_parse(tmp_path: Path) -> None:
    """A ``.ttl`` file is read as Turtle, where a graph block is an error."""
    layout = folder(
        tmp_path, extra={"graphs.ttl": PREFIX_LINES + "kgg:g { kgr:A kgr:p kgr:B . }\n"}
    )
    with pytest.raises(DataError, match=r"graphs\.ttl: "):
        load_store(layout)


def test_an_ontology_that_does_not_parse_is_named(tmp_path: Path) -> None:
    layout = folder(tmp_path)
    layout.ontology.write_text("kg:Company a owl:Class .\n", encoding="utf-8")  # no prefixes
    with pytest.raises(DataError, match=rf"^{layout.ontology}: .*kg"):
        load_store(layout)


def test_merges_are_applied_when_loading(tmp_path: Path) -> None:
    layout = folder(tmp_path)
    same = Judgement("SameAs", kgr("P"), kgr("Q"), "curator", "2026-01-31T12:00:00Z")
    append(judgements_path(layout.triples_dir), same)
    store = load_store(layout)
    labels = {
        (q.predicate.value, q.object.value)
        for q in store.quads_for_pattern(ox.NamedNode(kgr("P")), None, None)
        if isinstance(q.object, ox.Literal)
    }
    assert labels == {(PREFIXES["rdfs"] + "label", "张鹏"), (PREFIXES["skos"] + "altLabel", "唐杰")}


def test_judged_pairs_are_every_verdicts_pairs(tmp_path: Path) -> None:
    layout = folder(tmp_path)
    assert judged_pairs(layout) == set()
    path = judgements_path(layout.triples_dir)
    append(path, Judgement("NotSame", kgr("P"), kgr("Q"), "curator", "2026-01-31T12:00:00Z"))
    append(path, Judgement("Unsure", kgr("A"), kgr("P"), "curator", "2026-01-31T12:00:01Z"))
    assert judged_pairs(layout) == {
        frozenset((kgr("P"), kgr("Q"))),
        frozenset((kgr("A"), kgr("P"))),
    }


DRAFT = """kgg:draft-curation {
  kgr:A2 a kg:Company ; rdfs:label "智譜ＡＩ"@zh ; kg:status kg:Draft .
  kgr:A3 a kg:Company ; rdfs:label "智谱ai"@zh .
}
"""


def test_a_drafts_candidates_are_the_pairs_of_its_new_entities(tmp_path: Path) -> None:
    layout = folder(tmp_path)
    draft = tmp_path / "news.draft.trig"
    draft.write_text(PREFIX_LINES + DRAFT, encoding="utf-8")
    found = {(c.left, c.right, c.score) for c in draft_candidates(layout, draft)}
    # both the entity marked Draft and the one only in the draft's graph are new; an entity
    # not marked Draft stays on the left
    assert found == {(kgr("A"), kgr("A2"), 1.0), (kgr("A"), kgr("A3"), 1.0),
                     (kgr("A3"), kgr("A2"), 1.0)}  # fmt: skip


def test_a_drafts_candidates_leave_out_judged_pairs_and_low_scores(tmp_path: Path) -> None:
    layout = folder(tmp_path)
    append(
        judgements_path(layout.triples_dir),
        Judgement("NotSame", kgr("A"), kgr("A2"), "curator", "2026-01-31T12:00:00Z"),
    )
    draft = tmp_path / "news.draft.trig"
    draft.write_text(
        PREFIX_LINES + DRAFT.replace("}", 'kgr:B a kg:Person ; rdfs:label "智谱"@zh . }'),
        encoding="utf-8",
    )
    everything = {(c.left, c.right) for c in draft_candidates(layout, draft, min_score=0.0)}
    assert (kgr("A"), kgr("A2")) not in everything
    assert (kgr("A"), kgr("A3")) in everything
    low = [c for c in draft_candidates(layout, draft, min_score=0.0) if c.score < 0.5]
    assert low, "a pair scored under the default floor"
    assert all(c.score >= 0.5 for c in draft_candidates(layout, draft))


def test_judge_records_after_the_checks_of_kg_merge(tmp_path: Path) -> None:
    layout = folder(tmp_path)
    made = judge(layout, "SameAs", kgr("P"), kgr("Q"), user="curator", why="one person")
    assert (made.verdict, made.left, made.right, made.user, made.why) == (
        "SameAs", kgr("P"), kgr("Q"), "curator", "one person",
    )  # fmt: skip
    assert read(judgements_path(layout.triples_dir)) == [made]
    with pytest.raises(NotFound, match="no entity is called kgr:Nobody"):
        judge(layout, "NotSame", kgr("P"), kgr("Nobody"), user="curator")


def test_judge_merges_unrelated_classes_only_when_forced(tmp_path: Path) -> None:
    layout = folder(tmp_path)
    with pytest.raises(InvalidValue, match="unrelated classes; add --force"):
        judge(layout, "SameAs", kgr("A"), kgr("P"), user="curator")
    made = judge(layout, "SameAs", kgr("A"), kgr("P"), user="curator", force=True)
    assert read(judgements_path(layout.triples_dir)) == [made]
    assert made.why == ""


def test_an_extra_file_of_another_name_is_read_as_turtle(tmp_path: Path) -> None:
    extra = tmp_path / "notes.txt"
    extra.write_text(PREFIX_LINES + 'kgr:T rdfs:comment "Turtle" .\n', encoding="utf-8")
    assert graphs_of(load_store(folder(tmp_path), [extra]), kgr("T")) == {
        (PREFIXES["rdfs"] + "comment", None)
    }


def test_a_drafts_candidates_leave_out_pairs_of_the_data_alone(tmp_path: Path) -> None:
    more = PREFIX_LINES + 'kgg:curation { kgr:A9 a kg:Company ; rdfs:label "智谱ＡＩ"@zh . }\n'
    layout = folder(tmp_path, extra={"more.trig": more})
    draft = tmp_path / "news.draft.trig"
    draft.write_text(PREFIX_LINES + DRAFT, encoding="utf-8")
    pairs = {frozenset((c.left, c.right)) for c in draft_candidates(layout, draft)}
    assert frozenset((kgr("A"), kgr("A9"))) not in pairs  # both of the data: kg xref's business
    assert frozenset((kgr("A9"), kgr("A2"))) in pairs


def test_an_entity_the_data_marks_draft_is_new_too(tmp_path: Path) -> None:
    marked = PREFIX_LINES + (
        'kgg:curation { kgr:A9 a kg:Company ; rdfs:label "智谱ＡＩ"@zh ; kg:status kg:Draft . }\n'
    )
    layout = folder(tmp_path, extra={"more.trig": marked})
    draft = tmp_path / "empty.draft.trig"
    draft.write_text(PREFIX_LINES + "kgg:draft-curation { }\n", encoding="utf-8")
    assert [(c.left, c.right) for c in draft_candidates(layout, draft)] == [(kgr("A"), kgr("A9"))]
