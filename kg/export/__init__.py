"""Exports of the graph for other tools and for people: files, pictures and an HTML view.

`export_all` writes everything `kg export` promises into one folder. Each module does one job:
`files` (GraphML, GEXF, node-link JSON, JSON-LD), `overview`, `timeline` and `stance` (pictures),
`html` (the interactive view); `layout` and `style` are shared by the pictures.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from kg.network import entity_graph


def export_all(
    graph: Graph, dist: Path, out: Path, progress: Callable[[str], None] = lambda _: None
) -> list[Path]:
    """Write every export of graph (published in dist) into out; returns the files written."""
    from kg.export import files, html, overview, stance, timeline

    out.mkdir(parents=True, exist_ok=True)
    progress("projecting the entity graph")
    g = entity_graph(graph)
    written: list[Path] = []
    progress("writing GraphML, GEXF, node-link JSON and JSON-LD")
    written.append(files.write_graphml(g, out / "kg-entities.graphml"))
    written.append(files.write_gexf(g, out / "kg-entities.gexf"))
    written.append(files.write_node_link(g, out / "kg-entities.json"))
    written.append(files.copy_jsonld(dist, out / "kg.jsonld"))
    progress("writing the interactive view (graph.html)")
    written.append(html.write_html(g, out / "graph.html"))
    progress("drawing the overview")
    written += overview.draw_overview(g, out / "overview")
    progress("drawing the timelines, one per council")
    for council in timeline.councils(g):
        written += timeline.draw_timeline(g, council, out / f"timeline-{timeline.slug(council)}")
    progress("drawing the stance matrix")
    written += stance.draw_stance_matrix(g, out / "stance-matrix")
    positions = stance.stance_frame(g)
    positions.to_csv(out / "stance-positions.csv", index=False)
    written.append(out / "stance-positions.csv")
    return written
