"""kg.load against a raw pyoxigraph bulk load of the same files, side by side.

    python benchmarks/bench_load.py --sizes 1000000,10000000

For each size: a synthetic data folder (benchmarks/synthetic.py), then, each in a fresh process
so that memory and caches do not carry over:

* raw:  ``pyoxigraph.Store().bulk_load(...)`` of the ontology and every TriG file;
* kg:   ``kg.load(folder)``: the same files, ready to answer (entailments are added when a
  query may see them, those of the parents it names);
* kg + entailments: ``kg.load(folder)`` and every RDFS entailment added (``graph.engine.store``,
  what an open pattern such as ``?x a ?class`` costs first): the most a query can add.

Prints seconds and the ratios kg / raw (goal: ≤ 1.2) and (kg + entailments) / raw.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic

RAW = """
import json, pathlib, time, pyoxigraph as ox
root = pathlib.Path({root!r})
start = time.perf_counter()
store = ox.Store()
store.bulk_load(path=str(root / "ontology.ttl"), format=ox.RdfFormat.TURTLE)
for path in sorted((root / "triples").glob("*.trig")):
    store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
print(json.dumps({{"seconds": time.perf_counter() - start, "quads": len(store)}}))
"""

KG = """
import json, time, kg
start = time.perf_counter()
graph = kg.load({root!r})
loaded = time.perf_counter() - start
if {entailments!r}:
    graph.engine.store
print(json.dumps({{"seconds": time.perf_counter() - start, "loaded": loaded}}))
"""


def _run(script: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=7200
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def measure(triples: int, workdir: Path) -> dict[str, float]:
    """Seconds of the three loads of a synthetic graph of about ``triples`` statements."""
    root = workdir / f"syn-{triples}"
    synthetic.write_data_folder(root, synthetic.entities_for(triples))
    raw = _run(RAW.format(root=str(root)))
    lazy = _run(KG.format(root=str(root), entailments=False))
    full = _run(KG.format(root=str(root), entailments=True))
    return {
        "quads": raw["quads"],
        "raw_s": raw["seconds"],
        "kg_s": lazy["seconds"],
        "kg_with_entailments_s": full["seconds"],
        "kg_over_raw": lazy["seconds"] / raw["seconds"],
        "kg_with_entailments_over_raw": full["seconds"] / raw["seconds"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000", help="Comma-separated triple counts.")
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    parser.add_argument("--smoke", action="store_true", help="~2,000 triples: that it runs")
    args = parser.parse_args()
    if args.smoke:
        args.sizes = "2000"
    report = {}
    with tempfile.TemporaryDirectory(prefix="kg-bench-load-") as tmp:
        for size in (int(s) for s in args.sizes.split(",") if s):
            row = measure(size, Path(tmp))
            report[str(size)] = row
            print(
                f"~{size:,} triples ({row['quads']:,.0f} quads): raw {row['raw_s']:.1f} s, "
                f"kg.load {row['kg_s']:.1f} s ({row['kg_over_raw']:.2f}x, goal <= 1.2), "
                f"with entailments {row['kg_with_entailments_s']:.1f} s "
                f"({row['kg_with_entailments_over_raw']:.2f}x)"
            )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
