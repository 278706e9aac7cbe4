"""The desk page's HTTP handlers (:mod:`kg.review.server`): the cases mutation testing showed
missing.

A real desk server on loopback over a real desk on a small data folder (as in
``test_mutants_desk.py``), asked with ``http.client``. Decisions the desk refuses before it runs
its checks (an unknown proposal, field, entity or class) show which desk call each action makes
and with what, in a fraction of a second; one decision is carried out whole, with its note, and
undone.
"""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from desk_bench import P, small_folder
from loopback_http import running

from kg.data.paths import DataLayout
from kg.review.desk import Desk
from kg.review.server import DeskServer, make_server

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[DataLayout, Path, Path]:
    tmp = tmp_path_factory.mktemp("desk-server")
    return small_folder(tmp)


@pytest.fixture(scope="module")
def served(folder: tuple[DataLayout, Path, Path]) -> Iterator[DeskServer]:
    layout, draft, text = folder
    with Desk(layout, draft, user="lin", text=text) as desk, running(make_server(desk)) as server:
        yield server


def ask(
    server: DeskServer, method: str, path: str, body: bytes | None = None, **headers: str
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=120)
    sent = {"Host": f"127.0.0.1:{server.server_address[1]}", **headers}
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def decide(server: DeskServer, decision: Any, **headers: str) -> tuple[int, dict[str, Any]]:
    sent = {"X-Desk-Token": server.token, "Content-Type": "application/json", **headers}
    status, _, body = ask(server, "POST", "/api/decide", json.dumps(decision).encode(), **sent)
    return status, json.loads(body)


def web(name: str) -> bytes:
    return resources.files("kg").joinpath("web", name).read_bytes()


def test_the_server_binds_loopback_with_a_long_random_token() -> None:
    class Nothing:
        pass

    desk = Nothing()
    one, two = DeskServer(desk, 0), make_server(desk, 0)  # type: ignore[arg-type]
    try:
        assert one.desk is two.desk is not None
        assert one.server_address[0] == "127.0.0.1"
        assert len(one.token) == 43 and one.token != two.token
        port = one.server_address[1]
        assert one.url == f"http://127.0.0.1:{port}/"
        assert one.hosts() == {f"127.0.0.1:{port}", f"localhost:{port}"}
    finally:
        one.server_close()
        two.server_close()
    for make in (DeskServer, make_server):  # any free port by default: two at once
        first, second = make(desk), make(desk)  # type: ignore[arg-type]
        assert first.server_address != second.server_address
        first.server_close()
        second.server_close()
    free = DeskServer(Nothing(), 0)  # type: ignore[arg-type]
    port = free.server_address[1]
    free.server_close()
    asked = make_server(Nothing(), port)  # type: ignore[arg-type]
    try:
        assert asked.server_address == ("127.0.0.1", port)
    finally:
        asked.server_close()


def test_the_page_and_its_files_with_their_headers(served: DeskServer) -> None:
    status, headers, page = ask(served, "GET", "/")
    assert status == 200
    assert page == web("review.html").replace(b"{{token}}", served.token.encode())
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Content-Length"] == str(len(page))
    assert headers["Content-Security-Policy"] == CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cache-Control"] == "no-store"
    assert headers["Server"] == "kg-review "  # no Python version
    for path, name, media in (
        ("/review.js", "review.js", "text/javascript; charset=utf-8"),
        ("/review.css", "review.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "favicon.svg", "image/svg+xml"),
    ):
        status, headers, body = ask(served, "GET", path + "?v=1")
        assert (status, headers["Content-Type"], body) == (200, media, web(name)), path


def test_the_state_and_the_names_as_json(served: DeskServer) -> None:
    status, headers, body = ask(served, "GET", "/api/state")
    assert status == 200 and headers["Content-Type"] == "application/json; charset=utf-8"
    assert "星河资本".encode() in body  # written as UTF-8, not escaped
    assert json.loads(body)["user"] == "lin"
    status, _, body = ask(served, "GET", "/api/suggest?q=%E6%98%9F%E6%B2%B3")
    assert (status, json.loads(body)) == (
        200,
        {"names": [{"iri": "kgr:New-XingheZiben", "name": "星河资本", "new": "1"}]},
    )
    assert json.loads(ask(served, "GET", "/api/suggest")[2]) == {"names": []}
    # the name asked is read to its 100th character
    padded = "/api/suggest?q=" + "+" * 99 + "%E6%98%9F%E6%B2%B3"
    assert len(json.loads(ask(served, "GET", padded)[2])["names"]) == 1
    padded = "/api/suggest?q=" + "+" * 100 + "%E6%98%9F%E6%B2%B3"
    assert json.loads(ask(served, "GET", padded)[2]) == {"names": []}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_another_host_or_path_is_refused_in_json(served: DeskServer, method: str) -> None:
    status, headers, body = ask(served, method, "/", Host="evil.example")
    assert (status, json.loads(body)) == (
        403,
        {"error": "wrong Host: open the desk at its 127.0.0.1 address"},
    )
    assert headers["Content-Security-Policy"] == CSP
    port = served.server_address[1]
    assert ask(served, "GET", "/api/state", Host=f"localhost:{port}")[0] == 200
    assert ask(served, method, "/api/state", Host=f"127.0.0.1:{port + 1}")[0] == 403
    if method == "GET":
        assert ask(served, "GET", "/nothing")[0] == 404
        assert json.loads(ask(served, "GET", "/nothing")[2]) == {"error": "no such page"}
    else:
        sent = {"X-Desk-Token": served.token, "Content-Type": "application/json"}
        status, _, body = ask(served, "POST", "/api/other", b"{}", **sent)
        assert (status, json.loads(body)) == (404, {"error": "no such action"})


def test_a_post_needs_the_token_an_own_origin_json_and_a_small_object(
    served: DeskServer,
) -> None:
    port = served.server_address[1]
    unknown = {"action": "dance"}
    assert decide(served, unknown) == (400, {"error": "unknown action 'dance'"})
    assert decide(served, unknown, **{"X-Desk-Token": ""}) == (
        403,
        {"error": "missing or wrong desk token: reload the page"},
    )
    assert decide(served, unknown, Origin=f"http://localhost:{port}")[0] == 400
    assert decide(served, unknown, Origin=f"http://127.0.0.1:{port}")[0] == 400
    assert decide(served, unknown, Origin=f"http://127.0.0.1:{port + 1}") == (
        403,
        {"error": "cross-site request refused"},
    )
    assert decide(served, unknown, **{"Content-Type": "application/json; charset=utf-8"})[0] == 400
    assert decide(served, unknown, **{"Content-Type": "text/json"}) == (415, {"error": "send JSON"})
    sent = {"X-Desk-Token": served.token, "Content-Type": "application/json"}
    small = {"error": "a decision is a small JSON object"}
    status, _, body = ask(served, "POST", "/api/decide", b"", **sent)
    assert (status, json.loads(body)) == (400, small)
    status, _, body = ask(served, "POST", "/api/decide", None, **sent)
    assert (status, json.loads(body)) == (400, small)
    limit = 64 * 1024
    largest = b'{"action": "dance"}'.ljust(limit)
    status, _, body = ask(served, "POST", "/api/decide", largest, **sent)
    assert (status, json.loads(body)) == (400, {"error": "unknown action 'dance'"})
    status, _, body = ask(served, "POST", "/api/decide", largest + b" ", **sent)
    assert (status, json.loads(body)) == (400, small)
    status, _, body = ask(served, "POST", "/api/decide", b"{nope", **sent)
    assert (status, json.loads(body)) == (400, {"error": "not JSON"})
    status, _, body = ask(served, "POST", "/api/decide", b'["accept"]', **sent)
    assert (status, json.loads(body)) == (400, {"error": "a decision is a JSON object"})
    assert decide(served, {}) == (400, {"error": "unknown action ''"})


def test_each_action_reaches_the_desk_with_what_the_page_sent(served: DeskServer) -> None:
    for action in ("accept", "reject"):
        status, said = decide(served, {"action": action, "proposal": "draft-nope-1"})
        example = "draft-1a2b3c4d-000021-1"
        error = f"'draft-nope-1': not a proposal's name; they look like {example}"
        assert (status, said) == (404, {"error": error}), action
    status, said = decide(
        served, {"action": "edit", "proposal": P + "000021-1", "field": "kg:nope", "value": "智谱"}
    )
    assert (status, said) == (400, {"error": "role kg:nope: not a property a fact can use here"})
    status, said = decide(
        served, {"action": "edit", "proposal": P + "000021-1", "field": "amount", "value": "许多"}
    )
    assert status == 400 and "许多" in said["error"]
    status, said = decide(served, {"action": "edit", "proposal": P + "000021-1"})
    assert (status, said) == (400, {"error": "role kgr:: not a property a fact can use here"})
    status, said = decide(
        served,
        {"action": "name", "entity": "kgr:New-XingheZiben", "label_en": "X", "class": "kg:Nope"},
    )
    assert (status, said) == (400, {"error": "class kg:Nope: not a class of the ontology"})
    status, said = decide(served, {"action": "name", "entity": "kgr:New-Nobody", "label_zh": "谁"})
    assert (status, said) == (
        400,
        {"error": "kgr:New-Nobody: not an entity or fact this draft proposes"},
    )
    status, said = decide(
        served, {"action": "same-as", "entity": "kgr:New-XingheZiben", "existing": "完全不存在"}
    )
    assert status == 404 and "完全不存在" in said["error"]
    status, said = decide(
        served, {"action": "create", "label_zh": "新名", "label_en": "New Name", "class": "kg:Nope"}
    )
    assert (status, said) == (400, {"error": "class kg:Nope: not a class of the ontology"})
    status, said = decide(served, {"action": "undo"})
    assert status == 400 and said["error"].endswith("xinghe-news.draft.trig: nothing to undo")


def test_a_decision_is_carried_out_with_its_note_and_undone(
    served: DeskServer, folder: tuple[DataLayout, Path, Path]
) -> None:
    layout, draft, _ = folder
    before = draft.read_bytes()
    status, said = decide(
        served, {"action": "reject", "proposal": P + "000111-1", "note": "一个看法"}
    )
    assert (status, said) == (200, {"done": f"reject {P}000111-1"})
    target = layout.sources_dir / "Source-cd35c5bbcc4e.trig"
    assert "一个看法" in target.read_text(encoding="utf-8")
    assert decide(served, {"action": "undo"}) == (200, {"done": f"undo reject {P}000111-1"})
    assert draft.read_bytes() == before


def test_what_the_page_leaves_out_reaches_the_desk_as_empty(served: DeskServer) -> None:
    assert decide(served, {"action": "accept"}) == (
        404,
        {"error": "'': not a proposal's name; they look like draft-1a2b3c4d-000021-1"},
    )
    assert decide(served, {"action": "name", "label_zh": "谁"}) == (
        400,
        {"error": "kgr:: not an entity or fact this draft proposes"},
    )
    status, said = decide(served, {"action": "same-as", "entity": "kgr:New-XingheZiben"})
    assert status == 404 and said["error"].startswith("no entity is called ''; ")
    assert decide(
        served, {"action": "same-as", "entity": "kgr:New-Nobody", "existing": "智谱"}
    ) == (
        400,
        {"error": "kgr:New-Nobody: not an entity this draft proposes"},
    )
    assert decide(served, {"action": "same-as", "existing": "智谱"}) == (
        400,
        {"error": "kgr:: not an entity this draft proposes"},
    )
    assert decide(served, {"action": "create", "label_zh": "某", "label_en": "M"}) == (
        400,
        {"error": "class kgr:: not a class of the ontology"},
    )
    # an empty label or class is none given: not an empty name
    empty = {"action": "name", "entity": "kgr:New-XingheZiben", "label_zh": "", "label_en": ""}
    assert decide(served, {**empty, "class": "kg:Nope"}) == (
        400,
        {"error": "class kg:Nope: not a class of the ontology"},
    )
    assert decide(served, {**empty, "class": ""}) == (
        400,
        {"error": "nothing to change: give a label or a class"},
    )
    for missing in ("label_zh", "label_en"):
        decision = {
            "action": "create",
            "label_zh": "某某",
            "label_en": "Mou",
            "class": "kg:Company",
        }
        del decision[missing]
        assert decide(served, decision) == (
            400,
            {"error": "a new entity needs a Chinese and an English name"},
        ), missing


def test_a_naming_carries_its_labels_and_note_and_an_empty_class_is_none(
    served: DeskServer, folder: tuple[DataLayout, Path, Path]
) -> None:
    layout, draft, _ = folder
    before = draft.read_bytes()
    named = {
        "action": "name",
        "entity": "kgr:New-XingheZiben",
        "label_zh": "星河资本",
        "label_en": "Xinghe Capital",
        "class": "",
        "note": "名从官网",
    }
    said = "edit New-XingheZiben: kgr:New-XingheZiben: label@zh 星河资本, label@en Xinghe Capital"
    assert decide(served, named) == (200, {"done": said})
    target = layout.sources_dir / "Source-cd35c5bbcc4e.trig"
    assert "名从官网" in target.read_text(encoding="utf-8")
    assert decide(served, {"action": "undo"}) == (200, {"done": "undo " + said})
    assert draft.read_bytes() == before


def test_a_desk_error_on_a_page_is_json_with_its_status(
    served: DeskServer, folder: tuple[DataLayout, Path, Path]
) -> None:
    _, draft, _ = folder
    before = draft.read_bytes()
    draft.write_text("this is not TriG {", encoding="utf-8")
    try:
        status, headers, body = ask(served, "GET", "/api/state")
    finally:
        draft.write_bytes(before)
    assert status == 400 and headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(body)["error"].startswith(f"{draft}")


def test_headers_a_post_leaves_out_are_refused_in_json(served: DeskServer) -> None:
    port = served.server_address[1]
    host = {"Host": f"127.0.0.1:{port}"}
    decision = json.dumps({"action": "dance"}).encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:  # no token at all
        connection.request(
            "POST", "/api/decide", decision, {**host, "Content-Type": "application/json"}
        )
        response = connection.getresponse()
        assert (response.status, json.loads(response.read())) == (
            403,
            {"error": "missing or wrong desk token: reload the page"},
        )
        # no content type at all (http.client sends none when not told)
        connection.request("POST", "/api/decide", decision, {**host, "X-Desk-Token": served.token})
        response = connection.getresponse()
        assert (response.status, json.loads(response.read())) == (415, {"error": "send JSON"})
    finally:
        connection.close()
    # a body of one byte is read (and is no object)
    sent = {"X-Desk-Token": served.token, "Content-Type": "application/json"}
    status, _, body = ask(served, "POST", "/api/decide", b"1", **sent)
    assert (status, json.loads(body)) == (400, {"error": "a decision is a JSON object"})
    # no Content-Length: no body is read
    with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
        sock.sendall(
            f"POST /api/decide HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n"
            f"X-Desk-Token: {served.token}\r\nContent-Type: application/json\r\n\r\n".encode()
        )
        sock.shutdown(socket.SHUT_WR)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.0 400 ")
    assert json.loads(reply.partition(b"\r\n\r\n")[2]) == {
        "error": "a decision is a small JSON object"
    }
