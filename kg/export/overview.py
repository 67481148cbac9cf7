"""The static overview: the entity graph drawn once, coloured by class, every node labelled."""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path

import networkx as nx
from matplotlib.lines import Line2D

from kg.export import style
from kg.export.layout import layout


def wrap(text: str, width: int = 18) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def draw_overview(g: nx.MultiDiGraph, stem: Path) -> list[Path]:
    """Write stem.svg and stem.png; nodes with no link at all are left out (and counted)."""
    import matplotlib.pyplot as plt

    style.setup()
    positions = layout(g, include_isolated=False)
    shown = sorted(positions)
    fig, ax = plt.subplots(figsize=(19, 14))
    ax.set_axis_off()
    pairs = Counter(tuple(sorted((u, v))) for u, v, d in g.edges(data=True)
                    if u in positions and v in positions and u != v)
    structural = {tuple(sorted((u, v))) for u, v, d in g.edges(data=True) if d["structural"]}
    for (u, v), count in sorted(pairs.items()):
        (x0, y0), (x1, y1) = positions[u], positions[v]
        only_structural = (u, v) in structural and count == 1
        ax.plot([x0, x1], [y0, y1], color="#999999", alpha=0.55,
                linewidth=0.6 + 0.5 * min(count, 6), linestyle=":" if only_structural else "-",
                zorder=1)
    degree = dict(g.degree())
    for node in shown:
        data = g.nodes[node]
        x, y = positions[node]
        size = 80 + 22 * min(degree[node], 25)
        ax.scatter([x], [y], s=size, color=style.class_colour(data["class"]),
                   edgecolors="#333333", linewidths=0.6, zorder=2)
        ax.annotate(wrap(data["short_label"]), (x, y), xytext=(0, -(size ** 0.5) / 2 - 2),
                    textcoords="offset points", ha="center", va="top", fontsize=8.5, zorder=3,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
    classes = sorted({g.nodes[n]["class"] for n in shown},
                     key=lambda c: list(style.CLASS_COLOURS).index(c)
                     if c in style.CLASS_COLOURS else 99)
    handles = [Line2D([], [], marker="o", linestyle="", markersize=9,
                      markerfacecolor=style.class_colour(c), markeredgecolor="#333333",
                      label=_class_name(g, c)) for c in classes]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
              fontsize=10, title="class", title_fontsize=11)
    left_out = g.number_of_nodes() - len(shown)
    ax.set_title(
        "Children's Services Interventions Knowledge Graph: entities linked by the statements "
        "about them", fontsize=14, loc="left")
    ax.text(0.0, -0.03,
            f"{len(shown)} entities, {g.number_of_edges()} links (statements and registry links; "
            f"line width = number of links, dotted = registry link only). {left_out} entities "
            "with no link are not drawn.", transform=ax.transAxes, fontsize=9, color="#444444")
    ax.margins(0.06)
    fig.tight_layout()
    return style.save(fig, stem)


def _class_name(g: nx.MultiDiGraph, cls: str) -> str:
    for _, data in g.nodes(data=True):
        if data["class"] == cls:
            return str(data["class_label"])
    return cls
