"""What a worker process of ``kg serve`` computes: serialised query results and HTML pages.

The server (:mod:`kg.server.app`) speaks HTTP and decides *what* to compute; it sends one of the
jobs below to a worker process (:mod:`kg.server.workers`), where :meth:`Service.handle` does the
work under the rules of :func:`kg.query.run.run` and returns an
:class:`Answer`: status, media type and body bytes, ready to send.
Serialising in the worker keeps the server process free to serve.

A result cut short by the row cap is flagged on the answer (the server sends
``X-KG-Truncated: true``); a SPARQL JSON body also gets a top-level ``"truncated": true``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.data.paths import DataLayout
from kg.data.prefixes import INFERENCE_GRAPH, ONTOLOGY_GRAPH, PREFIXES
from kg.query.engines import Engine, EngineError
from kg.query.results import GRAPH_FORMATS, MEDIA_TYPES, QueryResult, Term
from kg.query.run import QuerySyntaxError, run
from kg.query.safety import QueryRejected
from kg.server.pages import EntityFact, EntityView, entity_page, not_found_page
from kg.server.response import HTML, Answer

if TYPE_CHECKING:
    import networkx as nx

    from kg.graph import KnowledgeGraph

__all__ = [
    "GRAPH_MEDIA_TYPES",
    "RESULT_MEDIA_TYPES",
    "EntityJob",
    "ExploreJob",
    "Labels",
    "QueryJob",
    "Service",
    "load_labels",
]

#: Formats of SELECT/ASK answers and the media type each is sent as.
RESULT_MEDIA_TYPES = {name: MEDIA_TYPES[name] for name in ("json", "xml", "csv", "tsv")}
#: Formats of CONSTRUCT/DESCRIBE answers and the media type each is sent as.
GRAPH_MEDIA_TYPES = {name: MEDIA_TYPES[name] for name in GRAPH_FORMATS}

#: Labels by IRI, then by language (``zh``, ``en``).
Labels = dict[str, dict[str, str]]

_LABELS = "SELECT ?s ?label WHERE { ?s rdfs:label ?label FILTER(isIRI(?s)) }"
_ENTITY_FACTS = f"""SELECT ?direction ?p ?value ?g ?part_p ?part_value ?quote ?start ?end WHERE {{
  {{ GRAPH ?g {{ ?entity ?p ?value }} BIND("out" AS ?direction)
     OPTIONAL {{ GRAPH ?g {{ ?value ?part_p ?part_value }} FILTER(isBlank(?value)) }} }}
  UNION
  {{ GRAPH ?g {{ ?value ?p ?entity }} BIND("in" AS ?direction) }}
  FILTER(?g != <{INFERENCE_GRAPH}> && ?g != <{ONTOLOGY_GRAPH}>)
  OPTIONAL {{
    GRAPH kgg:provenance {{
      ?g prov:wasDerivedFrom/oa:hasSelector ?quote_selector .
      ?quote_selector oa:exact ?quote .
      OPTIONAL {{
        ?g prov:wasDerivedFrom/oa:hasSelector ?position_selector .
        ?position_selector oa:start ?start ; oa:end ?end .
      }}
    }}
  }}
}}"""


@dataclass(frozen=True)
class QueryJob:
    """Run a query and serialise its result.

    Attributes:
        text: The SPARQL query (already passed :func:`kg.query.safety.analyse` in the server).
        fmt: A key of :data:`RESULT_MEDIA_TYPES` or :data:`GRAPH_MEDIA_TYPES`.
        bindings: Pre-bound variables (named queries' parameters).
        default_graphs: ``default-graph-uri`` values, or ``None`` for the union of all graphs.
        named_graphs: ``named-graph-uri`` values, or ``None`` for every graph.
        base_iri: What relative IRIs in the query resolve against (the request's URL, as the
            SPARQL 1.1 Protocol tests expect), or ``None``.
    """

    text: str
    fmt: str
    bindings: Mapping[str, Term] = field(default_factory=dict)
    default_graphs: Sequence[str] | None = None
    named_graphs: Sequence[str] | None = None
    base_iri: str | None = None


@dataclass(frozen=True)
class EntityJob:
    """Render the page of the entity ``kgr:<local_id>``."""

    local_id: str


@dataclass(frozen=True)
class ExploreJob:
    """Render the graph explorer (:mod:`kg.explore.page`), whole or around ``focus``."""

    focus: str | None
    lang: str


def load_labels(engine: Engine) -> Labels:
    """Every ``rdfs:label`` in the data, by IRI and primary language subtag."""
    labels: Labels = {}
    for subject, label in run(engine, _LABELS, timeout=None).rows:
        if isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal):
            language = (label.language or "").split("-")[0].lower()
            labels.setdefault(subject.value, {}).setdefault(language, label.value)
    return labels


def serialize(result: QueryResult, fmt: str) -> bytes:
    """The result in ``fmt``, with the truncation flag in SPARQL JSON."""
    text = result.serialize(fmt)
    if fmt == "json" and result.truncated:
        document = json.loads(text)
        document["truncated"] = True
        text = json.dumps(document, ensure_ascii=False)
    return text.encode("utf-8")


_IRIREF = re.compile(r'<([^<>"{}|^`\\\x00-\x20]*)>')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def with_base(text: str, base_iri: str | None) -> str:
    r"""``text`` with ``BASE <base_iri>`` ahead when it has a relative IRI (and no ``BASE``).

    >>> with_base("CONSTRUCT { <s> <p> 1 } WHERE {}", "http://h/sparql")
    'BASE <http://h/sparql>\nCONSTRUCT { <s> <p> 1 } WHERE {}'
    >>> with_base("ASK { <http://x/> ?p ?o }", "http://h/sparql")
    'ASK { <http://x/> ?p ?o }'
    """
    if base_iri is None or re.search(r"(?i)\bBASE\s*<", text):
        return text
    if all(_SCHEME.match(m.group(1)) for m in _IRIREF.finditer(text)):
        return text
    return f"BASE <{base_iri}>\n{text}"


class Service:
    """The worker side of the server: everything it holds is shared with the workers.

    Args:
        engine: Where queries run.
        layout: The data folder (the explorer reads it with rdflib).
        labels: From :func:`load_labels`.
        max_rows: The row cap of every query.
    """

    def __init__(
        self, engine: Engine, layout: DataLayout, labels: Labels, max_rows: int | None
    ) -> None:
        self.engine = engine
        self.layout = layout
        self.labels = labels
        self.max_rows = max_rows
        self._network: nx.MultiDiGraph | None = None

    def prepare(self, graph: KnowledgeGraph) -> None:
        """Build what every worker would otherwise build again: call it before forking them."""
        from kg.network.projection import to_networkx

        self._network = to_networkx(graph)

    def handle(self, job: object) -> Answer:
        """Do one job (the worker pool's handler)."""
        if isinstance(job, QueryJob):
            return self.query(job)
        if isinstance(job, EntityJob):
            return self.entity(job.local_id)
        if isinstance(job, ExploreJob):
            return self.explore(job.focus, job.lang)
        raise TypeError(f"unknown job {type(job).__name__}")

    def query(self, job: QueryJob) -> Answer:
        """Run a query under :func:`kg.query.run.run` (the pool enforces the deadline)."""
        try:
            result = run(
                self.engine,
                with_base(job.text, job.base_iri),
                bindings=job.bindings or None,
                timeout=None,
                max_rows=self.max_rows,
                default_graphs=job.default_graphs,
                named_graphs=job.named_graphs,
            )
        except (QuerySyntaxError, QueryRejected) as err:
            return Answer.text(400, str(err))
        except EngineError as err:  # a relayed endpoint failed
            return Answer.text(502, str(err))
        media = GRAPH_MEDIA_TYPES if result.is_graph else RESULT_MEDIA_TYPES
        return Answer(200, media[job.fmt], serialize(result, job.fmt), result.truncated)

    def entity(self, local_id: str) -> Answer:
        """The entity page: labels, types, every fact with its evidence, neighbours."""
        try:
            iri = ox.NamedNode(PREFIXES["kgr"] + local_id)
        except ValueError:
            return Answer(404, HTML, not_found_page(local_id).encode("utf-8"))
        result = run(self.engine, _ENTITY_FACTS, bindings={"entity": iri}, timeout=None)
        view = EntityView(iri.value, self.labels.get(iri.value, {}), _facts(result))
        if not view.facts and not view.labels:
            return Answer(404, HTML, not_found_page(local_id).encode("utf-8"))
        return Answer(200, HTML, entity_page(view, self.labels).encode("utf-8"))

    def explore(self, focus: str | None, lang: str) -> Answer:
        """The explorer page of :mod:`kg.explore.page`, whole or around ``focus``."""
        from kg.explore.page import explorer_page
        from kg.network.analytics import AmbiguousEntity, EntityNotFound

        network = self._projection()
        if focus is not None and ":" not in focus:
            focus = f"kgr:{focus}"
        try:
            page = explorer_page(network, lang="en" if lang == "en" else "zh", focus=focus)
        except (EntityNotFound, AmbiguousEntity) as err:
            return Answer.text(404, str(err))
        return Answer(200, HTML, page.html.encode("utf-8"))

    def _projection(self) -> nx.MultiDiGraph:
        """The NetworkX projection, built on first use and kept for the worker's life."""
        if self._network is None:
            from kg.graph import KnowledgeGraph
            from kg.network.projection import to_networkx

            self._network = to_networkx(KnowledgeGraph(self.layout, self.engine))
        return self._network


def _facts(result: QueryResult) -> list[EntityFact]:
    """Group the entity query's rows into facts (one per statement and evidence graph)."""
    facts: dict[tuple[str, str, str, str], EntityFact] = {}
    names = result.variables
    for row in result.rows:
        cell = dict(zip(names, row, strict=True))
        value, graph = cell["value"], cell["g"]
        if value is None or graph is None or cell["p"] is None or cell["direction"] is None:
            continue
        key = (cell["direction"].value, cell["p"].value, str(value), graph.value)
        fact = facts.get(key)
        if fact is None:
            quote, start, end = cell["quote"], cell["start"], cell["end"]
            fact = facts[key] = EntityFact(
                outgoing=cell["direction"].value == "out",
                predicate=cell["p"].value,
                value=value,
                graph=graph.value,
                quote=quote.value if quote is not None else None,
                span=(start.value, end.value) if start is not None and end is not None else None,
            )
        part_p, part_value = cell["part_p"], cell["part_value"]
        if part_p is not None and part_value is not None:
            part = (part_p.value, part_value)
            if part not in fact.parts:
                fact.parts.append(part)
    return sorted(facts.values(), key=EntityFact.sort_key)
