"""ETags part by part: what goes into the version and the tag, and how ``If-None-Match`` is read.

A real :class:`kg.server.app.App` answers in process (no socket); the version digest and the
header parser are also checked on their own. Written to kill the mutants the ETag tests let live
(``benchmarks/mutation.py etag``; see docs/mutation.md).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import replace
from importlib.metadata import PackageNotFoundError, version

import pytest

from kg.server.app import App, Response, ServerConfig, _tags, answer_version
from kg.server.build import create_app
from kg.server.messages import Request

TAG = re.compile(r'^"[0-9a-f]{32}"$')
STATIC = {"/static/a.js": ("text/javascript", b"a()"), "/": ("text/html", b"<p>")}


def call(app: App, method: str, target: str, **headers: str) -> Response:
    names = {"host": "127.0.0.1:8000", **{k.replace("_", "-"): v for k, v in headers.items()}}
    return app.handle(Request(method, target, names, b"", "127.0.0.1"))


def etag(response: Response) -> str | None:
    return dict(response.headers).get("ETag")


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    made = create_app(ServerConfig(workers=1, timeout=20))
    made.allow("127.0.0.1", 8000)
    made.allow("localhost", 8000)
    yield made
    made.pool.close()


@pytest.mark.parametrize(
    ("header", "tags"),
    [
        (None, set()),
        ("", set()),
        ('"a"', {'"a"'}),
        ('W/"a"', {'"a"'}),
        (' "a" ,W/"b",  "c"  ', {'"a"', '"b"', '"c"'}),
    ],
)
def test_if_none_match_names_its_tags_weak_ones_as_strong(
    header: str | None, tags: set[str]
) -> None:
    assert _tags(header) == tags


def test_the_version_is_a_full_sha256_digest_of_its_parts() -> None:
    config = ServerConfig()
    version = answer_version("data", config, b"[]", STATIC)
    assert re.fullmatch(r"[0-9a-f]{64}", version)
    assert version == answer_version("data", config, b"[]", dict(reversed(STATIC.items())))


def test_every_part_changes_the_version() -> None:
    config = ServerConfig()
    base = answer_version("data", config, b"[]", STATIC)
    changed = [
        answer_version("data2", config, b"[]", STATIC),
        answer_version("data", replace(config, max_rows=7), b"[]", STATIC),
        answer_version("data", config, b"[1]", STATIC),
        answer_version("data", config, b"[]", {**STATIC, "/static/a.js": ("text/plain", b"a()")}),
        answer_version(
            "data", config, b"[]", {**STATIC, "/static/a.js": ("text/javascript", b"b")}
        ),
        answer_version("data", config, b"[]", {"/static/b.js": STATIC["/static/a.js"]}),
        answer_version("data", config, b"[]", {}),
    ]
    assert base not in changed
    assert len(set(changed)) == len(changed)


def test_parts_are_kept_apart() -> None:
    # The same bytes split differently between the data and the catalogue are another version.
    config = ServerConfig()
    assert answer_version("a", config, b"b", {}) != answer_version("ab", config, b"", {})
    static_one = {"/x": ("text/plain", b"")}
    static_two = {"/": ("xtext/plain", b"")}
    assert answer_version("d", config, b"", static_one) != answer_version(
        "d", config, b"", static_two
    )


def test_a_tag_is_32_hex_digits_of_the_version_and_the_request(app: App) -> None:
    response = call(app, "GET", "/queries")
    assert response.status == 200
    key = "\0".join([app.version, "/queries", "", "127.0.0.1:8000", ""])
    assert etag(response) == '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def test_head_is_tagged_as_get_is(app: App) -> None:
    assert etag(call(app, "HEAD", "/queries")) == etag(call(app, "GET", "/queries"))


@pytest.mark.parametrize(
    "headers",
    [{"accept": "text/html"}, {"host": "localhost:8000"}, {"origin": "http://127.0.0.1:8000"}],
)
def test_accept_host_and_origin_are_in_the_tag(app: App, headers: dict[str, str]) -> None:
    plain = etag(call(app, "GET", "/queries"))
    other = etag(call(app, "GET", "/queries", **headers))
    assert plain is not None and other is not None and TAG.match(other)
    assert other != plain


def test_the_target_is_in_the_tag(app: App) -> None:
    assert etag(call(app, "GET", "/static/query.js")) != etag(call(app, "GET", "/queries"))


def test_routes_that_must_not_be_stored_get_no_tag(app: App) -> None:
    for method, target in (("GET", "/health"), ("POST", "/sparql")):
        response = call(app, method, target)
        assert etag(response) is None, target
        assert dict(response.headers)["Cache-Control"] == "no-store"


@pytest.mark.parametrize("form", ["{tag}", "W/{tag}", '"other", {tag}', 'W/"x",W/{tag}'])
def test_a_matching_tag_in_any_form_is_a_304(app: App, form: str) -> None:
    tag = etag(call(app, "GET", "/queries"))
    assert tag is not None
    answer = call(app, "GET", "/queries", if_none_match=form.format(tag=tag))
    assert answer.status == 304 and answer.body == b""
    assert etag(answer) == tag


def test_a_stale_tag_gets_the_answer(app: App) -> None:
    answer = call(app, "GET", "/queries", if_none_match='"0123456789abcdef0123456789abcdef"')
    assert answer.status == 200 and answer.body.startswith(b'{"prefixes": ')


def test_the_version_digests_the_parts_in_the_documented_order() -> None:
    # data and engine, settings, the installed package's version, the catalogue, then each
    # static file by path: media type and the digest of its body.
    try:
        package = version("zhipu-kg")
    except PackageNotFoundError:
        package = "unknown"
    config = ServerConfig()
    digest = hashlib.sha256()
    for part in ("data", repr(config), package):
        digest.update(part.encode() + b"\0")
    digest.update(b"[]\0")
    for path, (media, body) in sorted(STATIC.items()):
        digest.update(f"{path}\0{media}\0".encode() + hashlib.sha256(body).digest())
    assert answer_version("data", config, b"[]", STATIC) == digest.hexdigest()
