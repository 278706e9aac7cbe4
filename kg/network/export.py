"""Write a projection to files (GraphML, GEXF, JSON, RDF) and read it back."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Dataset, Graph

from kg.data.namespaces import INFERENCE_GRAPH, PREFIXES
from kg.data.output import write_atomically, write_text
from kg.data.store import HasDataset
from kg.errors import InvalidValue
from kg.network.projection import as_dataset, to_networkx
from kg.network.reading import graph_quads
from kg.network.style import style_of

Attrs = dict[str, Any]

# ---------------------------------------------------------------- files
EXPORT_FORMATS = ("graphml", "gexf", "json", "ttl", "trig", "nt", "jsonld", "ftm", "xlsx", "csv")
"""Formats :func:`export` writes: three of the projection, four of the RDF itself, and three for
investigators: FollowTheMoney entities, and the facts with their evidence as a workbook or as a
folder of CSV files (one sheet or file per kind of fact)."""

_RDF_FORMATS = {"ttl": "turtle", "trig": "trig", "nt": "nt", "jsonld": "json-ld"}
_JSON_ATTRIBUTES = frozenset({"aliases", "facts", "events", "evidence", "details", "related"})
"""The projection's list-valued attributes, JSON-encoded in GraphML and GEXF."""


def _scalar_copy(nxg: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose list and dict attributes are JSON strings (GraphML/GEXF take scalars)."""

    def scalars(attrs: Attrs) -> Attrs:
        return {
            key: json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
            for key, value in attrs.items()
            if value is not None
        }

    copy = nx.MultiDiGraph()
    copy.add_nodes_from((n, scalars(d)) for n, d in nxg.nodes(data=True))
    copy.add_edges_from((u, v, k, scalars(d)) for u, v, k, d in nxg.edges(keys=True, data=True))
    copy.graph.update(scalars(dict(nxg.graph)))
    return copy


_GEXF_SHAPES = {"dot": "disc", "square": "square", "triangle": "triangle", "diamond": "diamond"}


def _with_style(nxg: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Give each node the explorer's colour and shape as GEXF ``viz`` data (Gephi shows them)."""
    for _, attrs in nxg.nodes(data=True):
        style = style_of(str(attrs.get("family", "")))
        rgb = style["color"].lstrip("#")
        attrs["viz"] = {
            "color": {
                "r": int(rgb[0:2], 16),
                "g": int(rgb[2:4], 16),
                "b": int(rgb[4:6], 16),
                "a": 1.0,
            },
            "shape": _GEXF_SHAPES.get(style["shape"], "disc"),
        }
    return nxg


def _decode(nxg: nx.MultiDiGraph) -> nx.MultiDiGraph:
    for attrs in [d for _, d in nxg.nodes(data=True)] + [d for *_, d in nxg.edges(data=True)]:
        for key in _JSON_ATTRIBUTES & attrs.keys():
            if isinstance(attrs[key], str):
                attrs[key] = json.loads(attrs[key])
    for node, attrs in nxg.nodes(data=True):
        attrs.setdefault("id", node)
    return nxg


def write(nxg: nx.MultiDiGraph, path: str | os.PathLike[str], fmt: str) -> Path:
    """Write a projection as ``graphml``, ``gexf`` or node-link ``json``, atomically.

    GraphML and GEXF hold scalars only: list and dict attributes (aliases, facts, evidence…)
    are written as JSON strings, which :func:`read` decodes again.

    Raises:
        ValueError: For another format.

    """
    target = Path(path)
    if fmt == "json":
        data = nx.node_link_data(nxg, edges="edges")
        text = json.dumps(data, ensure_ascii=False, indent=1)
        write_text(target, text)
    elif fmt == "graphml":
        write_atomically(target, lambda tmp: nx.write_graphml(_scalar_copy(nxg), tmp))
    elif fmt == "gexf":
        write_atomically(target, lambda tmp: nx.write_gexf(_with_style(_scalar_copy(nxg)), tmp))
    else:
        raise InvalidValue(f"unknown network format {fmt!r}: use graphml, gexf or json")
    return target


def read(path: str | os.PathLike[str], fmt: str | None = None) -> nx.MultiDiGraph:
    """Read a file :func:`write` wrote (format from the suffix unless given)."""
    source = Path(path)
    fmt = fmt or source.suffix.lstrip(".")
    if fmt == "json":
        data = json.loads(source.read_text(encoding="utf-8"))
        return _decode(nx.node_link_graph(data, directed=True, multigraph=True, edges="edges"))
    if fmt == "graphml":
        return _decode(nx.read_graphml(source, force_multigraph=True))
    if fmt == "gexf":
        return _decode(nx.MultiDiGraph(nx.read_gexf(source)))
    raise InvalidValue(f"unknown network format {fmt!r}: use graphml, gexf or json")


def _asserted(dataset: Graph) -> Dataset:
    """The dataset's asserted statements (the inference graph left out), prefixes bound.

    The identity judgements (``kgg:identity``) are data and stay; only the projection leaves
    them out (they are about entities, not facts between them).
    """
    out = Dataset()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace, replace=True)
    if isinstance(dataset, Dataset):
        out.addN(
            (s, p, o, out.graph(gid))
            for s, p, o, gid in graph_quads(dataset, keep=lambda graph: graph != INFERENCE_GRAPH)
        )
    else:
        out.addN((s, p, o, out.default_graph) for s, p, o in dataset)
    return out


def _write_facts(dataset: Graph, fmt: str, out_path: str | os.PathLike[str]) -> Path:
    """The investigators' formats: they read the evidence graphs, so a Dataset is needed."""
    if not isinstance(dataset, Dataset):
        raise InvalidValue(f"--format {fmt} needs the data's named graphs (a Dataset)")
    if fmt == "ftm":
        from kg.network.ftm import write_ftm

        return write_ftm(dataset, out_path)
    from kg.network.sheets import write_csv_folder, write_xlsx

    return write_xlsx(dataset, out_path) if fmt == "xlsx" else write_csv_folder(dataset, out_path)


def export(
    data: HasDataset | Graph,
    fmt: str,
    out_path: str | os.PathLike[str],
    *,
    collapse: bool = True,
) -> Path:
    """Write the knowledge graph to ``out_path`` in ``fmt``, atomically.

    Args:
        data: The knowledge graph (or its rdflib Dataset).
        fmt: ``graphml``, ``gexf`` (opens in Gephi) or ``json`` (node-link) for the projection;
            ``ttl``, ``nt`` (all graphs merged), ``trig`` or ``jsonld`` (named graphs kept) for
            the RDF itself; ``ftm`` (FollowTheMoney JSON lines), ``xlsx`` (a workbook) or
            ``csv`` (a new folder of files) for the facts with their evidence.
        out_path: The file to write (the folder, for ``csv``).
        collapse: For the projection formats, as in :func:`to_networkx`.

    Returns:
        The path written.

    Raises:
        ValueError: For an unknown format.

    """
    if fmt not in EXPORT_FORMATS:
        raise InvalidValue(f"unknown format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    if fmt in {"ftm", "xlsx", "csv"}:
        return _write_facts(as_dataset(data), fmt, out_path)
    if fmt in _RDF_FORMATS:
        asserted = _asserted(as_dataset(data))
        target: Graph = asserted
        if fmt in ("ttl", "nt"):
            target = Graph()
            for prefix, namespace in PREFIXES.items():
                target.bind(prefix, namespace, replace=True)
            for s, p, o, _ in asserted.quads((None, None, None, None)):
                target.add((s, p, o))
        path = Path(out_path)
        rdf_format = _RDF_FORMATS[fmt]
        write_atomically(
            path, lambda tmp: target.serialize(tmp, format=rdf_format, encoding="utf-8")
        )
        return path
    return write(to_networkx(data, collapse=collapse), out_path, fmt)
