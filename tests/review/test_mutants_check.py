"""The desk's check before it writes (:mod:`kg.review.check`), on a small data folder.

:func:`~kg.review.check.problems` assembles the data with some files replaced by what a decision
would write, and runs the project's checks on it: each test replaces the source's reviewed file
with one that breaks one rule, and reads the problem found, or none.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from desk_bench import FIXTURES

from kg.data.paths import DataLayout
from kg.data.source import SourceText
from kg.data.sources import add_source
from kg.data.store import LoadError
from kg.review import check
from kg.review.check import problems

ROOT = Path(__file__).resolve().parents[2]
SHA = "cd35c5bbcc4e7bea75800aaf5034cc30b7af84e958d6ef30846a75bea0c68c46"
QUOTE = "2026年3月15日，智谱宣布完成新一轮12亿元融资，由星河资本领投。"
HEAD = """
@prefix ev: <https://w3id.org/zhipu-kg/evidence/> .
@prefix kgr: <https://w3id.org/zhipu-kg/resource/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
"""


@pytest.fixture
def small(tmp_path: Path) -> tuple[DataLayout, Path, SourceText]:
    """The ontology, shapes, entities and the recorded source; its file; the article."""
    root = tmp_path / "data"
    (root / "triples").mkdir(parents=True)
    for name in ("ontology.ttl", "shapes.ttl"):
        shutil.copy(ROOT / name, root / name)
    shutil.copy(ROOT / "triples" / "entities.trig", root / "triples" / "entities.trig")
    text = tmp_path / "xinghe-news.txt"
    shutil.copy(FIXTURES / "xinghe-news.txt", text)
    layout = DataLayout(root)
    add_source(layout, text, title="智谱完成新一轮融资", date="2026-03-16")
    source = layout.sources_dir / "Source-cd35c5bbcc4e.trig"
    return layout, source, SourceText(text, text.read_text(encoding="utf-8"), SHA)


def evidence(start: int, end: int, *, source: str = "Source-cd35c5bbcc4e", body: str = "") -> str:
    """An evidence graph quoting ``QUOTE`` at ``start``–``end`` of ``source``, stating ``body``."""
    return f"""{HEAD}
kgg:provenance {{
    ev:x a kg:Evidence ;
        prov:wasDerivedFrom [ a oa:SpecificResource ; oa:hasSource kgr:{source} ;
            oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "{QUOTE}" ] ,
                [ a oa:TextPositionSelector ; oa:start {start} ; oa:end {end} ] ] .
}}
ev:x {{ {body} }}
"""


def found(layout: DataLayout, replaced: dict[Path, bytes], text: SourceText | None) -> list[str]:
    """The problems, without those the small folder has already (inferences without evidence)."""
    return [str(p) for p in problems(layout, replaced, text) if "Inference-" not in str(p)]


def test_the_data_as_it_is_runs_every_check(small: tuple[DataLayout, Path, SourceText]) -> None:
    layout, _, text = small
    every = [str(p) for p in problems(layout, {}, text)]
    # the small folder's entities name inferences whose evidence it does not hold: SHACL says so
    assert every and all(p.startswith("[shacl] kgr:Inference-") for p in every)


def test_a_quote_off_its_offsets_is_found_when_the_article_is_at_hand(
    small: tuple[DataLayout, Path, SourceText],
) -> None:
    layout, source, text = small
    empty = "[graphs] ev:x: evidence is described but its graph holds no facts"
    right = source.read_bytes() + evidence(21, 56).encode()
    assert found(layout, {source: right}, text) == [empty]
    wrong = source.read_bytes() + evidence(22, 57).encode()
    [problem] = [p for p in found(layout, {source: wrong}, text) if p != empty]
    assert problem.startswith("[quote] ev:x: oa:exact is not the source text at 22–57")
    assert problem.endswith("the quote is at 21–56")
    assert found(layout, {source: wrong}, None) == [empty]  # no article: offsets unchecked


def test_a_quote_of_another_source_is_not_checked_against_this_article(
    small: tuple[DataLayout, Path, SourceText],
) -> None:
    layout, source, text = small
    described = (
        "\nkgg:provenance { <https://w3id.org/zhipu-kg/resource/Source-0000000000ff> "
        'a kg:SourceArticle ; kg:sha256 "00000000000000ff" . }\n'
    )
    other = source.read_bytes() + described.encode()
    other += evidence(22, 57, source="Source-0000000000ff").encode()
    assert not any(p.startswith("[quote]") for p in found(layout, {source: other}, text))


def test_an_undeclared_term_in_a_replaced_file_is_named_with_its_line(
    small: tuple[DataLayout, Path, SourceText],
) -> None:
    layout, source, text = small
    replaced = source.read_bytes() + evidence(21, 56, body='kgr:Zhipu kg:madeUp "x" .').encode()
    line = replaced.decode("utf-8").splitlines().index('ev:x { kgr:Zhipu kg:madeUp "x" . }') + 1
    assert found(layout, {source: replaced}, text) == [
        f"[vocabulary] {source.name}:{line}: property kg:madeUp is not declared in ontology.ttl; "
        "declare it there (type, rdfs:label and rdfs:comment in zh and en, rdfs:isDefinedBy) or "
        "use a declared term"
    ]


def test_a_new_file_is_checked_and_the_file_on_disk_is_not(
    small: tuple[DataLayout, Path, SourceText],
) -> None:
    layout, source, text = small
    source.write_text("this is not TriG {", encoding="utf-8")  # replaced: never read
    new = layout.sources_dir / "Source-new.trig"
    content = (
        "@prefix kg: <https://w3id.org/zhipu-kg/ontology#> .\n"
        "@prefix kgg: <https://w3id.org/zhipu-kg/graph/> .\n"
        + evidence(21, 56, source="Source-new", body='kgr:Zhipu kg:madeUp "x" .')
    )
    result = found(layout, {source: b"", new: content.encode()}, text)
    assert [p.split(":", 1)[0] for p in result if p.startswith("[vocabulary]")] == [
        "[vocabulary] Source-new.trig"
    ]


def test_an_amount_that_says_less_than_its_words_is_found(
    small: tuple[DataLayout, Path, SourceText],
) -> None:
    layout, source, text = small
    amount = (
        "kgr:F a kg:FundingEvent ; kg:investee kgr:Zhipu ; kg:amount [ a schema:MonetaryAmount ;"
        ' schema:value 12.0 ; schema:currency "CNY" ; kg:asWritten "12亿元" ] .'
    )
    replaced = source.read_bytes() + evidence(21, 56, body=amount).encode()
    assert any(
        p.startswith("[amount] kgr:F in ev:x: data says value=12.0")
        for p in found(layout, {source: replaced}, text)
    )


def test_a_replaced_file_that_does_not_parse_is_named_with_its_line(
    small: tuple[DataLayout, Path, SourceText],
) -> None:
    layout, source, text = small
    broken = source.read_bytes() + b"\nkgg:x { \n"
    line = broken.decode("utf-8").count("\n") + 1
    with pytest.raises(LoadError, match=rf"^{source}:{line}: syntax error: "):
        problems(layout, {source: broken}, text)


def test_a_file_is_parsed_once_per_version_and_read_again_once_changed(
    small: tuple[DataLayout, Path, SourceText],
) -> None:
    """The desk checks each decision against the whole data: a file it does not replace is
    parsed once while it stays as it is, and read again once it changes (a new version is a new
    modification time or size), the ontology's declarations too."""
    layout, source, text = small
    entities = layout.triples_dir / "entities.trig"
    replaced = source.read_bytes() + evidence(21, 56, body='kgr:Zhipu kg:madeUp "x" .').encode()
    before = check._parsed.cache_info().misses
    first = found(layout, {source: replaced}, text)
    parsed = check._parsed.cache_info().misses - before
    assert parsed >= 2  # the ontology and entities.trig, at least
    assert found(layout, {source: replaced}, text) == first
    assert check._parsed.cache_info().misses - before == parsed  # nothing parsed again
    entities.write_text(
        entities.read_text(encoding="utf-8") + "\nkgg:undescribed { kgr:Zhipu kgr:x kgr:y . }\n",
        encoding="utf-8",
    )
    again = found(layout, {source: replaced}, text)
    assert check._parsed.cache_info().misses - before == parsed + 1  # entities.trig alone
    assert again != first  # its new statement is checked
    ontology = layout.ontology.read_text(encoding="utf-8")
    layout.ontology.write_text(
        ontology + "\nkg:madeUp a owl:DatatypeProperty .\n", encoding="utf-8"
    )
    declared = found(layout, {source: replaced}, text)
    assert not any("kg:madeUp is not declared" in p for p in declared)
    assert any("kg:madeUp is not declared" in p for p in first)
