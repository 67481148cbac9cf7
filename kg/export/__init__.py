"""Exports of the graph for other tools and for people: files, pictures and an HTML view.

`export_all` writes everything `kg export` promises into one folder. Each module does one job:
`files` (GraphML, GEXF, node-link JSON, cytoscape.js JSON, JSON-LD), `overview`, `timeline` and
`stance` (pictures), `html` (the interactive view), `pages` and `page_render` (a static page
per entity, source and term, under pages/); `layout` and `style` are shared by the pictures.
The timelines, the stance matrix and the pages are drawn from the rows of their saved queries,
run on the published build (`answers`), so they say exactly what `kg query` says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from kg.export.network import GraphLike, entity_graph


def export_all(
    graph: GraphLike | None, dist: Path, out: Path,
    progress: Callable[[str], None] = lambda _: None,
    day: dt.date | None = None,
) -> list[Path]:
    """Write every export of graph (published in dist) into out; returns the files written.

    graph None loads the build in dist once, with pyoxigraph, for both the projection and the
    saved queries (kg export does); an rdflib graph gives byte-identical files. The entity pages
    give each statement's status as at day (default: today).
    """
    from kg.export import files, html, overview, stance, timeline
    from kg.export.page_render import write_pages
    from kg.export.pages import Pages
    from kg.export.triples import load_published_fast
    from kg.query.citations import citations
    from kg.query.engine import Engine

    out.mkdir(parents=True, exist_ok=True)
    if graph is None:
        progress(f"loading {dist / 'kg.trig'} (pyoxigraph)")
        engine, graph = load_published_fast(dist)
    else:
        engine = Engine.load(dist)
    progress("projecting the entity graph")
    g = entity_graph(graph)
    written: list[Path] = []
    progress("writing GraphML, GEXF, node-link JSON, cytoscape.js JSON and JSON-LD")
    written.append(files.write_graphml(g, out / "kg-entities.graphml"))
    written.append(files.write_gexf(g, out / "kg-entities.gexf"))
    written.append(files.write_node_link(g, out / "kg-entities.json"))
    written.append(files.write_cytoscape(g, out / "kg-entities.cyjs"))
    written.append(files.copy_jsonld(dist, out / "kg.jsonld"))
    cited = citations(engine)
    if g.number_of_nodes() <= files.LAYOUT_LIMIT:
        progress("writing the interactive view (graph.html, vendor/cytoscape.min.js)")
        written += html.write_html(g, out / "graph.html", cited)
        progress("drawing the overview")
        written += overview.draw_overview(g, out / "overview", cited)
    else:  # one drawing of a national graph is a hairball that takes minutes to lay out
        progress(f"graph.html and the overview left out: {g.number_of_nodes()} entities are more "
                 f"than one drawing can show ({files.LAYOUT_LIMIT}); open kg-entities.gexf in "
                 "Gephi, or see the pages and timelines")
    progress("drawing the timelines, one per council (saved query council-timeline)")
    for council, name in timeline.councils(engine).items():
        rows = timeline.timeline_rows(engine, council)
        written += timeline.draw_timeline(rows, name, out / f"timeline-{timeline.slug(council)}",
                                          cited)
    progress("drawing the stance matrix (saved query stance-matrix)")
    answer = engine.run(stance.QUERY)
    written += stance.draw_stance_matrix(stance.stance_rows(answer.records(short=True)),
                                         out / "stance-matrix", cited)
    # The query's own W3C CSV, byte for byte what `kg query stance-matrix --format csv` writes.
    (out / "stance-positions.csv").write_text(answer.to_csv(), encoding="utf-8", newline="")
    written.append(out / "stance-positions.csv")
    # One page per entity, source and term, as at the day of the export (saved queries entity-*).
    written += write_pages(Pages(engine), out / "pages", day or dt.date.today(), progress)
    return written
