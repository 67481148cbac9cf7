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
# # Stakeholder positions
#
# What position did each stakeholder (ADCS, LGA, the Commons education committee, DfE,
# charities, academics, councils) take on the trust model and on each intervention, when, in
# which words, speaking in which capacity? And who responded to whom?
#
# A person speaking in an organisation's post (the ADCS president) speaks for the organisation;
# an academic speaks for themselves. A government response to a recommendation is filed under
# the recommendation: there, "supports" means accepts and "opposes" means rejects.

# %%
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import Image, display

from kg.export.stance import (
    draw_response_graph,
    draw_stance_matrix,
    response_graph,
    stance_frame,
    stance_matrix,
)
from kg.network import entity_graph, load_graph

pd.set_option("display.max_colwidth", 160)
g = entity_graph(load_graph())
pictures = Path(tempfile.mkdtemp())
positions = stance_frame(g)
print(f"{len(positions)} positions and responses with a stance, "
      f"from {positions['stakeholder'].nunique()} stakeholders")

# %% [markdown]
# ## The stance matrix
# Stakeholders by topic; each cell names the stances taken (with counts).

# %%
stance_matrix(positions)

# %%
display(Image(filename=str(draw_stance_matrix(g, pictures / "stance-matrix")[1]), width=1100))

# %% [markdown]
# ## The quotes behind each cell

# %%
positions.sort_values(["stakeholder_label", "topic_label", "date"])[
    ["stakeholder_label", "speaker_label", "capacity", "topic_label", "stance", "concerns",
     "date", "quotes", "sources"]]

# %% [markdown]
# ## On the independent trust model alone

# %%
trust = positions[positions["topic"] == "policy:independent-trust-model"]
trust[["stakeholder_label", "speaker_label", "stance", "concerns", "quotes", "sources"]]

# %% [markdown]
# ## Who responded to whom
# An arrow runs from the responder to the one whose statement it answers.

# %%
responses = response_graph(g)
pd.DataFrame([{"responder": g.nodes[u]["label"], "answered": g.nodes[v]["label"],
               "stance": d["stance"], "statement": d["label"], "sources": "; ".join(d["sources"])}
              for u, v, d in sorted(responses.edges(data=True), key=lambda e: e[2]["statement"])])

# %%
display(Image(filename=str(draw_response_graph(g, pictures / "responses")[1]), width=1000))
