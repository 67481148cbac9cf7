"""Accountability timelines: per council, every dated statement about it on one time axis.

One row per statement (a Gantt chart), grouped by kind: inspections and judgements, findings,
recommendations and decisions, interventions and directions, plans, appointments and posts,
responsibility periods, positions. Rows are labelled with the statement's own summary, so labels
never collide however crowded the years are. Markers say how the date is known:

- filled: the statement's own date (a bar for a period; open-ended periods run to the edge);
- hollow diamond: a planned date (a plan is not an outcome);
- hollow circle: no date of its own, placed at the date of the source that reports it.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from kg.export import style
from kg.export.files import appears

GROUP_ORDER = list(dict.fromkeys(label for label, _ in style.TIMELINE_GROUPS.values()))

COLUMNS = ["statement", "label", "group", "colour", "start", "end", "open_ended", "basis",
           "as_stated", "sources", "quotes"]


def councils(g: nx.MultiDiGraph) -> list[str]:
    """The councils (csi:LocalAuthority nodes) of the entity graph, by id."""
    return sorted(n for n, d in g.nodes(data=True) if d["class"] == "csi:LocalAuthority")


def _services_of(g: nx.MultiDiGraph, council: str) -> set[str]:
    return {u for u, v, d in g.in_edges(council, data=True)
            if d["structural"] and d["label"] == "unit of"}


def council_statements(g: nx.MultiDiGraph, council: str) -> list[dict[str, Any]]:
    """Statements that involve the council or its children's services, in any role."""
    about = {council} | _services_of(g, council)
    return [record for _, record in sorted(g.graph["statements"].items())
            if about & {m for members in record["participants"].values() for m in members}]


def _group(record: dict[str, Any]) -> tuple[str, str]:
    if record["planned"] and record["cls"] == "csi:Plan":
        return style.TIMELINE_GROUPS["csi:Plan"]
    return style.TIMELINE_GROUPS.get(record["cls"], style.OTHER_GROUP)


def _as_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def timeline_frame(g: nx.MultiDiGraph, council: str) -> pd.DataFrame:
    """One row per statement about the council that can be placed in time (see module doc)."""
    rows = []
    sources = g.graph["sources"]
    for record in council_statements(g, council):
        if record["cls"] in ("csi:IdentifierAssignment", "csi:DateInference"):
            continue  # about the register and the sources, not about the children's services
        bounds, dates = record["bounds"], record["dates"]
        end = bounds.get("endLatest")
        open_ended = False
        if record["planned"] and bounds.get("plannedEarliest"):
            start, basis, as_stated = bounds["plannedEarliest"], "planned", \
                f"planned {dates['plannedDate']}"
        elif bounds.get("startEarliest"):
            start, basis = bounds["startEarliest"], "own date"
            as_stated = f"{dates['startDate']} to {dates['endDate']}" if "endDate" in dates \
                else f"from {dates['startDate']}"
            open_ended = end is None
        elif bounds.get("dateEarliest"):
            start, basis, as_stated = bounds["dateEarliest"], "own date", dates["date"]
            end = bounds.get("dateLatest")
        else:
            start, basis = appears(record, sources), "source date"
            exact = any(sources[s]["date"] for s in record["sources"] if s in sources)
            as_stated = f"reported {start}" if exact else f"reported, not before {start}"
            end = None
        if not start:
            continue
        group, colour = _group(record)
        rows.append({
            "statement": record["id"],
            "label": record["label"],
            "group": group,
            "colour": colour,
            "start": _as_date(start),
            "end": _as_date(end) if end else None,
            "open_ended": open_ended,
            "basis": basis,
            "as_stated": as_stated,
            "sources": record["sources"],
            "quotes": [e["quote"] for e in record["evidence"]],
        })
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if frame.empty:
        return frame
    frame["order"] = frame["group"].map(lambda grp: GROUP_ORDER.index(grp)
                                        if grp in GROUP_ORDER else len(GROUP_ORDER))
    frame = frame.sort_values(["order", "start", "statement"]).drop(columns="order")
    return frame.reset_index(drop=True)


def undated_statements(g: nx.MultiDiGraph, council: str) -> list[dict[str, Any]]:
    """Statements about the council that cannot be placed in time: no date of their own, and
    no known date (or inferred bound) for any source that reports them.
    """
    placed = set(timeline_frame(g, council)["statement"])
    return [r for r in council_statements(g, council)
            if r["id"] not in placed
            and r["cls"] not in ("csi:IdentifierAssignment", "csi:DateInference")]


def _short_source(source_id: str) -> str:
    """004_dd1639bb877fd76f -> 004: enough to tell the corpus files apart on a chart."""
    return source_id.split("_", 1)[0] if "_" in source_id else source_id


def draw_timeline(g: nx.MultiDiGraph, council: str, stem: Path) -> list[Path]:
    """Write stem.svg and stem.png for one council; nothing when no statement can be placed."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    frame = timeline_frame(g, council)
    if frame.empty:
        return []
    style.setup()
    name = g.nodes[council]["label"]
    first = min(frame["start"])
    last = max([*frame["start"], *(e for e in frame["end"] if e is not None)])
    left = first - dt.timedelta(days=240)
    right = last + dt.timedelta(days=480)  # room for the date text after the last marker
    rows = len(frame)
    groups = [grp for grp in GROUP_ORDER if grp in set(frame["group"])]
    legend_rows = -(-(len(groups) + 4) // 6)
    # Layout in inches, so text keeps its size whatever the number of rows.
    undated = undated_statements(g, council)
    top, bottom, per_row = 0.75 + 0.25 * legend_rows + 0.35, 0.75 if undated else 0.45, 0.36
    height = top + bottom + per_row * rows
    fig, ax = plt.subplots(figsize=(15, height))
    fig.subplots_adjust(left=0.39, right=0.955, top=1 - top / height, bottom=bottom / height)
    previous = None
    for y, row in enumerate(frame.itertuples()):
        if previous is not None and row.group != previous:
            ax.axhline(y - 0.5, color="#bbbbbb", linewidth=0.8)
        previous = row.group
        start = mdates.date2num(row.start)
        colour = row.colour
        if row.open_ended:
            ax.barh(y, mdates.date2num(right) - start, left=start, height=0.5, color=colour,
                    alpha=0.35, edgecolor=colour)
            ax.plot([mdates.date2num(right)], [y], marker=">", color=colour, markersize=7,
                    clip_on=False)
        elif row.end is not None and row.end > row.start:
            ax.barh(y, mdates.date2num(row.end) - start, left=start, height=0.5, color=colour,
                    alpha=0.55 if row.basis == "own date" else 0.25, edgecolor=colour)
        marker, face = {"own date": ("o", colour), "planned": ("D", "white"),
                        "source date": ("o", "white")}[row.basis]
        ax.plot([start], [y], marker=marker, markersize=8, markerfacecolor=face,
                markeredgecolor=colour, markeredgewidth=1.8, linestyle="", zorder=3)
        text_x = mdates.date2num(row.end) if (row.end and not row.open_ended) else start
        # Near the right edge the note goes left of the marker, so it is never cut off.
        late = text_x > mdates.date2num(left) + 0.72 * (mdates.date2num(right) -
                                                          mdates.date2num(left))
        ax.annotate(f"{row.as_stated}   [{' '.join(_short_source(s) for s in row.sources)}]",
                    (start if late else text_x, y), xytext=(-9 if late else 8, 0),
                    textcoords="offset points", va="center", ha="right" if late else "left",
                    fontsize=8.5, color="#333333")
    ax.set_yticks(range(rows))
    ax.set_yticklabels([_wrap(label) for label in frame["label"]], fontsize=9)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_xlim(mdates.date2num(left), mdates.date2num(right))
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=(4, 7, 10)))
    ax.grid(axis="x", which="major", color="#dddddd")
    ax.tick_params(axis="x", labelsize=10, labeltop=True)
    colours = dict(zip(frame["group"], frame["colour"], strict=True))
    handles: list[Any] = [Patch(color=colours[grp], label=grp) for grp in groups]
    handles += [
        Line2D([], [], marker="o", color="#555555", linestyle="", label="own date"),
        Line2D([], [], marker="D", markerfacecolor="white", color="#555555", linestyle="",
               label="planned date"),
        Line2D([], [], marker="o", markerfacecolor="white", color="#555555", linestyle="",
               label="source's date only"),
        Line2D([], [], marker=">", color="#555555", linestyle="", label="end not stated"),
    ]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.01, 1 - 0.6 / height),
               ncol=6, frameon=False, fontsize=9)
    fig.text(0.01, 1 - 0.3 / height,
             f"{name}: statements about its children's services over time "
             "(in brackets: the corpus numbers of the sources)", fontsize=12, va="center")
    if undated:
        fig.text(0.01, 0.12 / height,
                 f"Not shown: {len(undated)} statement{'s' if len(undated) > 1 else ''} that "
                 "cannot be placed in time (no date of their own, and the reporting source's "
                 "date is unknown); see the notebook accountability_timelines.",
                 fontsize=8.5, color="#444444")
    return style.save(fig, stem)


def _wrap(label: str, width: int = 62) -> str:
    lines = textwrap.wrap(label, width)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="…")]
    return "\n".join(lines)


def slug(council: str) -> str:
    """council:doncaster -> doncaster."""
    return council.split(":", 1)[-1]


def responsibility_table(g: nx.MultiDiGraph, council: str) -> pd.DataFrame:
    """Who held which kind of responsibility for the council's children's services, since when,
    on what basis, and says who: the accountability question as a table.
    """
    rows = []
    statements = g.graph["statements"]
    for record in council_statements(g, council):
        if record["cls"] != "csi:Responsibility":
            continue
        holders = record["participants"].get("holder", [])
        rows.append({
            "holder": "; ".join(g.nodes[h]["label"] for h in holders),
            "kind": "; ".join(record["kinds"].get("responsibilityKind", [])),
            "planned": record["planned"],
            "from": record["dates"].get("startDate", record["dates"].get("date", "")),
            "until": record["dates"].get("endDate", ""),
            "basis": "; ".join(
                [g.nodes[b]["label"] for b in record["participants"].get("basis", [])]
                + [statements[b]["label"] for b in record["links"].get("basis", [])]),
            "sources": "; ".join(record["sources"]),
            "quotes": " | ".join(e["quote"] for e in record["evidence"]),
            "statement": record["id"],
        })
    columns = ["holder", "kind", "planned", "from", "until", "basis", "sources", "quotes",
               "statement"]
    return pd.DataFrame(rows, columns=columns).sort_values(["from", "kind"], ignore_index=True)
