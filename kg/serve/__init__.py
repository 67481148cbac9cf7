"""Serving the published graph: a read-only SPARQL endpoint, the saved-query API and the page."""
