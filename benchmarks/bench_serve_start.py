"""How fast ``kg serve`` answers after it starts, and its memory, against ``kg.load`` alone.

On synthetic data (:mod:`synthetic`, ~10 statements per entity; 100k entities ≈ 1M triples):

* ``kg.load`` of the folder, in a process of its own: its time, and that process's
  proportional set size (PSS, from ``/proc/<pid>/smaps_rollup``) once loaded: the store's own;
* ``kg serve --data FOLDER``: seconds from its start until ``/sparql`` answers, then until
  ``/explore`` answers (the explorer's projection and overview are built by a builder process
  the server forks right after its load), and the PSS of every process of the server (its own
  session: the server, its worker factory, the workers, and the builder while it runs), once
  ``/explore`` answered, and again once the builder has ended (the server settled).

Targets (ratios, one run): ``/sparql`` within 2× the load time, ``/explore`` within 3×, and the
settled server's total PSS at most 2× the store's own.

Usage::

    .venv/bin/python benchmarks/bench_serve_start.py [ENTITIES]      # default 100000
    .venv/bin/python benchmarks/bench_serve_start.py --smoke         # 1,000 entities, for CI
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic

QUERY = "SELECT ?s WHERE { ?s rdfs:label ?label } LIMIT 1"
"""What is asked of ``/sparql``."""
#: What the server's log says about its start and the explorer's build.
WATCHED = ("start", "explorer", "building the explorer")
DEADLINE = 900.0
"""Seconds the server may take to answer anything at all."""

_LOAD = """
import json, sys, time
start, cpu = time.perf_counter(), time.process_time()
import kg
graph = kg.load(sys.argv[1])
graph.engine
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
pss = [l for l in open("/proc/self/smaps_rollup") if l.startswith("Pss:")][0].split()[1]
print(json.dumps({"seconds": seconds, "cpu": cpu, "pss_kb": int(pss)}))
"""


def pss_kb(pid: int) -> int:
    """The proportional set size of one process, in KiB."""
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in children:
            found += descendants(int(child))
    return found


def session(leader: int) -> list[int]:
    """Every process of the session ``leader`` leads (the builder is no child of the server)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == leader:
                found.append(int(entry.name))
    return sorted(found)


def settled(leader: int) -> list[int]:
    """The session's processes once only the server's own tree is left (the builder ended)."""
    until = time.perf_counter() + DEADLINE
    while time.perf_counter() < until:
        tree = sorted(descendants(leader))
        if session(leader) == tree:
            return tree
        time.sleep(0.2)
    raise TimeoutError("the explorer's builder did not end")


def cpu_seconds(pids: list[int]) -> float:
    """CPU time of these processes and of their reaped children (user and system)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / ticks


def load_alone(folder: Path) -> tuple[float, float, int]:
    """``kg.load`` in a fresh process: its seconds, CPU seconds and its PSS (KiB)."""
    done = subprocess.run(
        [sys.executable, "-c", _LOAD, str(folder)], capture_output=True, text=True, check=True
    )
    said = json.loads(done.stdout)
    return float(said["seconds"]), float(said["cpu"]), int(said["pss_kb"])


def answer_seconds(port: int, path: str, start: float) -> float:
    """Poll ``path`` until it answers 200; seconds since ``start``."""
    while time.perf_counter() - start < DEADLINE:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE)
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status == 200:
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{path} did not answer within {DEADLINE:g} s")


def free_port() -> int:
    """A port nothing listens on now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main(entities: int) -> int:
    """Measure; 1 when a target is missed."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = synthetic.write_data_folder(Path(tmp) / "data", entities)
        load_s, load_cpu, store_kb = load_alone(folder)
        port = free_port()
        command = [sys.executable, "-m", "kg", "--data", str(folder), "serve", "--port", str(port)]
        start = time.perf_counter()
        errors = (Path(tmp) / "server.log").open("w")
        server = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=dict(os.environ),
            start_new_session=True,
        )
        try:
            # a query that names a property: an open pattern (?s ?p ?o) would add every
            # entailment first, in the worker that runs it (see README, "Loading")
            query = "/sparql?query=" + urllib.parse.quote(QUERY)
            sparql_s = answer_seconds(port, query, start)
            sparql_cpu = cpu_seconds(session(server.pid))
            explore_s = answer_seconds(port, "/explore", start)
            explore_cpu = cpu_seconds(session(server.pid))
            busy_kb = sum(pss_kb(pid) for pid in session(server.pid))  # the builder may run
            processes = settled(server.pid)
            each_kb = [pss_kb(pid) for pid in processes]  # server, factory, workers
            total_kb = sum(each_kb)
        finally:
            server.terminate()
            server.wait(timeout=60)
            errors.close()
        said = (Path(tmp) / "server.log").read_text(encoding="utf-8").splitlines()
        steps = [line for line in said if any(f" {w}: " in line for w in WATCHED)]
    store = f"the store's PSS {store_kb / 1024:.0f} MiB"
    print(f"entities {entities:,}; kg.load {load_s:.2f} s ({load_cpu:.2f} s CPU), {store}")
    print(
        f"  CPU (all the server's processes) until /sparql answers {sparql_cpu:.2f} s "
        f"(×{sparql_cpu / load_cpu:.1f} the load's), until /explore {explore_cpu:.2f} s "
        f"(×{explore_cpu / load_cpu:.1f})"
    )
    print("  the server's log:", *steps, sep="\n    ")
    shares = ", ".join(f"{kb / 1024:.0f}" for kb in each_kb)
    print(f"  PSS by process, settled (MiB; the server, the worker factory, the workers): {shares}")
    print(
        f"  PSS of all the server's processes when /explore answered: {busy_kb / 1024:.0f} MiB "
        f"(×{busy_kb / store_kb:.1f} the store's; the builder may still have been writing pages)"
    )
    checks = [
        ("/sparql answers", sparql_s / load_s, 2.0, f"{sparql_s:.2f} s"),
        ("/explore answers", explore_s / load_s, 3.0, f"{explore_s:.2f} s"),
        (
            f"PSS of the server and its {len(processes) - 1} children (factory, workers)",
            total_kb / store_kb,
            2.0,
            f"{total_kb / 1024:.0f} MiB",
        ),
    ]
    missed = 0
    for what, ratio, target, shown in checks:
        ok = ratio <= target
        missed += not ok
        print(
            f"  {what}: {shown}, ×{ratio:.1f} the load's (target ≤ ×{target:g}): "
            f"{'ok' if ok else 'MISSED'}"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments == ["--smoke"]:
        main(1_000)  # too small for the ratios to mean much: it runs, that is all
        sys.exit(0)
    if len(arguments) > 1 or not all(a.isdigit() for a in arguments):
        sys.exit(f"usage: bench_serve_start.py [ENTITIES] | --smoke (not {' '.join(arguments)})")
    sys.exit(main(int(arguments[0]) if arguments else 100_000))
