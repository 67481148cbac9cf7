"""An interactive network for notebooks: the entity graph in cytoscape.js, as an anywidget.

    from kg.export.widget import network_widget
    network_widget(entity_graph(load_graph()))      # the last line of a cell shows it

The widget's model carries the projection itself (`nodes`, `edges`: one per entity and per
edge of the entity graph, with labels, classes, colours and the pictures' layout), so what the
notebook shows is what a test can read back. cytoscape.js comes from the npm package on this
machine (kg.frontend), evaluated inside the widget's own module: no CDN.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import anywidget
import networkx as nx
import traitlets

from kg.export.layout import drawing
from kg.export.style import class_colour
from kg.frontend import vendor_file

WIDGET_JS = Path(__file__).with_name("widget.js")
PX = 72  # cytoscape pixels per inch of the layout


@cache
def widget_esm() -> str:
    """The widget's ES module: cytoscape.js's UMD bundle, which sees a CommonJS `module` and
    exports itself there, then the drawing code (widget.js)."""
    bundle = vendor_file("cytoscape.min.js").read_text(encoding="utf-8")
    return ("const module = { exports: {} };\nconst exports = module.exports;\n"
            f"{bundle}\nconst cytoscape = module.exports;\n"
            + WIDGET_JS.read_text(encoding="utf-8"))


def cytoscape_elements(g: nx.MultiDiGraph) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(nodes, edges) of the entity graph as cytoscape.js element data, in a stable order."""
    # The pictures' layout (labels spread until none overlap), in inches: 72 px each.
    page = drawing(g, include_isolated=True)
    nodes = [{"id": node, "label": page.labels[node], "title": data["label"],
              "kind": data["class_label"], "colour": class_colour(data["class"]),
              "x": round(page.anchors[node][0] * PX, 1),
              "y": round((page.height - page.anchors[node][1]) * PX, 1)}
             for node, data in sorted(g.nodes(data=True))]
    edges = [{"id": f"{u}|{v}|{key}", "source": u, "target": v, "label": data["label"],
              "title": data["title"], "statement": data["statement"],
              "when": " - ".join(part for part in (data["start"], data["end"]) if part),
              "structural": bool(data["structural"])}
             for u, v, key, data in sorted(g.edges(keys=True, data=True),
                                           key=lambda e: (e[0], e[1], str(e[2])))]
    return nodes, edges


class NetworkWidget(anywidget.AnyWidget):  # type: ignore[misc]
    """A cytoscape.js view of nodes and edges; `selected` is the node last clicked."""

    _esm = traitlets.Unicode("").tag(sync=True)
    nodes = traitlets.List(traitlets.Dict()).tag(sync=True)
    edges = traitlets.List(traitlets.Dict()).tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    height = traitlets.Int(560).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(_esm=widget_esm(), **kwargs)


def network_widget(g: nx.MultiDiGraph, height: int = 560) -> NetworkWidget:
    """The widget for an entity graph (kg.export.network.entity_graph)."""
    nodes, edges = cytoscape_elements(g)
    return NetworkWidget(nodes=nodes, edges=edges, height=height)
