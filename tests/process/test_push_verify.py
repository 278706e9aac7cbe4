"""``kg push`` believes only what the server counts: a real ``oxigraph serve`` behind a proxy that
loses or adds a triple on the way.

The proxy is a middlebox on loopback that forwards every request to the real server unchanged,
except, when armed, the first request that carries triples (a Graph Store body, an ``INSERT``
update, form-encoded or direct): it drops that request's last triple, or adds one triple (a copy
of its first with another subject). The push goes through the public command, ``kg push``, and
must exit 1 without replacing any graph: the staged graphs are counted before the switch, and a
count that is one too high is as wrong as one too low. The same push through the disarmed proxy
succeeds, so the proxy itself hides nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from oxigraph_server import serving_oxigraph
from push_proxy import EXTRA_SUBJECT, Proxy, serving_proxy, tamper_lines

from kg.remote.client import SparqlClient

ROOT = Path(__file__).resolve().parents[2]


def test_tamper_lines_drops_the_last_triple_or_adds_one() -> None:
    text = 'INSERT DATA { GRAPH <urn:g> {\n<urn:a> <urn:p> "x y" .\n_:b <urn:p> <urn:c> .\n} }'
    assert (
        tamper_lines(text, "drop") == 'INSERT DATA { GRAPH <urn:g> {\n<urn:a> <urn:p> "x y" .\n} }'
    )
    added = tamper_lines(text, "extra")
    assert added is not None and f'{EXTRA_SUBJECT} <urn:p> "x y" .\n<urn:a>' in added
    assert tamper_lines("MOVE GRAPH <urn:a> TO GRAPH <urn:b>", "drop") is None


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh ``oxigraph serve`` (base URL), holding the shipped data pushed once directly."""
    with serving_oxigraph(tmp_path_factory.mktemp("push-verify"), union_default_graph=True) as base:
        done = push_to(base)
        assert done.returncode == 0, done.stderr[-800:]
        yield base


@pytest.fixture
def proxy(oxigraph: str) -> Iterator[Proxy]:
    """The proxy in front of the server (no rule yet)."""
    with serving_proxy(int(oxigraph.rsplit(":", 1)[1])) as server:
        yield server


def tampering(mode: str) -> tuple[Callable[[str], str | None], list[str]]:
    """A rule that changes the first request carrying triples (``mode``), and what it changed."""
    changed: list[str] = []

    def rule(text: str) -> str | None:
        new = None if changed else tamper_lines(text, mode)
        if new is not None:
            changed.append(new)
        return new

    return rule, changed


def push_to(base: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """``kg push`` to the server at ``base`` (query, update and graph-store URLs)."""
    return subprocess.run(
        [sys.executable, "-m", "kg", "push", "--endpoint", base + "/query",
         "--update", base + "/update", *extra],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def graph_counts(base: str) -> dict[str, int]:
    """Triples per named graph, as the server counts them."""
    rows = (
        SparqlClient(base + "/query", timeout=60)
        .query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", "SELECT")
        .rows
    )
    return {str(g.value): int(n.value) for g, n in rows}


def kept(counts: dict[str, int]) -> dict[str, int]:
    """The counts of the pushed graphs (staging graphs left out)."""
    return {g: n for g, n in counts.items() if "staging" not in g}


@pytest.mark.parametrize(
    ("route", "mode"), [("update", "drop"), ("update", "extra"), ("graph-store", "drop")]
)
def test_a_push_whose_counts_differ_fails_and_replaces_nothing(
    oxigraph: str, proxy: Proxy, mode: str, route: str
) -> None:
    before = kept(graph_counts(oxigraph))
    assert sum(before.values()) > 1000
    through = f"http://127.0.0.1:{proxy.server_address[1]}"
    extra = ["--graph-store", through + "/store"] if route == "graph-store" else []
    proxy.rule, changed = tampering(mode)
    done = push_to(through, *extra)
    assert len(changed) == 1, "the proxy saw no triples to tamper with"
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr[-800:])
    assert "Traceback" not in done.stderr and done.stderr.strip()
    # staged counts are checked before the switch: every graph still holds what it held
    assert kept(graph_counts(oxigraph)) == before
    proxy.rule = None
    again = push_to(through, *extra)
    assert again.returncode == 0, again.stderr[-800:]
    assert kept(graph_counts(oxigraph)) == before
    assert not [g for g in graph_counts(oxigraph) if "staging" in g], "staging left over"
