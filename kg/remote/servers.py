"""Where a push sends its data, found beside a server's update URL.

The server's ``Server`` header says which server it is: to ``oxigraph serve``, its dataset store,
``…/store`` beside ``…/update`` (N-Quads, its own loader). (Virtuoso's Graph Store beside its
``/sparql``, for the graphs with blank nodes, was measured and is not used: docs/scaling-out.md.)
"""

from __future__ import annotations

import urllib.parse

__all__ = ["dataset_store"]


def dataset_store(update_url: str, server: str) -> str | None:
    """The dataset store beside an ``oxigraph serve``'s update URL (``…/update`` → ``…/store``).

    Asked to load ``?no_transaction``: by Oxigraph's bulk loader, 2.4 times faster than its
    transactional load at a million triples, and not atomic: a request cut short may leave part
    of its triples. A push writes there only staging graphs and graphs the server did not hold,
    and counts each before it is switched or called done (``--resume`` drops and sends again a
    batch cut short; ``--rollback`` drops it).
    """
    parts = urllib.parse.urlsplit(update_url)
    if not server.startswith("Oxigraph/") or not parts.path.endswith("/update") or parts.query:
        return None
    store = parts.path.removesuffix("update") + "store"
    return parts._replace(path=store, query="no_transaction").geturl()
