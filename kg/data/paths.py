"""Where the knowledge graph's data files live.

The data (``ontology.ttl``, ``shapes.ttl``, ``triples/``, ``queries/``) sits at the top of a
checkout and is packaged into the wheel under ``kg/_data``. :func:`data_dir` finds it: ``--data
DIR`` (or ``KG_DATA``), else the clone the command runs in (the working folder or one above it),
else the checkout this package runs from, else the installed copy. The installed copy is read
only: :func:`writable` refuses a write into it with what to do instead (``kg init DIR``).

Data files are every ``*.trig``/``*.ttl`` under ``triples/`` (``triples/sources/`` holds the
reviewed facts, one file per source); the drafts, under ``triples/drafts/``, only when asked.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from kg.errors import NotFound, UsageError

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
        as_of: A day (``YYYY-MM-DD``): the data as known then (see :mod:`kg.data.asof`);
            ``None`` for all of it.

    """

    root: Path
    include_drafts: bool = False
    as_of: str | None = None

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
        """The folder of per-source files (``triples/sources/``).

        Each holds one source's description with its reviewed facts (``kg review`` writes them)
        or its cited facts.
        """
        return self.triples_dir / "sources"

    @property
    def drafts_dir(self) -> Path:
        """The folder of draft evidence (``kg draft`` output), left out unless asked for."""
        return self.triples_dir / "drafts"

    @property
    def is_installed_copy(self) -> bool:
        """Whether this is the data installed with the package (read only)."""
        return self.root == _INSTALLED_DIR.resolve()

    def triple_files(self) -> list[Path]:
        """All curated data files (and the drafts when included), in a stable order.

        Files directly in ``triples/`` come first, then those of its subfolders (``sources/``),
        by path; ``triples/drafts/`` is left out unless drafts are included.
        """
        drafts = self.drafts_dir
        curated = sorted(
            (
                p
                for p in _data_files(self.triples_dir, {".trig", ".ttl"})
                if drafts not in p.parents
            ),
            key=lambda p: (len(p.relative_to(self.triples_dir).parts) > 1, p),
        )
        return curated + self.draft_files() if self.include_drafts else curated

    def draft_files(self) -> list[Path]:
        """The draft files, in a stable order (none when there is no ``triples/drafts/``)."""
        return sorted(_data_files(self.drafts_dir, {".trig"}))


def _data_files(folder: Path, suffixes: set[str]) -> list[Path]:
    """The data files under ``folder``, at any depth (hidden files and folders aside)."""
    if not folder.is_dir():
        return []
    return [
        p
        for p in folder.rglob("*")
        if p.suffix in suffixes
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]


def _looks_like_data(root: Path) -> bool:
    return (root / "ontology.ttl").is_file() and (root / "triples").is_dir()


def data_dir(
    override: str | os.PathLike[str] | None = None,
    *,
    include_drafts: bool | None = None,
    as_of: str | None = None,
) -> DataLayout:
    """Return the data folder to use.

    Args:
        override: An explicit folder (``--data DIR``); else ``$KG_DATA``; else the clone the
            working folder is in (it or a folder above it); else the checkout this package runs
            from; else the data installed with the package (read only: see :func:`writable`).
        include_drafts: Add the draft files; default: whether ``$KG_INCLUDE_DRAFTS`` is ``1``
            (what ``kg --include-drafts`` sets, so that server workers inherit it).
        as_of: The data as known on this day (``YYYY-MM-DD``); default: ``$KG_AS_OF`` (what
            ``--as-of`` sets, so that server workers inherit it), else all of it.

    Raises:
        DataDirError: If the chosen folder has no ``ontology.ttl`` and ``triples/``.
        kg.data.asof.AsOfError: If the day is not written ``YYYY-MM-DD``.

    """
    drafts = (
        include_drafts if include_drafts is not None else os.environ.get("KG_INCLUDE_DRAFTS") == "1"
    )
    day = as_of if as_of is not None else os.environ.get("KG_AS_OF") or None
    if day is not None:
        from kg.data.asof import parse_as_of

        day = parse_as_of(day).isoformat()
    explicit = override if override is not None else os.environ.get("KG_DATA")
    if explicit:
        root = Path(explicit).expanduser().resolve()
        if not _looks_like_data(root):
            raise DataDirError(f"{root}: not a data folder (needs ontology.ttl and triples/)")
        return DataLayout(root, drafts, day)
    cwd = Path.cwd().resolve()
    for root in (cwd, *cwd.parents, _CHECKOUT_DIR, _INSTALLED_DIR):
        if _looks_like_data(root):
            return DataLayout(root.resolve(), drafts, day)
    raise DataDirError(f"no data folder found in {cwd}, {_CHECKOUT_DIR} or {_INSTALLED_DIR}")


class InstalledDataError(UsageError):
    """A write would go into the data installed with the package."""


def writable(layout: DataLayout, what: str) -> DataLayout:
    """Return ``layout`` when ``what`` may be written into it.

    Raises:
        InstalledDataError: If ``layout`` is the copy installed with the package, which an
            upgrade would silently replace.

    """
    if layout.is_installed_copy:
        raise InstalledDataError(
            f"{what} would write into the installed package's data ({layout.root}); "
            "run `kg init DIR` and then `kg --data DIR …` (or set KG_DATA=DIR), "
            "or run kg from your clone"
        )
    return layout


def refuse_installed(path: str | os.PathLike[str], what: str) -> None:
    """Refuse a write of ``path`` when it lies in the data installed with the package.

    Raises:
        InstalledDataError: Saying what to do instead.

    """
    installed = _INSTALLED_DIR.resolve()
    target = Path(path).expanduser().resolve()
    if target == installed or installed in target.parents:
        writable(DataLayout(installed), what)


def packaged_data() -> Path:
    """The data shipped with the package: the installed copy, else this checkout's."""
    for root in (_INSTALLED_DIR, _CHECKOUT_DIR):
        if _looks_like_data(root):
            return root
    raise DataDirError(f"no packaged data in {_INSTALLED_DIR} or {_CHECKOUT_DIR}")


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
