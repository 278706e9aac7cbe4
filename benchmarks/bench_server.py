"""Throughput and latency of ``kg serve`` against ``oxigraph serve``, on the same data, in one run.

Both servers run on 127.0.0.1: ``kg serve`` on its default engine, and ``oxigraph serve
--union-default-graph`` loaded with ``kg push``. Clients (threads, one keep-alive connection
each) send the named queries round-robin as full SPARQL text (parameters bound with VALUES,
prefixes declared), the same bytes to both servers, for a fixed time at each concurrency level.
The two servers take turns in short rounds, so that whatever else the machine does weighs on
both alike. Reported: requests per second, p50 and p99 latency, and kg's throughput as a ratio
of Oxigraph's, uncached (the goal is at least 0.9 at 1 and 8 clients). Then, separately, kg's
revalidated answers: the same queries as ``GET`` with ``If-None-Match`` (304, nothing runs).

    python benchmarks/bench_server.py [--clients 1,8,32] [--seconds 10] [--rounds 5] [--json FILE]
    python benchmarks/bench_server.py --smoke    # short settings: that it runs, not the figures

Loopback only; every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from kg_server import start  # noqa: E402
from oxigraph_server import free_port, oxigraph_executable, stop, wait_until_answering  # noqa: E402

from kg.data.paths import data_dir  # noqa: E402
from kg.query.catalogue import bind_params, load_catalogue  # noqa: E402
from kg.query.safety import analyse, prebind  # noqa: E402
from kg.remote.engine import with_prologue  # noqa: E402

EXAMPLES = {"iri": "kgr:Zhipu", "gYearMonth": "2025-04"}


def workload() -> list[tuple[str, str, str]]:
    """``(name, form-encoded body, Accept)`` for every named query."""
    requests = []
    for name, named in sorted(load_catalogue(data_dir()).items()):
        raw = {p.name: EXAMPLES[p.type] for p in named.params if not p.optional}
        text = with_prologue(prebind(named.text, bind_params(named, raw)))
        graph = analyse(text).form in {"CONSTRUCT", "DESCRIBE"}
        accept = "application/n-triples" if graph else "application/sparql-results+json"
        requests.append((name, urllib.parse.urlencode({"query": text}), accept))
    return requests


def load(
    port: int, path: str, requests: list[tuple[str, str, str]], clients: int, seconds: float
) -> list[float]:
    """Run ``clients`` threads for ``seconds``; every answer must be a 200.

    Returns:
        The latency of every request, in seconds.
    """
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[str] = []
    begin = threading.Barrier(clients + 1)
    end_at = [0.0]

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        k = index
        begin.wait()
        while time.monotonic() < end_at[0]:
            name, body, accept = requests[k % len(requests)]
            k += 1
            started = time.perf_counter()
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
            connection.request("POST", path, body, headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{name}: {response.status}")
            latencies[index].append(time.perf_counter() - started)
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    end_at[0] = time.monotonic() + seconds
    begin.wait()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return [x for per in latencies for x in per]


def cached_load(
    port: int, requests: list[tuple[str, str, str]], clients: int, seconds: float
) -> float:
    """Requests per second of ``GET`` + ``If-None-Match`` revalidations (each must be a 304)."""
    tags = []
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _name, body, accept in requests:
        connection.request("GET", "/sparql?" + body, headers={"Accept": accept})
        response = connection.getresponse()
        response.read()
        tags.append(response.getheader("ETag") or "")
    connection.close()
    counts = [0] * clients
    errors: list[int] = []
    end = time.monotonic() + seconds

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        k = index
        while time.monotonic() < end:
            _name, body, accept = requests[k % len(requests)]
            headers = {"Accept": accept, "If-None-Match": tags[k % len(requests)]}
            k += 1
            conn.request("GET", "/sparql?" + body, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 304:
                errors.append(response.status)
            counts[index] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{len(errors)} revalidations were not 304, e.g. {errors[:3]}")
    return sum(counts) / seconds


def summary(latencies: list[float], seconds: float) -> dict[str, float]:
    """Requests, throughput and latency percentiles of one server at one level."""
    flat = sorted(latencies)
    return {
        "requests": len(flat),
        "rps": len(flat) / seconds,
        "p50_ms": statistics.median(flat) * 1000,
        "p99_ms": flat[min(len(flat) - 1, int(len(flat) * 0.99))] * 1000,
    }


def measure(
    targets: dict[str, tuple[int, str]],
    requests: list[tuple[str, str, str]],
    clients: int,
    seconds: float,
    rounds: int,
) -> dict[str, dict[str, float]]:
    """Both servers at one level, in alternating rounds (so a busy machine hurts both alike)."""
    latencies: dict[str, list[float]] = {name: [] for name in targets}
    for _ in range(rounds):
        for name, (port, path) in targets.items():
            latencies[name] += load(port, path, requests, clients, seconds / rounds)
    return {name: summary(values, seconds) for name, values in latencies.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1,8,32", help="Concurrency levels.")
    parser.add_argument("--seconds", type=float, default=10.0, help="Per level and server.")
    parser.add_argument("--rounds", type=int, default=5, help="Alternations per level.")
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="Short settings (1 and 8 clients, 1 s, 1 round): checks that it runs (CI).",
    )
    args = parser.parse_args()
    if args.smoke:
        args.clients, args.seconds, args.rounds = "1,8", 1.0, 1
    levels = [int(c) for c in args.clients.split(",")]
    executable = oxigraph_executable()
    if executable is None:
        sys.exit("the oxigraph server is not installed (pip install oxigraph)")
    requests = workload()
    with tempfile.TemporaryDirectory(prefix="bench-server-") as folder:
        work = Path(folder)
        kg = start([], work / "kg.log")
        ox_port = free_port()
        ox_log = work / "oxigraph.log"
        with ox_log.open("wb") as log_file:
            oxigraph = subprocess.Popen(
                [executable, "serve", "--location", str(work / "ox"), "--bind",
                 f"127.0.0.1:{ox_port}", "--union-default-graph"],
                stdout=log_file, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{ox_port}"
            wait_until_answering(oxigraph, base + "/query", ox_log)
            subprocess.run(
                [sys.executable, "-m", "kg", "push", "--endpoint", base + "/query",
                 "--update", base + "/update", "--graph-store", base + "/store"],
                check=True, capture_output=True,
            )  # fmt: skip
            targets = {"kg serve": (kg.port, "/sparql"), "oxigraph serve": (ox_port, "/query")}
            for port, path in targets.values():  # warm up both
                load(port, path, requests, 2, 1.0)
            figures = {
                str(clients): measure(targets, requests, clients, args.seconds, args.rounds)
                for clients in levels
            }
            cached = {str(c): cached_load(kg.port, requests, c, args.seconds / 2) for c in levels}
        finally:
            kg.stop()
            stop(oxigraph)
    report(figures, len(requests), args.seconds, args.rounds)
    for clients, rps in cached.items():
        print(f"{clients:>7}  kg serve, revalidated (304): {rps:.0f} req/s")
    if args.json:
        args.json.write_text(json.dumps({"uncached": figures, "revalidated": cached}, indent=2))


def report(
    figures: dict[str, dict[str, dict[str, float]]], queries: int, seconds: float, rounds: int
) -> None:
    """Print one line per concurrency level and server, with kg's ratio to Oxigraph."""
    print(
        f"{queries} named queries, round-robin; {seconds:g} s per level and server, "
        f"in {rounds} alternating rounds"
    )
    print(f"{'clients':>7}  {'server':<15} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}  kg/oxigraph")
    for clients, servers in figures.items():
        ratio = servers["kg serve"]["rps"] / servers["oxigraph serve"]["rps"]
        for name, row in servers.items():
            note = f"{ratio:.2f}× throughput" if name == "kg serve" else ""
            print(
                f"{clients:>7}  {name:<15} {row['rps']:>8.0f} {row['p50_ms']:>8.1f} "
                f"{row['p99_ms']:>8.1f}  {note}"
            )


if __name__ == "__main__":
    main()
