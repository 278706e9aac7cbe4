"""zhipu-kg: a bilingual, evidence-backed knowledge graph of Zhipu AI and the Chinese LLM race.

>>> import kg
>>> g = kg.load()
>>> rows = g.query("SELECT ?l WHERE { kgr:Zhipu rdfs:label ?l FILTER(lang(?l) = 'en') }")
>>> [str(r.l) for r in rows]
['Zhipu AI']
"""

from kg.graph import KnowledgeGraph, load

__version__ = "0.1.0"
__all__ = ["KnowledgeGraph", "__version__", "load"]
