"""Stakeholder positions: the stance matrix, drawn from the `stance-matrix` saved query; and who
answered whom.

The matrix is the query's answer laid out as a grid: one row per topic and scope, one column per
stakeholder, each cell the query's stances (in its wording) and its count of positions. Scope is
part of the row, so a view on one council's case ("case - Norfolk County Council") is never shown
as a view on the policy in general. Who the stakeholder is (the organisation of the speaker's post,
an academic for themself) is the query's rule, stated once in the .rq file.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from kg.export import style
from kg.query.citations import Citation

QUERY = "stance-matrix"
IN_GENERAL = "in general"


def stance_rows(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The query's rows (`Results.records(short=True)`) as a table, stances as lists."""
    frame = pd.DataFrame(list(rows), columns=["stakeholder", "stakeholderLabel", "topic",
                                              "topicLabel", "scope", "stances", "positions",
                                              "sources"])
    frame["stances"] = [sorted(str(s).split(), key=_stance_rank) for s in frame["stances"]]
    frame["positions"] = frame["positions"].astype(int)
    return frame


def _stance_rank(stance: str) -> int:
    return style.STANCE_ORDER.index(stance) if stance in style.STANCE_ORDER else 99


def cell_text(stances: Sequence[str], positions: int) -> str:
    """'conditional, sceptical (3 positions)': the query's stances and count, nothing added."""
    return f"{', '.join(stances)} ({positions} position{'s' if positions != 1 else ''})"


def _row_order(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """Topics by number of positions, most first; within a topic the view in general first."""
    weight = frame.groupby("topicLabel")["positions"].sum()
    keys = {(t, s) for t, s in zip(frame["topicLabel"], frame["scope"], strict=True)}
    return sorted(keys, key=lambda k: (-int(weight[k[0]]), k[0], k[1] != IN_GENERAL, k[1]))


def _column_order(frame: pd.DataFrame) -> list[str]:
    weight = frame.groupby("stakeholderLabel")["positions"].sum()
    return sorted(weight.index, key=lambda s: (-int(weight[s]), s))


def stance_matrix(frame: pd.DataFrame) -> pd.DataFrame:
    """(topic, scope) x stakeholder; each cell one row of the query (see `cell_text`)."""
    if frame.empty:
        return pd.DataFrame()
    rows, columns = _row_order(frame), _column_order(frame)
    cells = {(r.topicLabel, r.scope, r.stakeholderLabel): cell_text(r.stances, r.positions)
             for r in frame.itertuples()}
    if len(cells) != len(frame):  # two stakeholders or topics sharing a label would merge
        raise ValueError("stance-matrix rows share a stakeholder, topic and scope label")
    return pd.DataFrame([[cells.get((t, s, c), "") for c in columns] for t, s in rows],
                        index=pd.MultiIndex.from_tuples(rows, names=["topic", "scope"]),
                        columns=pd.Index(columns, name="stakeholder"))


def draw_stance_matrix(frame: pd.DataFrame, stem: Path,
                       cited: Mapping[str, Citation] | None = None) -> list[Path]:
    """Write stem.svg and stem.png: the matrix, each cell striped with the stances taken.

    Topics (long names) and scopes read well as rows on the left, stakeholders above the
    columns. A cell with several stances is split into equal stripes, one per stance: the
    query does not say which stance was taken more often, so the picture does not either.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    matrix = stance_matrix(frame)
    if matrix.empty:
        return []
    style.setup()
    by_cell = {(r.topicLabel, r.scope, r.stakeholderLabel): r for r in frame.itertuples()}
    n_rows, n_cols = matrix.shape
    key = style.source_key([s for cell in frame["sources"] for s in str(cell).split()],
                           cited or {})
    cell_w, cell_h, topic_w, scope_w, top = 1.25, 0.62, 3.5, 2.6, 1.75
    bottom = 0.75 + 0.17 * (len(key) + 1)
    left = topic_w + scope_w
    width, height = left + cell_w * n_cols + 0.3, top + cell_h * n_rows + bottom
    fig = plt.figure(figsize=(width, height))
    ax = fig.add_axes((left / width, bottom / height, cell_w * n_cols / width,
                       cell_h * n_rows / height))
    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows, 0)
    ax.set_axis_off()
    previous = None
    for i, (topic, scope) in enumerate(matrix.index):
        for j, holder in enumerate(matrix.columns):
            row = by_cell.get((topic, scope, holder))
            if row is None:
                ax.add_patch(Rectangle((j, i), 1, 1, facecolor="#f4f4f4", edgecolor="white",
                                       linewidth=2))
                continue
            stripe = 1 / len(row.stances)
            for k, stance in enumerate(row.stances):
                ax.add_patch(Rectangle((j + k * stripe, i), stripe, 1, linewidth=0,
                                       facecolor=style.STANCE_COLOURS.get(stance, "#cccccc")))
            ax.add_patch(Rectangle((j, i), 1, 1, fill=False, edgecolor="white", linewidth=2))
            count = f"{row.positions} position{'s' if row.positions != 1 else ''}"
            ax.text(j + 0.5, i + 0.5, "\n".join([*row.stances, count]), ha="center",
                    va="center", fontsize=8, linespacing=1.05, color="#111111",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                          "alpha": 0.75})
        # The topic is written once, on its first row; a rule separates topics.
        if topic != previous:
            if previous is not None:
                ax.plot([-left / cell_w, n_cols], [i, i], color="#999999", linewidth=0.8,
                        clip_on=False)
            ax.text(-(left - 0.1) / cell_w, i + 0.5, "\n".join(textwrap.wrap(topic, 40)),
                    ha="left", va="center", fontsize=9, linespacing=1.05)
        previous = topic
        general = scope == IN_GENERAL
        ax.text(-(scope_w - 0.1) / cell_w, i + 0.5, "\n".join(textwrap.wrap(scope, 30)),
                ha="left", va="center", fontsize=9, linespacing=1.05,
                color="#222222" if general else "#8a3b12", style="normal" if general else "italic")
    for x, name in ((-(left - 0.1) / cell_w, "topic"), (-(scope_w - 0.1) / cell_w, "scope")):
        ax.text(x, -0.12, name, ha="left", va="bottom", fontsize=9, color="#555555",
                weight="bold")
    for j, holder in enumerate(matrix.columns):
        ax.text(j + 0.5, -0.12, "\n".join(textwrap.wrap(holder, 15)), ha="center",
                va="bottom", fontsize=9, linespacing=1.05)
    handles = [Patch(color=style.STANCE_COLOURS[s],
                     label=s if style.STANCE_LABELS[s] == s else f"{s} ({style.STANCE_LABELS[s]})")
               for s in style.STANCE_ORDER]
    fig.legend(handles=handles, loc="lower left", ncol=5, frameon=False, fontsize=9.5,
               bbox_to_anchor=(0.01, (bottom - 0.7) / height))
    fig.text(0.01, 0.1 / height, "\n".join(["Sources:", *key]), fontsize=8, color="#333333",
             va="bottom", linespacing=1.3)
    fig.text(0.01, 1 - 0.28 / height,
             "Stakeholder positions: who took which stance on what, in general or on one "
             "council's case (the saved query stance-matrix)", fontsize=12, va="center")
    fig.text(0.01, 1 - 0.52 / height,
             "Columns: stakeholders (a person speaking in an organisation's post speaks for it; "
             "an academic for themself). Rows: the topic, and the scope of the view: a view on "
             "one council's case",
             fontsize=8.5, va="center", color="#444444")
    fig.text(0.01, 1 - 0.7 / height,
             "is shown as that case, never as a view on the policy in general. Each cell: the "
             "stances taken and the number of positions. Every row: kg query stance-matrix.",
             fontsize=8.5, va="center", color="#444444")
    return style.save(fig, stem)


def response_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Who responded to whom: an edge from the agent of a statement to the agent of each
    statement it responds to (csi:respondsTo, or a position whose topic is a statement).
    """
    statements = g.graph["statements"]
    result = nx.MultiDiGraph()

    def agents(record: dict[str, Any]) -> list[str]:
        agent_roles = ("speaker", "issuedBy", "decidedBy", "recommendedBy", "agent", "holder",
                       "inspectedBy", "appointedBy", "establishedBy")
        return [m for r in agent_roles for m in record["participants"].get(r, [])]

    for _, record in sorted(statements.items()):
        targets = sorted({*record["links"].get("respondsTo", []),
                          *record["links"].get("topic", [])})
        for target in targets:
            answered = statements[target]
            for source_agent in agents(record):
                for target_agent in agents(answered):
                    for node in (source_agent, target_agent):
                        result.add_node(node, **{k: g.nodes[node][k] for k in
                                                 ("label", "short_label", "class")})
                    result.add_edge(source_agent, target_agent, key=record["id"],
                                    statement=record["id"], responds_to=target,
                                    label=record["label"],
                                    stance=", ".join(record["kinds"].get("stance", [])),
                                    sources=record["sources"])
    return result


def draw_response_graph(g: nx.MultiDiGraph, stem: Path,
                        cited: Mapping[str, Citation] | None = None) -> list[Path]:
    """Who responded to whom, drawn with arrows from the responder, edges coloured by stance;
    a key for the markers (class: colour and shape), the arrows and the sources."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from kg.export.layout import FONT_SIZE, drawing

    responses = response_graph(g)
    if not responses.number_of_nodes():
        return []
    style.setup()
    layout = drawing(responses, include_isolated=False)
    anchors = layout.anchors
    width, height = layout.width + 1.0, layout.height + 1.0
    fig = plt.figure(figsize=(width, height + 1.9))
    ax = fig.add_axes((0, 1.4 / (height + 1.9), 1, height / (height + 1.9)))
    ax.set_xlim(-0.5, width - 0.5)
    ax.set_ylim(-0.5, height - 0.5)
    ax.set_axis_off()
    drawn: set[tuple[str, str, str]] = set()
    # Arrows stop at the marker's rim (radius in points, plus a gap), so every head shows.
    rim = {n: layout.marker_area[n] ** 0.5 / 2 + 3 for n in anchors}
    for u, v, data in sorted(responses.edges(data=True), key=lambda e: (e[0], e[1])):
        stance = data["stance"].split(", ")[0] if data["stance"] else ""
        if (u, v, stance) in drawn or u == v:
            continue
        drawn.add((u, v, stance))
        ax.annotate("", xy=anchors[v], xytext=anchors[u],
                    arrowprops={"arrowstyle": "-|>,head_length=0.6,head_width=0.3", "lw": 1.6,
                                "shrinkA": rim[u], "shrinkB": rim[v],
                                "color": style.stance_colour(stance) if stance else "#888888",
                                "connectionstyle": "arc3,rad=0.1"}, zorder=5)
    for node in sorted(anchors):
        x, y = anchors[node]
        size = layout.marker_area[node]
        cls = responses.nodes[node]["class"]
        ax.scatter([x], [y], s=size, color=style.class_colour(cls), marker=style.class_marker(cls),
                   edgecolors="#333333", zorder=3)
        ax.annotate(layout.labels[node], (x, y), xytext=(0, -(size ** 0.5) / 2 - 1),
                    textcoords="offset points", ha="center", va="top", fontsize=FONT_SIZE,
                    zorder=4, linespacing=1.0,
                    bbox={"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none", "alpha": 0.8})
    handles = [Line2D([], [], color=style.STANCE_COLOURS[s], lw=2, label=style.STANCE_LABELS[s])
               for s in style.STANCE_ORDER]
    handles.append(Line2D([], [], color="#888888", lw=2, label="no stance (a decision or answer)"))
    fig.legend(handles=handles, loc="lower left", frameon=False, fontsize=9, ncol=3,
               title="arrow from the responder to the one answered, coloured by stance",
               bbox_to_anchor=(0.0, 0.0))
    classes = sorted({responses.nodes[n]["class"] for n in anchors}, key=style.class_order)
    labels = {d["class"]: d["class_label"] for _, d in g.nodes(data=True)}
    markers = [Line2D([], [], marker=style.class_marker(c), linestyle="", markersize=9,
                      markerfacecolor=style.class_colour(c), markeredgecolor="#333333",
                      label=f"{labels.get(c, c)} ({style.class_group(c)})") for c in classes]
    fig.legend(handles=markers, loc="upper right", frameon=False, fontsize=9,
               title="entities: colour by group, shape by class")
    sources = [s for _, _, d in responses.edges(data=True) for s in d["sources"]]
    fig.text(0.43, 0.1 / (height + 1.9), "\n".join(["Sources:", *style.source_key(
        sources, cited or {})]), fontsize=8, color="#333333", va="bottom", linespacing=1.3)
    fig.text(0.01, 1 - 0.3 / (height + 1.9), "Who responded to whom", fontsize=13, va="center")
    return style.save(fig, stem)
