"""zhipu-kg: a bilingual, evidence-backed knowledge graph of Zhipu AI and the Chinese LLM race.

>>> import kg
>>> g = kg.load()
>>> rows = g.query("SELECT ?l WHERE { kgr:Zhipu rdfs:label ?l FILTER(lang(?l) = 'en') }")
>>> [str(r.l) for r in rows]
['Zhipu AI']
"""

from typing import TYPE_CHECKING, Any

from kg.graph import KnowledgeGraph, load

if TYPE_CHECKING:
    from kg.explore.notebook import to_pyvis
else:

    def __getattr__(name: str) -> Any:
        """``kg.to_pyvis`` imports networkx and pyvis only when first used."""
        if name == "to_pyvis":
            from kg.explore.notebook import to_pyvis

            return to_pyvis
        raise AttributeError(f"module 'kg' has no attribute {name!r}")


__version__ = "0.1.0"
__all__ = ["KnowledgeGraph", "__version__", "load", "to_pyvis"]
