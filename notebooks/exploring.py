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
# # Exploring the graph
#
# What is in the Children's Services Interventions Knowledge Graph, who is central to it, which
# groups hang together, and how a stakeholder is connected to a council.
#
# The graph is loaded once, by pyoxigraph, from `dist/kg.trig` when that build is up to date
# (`make build`), else built in memory from the curated files. Everything here is a thin call into `kg.export.network`; the
# notebook only shows the results.

# %%
import tempfile
from pathlib import Path

import networkx as nx
import pandas as pd
from IPython.display import Image, display

from kg.export.answers import load_view
from kg.export.overview import draw_overview
from kg.query.citations import citations
from kg.export.widget import network_widget
from kg.export.network import (
    centrality,
    communities,
    entity_graph,
    explain_path,
    rdf_multidigraph,
    simple_undirected,
    strongest_pairs,
)
from kg.build.stats import compute_store

pd.set_option("display.max_colwidth", 120)
engine, graph = load_view()
g = entity_graph(graph)

# %% [markdown]
# ## What is in it
# Counts of triples, entities and statements, by class and by source.

# %%
stats = compute_store(engine.store)
print(f"{stats.triples} triples, {stats.entities} entities, {stats.statements} statements")
pd.DataFrame(stats.by_class, columns=["class", "count"])

# %%
pd.DataFrame(stats.by_source, columns=["source", "statements", "quotes"])

# %% [markdown]
# Two networkx views: every triple as an edge, and the entity graph, where each statement
# (a responsibility, a decision, a position...) becomes labelled edges between the entities it
# links, carrying its dates, kinds and evidence.

# %%
full = rdf_multidigraph(graph)
print(f"RDF graph: {full.number_of_nodes()} nodes, {full.number_of_edges()} edges (triples)")
print(f"entity graph: {g.number_of_nodes()} entities, {g.number_of_edges()} links, "
      f"{len(g.graph['statements'])} statements")
pd.Series([d["class_label"] for _, d in g.nodes(data=True)]).value_counts()

# %% [markdown]
# One edge, in full: who runs Doncaster's children's services, since when, and says who?

# %%
trust, services = "body:doncaster-childrens-services-trust", "service:doncaster-childrens-services"
for data in g.get_edge_data(trust, services).values():
    print(data["label"], "|", data["dates"], "|", data["title"])
    for ev in data["evidence"]:
        print(f"   \u201c{ev['quote']}\u201d  [{ev['source']}, {ev['claim_kind']}]")

# %% [markdown]
# ## The overview picture

# %%
pictures = Path(tempfile.mkdtemp())
display(Image(filename=str(draw_overview(g, pictures / "overview", citations(engine))[1]), width=1000))

# %% [markdown]
# ## Explore it yourself
# The same entity graph, interactive (cytoscape.js, loaded from this machine): drag, zoom, and
# click a node or an edge to read what it is. `view.selected` holds the node clicked last.

# %%
view = network_widget(g)
view

# %% [markdown]
# ## Who is central: degree and betweenness
# `links` counts every statement edge; `betweenness` (on the simple undirected projection) shows
# who sits on the paths between others: the brokers of the story.

# %%
table = centrality(g)
table.head(15)

# %%
table.sort_values("betweenness", ascending=False).head(10)[["label", "class", "betweenness"]]

# %% [markdown]
# ## Communities
# Louvain communities (fixed seed) of the linked entities: each is roughly one story.

# %%
for i, members in enumerate(communities(g), 1):
    print(f"{i}. " + "; ".join(g.nodes[m]["short_label"] for m in members))

# %% [markdown]
# ## Shortest paths from stakeholders to councils
# How is a stakeholder connected to a council, and through which statements?

# %%
simple = simple_undirected(g)
stakeholders = [n for n in ("body:adcs", "body:lga", "body:commons-education-committee",
                            "person:ray-jones", "body:action-for-children") if n in g]
councils = [n for n in ("council:doncaster", "council:birmingham", "council:norfolk") if n in g]
rows = []
for who in stakeholders:
    for council in councils:
        try:
            path = nx.shortest_path(simple, who, council)
        except nx.NetworkXNoPath:
            rows.append({"stakeholder": who, "council": council, "hops": None, "path": "no path"})
            continue
        rows.append({"stakeholder": g.nodes[who]["short_label"],
                     "council": g.nodes[council]["label"], "hops": len(path) - 1,
                     "path": " -> ".join(g.nodes[n]["short_label"] for n in path)})
pd.DataFrame(rows)

# %%
path = nx.shortest_path(simple, "body:adcs", "council:birmingham")
pd.DataFrame(explain_path(g, path))

# %% [markdown]
# ## Who is most connected to whom
# The pairs of entities linked by the most statements.

# %%
strongest_pairs(g, top=12)
