"""Compare the engines: load time, named-query latency, cold start, peak memory.

Runs on the shipped data and on synthetic graphs of the same shape (~10k, ~100k, ~1M triples,
``benchmarks/synthetic.py``), for the memory (rdflib), oxigraph (pyoxigraph) and endpoint (a live
``oxigraph serve`` loaded with ``kg push``) engines, and reports every figure as a ratio to the
memory engine. Each (engine, data) pair runs in its own process, so peak memory is its own.

    python benchmarks/bench_engines.py [--sizes 10000,100000,1000000] [--skip-memory-above N]
    python benchmarks/bench_engines.py --sizes 1000000 --engines oxigraph
    python benchmarks/bench_engines.py --cold-start-only

Parameterised queries are timed on values the data holds (``EXAMPLES``); the whole-graph
listings that the catalogue scopes with a parameter are timed apart (``LISTINGS``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import synthetic  # noqa: E402

if TYPE_CHECKING:
    from kg.query.catalogue import NamedQuery

QUERY_TIMEOUT = 60.0
#: Example values by type, for parameters the tables below do not name.
EXAMPLE_BY_TYPE = {
    "iri": "kgr:Zhipu",
    "gYearMonth": "2025-04",
    "gYear": "2025",
    "date": "2025-04-01",
    "string": "智谱",
    "lang": "智谱@zh",
    "integer": "1",
    "decimal": "1",
}
#: Example values by parameter name, on the shipped data and on the synthetic graphs: each names
#: something the data holds, so a parameterised query is timed doing real work.
EXAMPLES = {
    "shipped": {"class": "schema:Organization", "city": "kgr:Beijing", "entity": "kgr:Zhipu"},
    "synthetic": {
        "class": "kg:BigTech",
        "city": "kgr:SynCity1",
        "company": "kgr:SynCo1",
        "entity": "kgr:SynCo1",
        "subject": "kgr:SynDeal1",
        "month": "2020-05",
    },
}
#: Whole-graph listings, timed apart: their cost is their output (every organisation, every
#: single-source statement), so they take a parameter in the catalogue.
LISTINGS = {
    "organisations": {"class": "schema:Organization"},
    "facts_without_second_source": {},  # the file itself, ?subject unbound
}


def example_params(named: NamedQuery, kind: str) -> dict[str, str]:
    """Values for a query's required parameters and those with a default."""
    examples = EXAMPLES[kind]
    return {
        p.name: examples.get(p.name, EXAMPLE_BY_TYPE[p.type])
        for p in named.params
        if not p.optional or p.default is not None
    }


def measure(engine: str, data: str, endpoint: str | None, repeats: int) -> dict[str, object]:
    """In this process: load, then time every named query warm (median of ``repeats``)."""
    import kg
    from kg.data.paths import data_dir
    from kg.query.catalogue import bind_params, convert_value, load_catalogue

    kind = "shipped" if Path(data).resolve() == ROOT else "synthetic"
    started = time.perf_counter()
    graph = kg.load(data, engine=None if endpoint else engine, endpoint=endpoint)
    load_s = time.perf_counter() - started
    catalogue = load_catalogue(data_dir(ROOT))
    latencies: dict[str, float] = {}
    rows: dict[str, int] = {}
    listings: dict[str, float] = {}
    listing_rows: dict[str, int] = {}
    failures: dict[str, str] = {}

    def time_query(
        name: str,
        text: str,
        bindings: dict[str, Any],
        times: dict[str, float],
        counts: dict[str, int],
    ) -> None:
        try:
            result = graph.query(text, bindings, timeout=QUERY_TIMEOUT)
        except Exception as err:  # recorded, so one slow query does not lose the others
            failures[name] = f"{type(err).__name__}: {err}"[:200]
            return
        counts[name] = len(result)
        runs = []
        for _ in range(repeats):
            t = time.perf_counter()
            graph.query(text, bindings, timeout=QUERY_TIMEOUT)
            runs.append(time.perf_counter() - t)
        times[name] = statistics.median(runs)

    for name, named in sorted(catalogue.items()):
        bindings = bind_params(named, example_params(named, kind))
        time_query(name, named.text, bindings, latencies, rows)
    named_queries_peak_mb = peak_memory_mb()
    for name, raw in LISTINGS.items():
        named = catalogue[name]
        bindings = {k: convert_value(named.param(k).type, v) for k, v in raw.items()}
        time_query(name, named.text, bindings, listings, listing_rows)
    return {
        "load_s": load_s,
        "latency_s": latencies,
        "rows": rows,
        "listing_s": listings,
        "listing_rows": listing_rows,
        "failures": failures,
        "peak_mb": named_queries_peak_mb,
        "peak_mb_with_listings": peak_memory_mb(),
    }


def peak_memory_mb() -> float:
    """This process's peak resident memory (VmHWM; unlike ru_maxrss it is not inherited)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(engine: str, data: str, endpoint: str | None, repeats: int) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", engine, data, endpoint or "", str(repeats)]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=3600)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


FLOOR = """
import pathlib, pyoxigraph as ox
root = pathlib.Path({root!r})
store = ox.Store()
store.load(path=str(root / "ontology.ttl"), format=ox.RdfFormat.TURTLE)
for path in sorted((root / "triples").glob("*.trig")):
    store.load(path=str(path), format=ox.RdfFormat.TRIG)
text = (root / "queries" / "funding_by_city.rq").read_text(encoding="utf-8")
prefixes = {prefixes!r}
for row in store.query(text, prefixes=prefixes, use_default_graph_as_union=True):
    print(*row)
"""


def _floor_command() -> list[str]:
    """The floor: a bare script that imports pyoxigraph, parses the shipped files and runs the
    same SPARQL (no checks, no labels, no table)."""
    from kg.data.prefixes import PREFIXES

    return [sys.executable, "-c", FLOOR.format(root=str(ROOT), prefixes=dict(PREFIXES))]


def _kg_command(engine: str) -> list[str]:
    """``kg query --name funding_by_city`` with the ``kg`` console script, as a user runs it
    (``python -m kg`` would add runpy's import)."""
    script = str(Path(sys.executable).with_name("kg"))
    return [script, "query", "--engine", engine, "--name", "funding_by_city"]


def cold_starts(repeats: int = 21) -> dict[str, float]:
    """Median wall times of new processes: ``kg query`` on each engine, and the floor.

    The commands take turns, one run each per round, so that a slower spell of the machine
    weighs on every figure alike; ``ratio`` is the median of the rounds' kg (oxigraph) / floor,
    steadier on a shared machine than the ratio of the two medians. kg's bytecode is compiled
    first (into ``kg/__pycache__``, as any run does unless ``PYTHONDONTWRITEBYTECODE`` is set,
    and as ``pip install`` does): the figure is a user's cold start, not Python compiling kg's
    source.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "kg")], check=True)
    commands = {
        "memory": _kg_command("memory"),
        "oxigraph": _kg_command("oxigraph"),
        "floor": _floor_command(),
    }
    runs: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            t = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True, cwd=ROOT)
            runs[name].append(time.perf_counter() - t)
    medians = {name: statistics.median(times) for name, times in runs.items()}
    ratios = [kg / floor for kg, floor in zip(runs["oxigraph"], runs["floor"], strict=True)]
    return {**medians, "ratio": statistics.median(ratios)}


class OxigraphServer:
    """A real ``oxigraph serve`` on a free 127.0.0.1 port, loaded with ``kg push``."""

    def __init__(self, data: str) -> None:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        self.location = tempfile.mkdtemp(prefix="kg-bench-ox-")
        binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        self.process = subprocess.Popen(
            [
                binary,
                "serve",
                "--location",
                self.location,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--union-default-graph",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        t = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "kg",
                "--data",
                data,
                "push",
                "--endpoint",
                self.url + "/query",
                "--update",
                self.url + "/update",
                "--graph-store",
                self.url + "/store",
            ],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        self.push_s = time.perf_counter() - t

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.location, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-memory-above", type=int, default=2_000_000)
    parser.add_argument("--json", type=Path, help="Also write the raw figures here.")
    parser.add_argument("--engines", default="memory,oxigraph,endpoint", help="Which to run.")
    parser.add_argument("--cold-start-only", action="store_true", help="Only time cold starts.")
    parser.add_argument(
        "--smoke", action="store_true", help="~500 triples, 1 repeat, no memory engine: it runs"
    )
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.repeats, args.engines = "500", 1, "oxigraph,endpoint"
    workdir = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    datasets = [] if args.cold_start_only else [("shipped", str(ROOT))]
    for size in (int(s) for s in args.sizes.split(",") if s and not args.cold_start_only):
        folder = synthetic.write_data_folder(workdir / f"syn{size}", synthetic.entities_for(size))
        datasets.append((f"synthetic ~{size:,}", str(folder)))
    report: dict[str, dict[str, object]] = {}
    for label, data in datasets:
        row: dict[str, object] = {}
        size = 0 if label == "shipped" else int(label.split("~")[1].replace(",", ""))
        engines = args.engines.split(",")
        if "memory" in engines and size <= args.skip_memory_above:
            row["memory"] = run_child("memory", data, None, args.repeats)
        if "oxigraph" in engines:
            row["oxigraph"] = run_child("oxigraph", data, None, args.repeats)
        if "endpoint" in engines:
            server = OxigraphServer(data)
            try:
                endpoint = run_child("endpoint", data, server.url + "/query", args.repeats)
                endpoint["load_s"] = server.push_s
                row["endpoint"] = endpoint
            finally:
                server.close()
        report[label] = row
        print_row(label, row)
    print(
        "\ncold `kg query --name funding_by_city`, a new process, bytecode cached (median of 21):"
    )
    cold = cold_starts(1 if args.smoke else 21)
    for engine in ("memory", "oxigraph", "floor"):
        print(f"  {engine:<9} {cold[engine]:.3f} s")
    print(f"  kg (oxigraph) / floor = {cold['ratio']:.2f}, median of the rounds (goal <= 2.0)")
    report["cold start"] = cold
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    shutil.rmtree(workdir, ignore_errors=True)


def print_row(label: str, row: dict[str, object]) -> None:
    base = row.get("memory")
    print(f"\n== {label}")
    heads = ("engine", "load s", "x mem", "worst q s", "median q s", "x mem", "peak MB")
    print("  {:<9} {:>8} {:>7} {:>10} {:>11} {:>7} {:>8}".format(*heads))
    for engine, figures in row.items():
        assert isinstance(figures, dict)
        latencies = list(figures["latency_s"].values())
        worst, median = max(latencies), statistics.median(latencies)
        load_ratio = q_ratio = "-"
        if isinstance(base, dict):
            base_median = statistics.median(base["latency_s"].values())
            load_ratio = f"{figures['load_s'] / base['load_s']:.3f}"
            q_ratio = f"{median / base_median:.3f}"
        print(
            f"  {engine:<9} {figures['load_s']:>8.3f} {load_ratio:>7} {worst:>10.4f} "
            f"{median:>11.4f} {q_ratio:>7} {figures['peak_mb']:>8.0f}"
        )
        slow = sorted(figures["latency_s"].items(), key=lambda kv: -kv[1])[:2]
        print("            slowest: " + ", ".join(f"{n} {s * 1000:.1f} ms" for n, s in slow))
        listings = figures.get("listing_s", {})
        counts = figures.get("listing_rows", {})
        for name, seconds in listings.items():
            print(f"            whole-graph {name}: {seconds:.3f} s, {counts[name]:,} rows")
        if listings:
            print(f"            peak with the listings: {figures['peak_mb_with_listings']:.0f} MB")
        for name, reason in figures.get("failures", {}).items():
            print(f"            FAILED {name}: {reason}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _, _, engine, data, endpoint, repeats = sys.argv
        os.environ.setdefault("KG_DATA", data)
        print(json.dumps(measure(engine, data, endpoint or None, int(repeats))))
    else:
        main()
