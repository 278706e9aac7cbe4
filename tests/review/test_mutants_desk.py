"""The desk (:mod:`kg.review.desk`) on a small data folder: each decision, its message, its refusal.

``test_desk.py`` runs whole reviews on a copy of all the data; here the folder holds only the
ontology, the shapes, the entities and the source the desk's draft quotes, so each decision
(validated by the project's own checks before it is written) takes about a second, and a
planted bug in the desk meets a test that names what it changed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from desk_bench import FIXTURES, P, small_folder
from rdflib import Dataset, Literal, URIRef

from kg.data import paths
from kg.data.namespaces import KG, PROVENANCE_GRAPH
from kg.data.paths import DataLayout, InstalledDataError
from kg.data.prefixes import PREFIXES
from kg.errors import InvalidValue, NotFound
from kg.review.desk import Desk, Refused, _expand, _serialize, _short, _source_of, _user
from kg.review.document import Draft
from kg.review.journal import DeskLock

KGR, EV = PREFIXES["kgr"], PREFIXES["ev"]
SOURCE = "Source-cd35c5bbcc4e"


@pytest.fixture
def small(tmp_path: Path) -> tuple[DataLayout, Path, Path]:
    """A data folder of the ontology, shapes, entities and the recorded source; draft; article."""
    return small_folder(tmp_path)


def reviewed(layout: DataLayout) -> Dataset:
    data = Dataset(default_union=True)
    data.parse(layout.sources_dir / f"{SOURCE}.trig", format="trig")
    return data


# ---------------------------------------------------------------- helpers
def test_who_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "env-user")
    monkeypatch.setenv("USERNAME", "win-user")
    assert _user("  lin ") == "lin"
    assert _user(None) == "env-user"
    monkeypatch.delenv("USER")
    assert _user(None) == "win-user"
    monkeypatch.setenv("USERNAME", "  ")
    with pytest.raises(InvalidValue, match=r"^who decides\? give --user NAME \(or set \$USER\)$"):
        _user(None)
    monkeypatch.delenv("USERNAME")
    with pytest.raises(InvalidValue, match="who decides"):
        _user("")


@pytest.mark.parametrize(
    ("name", "iri"),
    [
        ("kg:investor", PREFIXES["kg"] + "investor"),
        (" kgr:Zhipu ", KGR + "Zhipu"),
        ("Zhipu", KGR + "Zhipu"),
        ("http://example.org/x", "http://example.org/x"),
        ("https://example.org/x", "https://example.org/x"),
        ("nope:x", KGR + "nope:x"),
        ("kg://x", KGR + "kg://x"),
        ("kgr:a:b", KGR + "a:b"),
    ],
)
def test_names_expand_to_iris(name: str, iri: str) -> None:
    assert _expand(name) == URIRef(iri)


@pytest.mark.parametrize(
    ("iri", "short"),
    [
        (EV + "draft-1", "draft-1"),
        (KGR + "Zhipu", "Zhipu"),
        (PREFIXES["kg"] + "investor", "investor"),
        ("http://example.org/x", "http://example.org/x"),
    ],
)
def test_names_are_shown_short(iri: str, short: str) -> None:
    assert _short(URIRef(iri)) == short


def test_a_dataset_is_written_with_its_header_prefixes_and_graphs() -> None:
    data = Dataset()
    graph = URIRef(EV + "g")
    data.graph(graph).add((URIRef(KGR + "A"), KG.investor, URIRef(KGR + "B")))
    data.graph(PROVENANCE_GRAPH).add((graph, KG.status, KG.Draft))
    text = _serialize(data, "# header\n").decode("utf-8")
    assert text.startswith("# header\n")
    for prefix in ("kg", "kgr", "ev", "kgg"):  # rdflib writes the prefixes the data uses
        assert f"@prefix {prefix}: <{PREFIXES[prefix]}> ." in text
    back = Dataset()
    back.parse(data=text, format="trig")
    assert set(back.quads((None, None, None, None))) == set(data.quads((None, None, None, None)))
    assert "ev:g {" in text and "kgr:A kg:investor kgr:B" in text


def test_the_source_is_the_first_iri_a_proposal_quotes(tmp_path: Path) -> None:
    draft = Draft.read(FIXTURES / "xinghe-news.draft.trig")
    assert _source_of(draft) == URIRef(KGR + SOURCE)
    path = tmp_path / "d.trig"
    path.write_text(
        "@prefix oa: <http://www.w3.org/ns/oa#> .\n"
        '<https://w3id.org/zhipu-kg/graph/provenance> { [] oa:hasSource "text" . }\n',
        encoding="utf-8",
    )
    assert _source_of(Draft.read(path)) is None


# ---------------------------------------------------------------- opening
def test_the_desk_finds_its_target_and_its_article(
    small: tuple[DataLayout, Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    layout, draft, text = small
    with Desk(layout, draft, user="lin", text=text) as desk:
        assert DeskLock(draft.resolve()).path.exists()  # held while the desk is open
    assert not DeskLock(draft.resolve()).path.exists()
    assert URIRef(PREFIXES["kg"] + "Company") in desk.terms.classes
    assert URIRef(PREFIXES["kg"] + "investor") in desk.terms.roles
    assert desk.target == layout.sources_dir / f"{SOURCE}.trig"
    assert desk.path == draft.resolve() and desk.user == "lin"
    assert desk.text is not None and desk.text.path == text
    assert desk.text.text == text.read_text(encoding="utf-8")
    assert desk.text.sha256 == desk._recorded(KG.sha256)
    monkeypatch.chdir(tmp_path)  # the article's recorded name, found in the working folder
    assert Desk(layout, draft, user="lin").text is not None
    monkeypatch.chdir(layout.root)  # not there: none
    assert Desk(layout, draft, user="lin").text is None
    shutil.copy(text, draft.parent / text.name)  # beside the draft
    found = Desk(layout, draft, user="lin").text
    assert found is not None and found.path == draft.parent / text.name


def test_the_desk_refuses_another_article_and_a_missing_one(
    small: tuple[DataLayout, Path, Path], tmp_path: Path
) -> None:
    layout, draft, _ = small
    other = tmp_path / "other.txt"
    other.write_text("另一篇文章。", encoding="utf-8")
    with pytest.raises(
        InvalidValue,
        match=rf"^{other}: not the draft's article \(its SHA-256 is [0-9a-f]{{12}}…, the "
        r"source's is [0-9a-f]{12}…\)$",
    ):
        Desk(layout, draft, user="lin", text=other)
    with pytest.raises(NotFound, match=rf"^{tmp_path / 'gone.txt'}: no such article$"):
        Desk(layout, draft, user="lin", text=tmp_path / "gone.txt")


def test_a_draft_with_no_source_left_has_no_target(
    small: tuple[DataLayout, Path, Path], tmp_path: Path
) -> None:
    layout, _, _ = small
    bare = tmp_path / "bare.trig"
    bare.write_text("<https://w3id.org/zhipu-kg/graph/provenance> { }\n", encoding="utf-8")
    desk = Desk(layout, bare, user="lin")
    assert desk.text is None and desk._recorded(KG.sha256) is None
    with pytest.raises(InvalidValue, match=r"bare\.trig: no proposal left names its source"):
        _ = desk.target


def test_the_installed_copy_is_refused_for_kg_review(tmp_path: Path) -> None:
    installed = paths._INSTALLED_DIR.resolve()
    with pytest.raises(InstalledDataError, match=r"^kg review would write into the installed"):
        Desk(DataLayout(installed), tmp_path / "x.trig", user="a")


def test_the_desk_knows_the_problems_the_data_has_already(
    small: tuple[DataLayout, Path, Path],
) -> None:
    layout, draft, text = small
    desk = Desk(layout, draft, user="lin", text=text)
    known = desk._known(None)
    assert known and all(p.startswith("[shacl] kgr:Inference-") for p in known)


# ---------------------------------------------------------------- deciding
def test_a_decision_that_breaks_the_data_is_refused_with_the_first_reason_and_a_count(
    small: tuple[DataLayout, Path, Path],
) -> None:
    layout, draft, text = small
    before = draft.read_bytes()
    with Desk(layout, draft, user="lin", text=text) as desk:
        with pytest.raises(
            Refused,
            match=rf"^accept {P}000021-1 refused, nothing written: \[amount\] .*'12亿元'.* "
            r"\(and 1 more\)$",
        ):
            desk.accept(P + "000021-1")
        with pytest.raises(
            Refused,
            match=rf"^accept {P}000087-1 refused, nothing written: \[shacl\] "
            r"kgr:New-HangzhouChengtouFund \(shape\): rdfs:label: needs an rdfs:label in "
            r"English \(@en\)$",
        ):
            desk.accept(P + "000087-1")
    assert draft.read_bytes() == before


def test_each_decision_says_what_it_did_and_records_who_and_why(
    small: tuple[DataLayout, Path, Path],
) -> None:
    layout, draft, text = small
    with Desk(layout, draft, user="lin", text=text) as desk:
        assert desk.reject(P + "000111-1", note="an opinion") == f"reject {P}000111-1"
        assert (
            desk.edit(P + "000087-1", "currency", "USD")
            == f"edit {P}000087-1: amount: currency USD"
        )
        assert desk.same_as("New-BeijingShiAIFund", "北京市人工智能产业投资基金") == (
            "same-as New-BeijingShiAIFund: kgr:New-BeijingShiAIFund is kgr:BeijingAIFund"
        )
        assert (
            desk.undo()
            == "same-as New-BeijingShiAIFund: kgr:New-BeijingShiAIFund is kgr:BeijingAIFund"
        )
    data = reviewed(layout)
    decisions = sorted(
        (str(data.value(d, KG.decision)), str(data.value(d, KG.reviewer)))
        for d in data.subjects(KG.decision, None)
    )
    assert decisions == [("edit", "lin"), ("reject", "lin")]
    assert (None, KG.reviewNote, Literal("an opinion")) in data
    assert [p.name for p in Draft.read(draft).proposals()] == [
        P + "000021-1",
        P + "000057-1",
        P + "000087-1",
    ]
    assert draft.read_text(encoding="utf-8").startswith(
        "# A draft under review with `kg review`: what is left to decide.\n"
    )
    assert (
        (layout.sources_dir / f"{SOURCE}.trig")
        .read_text(encoding="utf-8")
        .startswith("# Reviewed facts of one source, written by `kg review` (contract 2)")
    )


def test_edits_of_amount_date_role_and_names_then_an_accept(
    small: tuple[DataLayout, Path, Path],
) -> None:
    layout, draft, text = small
    with Desk(layout, draft, user="lin", text=text) as desk:
        said = desk.edit(P + "000021-1", "amount", "1200000000")
        assert said.startswith(f"edit {P}000021-1: ") and said.endswith("value 1200000000")
        assert desk.edit(P + "000021-1", "date", "2026-03").endswith("date 2026-03")
        # a role's names: a draft entity by its label or IRI, an entity of the data by name
        assert desk.edit(
            P + "000021-1", "kg:investor", " 星河资本 ; kgr:New-ZhouMing;; 智谱 "
        ).endswith("kg:investor = kgr:New-XingheZiben, kgr:New-ZhouMing, kgr:Zhipu")
        assert desk.edit(P + "000021-1", "kg:investor", "星河资本").endswith(
            "kg:investor = kgr:New-XingheZiben"
        )
        named = desk.name_entity("kgr:New-XingheZiben", label_en="Xinghe Capital", cls="kg:Company")
        assert named.startswith("edit New-XingheZiben: ")
        assert desk.accept(P + "000021-1") == f"accept {P}000021-1"
        with pytest.raises(NotFound, match="no entity is called '完全不存在的机构名称'"):
            desk.edit(P + "000087-1", "kg:investor", "完全不存在的机构名称")
    data = reviewed(layout)
    fact = URIRef(KGR + "Draft-cd35c5bb-000021-1")
    assert str(data.value(fact, KG.date)) == "2026-03"
    assert set(data.objects(fact, KG.investor)) == {URIRef(KGR + "New-XingheZiben")}


def test_a_created_entity_is_named_in_both_languages(small: tuple[DataLayout, Path, Path]) -> None:
    layout, draft, text = small
    with Desk(layout, draft, user="lin", text=text) as desk:
        assert desk.create_entity("上海云帆科技", "Shanghai Yunfan", "kg:Company", note="n") == (
            "create New-ShanghaiYunfan: 上海云帆科技 / Shanghai Yunfan, kg:Company"
        )
        assert URIRef(KGR + "New-ShanghaiYunfan") in desk.draft().new_entities()
        assert desk.resolve(desk.draft(), "Shanghai Yunfan") == URIRef(KGR + "New-ShanghaiYunfan")
        assert desk.resolve(None, "智谱") == URIRef(KGR + "Zhipu")


def test_problems_the_data_had_already_are_not_the_desks(
    small: tuple[DataLayout, Path, Path],
) -> None:
    layout, draft, text = small
    broken = layout.triples_dir / "broken.trig"
    broken.write_text(
        "@prefix kg: <https://w3id.org/zhipu-kg/ontology#> .\n"
        "@prefix kgr: <https://w3id.org/zhipu-kg/resource/> .\n"
        "<https://w3id.org/zhipu-kg/graph/curation> { kgr:Broken kg:undeclaredTerm 1 . }\n",
        encoding="utf-8",
    )
    with Desk(layout, draft, user="lin", text=text) as desk:
        assert desk.reject(P + "000111-1") == f"reject {P}000111-1"
        assert desk.reject(P + "000057-1") == f"reject {P}000057-1"
