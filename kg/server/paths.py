"""``GET /path?from=A&to=B&k=3``: how two entities are linked, ranked by meaning, as JSON.

The ranking is :func:`kg.network.paths.ranked_paths`, the same that ``kg path`` prints and the
explorer's path panel reads; the answer is :func:`kg.network.paths.path_document` with the two
ends added. A worker computes it on the projection it keeps (:meth:`Service.network`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.server.protocol import form_fields
from kg.server.response import CSP, Answer
from kg.server.status import HttpError

if TYPE_CHECKING:
    import networkx as nx

    from kg.server.messages import Request
    from kg.server.routing import Routed

__all__ = ["MAX_PATHS", "PathJob", "path_answer", "path_route"]

#: The most paths one request may ask for.
MAX_PATHS = 10


@dataclass(frozen=True)
class PathJob:
    """Rank the paths between two entities.

    Attributes:
        source: The first entity (id, CURIE, label or alias in either language).
        target: The second.
        k: How many paths at most.
    """

    source: str
    target: str
    k: int


def path_route(app: Any, request: Request, path: str, query_string: str) -> Routed:
    """The ``/path`` handler: checks the parameters, then asks a worker.

    ``app`` is the :class:`kg.server.app.App` (typed ``Any``, as :data:`kg.server.routing.Handler`
    says: the app imports the workers' side, which imports :class:`PathJob` from here).

    Raises:
        HttpError: 400 when ``from`` or ``to`` is missing or given twice, or ``k`` is not a
            whole number from 1 to :data:`MAX_PATHS`.
    """
    fields = form_fields(query_string)
    values = dict(fields)
    if len(values) != len(fields):
        raise HttpError(400, "bad request: a parameter is given twice")
    source, target = values.get("from", "").strip(), values.get("to", "").strip()
    if not source or not target:
        raise HttpError(400, "bad request: give both ends, as ?from=NAME&to=NAME")
    k_text = values.get("k", "3").strip()
    if not k_text.isascii() or not k_text.isdigit() or not 1 <= int(k_text) <= MAX_PATHS:
        raise HttpError(400, f"bad request: k must be a whole number from 1 to {MAX_PATHS}")
    answer = app.run(request, PathJob(source, target, int(k_text)), app.config.timeout)
    return answer, CSP, []


def path_answer(network: nx.MultiDiGraph, job: PathJob) -> Answer:
    """The JSON answer: ``from``, ``to`` (id and labels) and ``paths``, best first.

    Raises:
        kg.query.resolve.EntityNotFound: A name matches nothing (404, with suggestions).
        kg.query.resolve.AmbiguousEntity: A name matches several entities (400).
    """
    from kg.network.analytics import resolve
    from kg.network.paths import path_document, ranked_paths

    ends = [resolve(network, job.source), resolve(network, job.target)]
    document = {
        **{
            key: {
                "id": node,
                "label_zh": network.nodes[node].get("label_zh", node),
                "label_en": network.nodes[node].get("label_en", node),
            }
            for key, node in zip(("from", "to"), ends, strict=True)
        },
        **path_document(network, ranked_paths(network, ends[0], ends[1], job.k)),
    }
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    return Answer(200, "application/json", body)
