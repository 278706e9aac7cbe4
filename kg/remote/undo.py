"""Undo a push that stopped: no staging graph left, no graph the server did not hold before.

What the journal (:mod:`kg.remote.journal`) says was touched is all that is touched: the
batches not ``pending``. Staging graphs are dropped; a graph the server did not hold before the
push is dropped; a graph it held is left as it is: either untouched (its batch was never switched)
or replaced by its new version, which was counted before the switch and after it (the old version
is gone: a push keeps no copy). Then every touched graph is counted and compared.
"""

from __future__ import annotations

from kg.errors import EXIT_FINDINGS
from kg.remote.client import RemoteError, SparqlClient
from kg.remote.journal import Journal
from kg.remote.staging import count_triples, drop, staging_graph


class RollbackError(RemoteError):
    """A graph does not hold what the rollback leaves it with (exit 1)."""

    exit_code = EXIT_FINDINGS


def rollback_journal(client: SparqlClient, journal: Journal) -> str:
    """Remove what the journal's push added; one line saying what the server holds now.

    Raises:
        RollbackError: Some graphs hold neither their old nor their new version (named).
        RemoteError: The server cannot be reached (run the rollback again later).
    """
    prior = dict(zip(journal.graphs, journal.prior, strict=True))
    sent = dict(zip(journal.graphs, journal.sent, strict=True))
    touched = [n for b in journal.batches if b.state != "pending" for n in journal.names(b)]
    switched = {
        n for b in journal.batches if b.state in {"switching", "done"} for n in journal.names(b)
    }
    old = [n for n in touched if prior[n] > 0]
    new = [n for n in touched if prior[n] == 0]
    drop(client, [staging_graph(n) for n in old] + new)
    counts = count_triples(client, touched)
    replaced = sorted(n for n in old if counts.get(n, 0) != prior[n] and n in switched)
    wrong = sorted(
        n
        for n in touched
        if counts.get(n, 0) != prior[n] and not (n in replaced and counts.get(n, 0) == sent[n])
    )
    if wrong:
        shown = ", ".join(f"{n} (held {prior[n]}, holds {counts.get(n, 0)})" for n in wrong[:8])
        raise RollbackError(
            f"rolled back, but {len(wrong)} graphs hold neither what they held before nor what "
            f"was pushed: {shown}"
        )
    journal.outcome = "rolled back"
    journal.save()
    kept = (
        f"; {len(replaced)} graphs had been replaced and counted and keep their new version "
        f"(first: {replaced[0]})"
        if replaced
        else "; no graph was replaced: every graph holds what it held before"
    )
    return (
        f"rolled back the push to {journal.query_url}: staging dropped, {len(new)} graphs the "
        f"server did not hold removed{kept}"
    )
