"""The large view's places from arrays: igraph's communities, seeded, the same every run."""

from __future__ import annotations

import math
import os
import random
import subprocess
import sys

import networkx as nx
import pytest

from kg.explore.places import DENSE_LIMIT, _spring, places


def _two_cliques() -> list[tuple[int, int]]:
    """Two 6-cliques (0–5, 6–11) joined by one link, with a repeated link and a self-link."""
    links = [(a, b) for a in range(6) for b in range(a + 1, 6)]
    links += [(a + 6, b + 6) for a, b in links]
    return [*links, (5, 6), (1, 0), (3, 3)]


def test_two_cliques_are_two_communities_in_their_discs() -> None:
    placed = places(13, _two_cliques(), seed=7)  # node 12 is alone
    assert sorted(map(sorted, placed.members)) == [list(range(6)), list(range(6, 12)), [12]]
    assert placed.degree[:7] == [5, 5, 5, 5, 5, 6, 6]  # the repeated and self links not counted
    # the best connected first: 5 and 6 hold the link between the cliques
    assert {placed.members[0][0], placed.members[1][0]} == {5, 6}
    for c, (x, y, radius) in enumerate(placed.discs):
        for node in placed.members[c]:
            assert placed.community[node] == c
            assert math.hypot(placed.x[node] - x, placed.y[node] - y) <= radius + 0.2


def test_the_places_are_seeded_and_leave_pythons_random_alone() -> None:
    rng = random.Random(1)
    links = [(rng.randrange(400), rng.randrange(400)) for _ in range(900)]
    random.seed(99)
    expected = random.random()
    random.seed(99)
    first = places(400, links, seed=7)
    assert random.random() == expected  # igraph's generator was given back
    assert places(400, list(reversed(links)), seed=7) == first
    assert places(400, links, seed=8) != first


def test_the_places_are_the_same_in_another_process() -> None:
    code = (
        "import hashlib, random; from kg.explore.places import places; r = random.Random(2); "
        "links = [(r.randrange(300), r.randrange(300)) for _ in range(700)]; "
        "print(hashlib.sha256(repr(places(300, links, seed=7)).encode()).hexdigest())"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        ).stdout
        for env in ({**os.environ, "PYTHONHASHSEED": "1"}, {**os.environ, "PYTHONHASHSEED": "2"})
    }
    assert len(runs) == 1


def test_no_nodes_no_places() -> None:
    placed = places(0, [], seed=7)
    assert (placed.x, placed.members, placed.discs) == ([], [], [])


def test_a_block_of_many_communities_is_laid_out_without_scipy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "scipy", None)  # as on a fresh install: no SciPy
    with pytest.raises(ImportError, match="scipy"):
        nx.spring_layout(nx.cycle_graph(DENSE_LIMIT), seed=7)  # what NetworkX would have needed
    block = nx.cycle_graph(DENSE_LIMIT + 100)
    block.add_weighted_edges_from((i, (i * 7) % len(block), 3) for i in range(0, len(block), 5))
    first = _spring(block, seed=7)
    assert first == _spring(block, seed=7)  # seeded
    assert sorted(first) == list(block)
    assert max(max(abs(x), abs(y)) for x, y in first.values()) == pytest.approx(1.0)
    assert abs(sum(x for x, _ in first.values())) < 1e-6  # centred, as NetworkX rescales
    small = _spring(nx.cycle_graph(10), seed=7)  # below the limit: NetworkX's dense layout
    assert small == {
        c: (float(x), float(y))
        for c, (x, y) in nx.spring_layout(nx.cycle_graph(10), seed=7, iterations=50).items()
    }
