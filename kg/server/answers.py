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

import itertools
import json
import logging
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.data.paths import DataLayout
from kg.query.engines import Engine
from kg.query.entity import Labels, entity_view
from kg.query.entity_kinds import fact_fields
from kg.query.formats import FORMATS
from kg.query.labels import StoreLabels
from kg.query.results import QueryResult
from kg.query.run import run
from kg.query.safety import analyse
from kg.server.jobs import EntityJob, ExploreJob, OntologyJob, QueryJob
from kg.server.pages import building_page, entity_page, not_found_page
from kg.server.paths import PathJob, path_answer
from kg.server.projection_cache import SharedProjection, private_folder
from kg.server.response import HTML, Answer
from kg.server.status import error_answer

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Labels", "Service", "StoreLabels"]

log = logging.getLogger("kg.server")

#: Seconds an explorer request waits for the explorer's build before it answers "being built"
#: (503, a page that reloads itself): a small graph is ready sooner, a large one is not.
BUILDING_WAIT = 30.0


def serialize(result: QueryResult, fmt: str, labels: Labels | None = None) -> bytes:
    """The result in ``fmt``, with the truncation flag in SPARQL JSON.

    A binary format (a workbook) gets each IRI's labels, both languages, from ``labels``.
    """
    if FORMATS.get(fmt).binary:
        iris = {t.value for row in result.rows for t in row if isinstance(t, ox.NamedNode)}
        found = labels.fetch(iris) if isinstance(labels, StoreLabels) else labels or {}
        both = {
            iri: " / ".join(dict.fromkeys(v for v in (own.get("zh"), own.get("en")) if v))
            for iri in iris
            if (own := found.get(iri))
        }
        return result.to_bytes(fmt, both)
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


#: Functions whose value differs between runs of the same query.
NONDETERMINISTIC = frozenset({"NOW", "RAND", "UUID", "STRUUID", "BNODE"})


def nondeterministic(text: str) -> bool:
    """True when the query calls a function of :data:`NONDETERMINISTIC`.

    >>> nondeterministic("SELECT (now() AS ?t) {}"), nondeterministic("SELECT ?now {}")
    (True, False)
    """
    tokens = analyse(text).tokens
    return any(
        token.kind == "word" and token.text.upper() in NONDETERMINISTIC and following.text == "("
        for token, following in itertools.pairwise(tokens)
    )


def has_blank_nodes(result: QueryResult) -> bool:
    """True when the result holds a blank node (its label may change from one run to the next)."""
    if result.is_graph:
        return any(
            isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
            for t in result.triples
        )
    return any(isinstance(term, ox.BlankNode) for row in result.rows for term in row)


def warm_explorer() -> None:
    """Import what the explorer's builder draws with, and make the search box's name tables."""
    import kg.explore.page  # imported here for the builder forked after the load
    import kg.explore.sketch
    import kg.network.projection  # noqa: F401
    from kg.explore.names import search_index

    search_index([])


class Service:
    """The worker side of the server: everything it holds is shared with the workers.

    Args:
        engine: Where queries run.
        layout: The data folder.
        labels: Labels by IRI (:class:`~kg.query.labels.StoreLabels`: read when asked).
        max_rows: The row cap of every query.
        folder: The server's private folder, where the explorer's projection is shared.
    """

    def __init__(
        self,
        engine: Engine,
        layout: DataLayout,
        labels: Labels,
        max_rows: int | None,
        folder: Path | None = None,
    ) -> None:
        self.engine = engine
        self.layout = layout
        self.labels = labels
        self.max_rows = max_rows
        self._network = SharedProjection(
            folder or private_folder(), self._build_projection, self._overview, self._sketch
        )

    def start_explorer(self) -> None:
        """Start building the explorer's projection and overview now, in a process of its own.

        Call it before any thread starts (it forks); see :meth:`SharedProjection.start`.
        """
        self._network.start()

    def handle(self, job: object) -> Answer:
        """Do one job (the worker pool's handler); an error becomes its status here.

        The status comes from :func:`kg.server.status.error_answer`; a 5xx's traceback is
        logged here, in the worker, where it happened (the server logs the request line only).
        """
        try:
            return self._do(job)
        except Exception as err:
            answer, _ = error_answer(err)
            if answer.status >= 500:
                log.error("worker: %s failed: %s", type(job).__name__, err, exc_info=err)
            return answer

    def _do(self, job: object) -> Answer:
        if isinstance(job, QueryJob):
            return self.query(job)
        if isinstance(job, EntityJob):
            return self.entity(job.iri, job.name)
        if isinstance(job, OntologyJob):
            return self.ontology()
        if isinstance(job, ExploreJob):
            return self.explore(job.focus, job.lang)
        if isinstance(job, PathJob):
            if self._network.building(False, BUILDING_WAIT):
                return Answer.text(503, "the graph for paths is being built: ask again shortly")
            return path_answer(self._projection(), job)
        raise TypeError(f"unknown job {type(job).__name__}")

    def query(self, job: QueryJob) -> Answer:
        """Run a query under :func:`kg.query.run.run` (the pool enforces the deadline).

        Raises:
            kg.errors.KgError: A syntax error, a broken rule, a relayed endpoint's failure (each
                answered with its status by :meth:`handle`).
        """
        result = run(
            self.engine,
            with_base(job.text, job.base_iri),
            bindings=job.bindings or None,
            timeout=None,
            max_rows=self.max_rows,
            default_graphs=job.default_graphs,
            named_graphs=job.named_graphs,
        )
        media = FORMATS.get(job.fmt, result.form).media_type
        varies = nondeterministic(job.text) or has_blank_nodes(result)
        body = serialize(result, job.fmt, self.labels)
        return Answer(200, media, body, result.truncated, varies)

    def entity(self, iri: str, name: str) -> Answer:
        """The entity page of ``iri``: labels, types, every fact with its evidence, neighbours.

        ``name`` is what was asked for (the server resolved it to ``iri``), for a 404 page.
        """
        view = entity_view(self.engine, iri, self.labels)
        if not view.facts and not view.labels:
            return Answer(404, HTML, not_found_page(name).encode("utf-8"))
        nodes = fact_fields(self.engine, view)
        if isinstance(self.labels, StoreLabels):  # the page's names, read in one query
            named = [*view.types, *(f.predicate for f in view.facts), *view.neighbours]
            values = [f.value.value for f in view.facts if isinstance(f.value, ox.NamedNode)]
            self.labels.fetch([*named, *values])
        return Answer(200, HTML, entity_page(view, self.labels, nodes).encode("utf-8"))

    def ontology(self) -> Answer:
        """The ontology page: every term with its labels, comments and use in the data."""
        from kg.explore.ontology_page import STYLESHEET, ontology_html
        from kg.graph import KnowledgeGraph
        from kg.network.reading import HasQuads

        started = time.perf_counter()
        engine = self.engine
        from_store = isinstance(engine, HasQuads)
        data = (
            engine if isinstance(engine, HasQuads) else KnowledgeGraph(self.layout, engine).dataset
        )
        page = ontology_html(self.layout, data, f"/static/{STYLESHEET}")
        log.info(
            "ontology page built from the %s in %.1f s",
            "loaded store" if from_store else "parsed data",
            time.perf_counter() - started,
        )
        return Answer(200, HTML, page.encode("utf-8"))

    def explore(self, focus: str | None, lang: str) -> Answer:
        """The explorer page of :mod:`kg.explore.page`, whole or around ``focus``.

        ``focus`` is any name the resolver accepts (``Tang Jie``, ``唐杰``, ``kgr:TangJie``).
        """
        if self._network.building(focus is None, BUILDING_WAIT):  # say so, not hold a worker
            return Answer(503, HTML, building_page().encode("utf-8"))
        overview = self._network.page(lang) if focus is None else None
        if overview is not None:  # as the builder wrote it: this worker needs no projection
            # an outline is replaced by the full page soon: never stored, no ETag
            return Answer(200, HTML, overview.body, varies=overview.outline)
        from kg.explore.page import explorer_page
        from kg.query.resolve import AmbiguousEntity, EntityNotFound

        network = self._projection()
        try:
            page = explorer_page(network, lang="en" if lang == "en" else "zh", focus=focus)
        except AmbiguousEntity as err:
            return Answer.text(300, str(err))
        except EntityNotFound as err:
            return Answer.text(404, str(err))
        return Answer(200, HTML, page.html.encode("utf-8"))

    @staticmethod
    def _overview(network: nx.MultiDiGraph, lang: str) -> str:
        """The explorer's default page (no focus) in ``lang``, as :meth:`explore` renders it."""
        from kg.explore.page import explorer_page

        return explorer_page(network, lang="en" if lang == "en" else "zh").html

    def _sketch(self, lang: str) -> str | None:
        """The default page from the store's outline, before the projection; ``None`` if small.

        A graph the small explorer draws (no more nodes than it draws one by one) gets its full
        overview about as soon: no sketch, and the page is the same as before.
        """
        from kg.explore.page import DEFAULT_MAX_NODES, DEFAULT_TITLE
        from kg.explore.sketch import outline_html
        from kg.network.outline import GraphStore, outline

        if not isinstance(self.engine, GraphStore):
            return None

        drawn = outline(self.engine)
        if len(drawn.nodes) <= DEFAULT_MAX_NODES:
            return None
        return outline_html(drawn, lang="en" if lang == "en" else "zh", title=DEFAULT_TITLE)

    def _projection(self) -> nx.MultiDiGraph:
        """The NetworkX projection: built by the first worker that needs it, shared by file."""
        return self._network.get()

    def _build_projection(self) -> nx.MultiDiGraph:
        """The projection of the store this worker holds (one pass; no second parse)."""
        from kg.graph import KnowledgeGraph
        from kg.network.projection import to_networkx

        return to_networkx(KnowledgeGraph(self.layout, self.engine))
