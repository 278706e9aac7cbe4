"""The interactive explorer: one offline HTML page drawn with vis-network."""
