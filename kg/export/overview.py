"""The static overview: the entity graph drawn once, coloured by class, every node labelled."""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path

import networkx as nx
from matplotlib.lines import Line2D

from kg.export import style
from kg.export.layout import layout, remove_overlaps

FONT_SIZE = 8.5
CHAR_WIDTH = FONT_SIZE * 0.6 / 72  # inches per character of DejaVu Sans, on average
LINE_HEIGHT = FONT_SIZE * 1.25 / 72
WRAP = 18


def wrap(text: str, width: int = WRAP) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _marker_size(degree: int) -> float:
    """Marker area in points^2: bigger for more connected nodes, within limits."""
    return 60.0 + 18.0 * min(degree, 25)


def draw_overview(g: nx.MultiDiGraph, stem: Path) -> list[Path]:
    """Write stem.svg and stem.png; nodes with no link at all are left out (and counted)."""
    import matplotlib.pyplot as plt

    style.setup()
    degree = dict(g.degree())
    unit = layout(g, include_isolated=False)
    labels = {n: wrap(g.nodes[n]["short_label"]) for n in unit}
    boxes = {}
    for node, text in labels.items():
        lines = text.split("\n")
        marker = _marker_size(degree[node]) ** 0.5 / 72
        boxes[node] = (max(max(len(t) for t in lines) * CHAR_WIDTH, marker),
                       len(lines) * LINE_HEIGHT + marker)
    positions = remove_overlaps(unit, boxes, width=15.0, height=11.0)
    # The box is centred on the node, the label hangs below the marker: shift the marker up.
    anchors = {n: (x, y + boxes[n][1] / 2 - (_marker_size(degree[n]) ** 0.5 / 72) / 2)
               for n, (x, y) in positions.items()}
    span_x = max(x for x, _ in positions.values()) + 1.0
    span_y = max(y for _, y in positions.values()) + 1.0
    legend_width = 3.0
    fig = plt.figure(figsize=(span_x + legend_width, span_y + 1.2))
    ax = fig.add_axes((0.2 / (span_x + legend_width), 0.6 / (span_y + 1.2),
                       span_x / (span_x + legend_width), span_y / (span_y + 1.2)))
    ax.set_xlim(-0.5, span_x - 0.5)
    ax.set_ylim(-0.5, span_y - 0.5)
    ax.set_axis_off()
    pairs = Counter(tuple(sorted((u, v))) for u, v in g.edges() if u in unit and v in unit and u != v)
    structural = {tuple(sorted((u, v))) for u, v, d in g.edges(data=True) if d["structural"]}
    for (u, v), count in sorted(pairs.items()):
        (x0, y0), (x1, y1) = anchors[u], anchors[v]
        only_structural = (u, v) in structural and count == 1
        ax.plot([x0, x1], [y0, y1], color="#8a8a8a", alpha=0.5, linewidth=0.5 + 0.45 * min(count, 6),
                linestyle=":" if only_structural else "-", zorder=1)
    for node in sorted(unit):
        data = g.nodes[node]
        x, y = anchors[node]
        size = _marker_size(degree[node])
        ax.scatter([x], [y], s=size, color=style.class_colour(data["class"]),
                   edgecolors="#333333", linewidths=0.6, zorder=2)
        ax.annotate(labels[node], (x, y), xytext=(0, -(size ** 0.5) / 2 - 1),
                    textcoords="offset points", ha="center", va="top", fontsize=FONT_SIZE,
                    zorder=3, linespacing=1.0,
                    bbox={"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none", "alpha": 0.8})
    classes = sorted({g.nodes[n]["class"] for n in unit}, key=_class_order)
    handles = [Line2D([], [], marker="o", linestyle="", markersize=9,
                      markerfacecolor=style.class_colour(c), markeredgecolor="#333333",
                      label=_class_name(g, c)) for c in classes]
    fig.legend(handles=handles, loc="upper right", frameon=False, fontsize=10, title="class",
               title_fontsize=11)
    left_out = g.number_of_nodes() - len(unit)
    fig.suptitle("Children's Services Interventions Knowledge Graph: entities linked by the "
                 "statements about them", x=0.01, ha="left", fontsize=14)
    fig.text(0.01, 0.01,
             f"{len(unit)} entities, {g.number_of_edges()} links (statements and registry links). "
             "Line width: number of links between two entities; dotted: registry link only. "
             f"{left_out} entities with no link are not drawn.", fontsize=9, color="#444444")
    return style.save(fig, stem, png_dpi=100)


def _class_order(cls: str) -> int:
    order = list(style.CLASS_COLOURS)
    return order.index(cls) if cls in order else len(order)


def _class_name(g: nx.MultiDiGraph, cls: str) -> str:
    for _, data in g.nodes(data=True):
        if data["class"] == cls:
            return str(data["class_label"])
    return cls
