"""The saved queries behind the pictures and tables, run on the graph being shown.

Every picture or table that answers a question is drawn from the rows of the saved query that
answers it (`kg query NAME`), never from a second implementation, so the CLI, the server, the
notebooks and the pictures cannot disagree.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import RdfFormat, Store
from rdflib import Graph

from kg.query.engine import Engine

if TYPE_CHECKING:
    from kg.export.network import GraphLike


def engine_for(graph: Graph) -> Engine:
    """The query engine over a graph already in memory (a published build, or a fresh one)."""
    store = Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=RdfFormat.N_TRIPLES)
    return Engine(store)


def load_engine(dist: Path | None = None) -> Engine:
    """Like `kg.export.network.load_graph`: the published build ($KG_DIST, else dist/) when it is up
    to date, else a fresh in-memory build of the curated files."""
    return load_view(dist)[0]


def load_view(dist: Path | None = None) -> tuple[Engine, GraphLike]:
    """The query engine and the graph for the projections, loaded once: the published build
    ($KG_DIST, else dist/) parsed by pyoxigraph when it is up to date, else a fresh in-memory
    build of the curated files."""
    from kg.build.pipeline import assemble
    from kg.export.network import is_stale
    from kg.export.triples import load_published_fast
    from kg.namespaces import DEFAULT_DIST, corpus_dir

    dist = dist or Path(os.environ.get("KG_DIST") or DEFAULT_DIST)
    if not is_stale(dist):
        return load_published_fast(dist)
    graph = assemble(corpus_dir()).graph
    return engine_for(graph), graph
