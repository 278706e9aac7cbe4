"""The data layer: namespaces, where the data lives, loading, the source article and quantities."""
