"""``kg push`` against each server's own bulk load of the same data, side by side.

    python benchmarks/bench_push.py --sizes 40000,150000,1000000
    python benchmarks/bench_push.py --smoke          # a few thousand triples: CI's check
    python benchmarks/bench_push.py --servers virtuoso --modes default --phases  # the split

For each size (triples pushed): a synthetic data folder (``benchmarks/synthetic.py``) and its
named graphs as one N-Quads file. Then, each on a fresh, empty server:

* **Oxigraph**: ``oxigraph load --location … --file data.nq`` (the server's bulk loader, the
  baseline); ``kg push`` to ``oxigraph serve`` in each mode: ``default`` (N-Quads to
  the server's dataset store, found beside its update URL), ``sparql-update`` (the default with
  ``sparql_only``: SPARQL Update, as to any other server), ``graph-store`` (Graph Store ``POST``
  per graph), ``bulk`` (N-Quads ``POST``s to the dataset store given); ``re-push``: the default
  push of the same data again into the server that holds it (every graph unchanged: counted,
  not sent); and ``replace``: the default push of other data of the same size (another seed,
  the same graph names) into that server (every graph staged, counted and switched, its old
  version kept in a backup graph until the end).
* **Virtuoso** (where ``virtuoso-t`` and ``isql-vt`` are installed): its bulk loader
  (``ld_dir`` + ``rdf_loader_run`` + ``checkpoint``) as the baseline; ``kg push`` by ``LOAD``
  of N-Quads pieces served from this process (``default``: the server is on loopback), by
  Update (``sparql-update``) and by its Graph Store endpoint (``graph-store``). Each new
  database first runs ``scripts/virtuoso-reserve-iri-8192.sql`` (as ``docs/scaling-out.md`` asks
  of Virtuoso before 7.2.8: else one of the first few thousand new IRIs gets the reserved IRI id
  8192, and a push fails when that IRI names a graph).

A push is timed in process, from reading the data folder to the last count (what ``kg push``
does, without the interpreter's start); for Virtuoso also in CPU seconds (``(cpu)`` rows: the
server's, every thread, plus this process's; ratios to the loader's). Prints seconds, each
push's ratio to the bulk load, and the growth of each mode's time from one size to the next
against the growth of the data (goals: default push ≤ 5× the bulk load at 150k and 1M triples;
×4 data costs at most ×5 time). ``--phases`` prints, after each push, its wall time by phase
(reading the data, hashing, sending or making pieces and ``LOAD``, counting, switching, dropping):
the functions of ``kg.remote`` it calls, timed (the hashes are made in a thread beside the rest,
and the pieces for ``LOAD`` in another: "pieces and LOAD" less "LOAD" is what making pieces
kept the server waiting).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402
import synthetic  # noqa: E402

#: Pushed triples per synthetic entity (data, evidence, ontology and inference graphs).
TRIPLES_PER_ENTITY = 19.2
#: Run on each new Virtuoso database first (Virtuoso before 7.2.8; see docs/scaling-out.md).
RESERVE_8192 = ROOT / "scripts" / "virtuoso-reserve-iri-8192.sql"
#: The rows of CPU seconds (Virtuoso: the server's, every thread, and this process's), which the
#: other jobs on a shared machine disturb less than the wall time.
CPU = "(cpu)"
OXIGRAPH_MODES = ("default", "re-push", "replace", "sparql-update", "graph-store", "bulk")


def data_for(triples: int, workdir: Path) -> tuple[Path, Path, int]:
    """The data folder, its N-Quads file and the triples in it."""
    from kg.data.paths import data_dir
    from kg.remote.push import dataset_graphs

    folder = synthetic.write_data_folder(workdir / f"data-{triples}", _entities(triples))
    graphs = dataset_graphs(data_dir(folder))
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g))
        for g, ts in graphs.items()
        for t in ts
    ]
    nquads = workdir / f"data-{triples}.nq"
    ox.serialize(quads, str(nquads), format=ox.RdfFormat.N_QUADS)
    return folder, nquads, len(quads)


def _entities(triples: int) -> int:
    return max(30, round(triples / TRIPLES_PER_ENTITY))


def other_data(folder: Path) -> Path:
    """Other data of the same size and graph names as ``folder``'s (another seed), made once."""
    other = folder.with_name(folder.name + "-other")
    if not other.exists():
        entities = _entities(int(folder.name.removeprefix("data-")))
        synthetic.write_data_folder(other, entities, seed=1)
    return other


def _timed(command: list[str], **kwargs: object) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=7200, **kwargs)  # type: ignore[call-overload]
    return time.perf_counter() - start


def _push(folder: Path, query: str, update: str | None, store: str | None, mode: str) -> float:
    """Seconds of one push (``nan`` when the server fails it: a result too, said on stderr)."""
    from kg.data.paths import data_dir
    from kg.remote.client import RemoteError
    from kg.remote.push import push

    start = time.perf_counter()
    store = store if mode in {"graph-store", "bulk"} else None
    try:
        with _phases(mode):
            push(data_dir(folder), query, update=update, graph_store=store, bulk=mode == "bulk",
                 timeout=3600, sparql_only=mode == "sparql-update")  # fmt: skip
    except RemoteError as err:  # a server that fails is a result too: say so, go on
        print(f"{mode} push failed: {err}", file=sys.stderr, flush=True)
        return float("nan")
    return time.perf_counter() - start


#: With ``--phases``: where a push's wall time goes, by the functions of ``kg.remote`` it calls.
PHASES = (
    ("read", "kg.remote.push", "stored_graphs"),
    ("hash", "kg.remote.digest", "ntriples_hash"),
    ("send", "kg.remote.push", "send"),
    ("pieces and LOAD", "kg.remote.loading", "Loader.send"),
    ("LOAD", "kg.remote.loading", "Loader._load"),
    ("count", "kg.remote.push", "count_triples"),
    ("switch", "kg.remote.push", "switch"),
    ("drop", "kg.remote.push", "drop"),
)
SHOW_PHASES = False


@contextlib.contextmanager
def _phases(mode: str) -> Iterator[None]:
    """Time each phase of the push (``--phases``), print the split on stderr after it."""
    if not SHOW_PHASES:
        yield
        return
    import importlib

    spent: dict[str, list[float]] = {}
    kept = []
    for phase, module, path in PHASES:
        owner: Any = importlib.import_module(module)
        *outer, name = path.split(".")
        for attribute in outer:
            owner = getattr(owner, attribute)
        original = getattr(owner, name)
        kept.append((owner, name, original))

        def timed(*args: object, _f: Any = original, _p: str = phase, **kw: object) -> object:
            begun = time.perf_counter()
            try:
                return _f(*args, **kw)
            finally:
                spent.setdefault(_p, []).append(time.perf_counter() - begun)

        setattr(owner, name, timed)
    try:
        yield
    finally:
        for owner, name, original in kept:
            setattr(owner, name, original)
        split = ", ".join(
            f"{p} {sum(s):.2f} s ({len(s)} calls{_first(p, s)})" for p, s in spent.items()
        )
        print(f"  {mode} push, wall time by phase: {split}", file=sys.stderr, flush=True)


def oxigraph(
    folder: Path, nquads: Path, workdir: Path, modes: tuple[str, ...] = OXIGRAPH_MODES
) -> dict[str, float]:
    """Seconds of Oxigraph's bulk load and of each push mode, each on a fresh store."""
    from oxigraph_server import free_port, oxigraph_executable, stop, wait_until_answering

    executable = oxigraph_executable()
    if executable is None:
        return {}
    scratch = Path(tempfile.mkdtemp(dir=workdir))
    seconds = {"bulk load": _timed([executable, "load", "--location", str(scratch / "load"),
                                    "--file", str(nquads)])}  # fmt: skip
    for mode in (m for m in OXIGRAPH_MODES if m in modes and m not in {"re-push", "replace"}):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = scratch / f"{mode}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [executable, "serve", "--location", str(scratch / mode), "--bind", base[7:]],
                stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            wait_until_answering(process, base + "/query", log)
            seconds[mode] = _push(folder, base + "/query", base + "/update", base + "/store", mode)
            if mode == "default" and "re-push" in modes:
                seconds["re-push"] = _push(folder, base + "/query", base + "/update", None, mode)
            if mode == "default" and "replace" in modes:
                seconds["replace"] = _push(
                    other_data(folder), base + "/query", base + "/update", None, mode
                )
        finally:
            stop(process)
    shutil.rmtree(scratch, ignore_errors=True)
    return seconds


def virtuoso(
    folder: Path, nquads: Path, workdir: Path, modes: tuple[str, ...] = OXIGRAPH_MODES
) -> dict[str, float]:
    """Seconds of Virtuoso's bulk loader and of ``kg push`` by Update and by Graph Store."""
    if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
        return {}
    from oxigraph_server import free_port, stop
    from virtuoso_server import _INI, wait_until_answering

    seconds: dict[str, float] = {}
    pushes = [m for m in ("default", "sparql-update", "graph-store") if m in modes]
    for run in ("bulk load", *pushes):
        scratch = Path(tempfile.mkdtemp(dir=workdir))
        (scratch / "www").mkdir()
        shutil.copy(nquads, scratch / "data.nq")
        sql, http = free_port(), free_port()
        ini = scratch / "virtuoso.ini"
        ini.write_text(_INI.format(dir=scratch, sql_port=sql, http_port=http))
        with (scratch / "stdout.log").open("wb") as out:
            process = subprocess.Popen(["virtuoso-t", "-c", str(ini), "+foreground"], cwd=scratch,
                                       stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
        base = f"http://127.0.0.1:{http}"
        isql = ["isql-vt", f"127.0.0.1:{sql}", "dba", "dba"]
        try:
            wait_until_answering(process, base + "/sparql", scratch / "virtuoso.log")
            _timed(isql, input='GRANT SPARQL_UPDATE TO "SPARQL";\n', text=True)
            _timed(isql, input=RESERVE_8192.read_text(), text=True)
            spent = _cpu_seconds(process.pid) + time.process_time()
            if run == "bulk load":
                loader = (f"ld_dir('{scratch}', 'data.nq', 'urn:x-kg-bench:default');\n"
                          "rdf_loader_run();\ncheckpoint;\n")  # fmt: skip
                seconds[run] = _timed(isql, input=loader, text=True)
            else:
                store = base + "/sparql-graph-crud" if run == "graph-store" else None
                seconds[run] = _push(folder, base + "/sparql", None, store, run)
            spent = _cpu_seconds(process.pid) + time.process_time() - spent
            seconds[f"{run} {CPU}"] = spent
        finally:
            stop(process)
            shutil.rmtree(scratch, ignore_errors=True)
    return seconds


def _first(phase: str, seconds: list[float]) -> str:
    """For the counts: the first one's seconds (what the server held before the push), then
    each of the others'."""
    if phase != "count":
        return ""
    others = " ".join(f"{s:.2f}" for s in seconds[1:])
    return f"; the first, what the server held: {seconds[0]:.2f} s; then {others}"


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (user and system, every thread) a process has used, from ``/proc``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def table(results: dict[str, dict[int, dict[str, float]]]) -> str:
    """Seconds, ratio to the bulk load, and growth from the size before, per server and mode."""
    lines = [f"{'server':10} {'triples':>9}  {'what':18} {'seconds':>9}  × bulk load   growth"]
    for server, sizes in results.items():
        previous: tuple[int, dict[str, float]] | None = None
        for triples, seconds in sorted(sizes.items()):
            for what, value in seconds.items():
                base = seconds.get(f"bulk load {CPU}" if what.endswith(CPU) else "bulk load")
                ratio = f"{value / base:10.1f}" if base else "         –"
                growth = ""
                if previous and previous[1].get(what):
                    growth = f"×{value / previous[1][what]:.1f} / ×{triples / previous[0]:.1f}"
                lines.append(
                    f"{server:10} {triples:>9,}  {what:18} {value:9.2f} {ratio}   {growth}"
                )
            previous = (triples, seconds)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="40000,150000,1000000", help="Triples pushed.")
    parser.add_argument("--smoke", action="store_true", help="Small sizes only (CI).")
    parser.add_argument("--servers", default="oxigraph,virtuoso", help="Which servers.")
    parser.add_argument("--modes", default=",".join(OXIGRAPH_MODES), help="Which push modes.")
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    parser.add_argument("--phases", action="store_true", help="Wall time by phase of each push.")
    args = parser.parse_args()
    global SHOW_PHASES
    SHOW_PHASES = args.phases
    sizes = [2000, 8000] if args.smoke else [int(s) for s in args.sizes.split(",")]
    os.environ.setdefault("XDG_STATE_HOME", tempfile.mkdtemp(prefix="kg-bench-state-"))
    results: dict[str, dict[int, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="kg-bench-push-") as folder:
        workdir = Path(folder)
        for size in sizes:
            data, nquads, triples = data_for(size, workdir)
            for server in args.servers.split(","):
                measured = {"oxigraph": oxigraph, "virtuoso": virtuoso}[server](
                    data, nquads, workdir, tuple(args.modes.split(","))
                )
                if measured:
                    results.setdefault(server, {})[triples] = measured
                    print(table({server: {triples: measured}}), flush=True)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
