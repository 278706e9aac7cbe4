"""The network view of merged data: one node, found by the old IRI and both names."""

from __future__ import annotations

from pathlib import Path

import kg
from kg.data.paths import data_dir
from kg.data.prefixes import PREFIXES
from kg.identity.judgements import Judgement
from kg.identity.loading import load_store
from kg.identity.merge import decide
from kg.network.analytics import resolve
from kg.network.projection import to_networkx

KGR = PREFIXES["kgr"]


def test_a_referent_is_no_node_and_still_names_its_entity(data_copy: Path) -> None:
    layout = data_dir(data_copy)
    judgement = Judgement(
        "SameAs", KGR + "OpenAI", KGR + "InflectionAI", "t", "2026-01-01T00:00:00Z"
    )
    decide(layout.triples_dir, load_store(layout), judgement)
    nxg = to_networkx(kg.load(data_copy, lazy=True))
    assert KGR + "InflectionAI" not in nxg and KGR + "OpenAI" in nxg
    for name in ("InflectionAI", "kgr:InflectionAI", "Inflection AI", "OpenAI"):
        assert resolve(nxg, name) == KGR + "OpenAI"
    # the referent's facts are the canonical entity's: Inflection AI's model team belonged to it
    assert nxg.has_edge(KGR + "InflectionAI-ModelTeam", KGR + "OpenAI") or nxg.has_edge(
        KGR + "OpenAI", KGR + "InflectionAI-ModelTeam"
    )
