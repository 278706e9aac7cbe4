"""The [vocabulary] rule: the data and the named queries use only terms the ontology declares.

A term is *declared* when ``ontology.ttl`` gives it a type (``owl:Class``, ``owl:ObjectProperty``,
``owl:DatatypeProperty``, ``kg:ClaimType``…). Reused terms (``schema:value``, ``org:heldBy``,
``oa:exact``, ``skos:altLabel``…) are declared there too, with ``rdfs:isDefinedBy`` their source
vocabulary, so that a newcomer can learn every term from one file. The core RDF vocabularies
(``rdf:``, ``rdfs:``, ``owl:``, ``xsd:``) need no declaration.

:func:`check_data` looks at every predicate, every class (object of ``rdf:type``) and every
``kg:`` IRI in the triple files; :func:`check_queries` at every ``kg:`` term a named query writes.
Each finding names the file and the line where the term is written.

>>> from rdflib import Graph
>>> ontology = Graph().parse(data="@prefix kg: <https://w3id.org/zhipu-kg/ontology#> . "
...     "@prefix owl: <http://www.w3.org/2002/07/owl#> . kg:Thing a owl:Class .", format="turtle")
>>> sorted(str(t) for t in declared_terms(ontology))
['https://w3id.org/zhipu-kg/ontology#Thing']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Dataset, Graph, URIRef

from kg.data.prefixes import PREFIXES

__all__ = ["UndeclaredTerm", "check_data", "check_queries", "declared_terms", "undeclared"]

#: Namespaces whose terms are the language itself, not vocabulary to declare.
CORE_NAMESPACES = tuple(PREFIXES[p] for p in ("rdf", "rdfs", "owl", "xsd"))
_KG = PREFIXES["kg"]
_QUERY_TERM = re.compile(r"(?<![\w:/#-])kg:([A-Za-z_][\w-]*)|<" + re.escape(_KG) + r"([^>\s]+)>")


@dataclass(frozen=True)
class UndeclaredTerm:
    """A term used but not declared.

    Attributes:
        path: The file that uses it.
        line: The 1-based line where it is first written (0 when it cannot be found).
        term: The full IRI.
        role: How it is used: ``property``, ``class``, ``term`` (a ``kg:`` IRI in the data)
            or ``query term``.

    """

    path: Path
    line: int
    term: str
    role: str

    @property
    def message(self) -> str:
        """What is wrong and what to do."""
        return (
            f"{self.role} {_curie(self.term)} is not declared in ontology.ttl; declare it there "
            "(type, rdfs:label and rdfs:comment in zh and en, rdfs:isDefinedBy) or use a "
            "declared term"
        )

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def declared_terms(ontology: Graph) -> set[URIRef]:
    """Every IRI the ontology gives a type to."""
    return {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef)}


def _is_core(term: str) -> bool:
    return term.startswith(CORE_NAMESPACES)


def _curie(term: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if term.startswith(namespace):
            return f"{prefix}:{term[len(namespace) :]}"
    return f"<{term}>"


def _line_of(text: str, term: str) -> int:
    """The first line of ``text`` that writes ``term`` (as a CURIE or a full IRI), or 0."""
    curie = _curie(term)
    patterns = [re.escape(f"<{term}>")]
    if not curie.startswith("<"):
        patterns.append(r"(?<![\w:/#-])" + re.escape(curie) + r"(?![\w-])")
    found = re.search("|".join(patterns), text)
    return text.count("\n", 0, found.start()) + 1 if found else 0


def _used_in(dataset: Dataset) -> dict[str, str]:
    """Terms a parsed file uses, each with its role."""
    used: dict[str, str] = {}
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        used.setdefault(str(p), "property")
        if p == RDF.type and isinstance(o, URIRef):
            used.setdefault(str(o), "class")
        for node in (s, o):
            if isinstance(node, URIRef) and str(node).startswith(_KG):
                used.setdefault(str(node), "term")
    return used


def check_data(files: Iterable[Path], declared: AbstractSet[URIRef]) -> list[UndeclaredTerm]:
    """Undeclared properties, classes and ``kg:`` terms in the given TriG/Turtle files."""
    known = {str(t) for t in declared}
    found = []
    for path in files:
        dataset = Dataset()
        dataset.parse(path, format="trig" if path.suffix == ".trig" else "turtle")
        text = path.read_text(encoding="utf-8")
        for term, role in sorted(_used_in(dataset).items()):
            if term not in known and not _is_core(term):
                found.append(UndeclaredTerm(path, _line_of(text, term), term, role))
    return found


def check_queries(files: Iterable[Path], declared: set[URIRef]) -> list[UndeclaredTerm]:
    """Undeclared ``kg:`` terms in named queries (comment lines are skipped)."""
    known = {str(t) for t in declared}
    found = []
    for path in files:
        seen: set[str] = set()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.lstrip().startswith("#"):
                continue
            for match in _QUERY_TERM.finditer(line):
                term = _KG + (match.group(1) or match.group(2))
                if term not in known and term not in seen:
                    seen.add(term)
                    found.append(UndeclaredTerm(path, number, term, "query term"))
    return found


def undeclared(
    ontology: Path, triple_files: Iterable[Path], query_files: Iterable[Path]
) -> list[UndeclaredTerm]:
    """Run both checks against the ontology file."""
    declared = declared_terms(Graph().parse(ontology, format="turtle"))
    return check_data(triple_files, declared) + check_queries(query_files, declared)


def property_table(ontology: Graph) -> str:
    """A Markdown table of every property the ontology declares, for the README.

    Columns: the term, its kind, its English label, its English comment, and whether it is a
    role (a sub-property of ``kg:involves``, so ``?fact kg:involves ?x`` finds it).
    """
    from rdflib import OWL, RDFS, Literal

    kinds = {
        OWL.ObjectProperty: "object",
        OWL.DatatypeProperty: "datatype",
        OWL.AnnotationProperty: "annotation",
    }
    involves = URIRef(_KG + "involves")

    def english(term: URIRef, prop: URIRef) -> str:
        for value in ontology.objects(term, prop):
            if isinstance(value, Literal) and value.language == "en":
                return str(value).replace("|", "\\|").replace("\n", " ")
        return ""

    rows = []
    for kind, name in kinds.items():
        for term in ontology.subjects(RDF.type, kind):
            if not isinstance(term, URIRef):
                continue
            role = involves in set(ontology.transitive_objects(term, RDFS.subPropertyOf))
            rows.append(
                f"| `{_curie(str(term))}` | {name} | {english(term, RDFS.label)} | "
                f"{english(term, RDFS.comment)} | {'role' if role and term != involves else ''} |"
            )
    header = "| property | kind | label | meaning | role |\n| --- | --- | --- | --- | --- |"
    return "\n".join([header, *sorted(rows, key=lambda r: (not r.startswith("| `kg:"), r))])
