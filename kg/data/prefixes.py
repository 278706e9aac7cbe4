"""The project's IRIs and prefixes as plain strings.

Kept free of rdflib so that the fast query path (pyoxigraph) can start without importing it;
:mod:`kg.data.namespaces` builds rdflib namespaces from these.
"""

from __future__ import annotations

import re

#: Base of every IRI the project mints.
BASE = "https://w3id.org/zhipu-kg/"

#: Prefixes predeclared for every query and used to shorten IRIs in output.
PREFIXES: dict[str, str] = {
    "kg": BASE + "ontology#",
    "kgr": BASE + "resource/",
    "ev": BASE + "evidence/",
    "kgg": BASE + "graph/",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "sh": "http://www.w3.org/ns/shacl#",
    "kgsh": BASE + "shapes#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

CURATION_GRAPH = BASE + "graph/curation"
PROVENANCE_GRAPH = BASE + "graph/provenance"
ONTOLOGY_GRAPH = BASE + "graph/ontology"
#: Where load-time RDFS entailments (subclass and subproperty closure) are materialised.
INFERENCE_GRAPH = BASE + "graph/inference"
EVIDENCE_BASE = BASE + "evidence/"
#: Where identity judgements live (``triples/identity/``, see :mod:`kg.identity`).
IDENTITY_GRAPH = BASE + "graph/identity"
#: Where a draft proposes new entities (``kg draft``); curation once reviewed.
DRAFT_CURATION_GRAPH = BASE + "graph/draft-curation"

#: Graphs that hold no article facts.
NON_EVIDENCE_GRAPHS = frozenset(
    {
        CURATION_GRAPH,
        PROVENANCE_GRAPH,
        ONTOLOGY_GRAPH,
        INFERENCE_GRAPH,
        IDENTITY_GRAPH,
        DRAFT_CURATION_GRAPH,
    }
)


_BY_NAMESPACE = {namespace: prefix for prefix, namespace in reversed(PREFIXES.items())}
"""Each namespace's prefix (the first that names it); every namespace ends in '/' or '#'."""


_PLAIN_LOCAL = re.compile(r"[\w.\-]*[\w\-]")
r"""A local part a CURIE can keep: letters, digits (``str.isalnum``), ``_``, ``-`` and ``.``, not
ending in ``.`` and not empty (``\w`` is exactly ``isalnum()`` or ``_`` in Python's ``re``)."""


def shorten(iri: str) -> str:
    """Write ``iri`` as a CURIE when a known prefix covers it.

    >>> shorten("https://w3id.org/zhipu-kg/resource/Zhipu")
    'kgr:Zhipu'
    >>> shorten("http://example.org/x")
    '<http://example.org/x>'
    """
    end = len(iri)
    while True:  # the longest namespace first: each ends at a '/' or '#' (see _BY_NAMESPACE)
        end = max(iri.rfind("/", 0, end), iri.rfind("#", 0, end))
        if end < 0:
            return f"<{iri}>"
        prefix = _BY_NAMESPACE.get(iri[: end + 1])
        if prefix is not None:
            break
    local = iri[end + 1 :]
    if _PLAIN_LOCAL.fullmatch(local):
        return f"{prefix}:{local}"
    return f"<{iri}>"
