# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
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
# axis, and a table of who was accountable on a date, on what basis, and how far the evidence
# reaches. The charts draw the rows of the saved query `council-timeline` and the tables are the
# saved query `accountability-on-date` (as `kg query` prints them), so they cannot disagree.
#
# Reading the charts: a filled circle is the statement's own date; a hollow diamond a planned date
# (a plan is not an outcome); a hollow circle has no date of its own and sits at the date of the
# newest source that reports it. A responsibility or rating runs to knownUntil, the last day the
# evidence vouches for it: solid to a stated end, with a bar-end to the end of a stated term,
# with a cross where a later statement superseded it, hatched and faded where the sources stop
# ("last attested"). Nothing runs on as if it were current. Numbers in brackets are the corpus
# files that say so.

# %%
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import Image, Markdown, display

from kg.export.answers import load_engine
from kg.query.citations import citations
from kg.export.timeline import (
    councils,
    draw_timeline,
    responsibility_table,
    slug,
    timeline_frame,
    timeline_rows,
    unplaced,
)

pd.set_option("display.max_colwidth", 100)
engine = load_engine()
pictures = Path(tempfile.mkdtemp())
names = councils(engine)
answers = {c: timeline_rows(engine, c) for c in names}
cited = citations(engine)  # sources named by publisher, date and title in every key

# %% [markdown]
# Councils with at least one statement that can be placed in time:

# %%
frames = {c: timeline_frame(rows) for c, rows in answers.items()}
frames = {c: frame for c, frame in frames.items() if not frame.empty}
pd.DataFrame([{"council": names[c], "statements on the timeline": len(f),
               "newest source": max(d for d in f["last_attested"] if d is not None)}
              for c, f in frames.items()])

# %% [markdown]
# ## Doncaster: who was accountable on 15 January 2016, and in 2030?
# The council kept statutory responsibility; a trust took over day-to-day running in October
# 2014. Status says how far the evidence reaches: in 2030 nothing is "in force".

# %%
columns = ["kind", "holder", "start", "status", "knownUntil", "untilBasis", "sources"]
responsibility_table(engine, "council:doncaster", "2016-01-15")[columns]

# %%
responsibility_table(engine, "council:doncaster", "2030-01-01")[columns]

# %% [markdown]
# ## Every council's timeline
# Each table is the council as its newest source leaves it (accountability-on-date on that day).

# %%
for council, frame in frames.items():
    display(Markdown(f"### {names[council]}"))
    newest = max(d for d in frame["last_attested"] if d is not None)
    table = responsibility_table(engine, council, newest)
    if not table.empty:
        display(table[columns])
    png = draw_timeline(answers[council], names[council], pictures / f"timeline-{slug(council)}",
                        cited)
    display(Image(filename=str(png[1]), width=1100))

# %% [markdown]
# ## The rows behind one chart
# The saved query's own answer for Doncaster, then the chart's rows drawn from it.

# %%
pd.DataFrame(answers["council:doncaster"])

# %%
timeline_frame(answers["council:doncaster"])[["group", "label", "as_stated", "start_basis",
                                              "end_basis", "sources"]]

# %% [markdown]
# ## Statements that cannot be placed in time
# No date of their own, and no dated source carries them. They are true of some time the
# sources do not give: listed here, never guessed.

# %%
pd.DataFrame([{"council": names[c], "statement": r["label"], "as stated": r["when"],
               "sources": r["sources"]}
              for c, rows in answers.items() for r in unplaced(rows)],
             columns=["council", "statement", "as stated", "sources"])
