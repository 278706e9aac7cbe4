"""Querying: one analysis per query, the named-query catalogue, the engines and result formats."""
