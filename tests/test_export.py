"""kg export on the real graph: every file is written, readable by its tools, and deterministic;
the timelines and the stance matrix say exactly what their saved queries answer."""

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

from kg.cli.main import main
from kg.export import export_all, style
from kg.export.network import entity_graph
from kg.export.stance import IN_GENERAL, cell_text, stance_matrix, stance_rows
from kg.export.timeline import (
    bar_id,
    councils,
    responsibility_table,
    slug,
    timeline_frame,
    timeline_rows,
    unplaced,
)
from kg.query.engine import Engine

FIXED = ["kg-entities.graphml", "kg-entities.gexf", "kg-entities.json", "kg-entities.cyjs",
         "kg.jsonld", "graph.html", "vendor/cytoscape.min.js",
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


@pytest.fixture(scope="module")
def engine(dist: Path) -> Engine:
    """The engine `kg query` uses, on the same published build as the export."""
    return Engine.load(dist)


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
    """The CLI loads the build once with pyoxigraph; from the rdflib graph every file is the
    same, byte for byte."""
    again = export_all(graph, dist, tmp_path)
    names = sorted(p.relative_to(tmp_path).as_posix() for p in again)
    assert names == sorted(p.relative_to(exported).as_posix()
                           for p in exported.rglob("*") if p.is_file())
    for path in again:
        name = path.relative_to(tmp_path)
        assert path.read_bytes() == (exported / name).read_bytes(), name


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
    # No end is stated: the spell stops where the sources stop carrying it (003 and 000).
    assert spells[OP_CONTROL] == ("2014-10-01", "2015-09-01")
    nodes = {n.get("id"): n for n in graph.iterfind("g:nodes/g:node", ns)}
    trust = nodes["body:doncaster-childrens-services-trust"].find("g:spells/g:spell", ns)
    assert trust is not None and trust.get("start") <= "2014-10-01"
    # One way to say when: spells only, never an empty or second interval on the element.
    for element in [*graph.iterfind("g:nodes/g:node", ns), *graph.iterfind("g:edges/g:edge", ns)]:
        assert element.get("start") is None and element.get("end") is None
        for value in element.iterfind("g:attvalues/g:attvalue", ns):
            assert value.get("value") != "", (element.get("id"), value.get("for"))
    # Gephi opens it coloured by class, laid out and sized, as the project draws it.
    viz = {"v": "http://www.gexf.net/1.2draft/viz"}
    for node in graph.iterfind("g:nodes/g:node", ns):
        colour = node.find("v:color", viz)
        assert colour is not None and node.find("v:position", viz) is not None, node.get("id")
        assert node.find("v:size", viz) is not None
    council = nodes["council:doncaster"].find("v:color", viz)
    trust_colour = nodes["body:doncaster-childrens-services-trust"].find("v:color", viz)
    assert council is not None and trust_colour is not None
    assert council.attrib != trust_colour.attrib  # two classes, two colours


def test_a_graph_too_large_to_lay_out_keeps_colour_and_size(
        g: nx.MultiDiGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past LAYOUT_LIMIT entities the files carry no positions (the tools lay them out), and
    still every colour and size."""
    from kg.export import files

    monkeypatch.setattr(files, "LAYOUT_LIMIT", g.number_of_nodes() - 1)
    root = ET.parse(files.write_gexf(g, tmp_path / "big.gexf")).getroot()
    viz = {"v": "http://www.gexf.net/1.2draft/viz"}
    nodes = list(root.iter("{http://www.gexf.net/1.2draft}node"))
    assert len(nodes) == g.number_of_nodes()
    assert all(n.find("v:color", viz) is not None and n.find("v:size", viz) is not None
               and n.find("v:position", viz) is None for n in nodes)
    data = json.loads(files.write_cytoscape(g, tmp_path / "big.cyjs").read_text("utf-8"))
    assert all("position" not in n and n["data"]["colour"] for n in data["elements"]["nodes"])


def test_cytoscape_json_opens_laid_out(exported: Path) -> None:
    data = json.loads((exported / "kg-entities.cyjs").read_text(encoding="utf-8"))
    g = nx.cytoscape_graph(data, name="label", ident="id")
    assert "council:doncaster" in g and g.number_of_edges() > 0
    for element in data["elements"]["nodes"]:
        assert set(element["position"]) == {"x", "y"}
        assert element["data"]["colour"].startswith("#")


def test_node_link_json_and_jsonld(exported: Path, dist: Path) -> None:
    data = json.loads((exported / "kg-entities.json").read_text(encoding="utf-8"))
    assert OP_CONTROL in data["graph"]["statements"]
    assert {n["id"] for n in data["nodes"]} >= {"council:doncaster", "body:adcs"}
    assert (exported / "kg.jsonld").read_bytes() == (dist / "kg.jsonld").read_bytes()


def test_html_is_self_contained(exported: Path) -> None:
    page = (exported / "graph.html").read_text(encoding="utf-8")
    tags = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", page)
    # Only data: URLs and the renderer beside the page (vendor/, copied from the npm package).
    loaded = [m for t in tags for m in re.findall(r"(?:src|href)=\"([^\"]*)\"", t)]
    assert [u for u in loaded if not u.startswith("data:")] == ["vendor/cytoscape.min.js"]
    assert (exported / "vendor" / "cytoscape.min.js").stat().st_size > 100_000
    assert "@import" not in page and "url(http" not in page
    assert "Doncaster Children" in page and "launched in October 2014" in page


def test_pictures_carry_legible_text(exported: Path) -> None:
    # SVG text stays text (svg.fonttype none), so the labels can be checked, and searched.
    overview = html.unescape((exported / "overview.svg").read_text(encoding="utf-8"))
    for label in ("Doncaster Council", "ADCS", "Ofsted", "Michael Gove"):
        assert label in overview
    timeline = html.unescape((exported / "timeline-doncaster.svg").read_text(encoding="utf-8"))
    for words in ("from 2014-10; last attested 2015-09-01", "planned for 2014-04",
                  "term ends by 2015-06-30", "superseded 2014-10-01",
                  "last attested: the sources stop here", "newest source about the council"):
        assert words in timeline, words
    matrix = html.unescape((exported / "stance-matrix.svg").read_text(encoding="utf-8"))
    for words in ("Dave Hill", "Eleanor Brazil", "case - Norfolk County Council", "in general",
                  "sceptical", "conditional (supports with conditions)"):
        assert words in matrix, words


def test_doncaster_timeline_rows_end_where_the_evidence_ends(engine: Engine) -> None:
    frame = timeline_frame(timeline_rows(engine, "council:doncaster")).set_index("statement")
    control = frame.loc[OP_CONTROL]  # the trust runs the services: from 2014-10, sources stop
    assert (str(control["start"]), control["start_basis"]) == ("2014-10-01", "from")
    assert (str(control["end"]), control["end_basis"]) == ("2015-09-01", "last attested")
    impower = frame.loc["st:doncaster-impower-improvement-support"]  # two-year term from 2013-06
    assert (str(impower["end"]), impower["end_basis"]) == ("2015-06-30", "term")
    council = frame.loc["st:doncaster-council-operational-control"]  # until the trust took over
    assert (str(council["end"]), council["end_basis"]) == ("2014-10-01", "superseded")
    assert council["start_basis"] == "reported"
    plan = frame.loc["st:doncaster-trust-plan"]  # a plan: drawn where planned, never as a period
    assert (plan["start_basis"], str(plan["start"]), plan["end"]) == ("planned for", "2014-04-01",
                                                                      None)


def test_every_timeline_is_its_query_answer_and_no_bar_passes_known_until(
        engine: Engine) -> None:
    for council in councils(engine):
        rows = timeline_rows(engine, council)
        frame = timeline_frame(rows)
        drawn = set(frame["statement"]) | {str(r["statement"]) for r in unplaced(rows)}
        assert drawn == {str(r["statement"]) for r in rows}, council  # nothing added or lost
        for row in frame.itertuples():
            if row.end is None:
                continue
            assert row.end > row.start
            reach = row.known_until or row.last_attested
            assert reach is not None and row.end <= reach, (council, row.statement)
            if row.known_until is not None:  # a responsibility or rating ends at knownUntil
                assert row.end == row.known_until
                assert row.end_basis in {"stated end", "term", "superseded", "last attested"}


def test_a_timeline_calls_a_source_dated_only_when_it_states_its_date(engine: Engine) -> None:
    stated = {row["date"].value for row in engine.run("sources-overview") if row["date"]}
    seen = set()
    for council in councils(engine):
        for row in timeline_frame(timeline_rows(engine, council)).itertuples():
            if row.start_basis != "reported":
                continue
            seen.add("dated" if "source dated" in row.as_stated else "undated")
            if "source dated" in row.as_stated:
                assert str(row.start) in stated, (council, row.statement)
            else:  # placed at the earliest day an undated source can have appeared
                assert f"source undated, not before {row.start}" in row.as_stated
    assert seen == {"dated", "undated"}  # the real graph has both kinds


def _path_xs(element: ET.Element) -> list[float]:
    """The x coordinates of the points of every SVG path under element."""
    xs = []
    for path in element.iter("{http://www.w3.org/2000/svg}path"):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))]
        xs += numbers[0::2]
    return xs


def test_no_timeline_bar_runs_to_the_right_edge(exported: Path, engine: Engine) -> None:
    for council in councils(engine):
        svg = exported / f"timeline-{slug(council)}.svg"
        frame = timeline_frame(timeline_rows(engine, council))
        if frame.empty:
            assert not svg.exists()
            continue
        root = ET.parse(svg).getroot()
        groups = {g.get("id"): g for g in root.iter("{http://www.w3.org/2000/svg}g")}
        plot_right = max(_path_xs(groups["plot-area"]))
        bars = {i for i in groups if i and i.startswith("bar-")}
        assert bars == {bar_id(s) for s in frame[frame["end"].notna()]["statement"]}, council
        for bar in bars:
            assert max(_path_xs(groups[bar])) < plot_right - 20, (council, bar)


def test_responsibility_table_is_accountability_on_date(engine: Engine) -> None:
    table = responsibility_table(engine, "council:doncaster", "2016-01-15").set_index("statement")
    answer = engine.run("accountability-on-date", council="council:doncaster",
                        date="2016-01-15").records(short=True)
    assert set(table.index) == {r["statement"] for r in answer}  # evidence rows gathered
    assert table.loc["st:doncaster-impower-improvement-support", "status"].startswith("ended")
    oversight = table.loc["st:doncaster-government-oversight-2009", "status"]
    assert oversight.startswith("last attested 2013-07-16")
    later = responsibility_table(engine, "council:doncaster", "2030-01-01")
    assert not later.empty and not later["status"].str.startswith("in force").any()


def test_stance_matrix_is_the_query_answer(engine: Engine, exported: Path) -> None:
    answer = engine.run("stance-matrix")
    rows = stance_rows(answer.records(short=True))
    matrix = stance_matrix(rows)
    cells = {(t, s, h): matrix.loc[(t, s), h] for t, s in matrix.index for h in matrix.columns
             if matrix.loc[(t, s), h]}
    assert cells == {(r.topicLabel, r.scope, r.stakeholderLabel): cell_text(r.stances, r.positions)
                     for r in rows.itertuples()}
    # The export's CSV is the query's own W3C CSV: `kg query stance-matrix --format csv`.
    assert (exported / "stance-positions.csv").read_bytes() == answer.to_csv().encode("utf-8")


def test_stance_matrix_keeps_case_views_as_cases(engine: Engine) -> None:
    rows = stance_rows(engine.run("stance-matrix").records(short=True))
    matrix = stance_matrix(rows)
    # Dave Hill spoke about Norfolk's case and Eleanor Brazil about Dudley's: case views only.
    for person, council in (("Dave Hill", "Norfolk County Council"),
                            ("Eleanor Brazil", "Dudley Metropolitan Borough Council")):
        views = matrix[person][matrix[person] != ""]
        assert [scope for _, scope in views.index] == [f"case - {council}"], person
    general = matrix.xs(IN_GENERAL, level="scope")
    assert general.loc["Independent trust model", "Dave Hill"] == ""
    assert general.loc["Independent trust model", "Eleanor Brazil"] == ""
    # The ADCS president speaks for the ADCS: its view on the trust model is in general.
    adcs = "Association of Directors of Children's Services"
    assert general.loc["Independent trust model", adcs].startswith("sceptical")


def test_stance_wording_is_the_scheme(engine: Engine) -> None:
    found = engine.sparql("""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?notation ?label WHERE {
          ?c skos:inScheme <https://w3id.org/csikg/def/scheme/stance> ;
             skos:notation ?notation ; skos:prefLabel ?label }""").records()
    assert {str(r["notation"]): str(r["label"]) for r in found} == style.STANCE_LABELS
    assert set(style.STANCE_ORDER) == set(style.STANCE_LABELS) == set(style.STANCE_COLOURS)


def test_a_graph_too_large_to_draw_is_exported_without_the_drawings(
        graph: Graph, dist: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past LAYOUT_LIMIT entities graph.html and the overview are left out, with a message;
    every other file is still written."""
    from kg.export import files

    monkeypatch.setattr(files, "LAYOUT_LIMIT", 10)
    said: list[str] = []
    written = {p.relative_to(tmp_path).as_posix() for p in
               export_all(graph, dist, tmp_path, progress=said.append)}
    assert "kg-entities.gexf" in written and "stance-matrix.svg" in written
    assert not {"graph.html", "overview.svg", "overview.png"} & written
    assert any("left out" in line and "Gephi" in line for line in said)
