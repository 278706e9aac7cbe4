"""The large view's places from arrays: igraph's communities, seeded, the same every run."""

from __future__ import annotations

import math
import os
import random
import subprocess
import sys

from kg.explore.places import places


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
