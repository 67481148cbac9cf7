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
# # Stakeholder positions
#
# What position did each stakeholder (ADCS, LGA, the Commons education committee, DfE,
# charities, academics, councils) take on the trust model and on each intervention, when, in
# which words, speaking in which capacity? And who responded to whom?
#
# The matrix is the answer of the saved query `stance-matrix` (the same rows as
# `kg query stance-matrix`, the server and `stance-positions.csv`), drawn as a grid. Each row is a
# topic and a scope: a view on one council's case ("case - Norfolk County Council") stays about
# that case and is never counted as a view on the policy in general. A person speaking in an
# organisation's post (the ADCS president) speaks for the organisation; an academic speaks for
# themself.

# %%
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import Image, display

from kg.export.answers import load_view
from kg.query.citations import citations
from kg.export.stance import (
    IN_GENERAL,
    QUERY,
    draw_response_graph,
    draw_stance_matrix,
    response_graph,
    stance_matrix,
    stance_rows,
)
from kg.export.network import entity_graph

pd.set_option("display.max_colwidth", 160)
engine, graph = load_view()  # loaded once: pyoxigraph for the queries and the projection
cited = citations(engine)  # sources named by publisher, date and title in every key
g = entity_graph(graph)
pictures = Path(tempfile.mkdtemp())
rows = stance_rows(engine.run(QUERY).records(short=True))
print(f"{len(rows)} rows (stakeholder, topic, scope) from {rows['stakeholder'].nunique()} "
      f"stakeholders, {rows['positions'].sum()} positions")

# %% [markdown]
# ## The stance matrix
# Topic and scope by stakeholder; each cell names the stances taken and counts the positions.

# %%
stance_matrix(rows)

# %%
display(Image(filename=str(draw_stance_matrix(rows, pictures / "stance-matrix", cited)[1]), width=1100))

# %% [markdown]
# ## Views on the policies in general, and views on one council's case

# %%
rows[rows["scope"] == IN_GENERAL][["stakeholderLabel", "topicLabel", "stances", "positions",
                                   "sources"]]

# %%
rows[rows["scope"] != IN_GENERAL][["stakeholderLabel", "topicLabel", "scope", "stances",
                                   "positions", "sources"]]

# %% [markdown]
# ## On the independent trust model: every position, in its own words
# The saved query `positions-on-policy` (default: the trust model, and the councils' trust
# cases), one row per piece of evidence.

# %%
engine.run("positions-on-policy").dataframe()[
    ["stakeholderLabel", "speakerLabel", "capacityLabel", "stance", "scope", "onLabel", "date",
     "quote", "source"]]

# %% [markdown]
# ## Who responded to whom
# An arrow runs from the responder to the one whose statement it answers. A response to a
# recommendation is coloured by its stance towards it: "supports" means accepts and "opposes"
# means rejects.

# %%
responses = response_graph(g)
pd.DataFrame([{"responder": g.nodes[u]["label"], "answered": g.nodes[v]["label"],
               "stance": d["stance"], "statement": d["label"], "sources": "; ".join(d["sources"])}
              for u, v, d in sorted(responses.edges(data=True), key=lambda e: e[2]["statement"])])

# %%
display(Image(filename=str(draw_response_graph(g, pictures / "responses", cited)[1]), width=1000))
