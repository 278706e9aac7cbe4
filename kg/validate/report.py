"""The validation report: problems found, checks run, exit codes."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Namespace, URIRef
from rdflib.term import Node

from kg.data.prefixes import shorten

#: Validation-only vocabulary: never in the data, only in the view SHACL sees.
KGV = Namespace("https://w3id.org/zhipu-kg/validation#")

EXIT_VALID, EXIT_INVALID, EXIT_ERROR = 0, 1, 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data.

    Attributes:
        rule: Which check found it (``syntax``, ``cross-parse``, ``graphs``, ``shacl``,
            ``quote``, ``source``, ``amount``, ``claim``, ``vocabulary``, ``identity``).
        resource: The file, node or graph concerned.
        message: What is wrong, and where possible what would be right.

    """

    rule: str
    resource: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.resource}: {self.message}"


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`.

    Attributes:
        problems: Everything found wrong (empty when valid).
        error: Why validation could not run, if it could not.
        checked: How many items each rule looked at.
        skipped: Checks that could not run, and why (never silently passed).

    """

    problems: list[Problem] = field(default_factory=list)
    error: str | None = None
    checked: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """True when validation ran and found nothing wrong."""
        return self.error is None and not self.problems

    @property
    def exit_code(self) -> int:
        """0 valid, 1 invalid, 2 could not run."""
        if self.error is not None:
            return EXIT_ERROR
        return EXIT_VALID if not self.problems else EXIT_INVALID

    def summary(self) -> str:
        """A human-readable account, one problem a line."""
        if self.error is not None:
            return f"could not validate: {self.error}"
        checks = ", ".join(f"{n} {rule}" for rule, n in self.checked.items())
        if not self.problems:
            lines = [f"valid ({checks})"]
        else:
            lines = [f"{len(self.problems)} problem(s) ({checks}):"]
            lines += [f"  {p}" for p in self.problems]
        lines += [f"skipped: {check}: {why}" for check, why in self.skipped.items()]
        return "\n".join(lines)


def short(node: Node | None) -> str:
    """A node as a CURIE, or ``[]`` for a blank node."""
    if node is None:
        return "?"
    if isinstance(node, URIRef):
        return shorten(str(node))
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)
