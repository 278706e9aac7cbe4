"""A bounded soak of ``kg serve`` on loopback: many clients for a while, nothing lost, memory flat.

``kg serve`` runs with its default limits; each client (a thread with one keep-alive connection)
posts the named queries round-robin as full SPARQL text until the time is up. Reported: requests
answered, per second, p50 and p99 latency, errors, requests lost, and the server's resident memory
after warm-up and at the end. Exit 1 when any request failed or was lost, or when the memory grew
by more than a fifth (plus 10 MiB) after warm-up.

    python benchmarks/bench_soak.py [--clients 64] [--seconds 20] [--json FILE]
    python benchmarks/bench_soak.py --smoke    # 4 clients for 2 s: that it still runs

Loopback only; every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_server import workload  # noqa: E402
from kg_server import RunningServer, start  # noqa: E402


def rss_kib(pid: int) -> int:
    """The resident memory of process ``pid`` (Linux ``/proc``), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def soak(server: RunningServer, clients: int, seconds: float, warm_up: float) -> dict[str, float]:
    """Run the clients; the figures, with the memory after ``warm_up`` seconds and at the end."""
    requests = workload()
    sent, answered = [0] * clients, [0] * clients
    errors: list[str] = []
    latencies: list[list[float]] = [[] for _ in range(clients)]
    end = time.monotonic() + seconds

    def client(index: int) -> None:
        connection = server.connection(timeout=30)
        k = index
        while time.monotonic() < end and sent[index] < 50_000:
            name, body, accept = requests[k % len(requests)]
            k += 1
            started = time.monotonic()
            sent[index] += 1
            try:
                connection.request(
                    "POST",
                    "/sparql",
                    body,
                    {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
                )
                response = connection.getresponse()
                data = response.read()
                if response.status != 200:
                    errors.append(f"{name}: {response.status} {data[:200]!r}")
                elif accept.endswith("json"):
                    json.loads(data)
                answered[index] += 1
                latencies[index].append(time.monotonic() - started)
            except (OSError, http.client.HTTPException, ValueError) as err:
                errors.append(f"{name}: {err!r}")
                connection.close()
                connection = server.connection(timeout=30)
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(warm_up)  # the clients run on until the end
    warm = rss_kib(server.process.pid)
    for thread in threads:
        thread.join(timeout=seconds + 60)
    final = rss_kib(server.process.pid)
    flat = sorted(x for per in latencies for x in per)
    total = sum(answered)
    for error in errors[:5]:
        print(f"error: {error}", file=sys.stderr)
    return {
        "clients": clients,
        "seconds": seconds,
        "answered": total,
        "per_second": total / seconds,
        "p50_ms": statistics.median(flat) * 1000 if flat else 0.0,
        "p99_ms": flat[int(len(flat) * 0.99)] * 1000 if flat else 0.0,
        "errors": len(errors),
        "lost": sum(sent) - total,
        "rss_warm_kib": warm,
        "rss_end_kib": final,
    }


def main() -> int:
    """Soak, print the figures, and exit 1 when a request failed or memory grew."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    parser.add_argument("--smoke", action="store_true", help="4 clients for 2 s")
    args = parser.parse_args()
    clients, seconds = (4, 2.0) if args.smoke else (args.clients, args.seconds)
    with tempfile.TemporaryDirectory(prefix="bench-soak-") as folder:
        server = start([], Path(folder) / "kg.log")
        try:
            figures = soak(server, clients, seconds, warm_up=min(5.0, seconds / 4))
        finally:
            server.stop()
    print(
        f"{figures['clients']:.0f} clients × {seconds:g} s: {figures['answered']:.0f} answers, "
        f"{figures['per_second']:.0f}/s, p50 {figures['p50_ms']:.1f} ms, "
        f"p99 {figures['p99_ms']:.1f} ms, errors {figures['errors']:.0f}, "
        f"lost {figures['lost']:.0f}; RSS {figures['rss_warm_kib']:.0f} KiB after warm-up, "
        f"{figures['rss_end_kib']:.0f} KiB at the end"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    flat = figures["rss_end_kib"] < figures["rss_warm_kib"] * 1.2 + 10_240
    ok = figures["errors"] == 0 and figures["lost"] == 0 and figures["answered"] > 0 and flat
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
