"""``kg draft`` on the seed article, scored against the curated graph.

    python benchmarks/bench_draft.py [--seed FILE] [--json]

The draft is built by the real command, ``kg draft SEED -o TMP``, in a fresh process. That
command reads the text and the curated names (labels and aliases in ``kgg:curation``) only; the
curated evidence graphs are read here, afterwards, to score it:

* quotes: every draft quote equals the article at its offsets (goal: 100%);
* amounts: the share of curated amounts (``schema:value``/``minValue``/``maxValue``/``price``
  ≥ 1e6 in the article's evidence graphs; cited ones are not the article's) whose value the
  draft has too (goal: ≥ 95%);
* entities: the share of curated entities whose Chinese label occurs in the article that the
  draft links (``kg:refersTo``) (goal: ≥ 90%).

Exit 0 when all three goals are met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from rdflib import PROV, RDF, RDFS, Dataset, Literal, URIRef

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_84821df325fde2eb.txt"
SCHEMA = "https://schema.org/"
KG = "https://w3id.org/zhipu-kg/ontology#"
KGR = "https://w3id.org/zhipu-kg/resource/"
AMOUNT_PROPERTIES = [URIRef(SCHEMA + p) for p in ("value", "minValue", "maxValue", "price")]
GOALS = {"quotes": 1.0, "amounts": 0.95, "entities": 0.90}


def _values(dataset: Dataset, graphs: list[URIRef]) -> list[Decimal]:
    found = []
    for graph in graphs:
        for prop in AMOUNT_PROPERTIES:
            for value in dataset.graph(graph).objects(None, prop):
                if isinstance(value, Literal):
                    found.append(Decimal(str(value)))
    return found


def _cited(dataset: Dataset, graph: URIRef) -> bool:
    """Whether ``graph`` rests on a public report (a kg:Citation): not the article's to find."""
    provenance = dataset.graph(URIRef("https://w3id.org/zhipu-kg/graph/provenance"))
    return any(
        (resource, RDF.type, URIRef(KG + "Citation")) in provenance
        for resource in provenance.objects(graph, PROV.wasDerivedFrom)
    )


def _evidence_graphs(dataset: Dataset) -> list[URIRef]:
    return [
        g.identifier
        for g in dataset.graphs()
        if isinstance(g.identifier, URIRef) and "/evidence/" in str(g.identifier)
    ]


def score(seed: Path) -> dict[str, float | int]:
    """Run ``kg draft`` on ``seed`` and score the draft."""
    text = seed.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "draft.trig"
        began = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "kg", "draft", str(seed), "-o", str(out)],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        seconds = time.perf_counter() - began
        draft = Dataset(default_union=True)
        draft.parse(out, format="trig")

    prov = draft.graph(URIRef("https://w3id.org/zhipu-kg/graph/provenance"))
    exact = prov.query(
        """PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?g ?exact ?start ?end WHERE { ?g prov:wasDerivedFrom ?r .
          ?r oa:hasSelector [ oa:exact ?exact ] , [ oa:start ?start ; oa:end ?end ] }"""
    )
    rows = list(exact)
    good = sum(1 for _, q, s, e in rows if text[int(s) : int(e)] == str(q))  # type: ignore[misc]

    import kg

    curated = kg.load(lazy=True).dataset
    quoted = [g for g in _evidence_graphs(curated) if not _cited(curated, g)]
    wanted = [v for v in _values(curated, quoted) if v >= Decimal(1_000_000)]
    have = set(_values(draft, _evidence_graphs(draft)))
    amounts_found = sum(1 for v in wanted if v in have)

    curation = curated.graph(URIRef("https://w3id.org/zhipu-kg/graph/curation"))
    in_text = {
        s
        for s, label in curation.subject_objects(RDFS.label)
        if str(s).startswith(KGR)
        and isinstance(label, Literal)
        and label.language == "zh"
        and str(label) in text
        and (s, None, URIRef(KG + "SourceArticle")) not in curated
    }
    linked = set(draft.objects(None, URIRef(KG + "refersTo")))
    return {
        "seconds": round(seconds, 2),
        "draft_graphs": len(rows),
        "quotes": good / len(rows) if rows else 0.0,
        "amounts_curated": len(wanted),
        "amounts": amounts_found / len(wanted) if wanted else 1.0,
        "entities_in_text": len(in_text),
        "entities": len(in_text & linked) / len(in_text) if in_text else 1.0,
        "missed_entities": len(in_text - linked),
    }


def main() -> int:
    """Print the scores; exit 1 when a goal is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=Path, default=SEED)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = score(args.seed)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"draft: {result['draft_graphs']} graphs in {result['seconds']} s")
        print(f"quotes exact at their offsets: {result['quotes']:.1%} (goal 100%)")
        print(
            f"curated amounts >= 1e6 found: {result['amounts']:.1%} of "
            f"{result['amounts_curated']} (goal >= 95%)"
        )
        print(
            f"curated entities named in the article and linked: {result['entities']:.1%} of "
            f"{result['entities_in_text']} (goal >= 90%)"
        )
    met = all(float(result[k]) >= goal for k, goal in GOALS.items())
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
