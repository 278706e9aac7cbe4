"""Undo a push that stopped: every graph as it was before the push.

What the journal (:mod:`kg.remote.journal`) says was touched is all that is touched: the
batches neither ``pending`` nor ``unchanged``. Staging graphs are dropped; a graph the server
did not hold before the push is dropped; a graph it held and that was switched gets its old
version back from its backup graph (kept until the whole push is done); one never switched is
left as it is. Then every touched graph is counted and compared with what it held before.
"""

from __future__ import annotations

from kg.errors import EXIT_FINDINGS
from kg.remote.client import RemoteError, SparqlClient
from kg.remote.journal import Journal
from kg.remote.staging import backup_graph, count_triples, drop, restore, staging_graph


class RollbackError(RemoteError):
    """A graph does not hold what the rollback leaves it with (exit 1)."""

    exit_code = EXIT_FINDINGS


def rollback_journal(client: SparqlClient, journal: Journal) -> str:
    """Put back what the journal's push changed; one line saying what the server holds now.

    Raises:
        RollbackError: Some graphs hold neither their old nor their new version (named).
        RemoteError: The server cannot be reached (run the rollback again later).
    """
    prior = dict(zip(journal.graphs, journal.prior, strict=True))
    sent = dict(zip(journal.graphs, journal.sent, strict=True))
    touched = [
        n
        for b in journal.batches
        if b.state not in {"pending", "unchanged"}
        for n in journal.names(b)
    ]
    old = [n for n in touched if prior[n] > 0]
    new = [n for n in touched if prior[n] == 0]
    backups = count_triples(client, [backup_graph(n) for n in old])
    kept = [n for n in old if backups.get(backup_graph(n), 0) == prior[n]]
    restore(client, kept)
    drop(client, [staging_graph(n) for n in old] + [backup_graph(n) for n in old] + new)
    counts = count_triples(client, touched)
    replaced = sorted(n for n in old if counts.get(n, 0) != prior[n] and counts.get(n) == sent[n])
    wrong = sorted(n for n in touched if counts.get(n, 0) != prior[n] and n not in replaced)
    if wrong:
        shown = ", ".join(f"{n} (held {prior[n]}, holds {counts.get(n, 0)})" for n in wrong[:8])
        raise RollbackError(
            f"rolled back, but {len(wrong)} graphs hold neither what they held before nor what "
            f"was pushed: {shown}"
        )
    journal.outcome = "rolled back"
    journal.save()
    left = (
        f"; {len(replaced)} graphs had lost their backup and keep their new, counted version "
        f"(first: {replaced[0]})"
        if replaced
        else f"; {'' if kept else 'no graph was replaced: '}every graph holds what it held before"
    )
    restored = f", {len(kept)} replaced graphs restored from their backups" if kept else ""
    return (
        f"rolled back the push to {journal.query_url}: staging dropped, {len(new)} graphs the "
        f"server did not hold removed{restored}{left}"
    )
