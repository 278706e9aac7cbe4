"""Paths by meaning from a real ``kg serve``: its ``/path`` answer, and the served explorer's path
panel in headless Chromium, both showing the first path of :func:`kg.network.paths.ranked_paths`.

The browser tests need ``/usr/bin/chromium`` (``bash scripts/install-browser.sh``) and the
``playwright`` package; without them they are skipped, loudly, and in CI (``$CI`` set) they fail.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

import networkx as nx
import pytest
from kg_server import RunningServer, start

import kg
from kg.network.paths import PANEL_TEXT, path_document, ranked_paths
from kg.network.projection import to_networkx

BUSINESS_MODEL = ["kg:ledBy", "kg:businessModel", "kg:businessModel"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start(["--workers", "1"], tmp_path_factory.mktemp("serve-paths") / "stderr.log")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def nxg(graph: kg.KnowledgeGraph) -> nx.MultiDiGraph:
    return to_networkx(graph)


def get(server: RunningServer, **params: str) -> tuple[int, str, bytes]:
    connection = server.connection()
    connection.request("GET", "/path?" + urllib.parse.urlencode(params))
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader("Content-Type") or "", body


# ---------------------------------------------------------------- the server's answer
def test_the_server_answers_the_ranking_of_the_python_api(
    server: RunningServer, nxg: nx.MultiDiGraph
) -> None:
    status, media, body = get(server, **{"from": "唐杰", "to": "商汤", "k": "3"})
    assert status == 200 and media.startswith("application/json")
    document = json.loads(body)
    assert document["from"]["label_zh"] == "唐杰" and document["to"]["label_en"] == "SenseTime"
    expected = path_document(nxg, ranked_paths(nxg, "唐杰", "商汤", k=3))
    assert document["paths"] == json.loads(json.dumps(expected["paths"], ensure_ascii=False))
    first = document["paths"][0]
    assert [hop["relation"] for hop in first["hops"]] == BUSINESS_MODEL
    assert all(hop["evidence"][0]["quote"] for hop in first["hops"])


@pytest.mark.parametrize(
    ("params", "status", "says"),
    [
        ({"from": "唐杰"}, 400, "give both ends"),
        ({"from": "唐杰", "to": "商汤", "k": "0"}, 400, "k must be a whole number"),
        ({"from": "唐杰", "to": "商汤", "k": "２"}, 400, "k must be a whole number"),
        ({"from": "唐洁洁洁", "to": "商汤"}, 404, "no entity is called"),
    ],
)
def test_the_server_refuses_a_wrong_request_in_one_line(
    server: RunningServer, params: dict[str, str], status: int, says: str
) -> None:
    got, _, body = get(server, **params)
    assert got == status and says in body.decode("utf-8")


# ---------------------------------------------------------------- the explorer's path panel
@pytest.fixture
def explorer(browser: Any, server: RunningServer) -> Iterator[Any]:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(server.base) else None,
    )
    page.goto(server.base + "/explore")
    for _ in range(300):
        if page.evaluate("() => Boolean(window.kgExplorer && window.kgExplorer.ready)"):
            break
        page.wait_for_timeout(100)
    yield page
    page.close()
    assert errors == [] and outside == []


def panel_path(page: Any, source: str, target: str) -> dict[str, Any]:
    page.fill("#path-from", source)
    page.fill("#path-to", target)
    page.click("#path-go")
    return dict(
        page.evaluate(
            """() => {
              const items = [...document.querySelectorAll('#details-body ol > li')];
              return {
                title: document.querySelector('#details-body h3').textContent,
                hops: items.map((li) => ({
                  names: [...li.querySelectorAll(':scope > button')].map((b) => b.textContent),
                  claim: li.classList.contains('claim'),
                  text: li.textContent,
                  quotes: li.querySelectorAll('blockquote').length,
                })),
              };
            }"""
        )
    )


def test_the_panel_shows_the_servers_first_path_with_a_quote_per_hop(
    explorer: Any, server: RunningServer
) -> None:
    _, _, body = get(server, **{"from": "唐杰", "to": "商汤科技", "k": "1"})
    hops = json.loads(body)["paths"][0]["hops"]
    shown = panel_path(explorer, "唐杰", "商汤科技")
    assert shown["title"] == PANEL_TEXT["zh"]["title"] + ": 唐杰 → 商汤科技"
    assert len(shown["hops"]) == len(hops) == 3
    for item, hop in zip(shown["hops"], hops, strict=True):
        ends = {hop["from"]["label_zh"], hop["to"]["label_zh"]}
        assert {item["names"][0], item["names"][-1]} == ends
        assert item["names"][1].startswith(hop["label_zh"])  # the edge's caption
        assert item["quotes"] >= 1 and not item["claim"]
    assert "卖服务+卖场景" in shown["hops"][1]["text"]
    explorer.click("#lang-toggle")
    assert explorer.text_content("#details-body h3").startswith(PANEL_TEXT["en"]["title"])


def test_the_panel_shows_a_claim_as_context_saying_who_says_it(
    explorer: Any, server: RunningServer
) -> None:
    _, _, body = get(server, **{"from": "传言(“被传”)", "to": "BAT", "k": "1"})
    hop = json.loads(body)["paths"][0]["hops"][0]
    assert hop["kind"] == "claim"
    shown = panel_path(explorer, "传言(“被传”)", "BAT")
    (item,) = shown["hops"]
    assert item["claim"] and item["text"].startswith(PANEL_TEXT["zh"]["claim"] + ": ")
    assert hop["says_zh"] in item["text"] and item["quotes"] >= 1


NAMED = ["智谱", "唐杰", "张鹏", "商汤科技", "清华大学", "北京市人工智能产业投资基金",
         "杭州国资平台", "阿里巴巴", "腾讯", "OpenAI", "GLM-130B", "卖服务+卖场景", "巨头",
         "港股"]  # fmt: skip


def test_the_page_walks_the_first_path_of_the_ranking_between_every_pair(
    explorer: Any, nxg: nx.MultiDiGraph
) -> None:
    ids = sorted({kg.network.analytics.resolve(nxg, name) for name in NAMED})
    walked = explorer.evaluate(
        """(ids) => {
          const d = kgExplorer.data, out = {};
          const ends = (i) => [d.edges[i].from, d.edges[i].to];
          for (const a of ids) for (const b of ids) if (a < b) {
            const hops = KgPaths.firstPath(d.paths, ends, a, b, () => true);
            let at = a;
            out[a + " " + b] = hops && [a].concat(hops.map((i) => {
              const e = d.edges[i]; at = e.from === at ? e.to : e.from; return at; }));
          }
          return out;
        }""",
        ids,
    )
    assert len(walked) == len(ids) * (len(ids) - 1) // 2
    for pair, nodes in walked.items():
        a, b = pair.split(" ")
        assert nodes == ranked_paths(nxg, a, b, k=1)[0].nodes, pair


def test_the_panel_walks_around_what_the_filters_hide(explorer: Any) -> None:
    first = panel_path(explorer, "唐杰", "商汤科技")
    middle = first["hops"][1]["names"][-1]  # 卖服务+卖场景, the business model both share
    hidden = explorer.evaluate(
        "(name) => kgExplorer.data.nodes.find((n) => n.label_zh === name).class", middle
    )
    explorer.uncheck(f'input[data-class="{hidden}"]')
    around = panel_path(explorer, "唐杰", "商汤科技")
    assert around["hops"] and around["hops"] != first["hops"]
    names = {name for hop in around["hops"] for name in hop["names"]}
    assert middle not in names
    shown = set(explorer.evaluate("kgExplorer.visibleNodeIds()"))
    selected = explorer.evaluate("kgExplorer.network.getSelectedNodes()")
    assert set(selected) <= shown
    explorer.uncheck('input[data-class="kg:Person"]')  # 唐杰 himself hidden: no path shown
    explorer.fill("#path-from", "唐杰")
    explorer.fill("#path-to", "商汤科技")
    explorer.click("#path-go")
    assert explorer.text_content("#details-body") == PANEL_TEXT["zh"]["hidden"]
