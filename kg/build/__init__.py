"""Building the graph: load, derive, validate (shapes, lint, quotes) and publish atomically."""
