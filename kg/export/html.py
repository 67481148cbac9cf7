"""The interactive HTML view: one self-contained file (data, style and script inline).

No script, style or font is fetched from anywhere, so the page works offline and from a file.
The layout is precomputed in Python (the same as the static overview), so the page needs no
physics engine; the script only draws, filters, searches and shows details.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import networkx as nx

from kg.export import style
from kg.export.layout import drawing

PIXELS_PER_INCH = 72  # label boxes were sized in points, so 1 pt = 1 px keeps them apart


def view_data(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Everything the page shows, as plain JSON: nodes with positions, edges, statements."""
    layout = drawing(g, include_isolated=True)
    height = layout.height * PIXELS_PER_INCH
    nodes = []
    for node in sorted(layout.anchors):
        data = g.nodes[node]
        x, y = layout.anchors[node]
        nodes.append({
            "id": node, "label": data["label"], "short": data["short_label"],
            "lines": layout.labels[node].split("\n"), "alt": data["alt_labels"],
            "cls": data["class"], "clsLabel": data["class_label"], "iri": data["iri"],
            "identifiers": data["identifiers"], "statements": data["statements"],
            "sources": data["sources"],
            "x": round(x * PIXELS_PER_INCH, 1), "y": round(height - y * PIXELS_PER_INCH, 1),
            "r": round(layout.marker_area[node] ** 0.5 / 2, 1),
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
            "label": data["class_label"], "colour": style.class_colour(data["class"]),
            "order": style.class_order(data["class"]), "count": 0})
        entry["count"] += 1
    statements = {sid: {
        "label": r["label"], "edgeLabel": r["edge_label"], "planned": r["planned"],
        "when": _when(r["dates"]), "participants": r["participants"], "values": r["values"],
        "sources": r["sources"], "evidence": r["evidence"],
    } for sid, r in sorted(g.graph["statements"].items())}
    sources = {sid: {"title": s["title"], "date": s["date"], "publisher": s["publisher"]}
               for sid, s in sorted(g.graph["sources"].items())}
    return {
        "nodes": nodes, "edges": edges, "pairs": [pairs[k] for k in sorted(pairs)],
        "classes": dict(sorted(classes.items())), "statements": statements, "sources": sources,
        "width": round(layout.width * PIXELS_PER_INCH, 1), "height": round(height, 1),
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


def render(g: nx.MultiDiGraph) -> str:
    # "</" would end the inline <script> early; "<\/" is the same JSON string.
    payload = json.dumps(view_data(g), ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    page = _asset("viewer.html")
    for marker, content in (("/*CSS*/", _asset("viewer.css")), ("/*JS*/", _asset("viewer.js")),
                            ("/*DATA*/", payload)):
        page = page.replace(marker, content, 1)
    return page


def write_html(g: nx.MultiDiGraph, path: Path) -> Path:
    path.write_text(render(g), encoding="utf-8")
    return path
