# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Accountability timelines, council by council
#
# For each council: inspections and judgements, findings, recommendations and decisions,
# interventions and directions, plans, appointments and responsibility periods on one time
# axis, and a table of who held which responsibility, since when, on what basis, and says who.
#
# Reading the charts: a filled marker is the statement's own date (a bar for a period; a
# period whose end no source states runs to the edge); a hollow diamond is a planned date (a
# plan is not an outcome); a hollow circle has no date of its own and sits at the date of the
# source that reports it. Numbers in brackets are the corpus files that say so.

# %%
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import Image, Markdown, display

from kg.export.timeline import (
    councils,
    draw_timeline,
    responsibility_table,
    slug,
    timeline_frame,
    undated_statements,
)
from kg.network import entity_graph, load_graph

pd.set_option("display.max_colwidth", 100)
g = entity_graph(load_graph())
pictures = Path(tempfile.mkdtemp())

# %% [markdown]
# Councils with at least one statement that can be placed in time:

# %%
placed = {c: timeline_frame(g, c) for c in councils(g)}
placed = {c: frame for c, frame in placed.items() if not frame.empty}
pd.DataFrame([{"council": g.nodes[c]["label"], "statements on the timeline": len(f)}
              for c, f in placed.items()])

# %% [markdown]
# ## Doncaster: statutory responsibility and operational control split
# The council kept statutory responsibility; a trust took over day-to-day running.

# %%
responsibility_table(g, "council:doncaster")[["holder", "kind", "planned", "from", "until",
                                              "basis", "sources"]]

# %% [markdown]
# ## Every council's timeline

# %%
for council, frame in placed.items():
    display(Markdown(f"### {g.nodes[council]['label']}"))
    table = responsibility_table(g, council)
    if not table.empty:
        display(table[["holder", "kind", "planned", "from", "until", "sources"]])
    png = draw_timeline(g, council, pictures / f"timeline-{slug(council)}")[1]
    display(Image(filename=str(png), width=1100))

# %% [markdown]
# ## The rows behind one chart, with their quotes

# %%
timeline_frame(g, "council:doncaster")[["group", "label", "as_stated", "basis", "sources",
                                        "quotes"]]

# %% [markdown]
# ## Statements that cannot be placed in time
# No date of their own, and the source that reports them states no date (and no curator has
# bounded it). They are true of some time the sources do not give: listed here, never guessed.

# %%
pd.DataFrame([{"council": g.nodes[c]["label"], "statement": r["label"],
               "sources": "; ".join(r["sources"])}
              for c in councils(g) for r in undated_statements(g, c)])
