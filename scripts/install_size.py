"""How much disk ``pip install .`` takes: the project's dependencies, as installed here.

Walks the ``[project] dependencies`` of ``pyproject.toml`` (no extras) and everything they require,
finds each distribution installed in the running environment, and adds up the files its
installation record lists (compiled ``.pyc`` included). Run it with the interpreter of a
``pip install .`` environment (``.venv/bin/python scripts/install_size.py``) to measure that
environment without creating another one.
"""

from __future__ import annotations

import importlib.metadata as md
import os
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(requirements: list[str]) -> dict[str, md.Distribution]:
    """Every distribution the requirements pull in, by normalised name."""
    found: dict[str, md.Distribution] = {}
    todo = [Requirement(r) for r in requirements]
    while todo:
        requirement = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
            continue
        if _key(requirement.name) in found:
            continue
        try:
            distribution = md.distribution(requirement.name)
        except md.PackageNotFoundError:
            sys.exit(f"{requirement.name} is not installed here: run this in a pip install . venv")
        found[_key(requirement.name)] = distribution
        todo += [Requirement(r) for r in distribution.requires or []]
    return found


def size(distribution: md.Distribution) -> int:
    """Bytes of the files its installation record lists."""
    total = 0
    for file in distribution.files or []:
        path = Path(str(distribution.locate_file(file)))
        if path.is_file():
            total += os.path.getsize(path)
    return total


def main() -> None:
    """Print each dependency's size, largest first, and the total."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        requirements = tomllib.load(handle)["project"]["dependencies"]
    sizes = sorted(((size(d), name, d.version) for name, d in closure(requirements).items()),
                   reverse=True)  # fmt: skip
    for bytes_, name, version in sizes:
        print(f"{bytes_ / 1e6:8.1f} MB  {name} {version}")
    total = sum(s for s, _, _ in sizes)
    print(f"{total / 1e6:8.1f} MB  in all ({len(sizes)} distributions)")


if __name__ == "__main__":
    main()
