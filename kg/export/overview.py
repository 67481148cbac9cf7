"""The static overview: the entity graph drawn once, coloured by class, every node labelled."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import networkx as nx
from matplotlib.lines import Line2D

from kg.export import style
from kg.export.layout import FONT_SIZE, drawing
from kg.query.citations import Citation


def draw_overview(g: nx.MultiDiGraph, stem: Path,
                  cited: Mapping[str, Citation] | None = None) -> list[Path]:
    """Write stem.svg and stem.png; nodes with no link at all are left out (and counted).
    Classes are told apart by colour group and marker shape; the key names the sources."""
    import matplotlib.pyplot as plt

    style.setup()
    layout = drawing(g, include_isolated=False)
    anchors, shown = layout.anchors, sorted(layout.anchors)
    span_x, span_y = layout.width + 1.0, layout.height + 1.0
    key = style.source_key(g.graph["sources"], cited or {})
    below = 0.6 + 0.14 * (len(key) + 1)  # inches under the drawing: the sources, the note
    legend_width = 3.0
    fig = plt.figure(figsize=(span_x + legend_width, span_y + below + 0.6))
    # The sources' key sits in the empty lower left; the entities' key to the right.
    ax = fig.add_axes((0.2 / (span_x + legend_width), below / (span_y + below + 0.6),
                       span_x / (span_x + legend_width), span_y / (span_y + below + 0.6)))
    ax.set_xlim(-0.5, span_x - 0.5)
    ax.set_ylim(-0.5, span_y - 0.5)
    ax.set_axis_off()
    pairs = Counter(tuple(sorted((u, v))) for u, v in g.edges()
                    if u in anchors and v in anchors and u != v)
    structural = {tuple(sorted((u, v))) for u, v, d in g.edges(data=True) if d["structural"]}
    for (u, v), count in sorted(pairs.items()):
        (x0, y0), (x1, y1) = anchors[u], anchors[v]
        only_structural = (u, v) in structural and count == 1
        ax.plot([x0, x1], [y0, y1], color="#8a8a8a", alpha=0.5,
                linewidth=0.5 + 0.45 * min(count, 6),
                linestyle=":" if only_structural else "-", zorder=1)
    for node in shown:
        data = g.nodes[node]
        x, y = anchors[node]
        size = layout.marker_area[node]
        ax.scatter([x], [y], s=size, color=style.class_colour(data["class"]),
                   marker=style.class_marker(data["class"]), edgecolors="#333333",
                   linewidths=0.6, zorder=2)
        ax.annotate(layout.labels[node], (x, y), xytext=(0, -(size ** 0.5) / 2 - 1),
                    textcoords="offset points", ha="center", va="top", fontsize=FONT_SIZE,
                    zorder=3, linespacing=1.0,
                    bbox={"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none", "alpha": 0.8})
    classes = sorted({g.nodes[n]["class"] for n in shown}, key=style.class_order)
    handles = [Line2D([], [], marker=style.class_marker(c), linestyle="", markersize=9,
                      markerfacecolor=style.class_colour(c), markeredgecolor="#333333",
                      label=f"{class_name(g, c)}\n  ({style.class_group(c)})"
                      if class_name(g, c) != style.class_group(c) else class_name(g, c))
               for c in classes]
    handles += [Line2D([], [], color="#8a8a8a", linewidth=1.4, label="linked by statements"),
                Line2D([], [], color="#8a8a8a", linewidth=1.0, linestyle=":",
                       label="registry link only")]
    fig.legend(handles=handles, loc="upper right", frameon=False, fontsize=9,
               title="colour: group, shape: class", title_fontsize=10)
    fig.text(0.01, 0.35 / (span_y + below + 0.6), "\n".join(["Sources:", *key]), fontsize=8,
             color="#333333", va="bottom", linespacing=1.3)
    left_out = g.number_of_nodes() - len(shown)
    fig.suptitle("Children's Services Interventions Knowledge Graph: entities linked by the "
                 "statements about them", x=0.01, ha="left", fontsize=14)
    fig.text(0.01, 0.01,
             f"{len(shown)} entities, {g.number_of_edges()} links (statements and registry links). "
             "Line width: number of links between two entities; dotted: registry link only. "
             f"{left_out} entities with no link are not drawn.", fontsize=9, color="#444444")
    return style.save(fig, stem, png_dpi=100)


def class_name(g: nx.MultiDiGraph, cls: str) -> str:
    """The readable name of a class, as the entity graph's nodes carry it."""
    for _, data in g.nodes(data=True):
        if data["class"] == cls:
            return str(data["class_label"])
    return cls
