"""Every benchmark still runs: each ``benchmarks/bench_*.py`` at its smallest size (``--smoke``).

The benchmarks measure (their figures are ratios, printed, and never asserted here); this only
keeps them from rotting unnoticed: each runs to the end, at a size that takes seconds, and exits 0.
A new benchmark is picked up by its name, and must accept ``--smoke``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = sorted((ROOT / "benchmarks").glob("bench_*.py"))
#: Seconds one smoke run may take on a busy two-core machine (they take 3-25 s alone).
LIMIT = 180


def test_the_benchmarks_are_found() -> None:
    assert {p.stem for p in BENCHMARKS} >= {"bench_engines", "bench_server", "bench_soak"}


@pytest.mark.parametrize("bench", BENCHMARKS, ids=[p.stem for p in BENCHMARKS])
def test_benchmark_runs_at_smoke_size(bench: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("KG_DATA", None)  # the shipped data, as a benchmark run from the checkout sees it
    done = subprocess.run(
        [sys.executable, str(bench), "--smoke"],
        capture_output=True,
        text=True,
        timeout=LIMIT,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, f"{bench.name} --smoke failed:\n{done.stdout}\n{done.stderr}"
    assert done.stdout.strip(), f"{bench.name} --smoke printed no figures"
