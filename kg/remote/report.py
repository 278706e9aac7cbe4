"""What a push reports: what it sent, what the server holds; its failure that is a finding."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kg.errors import EXIT_FINDINGS
from kg.remote.client import RemoteError

#: Graph names shown in a message before "…".
SHOWN = 8
#: Server bugs a push can run into, by a piece of the server's error text: what it means.
KNOWN_CAUSES = (
    (
        "'nodeID://8192' is not valid bnode IRI",
        "Virtuoso before 7.2.8 gave a pushed graph's name the IRI id 8192, which it reserves; "
        "updates naming several graphs or holding blank nodes then fail on that graph (after "
        "writing). Upgrade Virtuoso, or push into a new database on which "
        "scripts/virtuoso-reserve-iri-8192.sql was run first (docs/scaling-out.md)",
    ),
)


class PushError(RemoteError):
    """The server does not hold what was sent (exit 1: a finding).

    Attributes:
        report: What was sent, what the server holds, what was replaced (when counted).
    """

    exit_code = EXIT_FINDINGS
    http_status = 502

    def __init__(self, message: str, report: PushReport | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class PushReport:
    """What a push sent and what the server holds afterwards.

    Attributes:
        sent: Triples sent per graph.
        found: Triples counted on the server per graph, after the push.
        replaced: Graphs the server held before, replaced.
        skipped: Graphs a resumed push found in place and counted (not sent again).
        unchanged: Graphs the server held as the last push to it left them (not sent again).
        requests: HTTP requests made.
        seconds: Wall time.
    """

    sent: dict[str, int]
    found: dict[str, int] = field(default_factory=dict)
    replaced: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0

    @property
    def differences(self) -> dict[str, tuple[int, int]]:
        """``graph: (sent, found)`` for every graph whose count differs."""
        return {
            name: (count, self.found.get(name, 0))
            for name, count in self.sent.items()
            if self.found.get(name, 0) != count
        }

    def summary(self) -> str:
        """One line for a push that arrived whole."""
        resumed = f", {len(self.skipped)} already there" if self.skipped else ""
        same = f", {len(self.unchanged)} unchanged since the last push" if self.unchanged else ""
        return (
            f"pushed {sum(self.sent.values())} triples in {len(self.sent)} graphs{resumed}{same} "
            f"({self.requests} requests, {self.seconds:.1f} s); counted on the server: all there"
        )


def describe_differences(differences: Mapping[str, tuple[int, int]]) -> str:
    """``graph (sent N, server holds M)`` for each graph, one per line."""
    return "\n".join(
        f"  {name} (sent {sent}, server holds {found})"
        for name, (sent, found) in sorted(differences.items())
    )


def shown(names: list[str]) -> str:
    """The first :data:`SHOWN` names, and how many more."""
    more = f" and {len(names) - SHOWN:,} more" if len(names) > SHOWN else ""
    return ", ".join(names[:SHOWN]) + more


def known_cause(message: str) -> str:
    """What a server's error means when it is a known bug of the server, in brackets (or "")."""
    for text, meaning in KNOWN_CAUSES:
        if text in message:
            return f" ({meaning})"
    return ""
