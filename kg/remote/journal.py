"""The push journal: where a push to one server got to, kept on this machine.

A push goes batch by batch (:class:`Batch`: a run of graphs, in order). Each batch passes through
these states, and the journal is rewritten atomically at each step, before the step's requests
are sent (so after a crash the journal names every batch that may be touched on the server):

``unchanged``
    The server holds it as the last push to it left it (same content hash, same counts): it is
    not sent, and a rollback leaves it alone.
``pending``
    Nothing of it sent.
``sending``
    Requests under way: the batch's staging graphs (for graphs the server held before) and the
    graphs the server did not hold (loaded in place) may hold part of it. Every graph the server
    held before is untouched.
``staged``
    All of it sent and counted on the server (staging graphs and new graphs).
``switching``
    The switch requests are under way: for each graph, in one request, the old version moves
    to its backup graph and the staging graph into place.
``done``
    Every graph of the batch in place and counted (the old versions in their backup graphs
    until the whole push is done: a rollback puts them back).

The journal is two files in :func:`journal_dir`: ``<key>.graphs.json`` (each graph, the triples
sent, the triples the server held before, the content hash of what was sent; written once) and
``<key>.json`` (the endpoints, the data's fingerprint and each batch's state; small, rewritten at
each step). ``<key>`` is a hash of the query and update URLs: one journal per server.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from kg.data.output import write_text
from kg.errors import UsageError

STATES = ("unchanged", "pending", "sending", "staged", "switching", "done")


class JournalError(UsageError):
    """The journal is missing, unreadable, or belongs to other data (exit 2)."""


def journal_dir() -> Path:
    """``$XDG_STATE_HOME/kg/push`` (default ``~/.local/state/kg/push``)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "kg" / "push"


def journal_key(query_url: str, update_url: str) -> str:
    """The journal's name for one server (its query and update URLs)."""
    return hashlib.sha256(f"{query_url}\n{update_url}".encode()).hexdigest()[:16]


@dataclass
class Batch:
    """A run of graphs pushed, checked and switched together.

    Attributes:
        start: Index of its first graph in :attr:`Journal.graphs`.
        end: Index after its last graph.
        state: One of :data:`STATES`.
    """

    start: int
    end: int
    state: str = "pending"


@dataclass
class Journal:
    """One push to one server, as far as it got.

    Attributes:
        query_url: The server's query URL.
        update_url: Its update URL.
        graph_store: Its Graph Store URL, if the push sends by Graph Store requests.
        mode: ``update``, ``graph-store`` or ``bulk``.
        fingerprint: What the data was (graph names, sizes, files); a resume needs the same.
        graphs: Every graph pushed, in order.
        sent: Triples of each graph.
        prior: Triples each graph held on the server before the push (0: absent).
        batches: The batches, in order.
        hashes: Each graph's content hash (:func:`kg.remote.digest.content_hash`).
        outcome: ``running``, ``finished`` or ``rolled back``.
        path: Where the journal is kept.
    """

    query_url: str
    update_url: str
    graph_store: str | None
    mode: str
    fingerprint: str
    graphs: list[str]
    sent: list[int]
    prior: list[int]
    batches: list[Batch]
    hashes: list[str] = field(default_factory=list)
    outcome: str = "running"
    path: Path = field(default_factory=Path)

    @property
    def graphs_path(self) -> Path:
        """The file of the graphs (written once)."""
        return self.path.with_suffix(".graphs.json")

    def names(self, batch: Batch) -> list[str]:
        """The graphs of ``batch``."""
        return self.graphs[batch.start : batch.end]

    def save(self, *, graphs: bool = False) -> None:
        """Write the journal atomically (``graphs``: the graph file too, first)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if graphs:
            table = {
                "graphs": self.graphs,
                "sent": self.sent,
                "prior": self.prior,
                "hashes": self.hashes,
            }
            write_text(self.graphs_path, json.dumps(table, ensure_ascii=False))
        head = {
            "query_url": self.query_url,
            "update_url": self.update_url,
            "graph_store": self.graph_store,
            "mode": self.mode,
            "fingerprint": self.fingerprint,
            "outcome": self.outcome,
            "batches": [[b.start, b.end, b.state] for b in self.batches],
        }
        write_text(self.path, json.dumps(head, indent=1))

    def set_state(self, batch: Batch, state: str) -> None:
        """Move ``batch`` to ``state`` and write the journal."""
        batch.state = state
        self.save()

    def graphs_in(self, *states: str) -> list[str]:
        """Every graph of the batches in any of ``states``."""
        return [name for b in self.batches if b.state in states for name in self.names(b)]

    def describe(self) -> str:
        """How many graphs are in which state, one clause each."""
        parts = []
        for state, meaning in (
            ("unchanged", "unchanged since the last push"),
            ("done", "in place and counted"),
            ("switching", "being switched"),
            ("staged", "staged and counted, old versions still live"),
            ("sending", "being sent, old versions still live"),
            ("pending", "not sent"),
        ):
            count = len(self.graphs_in(state))
            if count:
                parts.append(f"{count:,} graphs {meaning}")
        return "; ".join(parts)


def load_journal(path: Path) -> Journal | None:
    """The journal at ``path``; ``None`` when there is none.

    Raises:
        JournalError: The journal cannot be read.
    """
    if not path.exists():
        return None
    try:
        head = json.loads(path.read_text(encoding="utf-8"))
        table = json.loads(path.with_suffix(".graphs.json").read_text(encoding="utf-8"))
        return Journal(
            query_url=head["query_url"],
            update_url=head["update_url"],
            graph_store=head["graph_store"],
            mode=head["mode"],
            fingerprint=head["fingerprint"],
            graphs=list(table["graphs"]),
            sent=[int(n) for n in table["sent"]],
            prior=[int(n) for n in table["prior"]],
            batches=[Batch(int(s), int(e), str(state)) for s, e, state in head["batches"]],
            hashes=[str(h) for h in table.get("hashes", [])],
            outcome=head["outcome"],
            path=path,
        )
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise JournalError(
            f"{path}: the push journal cannot be read ({err}); move it away to start afresh"
        ) from None
