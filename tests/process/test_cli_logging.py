"""``kg -v`` logs what every command does; ``-vv`` adds DEBUG; every command loads the data once.

Each command runs as a real process; its standard error is read as a person would read it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from kg_server import start

ROOT = Path(__file__).resolve().parents[2]
#: A log line: time, level, a ``kg.*`` logger, the message.
LINE = re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+ (DEBUG|INFO|WARNING) (kg(?:\.\w+)*): (.*)$")
#: What loading the data logs, once per parse (rdflib, or Oxigraph).
LOADS = re.compile(r"rdflib parsed \d+ files|Oxigraph loaded \d+ data files")


def kg(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True, text=True, timeout=300, cwd=cwd, env=env,
    )  # fmt: skip


def records(stderr: str) -> list[tuple[str, str, str]]:
    lines = stderr.strip().splitlines()
    found = [LINE.match(line) for line in lines]
    assert all(found), f"lines that are not kg log records: {lines}"
    return [m.groups() for m in found if m]


COMMANDS = {
    "stats": ("stats",),
    "query": ("query", "-n", "funding_by_city"),
    "queries": ("queries",),
    "describe": ("describe", "智谱"),
    "central": ("central",),
    "sources": ("sources",),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_says_what_it_does_with_v(name: str) -> None:
    done = kg("-v", *COMMANDS[name])
    assert done.returncode == 0, done.stderr[-800:]
    logged = records(done.stderr)
    assert ("INFO", "kg.cli", f"kg {name}, data shipped") == logged[0]
    assert logged[-1][2].startswith(f"kg {name}: ended after ")
    work = [(logger, message) for level, logger, message in logged if logger != "kg.cli"]
    assert work, f"kg -v {name} logged only its start and end"
    assert all(level != "DEBUG" for level, _, _ in logged)  # -v: INFO and above


def test_vv_adds_each_query_and_no_v_logs_nothing() -> None:
    done = kg("-vv", "query", "-n", "funding_by_city")
    assert done.returncode == 0, done.stderr[-800:]
    debug = [m for level, logger, m in records(done.stderr) if level == "DEBUG"]
    assert any(re.match(r"SELECT query on oxigraph: \d+ rows in ", m) for m in debug), debug
    quiet = kg("query", "-n", "funding_by_city")
    assert quiet.returncode == 0 and quiet.stderr == ""


@pytest.mark.parametrize("command", [("stats",), ("docs", "-o", "{tmp}")])
def test_the_data_is_loaded_once(command: tuple[str, ...], tmp_path: Path) -> None:
    done = kg("-v", *(part.format(tmp=tmp_path / "docs") for part in command))
    assert done.returncode == 0, done.stderr[-800:]
    loads = [m for _, _, m in records(done.stderr) if LOADS.match(m)]
    assert len(loads) == 1, loads


def test_files_written_are_logged(tmp_path: Path) -> None:
    target = tmp_path / "network.graphml"
    done = kg("-v", "export", "--format", "graphml", "-o", str(target))
    assert done.returncode == 0, done.stderr[-800:]
    wrote = [m for _, logger, m in records(done.stderr) if logger == "kg.data.output"]
    assert wrote == [f"wrote {target} ({target.stat().st_size:,} bytes)"]


def test_kg_serve_parses_the_data_once(tmp_path: Path) -> None:
    """Oxigraph loads the files and nothing parses them again: the ontology page and the
    explorer's projection read the loaded store. The server logs its start at INFO without -v."""
    running = start(["--workers", "1"], tmp_path / "stderr.log")
    try:
        connection = running.connection()
        connection.request("GET", "/ontology")  # built by a worker when first asked
        assert connection.getresponse().status == 200
        connection.close()
    finally:
        running.stop()
    logged = (tmp_path / "stderr.log").read_text(encoding="utf-8")
    assert len(LOADS.findall(logged)) == 1, logged
    assert "rdflib parsed" not in logged, logged
    assert "ontology page built from the loaded store" in logged, logged
