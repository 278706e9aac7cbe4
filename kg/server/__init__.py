"""``kg serve``: the SPARQL 1.1 Protocol endpoint, the query page, entity pages and the explorer."""
