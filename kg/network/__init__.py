"""The graph as a network: the RDF → NetworkX projection, its exports, paths and centrality."""
