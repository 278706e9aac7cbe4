"""What ``kg serve`` no longer indexes at start: labels are read when asked, names on first need.

Labels come from the store (:class:`kg.query.labels.StoreLabels`, one query per batch of IRIs,
the same answers as :func:`kg.query.entity.load_labels`); the resolver's index of names is made
in the server process by the first request that needs it (an entity by name, a named query's
parameter given as a name), never for a plain query; workers are handed IRIs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

import kg
from kg.data.prefixes import PREFIXES
from kg.query import labels as labels_module
from kg.query.entity import load_labels
from kg.query.labels import StoreLabels
from kg.server.app import App, Request, Response
from kg.server.build import create_app
from kg.server.settings import ServerConfig

KGR = PREFIXES["kgr"]
MADE = "the index of names: made on first use"


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    made = create_app(ServerConfig(workers=1, timeout=20))
    made.allow("127.0.0.1", 8000)
    yield made
    made.pool.close()


def get(app: App, target: str) -> Response:
    return app.handle(Request("GET", target, {"host": "127.0.0.1:8000"}, b"", "127.0.0.1"))


def test_store_labels_answer_as_the_loaded_dictionary(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = kg.load().engine
    every = load_labels(engine)
    monkeypatch.setattr(labels_module, "BATCH", 7)  # several queries for one fetch
    labels = StoreLabels(engine, keep=10)
    iris = sorted(every)[:25]
    assert labels.fetch([*iris, "urn:x:none", "not an IRI"]) == {i: every[i] for i in iris}
    assert labels[KGR + "TangJie"] == {"zh": "唐杰", "en": "Tang Jie"}
    assert KGR + "NoSuchThing" not in labels
    with pytest.raises(KeyError, match="NoSuchThing"):
        labels[KGR + "NoSuchThing"]
    assert len(labels._kept) <= 10  # the oldest answers were dropped
    assert set(labels) == set(every) and len(labels) == len(every)


def test_the_index_of_names_is_made_by_the_first_request_that_needs_it(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="kg.server")
    query = "/sparql?query=SELECT%20%3Fs%20WHERE%20%7B%20%3Fs%20a%20kg%3APerson%20%7D"
    assert get(app, query).status == 200
    assert MADE not in caplog.messages
    page = get(app, "/entity/%E5%94%90%E6%9D%B0")  # 唐杰: resolved in the server, by name
    assert page.status == 200 and "Tang Jie" in page.body.decode()
    assert get(app, "/entity/TangJie").status == 200
    assert caplog.messages.count(MADE) == 1
    missing = get(app, "/entity/TangJei")
    assert missing.status == 404 and 'href="/entity/TangJie"' in missing.body.decode()
