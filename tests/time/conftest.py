"""The time tests' fixture: a copy of the data folder plus one dated public report."""

from __future__ import annotations

from pathlib import Path

import pytest
from dated_fixture import REPORT, copy_data


@pytest.fixture
def dated_data(tmp_path: Path) -> Path:
    """The data folder with the fixture report added under ``triples/sources/``."""
    root = copy_data(tmp_path / "data")
    (root / "triples" / "sources").mkdir(exist_ok=True)
    (root / "triples" / "sources" / "Report-test.trig").write_text(REPORT, encoding="utf-8")
    return root
