"""Counted language rules of ``shapes.ttl``, evaluated directly rather than through pySHACL.

``shapes.ttl`` asks for labels, comments and texts "in Chinese" and "in English" with property
shapes of one form::

    [ sh:path P ; sh:qualifiedValueShape [ sh:languageIn ( "zh" ) ] ;
      sh:qualifiedMinCount 1 ; sh:message "…" ]

pySHACL validates the value shape against every value, one at a time, and builds a full
validation result for each value that fails (each English label of a Chinese rule), then throws
it away: on the project's data, nine in ten of its validation results and nine tenths of its
time. :func:`split_counted` takes such property shapes out of a shapes graph, and
:meth:`CountedRule.problems` gives the problems pySHACL would report for them: one per focus
node with fewer values in the languages than the count, located at the focus node and the
property shape, with the property shape's message. A shape of any other form stays with pySHACL.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.validate.report import Problem, short

__all__ = ["CountedRule", "split_counted"]

SH = Namespace("http://www.w3.org/ns/shacl#")
#: What a counted property shape may say, and all it may say.
_PROPERTY = {SH.path, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.message}


@dataclass(frozen=True)
class CountedRule:
    """At least ``count`` values of ``path`` in ``languages``, for the instances of ``classes``.

    Attributes:
        shape: The property shape (its IRI names the rule; a blank node is ``shape``).
        classes: The classes the node shape targets (their subclasses' instances included).
        path: The property.
        languages: Language ranges, lower case (``*`` for any tag).
        count: The least number of values in those languages.
        message: The property shape's message.

    """

    shape: Node
    classes: frozenset[Node]
    path: URIRef
    languages: frozenset[str]
    count: int
    message: str

    def _matches(self, value: Node) -> bool:
        """As pySHACL reads ``sh:languageIn``: the tag or its first part in the list, any case."""
        if not isinstance(value, Literal) or not value.language:
            return False
        tag = value.language.lower()
        return "*" in self.languages or tag in self.languages or tag.split("-")[0] in self.languages

    def problems(self, data: Graph) -> list[Problem]:
        """One problem per focus node of ``data`` with too few values in the languages."""
        focus: set[Node] = set()
        for cls in self.classes:
            for each in data.transitive_subjects(RDFS.subClassOf, cls):
                focus.update(data.subjects(RDF.type, each))
        rule = short(self.shape) if isinstance(self.shape, URIRef) else "shape"
        return [
            Problem("shacl", f"{short(node)} ({rule})", f"{short(self.path)}: {self.message}")
            for node in focus
            if sum(self._matches(v) for v in data.objects(node, self.path)) < self.count
        ]


def _counted(shapes: Graph, parent: Node, prop: Node) -> CountedRule | None:
    """The rule of ``parent``'s property shape ``prop``, if it has the counted form."""
    said = {p for p, _ in shapes.predicate_objects(prop)}
    paths = list(shapes.objects(prop, SH.path))
    values = list(shapes.objects(prop, SH.qualifiedValueShape))
    counts = list(shapes.objects(prop, SH.qualifiedMinCount))
    messages = list(shapes.objects(prop, SH.message))
    classes = frozenset(shapes.objects(parent, SH.targetClass))
    if said != _PROPERTY or not classes or [len(paths), len(values), len(counts)] != [1, 1, 1]:
        return None
    if len(messages) != 1 or not isinstance(paths[0], URIRef) or not isinstance(values[0], BNode):
        return None
    value, count = values[0], counts[0]
    if [p for p, _ in shapes.predicate_objects(value)] != [SH.languageIn]:
        return None
    if not isinstance(count, Literal) or not isinstance(count.value, int):
        return None
    tags = [t for lists in shapes.objects(value, SH.languageIn) for t in Collection(shapes, lists)]
    if not tags or not all(isinstance(t, Literal) and isinstance(t.value, str) for t in tags):
        return None
    return CountedRule(
        prop,
        classes,
        paths[0],
        frozenset(str(t).lower() for t in tags),
        count.value,
        str(messages[0]),
    )


def _plain_target(shapes: Graph, parent: Node) -> bool:
    """A node shape checked only on the instances of its target classes, and nowhere else.

    No other target, no severity, not deactivated, not a class itself (an implicit target),
    and not named by any other shape (``sh:node``, ``sh:or``…, where it would be checked on
    other nodes).
    """
    said = {p for p, _ in shapes.predicate_objects(parent)}
    allowed = {RDF.type, RDFS.label, RDFS.comment, SH.targetClass, SH.property}
    return (
        said <= allowed
        and set(shapes.objects(parent, RDF.type)) == {SH.NodeShape}
        and next(shapes.subjects(None, parent), None) is None
    )


def split_counted(shapes: Graph) -> tuple[Graph, list[CountedRule]]:
    """``shapes`` without its counted language rules (a copy), and those rules."""
    rest = Graph()
    for prefix, namespace in shapes.namespaces():
        rest.bind(prefix, namespace)
    for triple in shapes:
        rest.add(triple)
    rules = []
    for parent, prop in shapes.subject_objects(SH.property):
        if not _plain_target(shapes, parent):
            continue
        rule = _counted(shapes, parent, prop)
        if rule is not None:
            rest.remove((parent, SH.property, prop))
            rules.append(rule)
    return rest, rules
