"""Stakeholder positions: who took which stance on what, in which words; and who answered whom.

A position's stakeholder is its speaker, except that a person speaking in a post of an
organisation (csi:capacity post with org:postIn) speaks for that organisation, as the ontology
README says. Academics are the exception: a professor speaks as an expert, not for the university.
A response (csi:Response, e.g. a government response accepting or rejecting a recommendation)
counts as a position of its issuer.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from kg.export import style

POSITION_CLASSES = ("csi:Position", "csi:Response")
SPEAKER_ROLES = ("speaker", "issuedBy", "agent")

COLUMNS = ["stakeholder", "stakeholder_label", "speaker", "speaker_label", "capacity", "topic",
           "topic_label", "stance", "concerns", "statement", "label", "date", "sources",
           "quotes", "claim_kinds"]


def _organisation_of(g: nx.MultiDiGraph, post: str) -> str | None:
    for _, org, data in g.out_edges(post, data=True):
        if data["structural"] and data["label"] == "post in":
            return str(org)
    return None


def stakeholder(g: nx.MultiDiGraph, record: dict[str, Any]) -> tuple[str, str]:
    """(stakeholder, speaker) ids for a position or response."""
    speaker = next((m for r in SPEAKER_ROLES for m in record["participants"].get(r, [])), "")
    for post in record["participants"].get("capacity", []):
        org = _organisation_of(g, post)
        if org and g.nodes[speaker]["class"] == "foaf:Person" \
                and g.nodes[org]["class"] != "csi:University":
            return org, speaker
    return speaker, speaker


def _stakeholder_label(g: nx.MultiDiGraph, holder: str, speaker: str,
                       record: dict[str, Any]) -> str:
    """The stakeholder's short name; a person speaking for no organisation gets their role."""
    if not holder:
        return "(unnamed)"
    name = str(g.nodes[holder]["short_label"])
    if holder == speaker and g.nodes[speaker]["class"] == "foaf:Person":
        for post in record["participants"].get("capacity", []):
            org = _organisation_of(g, post)
            return f"{name} ({g.nodes[org]['short_label'] if org else g.nodes[post]['label']})"
    return name


def _council_name(label: str) -> str:
    for suffix in (" Metropolitan Borough Council", " Borough Council", " City Council",
                   " County Council", " Council"):
        if label.endswith(suffix):
            return label[: -len(suffix)]
    return label


def topic_of(g: nx.MultiDiGraph, record: dict[str, Any]) -> tuple[str, str]:
    """(topic id, short label): the policy it is about, else the statement it answers.

    A response's stance is towards what it answers ("opposes" = rejects the recommendation),
    so a response is filed under the statement it responds to, never under its policy topic:
    rejecting a call to pause the trust model is not opposing the trust model.
    """
    statements = g.graph["statements"]
    answered_first = record["cls"] == "csi:Response" and record["links"].get("respondsTo")
    for topic in [] if answered_first else record["participants"].get("topic", []):
        return topic, g.nodes[topic]["short_label"]
    for role in ("respondsTo", "topic") if answered_first else ("topic", "respondsTo"):
        for target in record["links"].get(role, []):
            return target, _statement_topic(g, statements[target])
    return "", "(no topic)"


def _statement_topic(g: nx.MultiDiGraph, answered: dict[str, Any]) -> str:
    """A column name for a decision, plan or recommendation that positions answer."""
    kinds = answered["kinds"].get("interventionKind")
    councils = [_council_name(g.nodes[c]["label"])
                for c in answered["participants"].get("authority", [])]
    if kinds and councils:
        return f"{kinds[0]}: {', '.join(councils)}"
    # The curator's one-line summary says best what was recommended or decided.
    return textwrap.shorten(answered["label"], 120, placeholder="…")


def stance_frame(g: nx.MultiDiGraph) -> pd.DataFrame:
    """One row per position or response that states a stance, with its quotes and sources."""
    rows = []
    for _, record in sorted(g.graph["statements"].items()):
        stances = record["kinds"].get("stance")
        if record["cls"] not in POSITION_CLASSES or not stances:
            continue
        holder, speaker = stakeholder(g, record)
        topic, topic_label = topic_of(g, record)
        rows.append({
            "stakeholder": holder,
            "stakeholder_label": _stakeholder_label(g, holder, speaker, record),
            "speaker": speaker,
            "speaker_label": g.nodes[speaker]["label"] if speaker else "",
            "capacity": "; ".join(g.nodes[c]["label"] for c in record["participants"]
                                  .get("capacity", [])),
            "topic": topic,
            "topic_label": topic_label,
            "stance": stances[0],
            "concerns": "; ".join(record["kinds"].get("concern", [])),
            "statement": record["id"],
            "label": record["label"],
            "date": record["dates"].get("date", ""),
            "sources": "; ".join(record["sources"]),
            "quotes": " | ".join(e["quote"] for e in record["evidence"]),
            "claim_kinds": "; ".join(sorted({e["claim_kind"] for e in record["evidence"]})),
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def stance_matrix(frame: pd.DataFrame) -> pd.DataFrame:
    """Stakeholders x topics; each cell names the stances taken, with counts ("sceptical ×4")."""
    if frame.empty:
        return pd.DataFrame()
    rows = frame["stakeholder_label"].value_counts().index.tolist()
    columns = frame["topic_label"].value_counts().index.tolist()
    rows.sort(key=lambda r: (-int((frame["stakeholder_label"] == r).sum()), r))
    columns.sort(key=lambda c: (-int((frame["topic_label"] == c).sum()), c))
    cells = {}
    for (row, column), group in frame.groupby(["stakeholder_label", "topic_label"]):
        counts = Counter(group["stance"])
        cells[(row, column)] = ", ".join(
            f"{s} ×{counts[s]}" if counts[s] > 1 else s
            for s in sorted(counts, key=_stance_rank))
    return pd.DataFrame([[cells.get((r, c), "") for c in columns] for r in rows],
                        index=pd.Index(rows, name="stakeholder"),
                        columns=pd.Index(columns, name="topic"))


def _stance_rank(stance: str) -> int:
    return style.STANCE_ORDER.index(stance) if stance in style.STANCE_ORDER else 99


def draw_stance_matrix(g: nx.MultiDiGraph, stem: Path) -> list[Path]:
    """Write stem.svg and stem.png: the matrix, cells coloured by their most frequent stance.

    Drawn with topics as rows and stakeholders as columns: topics have long names that read
    well on the left, stakeholders short ones that fit above a column; the other way round
    the picture is three times as wide as it is high and unreadable when shrunk.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    frame = stance_frame(g)
    matrix = stance_matrix(frame)
    if matrix.empty:
        return []
    style.setup()
    drawn = matrix.T  # rows: topics, columns: stakeholders
    n_rows, n_cols = drawn.shape
    cell_w, cell_h, left, top, bottom = 1.3, 0.66, 4.6, 1.9, 0.8
    width, height = left + cell_w * n_cols + 0.3, top + cell_h * n_rows + bottom
    fig = plt.figure(figsize=(width, height))
    ax = fig.add_axes((left / width, bottom / height, cell_w * n_cols / width,
                       cell_h * n_rows / height))
    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows, 0)
    ax.set_axis_off()
    for i, topic in enumerate(drawn.index):
        for j, holder in enumerate(drawn.columns):
            group = frame[(frame["stakeholder_label"] == holder) & (frame["topic_label"] == topic)]
            if group.empty:
                ax.add_patch(Rectangle((j, i), 1, 1, facecolor="#f4f4f4", edgecolor="white",
                                       linewidth=2))
                continue
            counts = Counter(group["stance"])
            dominant = sorted(counts, key=lambda s: (-counts[s], _stance_rank(s)))[0]
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=style.STANCE_COLOURS.get(
                dominant, "#cccccc"), edgecolor="white", linewidth=2))
            ax.text(j + 0.5, i + 0.5, "\n".join(textwrap.wrap(drawn.loc[topic, holder], 15)),
                    ha="center", va="center", fontsize=8, linespacing=1.05,
                    color="white" if dominant in ("supports", "opposes") else "#222222")
    for i, topic in enumerate(drawn.index):
        lines = textwrap.wrap(topic, 58)
        if len(lines) > 3:
            lines = lines[:2] + [textwrap.shorten(" ".join(lines[2:]), 58, placeholder="…")]
        ax.text(-0.06, i + 0.5, "\n".join(lines), ha="right", va="center", fontsize=9,
                linespacing=1.05)
    for j, holder in enumerate(drawn.columns):
        ax.text(j + 0.5, -0.08, "\n".join(textwrap.wrap(holder, 15)), ha="center",
                va="bottom", fontsize=9, linespacing=1.05)
    handles = [Patch(color=style.STANCE_COLOURS[s], label=s) for s in style.STANCE_ORDER]
    fig.legend(handles=handles, loc="lower left", ncol=4, frameon=False, fontsize=9.5,
               bbox_to_anchor=(left / width, 0.05 / height))
    fig.text(0.01, 1 - 0.28 / height,
             "Stakeholder positions: who took which stance on what (with the number of quoted "
             "positions and responses)", fontsize=12, va="center")
    fig.text(0.01, 1 - 0.52 / height,
             "Columns: stakeholders (a person speaking in an organisation's post speaks for it). "
             "Rows: the policy, or the decision, plan or recommendation answered;",
             fontsize=8.5, va="center", color="#444444")
    fig.text(0.01, 1 - 0.7 / height,
             "for a response to a recommendation, supports = accepts and opposes = rejects. "
             "The quotes behind each cell: stance-positions.csv.",
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


def draw_response_graph(g: nx.MultiDiGraph, stem: Path) -> list[Path]:
    """Who responded to whom, drawn with arrows from the responder, edges coloured by stance."""
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
    for u, v, data in sorted(responses.edges(data=True), key=lambda e: (e[0], e[1])):
        stance = data["stance"].split(", ")[0] if data["stance"] else ""
        if (u, v, stance) in drawn or u == v:
            continue
        drawn.add((u, v, stance))
        ax.annotate("", xy=anchors[v], xytext=anchors[u],
                    arrowprops={"arrowstyle": "-|>", "lw": 1.6, "shrinkA": 9, "shrinkB": 9,
                                "color": style.STANCE_COLOURS.get(stance, "#888888"),
                                "connectionstyle": "arc3,rad=0.1"})
    for node in sorted(anchors):
        x, y = anchors[node]
        size = layout.marker_area[node]
        ax.scatter([x], [y], s=size, color=style.class_colour(responses.nodes[node]["class"]),
                   edgecolors="#333333", zorder=3)
        ax.annotate(layout.labels[node], (x, y), xytext=(0, -(size ** 0.5) / 2 - 1),
                    textcoords="offset points", ha="center", va="top", fontsize=FONT_SIZE,
                    zorder=4, linespacing=1.0,
                    bbox={"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none", "alpha": 0.8})
    handles = [Line2D([], [], color=c, lw=2, label=s) for s, c in style.STANCE_COLOURS.items()]
    handles.append(Line2D([], [], color="#888888", lw=2, label="no stance (a decision or answer)"))
    fig.legend(handles=handles, loc="lower left", frameon=False, fontsize=9, ncol=3,
               title="arrow from the responder to the one answered, coloured by stance")
    fig.text(0.01, 1 - 0.3 / (height + 1.9), "Who responded to whom", fontsize=13, va="center")
    return style.save(fig, stem)
