"""Growing the graph: adding a source, finding quotes, candidate statements, the curator's report.

Nothing here writes into the published graph: `kg source add` writes the registry entry and an
empty data file, `kg curate` a review file under curation/ that the build never loads.
"""
