"""``GET /ask?q=QUESTION``: the query page's question box, answered from the phrase table.

The answer is JSON: the phrases to suggest for what is typed so far (``suggestions``), and,
for a whole question, the named query it routes to with the parameter values its slots took
(``match``) or, when no phrase matches, the closest phrases (``closest``). The page then runs
the named query as any other, so the answer comes with its evidence. Matching is
:class:`kg.query.ask.Asker`'s, the same as ``kg ask``'s.

The phrase table is read from the catalogue's folder on first use and kept.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from kg.query.ask import Asker, NoMatchingPhrase, Phrase
from kg.server.protocol import form_fields
from kg.server.response import CSP, Answer
from kg.server.status import HttpError

if TYPE_CHECKING:
    from kg.server.app import App
    from kg.server.messages import Request
    from kg.server.routing import Routed

__all__ = ["MAX_QUESTION", "ask"]

#: Longer questions are refused with 400.
MAX_QUESTION = 500

_askers: dict[Path, Asker] = {}
_lock = threading.Lock()


def _asker(app: App) -> Asker:
    folder = next(iter(app.catalogue.values())).path.parent
    with _lock:
        if folder not in _askers:
            _askers[folder] = Asker.load(app.catalogue, folder)
        return _askers[folder]


def _phrase(phrase: Phrase) -> dict[str, str]:
    return {"query": phrase.query, "lang": phrase.lang, "text": phrase.text}


def ask(app: App, request: Request, path: str, query_string: str) -> Routed:
    """The route's handler (see :mod:`kg.server.routes`).

    Raises:
        HttpError: 400 without ``q``, with ``q`` twice or longer than :data:`MAX_QUESTION`;
            404 when the data has no named queries.
    """
    fields = form_fields(query_string)
    questions = [value for key, value in fields if key == "q"]
    if len(questions) != 1:
        raise HttpError(400, "bad request: give the question once, as ?q=")
    question = questions[0].strip()
    if len(question) > MAX_QUESTION:
        raise HttpError(400, f"bad request: a question has at most {MAX_QUESTION} characters")
    if not app.catalogue:
        raise HttpError(404, "not found: the data has no named queries")
    asker = _asker(app)
    document: dict[str, object] = {
        "question": question,
        "suggestions": [_phrase(p) for p in asker.table.suggest(question)],
        "match": None,
        "closest": [],
    }
    names = app.names if question else None
    if names is not None:
        try:
            found = asker.route(question, names)
        except NoMatchingPhrase as err:
            document["closest"] = [_phrase(p) for p in err.closest]
        else:
            document["match"] = {
                "query": found.query,
                "params": dict(found.params),
                "phrase": _phrase(found.phrase),
            }
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    return Answer(200, "application/json", body), CSP, []
