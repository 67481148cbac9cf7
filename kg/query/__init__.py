"""Asking the graph: the saved-query catalogue, the engine, remote endpoints, read-only check."""
