"""Cross-referencing (kg.identity.xref) scored feature by feature on a small store of its own.

Each test builds the few entities a rule needs, in the graphs the data keeps them in (types,
labels and aliases in ``kgg:curation``, a draft's in ``kgg:draft-curation``, facts in evidence
graphs, the class and role hierarchy in ``kgg:ontology``), and checks the score and the evidence
a reviewer reads (see docs/mutation.md).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.data.prefixes import PREFIXES
from kg.identity.xref import Entity, candidates, class_ancestors, compatible, entities

ONTOLOGY = """
kg:Company rdfs:subClassOf schema:Organization .
schema:Organization rdfs:subClassOf schema:Thing .
kg:Fund rdfs:subClassOf _:restriction .
kg:investor rdfs:subPropertyOf kg:involves .
kg:investee rdfs:subPropertyOf kg:involves .
"""


def store(curation: str, *, draft: str = "", facts: str = "") -> ox.Store:
    """A store of the given curation, draft curation and fact triples (Turtle, our prefixes)."""
    prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
    trig = (
        f"{prefixes}kgg:ontology {{ {ONTOLOGY} }}\nkgg:curation {{ {curation} }}\n"
        f"kgg:draft-curation {{ {draft} }}\nev:facts {{ {facts} }}\n"
    )
    result = ox.Store()
    result.load(trig.encode(), ox.RdfFormat.TRIG)
    return result


def kgr(name: str) -> str:
    return PREFIXES["kgr"] + name


def pairs(found: list) -> list[tuple[str, str, float]]:  # type: ignore[type-arg]
    return [(c.left.rsplit("/", 1)[-1], c.right.rsplit("/", 1)[-1], c.score) for c in found]


def test_entities_read_labels_first_chinese_first_and_drafts() -> None:
    found = entities(
        store(
            """kgr:Z a kg:Company, schema:Organization ; skos:altLabel "Zhipu" ;
                 rdfs:label "Zhipu AI"@en, "智谱"@zh ; kg:status kg:Active .
               kgr:Untyped rdfs:label "无类型"@zh .""",
            draft='kgr:D a kg:Company ; rdfs:label "新公司"@zh ; kg:status kg:Draft .',
        )
    )
    assert set(found) == {kgr("Z"), kgr("D")}  # an entity needs a type
    z = found[kgr("Z")]
    assert z == Entity(
        kgr("Z"),
        ["智谱", "Zhipu AI", "Zhipu"],
        {PREFIXES["kg"] + "Company", PREFIXES["schema"] + "Organization"},
        False,
    )
    assert found[kgr("D")].draft


def test_a_name_written_twice_is_listed_once() -> None:
    found = entities(store('kgr:Z a kg:Company ; rdfs:label "智谱"@zh ; skos:altLabel "智谱" .'))
    assert found[kgr("Z")].names == ["智谱"]


def test_class_ancestors_are_transitive_and_name_classes_only() -> None:
    ancestors = class_ancestors(store(""))
    schema = PREFIXES["schema"]
    assert ancestors[PREFIXES["kg"] + "Company"] == {schema + "Organization", schema + "Thing"}
    assert PREFIXES["kg"] + "Fund" not in ancestors  # its only parent is a blank node


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ({"A"}, {"A"}, True),
        ({"C"}, {"O"}, True),  # a subclass and its class, either way round
        ({"O"}, {"C"}, True),
        ({"C"}, {"P"}, False),
        (set(), {"P"}, True),  # an untyped side fits anything
        ({"P"}, set(), True),
        ({"P", "C"}, {"O"}, True),
    ],
)
def test_compatible_classes(left: set[str], right: set[str], expected: bool) -> None:
    assert compatible(left, right, {"C": {"O"}}) is expected


def test_the_same_name_scores_one_with_its_evidence() -> None:
    [c] = candidates(
        store(
            """kgr:A a kg:Company ; rdfs:label "智谱AI"@zh .
               kgr:B a kg:Company ; rdfs:label "智譜ＡＩ"@zh ."""
        )
    )
    assert (c.left, c.right, c.left_name, c.right_name) == (
        kgr("A"),
        kgr("B"),
        "智谱AI",
        "智譜ＡＩ",
    )
    assert (c.score, c.names, c.roles) == (1.0, (("智谱AI", "智譜ＡＩ", "same name"),), ())
    assert c.classes == "same class: kg:Company"
    assert c.as_dict() == {
        "left": "kgr:A",
        "right": "kgr:B",
        "left_name": "智谱AI",
        "right_name": "智譜ＡＩ",
        "score": 1.0,
        "names": [{"left": "智谱AI", "right": "智譜ＡＩ", "how": "same name"}],
        "roles": [],
        "classes": "same class: kg:Company",
    }


@pytest.mark.parametrize(
    ("a", "b", "score", "how"),
    [
        ("北京智谱华章科技有限公司", "智谱华章", 0.9, "same name without legal form"),
        ("悟道大模型", "悟道", 0.6, "one name begins the other"),  # CJK: two characters suffice
        ("Zhipu Qingyan", "Zhipu", 0.6, "one name begins the other"),  # Latin: four or more
        ("Kimi Chat", "Kimi", 0.6, "one name begins the other"),
        # The company's core (its city and legal form cut) begins the product's name; their
        # folded names share no first characters, their cores do.
        ("北京智谱科技有限公司", "智谱清言", 0.6, "one name begins the other"),
        ("北京智谱科技有限公司", "上海智谱清言科技有限公司", 0.6, "one name begins the other"),
    ],
)
def test_name_features_score_with_the_class_bonus(a: str, b: str, score: float, how: str) -> None:
    found = candidates(
        store(f'kgr:A a kg:Company ; rdfs:label "{a}" . kgr:B a kg:Company ; rdfs:label "{b}" .')
    )
    assert [(c.score, c.names) for c in found] == [(score, ((a, b, how),))]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("悟道", "悟道2.0"),  # a version
        ("GLM", "GLM Team"),  # a Latin name of three letters begins too many
        ("智", "智谱"),  # one character
        ("智谱", "清华"),
    ],
)
def test_names_that_do_not_make_a_pair(a: str, b: str) -> None:
    assert (
        candidates(
            store(
                f'kgr:A a kg:Company ; rdfs:label "{a}" . kgr:B a kg:Company ; rdfs:label "{b}" .'
            ),
            min_score=0.0,
        )
        == []
    )


def test_the_best_of_several_name_pairs_counts_and_all_are_shown() -> None:
    [c] = candidates(
        store(
            """kgr:A a kg:Company ; rdfs:label "智谱华章" ; skos:altLabel "Zhipu" .
               kgr:B a kg:Company ; rdfs:label "智谱华章科技" ; skos:altLabel "ZHIPU" ."""
        )
    )
    assert c.score == 1.0
    assert c.names == (
        ("智谱华章", "智谱华章科技", "same name without legal form"),
        ("Zhipu", "ZHIPU", "same name"),
    )


def test_classes_related_unrelated_and_untyped() -> None:
    related = store(
        'kgr:A a kg:Company ; rdfs:label "智谱" . kgr:B a schema:Organization ; rdfs:label "智谱" .'
    )
    unrelated = store(
        'kgr:A a kg:Company ; rdfs:label "智谱" . kgr:B a schema:Person ; rdfs:label "智谱" .'
    )
    assert [(c.score, c.classes) for c in candidates(related)] == [(1.0, "related classes")]
    assert [(c.score, c.classes) for c in candidates(unrelated)] == [(0.5, "unrelated classes")]
    assert candidates(unrelated, min_score=0.51) == []


def test_shared_roles_add_a_little_each_up_to_a_cap() -> None:
    curation = """kgr:A a kg:Company ; rdfs:label "悟道大模型" .
                  kgr:B a kg:Company ; rdfs:label "悟道" .
                  kgr:Z a kg:Company ; rdfs:label "清华" .
                  kgr:G a kg:Company ; rdfs:label "集团" ."""
    facts = """kgr:F1 kg:investor kgr:A ; kg:investee kgr:Z .
               kgr:F2 kg:investor kgr:B ; kg:investee kgr:Z .
               kgr:A org:memberOf kgr:G . kgr:B org:memberOf kgr:G .
               kgr:A org:linkedTo kgr:Outside . kgr:B org:linkedTo kgr:Outside ."""
    [c] = candidates(store(curation, facts=facts))
    assert c.roles == ("kg:investor of a fact with kg:investee kgr:Z", "org:memberOf kgr:G")
    assert c.score == 0.7  # 0.5 for the names, 0.1 for the class, 0.05 for each role
    more = (
        facts
        + """kgr:F3 kg:investor kgr:A ; kg:investee kgr:G .
                      kgr:F4 kg:investor kgr:B ; kg:investee kgr:G .
                      kgr:A schema:parentOrganization kgr:Z .
                      kgr:B schema:parentOrganization kgr:Z ."""
    )
    [capped] = candidates(store(curation, facts=more))
    assert (len(capped.roles), capped.score) == (4, 0.75)  # at most 0.15 for roles


def test_a_draft_entity_goes_right_and_judged_pairs_are_not_suggested() -> None:
    data = store(
        'kgr:B a kg:Company ; rdfs:label "智谱" .',
        draft='kgr:A a kg:Company ; rdfs:label "智谱" ; kg:status kg:Draft .',
    )
    [c] = candidates(data)
    assert (c.left, c.right) == (kgr("B"), kgr("A"))  # the data's entity is kept
    assert candidates(data, [frozenset((kgr("A"), kgr("B")))]) == []
    assert candidates(data, involving={kgr("A")}) == [c]
    assert candidates(data, involving={kgr("C")}) == []


def test_candidates_best_first() -> None:
    found = candidates(
        store(
            """kgr:A a kg:Company ; rdfs:label "悟道大模型" .
               kgr:B a kg:Company ; rdfs:label "悟道" .
               kgr:C a kg:Company ; rdfs:label "智谱" .
               kgr:D a kg:Company ; rdfs:label "智谱" ."""
        )
    )
    assert pairs(found) == [("C", "D", 1.0), ("A", "B", 0.6)]


def test_a_rejected_name_pair_does_not_stop_the_others() -> None:
    [c] = candidates(
        store(
            """kgr:A a kg:Company ; rdfs:label "悟道" .
               kgr:B a kg:Company ; rdfs:label "悟道2.0" ; skos:altLabel "悟道" ."""
        )
    )
    assert c.names == (("悟道", "悟道", "same name"),)


def test_a_judged_pair_does_not_stop_the_others() -> None:
    found = candidates(
        store(
            """kgr:A a kg:Company ; rdfs:label "智谱" . kgr:B a kg:Company ; rdfs:label "智谱" .
               kgr:C a kg:Company ; rdfs:label "悟道" . kgr:D a kg:Company ; rdfs:label "悟道" ."""
        ),
        [frozenset((kgr("A"), kgr("B")))],
    )
    assert pairs(found) == [("C", "D", 1.0)]


def test_the_classes_both_have_are_named() -> None:
    both = store(
        """kgr:A a kg:Company, schema:Organization ; rdfs:label "智谱" .
           kgr:B a kg:Company, schema:Organization ; rdfs:label "智谱" ."""
    )
    assert [c.classes for c in candidates(both)] == ["same class: kg:Company, schema:Organization"]
    one = store(
        """kgr:A a kg:Company, schema:Organization ; rdfs:label "智谱" .
           kgr:B a kg:Company ; rdfs:label "智谱" ."""
    )
    assert [c.classes for c in candidates(one)] == ["same class: kg:Company"]


def test_a_link_to_itself_is_no_shared_role() -> None:
    [c] = candidates(
        store(
            """kgr:A a kg:Company ; rdfs:label "悟道大模型" .
               kgr:B a kg:Company ; rdfs:label "悟道" .""",
            facts="kgr:A org:linkedTo kgr:A . kgr:B org:linkedTo kgr:A .",
        )
    )
    assert (c.roles, c.score) == ((), 0.6)


def test_facts_written_as_blank_nodes_are_facts_of_their_own() -> None:
    [c] = candidates(
        store(
            """kgr:A a kg:Company ; rdfs:label "悟道大模型" .
               kgr:B a kg:Company ; rdfs:label "悟道" .
               kgr:Y a kg:Company ; rdfs:label "甲" . kgr:Z a kg:Company ; rdfs:label "乙" .""",
            facts="""[] kg:investor kgr:A ; kg:investee kgr:Z .
                     [] kg:investor kgr:B ; kg:investee kgr:Y .""",
        )
    )
    assert (c.roles, c.score) == ((), 0.6)  # two fundings of two companies: nothing shared


def test_scores_are_rounded_to_two_places() -> None:
    [c] = candidates(
        store(
            """kgr:A a kg:Company ; rdfs:label "悟道大模型" .
               kgr:B a schema:Person ; rdfs:label "悟道" .
               kgr:Z a kg:Company ; rdfs:label "清华" .""",
            facts="""kgr:F1 kg:investor kgr:A ; kg:investee kgr:Z .
                     kgr:F2 kg:investor kgr:B ; kg:investee kgr:Z .""",
        ),
        min_score=0.0,
    )
    assert (c.score, c.classes) == (0.28, "unrelated classes")  # (0.5 + 0.05) / 2 = 0.275
