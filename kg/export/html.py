"""The interactive view: graph.html, drawn by cytoscape.js from data built here.

The page loads cytoscape.js from `vendor/cytoscape.min.js` beside it (copied from the npm
package by `kg.frontend.copy_vendor`), so it works offline and from a file; data, style and the
page's own script are inline. Positions are computed here (`layout.packed`): the shared layout,
packed as tightly as the labels allow, so no two labels overlap at any zoom; the page only fits,
zooms, filters, searches and shows details.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

import networkx as nx

from kg.export import style
from kg.export.layout import marker_area, packed, text_width
from kg.frontend import copy_vendor
from kg.query.citations import Citation

VENDOR = ["cytoscape.min.js"]
FONT_PX = 12  # label size in graph units; the page never shows a label under 11 px on screen
LINE_HEIGHT = 1.2
LABEL_GAP = 3  # px between a marker and its label
WRAP = 14  # characters per label line
# The layout is squeezed flat first: labels are wide, so spreading them apart mostly grows the
# height; this start ends near a landscape screen's shape (measured: 1108 x 795 at 12 px,
# half of it under labels).
PACK_WIDTH, PACK_HEIGHT = 900.0, 120.0
# Order of the dates that place a statement in time (derived xsd:date bounds).
DATE_KEYS = ("dateEarliest", "startEarliest", "plannedEarliest", "endEarliest")


def marker_size(degree: int) -> float:
    """Marker diameter in graph units: the overview's marker area, as a width."""
    return round(math.sqrt(marker_area(degree)) * 1.1, 1)


def label_lines(label: str) -> list[str]:
    return textwrap.wrap(label, WRAP) or [label]


def label_box(lines: list[str], marker: float) -> tuple[float, float]:
    """Width and height of a node with its label hanging below the marker, in graph units."""
    text_w = max(text_width(line, FONT_PX) for line in lines) + 4
    return max(text_w, marker), marker + LABEL_GAP + len(lines) * FONT_PX * LINE_HEIGHT + 2


def sort_date(record: Mapping[str, Any]) -> str:
    """The earliest date the statement states for itself ('' if it states none: listed last)."""
    bounds = record.get("bounds", {})
    return next((bounds[k] for k in DATE_KEYS if bounds.get(k)), "")


def cite(source: Mapping[str, Any], cited: Mapping[str, Citation]) -> dict[str, str]:
    """A source as people cite it: publisher, date, title (and where to read it)."""
    citation = cited.get(source["iri"])
    if citation is None:  # not in sources-overview: build the same words from the graph
        citation = Citation(iri=source["iri"], id=source["id"], title=source["title"],
                            publisher=source["publisher"], date=source["date"])
    return {"text": citation.text, "short": citation.short, "url": citation.url}


def view_data(g: nx.MultiDiGraph, cited: Mapping[str, Citation]) -> dict[str, Any]:
    """Everything the page shows, as plain JSON: nodes with positions, edges, statements."""
    degree = dict(g.degree())
    lines = {n: label_lines(g.nodes[n]["short_label"]) for n in g}
    markers = {n: marker_size(degree[n]) for n in g}
    boxes = {n: label_box(lines[n], markers[n]) for n in g}
    centres = packed(g, boxes, PACK_WIDTH, PACK_HEIGHT)
    statements = {sid: {
        "label": r["label"], "edgeLabel": r["edge_label"], "planned": r["planned"],
        "when": _when(r["dates"]), "sortDate": sort_date(r), "participants": r["participants"],
        "values": r["values"], "sources": r["sources"], "evidence": r["evidence"],
    } for sid, r in sorted(g.graph["statements"].items())}
    nodes = []
    for node in sorted(g):
        data = g.nodes[node]
        x, y = centres[node]
        nodes.append({
            "id": node, "label": data["label"], "short": data["short_label"],
            "text": "\n".join(lines[node]), "alt": data["alt_labels"],
            "cls": data["class"], "clsLabel": data["class_label"], "iri": data["iri"],
            "identifiers": data["identifiers"], "sources": data["sources"],
            # By date, undated last: the order the story happened in.
            "statements": sorted(data["statements"], key=lambda s: (
                statements[s]["sortDate"] == "", statements[s]["sortDate"],
                statements[s]["label"])),
            # The marker sits at the top of its box, the label hangs below it.
            "x": round(x, 1), "y": round(y - boxes[node][1] / 2 + markers[node] / 2, 1),
            "size": markers[node], "degree": degree[node],
            "box": [round(x - boxes[node][0] / 2, 1), round(y - boxes[node][1] / 2, 1),
                    round(x + boxes[node][0] / 2, 1), round(y + boxes[node][1] / 2, 1)],
        })
    edges: list[dict[str, Any]] = []
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for u, v, key, data in sorted(g.edges(keys=True, data=True), key=lambda e: e[2]):
        if u == v:
            continue
        edges.append({"s": u, "t": v, "label": data["label"], "statement": data["statement"],
                      "structural": data["structural"], "sources": data["sources"]})
        pair = pairs.setdefault(tuple(sorted((u, v))), {"s": min(u, v), "t": max(u, v),
                                                         "edges": []})
        pair["edges"].append(len(edges) - 1)
    for pair in pairs.values():
        pair["structuralOnly"] = all(edges[i]["structural"] for i in pair["edges"])
    classes: dict[str, dict[str, Any]] = {}
    for _, data in g.nodes(data=True):
        entry = classes.setdefault(data["class"], {
            "label": data["class_label"], "group": style.class_group(data["class"]),
            "colour": style.class_colour(data["class"]), "shape": style.class_shape(data["class"]),
            "order": style.class_order(data["class"]), "count": 0})
        entry["count"] += 1
    sources = {sid: cite(s, cited) for sid, s in sorted(g.graph["sources"].items())}
    return {
        "nodes": nodes, "edges": edges, "pairs": [pairs[k] for k in sorted(pairs)],
        "classes": dict(sorted(classes.items())), "statements": statements, "sources": sources,
        "font": FONT_PX, "lineHeight": LINE_HEIGHT, "labelGap": LABEL_GAP,
    }


def _when(dates: dict[str, str]) -> str:
    """Dates as the source gives them, in words."""
    parts = []
    if "startDate" in dates:
        parts.append(f"from {dates['startDate']}")
    if "endDate" in dates:
        parts.append(f"until {dates['endDate']}")
    if "date" in dates:
        parts.append(dates["date"])
    if "plannedDate" in dates:
        parts.append(f"planned for {dates['plannedDate']}")
    if "dateAsStated" in dates:
        parts.append(f"\u201c{dates['dateAsStated']}\u201d")
    return ", ".join(parts)


def _asset(name: str) -> str:
    return files("kg.export").joinpath(name).read_text(encoding="utf-8")


def render(g: nx.MultiDiGraph, cited: Mapping[str, Citation]) -> str:
    # "</" would end the inline <script> early; "<\/" is the same JSON string.
    payload = json.dumps(view_data(g, cited), ensure_ascii=False, sort_keys=True)
    page = _asset("viewer.html")
    for marker, content in (("/*CSS*/", _asset("viewer.css")), ("/*JS*/", _asset("viewer.js")),
                            ("/*DATA*/", payload.replace("</", "<\\/"))):
        page = page.replace(marker, content, 1)
    return page


def write_html(g: nx.MultiDiGraph, path: Path, cited: Mapping[str, Citation]) -> list[Path]:
    """Write graph.html and the vendor/ files it loads; returns every file written."""
    path.write_text(render(g, cited), encoding="utf-8")
    return [path, *copy_vendor(VENDOR, path.parent)]
