"""The desk shows ``kg xref``'s suggestions beside a new source's proposed entities."""

from __future__ import annotations

from desk_bench import Bench
from desk_bench import bench_fixture as bench_fixture

from kg.review.desk import Desk
from kg.review.view import state


def test_a_proposed_entity_the_data_already_holds_is_suggested_and_taken(bench: Bench) -> None:
    with Desk(bench.layout, bench.draft, user="lin") as desk:
        shown = state(desk)
        [pair] = [x for x in shown["xref"] if x["entity"] == "kgr:New-BeijingShiAIFund"]
        assert (pair["existing"], pair["existing_name"]) == (
            "kgr:BeijingAIFund",
            "北京市人工智能产业投资基金",
        )
        assert pair["score"] >= 0.9 and any("same name" in e for e in pair["evidence"])
        proposed = {e["iri"] for e in shown["entities"]}
        assert {x["entity"] for x in shown["xref"]} <= proposed  # only the draft's new entities
        desk.same_as(pair["entity"], pair["existing"])
        after = state(desk)
        assert "kgr:New-BeijingShiAIFund" not in {e["iri"] for e in after["entities"]}
        assert not [x for x in after["xref"] if x["entity"] == "kgr:New-BeijingShiAIFund"]
