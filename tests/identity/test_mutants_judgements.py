"""The judgements file (kg.identity.judgements) read as a curator may have left it.

Blocks in other graphs, agents written as empty nodes, judgements named by full IRIs, parts
missing; and the language a reason is written in (see docs/mutation.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.data.prefixes import PREFIXES
from kg.identity.judgements import (
    HEADER,
    Judgement,
    JudgementFileError,
    judgements_path,
    read,
    render,
)

KGR = PREFIXES["kgr"]
WHEN = "2026-01-31T12:00:00Z"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "judgements.trig"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _block(
    name: str,
    graph: str = "kgg:identity",
    agent: str = '[ a prov:Agent ; rdfs:label "ann" ]',
    parts: str = "",
) -> str:
    return f"""
{graph} {{
    kgr:{name} a kg:Judgement ;
        kg:verdict kg:NotSame ;
        kg:leftEntity kgr:A ;
        kg:rightEntity kgr:B ;
        prov:wasAttributedTo {agent} ;
        prov:generatedAtTime "{WHEN}"^^xsd:dateTime {parts}.
}}
"""


def test_the_path_and_the_pair() -> None:
    assert judgements_path(Path("data/triples")) == Path("data/triples/identity/judgements.trig")
    judgement = Judgement("SameAs", KGR + "A", KGR + "B", "ann", WHEN)
    assert (
        judgement.pair()
        == frozenset((KGR + "A", KGR + "B"))
        == Judgement("NotSame", KGR + "B", KGR + "A", "", WHEN).pair()
    )


@pytest.mark.parametrize(("why", "language"), [("同一家公司", "zh"), ("one company", "en")])
def test_a_reason_is_tagged_with_its_language(why: str, language: str) -> None:
    text = render(Judgement("SameAs", KGR + "A", KGR + "B", "ann", WHEN, why))
    assert f'rdfs:comment "{why}"@{language} .' in text


def test_only_the_identity_graph_holds_judgements(tmp_path: Path) -> None:
    path = _write(tmp_path, _block("Other", graph="kgg:curation") + _block("J1"))
    assert read(path) == [Judgement("NotSame", KGR + "A", KGR + "B", "ann", WHEN)]


def test_an_agent_with_no_name_is_no_one(tmp_path: Path) -> None:
    path = _write(tmp_path, _block("J1", agent="[ ]"))
    assert [j.user for j in read(path)] == [""]


def test_judgements_named_by_full_iris_are_read_in_the_files_order(tmp_path: Path) -> None:
    first = _block("J1").replace("kgr:J1", f"<{KGR}J1>")
    second = _block("J2").replace("kgr:J2", f"<{KGR}J2>").replace("kg:NotSame", "kg:Unsure")
    assert [j.verdict for j in read(_write(tmp_path, first + second))] == ["NotSame", "Unsure"]


def test_a_judgement_missing_a_part_is_named_with_the_part(tmp_path: Path) -> None:
    path = _write(tmp_path, _block("J1").replace("        kg:rightEntity kgr:B ;\n", ""))
    with pytest.raises(JudgementFileError, match=rf"^{path}: kgr:J1 has no kg:rightEntity$"):
        read(path)


def test_an_unknown_verdict_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, _block("J1").replace("kg:NotSame", "kg:Maybe"))
    with pytest.raises(JudgementFileError, match=rf"^{path}: kgr:J1: unknown verdict kg:Maybe$"):
        read(path)
