"""Graph files for other tools: GraphML (yEd), GEXF with time spells, colours and positions
(Gephi), cytoscape.js JSON (Cytoscape, cytoscape.js), node-link JSON (D3, networkx) and JSON-LD
(any RDF tool).

GraphML and GEXF allow only scalar attributes, so lists become "; "-joined text and the
evidence (source, quote, claim kind) a JSON string; node-link JSON keeps everything as it is.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

SEP = "; "


def flat_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the entity graph whose attributes are all str, int or bool."""
    flat = nx.MultiDiGraph()
    for node, data in sorted(g.nodes(data=True)):
        flat.add_node(node, **{
            "label": data["label"],
            "short_label": data["short_label"],
            "class": data["class"],
            "class_label": data["class_label"],
            "iri": data["iri"],
            "alt_labels": SEP.join(data["alt_labels"]),
            "gss_code": data["identifiers"].get("gss", ""),
            "statement_count": len(data["statements"]),
            "statements": SEP.join(data["statements"]),
            "sources": SEP.join(data["sources"]),
            "first_date": data["first_date"],
        })
    for u, v, key, data in sorted(g.edges(keys=True, data=True), key=lambda e: e[2]):
        dates = data["dates"]
        flat.add_edge(u, v, key=key, **{
            "label": data["label"],
            "statement": data["statement"],
            "title": data["title"],
            "class": data["class"],
            "class_label": data["class_label"],
            "role": data["role"],
            "kinds": SEP.join(f"{k}={', '.join(v)}" for k, v in sorted(data["kinds"].items())),
            "capacity": SEP.join(data["capacity"]),
            **{name: dates.get(name, "") for name in ("date", "startDate", "endDate",
                                                       "plannedDate", "dateAsStated")},
            "start": data["start"],
            "end": data["end"],
            "sources": SEP.join(data["sources"]),
            "quotes": " | ".join(data["quotes"]),
            "claim_kinds": SEP.join(data["claim_kinds"]),
            "evidence": json.dumps(data["evidence"], ensure_ascii=False, sort_keys=True),
            "structural": bool(data["structural"]),
        })
    return flat


def write_graphml(g: nx.MultiDiGraph, path: Path) -> Path:
    nx.write_graphml(flat_graph(g), path, encoding="utf-8", prettyprint=True)
    return path


def appears(record: dict[str, Any], sources: dict[str, dict[str, Any]]) -> str:
    """When a statement enters the story, as an xsd:date: its own (start) date when given, else
    the earliest date of the sources that report it (stated, or the bound a curator inferred),
    else its planned date. Empty when nothing dates it.
    """
    bounds = record["bounds"]
    for name in ("startEarliest", "dateEarliest"):
        if bounds.get(name):
            return str(bounds[name])
    reported = [sources[s]["date_bounds"][0] for s in record["sources"]
                if s in sources and sources[s]["date_bounds"] and sources[s]["date_bounds"][0]]
    if reported:
        return min(reported)
    return str(bounds.get("plannedEarliest", ""))


def gexf_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The flat graph with time spells, so Gephi's timeline plays the story.

    An edge appears when its statement does (see `appears`). A responsibility, post or rating
    ends at its stated end or, failing one, where the evidence stops vouching for it
    (csi:knownUntil: superseded, a term run out, or the last source that carries it), so nothing
    plays on as current past its sources; an event stays once it has happened. A node
    appears with its first dated edge; nodes never dated carry no spell (always shown).
    """
    flat = flat_graph(g)
    statements = g.graph["statements"]
    sources = g.graph["sources"]
    first: dict[str, str] = {}
    for u, v, key, data in flat.edges(keys=True, data=True):
        if data["structural"]:
            continue
        record = statements[data["statement"]]
        start = appears(record, sources)
        if not start:
            continue
        end = record["bounds"].get("endLatest") or record["bounds"].get("knownUntil") or None
        if end is not None and end < start:
            start = end  # reported after it ended: show it for the period it held
        data["spells"] = [(start, end)]
        for node in (u, v):
            first[node] = min(first.get(node, start), start)
    for node, start in first.items():
        flat.nodes[node]["spells"] = [(start, None)]
    _drop_empty_times(flat)
    _add_viz(g, flat)
    return flat


def _drop_empty_times(flat: nx.MultiDiGraph) -> None:
    """GEXF reads "start"/"end" as an element's own interval: the spells say when, so the flat
    attributes of those names go, as do empty values (an empty date is no date)."""
    items = [*(data for _, data in flat.nodes(data=True)),
             *(data for _, _, data in flat.edges(data=True))]
    for data in items:
        for name in ("start", "end"):
            data.pop(name, None)
        for name in [k for k, v in data.items() if v == ""]:
            del data[name]


def _rgb(colour: str) -> dict[str, int | float]:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return {"r": red, "g": green, "b": blue, "a": 1.0}


# Above this many entities no layout is computed for the files: a force-directed layout of a
# national-scale graph takes minutes and says little, and Gephi or Cytoscape lay it out
# themselves (their own layouts scale). The files then carry colour and size only.
LAYOUT_LIMIT = 1500


def positions_and_colours(g: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """Each node's colour by class and size by degree, and its position (the pictures' layout,
    in a 1000-unit box, y up) when the graph has at most LAYOUT_LIMIT nodes, so other tools open
    the graph as the project draws it."""
    from kg.export.layout import layout, marker_area
    from kg.export.style import class_colour

    placed = layout(g) if g.number_of_nodes() <= LAYOUT_LIMIT else {}
    simple = nx.Graph(g)
    looks: dict[str, dict[str, Any]] = {}
    for node in g.nodes:
        look: dict[str, Any] = {
            "colour": class_colour(str(g.nodes[node]["class"])),
            "size": round(marker_area(simple.degree(node)) ** 0.5, 1),
        }
        if placed:
            x, y = placed.get(node, (0.0, 0.0))
            look["x"], look["y"] = round(x * 1000, 1), round(y * 1000, 1)
        looks[node] = look
    return looks


def _add_viz(g: nx.MultiDiGraph, flat: nx.MultiDiGraph) -> None:
    for node, look in positions_and_colours(g).items():
        viz: dict[str, Any] = {"color": _rgb(look["colour"]), "size": look["size"]}
        if "x" in look:
            viz["position"] = {"x": look["x"], "y": look["y"], "z": 0.0}
        flat.nodes[node]["viz"] = viz


def write_gexf(g: nx.MultiDiGraph, path: Path) -> Path:
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(gexf_graph(g))
    with path.open("wb") as handle:
        writer.write(handle)
    # networkx stamps today's date into <meta>; drop it so two exports are byte-identical.
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r' lastmodifieddate="[^"]*"', "", text), encoding="utf-8")
    return path


def write_cytoscape(g: nx.MultiDiGraph, path: Path) -> Path:
    """cytoscape.js elements JSON (networkx's own writer), with each node's position and colour,
    so Cytoscape or cytoscape.js opens it laid out (preset layout) and coloured by class."""
    data = nx.cytoscape_data(flat_graph(g), name="label", ident="id")
    looks = positions_and_colours(g)
    for element in data["elements"]["nodes"]:
        look = looks[element["data"]["id"]]
        if "x" in look:
            element["position"] = {"x": look["x"], "y": -look["y"]}  # screen y runs down
        element["data"]["colour"] = look["colour"]
    path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def write_node_link(g: nx.MultiDiGraph, path: Path) -> Path:
    """Read it back with nx.node_link_graph(data, edges="edges") (networkx 3.4 or later)."""
    data = nx.node_link_data(g, edges="edges")
    path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def copy_jsonld(dist: Path, path: Path) -> Path:
    """The build's JSON-LD (already sorted and deterministic), copied beside the other files."""
    shutil.copyfile(dist / "kg.jsonld", path)
    return path
