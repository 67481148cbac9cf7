"""One deterministic layout of the entity graph, shared by the overview picture and the HTML view.

The same seed and node order give the same positions on every run, so pictures diff cleanly and
the browser view matches the static overview.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import networkx as nx

from kg.export.network import simple_undirected

Positions = dict[str, tuple[float, float]]

SEED = 20130716  # the date of the Doncaster announcement; any fixed number would do
PER_ROW = 6  # small components and isolated nodes per row under the main network


def layout(g: nx.MultiDiGraph, include_isolated: bool = True) -> Positions:
    """Positions scaled into [0, 1] x [0, 1].

    The largest connected component gets a force-directed layout of its own (a spring layout of
    the whole graph flings small components to the corners and squeezes the main one into a
    dot). Smaller components, then isolated nodes if kept, sit in rows beneath it.
    """
    simple = simple_undirected(g)
    for _, _, data in simple.edges(data=True):
        data["weight"] = min(data["weight"], 3)  # one chatty pair should not collapse onto itself
    components = sorted((sorted(c) for c in nx.connected_components(simple) if len(c) > 1),
                        key=lambda c: (-len(c), c[0]))
    isolated = sorted(n for n in simple if simple.degree(n) == 0)
    positions: Positions = {}
    if components:
        positions.update(_spring(simple.subgraph(components[0]), (0.0, 0.0, 1.0, 1.0)))
    cells: list[list[str]] = components[1:] + ([[n] for n in isolated] if include_isolated else [])
    cell_w, cell_h = 1.0 / PER_ROW, 0.11
    for i, members in enumerate(cells):
        row, col = divmod(i, PER_ROW)
        x0, y0 = col * cell_w, -cell_h * (row + 1) - 0.04
        box = (x0 + 0.15 * cell_w, y0 + 0.2 * cell_h, x0 + 0.85 * cell_w, y0 + 0.8 * cell_h)
        positions.update(_spring(simple.subgraph(members), box))
    return _normalise(positions) if positions else positions


def _spring(graph: nx.Graph, box: tuple[float, float, float, float]) -> Positions:
    """A spring layout of one component, fitted into box = (x0, y0, x1, y1)."""
    nodes = sorted(graph)
    x0, y0, x1, y1 = box
    if len(nodes) == 1:
        return {nodes[0]: ((x0 + x1) / 2, (y0 + y1) / 2)}
    ordered = nx.Graph()
    ordered.add_nodes_from(nodes)
    ordered.add_edges_from(sorted(graph.edges(data=True)))
    raw = nx.spring_layout(ordered, seed=SEED, k=2.0 / math.sqrt(len(nodes)), iterations=500,
                           weight="weight")
    fitted = _normalise({n: (float(x), float(y)) for n, (x, y) in raw.items()})
    return {n: (x0 + x * (x1 - x0), y0 + y * (y1 - y0)) for n, (x, y) in fitted.items()}


def _normalise(positions: Positions) -> Positions:
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    width, height = (x1 - x0) or 1.0, (y1 - y0) or 1.0
    return {n: ((x - x0) / width, (y - y0) / height) for n, (x, y) in sorted(positions.items())}


def remove_overlaps(
    positions: Positions, boxes: dict[str, tuple[float, float]], width: float, height: float,
    rounds: int = 400, gap: float = 0.08,
) -> Positions:
    """Move nodes apart until their label boxes no longer overlap; returns positions in inches.

    positions are in [0, 1]^2 and are first scaled to width x height inches; boxes give each
    node's (w, h) in inches, centred on the node. Each round pushes every overlapping pair apart
    along the axis where they overlap least, half each. The extent may grow: the caller sizes the
    figure to fit, so text keeps its point size and stays legible.
    """
    import numpy as np

    nodes = sorted(positions)
    xy = np.array([(positions[n][0] * width, positions[n][1] * height) for n in nodes])
    wh = np.array([boxes[n] for n in nodes]) + gap
    # A fixed tie-break direction for nodes at the same spot, so the result is deterministic.
    tie = np.where(np.arange(len(nodes))[:, None] < np.arange(len(nodes))[None, :], -1.0, 1.0)
    for _ in range(rounds):
        dx = xy[None, :, 0] - xy[:, None, 0]
        dy = xy[None, :, 1] - xy[:, None, 1]
        ox = (wh[:, None, 0] + wh[None, :, 0]) / 2 - np.abs(dx)
        oy = (wh[:, None, 1] + wh[None, :, 1]) / 2 - np.abs(dy)
        overlap = (ox > 0) & (oy > 0)
        np.fill_diagonal(overlap, False)
        if not overlap.any():
            break
        along_x = overlap & (ox < oy)
        along_y = overlap & ~(ox < oy)
        sx = np.where(dx == 0, tie, np.sign(dx))
        sy = np.where(dy == 0, tie, np.sign(dy))
        # Node i moves away from j by half the overlap (summed over all j it overlaps).
        move_x = -(np.where(along_x, ox * sx, 0.0) / 2).sum(axis=1)
        move_y = -(np.where(along_y, oy * sy, 0.0) / 2).sum(axis=1)
        xy[:, 0] += np.clip(move_x, -0.5, 0.5)
        xy[:, 1] += np.clip(move_y, -0.5, 0.5)
    xy -= xy.min(axis=0)
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy, strict=True)}


FONT_SIZE = 8.5  # points, for node labels in the overview (and pixels x 4/3 in the HTML view)
CHAR_WIDTH = FONT_SIZE * 0.6 / 72  # inches per character of DejaVu Sans, on average
LINE_HEIGHT = FONT_SIZE * 1.25 / 72
WRAP = 18


@dataclass
class Drawing:
    """Where to draw each node and its label, in inches (y up), free of label overlaps."""

    anchors: Positions  # marker centres
    labels: dict[str, str]  # wrapped label text
    marker_area: dict[str, float]  # points^2, as matplotlib's scatter wants
    width: float
    height: float


def marker_area(degree: int) -> float:
    """Bigger markers for more connected nodes, within limits."""
    return 60.0 + 18.0 * min(degree, 25)


def drawing(g: nx.MultiDiGraph, include_isolated: bool) -> Drawing:
    """The layout scaled to a 15 x 11 inch page, then spread until no two labels overlap."""
    degree = dict(g.degree())
    unit = layout(g, include_isolated=include_isolated)
    labels = {n: "\n".join(textwrap.wrap(g.nodes[n]["short_label"], WRAP)) for n in unit}
    areas = {n: marker_area(degree[n]) for n in unit}
    boxes = {}
    for node, text in labels.items():
        lines = text.split("\n")
        marker = areas[node] ** 0.5 / 72
        boxes[node] = (max(max(len(t) for t in lines) * CHAR_WIDTH, marker),
                       len(lines) * LINE_HEIGHT + marker)
    positions = remove_overlaps(unit, boxes, width=15.0, height=11.0)
    # The box is centred on the node and the label hangs below the marker: lift the marker.
    anchors = {n: (x, y + boxes[n][1] / 2 - (areas[n] ** 0.5 / 72) / 2)
               for n, (x, y) in positions.items()}
    width = max((x + boxes[n][0] / 2 for n, (x, _) in positions.items()), default=1.0)
    height = max((y + boxes[n][1] / 2 for n, (_, y) in positions.items()), default=1.0)
    return Drawing(anchors, labels, areas, width, height)


def text_width(text: str, size: float) -> float:
    """The width of one line of DejaVu Sans at size (pt or px: the unit comes back)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    props = FontProperties(family="DejaVu Sans", size=size)
    return float(TextToPath().get_text_width_height_descent(text, props, ismath=False)[0])


def packed(g: nx.MultiDiGraph, boxes: dict[str, tuple[float, float]],
           width: float, height: float) -> Positions:
    """The shared layout squeezed into width x height (any unit), then spread until no two boxes
    overlap: as tight as the boxes allow, so a view fitted to a screen keeps its text large.

    Returns box centres with y down (screen order), the top-left box corner at (0, 0).
    """
    unit = layout(g, include_isolated=True)
    scale = max(width, height) / 10  # remove_overlaps moves at most 0.5 per round
    centres = remove_overlaps(unit, {n: (w / scale, h / scale) for n, (w, h) in boxes.items()},
                              width=width / scale, height=height / scale, rounds=3000, gap=0.04)
    top = max(y + boxes[n][1] / scale / 2 for n, (_, y) in centres.items())
    left = min(x - boxes[n][0] / scale / 2 for n, (x, _) in centres.items())
    return {n: ((x - left) * scale, (top - y) * scale) for n, (x, y) in sorted(centres.items())}
