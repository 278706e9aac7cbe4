"""Where the knowledge graph's data files live.

The data (``ontology.ttl``, ``shapes.ttl``, ``triples/``, ``queries/``) sits at the top of a
checkout and is packaged into the wheel under ``kg/_data``. :func:`data_dir` finds it in
either place; ``--data DIR`` (or ``KG_DATA``) points the code at another folder of the same shape.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from kg.errors import NotFound

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_CHECKOUT_DIR = _PACKAGE_DIR.parent
_INSTALLED_DIR = _PACKAGE_DIR / "_data"

#: The source article's file name, as laid out in ``shared/seeds/``.
SOURCE_FILE_NAME = "000_84821df325fde2eb.txt"


class DataDirError(NotFound, FileNotFoundError):
    """Raised when no usable data folder can be found."""


class DataLayout(NamedTuple):
    """The files of one data folder.

    Attributes:
        root: The folder itself.
        include_drafts: Whether the draft files (``triples/drafts/``) belong to the data.

    """

    root: Path
    include_drafts: bool = False

    @property
    def ontology(self) -> Path:
        """The OWL vocabulary (Turtle)."""
        return self.root / "ontology.ttl"

    @property
    def shapes(self) -> Path:
        """The SHACL contract (Turtle)."""
        return self.root / "shapes.ttl"

    @property
    def triples_dir(self) -> Path:
        """The folder of curated TriG files."""
        return self.root / "triples"

    @property
    def queries_dir(self) -> Path:
        """The folder of named SPARQL queries."""
        return self.root / "queries"

    @property
    def sources_dir(self) -> Path:
        """The folder of per-source files (``triples/sources/``: accepted facts, cited reports)."""
        return self.triples_dir / "sources"

    @property
    def drafts_dir(self) -> Path:
        """The folder of draft evidence (``kg draft`` output), left out unless asked for."""
        return self.triples_dir / "drafts"

    def triple_files(self) -> list[Path]:
        """All curated data files (``triples/`` and ``triples/sources/``), drafts when included."""
        curated = sorted(
            p for p in self.triples_dir.iterdir() if p.suffix in {".trig", ".ttl"} and p.is_file()
        )
        if self.sources_dir.is_dir():
            curated += sorted(
                p for p in self.sources_dir.iterdir() if p.suffix == ".trig" and p.is_file()
            )
        return curated + self.draft_files() if self.include_drafts else curated

    def draft_files(self) -> list[Path]:
        """The draft files, in a stable order (none when there is no ``triples/drafts/``)."""
        if not self.drafts_dir.is_dir():
            return []
        return sorted(p for p in self.drafts_dir.iterdir() if p.suffix == ".trig" and p.is_file())


def _looks_like_data(root: Path) -> bool:
    return (root / "ontology.ttl").is_file() and (root / "triples").is_dir()


def data_dir(
    override: str | os.PathLike[str] | None = None, *, include_drafts: bool | None = None
) -> DataLayout:
    """Return the data folder to use.

    Args:
        override: An explicit folder (``--data DIR``); else ``$KG_DATA``; else the checkout
            this package runs from; else the data installed with the package.
        include_drafts: Add the draft files; default: whether ``$KG_INCLUDE_DRAFTS`` is ``1``
            (what ``kg --include-drafts`` sets, so that server workers inherit it).

    Raises:
        DataDirError: If the chosen folder has no ``ontology.ttl`` and ``triples/``.

    """
    drafts = (
        include_drafts if include_drafts is not None else os.environ.get("KG_INCLUDE_DRAFTS") == "1"
    )
    explicit = override if override is not None else os.environ.get("KG_DATA")
    if explicit:
        root = Path(explicit).expanduser().resolve()
        if not _looks_like_data(root):
            raise DataDirError(f"{root}: not a data folder (needs ontology.ttl and triples/)")
        return DataLayout(root, drafts)
    for root in (_CHECKOUT_DIR, _INSTALLED_DIR):
        if _looks_like_data(root):
            return DataLayout(root, drafts)
    raise DataDirError(f"no data folder found in {_CHECKOUT_DIR} or {_INSTALLED_DIR}")


def source_text_path(override: str | os.PathLike[str] | None = None) -> Path | None:
    """Locate the source article, which the project quotes but does not ship.

    Looks at ``override``, then ``$KG_SOURCE``, then ``shared/seeds/`` in the working folder,
    beside or above the checkout.

    Returns:
        The path, or ``None`` when the article is not on this machine.

    """
    explicit = override if override is not None else os.environ.get("KG_SOURCE")
    if explicit:
        return Path(explicit).expanduser().resolve()
    for base in (Path.cwd(), _CHECKOUT_DIR, *_CHECKOUT_DIR.parents):
        candidate = base / "shared" / "seeds" / SOURCE_FILE_NAME
        if candidate.is_file():
            return candidate
        candidate = base.parent / "shared" / "seeds" / SOURCE_FILE_NAME
        if candidate.is_file():
            return candidate
    return None
