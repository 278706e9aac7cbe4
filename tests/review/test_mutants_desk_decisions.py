"""The desk's decisions (:class:`kg.review.desk.Desk`) on a small data folder, file by file.

Each test opens a real desk on ``desk_bench.small_folder`` (the ontology, the shapes, the
entities and one recorded source with its draft) and reads back what a decision wrote: the
draft's bytes against the draft changed by :mod:`kg.review.decide` alone, the source's file
with its decision records (who, when in UTC, what changed, why), the journal entry, the checks
remembered for the next decision, the bytes an undo gives back, and the exact line of a refusal.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from desk_bench import P, small_folder
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.compare import IsomorphicGraph, to_isomorphic
from rdflib.term import Node

from kg.data.namespaces import KG, PROV, PROVENANCE_GRAPH
from kg.data.paths import DataLayout
from kg.data.prefixes import PREFIXES
from kg.errors import InvalidValue, NotFound
from kg.review import decide
from kg.review import desk as desk_module
from kg.review.check import problems
from kg.review.desk import _DRAFT_HEADER, _TARGET_HEADER, Desk, Refused
from kg.review.document import Draft, draft_id
from kg.review.journal import journal_path, sha256

KGR, EV = PREFIXES["kgr"], PREFIXES["ev"]
SOURCE = "Source-cd35c5bbcc4e"
#: The problems the small folder has before any decision (two inferences name no evidence).
KNOWN = {
    "[shacl] kgr:Inference-GLM4Air-basedOn-GLM (shape): prov:wasDerivedFrom: an inference must "
    "name the evidence graphs it rests on (prov:wasDerivedFrom)",
    "[shacl] kgr:Inference-GLMZ1-basedOn-GLM (shape): prov:wasDerivedFrom: an inference must "
    "name the evidence graphs it rests on (prov:wasDerivedFrom)",
}


class Folder:
    """One small data folder: its desk, its files, and what they held when it was made."""

    def __init__(self, tmp: Path) -> None:
        self.layout, self.draft, self.text = small_folder(tmp)
        self.target = self.layout.sources_dir / f"{SOURCE}.trig"
        self.draft_bytes = self.draft.read_bytes()
        self.target_bytes = self.target.read_bytes()
        self.scratch = tmp / "expected.trig"

    def desk(self, **kwargs: object) -> Desk:
        return Desk(self.layout, self.draft, user="lin", text=self.text, **kwargs)  # type: ignore[arg-type]

    def expected_draft(self, data: bytes) -> Draft:
        """A draft read from ``data``, to change with :mod:`kg.review.decide` as the desk does."""
        self.scratch.write_bytes(data)
        return Draft.read(self.scratch)

    def decisions(self) -> list[dict[str, object]]:
        """The source's file's decision records, oldest first."""
        data = Dataset()
        data.parse(self.target, format="trig")
        prov = data.graph(PROVENANCE_GRAPH)
        found = []
        for node in prov.subjects(RDF.type, KG.ReviewDecision):
            found.append(
                {
                    "kind": str(prov.value(node, KG.decision)),
                    "about": prov.value(node, PROV.used),
                    "user": str(prov.value(node, KG.reviewer)),
                    "at": prov.value(node, PROV.endedAtTime),
                    "change": prov.value(node, KG.change),
                    "note": prov.value(node, KG.reviewNote),
                }
            )
        return sorted(found, key=lambda d: (str(d["at"]), str(d["kind"]), str(d["change"])))

    def version(self) -> tuple[tuple[str, int, int], ...]:
        """The other files' version: each path, modification time and size, ontology first."""
        files = [self.layout.ontology, self.layout.shapes, *self.layout.triple_files()]
        return tuple(
            (str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files if p != self.target
        )

    def journal(self) -> list[dict[str, object]]:
        path = journal_path(self.draft.resolve())
        entries = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        assert isinstance(entries, list)
        return entries


@pytest.fixture
def folder(tmp_path: Path) -> Folder:
    return Folder(tmp_path)


def graphs(data: bytes | Dataset, *, decisions: bool = True) -> dict[Node, IsomorphicGraph]:
    """Each graph of a TriG file (or a dataset), comparable whatever its blank nodes' labels.

    ``decisions=False`` leaves the decision records out.
    """
    if isinstance(data, bytes):
        dataset = Dataset()
        dataset.parse(data=data.decode("utf-8"), format="trig")
    else:
        dataset = data
    every = list(dataset.quads((None, None, None, None)))
    records = {s for s, p, o, _ in every if (p, o) == (RDF.type, KG.ReviewDecision)}
    by_graph: dict[Node, Graph] = {}
    for s, p, o, g in every:
        if decisions or s not in records:
            name = g.identifier if isinstance(g, Graph) else g
            by_graph.setdefault(name, Graph()).add((s, p, o))
    return {name: to_isomorphic(graph) for name, graph in by_graph.items()}


# ---------------------------------------------------------------- what a decision writes
def test_a_reject_writes_both_files_journals_them_and_an_undo_gives_their_bytes_back(
    folder: Folder,
) -> None:
    name = P + "000111-1"
    start = datetime.now(UTC).replace(microsecond=0)
    with folder.desk() as desk:
        assert desk.reject(name, note="an opinion") == f"reject {name}"
        end = datetime.now(UTC)
        written_draft, written_target = folder.draft.read_bytes(), folder.target.read_bytes()
        # the draft: exactly the draft decide.reject leaves, under the draft's header
        expected = folder.expected_draft(folder.draft_bytes)
        decide.reject(expected, expected.proposal(draft_id(name)))
        assert graphs(written_draft) == graphs(expected.dataset)
        assert written_draft.startswith(_DRAFT_HEADER.encode("utf-8"))
        # the source's file: what it held, plus one decision, under the reviewed file's header
        assert written_target.startswith(_TARGET_HEADER.encode("utf-8"))
        assert graphs(written_target, decisions=False) == graphs(folder.target_bytes)
        [decision] = folder.decisions()
        assert decision["kind"] == "reject" and decision["user"] == "lin"
        assert decision["about"] == URIRef(EV + name)
        assert decision["change"] is None and decision["note"] == Literal("an opinion")
        at = decision["at"]
        assert isinstance(at, Literal) and str(at).endswith("+00:00")  # UTC, said so
        assert start <= at.toPython() <= end
        # the journal: the decision's line, each file's prior bytes and the digest written
        [entry] = folder.journal()
        assert entry == {
            "decision": f"reject {name}",
            "files": [
                {
                    "path": str(folder.target),
                    "before": base64.b64encode(folder.target_bytes).decode("ascii"),
                    "after": sha256(written_target),
                },
                {
                    "path": str(folder.draft.resolve()),
                    "before": base64.b64encode(folder.draft_bytes).decode("ascii"),
                    "after": sha256(written_draft),
                },
            ],
        }
        # the checks of the data as written are remembered for the next decision
        assert desk._baseline == {(sha256(written_target), folder.version()): KNOWN}
        assert desk.undo() == f"reject {name}"
        assert desk._baseline == {}
    assert folder.draft.read_bytes() == folder.draft_bytes
    assert folder.target.read_bytes() == folder.target_bytes
    assert folder.journal() == []


def test_each_decision_records_its_kind_its_change_and_its_note(folder: Folder) -> None:
    with folder.desk() as desk:
        assert desk.edit(P + "000087-1", "amount", "500000000", note="n1") == (
            f"edit {P}000087-1: amount: value 500000000"
        )
        assert desk.edit(P + "000087-1", "currency", " CNY", note="n2") == (
            f"edit {P}000087-1: amount: currency CNY"
        )
        assert desk.edit(P + "000087-1", "date", " 2026-04 ", note="n3") == (
            f"edit {P}000087-1: date 2026-04"
        )
        assert desk.name_entity(
            "kgr:New-HangzhouChengtouFund", "杭州城投", "Hangzhou Chengtou Fund", note="n4"
        ) == (
            "edit New-HangzhouChengtouFund: kgr:New-HangzhouChengtouFund: label@zh 杭州城投, "
            "label@en Hangzhou Chengtou Fund"
        )
        assert desk.accept(P + "000087-1", note="n5") == f"accept {P}000087-1"
        assert desk.same_as("New-BeijingShiAIFund", "北京市人工智能产业投资基金", note="n6") == (
            "same-as New-BeijingShiAIFund: kgr:New-BeijingShiAIFund is kgr:BeijingAIFund"
        )
        assert desk.create_entity("上海云帆科技", "Shanghai Yunfan", "kg:Company", note="n7") == (
            "create New-ShanghaiYunfan: 上海云帆科技 / Shanghai Yunfan, kg:Company"
        )
    recorded = sorted(
        (str(d["note"]), str(d["kind"]), str(d["about"]), str(d["change"]))
        for d in folder.decisions()
    )
    fact, fund = EV + P + "000087-1", KGR + "New-HangzhouChengtouFund"
    assert recorded == [
        ("n1", "edit", fact, "amount: value 500000000"),
        ("n2", "edit", fact, "amount: currency CNY"),
        ("n3", "edit", fact, "date 2026-04"),
        (
            "n4",
            "edit",
            fund,
            "kgr:New-HangzhouChengtouFund: label@zh 杭州城投, label@en Hangzhou Chengtou Fund",
        ),
        ("n5", "accept", fact, "None"),
        (
            "n6",
            "same-as",
            KGR + "New-BeijingShiAIFund",
            "kgr:New-BeijingShiAIFund is kgr:BeijingAIFund",
        ),
        ("n7", "create", KGR + "New-ShanghaiYunfan", "上海云帆科技 / Shanghai Yunfan, kg:Company"),
    ]
    assert [e["decision"] for e in folder.journal()] == [
        f"edit {P}000087-1: amount: value 500000000",
        f"edit {P}000087-1: amount: currency CNY",
        f"edit {P}000087-1: date 2026-04",
        "edit New-HangzhouChengtouFund: kgr:New-HangzhouChengtouFund: label@zh 杭州城投, "
        "label@en Hangzhou Chengtou Fund",
        f"accept {P}000087-1",
        "same-as New-BeijingShiAIFund: kgr:New-BeijingShiAIFund is kgr:BeijingAIFund",
        "create New-ShanghaiYunfan: 上海云帆科技 / Shanghai Yunfan, kg:Company",
    ]
    reviewed = Dataset(default_union=True)
    reviewed.parse(folder.target, format="trig")
    fact_node = URIRef(KGR + "Draft-cd35c5bb-000087-1")
    assert str(reviewed.value(fact_node, KG.date)) == "2026-04"
    assert (URIRef(fund), RDFS.label, Literal("Hangzhou Chengtou Fund", lang="en")) in reviewed
    assert (URIRef(fund), RDFS.label, Literal("杭州城投", lang="zh")) in reviewed
    left = Draft.read(folder.draft)
    created = URIRef(KGR + "New-ShanghaiYunfan")
    assert set(left.curation.predicate_objects(created)) == {
        (RDF.type, URIRef(PREFIXES["kg"] + "Company")),
        (RDFS.label, Literal("上海云帆科技", lang="zh")),
        (RDFS.label, Literal("Shanghai Yunfan", lang="en")),
        (KG.status, KG.Draft),
    }
    assert (None, None, URIRef(KGR + "BeijingAIFund")) in left.dataset.graph(
        URIRef(EV + P + "000057-1")
    )


def test_an_edit_of_a_draft_writes_the_draft_decide_makes(folder: Folder) -> None:
    with folder.desk() as desk:
        assert desk.name_entity(
            "kgr:New-HangzhouChengtouFund", label_en="Hangzhou Chengtou", cls="kg:GovernmentFund"
        ) == (
            "edit New-HangzhouChengtouFund: kgr:New-HangzhouChengtouFund: label@en Hangzhou "
            "Chengtou, class kg:GovernmentFund"
        )
        expected = folder.expected_draft(folder.draft_bytes)
        decide.edit_entity(
            expected,
            URIRef(KGR + "New-HangzhouChengtouFund"),
            None,
            "Hangzhou Chengtou",
            URIRef(PREFIXES["kg"] + "GovernmentFund"),
            desk.terms,
        )
        assert graphs(folder.draft.read_bytes()) == graphs(expected.dataset)
        assert desk.name_entity("New-ZhouMing", label_zh="周明先生", cls="") == (
            "edit New-ZhouMing: kgr:New-ZhouMing: label@zh 周明先生"
        )
    assert graphs(folder.target.read_bytes(), decisions=False) == graphs(folder.target_bytes)
    assert len(folder.decisions()) == 2


# ---------------------------------------------------------------- names in a role
def test_a_role_takes_names_separated_by_semicolons_of_the_draft_and_the_data(
    folder: Folder,
) -> None:
    fact = URIRef(KGR + "Draft-cd35c5bb-000021-1")
    graph = URIRef(EV + P + "000021-1")
    with folder.desk() as desk:
        assert desk.edit(
            P + "000021-1", "kg:investor", "星河资本;Zhipu AI ; ;New-ZhouMing;kgr:New-ZhouMing"
        ) == (
            f"edit {P}000021-1: kg:investor = kgr:New-XingheZiben, kgr:Zhipu, kgr:New-ZhouMing, "
            "kgr:New-ZhouMing"
        )
        body = Draft.read(folder.draft).dataset.graph(graph)
        assert set(body.objects(fact, KG.investor)) == {
            URIRef(KGR + "New-XingheZiben"),
            URIRef(KGR + "Zhipu"),
            URIRef(KGR + "New-ZhouMing"),
        }
        assert desk.edit(P + "000021-1", "kg:investor", " ; ") == (
            f"edit {P}000021-1: kg:investor = none"
        )
        left = Draft.read(folder.draft).dataset.graph(graph)
        assert set(left.objects(fact, KG.investor)) == set()
        assert desk.resolve(Draft.read(folder.draft), "北京市人工智能产业投资基金") == URIRef(
            KGR + "New-BeijingShiAIFund"
        )
        assert desk.resolve(None, "北京市人工智能产业投资基金") == URIRef(KGR + "BeijingAIFund")
        assert desk.resolve(Draft.read(folder.draft), "kgr:Zhipu") == URIRef(KGR + "Zhipu")


def test_a_same_as_names_an_entity_of_the_data_never_one_of_the_draft(folder: Folder) -> None:
    with folder.desk() as desk:
        with pytest.raises(NotFound, match=r"no entity is called '星河资本'"):
            desk.same_as("New-ZhouMing", "星河资本")
        with pytest.raises(NotFound, match=r"no entity is called '完全不存在的机构名称'"):
            desk.edit(P + "000087-1", "kg:investor", "智谱;完全不存在的机构名称")
        with pytest.raises(InvalidValue, match=r"^role kgr:amounts: not a property a fact can use"):
            desk.edit(P + "000087-1", "amounts", "智谱")
    assert folder.draft.read_bytes() == folder.draft_bytes
    assert folder.journal() == []


def test_the_resolver_forgets_nothing_a_decision_or_an_undo_changed(folder: Folder) -> None:
    with folder.desk() as desk:
        with pytest.raises(NotFound, match=r"no entity is called 'Xinghe Capital'"):
            desk.resolve(None, "Xinghe Capital")  # the names are read now, and kept
        desk.edit(P + "000021-1", "amount", "1200000000")
        desk.name_entity("kgr:New-XingheZiben", label_en="Xinghe Capital")
        assert desk.accept(P + "000021-1") == f"accept {P}000021-1"
        assert desk.resolve(None, "Xinghe Capital") == URIRef(KGR + "New-XingheZiben")
        assert desk.undo() == f"accept {P}000021-1"
        with pytest.raises(NotFound, match=r"no entity is called 'Xinghe Capital'"):
            desk.resolve(None, "Xinghe Capital")


# ---------------------------------------------------------------- refusals
def broken_draft(folder: Folder) -> None:
    """Proposal 000021-1 with a quote at the wrong place (its amount and investor are wrong too)."""
    text = folder.draft_bytes.decode("utf-8").replace(
        "oa:start 21 ; oa:end 56", "oa:start 20 ; oa:end 55"
    )
    assert text != folder.draft_bytes.decode("utf-8")
    folder.draft.write_text(text, encoding="utf-8")
    folder.draft_bytes = folder.draft.read_bytes()


def test_a_refusal_names_the_first_problem_and_counts_the_others(folder: Folder) -> None:
    broken_draft(folder)
    with folder.desk() as desk:
        with pytest.raises(
            Refused,
            match=rf"^accept {P}000021-1 refused, nothing written: \[amount\] .*'12亿元'.* "
            r"\(and 2 more\)$",
        ):
            desk.accept(P + "000021-1")
        desk.name_entity("kgr:New-XingheZiben", label_en="Xinghe Capital")
        with pytest.raises(
            Refused,
            match=rf"^accept {P}000021-1 refused, nothing written: \[amount\] .*'12亿元'.* "
            r"\(and 1 more\)$",
        ):
            desk.accept(P + "000021-1")
        desk.edit(P + "000021-1", "amount", "1200000000")
        written = folder.draft.read_bytes(), folder.target.read_bytes()
        with pytest.raises(
            Refused,
            match=rf"^accept {P}000021-1 refused, nothing written: \[quote\] ev:{P}000021-1: "
            r"oa:exact is not the source text at 20–55 \(found '\\n2026年3月15日，"
            r"智谱宣布完成新一轮12亿元融资，由星河资本领投'\); the quote is at 21–56$",
        ):
            desk.accept(P + "000021-1")
        assert written == (folder.draft.read_bytes(), folder.target.read_bytes())  # nothing
        assert [e["decision"] for e in folder.journal()] == [
            "edit New-XingheZiben: kgr:New-XingheZiben: label@en Xinghe Capital",
            f"edit {P}000021-1: amount: value 1200000000",
        ]


def test_a_refusal_without_the_article_does_not_check_the_quotes(folder: Folder) -> None:
    broken_draft(folder)
    desk = Desk(folder.layout, folder.draft, user="lin")
    assert desk.text is None
    with (
        desk,
        pytest.raises(
            Refused,
            match=rf"^accept {P}000021-1 refused, nothing written: \[amount\] .*'12亿元'.* "
            r"\(and 1 more\)$",
        ),
    ):
        desk.accept(P + "000021-1")


def test_a_quote_the_data_had_wrong_already_is_not_the_desks(folder: Folder) -> None:
    old = folder.layout.triples_dir / "sources" / "older.trig"
    old.write_text(
        "@prefix kg: <https://w3id.org/zhipu-kg/ontology#> .\n"
        "@prefix kgr: <https://w3id.org/zhipu-kg/resource/> .\n"
        "@prefix ev: <https://w3id.org/zhipu-kg/evidence/> .\n"
        "@prefix oa: <http://www.w3.org/ns/oa#> .\n"
        "@prefix prov: <http://www.w3.org/ns/prov#> .\n"
        "<https://w3id.org/zhipu-kg/graph/provenance> {\n"
        "    ev:older-1 a kg:Evidence ;\n"
        f"        prov:wasDerivedFrom [ a oa:SpecificResource ; oa:hasSource kgr:{SOURCE} ;\n"
        '            oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "周明表示" ] ,\n'
        "                [ a oa:TextPositionSelector ; oa:start 0 ; oa:end 4 ] ] .\n"
        "}\n"
        "ev:older-1 { kgr:Zhipu kg:investee kgr:Zhipu . }\n",
        encoding="utf-8",
    )
    with folder.desk() as desk:
        known = desk._known(folder.target_bytes)
        assert any("older-1" in p for p in known)
        assert desk.reject(P + "000111-1") == f"reject {P}000111-1"


def test_a_desk_checks_the_data_once_per_state(folder: Folder) -> None:
    with folder.desk() as desk:
        assert desk._known(folder.target_bytes) == KNOWN
        assert desk._baseline == {(sha256(folder.target_bytes), folder.version()): KNOWN}
        desk.reject(P + "000111-1")
        assert set(desk._baseline) == {(sha256(folder.target.read_bytes()), folder.version())}


def test_the_first_decision_on_a_source_makes_its_file_and_an_undo_removes_it(
    folder: Folder,
) -> None:
    folder.target.unlink()  # a source whose file the desk has not written yet
    name = P + "000111-1"
    with folder.desk() as desk:
        assert desk._known(None) == KNOWN
        assert desk.reject(name, note="首个决定") == f"reject {name}"
        written = folder.target.read_bytes()
        assert written.startswith(_TARGET_HEADER.encode("utf-8"))
        assert graphs(written, decisions=False) == {}  # nothing but the decision
        [decision] = folder.decisions()
        assert (decision["kind"], decision["note"]) == ("reject", Literal("首个决定"))
        [entry] = folder.journal()
        assert entry["files"][0] == {  # type: ignore[index]
            "path": str(folder.target),
            "before": None,
            "after": sha256(written),
        }
        assert desk.undo() == f"reject {name}"
    assert not folder.target.exists()
    assert folder.draft.read_bytes() == folder.draft_bytes


def test_a_created_entity_with_no_latin_letters_in_english_is_named_by_its_chinese_name(
    folder: Folder,
) -> None:
    iri = decide.new_entity_iri("上海云帆科技", "云帆")
    assert iri != decide.new_entity_iri("北京云帆科技", "云帆")
    local = str(iri)[len(KGR) :]
    with folder.desk() as desk:
        assert desk.create_entity("上海云帆科技", "云帆", "kg:Company") == (
            f"create {local}: 上海云帆科技 / 云帆, kg:Company"
        )
    [decision] = folder.decisions()
    assert decision["about"] == iri
    assert iri in Draft.read(folder.draft).new_entities()


def test_the_problems_known_are_those_of_the_source_file_as_given_not_as_on_disk(
    folder: Folder,
) -> None:
    undeclared = (
        b"<https://w3id.org/zhipu-kg/graph/curation> {\n"
        b"    <https://w3id.org/zhipu-kg/resource/X>"
        b" <https://w3id.org/zhipu-kg/ontology#undeclaredTerm> 1 .\n}\n"
    )
    with folder.desk() as desk:
        known = desk._known(folder.target_bytes + undeclared)
    line = len(folder.target_bytes.splitlines()) + 2  # the triple's line in the file as given
    assert known - KNOWN == {
        f"[vocabulary] {SOURCE}.trig:{line}: property kg:undeclaredTerm is not declared in "
        "ontology.ttl; declare it there (type, rdfs:label and rdfs:comment in zh and en, "
        "rdfs:isDefinedBy) or use a declared term"
    }


def test_a_problem_another_file_gains_while_the_desk_is_open_is_not_the_desks(
    folder: Folder,
) -> None:
    broken = (
        "@prefix kg: <https://w3id.org/zhipu-kg/ontology#> .\n"
        "@prefix kgr: <https://w3id.org/zhipu-kg/resource/> .\n"
        "<https://w3id.org/zhipu-kg/graph/curation> { kgr:Broken a kg:Company . }\n"
    )
    with folder.desk() as desk:
        assert desk.reject(P + "000111-1") == f"reject {P}000111-1"
        (folder.layout.triples_dir / "broken.trig").write_text(broken, encoding="utf-8")
        assert desk.reject(P + "000057-1") == f"reject {P}000057-1"
        assert "[shacl] kgr:Broken (shape): rdfs:label: needs an rdfs:label in Chinese (@zh)" in (
            set().union(*desk._baseline.values())
        )


def test_a_decision_checks_the_data_once_when_the_desk_knows_its_state(
    folder: Folder, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[set[Path]] = []

    def counted(layout: DataLayout, replaced: dict[Path, bytes], text: object) -> object:
        checked.append(set(replaced))
        return problems(layout, replaced, text)  # type: ignore[arg-type]

    monkeypatch.setattr(desk_module, "problems", counted)
    with folder.desk() as desk:
        desk.reject(P + "000111-1")  # the data's own problems first, then the decision's
        assert checked == [{folder.target}, {folder.target}]
        desk.reject(P + "000057-1")  # the state the first decision wrote is known
        assert len(checked) == 3
        desk.undo()
        desk.reject(P + "000057-1")  # an undo forgets it
        assert len(checked) == 5
