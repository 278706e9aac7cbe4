"""What ``--as-of`` costs: the same query with and without it, cold, as users run it.

    python benchmarks/bench_asof.py [--reports 50] [--rounds 21]

A copy of the shipped data gets ``--reports`` synthetic dated public reports (each in
``triples/sources/Report-bench-<n>.trig``, contract 3's shape: one cited evidence graph with a
few facts, one new entity, one ``kg:supersedes``), published from 2026-01 on, so that
``--as-of 2025-07-01`` leaves every one of them out. Then, in turns so that the machine's load
falls on both alike, each round runs in a fresh process:

* plain: ``kg query -n listing_plan`` (load every file, answer);
* as-of: ``kg query -n listing_plan --as-of 2025-07-01`` (load, leave the reports out, answer).

Prints the medians and the median of the rounds' ratios as-of / plain (goal: ≤ 1.5). The view
is built once at load (:mod:`kg.data.asof`), so the query itself costs what it costs without it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import HEADER  # the prefixes every generated file opens with

ROOT = Path(__file__).resolve().parent.parent


REPORT = """
kgg:provenance {{
    kgr:Report-bench-{n} a kg:PublicReport ;
        schema:url <https://example.org/bench/{n}> ;
        kg:publisherName "Bench Wire" ;
        kg:title "Synthetic report {n}" ;
        kg:datePublished "{year}-{month:02d}"^^xsd:gYearMonth ;
        kg:dateRetrieved "2026-12-01"^^xsd:date .
    ev:bench-{n} a kg:Evidence ;
        prov:wasDerivedFrom [ a kg:Citation ; oa:hasSource kgr:Report-bench-{n} ;
            kg:locator "paragraph {n}"@en ] .
}}

ev:bench-{n} {{
    kgr:Bench-Listing-{n} a kg:Listing ;
        kg:organization kgr:Zhipu ;
        kg:targetMarket kgr:BenchMarket-{n} ;
        kg:status kg:Completed ;
        kg:date "{year}-{month:02d}"^^xsd:gYearMonth ;
        kg:supersedes kgr:Zhipu-IPOPlan .
}}

kgg:curation {{
    kgr:Bench-Listing-{n} rdfs:label "合成上市{n}"@zh , "Synthetic listing {n}"@en .
    kgr:BenchMarket-{n} a kg:StockMarket ; rdfs:label "合成市场{n}"@zh , "Synthetic market {n}"@en .
}}
"""


def make_data(folder: Path, reports: int) -> Path:
    """A copy of the shipped data with ``reports`` dated synthetic reports added."""
    root = folder / "data"
    root.mkdir()
    for name in ("ontology.ttl", "shapes.ttl"):
        shutil.copy(ROOT / name, root / name)
    for sub in ("triples", "queries"):
        shutil.copytree(ROOT / sub, root / sub)
    sources = root / "triples" / "sources"
    sources.mkdir(exist_ok=True)
    for n in range(reports):
        year, month = 2026 + n // 12, n % 12 + 1
        text = HEADER + REPORT.format(n=n, year=year, month=month)
        (sources / f"Report-bench-{n}.trig").write_text(text, encoding="utf-8")
    return root


def once(data: Path, extra: list[str]) -> float:
    """Seconds for one cold ``kg query -n listing_plan`` (a fresh process)."""
    command = [sys.executable, "-m", "kg", "query", "-n", "listing_plan", "-f", "csv", *extra]
    env = {**os.environ, "KG_DATA": str(data)}  # the console script's fast path, both ways
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=300, env=env)
    return time.perf_counter() - start


def main() -> None:
    """Measure and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--smoke", action="store_true", help="3 reports, 1 round: that it runs")
    args = parser.parse_args()
    if args.smoke:
        args.reports, args.rounds = 3, 1
    with tempfile.TemporaryDirectory(prefix="kg-bench-asof-") as folder:
        data = make_data(Path(folder), args.reports)
        once(data, [])  # warm the file cache
        plain, as_of, ratios = [], [], []
        for _ in range(args.rounds):
            p = once(data, [])
            a = once(data, ["--as-of", "2025-07-01"])
            plain.append(p)
            as_of.append(a)
            ratios.append(a / p)
    figures = {
        "reports": args.reports,
        "rounds": args.rounds,
        "plain_median_s": round(statistics.median(plain), 4),
        "as_of_median_s": round(statistics.median(as_of), 4),
        "ratio_median": round(statistics.median(ratios), 3),
        "goal": 1.5,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
