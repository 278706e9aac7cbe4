"""Old IRIs in query text: a referent (an IRI merged into another) is asked as its canonical IRI.

Loading rewrites a merged entity's statements to its canonical IRI (:mod:`kg.identity`), so a
query written with the old IRI would find nothing. The engines pass their query text through
:func:`canonical_text` first: each IRI or prefixed name that names a referent is written as the
canonical IRI (by tokens, written by pyoxigraph, never spliced from user text). A query that
names ``owl:sameAs`` or the ``kgg:identity`` graph asks about the merges themselves and is left
as written.

>>> old, new = PREFIXES["kgr"] + "Old", PREFIXES["kgr"] + "New"
>>> canonical_text('SELECT ?p { kgr:Old ?p "kgr:Old" }', {old: new})
'SELECT ?p { <https://w3id.org/zhipu-kg/resource/New> ?p "kgr:Old" }'
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from kg.data.prefixes import IDENTITY_GRAPH, PREFIXES
from kg.query.safety import analyse

__all__ = ["canonical_text"]

_ABOUT_MERGES = frozenset({PREFIXES["owl"] + "sameAs", IDENTITY_GRAPH})


def canonical_text(text: str, referents: Mapping[str, str]) -> str:
    """``text`` with every IRI that names a referent replaced by its canonical IRI."""
    if not referents:
        return text
    plan = analyse(text)
    if plan.iris.isdisjoint(referents) or not plan.iris.isdisjoint(_ABOUT_MERGES):
        return plan.text
    declared = {**PREFIXES, **dict(plan.prefixes)}
    parts: list[str] = []
    last = 0
    for token in plan.tokens:
        iri = None
        if token.kind == "iri":
            iri = token.text[1:-1]
        elif token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if prefix in declared:
                iri = declared[prefix] + local.replace("\\", "")
        if iri is not None and iri in referents:
            parts += [plan.text[last : token.start], str(ox.NamedNode(referents[iri]))]
            last = token.start + len(token.text)
    return "".join([*parts, plan.text[last:]])
