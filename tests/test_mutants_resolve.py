"""The name resolver's tiers, messages and did-you-mean order, on an index built in memory.

:class:`kg.query.resolve.Names` is built here from entries written out in the test (the same
shape :meth:`Names.from_engine` reads from the data), so each rule is exercised alone and fast;
the tests with the shipped data are in ``tests/test_names.py``. Written to kill the mutants the
other tests let live (``benchmarks/mutation.py resolve``; see docs/mutation.md).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kg
from kg.data.prefixes import PREFIXES
from kg.query.resolve import (
    AmbiguousEntity,
    EntityNotFound,
    Entry,
    Names,
    normalise,
    parse_iri,
    used_in_data,
)

R = PREFIXES["kgr"]
ROOT = Path(__file__).resolve().parent.parent
#: Names as the data may write them: languages with regions, repeats across graphs,
#: merged IRIs, and the odd statement a name index must pass over.
MINI = """
@prefix kg: <https://w3id.org/zhipu-kg/ontology#> .
@prefix kgr: <https://w3id.org/zhipu-kg/resource/> .
@prefix kgg: <https://w3id.org/zhipu-kg/graph/> .
@prefix ev: <https://w3id.org/zhipu-kg/evidence/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
kgg:curation {
    kgr:Baichuan a kg:Company ; rdfs:label "百川智能"@zh-Hans , "Baichuan AI"@en-GB ,
        "baichuan" ; skos:altLabel "百川智能科技"@zh , "Baichuan Intelligence"@de ;
        rdfs:label kgr:NotAName .
    kgr:Odd a "not a class" .
}
ev:one { kgr:Baichuan a kg:Company ; skos:altLabel "百川智能科技"@zh . }
kgg:identity { kgr:BaichuanAI owl:sameAs kgr:Baichuan . kgr:Stray owl:sameAs "Baichuan" . }
"""
TANG = Entry(R + "TangJie", {"zh": "唐杰", "en": "Tang Jie"}, ["唐老师"], ["kg:Person"])
ZHANG = Entry(R + "ZhangPeng", {"zh": "张鹏", "en": "Zhang Peng"}, [], ["kg:Person"])
ZHIPU = Entry(R + "Zhipu", {"zh": "智谱", "en": "Zhipu AI"}, ["智谱AI", "GLM"], ["kg:Company"])
GLM4 = Entry(R + "GLM-4", {"en": "GLM-4"}, ["GLM"], ["kg:Model"])
TSINGHUA = Entry(R + "Tsinghua", {"zh": "清华大学", "en": "Tsinghua University"}, ["清华"])
BARE = Entry("urn:x:bare")
ENTRIES = [TANG, ZHANG, ZHIPU, GLM4, TSINGHUA, BARE]


@pytest.fixture
def names() -> Names:
    return Names(ENTRIES, referents={R + "Zhipu_AI": R + "Zhipu", R + "OldName": R + "Zhipu"})


def test_an_entry_names_itself_in_both_languages() -> None:
    assert TANG.name == "唐杰 / Tang Jie"
    assert TANG.title == "唐杰 / Tang Jie (kgr:TangJie)"
    assert TANG.title_with_types == "唐杰 / Tang Jie (kgr:TangJie, kg:Person)"
    assert TANG.curie == "kgr:TangJie"


def test_an_entry_with_one_language_or_none() -> None:
    assert GLM4.name == "GLM-4"
    assert Entry(R + "X", {"fr": "Ixe"}).name == "Ixe"
    assert Entry(R + "Y", {"zh": "同", "en": "同"}).name == "同"
    assert BARE.name == BARE.title == "<urn:x:bare>"
    assert Entry(R + "Z", types=["kg:Thing"]).title_with_types == "kgr:Z, kg:Thing"


def test_an_entry_lists_its_names_with_their_tier() -> None:
    assert list(ZHIPU.texts()) == [
        ("label", "智谱"),
        ("label", "Zhipu AI"),
        ("alias", "智谱AI"),
        ("alias", "GLM"),
        ("local", "Zhipu"),
    ]
    assert list(BARE.texts()) == []


def test_entries_compare_by_content_and_show_it() -> None:
    assert Entry(R + "A", {"en": "a"}) == Entry(R + "A", {"en": "a"})
    assert Entry(R + "A", {"en": "a"}) != Entry(R + "A", {"en": "b"})
    assert Entry(R + "A") != R + "A"
    assert repr(Entry("urn:a", {"en": "a"}, ["b"], ["kg:C"])) == (
        "Entry('urn:a', {'en': 'a'}, ['b'], ['kg:C'])"
    )
    assert Entry("urn:a").labels == {} and Entry("urn:a").aliases == []


@pytest.mark.parametrize(
    ("text", "iri"),
    [
        ("<https://example.org/a>", "https://example.org/a"),
        ("  <urn:x:a>  ", "urn:x:a"),
        ("<>", None),
        ("kgr:TangJie", R + "TangJie"),
        ("https://example.org/a", "https://example.org/a"),
        ("kgr://odd", "kgr://odd"),  # a scheme of its own, not the prefix
        ("nowhere:x", None),
        ("kgr:Tang Jie", None),
        ("唐杰", None),
        ("1http://x", None),
        ("<urn:x", None),
        ("urn:x>", None),
        ("https://example.org/a:b", "https://example.org/a:b"),
        ("HTTP://example.org/a", "HTTP://example.org/a"),
    ],
)
def test_parse_iri(text: str, iri: str | None) -> None:
    assert parse_iri(text) == iri


def test_normalise_folds_width_case_and_spacing() -> None:
    assert normalise("  ＴＡＮＧ　\tJIE ") == "tang jie"


@pytest.mark.parametrize(
    ("typed", "iri"),
    [
        ("唐杰", "TangJie"),
        ("TANG JIE", "TangJie"),
        ("唐老师", "TangJie"),
        ("tangjie", "TangJie"),
        ("Tang-Jie", "TangJie"),
        ("智谱ai", "Zhipu"),
        ("kgr:Zhipu", "Zhipu"),
        ("<https://w3id.org/zhipu-kg/resource/ZhangPeng>", "ZhangPeng"),
        ("清華", "Tsinghua"),
        ("Zhipu_AI", "Zhipu"),
        ("kgr:Zhipu_AI", "Zhipu"),
        ("OldName", "Zhipu"),
    ],
)
def test_every_form_of_a_name_resolves(names: Names, typed: str, iri: str) -> None:
    assert names.resolve(typed) == R + iri


def test_a_label_wins_over_an_alias_and_an_alias_over_a_local_name() -> None:
    # "GLM-4" is the label of one and the local name of the same; "glm" an alias of two.
    other = Entry(R + "Other", {"en": "TangJie"})
    names = Names([TANG, other])
    assert names.matches("TangJie") == [R + "Other"]  # label tier before local tier
    aliased = Entry(R + "Alias", {"en": "A"}, ["ZhangPeng"])
    assert Names([ZHANG, aliased]).matches("ZhangPeng") == [R + "Alias"]
    labelled = Entry(R + "Label", {"en": "唐老师"})
    assert Names([TANG, labelled]).matches("唐老师") == [R + "Label"]


def test_a_compact_match_comes_last() -> None:
    spaced = Entry(R + "Spaced", {"en": "Tang-Jie"})
    assert Names([TANG, spaced]).matches("Tang-Jie") == [R + "Spaced"]
    assert Names([TANG, spaced]).matches("tang_jie") == sorted([R + "TangJie", R + "Spaced"])


def test_an_iri_the_index_does_not_hold_and_no_engine_matches_nothing(names: Names) -> None:
    assert names.matches("kgr:Nobody") == []
    assert not names.exists(R + "Nobody")
    assert names.exists(R + "TangJie")
    assert names.entry(R + "Nobody") == Entry(R + "Nobody")
    assert names.entry(R + "TangJie") is TANG


def test_an_empty_name_matches_nothing(names: Names) -> None:
    assert names.matches("   ") == []
    assert names.matches("--") == []


def test_an_ambiguous_name_lists_every_candidate_with_types_in_order(names: Names) -> None:
    rule = (
        r"^'glm' names 2 entities: GLM-4 \(kgr:GLM-4, kg:Model\); 智谱 / Zhipu AI "
        r"\(kgr:Zhipu, kg:Company\) — give the CURIE of the one you mean$"
    )
    with pytest.raises(AmbiguousEntity, match=rule) as caught:
        names.resolve("glm")
    assert caught.value.candidates == [R + "GLM-4", R + "Zhipu"]
    assert caught.value.entries == [GLM4, ZHIPU]
    assert caught.value.name == "glm"


def test_an_unknown_name_says_what_to_try(names: Names) -> None:
    rule = (
        r"^no entity is called 'qqqq'; try an IRI, a CURIE \(kgr:Name\), a label or an alias; "
        r"`kg search TEXT` lists matches$"
    )
    with pytest.raises(EntityNotFound, match=rule) as caught:
        names.resolve("qqqq")
    assert caught.value.suggestions == []
    assert caught.value.name == "qqqq"


def test_several_suggestions_are_offered_in_order() -> None:
    names = Names([Entry(R + "B", {"en": "abcdefghijkl"}), Entry(R + "A", {"en": "abcdefghijk"})])
    rule = r"^no entity is called 'abcdefghij'; did you mean abcdefghijk \(kgr:A\) or abcdefghijkl"
    with pytest.raises(EntityNotFound, match=rule):
        names.resolve("abcdefghij")


def test_a_typo_gets_its_did_you_mean(names: Names) -> None:
    with pytest.raises(
        EntityNotFound, match=r"did you mean 张鹏 / Zhang Peng \(kgr:ZhangPeng\)\?$"
    ):
        names.resolve("Zhang Pen")


def test_suggestions_are_best_first_and_cut_off_below_the_best() -> None:
    entries = [
        Entry(R + "A", {"en": "abcdefghijklmn"}),  # 20/24 = 0.833: more than 0.1 below the best
        Entry(R + "C", {"en": "xabcdefghijk"}),  # 20/22 = 0.909, a tie with B: by IRI
        Entry(R + "B", {"en": "abcdefghijkl"}),  # 20/22 = 0.909
        Entry(R + "D", {"en": "abcdefghijk"}),  # 20/21 = 0.952, the best (its IRI sorts last)
    ]
    names = Names(entries)
    assert [e.iri for e in names.suggest("abcdefghij")] == [R + "D", R + "B", R + "C"]
    assert [e.iri for e in names.suggest("abcdefghij", limit=2)] == [R + "D", R + "B"]
    assert [e.iri for e in names.suggest("abcdefghij", limit=1)] == [R + "D"]
    assert [e.iri for e in names.suggest("abcdefghij", limit=9)] == [R + "D", R + "B", R + "C"]


def test_an_entity_is_scored_by_its_closest_name() -> None:
    # X's label is the closest name of all; its alias, further off, must not lower it.
    x = Entry(R + "X", {"en": "abcdefghijk"}, ["abcdefghijklmn"])
    y = Entry(R + "Y", {"en": "abcdefghijkl"})
    assert [e.iri for e in Names([x, y]).suggest("abcdefghij")] == [R + "X", R + "Y"]


def test_six_tenths_alike_is_close_enough_whatever_the_lengths() -> None:
    # "abc" in "abcdefg": 6/10, and the quick bounds are exactly 0.6 too.
    assert Names([Entry(R + "A", {"en": "abcdefg"})]).suggest("abc") != []
    assert Names([Entry(R + "A", {"en": "abcxy"})]).suggest("abcde") != []  # 3 of 5: 0.6


def test_a_suggestion_needs_six_tenths_alike() -> None:
    names = Names([Entry(R + "A", {"en": "abcdefghij"})])
    assert names.suggest("abcdef") == [Entry(R + "A", {"en": "abcdefghij"})]  # 0.75
    assert names.suggest("abcxyz") == []  # 3 of 16: 0.375
    assert names.suggest("abcdxyzw") == []  # 4 of 18: 0.44


def test_a_suggestion_for_a_curie_compares_its_local_name(names: Names) -> None:
    assert [e.iri for e in names.suggest("kgr:TangJei")] == [R + "TangJie"]
    assert [e.iri for e in Names([Entry(R + "Ab", {"en": "Ab"})]).suggest("kgr:Ab")] == [R + "Ab"]
    assert names.suggest("kgr:") == []
    assert names.suggest("!!") == []


def test_a_homophone_or_pinyin_is_heard(names: Names) -> None:
    assert [e.iri for e in names.suggest("唐洁")] == [R + "TangJie"]
    assert [e.iri for e in names.suggest("zhang peng")] == [R + "ZhangPeng"]
    assert [e.iri for e in names.suggest("qinghua")] == [R + "Tsinghua"]


def test_sound_alone_ranks_an_exact_homophone_first() -> None:
    entries = [Entry(R + "P", {"zh": "张朋"}), Entry(R + "Q", {"zh": "章鹏飞"})]
    assert [e.iri for e in Names(entries).suggest("张鹏")] == [R + "P"]


def test_an_exact_homophone_scores_one_and_a_close_spelling_stays_beside_it() -> None:
    # By sound 张鹏飞 is zhangpengfei exactly (1.0; its alias, further off, does not lower it);
    # by letters "zhangpengfeix" is 24/25 = 0.96 alike: within 0.1 of the best, after it.
    heard = Entry(R + "B", {"zh": "张鹏飞"}, ["张鹏飞飞"])
    spelt = Entry(R + "A", {"en": "zhangpengfeix"})
    assert [e.iri for e in Names([heard, spelt]).suggest("zhangpengfei")] == [R + "B", R + "A"]


@pytest.mark.parametrize(
    ("typed", "entry"),
    [
        ("青华", Entry(R + "T", {"zh": "清华大学"}, ["清华"])),  # qinghua: by an alias's sound
        ("gaoshan", Entry(R + "G", {"zh": "高山"})),  # pinyin typed as one word
        ("搞", Entry(R + "G", {"zh": "高"})),  # gao: three letters are enough to hear
    ],
)
def test_a_name_is_heard_past_names_that_sound_otherwise(typed: str, entry: Entry) -> None:
    others = [TANG, ZHANG, Entry(R + "W", {"zh": "王伟"})]  # heard first, and far off
    assert [e.iri for e in Names([*others, entry]).suggest(typed)] == [entry.iri]


def test_a_short_name_is_not_compared_by_sound() -> None:
    # "ai" sounds like 爱 but two letters are too few to hear anything by.
    names = Names([Entry(R + "Love", {"zh": "爱"})])
    assert names.suggest("ai") == []


def test_search_scores_exact_then_contained_then_alike(names: Names) -> None:
    found = [(round(score, 3), entry.iri, name) for score, entry, name in names.search("清华")]
    assert found[0] == (1.0, R + "Tsinghua", "清华")
    assert [(s, e.iri) for s, e, _ in names.search("Zhipu")][:1] == [(1.0, R + "Zhipu")]
    contained = names.search("Peng")
    assert [(round(s, 3), e.iri, n) for s, e, n in contained] == [
        (round(0.8 + 0.1 * 4 / 9, 3), R + "ZhangPeng", "ZhangPeng")  # the local name: shorter
    ]


def test_search_ranks_by_score_then_iri() -> None:
    exact = Entry(R + "Z", {"en": "glm"})
    contained = Entry(R + "A", {"en": "glm model"})
    assert [e.iri for _, e, _ in Names([contained, exact]).search("glm")] == [R + "Z", R + "A"]


def test_search_equal_spellings_by_letters_alone_are_exact() -> None:
    (found,) = Names([TANG]).search("Tang-Jie")
    assert found[0] == 1.0


def test_search_finds_a_name_typed_without_its_space() -> None:
    (found,) = Names([Entry("urn:x:zp", {"en": "Zhang Peng"})]).search("ZhangPe")
    assert (round(found[0], 3), found[2]) == (round(0.8 + 0.1 * 7 / 10, 3), "Zhang Peng")


def test_search_keeps_the_first_of_equally_good_names() -> None:
    entry = Entry(R + "G", {"en": "GLM"}, ["glm"])
    assert Names([entry]).search("glm") == [(1.0, entry, "GLM")]


def test_search_keeps_a_name_half_alike() -> None:
    entry = Entry(R + "Q", {"en": "aby"})
    assert Names([entry]).search("abx") == [(0.5, entry, "aby")]


def test_search_reads_traditional_and_limits_and_orders() -> None:
    entries = [Entry(R + f"E{i}", {"en": f"glm model {i}"}) for i in range(5)]
    names = Names(entries)
    found = names.search("glm model", limit=3)
    assert [e.iri for _, e, _ in found] == [R + "E0", R + "E1", R + "E2"]
    assert Names([TSINGHUA]).search("清華大學")[0][0] == 1.0
    assert names.search("  ") == []


def test_search_keeps_the_best_name_of_each_entity() -> None:
    entry = Entry(R + "E", {"en": "Zhipu Huazhang"}, ["Zhipu"])
    assert Names([entry]).search("zhipu") == [(1.0, entry, "Zhipu")]


def test_search_drops_what_is_barely_alike() -> None:
    names = Names([Entry(R + "A", {"en": "abcdefghij"})])
    assert names.search("abcdefgh") == [(0.8 + 0.1 * 8 / 10, names.entry(R + "A"), "abcdefghij")]
    assert names.search("abcxyz") == []
    close = names.search("abcdefghxy")
    assert [round(score, 4) for score, _, _ in close] == [round(0.8 * 0.75, 4)]


def test_from_engine_reads_labels_aliases_types_and_merges(graph: kg.KnowledgeGraph) -> None:
    names = Names.from_engine(graph.engine)
    tang = names.entry(R + "TangJie")
    assert tang.labels["zh"] == "唐杰" and tang.labels["en"] == "Tang Jie"
    assert "kg:Person" in tang.types and tang.types == sorted(tang.types)
    assert len(tang.types) == len(set(tang.types))
    assert names.resolve("Tang Jie") == R + "TangJie"
    assert names.exists(R + "TangJie")
    assert used_in_data(graph.engine, R + "TangJie")
    assert not used_in_data(graph.engine, "urn:x:nothing")
    assert not used_in_data(graph.engine, "not an iri")


@pytest.fixture
def mini(tmp_path: Path) -> kg.KnowledgeGraph:
    shutil.copy(ROOT / "ontology.ttl", tmp_path / "ontology.ttl")
    (tmp_path / "triples").mkdir()
    (tmp_path / "triples" / "names.trig").write_text(MINI, encoding="utf-8")
    return kg.load(tmp_path)


def test_from_engine_reads_names_by_language_once_each(mini: kg.KnowledgeGraph) -> None:
    names = Names.from_engine(mini.engine)
    baichuan = names.entry(R + "Baichuan")
    assert baichuan.labels == {"zh": "百川智能", "en": "Baichuan AI", "": "baichuan"}
    assert sorted(baichuan.aliases) == ["Baichuan Intelligence", "百川智能科技"]
    assert baichuan.types == ["kg:Company"]
    assert names.entry(R + "Odd").types == []
    assert names.entry(R + "Odd").aliases == []


def test_from_engine_reads_merged_iris_and_asks_the_engine(mini: kg.KnowledgeGraph) -> None:
    names = Names.from_engine(mini.engine)
    assert names.resolve("kgr:BaichuanAI") == R + "Baichuan"
    assert names.resolve("BaichuanAI") == R + "Baichuan"
    assert names.referents == {R + "BaichuanAI": R + "Baichuan"}
    assert names.exists(PREFIXES["kg"] + "Company")  # named by no label, used by the data
    assert not names.exists(R + "Nobody")


def test_a_suggestion_exactly_one_tenth_below_the_best_is_kept() -> None:
    best, next_ = Entry(R + "A", {"en": "abcdefghij"}), Entry(R + "B", {"en": "abcdefghiz"})
    assert Names([best, next_]).suggest("abcdefghij") == [best, next_]  # 1.0 and 18/20 = 0.9


def test_three_suggestions_unless_asked_for_more() -> None:
    entries = [Entry(R + f"E{i}", {"en": f"abcdefgh{i}"}) for i in range(5)]
    assert len(Names(entries).suggest("abcdefgh")) == 3
    assert len(Names(entries).suggest("abcdefgh", limit=5)) == 5


def test_twenty_search_results_unless_asked_for_more() -> None:
    entries = [Entry(R + f"E{i:02d}", {"en": f"glm model {i}"}) for i in range(25)]
    assert len(Names(entries).search("glm")) == 20
    assert len(Names(entries).search("glm", limit=25)) == 25


def test_a_sound_exactly_three_quarters_alike_is_kept() -> None:
    # zhangpengfeiwangwei (张鹏飞王伟) against zhangpengfeixxxxwei: 15 of 19 letters in order,
    # 30/38 alike, times 0.95 for sound: exactly 0.75.
    entry = Entry(R + "S", {"zh": "张鹏飞王伟"})
    assert Names([entry]).suggest("zhangpengfeixxxxwei") == [entry]


def test_a_local_name_is_not_heard() -> None:
    # Only labels and aliases are indexed by sound: an IRI is not a name anyone says.
    assert Names([Entry(R + "高山", {"en": "Peak"})]).suggest("gaoshan") == []
