"""Accountability timelines, drawn from the `council-timeline` saved query, one per council.

One row per statement of the query's answer (a Gantt chart), grouped by kind (style.TIMELINE_ORDER)
and labelled with the statement's own summary. Where a row starts says how its date is known:

- filled circle: its own date ("on", or "from" for a period);
- hollow diamond: a planned date (a plan is not an outcome);
- hollow circle: no date of its own, placed at the date of the newest source that reports it.

A responsibility, post or rating runs to the query's knownUntil, the last day the evidence
vouches for it, and its style says why it stops there (untilBasis): a solid bar to a stated
end, a solid bar with a bar-end to the end of a stated term, a solid bar with a cross where a
later statement superseded it, and a faded, hatched bar where the sources simply stop ("last
attested"). Any other period with no stated end stops, faded, at the newest source that carries
it. Nothing runs to the edge of the chart as if it were still current.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from kg.export import style
from kg.query.citations import Citation
from kg.query.engine import Engine

QUERY = "council-timeline"
ACCOUNTABILITY_QUERY = "accountability-on-date"

COLUMNS = ["statement", "label", "group", "colour", "start", "start_basis", "end", "end_basis",
           "known_until", "last_attested", "as_stated", "types", "claim_kinds", "sources"]

# How a bar ends, by the query's untilBasis: (legend text, solid fill?, end marker or "").
END_STYLES: dict[str, tuple[str, bool, str]] = {
    "stated end": ("to a stated end", True, ""),
    "term": ("to the end of a stated term", True, "|"),
    "superseded": ("until superseded by a later statement", True, "X"),
    "last attested": ("last attested: the sources stop here", False, ""),
}

_COUNCILS = """
PREFIX csi: <https://w3id.org/csikg/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?council ?label WHERE { ?council a csi:LocalAuthority ; rdfs:label ?label }
ORDER BY ?council
"""


def councils(engine: Engine) -> dict[str, str]:
    """The councils of the graph: prefixed name -> label."""
    return {str(r["council"]): str(r["label"])
            for r in engine.sparql(_COUNCILS).records(short=True)}


def slug(council: str) -> str:
    """council:doncaster -> doncaster."""
    return council.split(":", 1)[-1]


def timeline_rows(engine: Engine, council: str) -> list[dict[str, Any]]:
    """The rows of `kg query council-timeline -p council=...`, as plain Python values."""
    return engine.run(QUERY, council=council).records(short=True)


def _group(types: set[str]) -> tuple[str, str]:
    for name in style.TIMELINE_GROUPS:  # dict order: Plan first
        if name in types:
            return style.TIMELINE_GROUPS[name]
    return style.OTHER_GROUP


def _statements(rows: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The query's rows (one per statement and kind of date) gathered per statement."""
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        record = found.setdefault(str(row["statement"]), {**row, "dates": {}})
        if row["dateKind"]:
            record["dates"][row["dateKind"]] = (row["earliest"], row["when"])
    return found


def _start(record: Mapping[str, Any], planned: bool) -> tuple[dt.date | None, str, str]:
    """(day, basis, words) where the statement enters the chart; no day when nothing dates it."""
    dates = record["dates"]
    order = ("planned for", "on", "from") if planned else ("on", "from", "planned for")
    for kind in order:
        if kind in dates:
            day, when = dates[kind]
            return day, kind, when if kind == "on" else f"{kind} {when}"
    if record["lastAttested"]:
        day = record["lastAttested"]
        sources = str(record["sources"]).split()
        newest = "newest " if len(sources) > 1 else ""
        if str(day) in str(record.get("sourceDates") or "").split():
            words = f"{newest}source dated {day}"
        else:  # the source states no date: day is only the earliest it can have appeared
            words = f"{newest}source undated, not before {day}"
        if record["when"]:
            words += f' ("{record["when"]}")'
        return day, "reported", words
    return None, "", ""


def _end(record: Mapping[str, Any], start_basis: str,
         planned: bool) -> tuple[dt.date | None, str]:
    """(day, basis) where the statement's bar stops, by the rule in the module docstring."""
    if planned:
        return None, ""  # a plan is drawn where it was planned, never as a period that held
    if record["knownUntil"]:
        return record["knownUntil"], str(record["untilBasis"])
    if "until" in record["dates"]:
        return record["dates"]["until"][0], "stated end"
    if start_basis == "from" and record["lastAttested"]:
        return record["lastAttested"], "last attested"
    return None, ""


def _end_words(day: dt.date, basis: str) -> str:
    return {"stated end": f"to {day}", "term": f"term ends by {day}",
            "superseded": f"superseded {day}", "last attested": f"last attested {day}"}[basis]


def timeline_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per statement of the query's answer that can be placed in time, in drawing order.

    start/end are datetime.date; end is None for a single day. known_until and last_attested
    are the query's own columns, so a test can check that no bar passes knownUntil.
    """
    out = []
    for statement, record in _statements(rows).items():
        types = set(str(record["types"]).split())
        planned = "Plan" in types
        start, start_basis, words = _start(record, planned)
        if start is None:
            continue
        end, end_basis = _end(record, start_basis, planned)
        if end is not None and not (start_basis == "reported" and end_basis == "last attested"
                                    and end == start):
            words += f"; {_end_words(end, end_basis)}"
        group, colour = _group(types)
        out.append({
            "statement": statement,
            "label": record["label"],
            "group": group,
            "colour": colour,
            "start": start,
            "start_basis": start_basis,
            "end": end if end is not None and end > start else None,
            "end_basis": end_basis,
            "known_until": record["knownUntil"],
            "last_attested": record["lastAttested"],
            "as_stated": words,
            "types": " ".join(sorted(types)),
            "claim_kinds": record["claimKinds"],
            "sources": str(record["sources"]).split(),
        })
    frame = pd.DataFrame(out, columns=COLUMNS)
    if frame.empty:
        return frame
    frame["order"] = frame["group"].map(
        lambda grp: style.TIMELINE_ORDER.index(grp) if grp in style.TIMELINE_ORDER
        else len(style.TIMELINE_ORDER))
    frame = frame.sort_values(["order", "start", "statement"]).drop(columns="order")
    return frame.reset_index(drop=True)


def unplaced(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Statements of the answer that cannot be placed in time: no date of their own, and no
    dated source carries them."""
    placed = set(timeline_frame(rows)["statement"])
    return [r for s, r in _statements(rows).items() if s not in placed]


def _label(handle: Any) -> str:
    return str((handle[0] if isinstance(handle, tuple) else handle).get_label())


def bar_id(statement: str) -> str:
    """The SVG id of a statement's bar: bar-<local name>."""
    return "bar-" + statement.split(":", 1)[-1]


def _runs(frame: pd.DataFrame, words: Sequence[str]) -> list[tuple[int, int]]:
    """Runs of neighbouring rows with the same undated mark (same group, date and words):
    drawn as one joined mark with its words once, not as a column of identical dots."""
    runs: list[tuple[int, int]] = []
    rows = list(frame.itertuples())
    for i, row in enumerate(rows):
        same = (i > 0 and row.start_basis == "reported" and row.end is None
                and rows[i - 1].start_basis == "reported" and rows[i - 1].end is None
                and (row.group, row.start, words[i]) == (rows[i - 1].group, rows[i - 1].start,
                                                         words[i - 1]))
        if same:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def draw_timeline(rows: Sequence[Mapping[str, Any]], name: str, stem: Path,
                  cited: Mapping[str, Citation] | None = None) -> list[Path]:
    """Write stem.svg and stem.png from the query's rows for one council (called name);
    nothing when no statement can be placed. Bars carry the SVG id `bar_id(statement)` and the
    plot area the id "plot-area", so a test can find them. cited (`kg.query.citations`) names
    the sources in the key by publisher, date and title; each row label's full text is its
    SVG <title>.
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    frame = timeline_frame(rows)
    if frame.empty:
        return []
    style.setup()
    words = [_words(row.as_stated, row.sources) for row in frame.itertuples()]
    ends = [row.end if row.end is not None else row.start for row in frame.itertuples()]
    left = min(frame["start"]) - dt.timedelta(days=240)
    right = _right_edge(left, max(ends), list(zip(ends, words, strict=True)))
    n_rows = len(frame)
    groups = [grp for grp in style.TIMELINE_ORDER if grp in set(frame["group"])]
    if "other" in set(frame["group"]):
        groups.append("other")
    colours = dict(zip(frame["group"], frame["colour"], strict=False))
    handles: list[Any] = [Patch(color=colours[grp], label=grp) for grp in groups]
    grey = "#555555"
    handles += [
        Line2D([], [], marker="o", color=grey, linestyle="", label="own date"),
        Line2D([], [], marker="D", markerfacecolor="white", color=grey, linestyle="",
               label="planned date"),
        Line2D([], [], marker="o", markerfacecolor="white", color=grey, linestyle="",
               label="no date of its own: its newest source's (earliest) date"),
    ]
    for basis in ("stated end", "term", "superseded", "last attested"):
        text, solid, marker = END_STYLES[basis]
        patch = Patch(facecolor=grey if solid else "white", edgecolor=grey,
                      alpha=0.6 if solid else 1.0, hatch="" if solid else "////", label=text)
        # A tuple draws the end marker over the bar in the legend, as on the chart.
        handles.append((patch, Line2D([], [], marker=marker, color=grey, linestyle="",
                                      markeredgewidth=2.2)) if marker else patch)
    newest = max((d for d in frame["last_attested"] if d is not None), default=None)
    if newest is not None:
        handles.append(Line2D([], [], color="#777777", linestyle=(0, (4, 3)), linewidth=0.9,
                              label=f"newest source about the council ({newest})"))
    ncol = 4
    legend_rows = -(-len(handles) // ncol)
    undated = unplaced(rows)
    key = style.source_key([s for sources in frame["sources"] for s in sources], cited or {})
    # Layout in inches, so text keeps its size whatever the number of rows.
    top, per_row = 0.75 + 0.24 * legend_rows + 0.35, 0.36
    bottom = (0.75 if undated else 0.45) + 0.2 * (len(key) + 1)
    height = top + bottom + per_row * n_rows
    fig, ax = plt.subplots(figsize=(15, height))
    fig.subplots_adjust(left=0.39, right=0.955, top=1 - top / height, bottom=bottom / height)
    ax.patch.set_gid("plot-area")
    x_left, x_right = mdates.date2num(left), mdates.date2num(right)
    runs = {first: last for first, last in _runs(frame, words)}
    joined = {i for first, last in runs.items() for i in range(first + 1, last + 1)}
    previous = None
    for y, row in enumerate(frame.itertuples()):
        if previous is not None and row.group != previous:
            ax.axhline(y - 0.5, color="#bbbbbb", linewidth=0.8)
        previous = row.group
        start, colour = mdates.date2num(row.start), row.colour
        if row.end is not None:
            _, solid, end_marker = END_STYLES[row.end_basis]
            end = mdates.date2num(row.end)
            bars = ax.barh(y, end - start, left=start, height=0.5, linewidth=1.0,
                           color=colour if solid else "none", alpha=0.6 if solid else 1.0,
                           edgecolor=colour, hatch="" if solid else "////")
            if not solid:
                bars.patches[0].set_alpha(0.55)
            bars.patches[0].set_gid(bar_id(row.statement))
            if end_marker:
                ax.plot([end], [y], marker=end_marker, markersize=11 if end_marker == "|" else 8,
                        markeredgewidth=2.2, color=colour, linestyle="", zorder=3)
        marker, face = {"on": ("o", colour), "from": ("o", colour),
                        "planned for": ("D", "white"), "reported": ("o", "white")}[row.start_basis]
        ax.plot([start], [y], marker=marker, markersize=8, markerfacecolor=face,
                markeredgecolor=colour, markeredgewidth=1.8, linestyle="", zorder=3)
        if y in joined:  # the words and the joining line belong to the run's first row
            continue
        last = runs.get(y, y)
        text, where = words[y], float(y)
        if last > y:
            ax.plot([start, start], [y, last], color=colour, linewidth=1.5, zorder=2)
            text, where = f"{last - y + 1} statements, each: {words[y]}", (y + last) / 2
        # Words after the end of the row; the right edge was chosen so that they all fit.
        ax.annotate(text, (mdates.date2num(ends[y]), where), xytext=(8, 0),
                    textcoords="offset points", va="center", ha="left", fontsize=8.5,
                    color="#333333", linespacing=1.0,
                    bbox={"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none",
                          "alpha": 0.85})
    # Past the newest source about the council the sources say nothing: mark where that is.
    if newest is not None:
        ax.axvline(mdates.date2num(newest), color="#777777", linestyle=(0, (4, 3)),
                   linewidth=0.9, zorder=1)
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels([_wrap(label) for label in frame["label"]], fontsize=9)
    for i, tick in enumerate(ax.get_yticklabels()):
        tick.set_gid(f"row-label-{i}")
    ax.set_ylim(n_rows - 0.5, -0.5)
    ax.set_xlim(x_left, x_right)
    if (right - left).days > 1500:
        # Years only as far as the rows reach: the room to their right holds words, not time,
        # and ticks running on to 2029 would read as if the chart said something about then.
        years = range(left.year + (left.month > 1 or left.day > 1), max(ends).year + 2)
        ax.set_xticks([mdates.date2num(dt.date(year, 1, 1)) for year in years])
        ax.set_xticks([mdates.date2num(dt.date(year, month, 1)) for year in years[:-1]
                       for month in (4, 7, 10)], minor=True)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    else:  # a short span: half years, so the axis still reads
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        ax.xaxis.set_minor_locator(mdates.MonthLocator())
    ax.grid(axis="x", which="major", color="#dddddd")
    ax.tick_params(axis="x", labelsize=10, labeltop=True)
    fig.legend(handles=handles, labels=[_label(h) for h in handles], loc="upper left",
               bbox_to_anchor=(0.01, 1 - 0.55 / height), ncol=ncol, frameon=False, fontsize=9)
    fig.text(0.01, 1 - 0.3 / height,
             f"{name}: statements about its children's services over time (saved query "
             "council-timeline; in brackets the sources, named below)", fontsize=12,
             va="center")
    fig.text(0.01, (0.12 + (0.3 if undated else 0)) / height,
             "\n".join(["Sources:", *key]), fontsize=8.5, color="#333333", va="bottom",
             linespacing=1.35)
    if undated:
        fig.text(0.01, 0.12 / height,
                 f"Not shown: {len(undated)} statement{'s' if len(undated) > 1 else ''} that "
                 "cannot be placed in time (no date of their own, and no dated source carries "
                 "them); see the notebook accountability_timelines.",
                 fontsize=8.5, color="#444444")
    paths = style.save(fig, stem)
    style.add_titles(paths[0], {f"row-label-{i}": str(label)
                                for i, label in enumerate(frame["label"])})
    return paths


# The plot's width in inches (figure 15 in, axes from 0.39 to 0.955), and the width of one
# character at 8.5 pt in DejaVu Sans, about 0.6 em: enough to keep the words inside the plot.
PLOT_WIDTH, CHAR_WIDTH = 15 * (0.955 - 0.39), 0.068


def _words(as_stated: str, sources: Sequence[str]) -> str:
    """The words beside a row; past ~45% of the plot's width they wrap onto a second line."""
    text = f"{as_stated}   [{' '.join(style.short_source(s) for s in sources)}]"
    if len(text) * CHAR_WIDTH > 0.45 * PLOT_WIDTH:
        text = "\n".join(textwrap.wrap(text, len(text) // 2 + 6))
    return text


def _right_edge(left: dt.date, last: dt.date, rows: Sequence[tuple[dt.date, str]]) -> dt.date:
    """The latest right edge at which each row's words, written after its end, still fit."""
    right = (last - left).days + 240
    for end, text in rows:
        width = max(len(line) for line in text.split("\n")) * CHAR_WIDTH + 0.25
        right = max(right, round((end - left).days * PLOT_WIDTH / (PLOT_WIDTH - width)) + 1)
    return left + dt.timedelta(days=right)


def _wrap(label: str, width: int = 62) -> str:
    lines = textwrap.wrap(label, width)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="…")]
    return "\n".join(lines)


def responsibility_table(engine: Engine, council: str, date: dt.date | str) -> pd.DataFrame:
    """Who was accountable for the council's children's services on date, and how far the
    evidence reaches: `kg query accountability-on-date`, one row per statement (its evidence
    rows gathered: claim kinds, quotes and sources joined)."""
    found = engine.run(ACCOUNTABILITY_QUERY, council=council, date=date).records(short=True)
    columns = ["kind", "holderLabel", "start", "end", "status", "knownUntil", "untilBasis",
               "lastAttested", "basisLabel", "claimKind", "quote", "source", "statement"]
    joined = {"claimKind": "; ", "quote": " | ", "source": "; "}
    table: dict[str, dict[str, Any]] = {}
    for row in found:
        record = table.setdefault(str(row["statement"]),
                                  {c: row[c] for c in columns if c not in joined})
        for name, sep in joined.items():
            record.setdefault(name, [])
            if row[name] and row[name] not in record[name]:
                record[name].append(row[name])
    for record in table.values():
        for name, sep in joined.items():
            record[name] = sep.join(str(v) for v in record[name])
    return pd.DataFrame(list(table.values()), columns=columns).rename(columns={
        "holderLabel": "holder", "basisLabel": "basis", "claimKind": "claim kinds",
        "quote": "quotes", "source": "sources"})
