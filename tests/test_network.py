"""The networkx projections, checked against facts of the real graph."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from kg.build.stats import count_statements
from kg.export.network import (
    build_index,
    centrality,
    communities,
    entity_graph,
    explain_path,
    rdf_multidigraph,
    simple_undirected,
    statement_edges,
)
from kg.export.triples import load_published_fast

TRUST = "body:doncaster-childrens-services-trust"
SERVICES = "service:doncaster-childrens-services"


@pytest.fixture(scope="module")
def g(graph: Graph) -> nx.MultiDiGraph:
    return entity_graph(graph)


def edges_between(g: nx.MultiDiGraph, u: str, v: str) -> list[dict]:
    return list((g.get_edge_data(u, v) or {}).values())


def test_trust_runs_doncaster_services_with_its_source_and_quote(g: nx.MultiDiGraph) -> None:
    control = [d for d in edges_between(g, TRUST, SERVICES) if d["label"] == "operational control"]
    assert len(control) == 1
    edge = control[0]
    assert edge["class"] == "csi:Responsibility"
    assert edge["dates"]["startDate"] == "2014-10"
    assert edge["start"] == "2014-10-01" and edge["end"] == ""  # no end date stated
    assert "003_51ba7b2c6747c069" in edge["sources"]
    assert any("launched in October 2014" in q for q in edge["quotes"])
    assert {e["source"] for e in edge["evidence"]} == set(edge["sources"])


def test_council_keeps_statutory_responsibility(g: nx.MultiDiGraph) -> None:
    labels = {d["label"] for d in edges_between(g, "council:doncaster", SERVICES)}
    assert "statutory responsibility" in labels


def test_a_plan_is_labelled_as_planned_never_as_an_outcome(g: nx.MultiDiGraph) -> None:
    planned = [d for _, _, d in statement_edges(g) if d["statement"] ==
               "st:birmingham-trust-planned-operational-control"]
    assert planned and all(d["label"] == "planned operational control" for d in planned)
    record = g.graph["statements"]["st:birmingham-trust-planned-operational-control"]
    assert record["planned"] is True


def test_statement_about_services_does_not_also_draw_an_edge_to_their_council(
        g: nx.MultiDiGraph) -> None:
    # The services node is linked to its council ("unit of"); a second edge would say nothing new.
    to_council = [d for d in edges_between(g, TRUST, "council:doncaster")
                  if d["label"] == "operational control"]
    assert to_council == []
    unit_of = edges_between(g, SERVICES, "council:doncaster")
    assert [d["label"] for d in unit_of if d["structural"]] == ["unit of"]
    assert all(d["evidence"] == [] for d in unit_of if d["structural"])


def test_stakeholder_position_edge_carries_stance_and_quote(g: nx.MultiDiGraph) -> None:
    positions = [d for d in edges_between(g, "body:adcs", "policy:independent-trust-model")
                 if d["class"] == "csi:Position"]
    assert positions
    assert any(d["kinds"]["stance"] == ["sceptical or concerned"] for d in positions)
    assert any("fragmenting services" in q for d in positions for q in d["quotes"])


def test_node_attributes_label_class_identifiers(g: nx.MultiDiGraph) -> None:
    doncaster = g.nodes["council:doncaster"]
    assert doncaster["label"] == "Doncaster Council"
    assert doncaster["class"] == "csi:LocalAuthority"
    assert doncaster["class_label"] == "local authority"
    assert doncaster["identifiers"] == {"gss": "E08000017"}
    assert doncaster["iri"] == "https://w3id.org/csikg/id/council/doncaster"
    adcs = g.nodes["body:adcs"]
    assert adcs["short_label"] == "ADCS" and "ADCS" in adcs["alt_labels"]
    assert "st:adcs-warns-trust-fragmentation-2013" in adcs["statements"]


def test_every_statement_is_kept_with_evidence(graph: Graph, g: nx.MultiDiGraph) -> None:
    statements = g.graph["statements"]
    assert len(statements) == count_statements(graph)
    for record in statements.values():
        assert record["evidence"], record["id"]
        assert all(e["quote"] and e["source"] and e["claim_kind"] for e in record["evidence"])
    for _, _, data in statement_edges(g):
        assert data["sources"] and data["quotes"]


def test_every_triple_is_an_edge_of_the_rdf_multidigraph(graph: Graph) -> None:
    full = rdf_multidigraph(graph)
    assert full.number_of_edges() == len(graph)
    assert full.has_edge("st:doncaster-trust-operational-control", TRUST, key="csi:holder")
    assert full.nodes[TRUST]["kind"] == "iri"


def test_roles_come_from_the_ontology(graph: Graph) -> None:
    index = build_index(graph)
    assert {"holder", "speaker", "decidedBy", "recommendedBy", "inspectedBy"} <= index.agent_roles
    assert "services" not in index.agent_roles


def test_projection_is_deterministic(graph: Graph, g: nx.MultiDiGraph) -> None:
    again = entity_graph(graph)
    dump = [json.dumps(nx.node_link_data(x, edges="edges"), sort_keys=True) for x in (g, again)]
    assert dump[0] == dump[1]


def test_explain_path_names_the_statements_on_each_hop(g: nx.MultiDiGraph) -> None:
    path = nx.shortest_path(simple_undirected(g), "body:adcs", "council:doncaster")
    hops = explain_path(g, path)
    assert hops[0]["from"] == "Association of Directors of Children's Services"
    assert all(hop["links"] for hop in hops)
    assert "004_dd1639bb877fd76f" in {s for hop in hops for s in hop["sources"]}


def test_centrality_and_communities(g: nx.MultiDiGraph) -> None:
    table = centrality(g)
    assert set(table["id"]) == set(g)
    assert table["betweenness"].between(0, 1).all()
    assert "council:doncaster" in set(table.head(5)["id"])
    groups = communities(g)
    linked = {n for n in g if g.degree(n) > 0}
    members = [n for group in groups for n in group]
    assert sorted(members) == sorted(linked)  # a partition: every linked node exactly once
    doncaster = next(group for group in groups if "council:doncaster" in group)
    assert SERVICES in doncaster


def test_the_published_build_loaded_by_pyoxigraph_projects_the_same(
    graph: Graph, g: nx.MultiDiGraph, dist: Path
) -> None:
    """kg export, the notebooks and the benchmarks load kg.trig once with pyoxigraph: the
    projections from it are the same, attribute for attribute, as from the rdflib graph."""
    engine, triples = load_published_fast(dist)
    assert len(triples) == len(graph) == len(engine.store)
    fast = entity_graph(triples)
    dump = [json.dumps(nx.node_link_data(x, edges="edges"), sort_keys=True) for x in (g, fast)]
    assert dump[0] == dump[1]
    full = [rdf_multidigraph(x) for x in (graph, triples)]
    assert [json.dumps(nx.node_link_data(x, edges="edges")) for x in full][0] == json.dumps(
        nx.node_link_data(full[1], edges="edges"))
