"""Golden tests: every named query, on all three engines, against ``tests/golden/<name>.json``.

A golden file is a claim about the truth, checked by hand against the article, not a snapshot:
when a query's answer changes, read the new answer against the article before accepting it.

Each golden file holds one case per example parameter set (:data:`EXAMPLES`; queries without
parameters have one case, ``{}``) with the expected result in a normalised form, so that engines
that write the same answer differently still compare equal (``shared/DESIGN.md`` §5):

* SELECT: the variables and the rows, sorted; each term as a string: IRIs as CURIEs
  (``kgr:Zhipu``) or ``<…>``, literals as ``"text"``, ``"text"@zh`` or ``"value"^^xsd:type``
  (a plain literal is an ``xsd:string``), integers as JSON numbers, booleans as JSON booleans,
  decimals in canonical form (``1800000000.0`` → ``"1800000000"^^xsd:decimal``), doubles by
  their Python ``repr``, blank nodes as ``_:``, unbound as ``null``;
* ASK: the boolean;
* CONSTRUCT: the sorted, de-duplicated triples, blank nodes labelled by a digest of what they
  hold (their own triples), so that the labels engines choose do not matter.

To regenerate the files from the memory engine, a reviewed step (see ``golden_review.py``: the
changed rows are printed, and nothing is written until each is confirmed with the passage of the
article, or the citation, that justifies it; ``golden/REVIEW.log`` records it)::

    .venv/bin/python tests/test_named_queries.py --write-golden [--confirm FILE] [NAME...]
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from oxigraph_server import oxigraph_endpoint  # noqa: F401 - the fixture, used by name below

import kg
from kg.data.prefixes import PREFIXES, shorten
from kg.query.catalogue import NamedQuery, bind_params, load_catalogue
from kg.query.results import QueryResult

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
ENGINES = ("memory", "oxigraph", "endpoint")
XSD = PREFIXES["xsd"]
_INTEGER_TYPES = {
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}

#: Example parameters per query; each becomes one case of its golden file. Queries not listed
#: run once, without parameters (their optional parameters unbound, or at their defaults).
EXAMPLES: dict[str, list[dict[str, str]]] = {
    "article_argument": [{}, {"type": "kg:StatedCause"}],
    "funding_by_city": [
        {},
        {"city": "kgr:Beijing"},
        {"city": "kgr:Chengdu"},
        {"city": "kgr:Shanghai"},
    ],
    "revenue_and_loss": [{}, {"year": "2024"}, {"year": "2025"}],
    "people_and_posts": [{}, {"person": "kgr:ZhangPeng"}],
    "claims_by_speaker": [
        {},
        {"speaker": "kgr:ZhangPeng"},
        {"speaker": "kgr:UnnamedHearsay"},
        {"certainty": "kg:Unverified"},
    ],
    "evidence_for_fact": [
        {"subject": "kgr:Funding-2025-03"},
        {"subject": "kgr:Zhipu", "predicate": "kg:competesWith"},
        {"subject": "kgr:Zhipu", "predicate": "rdf:type", "object": "kg:AIStartup"},
        {"subject": "kgr:Zhipu-FundingToDate"},
    ],
    "evidence_for_entity": [
        {"entity": "kgr:ZhangPeng"},
        {"entity": "kgr:GLM-130B"},
        {"entity": "kgr:Funding-2025-03"},
        {"entity": "kgr:Funding-2025-03", "tier": "quoted"},
        {"entity": "kgr:Zhipu-HKIPO", "tier": "cited"},
    ],
    "story_timeline": [{}, {"entity": "kgr:Zhipu"}],
    "figures_by_source": [
        {"fact": "kgr:Zhipu-FundingToDate"},
        {"fact": "kgr:Funding-2025-03"},
        {"fact": "kgr:Zhipu-HKIPO"},
    ],
    "single_source_facts": [{"subject": "kgr:Funding-2025-03"}, {"subject": "kgr:ZhangPeng"}],
    "corroborated_facts": [{}, {"subject": "kgr:Zhipu"}],
    "facts_without_second_source": [
        {"subject": "kgr:Zhipu"},
        {"subject": "kgr:Funding-2025-03"},
        {"subject": "kgr:SenseTime"},
    ],
    "events_in_month": [{"month": "2025-04"}, {"month": "2022-11"}, {"month": "2021-12"}],
    "organisations": [
        {"class": "schema:Organization"},
        {"class": "kg:Company"},
        {"class": "schema:ResearchOrganization"},
    ],
    "entity_neighbourhood": [{}, {"entity": "kgr:GLM-130B"}],
    "zhipu_funded_from_city": [{}, {"city": "kgr:Zhuhai"}, {"city": "kgr:Shanghai"}],
    "rivals_and_comparisons": [{}, {"entity": "kgr:Zhipu"}],
    "listing_plan": [{}, {"company": "kgr:SenseTime"}],
    "challenges": [{}, {"entity": "kgr:SenseTime"}],
}


# ---------------------------------------------------------------- normal form
def normal_term(term: object) -> Any:
    """One term in the golden files' normal form (see the module docstring)."""
    if term is None:
        return None
    if isinstance(term, ox.Triple):  # RDF-star: not in this data, but keep the form total
        parts = (term.subject, term.predicate, term.object)
        return (
            "<< " + " ".join(json.dumps(normal_term(t), ensure_ascii=False) for t in parts) + " >>"
        )
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:"
    if not isinstance(term, ox.Literal):
        raise TypeError(f"not an RDF term: {term!r}")
    if term.language:
        return f'"{term.value}"@{term.language.lower()}'
    datatype = term.datatype.value
    if datatype in _INTEGER_TYPES:
        return int(term.value)
    if datatype == XSD + "boolean":
        return term.value in {"true", "1"}
    if datatype == XSD + "decimal":
        return f'"{format(Decimal(term.value).normalize(), "f")}"^^xsd:decimal'
    if datatype in {XSD + "double", XSD + "float"}:
        return f'"{float(term.value)!r}"^^xsd:double'
    if datatype == XSD + "string":
        return f'"{term.value}"'
    return f'"{term.value}"^^{shorten(datatype)}'


def _bnode_labels(triples: Sequence[ox.Triple]) -> dict[str, str]:
    """A label for each blank node: a digest of the triples it is the subject of."""
    described: dict[str, list[tuple[Any, Any]]] = {}
    for triple in triples:
        if isinstance(triple.subject, ox.BlankNode):
            pair = (normal_term(triple.predicate), normal_term(triple.object))
            described.setdefault(triple.subject.value, []).append(pair)
    labels = {}
    for node, pairs in described.items():
        digest = hashlib.sha256(json.dumps(sorted(pairs, key=json.dumps)).encode()).hexdigest()
        labels[node] = "_:b" + digest[:12]
    return labels


def normalise(result: QueryResult) -> dict[str, Any]:
    """A query result in the golden files' normal form."""
    if result.form == "ASK":
        return {"form": "ASK", "boolean": bool(result.boolean)}
    if result.is_graph:
        labels = _bnode_labels(result.triples)

        def node(term: object) -> Any:
            if isinstance(term, ox.BlankNode):
                return labels.get(term.value, "_:")
            return normal_term(term)

        lines = {
            " ".join(
                json.dumps(node(t), ensure_ascii=False)
                for t in (triple.subject, triple.predicate, triple.object)
            )
            for triple in result.triples
        }
        return {"form": result.form, "triples": sorted(lines)}
    rows = [[normal_term(term) for term in row] for row in result.rows]
    rows.sort(key=lambda row: json.dumps(row, ensure_ascii=False))
    return {"form": "SELECT", "variables": list(result.variables), "rows": rows}


# ---------------------------------------------------------------- golden files
def golden_path(name: str) -> Path:
    """Where the golden file of query ``name`` lives."""
    return GOLDEN_DIR / f"{name}.json"


def examples_for(name: str) -> list[dict[str, str]]:
    """The example parameter sets of query ``name``."""
    return EXAMPLES.get(name, [{}])


def case_id(name: str, params: Mapping[str, str]) -> str:
    """A readable test id: ``funding_by_city[city=kgr:Beijing]``."""
    if not params:
        return name
    return name + "[" + ",".join(f"{k}={v}" for k, v in params.items()) + "]"


def read_golden(name: str) -> dict[str, Any]:
    """The golden file of query ``name``."""
    data: dict[str, Any] = json.loads(golden_path(name).read_text(encoding="utf-8"))
    return data


def expected(name: str, params: Mapping[str, str]) -> dict[str, Any]:
    """The expected normalised result for one case."""
    for case in read_golden(name)["cases"]:
        if case["params"] == dict(params):
            result: dict[str, Any] = case["result"]
            return result
    raise AssertionError(f"{golden_path(name)} has no case for {dict(params)}")


def run_named(
    graph: kg.KnowledgeGraph, query: NamedQuery, params: Mapping[str, str]
) -> QueryResult:
    """Run one named query with its parameters bound by their declared types."""
    return graph.query(query.text, bind_params(query, params))


def dump_golden(document: Mapping[str, Any]) -> str:
    """JSON with one row (or triple) per line, so that a reviewer reads a golden file row by row."""

    def line(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    out = [
        "{",
        f' "query": {line(document["query"])},',
        f' "summary": {line(document["summary"])},',
    ]
    out.append(' "cases": [')
    for index, case in enumerate(document["cases"]):
        result = case["result"]
        out += ["  {", f'   "params": {line(case["params"])},', '   "result": {']
        fields = [f'    "form": {line(result["form"])}']
        if "boolean" in result:
            fields.append(f'    "boolean": {line(result["boolean"])}')
        if "variables" in result:
            fields.append(f'    "variables": {line(result["variables"])}')
        for key in ("rows", "triples"):
            if key in result:
                items = [f"     {line(item)}" for item in result[key]]
                body = "[\n" + ",\n".join(items) + "\n    ]" if items else "[]"
                fields.append(f'    "{key}": {body}')
        out.append(",\n".join(fields))
        out += ["   }", "  }" + ("," if index < len(document["cases"]) - 1 else "")]
    out += [" ]", "}"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- the tests
CATALOGUE = load_catalogue()
CASES = [(name, params) for name in CATALOGUE for params in examples_for(name)]


@pytest.fixture(scope="module", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Iterator[kg.KnowledgeGraph]:
    """The shipped graph on each engine in turn; ``endpoint`` is a live ``oxigraph serve``."""
    if request.param == "endpoint":
        url = request.getfixturevalue("oxigraph_endpoint")
        yield kg.load(endpoint=url)
    else:
        yield kg.load(engine=request.param)


@pytest.mark.parametrize(("name", "params"), CASES, ids=[case_id(n, p) for n, p in CASES])
def test_named_query_matches_golden(
    engine: kg.KnowledgeGraph, name: str, params: dict[str, str]
) -> None:
    got = normalise(run_named(engine, CATALOGUE[name], params))
    want = expected(name, params)
    assert got == want, (
        f"{case_id(name, params)} on {engine.engine.name} differs from its golden file"
    )


def test_every_query_has_a_golden_file_with_every_example() -> None:
    for name in CATALOGUE:
        assert golden_path(name).is_file(), (
            f"no golden file for {name}: see this module's docstring"
        )
        document = read_golden(name)
        assert document["query"] == name
        assert [case["params"] for case in document["cases"]] == examples_for(name)
    orphans = {p.stem for p in GOLDEN_DIR.glob("*.json")} - set(CATALOGUE)
    assert not orphans, f"golden files without a query: {sorted(orphans)}"
    assert set(EXAMPLES) <= set(CATALOGUE), (
        f"examples for unknown queries: {set(EXAMPLES) - set(CATALOGUE)}"
    )


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_examples_give_every_required_parameter(name: str) -> None:
    query = CATALOGUE[name]
    for params in examples_for(name):
        bind_params(query, params)  # raises for a missing or unknown parameter
    if query.required:
        assert examples_for(name) != [{}], f"{name} needs parameters, so it needs examples"


def test_golden_answers_are_not_empty() -> None:
    """A query whose every case is empty proves nothing; empty cases must be deliberate."""
    for name in sorted(CATALOGUE):
        results = [case["result"] for case in read_golden(name)["cases"]]
        sizes = [len(r.get("rows", r.get("triples", []))) or r.get("boolean", 0) for r in results]
        assert any(sizes), f"{name}: every case of its golden file is empty or false"


def test_normal_form_equates_what_engines_write_differently() -> None:
    decimal = ox.NamedNode(XSD + "decimal")
    assert normal_term(ox.Literal("50.50", datatype=decimal)) == normal_term(
        ox.Literal("50.5", datatype=decimal)
    )
    assert normal_term(ox.Literal("3000000000.0", datatype=decimal)) == (
        '"3000000000"^^xsd:decimal'
    )
    assert normal_term(ox.Literal("x")) == normal_term(
        ox.Literal("x", datatype=ox.NamedNode(XSD + "string"))
    )
    assert normal_term(ox.Literal("3", datatype=ox.NamedNode(XSD + "integer"))) == 3
    assert normal_term(ox.Literal("1", datatype=ox.NamedNode(XSD + "boolean"))) is True
    assert normal_term(ox.Literal("智谱", language="ZH")) == '"智谱"@zh'
    assert normal_term(ox.Literal("3E0", datatype=ox.NamedNode(XSD + "double"))) == (
        normal_term(ox.Literal("3.0e0", datatype=ox.NamedNode(XSD + "double")))
    )


def test_construct_blank_nodes_are_labelled_by_content() -> None:
    p, v = ox.NamedNode(PREFIXES["kg"] + "amount"), ox.NamedNode(PREFIXES["schema"] + "value")
    s = ox.NamedNode(PREFIXES["kgr"] + "X")

    def graph(label: str) -> QueryResult:
        b = ox.BlankNode(label)
        return QueryResult(
            "CONSTRUCT", triples=[ox.Triple(s, p, b), ox.Triple(b, v, ox.Literal("1"))]
        )

    assert normalise(graph("a1")) == normalise(graph("zz"))


if __name__ == "__main__":
    from golden_review import main

    sys.exit(main(sys.argv[1:]))
