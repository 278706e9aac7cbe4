"""Entity URLs of a merged entity: the old IRI's page is the canonical entity's page."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.data.paths import data_dir
from kg.data.prefixes import PREFIXES
from kg.identity.judgements import Judgement
from kg.identity.loading import load_store
from kg.identity.merge import decide
from kg.server.app import App, Request
from kg.server.front import create_app
from kg.server.settings import ServerConfig

KGR = PREFIXES["kgr"]


@pytest.fixture
def app(data_copy: Path) -> Iterator[App]:
    layout = data_dir(data_copy)
    judgement = Judgement(
        "SameAs", KGR + "OpenAI", KGR + "InflectionAI", "t", "2026-01-01T00:00:00Z"
    )
    decide(layout.triples_dir, load_store(layout), judgement)
    made = create_app(ServerConfig(data=data_copy, workers=1, timeout=10))
    made.allow("127.0.0.1", 8000)
    yield made
    made.pool.close()


@pytest.mark.parametrize(
    "name", ["InflectionAI", "kgr:InflectionAI", KGR + "InflectionAI", "Inflection AI"]
)
def test_the_old_iri_and_both_names_open_the_canonical_page(app: App, name: str) -> None:
    target = "/entity/" + urllib.parse.quote(name, safe="")
    response = app.handle(Request("GET", target, {"host": "127.0.0.1:8000"}, b"", "127.0.0.1"))
    assert response.status == 200
    page = response.body.decode("utf-8")
    assert '<p class="iri"><code>kgr:OpenAI</code>' in page  # the canonical entity's page
    assert "Inflection AI" in page  # with the referent's name among its aliases
