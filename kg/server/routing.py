"""Route records: each route of ``kg serve`` is one :class:`Route`, read by everyone who needs it.

* the front (:mod:`kg.server.front`) reads :attr:`Route.runs` to decide where a request is
  answered: on the event loop (an answer from memory, in microseconds) or in a handler thread
  (anything that waits for a worker process or parses a large body);
* the app (:meth:`kg.server.app.App.handle`) reads :attr:`Route.methods` (405 with ``Allow``
  otherwise; ``OPTIONS`` is answered for every route), :attr:`Route.cache` (whether a ``GET``
  answer carries an ``ETag``) and calls :attr:`Route.handler`;
* the docs: :meth:`RouteTable.markdown` writes the route table of ``docs/server.md`` (a test
  keeps the two equal).

A path ending in ``{name}`` (``/entity/{id}``) matches every path that begins with what comes
before the brace; exact paths win over such patterns, and longer patterns over shorter ones.

Adding a route is one record in :data:`kg.server.routes.ROUTES` and a handler in a module of its
own::

    Route("/desk/{id}", ("GET", "HEAD"), WORKER, desk.page, ETAG, "a review desk page")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from kg.server.messages import Request
from kg.server.response import Answer

__all__ = ["ETAG", "LOOP", "NO_STORE", "WORKER", "Handler", "Route", "RouteTable", "Routed"]

#: Where a route runs: on the event loop, or in a handler thread (which may wait for a worker).
LOOP: Literal["loop"] = "loop"
WORKER: Literal["worker"] = "worker"
#: Cache rules: a ``GET`` answer gets an ``ETag`` (and ``no-cache``), or ``no-store`` only.
ETAG: Literal["etag"] = "etag"
NO_STORE: Literal["no-store"] = "no-store"

#: What a handler returns: the answer, its ``Content-Security-Policy`` and extra headers.
Routed = tuple[Answer, str, list[tuple[str, str]]]
#: A handler: ``(app, request, path, query string) -> Routed``; raises for a 4xx/5xx. (The app
#: is :class:`kg.server.app.App`, which reads this module: typed ``Any`` here to keep one way.)
Handler = Callable[[Any, Request, str, str], Routed]


@dataclass(frozen=True)
class Route:
    """One route.

    Attributes:
        path: The path (``/sparql``), or a pattern ending in ``{name}`` (``/entity/{id}``).
        methods: The methods it answers (``OPTIONS`` is always answered besides).
        runs: :data:`LOOP` (must answer from memory at once: it holds every connection while it
            runs) or :data:`WORKER` (a handler thread, free to wait for a worker process).
        handler: What answers it.
        cache: :data:`ETAG` (the answer depends only on what the tag covers) or
            :data:`NO_STORE` (never cached).
        summary: One line for the route table of the docs.
    """

    path: str
    methods: tuple[str, ...]
    runs: Literal["loop", "worker"]
    handler: Handler
    cache: Literal["etag", "no-store"] = ETAG
    summary: str = ""

    @property
    def prefix(self) -> str | None:
        """What a pattern's paths begin with, or ``None`` for an exact path."""
        if self.path.endswith("}") and "{" in self.path:
            return self.path[: self.path.rindex("{")]
        return None

    @property
    def allow(self) -> str:
        """The ``Allow`` header of a 405 answer."""
        return ", ".join(self.methods)


class RouteTable:
    """Routes by path: the exact ones, then the patterns longest first.

    Args:
        routes: The records; a path given twice is an error.

    Raises:
        ValueError: Two records for one path.
    """

    def __init__(self, routes: Iterable[Route]) -> None:
        self._routes = tuple(routes)
        paths = [route.path for route in self._routes]
        twice = sorted({path for path in paths if paths.count(path) > 1})
        if twice:
            raise ValueError(f"more than one route record for {', '.join(twice)}")
        self._exact = {r.path: r for r in self._routes if r.prefix is None}
        patterns = [r for r in self._routes if r.prefix is not None]
        self._patterns = sorted(patterns, key=lambda r: -len(r.prefix or ""))

    def __iter__(self) -> Iterator[Route]:
        return iter(self._routes)

    def find(self, path: str) -> Route | None:
        """The route of ``path`` (without its query string), or ``None``."""
        found = self._exact.get(path)
        if found is not None:
            return found
        return next((r for r in self._patterns if path.startswith(r.prefix or "")), None)

    def with_route(self, route: Route) -> RouteTable:
        """This table and one more route."""
        return RouteTable([*self._routes, route])

    def markdown(self) -> str:
        """The route table of ``docs/server.md``, in Markdown."""
        rows = ["| path | methods | runs on | cache | what |", "|---|---|---|---|---|"]
        for route in self._routes:
            runs = "event loop" if route.runs == LOOP else "handler thread"
            rows.append(
                f"| `{route.path}` | {route.allow} | {runs} | {route.cache} | {route.summary} |"
            )
        return "\n".join(rows) + "\n"
