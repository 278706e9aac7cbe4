"""A data folder with one recorded source and its draft (contract 1 format, hand-written).

Not a ``conftest.py``: the suite's root conftest is imported by name (``from conftest import …``),
and a second module of that name would take its place. Test files import the fixture with
``from desk_bench import bench_fixture as bench_fixture``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.data.paths import DataLayout
from kg.data.sources import add_source

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]
P = "draft-cd35c5bb-"


def small_folder(tmp: Path) -> tuple[DataLayout, Path, Path]:
    """A data folder of the ontology, shapes, entities and the recorded source under ``tmp``.

    Returns:
        The folder, the desk's draft in it and the source's text (the mutation units' data:
        a desk's check on it takes a fraction of the shipped data's).
    """
    root = tmp / "data"
    (root / "triples" / "drafts").mkdir(parents=True)
    for name in ("ontology.ttl", "shapes.ttl"):
        shutil.copy(ROOT / name, root / name)
    shutil.copy(ROOT / "triples" / "entities.trig", root / "triples" / "entities.trig")
    text = tmp / "xinghe-news.txt"
    shutil.copy(FIXTURES / "xinghe-news.txt", text)
    add_source(DataLayout(root), text, title="智谱完成新一轮融资", date="2026-03-16")
    draft = root / "triples" / "drafts" / "xinghe-news.draft.trig"
    shutil.copy(FIXTURES / "xinghe-news.draft.trig", draft)
    return DataLayout(root), draft, text


@dataclass(frozen=True)
class Bench:
    """Where one desk test works."""

    root: Path
    draft: Path
    text: Path
    initial_target: bytes | None = None

    def target_bytes(self) -> bytes | None:
        """The source's file as it is now (``None``: absent)."""
        return self.target.read_bytes() if self.target.exists() else None

    @property
    def layout(self) -> DataLayout:
        return DataLayout(self.root)

    @property
    def target(self) -> Path:
        return self.root / "triples" / "sources" / "Source-cd35c5bbcc4e.trig"


@pytest.fixture(name="bench")
def bench_fixture(data_copy: Path, tmp_path: Path) -> Bench:
    text = tmp_path / "xinghe-news.txt"
    shutil.copy(FIXTURES / "xinghe-news.txt", text)
    add_source(DataLayout(data_copy), text, title="智谱完成新一轮融资", date="2026-03-16")
    drafts = data_copy / "triples" / "drafts"
    drafts.mkdir()
    draft = drafts / "xinghe-news.draft.trig"
    shutil.copy(FIXTURES / "xinghe-news.draft.trig", draft)
    bench = Bench(data_copy, draft, text)
    return Bench(data_copy, draft, text, bench.target_bytes())  # kg sources add wrote it
