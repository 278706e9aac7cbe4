"""``kg init DIR``: a data folder of one's own, copied from the data shipped with the package."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["init"]

_PARTS = ("ontology.ttl", "shapes.ttl", "triples", "queries")


@click.command()
@click.argument("folder", type=click.Path(path_type=Path))
def init(folder: Path) -> None:
    """Copy the shipped data into FOLDER (new or empty), to grow it with `kg --data FOLDER …`."""
    import shutil
    import tempfile

    from kg.data.paths import packaged_data
    from kg.errors import UsageError

    target = folder.expanduser().resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target}: exists and is not an empty folder; give a new folder")
    if not target.parent.is_dir():
        raise UsageError(f"{target}: the folder {target.parent} does not exist; create it first")
    source = packaged_data()
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as err:
        raise UsageError(f"cannot create {target}: {err.strerror or err}") from None
    try:  # build beside the target, then rename: no half-copied data folder is ever left
        for part in _PARTS:
            path = source / part
            if path.is_dir():
                shutil.copytree(path, staging / part)
            elif path.is_file():
                shutil.copy2(path, staging / part)
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise UsageError(f"cannot create {target}: {err.strerror or err}") from None
    click.echo(f"data folder {target}: use it with `kg --data {target} …` or KG_DATA={target}")
