"""What one decision of the review desk costs, and the SHACL check inside it against plain pySHACL.

    python benchmarks/bench_desk.py [--repeat N] [--shipped] [--smoke]

Builds the small desk folder of the tests (the ontology, the shapes, the entities, one recorded
source and its hand-written draft, from ``tests/review/fixtures``) and, with ``--shipped``, the
same source and draft over a copy of all the shipped data; then, on each:

* the SHACL check of the data as :func:`kg.validate.shacl.run_shacl` does it (the counted
  language rules evaluated directly) and as pySHACL alone does it over the whole ``shapes.ttl``
  (best of ``--repeat``), with their ratio; both must report the same problems;
* a desk's decisions one after another: the first (which also checks the data's own problems),
  a reject, an edit, a naming and an accept, CPU and wall-clock seconds each.

Times are of one machine at one moment: compare the ratio, and rerun on a quiet machine. Exit 1
when the two checks report different problems. ``--smoke``: one SHACL run of each on the small
folder and its decisions, that it still works.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "review" / "fixtures"
P = "draft-cd35c5bb-"


def folder(tmp: Path, shipped: bool) -> tuple[Path, Path, Path]:
    """A data folder with the fixtures' source recorded; its root, the draft, the article."""
    from kg.data.paths import DataLayout
    from kg.data.sources import add_source

    root = tmp / "data"
    (root / "triples").mkdir(parents=True)
    for name in ("ontology.ttl", "shapes.ttl"):
        shutil.copy(ROOT / name, root / name)
    if shipped:
        shutil.rmtree(root / "triples")
        shutil.copytree(ROOT / "triples", root / "triples", ignore=shutil.ignore_patterns("drafts"))
    else:
        shutil.copy(ROOT / "triples" / "entities.trig", root / "triples" / "entities.trig")
    (root / "triples" / "drafts").mkdir()
    text = tmp / "xinghe-news.txt"
    shutil.copy(FIXTURES / "xinghe-news.txt", text)
    add_source(DataLayout(root), text, title="智谱完成新一轮融资", date="2026-03-16")
    draft = root / "triples" / "drafts" / "xinghe-news.draft.trig"
    shutil.copy(FIXTURES / "xinghe-news.draft.trig", draft)
    return root, draft, text


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """CPU and wall-clock seconds of ``action``."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.process_time() - cpu, time.perf_counter() - wall


def shacl(root: Path, repeat: int) -> bool:
    """The check by ``run_shacl`` and by pySHACL alone, best of ``repeat``, and their ratio.

    Returns:
        Whether both found the same problems.
    """
    import pyshacl
    from rdflib import Graph

    from kg.data.paths import DataLayout
    from kg.data.store import assemble, parse_file
    from kg.validate.shacl import read_results, run_shacl, validation_view

    layout = DataLayout(root)
    dataset, _ = assemble([(p, parse_file(p)) for p in [layout.ontology, *layout.triple_files()]])
    shapes = Graph().parse(layout.shapes, format="turtle")
    found: dict[str, list[str]] = {}

    def ours() -> None:
        found["ours"] = sorted(map(str, run_shacl(dataset, layout.shapes)))

    def plain() -> None:
        conforms, results, _ = pyshacl.validate(
            validation_view(dataset), shacl_graph=shapes, inference="none", allow_warnings=True
        )
        assert isinstance(results, Graph)
        found["plain"] = [] if conforms else sorted(map(str, read_results(results)))

    best = {
        name: min(timed(run)[0] for _ in range(repeat))
        for name, run in (("ours", ours), ("plain", plain))
    }
    same = "same problems" if found["ours"] == found["plain"] else "DIFFERENT PROBLEMS"
    print(
        f"  SHACL check: run_shacl {best['ours']:.3f} s, pySHACL alone {best['plain']:.3f} s "
        f"(x{best['plain'] / best['ours']:.1f}), {len(found['ours'])} problems, {same}"
    )
    return found["ours"] == found["plain"]


def decisions(root: Path, draft: Path, text: Path) -> None:
    """A desk's decisions one after another, CPU and wall-clock seconds each."""
    from kg.data.paths import DataLayout
    from kg.review.desk import Desk

    with Desk(DataLayout(root), draft, user="bench", text=text) as desk:
        steps: list[tuple[str, Callable[[], object]]] = [
            ("first decision (a reject)", lambda: desk.reject(P + "000111-1")),
            ("reject", lambda: desk.reject(P + "000057-1")),
            ("edit (amount)", lambda: desk.edit(P + "000021-1", "amount", "1200000000")),
            ("naming", lambda: desk.name_entity("kgr:New-XingheZiben", label_en="Xinghe")),
            ("accept", lambda: desk.accept(P + "000021-1")),
        ]
        for label, step in steps:
            cpu, wall = timed(step)
            print(f"  {label:<26} cpu {cpu:.2f} s  wall {wall:.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="SHACL runs, the best counted")
    parser.add_argument("--shipped", action="store_true", help="the shipped data too")
    parser.add_argument("--smoke", action="store_true", help="one run, small folder: that it runs")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    same = True
    for shipped in (False, True) if args.shipped and not args.smoke else (False,):
        with tempfile.TemporaryDirectory(prefix="kg-bench-desk-") as tmp:
            root, draft, text = folder(Path(tmp), shipped)
            print("shipped data:" if shipped else "small desk folder:")
            same = shacl(root, 1 if args.smoke else args.repeat) and same
            decisions(root, draft, text)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
