"""The server's settings are spelled once: the records make the CLI options and the docs table."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.cli.main import main
from kg.cli.serve import serve
from kg.server.settings import ServerConfig, limits_table, settings
from kg.server.workers import default_size

DOCS = Path(__file__).resolve().parents[2] / "docs" / "server.md"


def _parsed(*args: str) -> ServerConfig:
    """The config ``kg serve ARGS`` would run with (the options parsed as click parses them)."""
    with serve.make_context("serve", list(args), obj=None) as ctx:
        given = {k: v for k, v in ctx.params.items() if k not in {"include_drafts", "as_of"}}
        return ServerConfig(data=None, **given)


def test_every_field_but_the_data_folder_has_its_record() -> None:
    named = {name for name, _, _ in settings()}
    assert named == {f.name for f in dataclasses.fields(ServerConfig)} - {"data"}


def test_the_cli_defaults_are_the_records_defaults() -> None:
    assert _parsed() == ServerConfig(workers=default_size())


def test_each_option_reaches_its_field() -> None:
    config = _parsed(
        "--max-rows", "5", "--timeout", "2.5", "--allow-host", "a.example", "--allow-host",
        "b.example", "-e", "memory", "--port", "0", "--cors", "https://x.example",
    )  # fmt: skip
    assert (config.max_rows, config.timeout, config.engine, config.port) == (5, 2.5, "memory", 0)
    assert config.allow_hosts == ("a.example", "b.example") and config.cors == "https://x.example"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--timeout", "0"), "x>0"),
        (("--max-request-bytes", "10"), "x>=1024"),
        (("--port", "70000"), "0<=x<=65535"),
    ],
)
def test_the_records_bounds_are_enforced(args: tuple[str, ...], said: str) -> None:
    with pytest.raises(click.BadParameter, match=re.escape(said)):
        _parsed(*args)


def test_help_shows_every_setting_with_its_help() -> None:
    shown = " ".join(CliRunner().invoke(main, ["serve", "--help"]).output.split())
    for _, _, record in settings():
        assert record.flag in shown and " ".join(record.help.split()) in shown


def test_the_docs_limits_table_is_the_records() -> None:
    text = DOCS.read_text(encoding="utf-8")
    block = re.search(r"<!-- limits:start -->\n(.*?)<!-- limits:end -->", text, re.DOTALL)
    assert block, "docs/server.md has no limits block"
    assert block.group(1) == limits_table()
