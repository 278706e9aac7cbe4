"""Reading a draft as the desk does (:mod:`kg.review.document`), case by case.

Small drafts written in each test beside the desk's hand-written one: the order of proposals
that share a sentence, a proposal whose parts are missing, names in every form the command line
takes, labels by language, the ontology's terms, and a line number for each kind of broken file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from desk_bench import FIXTURES, P
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from kg.data.prefixes import PREFIXES
from kg.errors import NotFound
from kg.review.document import Draft, DraftError, Terms, _one_line, cbd, draft_id

EV, KGR, KG = PREFIXES["ev"], PREFIXES["kgr"], PREFIXES["kg"]
PREFIX_LINES = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())


def write(tmp_path: Path, trig: str, name: str = "d.trig") -> Draft:
    path = tmp_path / name
    path.write_text(PREFIX_LINES + trig, encoding="utf-8")
    return Draft.read(path)


def proposal_block(name: str, start: int, *, extra: str = "", source: str = "kgr:S") -> str:
    """One proposal's description in ``kgg:provenance`` (quote ``q-NAME``, start ``start``)."""
    return f"""ev:{name} kg:status kg:Draft {extra};
        prov:wasDerivedFrom [ oa:hasSource {source} ;
            oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "q-{name}" ] ,
                [ a oa:TextPositionSelector ; oa:start {start} ; oa:end {start + 5} ] ] .
"""


def test_proposals_sort_by_start_then_graph(tmp_path: Path) -> None:
    names = ["draft-0000000a-000030-2", "draft-0000000a-000030-1", "draft-0000000a-000004-9"]
    blocks = "".join(proposal_block(n, int(n.split("-")[2])) for n in names)
    # a graph marked Draft whose name is no proposal's is not a proposal
    blocks += proposal_block("not-a-draft", 1)
    draft = write(tmp_path, f"kgg:provenance {{ {blocks} }}")
    assert [p.name for p in draft.proposals()] == [names[2], names[1], names[0]]
    first = draft.proposals()[0]
    assert (first.quote, first.start, first.end) == (f"q-{names[2]}", 4, 9)
    assert first.source == URIRef(KGR + "S")


def test_a_proposal_without_its_parts_reads_as_empty(tmp_path: Path) -> None:
    name = "draft-0000000a-000001-1"
    draft = write(tmp_path, f"kgg:provenance {{ ev:{name} kg:status kg:Draft . }}")
    [proposal] = draft.proposals()
    assert (proposal.quote, proposal.start, proposal.end, proposal.source) == ("", -1, -1, None)
    assert (proposal.cues, proposal.confidence, proposal.facts, proposal.entities) == (
        (),
        None,
        (),
        (),
    )


def test_a_source_written_as_text_is_no_source(tmp_path: Path) -> None:
    name = "draft-0000000a-000001-1"
    draft = write(
        tmp_path, f"kgg:provenance {{ {proposal_block(name, 1, source=chr(34) + 'S' + chr(34))} }}"
    )
    assert draft.proposal(draft_id(name)).source is None


CUES = '; kg:cue "乙", "甲" ; kg:confidence 0.25 '


def test_a_proposal_lists_its_facts_first_then_other_subjects_and_its_new_entities(
    tmp_path: Path,
) -> None:
    name = "draft-0000000a-000001-1"
    draft = write(
        tmp_path,
        f"""kgg:provenance {{ {proposal_block(name, 1, extra=CUES)} }}
kgg:draft-curation {{
  kgr:New-B kg:status kg:Draft ; rdfs:label "乙公司"@zh, "B Co"@en .
  kgr:New-A kg:status kg:Draft ; skos:altLabel "甲"@zh .
  kgr:Old kg:status kg:Active ; rdfs:label "旧"@zh .
}}
ev:{name} {{
  kgr:Aaa kg:memberOf kgr:New-B .
  kgr:Draft-0000000a-000001-1 kg:investor kgr:New-B ; kg:investee kgr:Old ;
      kg:amount [ kg:asWritten "1亿元" ] .
  kgr:New-A kg:memberOf kgr:Zhipu .
}}
""",
    )
    proposal = draft.proposal(draft_id(name))
    assert [str(f)[len(KGR) :] for f in proposal.facts] == [
        "Draft-0000000a-000001-1",
        "Aaa",
        "New-A",
    ]
    assert [str(e)[len(KGR) :] for e in proposal.entities] == ["New-A", "New-B"]
    assert proposal.cues == tuple(sorted(("甲", "乙")))
    assert proposal.confidence == 0.25
    assert draft.new_entities() == [URIRef(KGR + "New-A"), URIRef(KGR + "New-B")]
    assert draft.label(URIRef(KGR + "New-B")) == "乙公司"
    assert draft.label(URIRef(KGR + "New-B"), "en") == "B Co"
    assert draft.label(URIRef(KGR + "New-A")) is None
    assert draft.label(URIRef(KGR + "New-B"), "fr") is None


def test_a_proposal_not_in_the_draft_names_those_left(tmp_path: Path) -> None:
    draft = Draft.read(FIXTURES / "xinghe-news.draft.trig")
    left = ", ".join(P + s for s in ("000021-1", "000057-1", "000087-1", "000111-1"))
    with pytest.raises(
        NotFound, match=rf"xinghe-news\.draft\.trig: no proposal {P}000022-1 here \(left: {left}\)$"
    ):
        draft.proposal(draft_id(P + "000022-1"))
    empty = write(tmp_path, "kgg:provenance { kgr:x kg:status kg:Active . }")
    with pytest.raises(NotFound, match=r"no proposal http://example\.org/g here \(left: none\)$"):
        empty.proposal(URIRef("http://example.org/g"))


@pytest.mark.parametrize(
    "text",
    [
        "draft-1a2b3c4d-000021-1",
        "  draft-1a2b3c4d-000021-1\n",
        "ev:draft-1a2b3c4d-000021-1",
        EV + "draft-1a2b3c4d-000021-1",
    ],
)
def test_a_proposal_is_named_in_every_form(text: str) -> None:
    assert draft_id(text) == URIRef(EV + "draft-1a2b3c4d-000021-1")


def test_a_name_without_its_number_is_a_proposal_too() -> None:
    assert draft_id("draft-1a2b3c4d-000021") == URIRef(EV + "draft-1a2b3c4d-000021")


@pytest.mark.parametrize(
    "text",
    [
        "draft-1a2b3c4d-000021-1x",
        "xdraft-1a2b3c4d-000021-1",
        "draft-1A2B3C4D-000021-1",
        "http://example.org/draft-1a2b3c4d-000021-1",
        "kgr:draft-1a2b3c4d-000021-1",
    ],
)
def test_other_names_are_refused_quoted(text: str) -> None:
    with pytest.raises(
        NotFound,
        match=rf"^{text!r}: not a proposal's name; they look like draft-1a2b3c4d-000021-1$",
    ):
        draft_id(text)


def test_cbd_follows_blank_nodes_and_stops_at_a_cycle() -> None:
    graph = Graph()
    a, b, c = BNode(), BNode(), BNode()
    s, p = URIRef("http://example.org/s"), URIRef("http://example.org/p")
    other = URIRef("http://example.org/other")
    graph.add((s, p, a))
    graph.add((a, p, b))
    graph.add((b, p, a))
    graph.add((b, p, other))
    graph.add((other, p, c))  # reached through an IRI: not followed
    graph.add((c, p, Literal("x")))
    assert sorted(cbd(graph, s)) == sorted([(s, p, a), (a, p, b), (b, p, a), (b, p, other)])


def test_terms_are_the_ontologys_classes_properties_and_labels_with_a_language() -> None:
    ontology = Graph()
    company, role = URIRef(KG + "Company"), URIRef(KG + "investor")
    ontology.add((company, RDF.type, OWL.Class))
    ontology.add((BNode(), RDF.type, OWL.Class))
    ontology.add((role, RDF.type, OWL.ObjectProperty))
    ontology.add((URIRef(KG + "kind"), RDFS.range, OWL.Class))  # names the class of classes
    ontology.add((URIRef(KG + "roleKind"), RDFS.range, OWL.ObjectProperty))
    ontology.add((role, RDFS.comment, Literal("投资方", lang="zh")))  # a comment is no label
    ontology.add((URIRef(KG + "status"), RDF.type, OWL.DatatypeProperty))
    ontology.add((BNode(), RDF.type, OWL.ObjectProperty))
    ontology.add((company, RDFS.label, Literal("公司", lang="zh")))
    ontology.add((company, RDFS.label, Literal("company", lang="en")))
    ontology.add((role, RDFS.label, Literal("investor")))
    ontology.add((BNode(), RDFS.label, Literal("blank", lang="en")))
    terms = Terms.of(ontology)
    assert terms.classes == frozenset({company})
    assert terms.roles == frozenset({role})
    assert terms.labels == {(company, "zh"): "公司", (company, "en"): "company"}


def test_a_missing_draft_says_how_to_write_one(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match=r"gone\.trig: no such draft; write one with `kg draft"):
        Draft.read(tmp_path / "gone.trig")
    with pytest.raises(NotFound, match="no such draft"):
        Draft.read(tmp_path)  # a folder is no draft


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"  \n\t", r"d\.trig: empty; write a draft with `kg draft ARTICLE -o FILE`$"),
        (b"kgg:p { }\x00", r"d\.trig: a binary file, not a TriG draft$"),
        (
            "# 一\n# 二\n".encode() + "三".encode("gbk"),
            r"d\.trig:3: not UTF-8 \(byte \d+\); a draft",
        ),
        (
            b"@prefix kg: <https://w3id.org/zhipu-kg/ontology#> .\n\nkg:a kg:b {\n",
            r"d\.trig:3: not valid TriG \(.+\); fix the file or write the draft again",
        ),
    ],
    ids=["blank", "binary", "gbk", "broken"],
)
def test_each_broken_file_is_one_line_with_its_line(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "d.trig"
    path.write_bytes(content)
    with pytest.raises(DraftError, match=message):
        Draft.read(path)


def test_an_escape_cut_short_is_one_line(tmp_path: Path) -> None:
    """rdflib raises its own error, not ``BadSyntax``, for a ``\\u`` escape cut short."""
    path = tmp_path / "d.trig"
    path.write_text(PREFIX_LINES + 'kgg:p { kgr:a kgr:b "\\u00" }', encoding="utf-8")
    with pytest.raises(
        DraftError,
        match=r"d\.trig: not valid TriG \(Quote expected .+\); fix the file or write the draft "
        r"again with `kg draft`$",
    ) as caught:
        Draft.read(path)
    assert "\n" not in str(caught.value)


def test_a_long_parser_message_is_cut_to_one_line(tmp_path: Path) -> None:
    path = tmp_path / "d.trig"
    path.write_text(PREFIX_LINES + "kgg:p {\n kgr:a kgr:b " + "kgr:c " * 60 + ", , }\n", "utf-8")
    with pytest.raises(DraftError, match=r"not valid TriG \(.{119}…\); fix the file") as caught:
        Draft.read(path)
    assert "\n" not in str(caught.value) and "  " not in str(caught.value)


def test_a_variable_in_a_draft_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "d.trig"
    path.write_text(PREFIX_LINES + "kgg:p { kgr:a kgr:b ?x . }\n", encoding="utf-8")
    line = PREFIX_LINES.count("\n") + 1
    with pytest.raises(
        DraftError,
        match=rf"d\.trig:{line}: not valid TriG \(a variable \(\?x\) is not an RDF term; write an "
        r"IRI or _:x\); fix the file",
    ):
        Draft.read(path)


@pytest.mark.parametrize(
    ("message", "line"),
    [
        ("short", "short"),
        (" two\n  lines ", "two lines"),
        ("a" * 120, "a" * 120),
        ("a" * 121, "a" * 119 + "…"),
    ],
)
def test_a_parsers_message_is_one_line_of_at_most_120_characters(message: str, line: str) -> None:
    assert _one_line(message) == line


def test_a_draft_keeps_the_bytes_it_read(tmp_path: Path) -> None:
    data = (FIXTURES / "xinghe-news.draft.trig").read_bytes()
    assert Draft.read(FIXTURES / "xinghe-news.draft.trig").data == data


def test_a_position_without_offsets_and_a_quote_without_text_read_as_absent(
    tmp_path: Path,
) -> None:
    name = "draft-0000000a-000001-1"
    draft = write(
        tmp_path,
        f"""kgg:provenance {{ ev:{name} kg:status kg:Draft ;
        prov:wasDerivedFrom [ oa:hasSource kgr:S ;
            oa:hasSelector [ a oa:TextQuoteSelector ] , [ a oa:TextPositionSelector ] ] . }}""",
    )
    proposal = draft.proposal(draft_id(name))
    assert (proposal.quote, proposal.start, proposal.end) == ("", -1, -1)


def test_only_proposals_still_drafts_are_read(tmp_path: Path) -> None:
    kept, done = "draft-0000000a-000001-1", "draft-0000000a-000002-1"
    draft = write(
        tmp_path,
        f"kgg:provenance {{ {proposal_block(kept, 1)} ev:{done} kg:status kg:Rejected . }}",
    )
    assert [p.name for p in draft.proposals()] == [kept]


def test_cbd_reads_each_blank_node_once_however_often_it_is_reached() -> None:
    graph = Graph()
    s, p = URIRef("http://example.org/s"), URIRef("http://example.org/p")
    shared, children = BNode(), [BNode() for _ in range(3)]
    for child in children:
        graph.add((s, p, child))
        graph.add((child, p, shared))
        graph.add((child, p, Literal("child")))
    graph.add((shared, p, Literal("shared")))
    found = list(cbd(graph, s))
    assert len(found) == len(graph) and set(found) == set(graph)


def test_a_proposal_whose_derivation_is_written_first_names_its_source(tmp_path: Path) -> None:
    name = "draft-0000000a-000001-1"
    draft = write(
        tmp_path,
        f"""kgg:provenance {{ ev:{name}
        prov:wasDerivedFrom [ oa:hasSource kgr:S ;
            oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "q" ] ] ;
        kg:status kg:Draft ; kg:cue "融资" ; kg:confidence 0.5 . }}""",
    )
    proposal = draft.proposal(draft_id(name))
    assert (proposal.source, proposal.quote) == (URIRef(KGR + "S"), "q")
