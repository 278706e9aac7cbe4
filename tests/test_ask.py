"""Ask in words: questions as people type them, routed to the right named query (golden cases)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import kg
from kg.query.ask import PHRASES_FILE, NoMatchingPhrase, load_phrases, route
from kg.query.catalogue import load_catalogue

# question as typed → (named query, its parameters); names stay as typed (the resolver takes them)
GOLDEN: list[tuple[str, str, dict[str, str]]] = [
    ("谁投资了智谱?", "funding_timeline", {}),
    ("谁投资了智谱", "funding_timeline", {}),
    ("誰投資了智譜？", "funding_timeline", {}),
    ("智谱融了多少钱？", "funding_timeline", {}),
    ("Who funded Zhipu?", "funding_timeline", {}),
    ("who invested in zhipu", "funding_timeline", {}),
    ("How much money did Zhipu raise?", "funding_timeline", {}),
    ("哪些城市投资了智谱", "funding_by_city", {}),
    ("成都的国资投了智谱多少?", "funding_by_city", {"city": "成都"}),
    ("How much did Chengdu invest in Zhipu?", "funding_by_city", {"city": "chengdu"}),
    ("北京投资了智谱吗？", "zhipu_funded_from_city", {"city": "北京"}),
    ("杭州投資了智譜嗎", "zhipu_funded_from_city", {"city": "杭州"}),
    ("Did Beijing invest in Zhipu?", "zhipu_funded_from_city", {"city": "beijing"}),
    ("did shanghai fund zhipu", "zhipu_funded_from_city", {"city": "shanghai"}),
    ("智谱一共拿了多少国资?", "state_capital_total", {}),
    ("How much state capital did Zhipu raise in total?", "state_capital_total", {}),
    ("智谱什么时候上市?", "listing_plan", {}),
    ("When will Zhipu go public?", "listing_plan", {}),
    ("What is SenseTime's listing plan?", "listing_plan", {"company": "sensetime"}),
    ("智谱亏了多少钱", "revenue_and_loss", {}),
    ("智谱2024年的收入", "revenue_and_loss", {"year": "2024"}),
    ("Zhipu revenue in 2024?", "revenue_and_loss", {"year": "2024"}),
    ("谁离开了智谱？", "departures", {}),
    ("Which executives left Zhipu?", "departures", {}),
    ("张鹏在智谱担任什么职务？", "people_and_posts", {"person": "张鹏"}),
    ("What is Tang Jie's role at Zhipu?", "people_and_posts", {"person": "tang jie"}),
    ("唐杰说了什么", "claims_by_speaker", {"speaker": "唐杰"}),
    ("張鵬說了什麼？", "claims_by_speaker", {"speaker": "张鹏"}),
    ("What did Zhang Peng say?", "claims_by_speaker", {"speaker": "zhang peng"}),
    ("文章的论点是什么？", "article_argument", {}),
    ("What does the author argue?", "article_argument", {}),
    ("智谱面临哪些困境", "challenges", {}),
    ("What problems does SenseTime have?", "challenges", {"entity": "sensetime"}),
    ("智谱发布了哪些模型？", "model_releases", {}),
    ("When was GLM-130B released?", "model_releases", {}),
    ("GLM-130B基于什么模型", "model_lineage", {}),
    ("唐杰的AGI五个阶段是什么？", "roadmap_stages", {}),
    ("How far is Zhipu on its AGI roadmap?", "roadmap_progress", {}),
    ("智谱降价了多少？", "price_per_million_tokens", {}),
    ("What does the API cost per million tokens?", "price_per_million_tokens", {}),
    ("智谱的竞争对手是谁？", "rivals_and_comparisons", {"entity": "智谱"}),
    ("Who competes with Zhipu?", "rivals_and_comparisons", {}),
    ("商汤市值跌了多少", "sensetime_market_value", {}),
    ("How did Zhipu change its strategy?", "strategic_shifts", {}),
    ("谁走全国产路线？", "technical_approaches", {}),
    ("List all organisations", "organisations", {}),
    ("2025年4月发生了什么？", "events_in_month", {"month": "2025-04"}),
    ("What happened in April 2025?", "events_in_month", {"month": "2025-04"}),
    ("events in 2025-03", "events_in_month", {"month": "2025-03"}),
    ("原文哪里提到商汤？", "evidence_for_entity", {"entity": "商汤"}),
    ("Where does the article mention WuDao?", "evidence_for_entity", {"entity": "wudao"}),
    ("Everything about Tang Jie", "entity_neighbourhood", {"entity": "tang jie"}),
    ("Where do sources disagree?", "conflicting_facts", {}),
    ("Which facts are corroborated?", "corroborated_facts", {}),
    ("Facts without a second source", "facts_without_second_source", {}),
]


@pytest.fixture(scope="module")
def graph() -> kg.KnowledgeGraph:
    return kg.load()


@pytest.mark.parametrize(("question", "query", "params"), GOLDEN, ids=[g[0] for g in GOLDEN])
def test_question_routes_to_its_named_query(
    graph: kg.KnowledgeGraph, question: str, query: str, params: dict[str, str]
) -> None:
    match = route(question, graph.layout, graph.names)
    assert (match.query, dict(match.params)) == (query, params)


def test_golden_questions_are_many_and_cover_both_languages() -> None:
    zh = [q for q, _, _ in GOLDEN if any("\u4e00" <= c <= "\u9fff" for c in q)]
    assert len(GOLDEN) >= 40 and len(zh) >= 20 and len(GOLDEN) - len(zh) >= 20


def test_phrase_table_covers_every_named_query_and_has_forty_phrases(
    graph: kg.KnowledgeGraph,
) -> None:
    catalogue = load_catalogue(graph.layout)
    kinds = {name: [p.name for p in q.params] for name, q in catalogue.items()}
    table = load_phrases(graph.layout.queries_dir / PHRASES_FILE, kinds)
    assert len(table.phrases) >= 40
    assert {p.query for p in table.phrases} == set(catalogue)
    for lang in ("zh", "en"):
        assert {p.query for p in table.phrases if p.lang == lang} == set(catalogue), lang


def test_a_slot_whose_name_is_unknown_does_not_match(graph: kg.KnowledgeGraph) -> None:
    with pytest.raises(NoMatchingPhrase, match="no named query answers") as caught:
        route("Did Atlantis invest in Zhipu?", graph.layout, graph.names)
    assert "did {city} invest in zhipu" in [p.text for p in caught.value.closest]


def test_unmatched_question_gets_the_closest_phrases_in_its_language(
    graph: kg.KnowledgeGraph,
) -> None:
    with pytest.raises(NoMatchingPhrase) as caught:
        route("谁给智谱投钱了", graph.layout, graph.names)
    closest = caught.value.closest
    assert closest[0].text == "谁给智谱投了钱"
    assert all(p.lang == "zh" for p in closest)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("funding_timeline\tzh", "expected query<TAB>lang<TAB>phrase"),
        ("no_such_query\tzh\t谁", "no named query 'no_such_query'"),
        ("funding_timeline\tfr\tqui", "language 'fr'"),
        ("funding_by_city\ten\tdid {town} pay", r"\{town\} is not a parameter of funding_by_city"),
    ],
)
def test_malformed_phrase_table_names_file_and_line(
    tmp_path: Path, line: str, message: str
) -> None:
    table = tmp_path / PHRASES_FILE
    table.write_text("# header\nfunding_timeline\ten\twho funded zhipu\n" + line + "\n")
    kinds = {"funding_timeline": [], "funding_by_city": ["city"]}
    with pytest.raises(ValueError, match=f"{table}:3: {message}"):
        load_phrases(table, kinds)


def kg_ask(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", "ask", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_answers_with_evidence_and_names_the_query() -> None:
    out = kg_ask("Who funded Zhipu?", "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert "→ kg query --name funding_timeline" in out.stderr
    header, *rows = out.stdout.splitlines()
    assert "quote" in header.split(",")
    assert any("18亿元" in row for row in rows)


def test_cli_unmatched_question_exits_2_with_the_closest_phrases() -> None:
    out = kg_ask("how tall is the eiffel tower")
    assert out.returncode == 2
    assert out.stderr.startswith("error: no named query answers")
    assert "try:" in out.stderr and "Traceback" not in out.stderr
