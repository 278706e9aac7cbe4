"""One resolver for every name: the index itself, and each entry point that uses it."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from kg_server import RunningServer, start

import kg
from kg.cli.main import main
from kg.data.prefixes import PREFIXES
from kg.query.catalogue import load_query
from kg.query.resolve import AmbiguousEntity, EntityNotFound, Entry, Names, normalise
from kg.query.terms import mentioned_terms, unknown_terms

KGR = PREFIXES["kgr"]
TANG_JIE = KGR + "TangJie"


@pytest.fixture(scope="module")
def names(graph: kg.KnowledgeGraph) -> Names:
    return Names.from_engine(graph.engine)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


# ---------------------------------------------------------------- the index
@pytest.mark.parametrize(
    "name",
    [
        "唐杰",
        "Tang Jie",
        "TANG JIE",
        "  tang   jie ",
        "ＴＡＮＧ　ＪＩＥ",  # full-width letters and space
        "TangJie",
        "tangjie",
        "kgr:TangJie",
        TANG_JIE,
        f"<{TANG_JIE}>",
    ],
)
def test_every_form_of_a_name_resolves_to_the_same_iri(names: Names, name: str) -> None:
    assert names.resolve(name) == TANG_JIE


def test_aliases_and_cities_resolve(names: Names) -> None:
    assert names.resolve("北京") == names.resolve("beijing") == KGR + "Beijing"
    assert names.resolve("北京AI产业基金") == KGR + "BeijingAIFund"


@pytest.mark.parametrize(
    ("typed", "local"),
    [("唐傑", "TangJie"), ("商湯科技", "SenseTime"), ("商湯", "SenseTime"), ("智譜", "Zhipu")],
)
def test_traditional_characters_find_the_simplified_names(
    names: Names, typed: str, local: str
) -> None:
    assert names.resolve(typed) == KGR + local


def test_traditional_characters_in_search_and_suggestions(names: Names) -> None:
    assert names.search("商湯")[0][1].iri == KGR + "SenseTime"
    with pytest.raises(EntityNotFound) as err:
        names.resolve("唐傑傑")  # a typo, in Traditional characters
    assert err.value.suggestions[0].iri == TANG_JIE


def test_normalise_folds_case_width_and_spacing() -> None:
    assert normalise("  Ｚｈｉｐｕ\u3000AI ") == "zhipu ai"


def test_a_typo_names_the_closest_entity(names: Names) -> None:
    with pytest.raises(EntityNotFound) as err:
        names.resolve("kgr:TangJei")
    assert err.value.exit_code == 2
    assert err.value.suggestions[0].iri == TANG_JIE
    assert "did you mean 唐杰 / Tang Jie (kgr:TangJie)" in str(err.value)


@pytest.mark.parametrize(
    ("typed", "local"),
    [
        ("唐洁", "TangJie"),  # a homophone typo: same sound, another character
        ("張朋", "ZhangPeng"),  # homophone, in Traditional characters
        ("zhang fang", "ZhangFan"),  # pinyin with a typo
        ("shangtang", "SenseTime"),  # 商汤 in pinyin, which no label spells
        ("shang tang ke ji", "SenseTime"),
    ],
)
def test_names_by_sound_get_their_did_you_mean(names: Names, typed: str, local: str) -> None:
    with pytest.raises(EntityNotFound, match="did you mean") as err:
        names.resolve(typed)
    assert err.value.suggestions[0].iri == KGR + local


def test_suggestions_best_first_and_cut_off() -> None:
    entries = [
        Entry(KGR + "TangJie", labels={"zh": "唐杰"}),
        Entry(KGR + "TangJiang", labels={"zh": "唐江"}),
        Entry(KGR + "Tanja", labels={"en": "Tanja"}),
        Entry(KGR + "Zhipu", labels={"zh": "智谱"}),
    ]
    names = Names(entries)
    found = [e.iri for e in names.suggest("唐洁", limit=3)]
    assert found == [KGR + "TangJie"]  # the exact sound, alone: the others are > 0.1 behind
    found = [e.iri for e in names.suggest("tangjia", limit=3)]
    assert found[0] in {KGR + "TangJie", KGR + "TangJiang"} and KGR + "Zhipu" not in found
    assert names.suggest("tangjiang", limit=1) == [names.entry(KGR + "TangJiang")]


CITIES = ["Hangzhou", "Hangzhu", "Hanzhong", "Changzhou", "Zhengzhou", "Shanghai"]


def test_several_suggestions_come_best_first_within_a_tenth_of_the_best() -> None:
    names = Names([Entry(KGR + city, labels={"en": city}) for city in CITIES])
    # difflib ratios against "hangzhoo": Hangzhou .875, Changzhou .824, Hangzhu .800,
    # Hanzhong .750 (more than .1 behind the best: cut), Zhengzhou .706, Shanghai .625
    best = [KGR + "Hangzhou", KGR + "Changzhou", KGR + "Hangzhu"]
    assert [e.iri for e in names.suggest("Hangzhoo", limit=5)] == best
    assert [e.iri for e in names.suggest("Hangzhoo", limit=2)] == best[:2]
    with pytest.raises(
        EntityNotFound, match=r"did you mean Hangzhou .* or Changzhou .* or Hangzhu"
    ):
        names.resolve("Hangzhoo")


def test_undeclared_terms_suggest_the_closest_first(graph: kg.KnowledgeGraph) -> None:
    [warning] = unknown_terms(graph.engine, "SELECT ?x WHERE { ?x kg:investr ?y }")
    assert warning.endswith("did you mean kg:investor or kg:investee or kg:involves?")
    [warning] = unknown_terms(graph.engine, "SELECT ?x WHERE { ?x a kg:Compny }")
    assert warning.endswith("did you mean kg:Company or kg:CompanyGroup or kg:Comparison?")


def test_unknown_query_names_suggest_the_closest_first() -> None:
    with pytest.raises(KeyError, match="did you mean model_releases or model_lineage\\? known"):
        load_query("model_release")
    with pytest.raises(KeyError, match="did you mean funding_by_city or funding_timeline\\? known"):
        load_query("funding_by_cty")


def test_nothing_close_says_how_to_find_names(names: Names) -> None:
    with pytest.raises(EntityNotFound, match="kg search"):
        names.resolve("qqqqqqqqqqqqqqqqqqqqq")


def test_ambiguous_names_list_candidates_with_types() -> None:
    twins = Names(
        [
            Entry("urn:a", {"zh": "同名", "en": "Same"}, types=["kg:Person"]),
            Entry("urn:b", {"zh": "同名", "en": "Other"}, types=["kg:Company"]),
        ]
    )
    with pytest.raises(AmbiguousEntity) as err:
        twins.resolve("同名")
    assert err.value.candidates == ["urn:a", "urn:b"]
    assert err.value.exit_code == 2
    message = str(err.value)
    assert "kg:Person" in message and "kg:Company" in message and "<urn:a>" in message


def test_search_ranks_exact_matches_first(names: Names) -> None:
    found = names.search("tang")
    assert found[0][1].iri == TANG_JIE
    assert names.search("唐杰")[0][0] == 1.0


# ---------------------------------------------------------------- unknown terms in queries
def test_mentioned_terms_skip_strings_comments_and_redeclared_prefixes() -> None:
    text = 'PREFIX kg: <urn:x#> SELECT * { ?x a kg:Other ; rdfs:label "kgr:No" ; ?p kgr:Yes } #kg:N'
    assert mentioned_terms(text) == [KGR + "Yes"]


def test_undeclared_class_and_unknown_resource_are_named(graph: kg.KnowledgeGraph) -> None:
    text = "SELECT ?x WHERE { ?x a kg:Compny ; kg:ceo kgr:TangJei }"
    warnings = unknown_terms(graph.engine, text)
    assert len(warnings) == 3
    assert "kg:Compny is not declared in the ontology; did you mean kg:Company" in warnings[0]
    assert "kg:ceo is not declared" in warnings[1]
    assert "kgr:TangJei is not in the data" in warnings[2] and "kgr:TangJie" in warnings[2]
    assert unknown_terms(graph.engine, "SELECT ?x WHERE { ?x a kg:Company ; kg:x kgr:Zhipu }")[
        0
    ].startswith("kg:x is not declared")


def test_escaped_local_names_are_read_as_sparql_reads_them(graph: kg.KnowledgeGraph) -> None:
    assert mentioned_terms(r"SELECT * { ?x a kg:Com\.pany }") == [PREFIXES["kg"] + "Com.pany"]
    escaped = unknown_terms(graph.engine, r"ASK { ?x a kg:Com\.pany }")
    assert escaped == unknown_terms(graph.engine, "ASK { ?x a kg:Com.pany }")
    assert escaped[0].startswith("kg:Com.pany is not declared in the ontology;")


# ---------------------------------------------------------------- the command line
def test_named_query_takes_a_chinese_label() -> None:
    code, out, _ = invoke("query", "--name", "evidence_for_entity", "-p", "entity=唐杰")
    assert code == 0, out
    assert "ev:wudao-project" in out and "唐杰" in out
    assert "0 row(s)" not in out


def test_named_query_takes_an_english_city_name() -> None:
    code, out, _ = invoke(
        "query", "--name", "funding_by_city", "-p", "city=Beijing", "--format", "csv"
    )
    assert code == 0, out
    rows = out.strip().splitlines()[1:]
    assert rows and all(row.startswith(KGR + "Beijing,") for row in rows)


def test_typo_in_a_parameter_warns_and_does_not_exit_zero() -> None:
    code, out, err = invoke("query", "--name", "claims_by_speaker", "-p", "speaker=kgr:TangJei")
    assert code == 2
    assert "warning: parameter 'speaker'" in err and "kgr:TangJie" in err
    assert "0 row(s)" in out  # the answer is shown, and flagged


def test_unknown_label_in_a_parameter_is_an_error_with_suggestions() -> None:
    code, _, err = invoke("query", "--name", "evidence_for_entity", "-p", "entity=Tang Jei")
    assert code == 2 and "did you mean" in err and "kgr:TangJie" in err


def test_ask_on_an_unknown_entity_does_not_answer_a_plain_no() -> None:
    code, out, err = invoke("query", "ASK { kgr:Shangai a kg:City }")
    assert code == 2
    assert "kgr:Shangai is not in the data" in err and "did you mean" in err
    code, out, _ = invoke("query", "ASK { kgr:Beijing a kg:City }")
    assert code == 0 and "yes" in out.lower()


def test_a_query_with_an_undeclared_class_warns() -> None:
    code, _, err = invoke("query", "SELECT ?x WHERE { ?x a kg:Compny }")
    assert code == 2 and "did you mean kg:Company" in err


def test_path_between_two_names_of_one_entity_says_so() -> None:
    code, out, _ = invoke("path", "Zhipu", "智谱")
    assert code == 0
    assert "both name" in out and "kgr:Zhipu" in out and "hop" not in out


def test_path_typo_suggests() -> None:
    code, _, err = invoke("path", "Tang Jei", "智谱")
    assert code == 2 and "kgr:TangJie" in err


def test_central_prints_curies() -> None:
    code, out, _ = invoke("central", "--top", "3")
    assert code == 0 and "kgr:Zhipu" in out and "https://" not in out


def test_viz_focus_takes_any_form_of_a_name(tmp_path: Path) -> None:
    code, out, err = invoke("viz", "-o", str(tmp_path / "x.html"), "--focus", "ｔａｎｇ ｊｉｅ")
    assert code == 0, err
    assert "focus view" in out


# ---------------------------------------------------------------- the server
@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start(["--workers", "1"], tmp_path_factory.mktemp("names") / "stderr.log")
    yield running
    running.stop()


def get(server: RunningServer, path: str) -> tuple[int, str]:
    connection = server.connection()
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


@pytest.mark.parametrize("name", ["唐杰", "唐傑", "Tang Jie", "TangJie", "kgr:TangJie"])
def test_entity_page_by_any_name(server: RunningServer, name: str) -> None:
    status, body = get(server, "/entity/" + urllib.parse.quote(name, safe=""))
    assert status == 200, body
    assert "kgr:TangJie" in body and "唐杰" in body


def test_entity_page_of_a_reported_event_heads_its_statements_as_reported(
    server: RunningServer,
) -> None:
    status, body = get(server, "/entity/TalentDeal-Meta-OpenAI")
    assert status == 200
    assert "报道所述,未经证实 · As reported, unconfirmed" in body
    assert "Claim-Reports-MetaHires" in body and "Facts and evidence" not in body
    status, body = get(server, "/entity/TalentDeal-Microsoft-Inflection")
    assert "Facts and evidence" in body and "As reported" not in body


def test_entity_page_typo_suggests(server: RunningServer) -> None:
    status, body = get(server, "/entity/TangJei")
    assert status == 404
    assert "Did you mean" in body and "/entity/TangJie" in body


def test_explorer_focus_by_english_label(server: RunningServer) -> None:
    status, body = get(server, "/explore?focus=Tang%20Jie")
    assert status == 200, body
    assert "唐杰" in body


def test_explorer_focus_typo_suggests(server: RunningServer) -> None:
    status, body = get(server, "/explore?focus=Tang%20Jei")
    assert status == 404 and "kgr:TangJie" in body


def test_resolving_a_label_parameter_imports_no_heavy_module() -> None:
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from kg.cli.main import main\n"
        "try:\n"
        "    main(['query', '--name', 'evidence_for_entity', '-p', 'entity=唐杰'])\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        "heavy = ('rdflib', 'networkx', 'pyvis', 'pyshacl', 'owlrl', 'pandas')\n"
        "print('LOADED', sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "LOADED []"


# ---------------------------------------------------------------- describe, search, the API
def test_describe_prints_the_card_with_quotes_and_offsets() -> None:
    code, out, _ = invoke("describe", "唐杰")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "唐杰 / Tang Jie" and lines[1].startswith("kgr:TangJie")
    assert "kg:Person" in lines[2]
    assert (
        "“这是唐杰与100余位AI科学家近三年联合攻关的成果” (ev:wudao-project, chars 352–377)" in out
    )
    assert out == invoke("describe", "kgr:TangJie")[1] == invoke("describe", "tang jie")[1]


def test_describe_groups_facts_by_kind_with_their_fields_as_the_entity_page_does() -> None:
    code, out, _ = invoke("describe", "智谱")
    assert code == 0
    headings = [line for line in out.splitlines() if line.startswith("— ")]
    assert headings[0].startswith("— 融资 · Funding (")
    names = [h.split(" (")[0].removeprefix("— ") for h in headings]
    assert len(names) == len(set(names)) >= 4, names  # each kind once
    funding = out.split(headings[0], 1)[1].split(headings[1], 1)[0]
    # 3月,连跑珠海、成都、杭州三地签下18亿元国资: the event's own fields under its row, once
    assert funding.count("投资方 (kg:investor) 珠海国资平台 (kgr:Zhuhai-StatePlatform)") == 1
    assert "“3月,连跑珠海、成都、杭州三地签下18亿元国资”" in funding
    # 当时智谱刚完成过亿元的A轮融资: the amount as written, a bound, not a value
    assert '金额 (kg:amount) "过亿元"' in funding


def test_describe_lists_a_reported_events_figures_as_reported_not_as_facts() -> None:
    """Meta's hires are known only from a press report: the card says so before the figures."""
    code, out, _ = invoke("describe", "kgr:TalentDeal-Meta-OpenAI", "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert lines[4] == (
        "仅见于报道,未经证实 known only from a report, unconfirmed: "
        "Reported: Meta hires at least 7 from OpenAI for US$300 million over 4 years "
        "(kgr:Claim-Reports-MetaHires)"
    )
    assert lines[5].startswith("报道所述 as reported (") and "事实 facts" not in out
    assert out.index('"3亿美元"') > out.index("报道所述")  # the figure, under the report
    code, out, _ = invoke("describe", "kgr:TalentDeal-Microsoft-Inflection")
    assert code == 0 and "事实 facts (" in out and "报道所述" not in out


def test_describe_lists_aliases_and_names_a_typo() -> None:
    code, out, _ = invoke("describe", "Zhipu AI")
    assert code == 0 and "中国版OpenAI" in out.splitlines()[3]
    code, _, err = invoke("describe", "Zhipo AI")
    assert code == 2 and "kgr:Zhipu" in err


def test_search_ranks_labels_then_lists_quotes() -> None:
    code, out, _ = invoke("search", "登山")
    assert code == 0
    assert "kgr:Claim-TangJie-Summit" in out.splitlines()[0]
    assert "ev:tangjie-summit (1587–1613)" in out
    assert invoke("search", "zzzzzzzz")[0] == 1


def test_python_api_resolves_names(graph: kg.KnowledgeGraph) -> None:
    assert graph.resolve("Tang Jie") == TANG_JIE
    assert graph.search("唐杰")[0][1].iri == TANG_JIE
    assert graph.quotes("登山")[0][0].endswith("tangjie-summit")
    with pytest.raises(EntityNotFound, match="did you mean 唐杰"):
        graph.resolve("kgr:TangJei")


def test_every_named_query_uses_only_known_terms(graph: kg.KnowledgeGraph, names: Names) -> None:
    from kg.query.catalogue import load_catalogue

    for name, query in load_catalogue().items():
        assert unknown_terms(graph.engine, query.text, names) == [], name
