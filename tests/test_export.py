"""kg export on the real graph: every file is written, readable by its tools, and deterministic."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import main
from kg.export import export_all
from kg.export.stance import stance_frame, stance_matrix
from kg.export.timeline import responsibility_table, timeline_frame
from kg.network import entity_graph

FIXED = ["kg-entities.graphml", "kg-entities.gexf", "kg-entities.json", "kg.jsonld", "graph.html",
         "overview.svg", "overview.png", "stance-matrix.svg", "stance-matrix.png",
         "stance-positions.csv", "timeline-doncaster.svg", "timeline-doncaster.png"]
OP_CONTROL = "st:doncaster-trust-operational-control"


@pytest.fixture(scope="module")
def exported(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CLI's export of the published test build."""
    out = tmp_path_factory.mktemp("exports")
    result = CliRunner().invoke(main, ["export", "--dist", str(dist), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "exported" in result.output
    return out


@pytest.fixture(scope="module")
def g(graph: Graph) -> nx.MultiDiGraph:
    return entity_graph(graph)


def test_every_promised_file_is_written(exported: Path) -> None:
    for name in FIXED:
        assert (exported / name).stat().st_size > 1000, name
    timelines = sorted(p.name for p in exported.glob("timeline-*.png"))
    assert {"timeline-doncaster.png", "timeline-birmingham.png", "timeline-dudley.png",
            "timeline-norfolk.png", "timeline-slough.png"} <= set(timelines)
    for png in exported.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_export_is_deterministic(graph: Graph, dist: Path, exported: Path,
                                 tmp_path: Path) -> None:
    again = export_all(graph, dist, tmp_path)
    assert sorted(p.name for p in again) == sorted(p.name for p in exported.iterdir())
    for path in again:
        assert path.read_bytes() == (exported / path.name).read_bytes(), path.name


def test_graphml_keeps_the_evidence(exported: Path, g: nx.MultiDiGraph) -> None:
    read = nx.read_graphml(exported / "kg-entities.graphml", force_multigraph=True)
    assert read.number_of_nodes() == g.number_of_nodes()
    assert read.number_of_edges() == g.number_of_edges()
    assert read.nodes["council:doncaster"]["gss_code"] == "E08000017"
    edges = [d for _, _, d in read.edges(data=True) if d.get("statement") == OP_CONTROL]
    assert edges and "003_51ba7b2c6747c069" in edges[0]["sources"]
    evidence = json.loads(edges[0]["evidence"])
    assert any("launched in October 2014" in e["quote"] for e in evidence)


def test_gexf_has_time_spells_for_gephi(exported: Path) -> None:
    text = (exported / "kg-entities.gexf").read_text(encoding="utf-8")
    assert "lastmodifieddate" not in text  # no date stamp: byte-identical exports
    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ET.fromstring(text)
    graph = root.find("g:graph", ns)
    assert graph is not None
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    ids = {a.get("title"): a.get("id")
           for a in graph.iterfind("g:attributes[@class='edge']/g:attribute", ns)}
    spells = {}
    for edge in graph.iterfind("g:edges/g:edge", ns):
        values = {v.get("for"): v.get("value") for v in edge.iterfind("g:attvalues/g:attvalue", ns)}
        spell = edge.find("g:spells/g:spell", ns)
        if spell is not None:
            spells.setdefault(values.get(ids["statement"]), (spell.get("start"), spell.get("end")))
    assert spells[OP_CONTROL] == ("2014-10-01", None)  # runs on: no end date stated
    nodes = {n.get("id"): n for n in graph.iterfind("g:nodes/g:node", ns)}
    trust = nodes["body:doncaster-childrens-services-trust"].find("g:spells/g:spell", ns)
    assert trust is not None and trust.get("start") <= "2014-10-01"


def test_node_link_json_and_jsonld(exported: Path, dist: Path) -> None:
    data = json.loads((exported / "kg-entities.json").read_text(encoding="utf-8"))
    assert OP_CONTROL in data["graph"]["statements"]
    assert {n["id"] for n in data["nodes"]} >= {"council:doncaster", "body:adcs"}
    assert (exported / "kg.jsonld").read_bytes() == (dist / "kg.jsonld").read_bytes()


def test_html_is_self_contained(exported: Path) -> None:
    page = (exported / "graph.html").read_text(encoding="utf-8")
    tags = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", page)
    assert tags and not [t for t in tags if re.search(r"(src|href)=\"(?!data:)", t)]
    assert "@import" not in page and "url(http" not in page
    assert "Doncaster Children" in page and "launched in October 2014" in page


def test_pictures_carry_legible_text(exported: Path) -> None:
    # SVG text stays text (svg.fonttype none), so the labels can be checked, and searched.
    overview = html.unescape((exported / "overview.svg").read_text(encoding="utf-8"))
    for label in ("Doncaster Council", "ADCS", "Ofsted", "Michael Gove"):
        assert label in overview
    timeline = html.unescape((exported / "timeline-doncaster.svg").read_text(encoding="utf-8"))
    assert "from 2014-10" in timeline and "planned 2014-04" in timeline
    matrix = html.unescape((exported / "stance-matrix.svg").read_text(encoding="utf-8"))
    assert "ADCS" in matrix and "sceptical or concerned" in matrix


def test_doncaster_timeline_rows(g: nx.MultiDiGraph) -> None:
    frame = timeline_frame(g, "council:doncaster")
    control = frame[frame["statement"] == OP_CONTROL].iloc[0]
    assert control["basis"] == "own date" and control["open_ended"]
    assert str(control["start"]) == "2014-10-01"
    plan = frame[frame["statement"] == "st:doncaster-trust-plan"].iloc[0]
    assert plan["basis"] == "planned" and str(plan["start"]) == "2014-04-01"
    table = responsibility_table(g, "council:doncaster")
    kinds = dict(zip(table["holder"], table["kind"], strict=True))
    assert kinds["Doncaster Children's Services Trust"] == "operational control"
    assert kinds["Doncaster Council"] == "statutory responsibility"


def test_stance_matrix_and_quotes(g: nx.MultiDiGraph) -> None:
    frame = stance_frame(g)
    adcs = frame[(frame["stakeholder"] == "body:adcs")
                 & (frame["topic"] == "policy:independent-trust-model")]
    assert set(adcs["stance"]) == {"sceptical or concerned"}
    assert "Andrew Webb" in set(adcs["speaker_label"])  # the president speaks for the ADCS
    assert adcs["quotes"].str.contains("fragmenting services").any()
    # Rejecting the committee's call to pause the trust model is not opposing the model: a
    # response is filed under the recommendation it answers.
    rejection = frame[frame["statement"] == "st:sw-reform-dfe-rejects-trust-pause"].iloc[0]
    assert rejection["topic"] == "st:sw-reform-committee-recommends-no-trust-expansion"
    matrix = stance_matrix(frame)
    assert "sceptical or concerned" in matrix.loc["ADCS", "Independent trust model"]
