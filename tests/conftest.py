"""Shared fixtures: the shipped data, a scratch copy of it, and the source article."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import kg
from kg.paths import source_text_path

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def graph() -> kg.KnowledgeGraph:
    """The shipped knowledge graph, loaded once."""
    return kg.load()


@pytest.fixture(scope="session")
def source_path() -> Path:
    """The source article; tests that need it are skipped, loudly, where it is absent."""
    path = source_text_path()
    if path is None:
        reason = "source article not found: expected shared/seeds/000_84821df325fde2eb.txt"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI always has it)")
        pytest.skip(reason)
    return path


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the data folder, for tests that break it on purpose."""
    root = tmp_path / "data"
    root.mkdir()
    for name in ("ontology.ttl", "shapes.ttl"):
        shutil.copy(ROOT / name, root / name)
    for folder in ("triples", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of ``old`` in ``path``."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
