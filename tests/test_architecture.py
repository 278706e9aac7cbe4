"""The package's shape: subpackages by concern, no import circles, modules of readable size."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kg"
MAX_LINES = 460


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every kg module and the kg modules it imports anywhere (type-only and lazy ones too)."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        name = _module_name(path)
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets.add(node.module)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
        graph[name] = {t for t in targets if t == "kg" or t.startswith("kg.")}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            found.append([*path[path.index(node) :], node])
            return
        if node in done:
            return
        for target in sorted(graph.get(node, ())):
            visit(target, [*path, node])
        done.add(node)

    for node in sorted(graph):
        visit(node, [])
    return found


def test_no_import_circle() -> None:
    graph = _imports()
    graph["kg"] = graph.get("kg", set())
    # ``kg`` (the public API) may import anything below it; nothing below imports ``kg`` itself.
    importers_of_root = sorted(name for name, targets in graph.items() if "kg" in targets)
    assert importers_of_root == [], f"modules importing the package root: {importers_of_root}"
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"a"}}) == [["a", "b", "a"]]


#: The layers, lowest first: a unit (a subpackage, or a module at the top of ``kg/``) may import
#: only the units before it, so every pair of units has one allowed direction and no tie runs
#: both ways. Lazy and type-only imports count. ``docs/DESIGN.md`` shows this table.
LAYERS = (
    "errors",
    "logs",
    "progress",
    "sandbox",
    "data",
    "identity",
    "query",
    "validate",
    "draft",
    "remote",
    "network",
    "explore",
    "graph",
    "review",
    "server",
    "cli",
    "__main__",
    "kg",
)
DESIGN = PACKAGE.parent / "docs" / "DESIGN.md"


def _unit(module: str) -> str:
    """The layer unit of a module: ``kg.query.run`` → ``query``; the package root → ``kg``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "kg"


def _unit_imports() -> dict[str, dict[str, set[str]]]:
    """For each unit, the other units it imports and the module imports that make each tie."""
    ties: dict[str, dict[str, set[str]]] = {}
    for module, targets in _imports().items():
        for target in targets:
            source, sink = _unit(module), _unit(target)
            if source != sink:
                ties.setdefault(source, {}).setdefault(sink, set()).add(f"{module} → {target}")
    return ties


def _against_the_layers(ties: dict[str, dict[str, set[str]]]) -> list[str]:
    order = {unit: rank for rank, unit in enumerate(LAYERS)}
    return sorted(
        f"{source} imports {sink}, a layer above it ({', '.join(sorted(why))})"
        for source, sinks in ties.items()
        for sink, why in sinks.items()
        if order[sink] > order[source]
    )


def test_every_unit_has_its_layer() -> None:
    units = {_unit(module) for module in _imports()}
    assert sorted(units - set(LAYERS)) == [], "place each new unit in LAYERS (and DESIGN.md)"


def test_imports_run_down_the_layers_only() -> None:
    """Every import between units, lazy and type-only ones too, goes to a lower layer."""
    assert _against_the_layers(_unit_imports()) == []


def test_no_tie_between_units_runs_both_ways() -> None:
    ties = _unit_imports()
    both = sorted(
        f"{a} ↔ {b}" for a, sinks in ties.items() for b in sinks if a < b and a in ties.get(b, {})
    )
    assert both == []


def test_the_layer_check_finds_an_upward_import() -> None:
    ties = {"network": {"explore": {"kg.network.export → kg.explore.style"}}}
    assert _against_the_layers(ties) == [
        "network imports explore, a layer above it (kg.network.export → kg.explore.style)"
    ]


def test_design_md_shows_the_layers_in_order() -> None:
    text = DESIGN.read_text(encoding="utf-8")
    block = re.search(r"<!-- layers:start -->\n(.*?)<!-- layers:end -->", text, re.DOTALL)
    assert block, "docs/DESIGN.md has no layers block"
    shown = re.findall(r"^\| \d+ \| `kg(?:/([\w_]+)(?:/|\.py))?` \|", block.group(1), re.M)
    assert tuple("kg" if unit in {"", "__init__"} else unit for unit in shown) == LAYERS


def test_subpackages_show_the_architecture() -> None:
    subpackages = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    assert len(subpackages) >= 4, subpackages
    for name in ("cli", "data", "query", "server", "validate", "network", "explore", "identity"):
        assert name in subpackages


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_module_size(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines; split it by concern"


@pytest.mark.parametrize(
    "path", sorted((PACKAGE / "web").glob("*.js")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_script_size(path: Path) -> None:
    """The pages' own scripts (not the vendored ones) keep to the same size as modules."""
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines; split it by concern"
