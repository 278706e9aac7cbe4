"""The server's settings, spelled once: one record per setting, read by the CLI and the docs.

:class:`ServerConfig` is everything ``kg serve`` can be told. Each of its fields carries a
:class:`Setting` (its flag, its one-line help, the bounds of its value and, for a limit, what
happens at it): ``kg serve`` makes its options from these records
(:func:`kg.cli.serve.serve`), the server reads the config, and the limits table of
``docs/server.md`` is written from them by :func:`limits_table` (a test keeps them equal).
Adding a setting is one field here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, NamedTuple

from kg.server.workers import default_size

__all__ = ["ServerConfig", "Setting", "limits_table", "settings"]


class Setting(NamedTuple):
    """How one setting is given on the command line and described.

    Attributes:
        flag: The option (``--max-rows``).
        help: Its one line of ``--help``.
        short: A one-letter alias (``-e``), if any.
        minimum: The least value allowed, if bounded.
        open_minimum: Whether ``minimum`` itself is refused (a duration must be > 0).
        maximum: The largest value allowed, if bounded.
        metavar: How ``--help`` names the value.
        shown: How the default is shown, when a number says it badly ("1 MiB").
        unit: The unit shown after a numeric default (``s``).
        limit: What happens at the limit (a row of the docs' limits table); ``None``: no
            limit, not in the table.
    """

    flag: str
    help: str
    short: str | None = None
    minimum: float | None = None
    open_minimum: bool = False
    maximum: float | None = None
    metavar: str | None = None
    shown: str | None = None
    unit: str = ""
    limit: str | None = None


def _setting(
    default: Any = None, *, factory: Callable[[], Any] | None = None, **record: Any
) -> Any:
    meta = {"setting": Setting(**record)}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class ServerConfig:
    """Everything ``kg serve`` can be told (each field's :class:`Setting` says how).

    Attributes:
        host: Address to bind.
        port: Port to bind (0: any free port).
        data: Data folder (default: the shipped data; ``kg --data DIR serve``).
        engine: Engine spec (see :func:`kg.remote.engine.connect`).
        endpoint: Relay to this SPARQL server instead of a local engine.
        user: For ``endpoint``: a user name for servers that ask (password from
            ``$KG_PASSWORD``).
        timeout: Deadline of every query, in seconds.
        max_rows: Row cap of every answer.
        max_request_bytes: Largest request body (and URL) accepted.
        workers: Worker processes (queries that run at once).
        max_connections: Connections open at once; more are shed (closed with a 503).
        max_per_client: Connections open at once from one client address; more are shed.
        head_timeout: Seconds to receive a request's whole head (request line and headers),
            counted from the connection's start or the previous answer: also the keep-alive
            idle limit.
        body_timeout: Seconds to receive a request's whole body (then 408).
        grace: Seconds in-flight requests may take to finish after ``SIGTERM``.
        allow_hosts: ``Host`` names accepted besides localhost, 127.0.0.1 and [::1].
        cors: The one origin allowed to read answers cross-origin, if any.
    """

    host: str = _setting("127.0.0.1", flag="--host", help="Address to bind.")
    port: int = _setting(8000, flag="--port", help="0: any free port.", minimum=0, maximum=65535)
    data: Path | None = None
    engine: str | None = _setting(
        flag="--engine",
        short="-e",
        help="memory (rdflib), oxigraph (default, in memory) or oxigraph:DIR.",
    )
    endpoint: str | None = _setting(
        flag="--endpoint", help="Relay queries to this SPARQL 1.1 server instead."
    )
    user: str | None = _setting(
        flag="--user",
        help="For --endpoint: user name for servers that ask (HTTP Basic or Digest); "
        "password from $KG_PASSWORD.",
    )
    timeout: float = _setting(
        30.0,
        flag="--timeout",
        help="Limit: deadline of each query in seconds; its worker process is then killed.",
        minimum=0,
        open_minimum=True,
        unit="s",
        limit="deadline of every query (its worker is killed, answer 503).",
    )
    max_rows: int = _setting(
        10_000,
        flag="--max-rows",
        help="Limit: rows per answer; a cut answer says so (header X-KG-Truncated: true).",
        minimum=1,
        limit="rows per answer; a cut answer says so (`X-KG-Truncated: true`).",
    )
    max_request_bytes: int = _setting(
        1 << 20,
        flag="--max-request-bytes",
        help="Limit: largest request body or URL, in bytes.",
        minimum=1024,
        shown="1 MiB",
        limit="largest body (413) and URL (414).",
    )
    workers: int = _setting(
        factory=default_size,
        flag="--workers",
        help="Limit: worker processes, i.e. queries that run at once.",
        minimum=1,
        shown="twice the cores, at least 4",
        limit="queries that run at once (see *Pool policy*).",
    )
    max_connections: int = _setting(
        1024,
        flag="--max-connections",
        help="Limit: connections open at once; more are shed with a 503.",
        minimum=1,
        limit="connections open at once. One more is *shed*: answered `503` and closed at "
        "once; accepting never blocks.",
    )
    max_per_client: int = _setting(
        256,
        flag="--max-per-client",
        help="Limit: connections open at once from one client address; more are shed with a 503.",
        minimum=1,
        limit="connections open at once from one client address; more are shed the same way.",
    )
    head_timeout: float = _setting(
        10.0,
        flag="--head-timeout",
        help="Limit: seconds to receive a whole request head (also the keep-alive idle limit).",
        minimum=0,
        open_minimum=True,
        unit="s",
        limit="the whole request head (request line + headers) must arrive within this time "
        "of the connection's start or of the previous answer. Dripping bytes does not extend "
        "it. It is also the keep-alive idle limit. A late head closes the connection.",
    )
    body_timeout: float = _setting(
        20.0,
        flag="--body-timeout",
        help="Limit: seconds to receive a whole request body (then 408).",
        minimum=0,
        open_minimum=True,
        unit="s",
        limit="the whole body must arrive within this time of the head: else `408 Request "
        "Timeout` and close.",
    )
    grace: float = _setting(
        30.0,
        flag="--grace",
        help="Limit: seconds in-flight requests may take to finish after SIGTERM.",
        minimum=0,
        unit="s",
        limit="after `SIGTERM`, how long in-flight requests may take to finish.",
    )
    allow_hosts: tuple[str, ...] = _setting(
        (),
        flag="--allow-host",
        metavar="NAME",
        help="Limit: also answer requests whose Host is NAME (repeatable). Always allowed: "
        "localhost, 127.0.0.1, [::1].",
        limit="also answer requests whose `Host` is NAME (repeatable); any other `Host` than "
        "these and localhost, 127.0.0.1, [::1] is 403.",
    )
    cors: str | None = _setting(
        flag="--cors",
        metavar="ORIGIN",
        help="Limit: let pages of this one origin read answers (no CORS header without it).",
        limit="let pages of this one origin read answers; no CORS header without it.",
    )


def settings() -> Iterator[tuple[str, Any, Setting]]:
    """Each setting: its field name, its default and its record, in the config's order."""
    for item in fields(ServerConfig):
        record = item.metadata.get("setting")
        if record is not None:
            default = item.default_factory() if callable(item.default_factory) else item.default
            yield item.name, default, record


def shown_default(default: Any, record: Setting) -> str:
    """A default as ``--help`` and the docs show it."""
    if record.shown is not None:
        return record.shown
    if default in (None, ()):
        return "none"
    number = f"{default:,g}" if isinstance(default, float) else f"{default:,}"
    return f"{number} {record.unit}".strip() if isinstance(default, int | float) else str(default)


def limits_table() -> str:
    """The limits table of ``docs/server.md``: each limit's flag, default and what happens."""
    rows = ["| flag | default | what happens |", "|---|---|---|"]
    for _, default, record in settings():
        if record.limit is not None:
            rows.append(f"| `{record.flag}` | {shown_default(default, record)} | {record.limit} |")
    return "\n".join(rows) + "\n"
