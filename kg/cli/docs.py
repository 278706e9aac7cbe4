"""``kg docs``: the ontology page of :mod:`kg.explore.ontology_page`, as static HTML."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["docs"]


@click.command()
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The folder to write index.html and its stylesheet into (created if needed).",
)
@click.pass_obj
def docs(data: Path | None, out_dir: Path) -> None:
    """Write the ontology page: every class and property, labels, uses and an example."""
    from kg.data.paths import data_dir
    from kg.explore.ontology_page import write_docs
    from kg.graph import load

    written = write_docs(data_dir(data), load(data, lazy=True).dataset, out_dir)  # one parse
    click.echo(f"wrote {written[0]} ({written[0].stat().st_size:,} bytes) and {written[1].name}")
