"""The saved queries: their catalogue, parameter binding, result formats, and the expected
answer of every query on the real graph, checked against the corpus texts."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from pyoxigraph import Literal, NamedNode, QueryResultsFormat, parse_query_results
from sources import curated

from kg.build.quotes import fold
from kg.namespaces import PREFIXES, QUERIES_DIR, shorten
from kg.query.catalogue import (
    Catalogue,
    HeaderError,
    ParamValueError,
    UnknownParamError,
    UnknownQueryError,
    catalogue,
    load_query,
    parse_header,
    read_only_violation,
    with_values,
)
from kg.query.engine import Engine, GraphNotFoundError, ReadOnlyError, Results, check_read_only

TESTS = Path(__file__).parent


@pytest.fixture(scope="module")
def engine(dist: Path) -> Engine:
    return Engine.load(dist)


def rows(engine: Engine, name: str, **params: object) -> list[dict[str, object]]:
    return engine.run(name, **params).records(short=True)


def text(value: object) -> str:
    return "" if value is None else str(value)


# --- the catalogue ------------------------------------------------------------------------------

def test_every_saved_query_has_a_header_and_orders_its_rows() -> None:
    queries = list(catalogue())
    assert len(queries) >= 18
    for query in queries:
        assert query.summary.endswith("?"), query.name  # each file answers one question
        assert query.description, query.name
        assert query.tags, query.name
        assert "ORDER BY" in query.text, f"{query.name} has no ORDER BY"
        assert query.path.parent.parent == QUERIES_DIR


def test_every_saved_query_declares_columns_it_returns(engine: Engine) -> None:
    for query in catalogue():
        assert query.columns, f"{query.name} declares no '#+ columns:'"
        variables = engine.run(query).variables
        assert set(query.columns) <= set(variables), query.name


def test_a_header_with_bad_columns_is_refused_and_columns_are_optional(tmp_path: Path) -> None:
    folder = tmp_path / "topic"
    folder.mkdir()
    plain = folder / "no-columns.rq"
    plain.write_text("#+ summary: S?\nSELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n")
    assert load_query(plain).columns == ()  # an older header still loads: every column shows
    for given, problem in [("[s, nope]", "not a variable"), ("s", "must be a list")]:
        bad = folder / "bad-columns.rq"
        bad.write_text(f"#+ summary: S?\n#+ columns: {given}\n"
                       "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n")
        with pytest.raises(HeaderError, match=problem):
            load_query(bad)


def test_every_query_file_is_named_in_a_test() -> None:
    tests_text = "\n".join(path.read_text(encoding="utf-8") for path in TESTS.glob("test_*.py"))
    for path in QUERIES_DIR.glob("*/*.rq"):
        assert f'"{path.stem}"' in tests_text, f"no test names {path.stem}"


def test_a_header_that_is_not_yaml_names_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "topic"
    folder.mkdir()
    bad = folder / "bad-yaml.rq"
    bad.write_text("#+ summary: Who?\n#+ tags: [a, b\nSELECT * WHERE { ?s ?p ?o } ORDER BY ?s\n")
    with pytest.raises(HeaderError, match="header line"):
        load_query(bad)
    with pytest.raises(HeaderError, match="header line 1"):
        parse_header(["description: a colon: inside a plain value"])


def test_a_header_without_summary_or_with_an_unused_param_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "topic"
    folder.mkdir()
    bad = folder / "no-summary.rq"
    bad.write_text("#+ tags: [x]\nSELECT * WHERE { ?s ?p ?o } ORDER BY ?s\n")
    with pytest.raises(HeaderError, match="summary"):
        load_query(bad)
    unused = folder / "unused-param.rq"
    unused.write_text("#+ summary: S?\n#+ params:\n#+   council:\n#+     type: iri\n"
                      "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s\n")
    with pytest.raises(HeaderError, match="not used"):
        load_query(unused)
    clash = Catalogue([load_query(path) for path in [*QUERIES_DIR.glob("*/posts-held.rq")]])
    with pytest.raises(HeaderError, match="two saved queries"):
        Catalogue([*clash, *clash])


# --- parameters ---------------------------------------------------------------------------------

def test_parameters_become_typed_terms() -> None:
    query = catalogue().get("accountability-on-date")
    bound = query.bindings({"council": "slough", "date": "2016-01-31"})
    assert bound["council"] == NamedNode(PREFIXES["council"] + "slough")
    assert bound["date"] == Literal("2016-01-31",
                                    datatype=NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    assert query.bindings({"council": "council:leeds"})["council"].value.endswith("/leeds")
    full = "https://w3id.org/csikg/id/council/norfolk"
    assert query.bindings({"council": f"<{full}>"})["council"].value == full


@pytest.mark.parametrize(("params", "error", "message"), [
    ({"colour": "red"}, UnknownParamError, "no parameter 'colour'"),
    ({"date": "2015-02-30"}, ParamValueError, "expects a date"),
    ({"date": "yesterday"}, ParamValueError, "expects a date"),
    ({"council": "doncaster> } ; DROP ALL ; SELECT * { <x"}, ParamValueError, "expects an IRI"),
    ({"council": "javascript:alert(1)"}, ParamValueError, "unknown prefix"),
    ({"council": "nosuch:doncaster"}, ParamValueError, "unknown prefix"),
])
def test_bad_parameters_are_refused_with_a_clear_message(
        params: dict[str, str], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        catalogue().get("accountability-on-date").bindings(params)


def test_unknown_query_names_suggest_the_nearest() -> None:
    with pytest.raises(UnknownQueryError, match="did you mean accountability-on-date"):
        catalogue().get("accountability-on-dates")


def test_a_required_parameter_cannot_be_emptied() -> None:
    with pytest.raises(ParamValueError, match="needs parameter 'policy'"):
        catalogue().get("positions-on-policy").bindings({"policy": ""})


def test_values_block_escapes_every_value() -> None:
    hostile = 'x" } ; DROP ALL ; SELECT * { "'
    text = with_values("SELECT ?o WHERE { ?s ?p ?o }", {"o": Literal(hostile)})
    assert text.count("{") == 3  # the query's group, the VALUES block, nothing injected
    assert '\\"' in text
    assert read_only_violation(text) is None  # the DROP is inside a string literal


@pytest.mark.parametrize("query", [
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/x.ttl>",
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * where { service <http://example.org/sparql> { ?s ?p ?o } }",
    "DROP ALL",
])
def test_updates_and_federation_are_refused(query: str) -> None:
    with pytest.raises(ReadOnlyError):
        check_read_only(query)


def test_keywords_inside_names_strings_and_comments_are_not_refused() -> None:
    check_read_only('PREFIX service: <https://w3id.org/csikg/id/service/>\n'
                    'SELECT ?load WHERE { ?x csi:services service:doncaster-childrens-services ;'
                    ' rdfs:label "DROP the LOAD" . BIND(1 AS ?load) } # INSERT')


# --- engine and result formats ------------------------------------------------------------------

def test_python_api_gives_rows_and_a_dataframe(engine: Engine) -> None:
    results = engine.run("statutory-directions")
    records = results.records(short=True)
    assert {r["council"] for r in records} == {"council:dudley", "council:norfolk"}
    frame = results.dataframe()
    assert list(frame.columns) == results.variables
    assert len(frame) == len(records)


def test_missing_graph_says_to_build_first(tmp_path: Path) -> None:
    with pytest.raises(GraphNotFoundError, match="kg build"):
        Engine.load(tmp_path)


def test_w3c_results_formats_round_trip(engine: Engine) -> None:
    results = engine.run("posts-held", person="dave-hill")
    for fmt, oxi_format in [("json", QueryResultsFormat.JSON), ("xml", QueryResultsFormat.XML),
                            ("tsv", QueryResultsFormat.TSV)]:
        parsed = parse_query_results(results.serialize(fmt).encode(), format=oxi_format)
        assert [v.value for v in parsed.variables] == results.variables
        assert [tuple(s[v] for v in results.variables) for s in parsed] == results.rows, fmt
    table = list(csv.reader(io.StringIO(results.to_csv())))
    assert table[0] == results.variables
    assert len(table) == len(results.rows) + 1
    assert json.loads(engine.sparql("ASK { ?s ?p ?o }").to_json()) == {"head": {},
                                                                      "boolean": True}
    ET.fromstring(results.to_xml())  # well-formed


def test_row_cap_truncates(engine: Engine) -> None:
    results = engine.sparql("SELECT ?s WHERE { ?s ?p ?o }", max_rows=5)
    assert len(results) == 5 and results.truncated


def test_set_columns_are_sorted_whatever_the_engine(engine: Engine) -> None:
    query = catalogue().get("corroborated-statements")
    assert set(query.set_columns) == {"sources", "claimKinds", "otherSources"}
    for record in engine.run(query).records():
        ids = str(record["sources"]).split(" ")
        assert ids == sorted(ids)


# --- expected answers on the real graph ---------------------------------------------------------

def test_accountability_on_date_doncaster_mid_2015(engine: Engine) -> None:
    # 004 (16 July 2013): under government supervision since 2009; 000/003 (no earlier than
    # September 2015): the trust launched in October 2014.
    found = rows(engine, "accountability-on-date", council="doncaster", date="2015-06-01")
    held = {(r["kind"], r["holderLabel"], text(r["start"]), r["status"]) for r in found}
    assert ("operational-control", "Doncaster Children's Services Trust", "2014-10",
            "in force (last attested 2015-09-01)") in held
    assert ("oversight", "UK Government", "2009",
            "last attested 2013-07-16; no later source") in held
    assert ("statutory-responsibility", "Doncaster Council", "",
            "start not stated; last attested 2015-09-01") in held
    # The September 2015 inspection had not happened yet.
    assert "inspection" not in {r["kind"] for r in found}
    assert all(r["quote"] and str(r["source"]).startswith("src:") for r in found)


def test_accountability_on_date_doncaster_after_the_2015_inspection(engine: Engine) -> None:
    found = rows(engine, "accountability-on-date", council="doncaster", date="2016-01-15")
    inspections = {(r["holderLabel"], r["start"], r["statement"]) for r in found
                   if r["kind"] == "inspection"}
    assert inspections == {("Ofsted", "2015-09", "st:doncaster-trust-inspection-2015-inadequate")}


def test_accountability_on_date_never_outruns_the_sources(engine: Engine) -> None:
    found = rows(engine, "accountability-on-date", council="doncaster", date="2016-01-15")
    status = {(r["holderLabel"], r["kind"]): r["status"] for r in found}
    # 004: Impower was brought in "last month" (June 2013) under a "two-year contract".
    assert status[("Impower", "improvement-support")] == (
        "ended: its stated term ran out by 2015-06-30")
    # 004 (16 July 2013) is the only source for the government's supervision since 2009.
    assert status[("UK Government", "oversight")] == "last attested 2013-07-16; no later source"
    # 000: Doncaster Council moved its services to a trust in October 2014.
    assert status[("Doncaster Council", "operational-control")] == (
        "start not stated; superseded from 2014-10-01")
    by_statement = {r["statement"]: r for r in found}
    oversight = by_statement["st:doncaster-government-oversight-2009"]
    assert (str(oversight["knownUntil"]), oversight["untilBasis"]) == (
        "2013-07-16", "last attested")


def test_accountability_in_2030_claims_nothing_in_force(engine: Engine) -> None:
    councils = engine.sparql(
        "SELECT DISTINCT ?c WHERE { ?c a <https://w3id.org/csikg/def/LocalAuthority> } ORDER BY ?c"
    ).column("c")
    assert len(councils) >= 5
    answered = 0
    for council in councils:
        for row in rows(engine, "accountability-on-date", council=council, date="2030-01-01"):
            answered += 1
            assert "in force" not in str(row["status"]) and "within" not in str(row["status"]), row
    assert answered > 0


def test_accountability_on_date_before_the_trust(engine: Engine) -> None:
    found = rows(engine, "accountability-on-date", council="doncaster", date="2014-06-01")
    assert "Doncaster Children's Services Trust" not in {r["holderLabel"] for r in found}
    slough = rows(engine, "accountability-on-date", council="slough", date="2015-10-15")
    assert ("operational-control", "Slough independent children's services trust") in {
        (r["kind"], r["holderLabel"]) for r in slough}


def test_split_responsibility(engine: Engine) -> None:
    found = rows(engine, "split-responsibility")
    splits = {(r["council"], r["operatorLabel"], text(r["operationalFrom"]),
               r["statutoryHolderLabel"], r["status"]) for r in found}
    assert ("council:doncaster", "Doncaster Children's Services Trust", "2014-10",
            "Doncaster Council", "reported") in splits
    # 000 says when the Slough trust was set up (September 2015), not when it took over.
    assert ("council:slough", "Slough independent children's services trust", "",
            "Slough Borough Council", "reported") in splits
    # Birmingham's trust is a plan in the sources (003: "will be established"), never an outcome.
    assert ("council:birmingham", "Birmingham children's services trust (planned)", "",
            "Birmingham City Council", "planned") in splits
    assert {r["role"] for r in found} == {"operational control", "statutory responsibility"}


def test_accountability_concerns(engine: Engine) -> None:
    found = rows(engine, "accountability-concerns")
    concerns = {(r["concern"], r["speakerLabel"]) for r in found}
    assert {("accountability", "Andrew Webb"), ("accountability", "David Simmonds"),
            ("accountability", "Ray Jones"), ("fragmentation", "Andrew Webb"),
            ("fragmentation", "Association of Directors of Children's Services")} <= concerns
    simmonds = [r for r in found if r["speakerLabel"] == "David Simmonds"]
    assert simmonds[0]["capacityLabel"] == "Chair of the LGA Children and Young People Board"
    assert any("Accountability to local residents is vital" in str(r["quote"]) for r in simmonds)
    jones = [r for r in found if r["speakerLabel"] == "Ray Jones"]
    assert any("confusion in terms of accountability" in str(r["quote"]) for r in jones)


def test_inadequate_councils_and_what_followed(engine: Engine) -> None:
    found = rows(engine, "inadequate-councils")
    councils = {r["councilLabel"]: r for r in found}
    assert {"Birmingham City Council", "Doncaster Council", "Dudley Metropolitan Borough Council",
            "Norfolk County Council", "Slough Borough Council"} <= set(councils)
    assert councils["Birmingham City Council"]["inadequateSince"] == "2009"  # 000 and 003
    followed = {(r["councilLabel"], r["interventionKind"], r["decidedByLabel"], r["status"])
                for r in found}
    assert ("Dudley Metropolitan Borough Council", "statutory-direction",
            "Department for Education", "reported") in followed
    assert ("Norfolk County Council", "statutory-direction", "Department for Education",
            "reported") in followed
    assert ("Birmingham City Council", "independent-trust", None, "planned") in followed
    # Doncaster's 2013 plans are not "what followed" its September 2015 judgement.
    doncaster = [r for r in found if r["council"] == "council:doncaster"]
    assert {r["intervention"] for r in doncaster} == {None}


def test_council_timeline_of_doncaster_is_in_date_order(engine: Engine) -> None:
    found = rows(engine, "council-timeline", council="doncaster")
    order = [r["statement"] for r in found]
    milestones = ["st:doncaster-government-supervision-2009", "st:gove-backs-doncaster-trust",
                  "st:doncaster-trust-plan", "st:doncaster-trust-establishment",
                  "st:doncaster-trust-inspection-2015-inadequate"]
    positions = [order.index(m) for m in milestones]
    assert positions == sorted(positions)
    by_statement = {r["statement"]: r for r in found}
    assert by_statement["st:doncaster-trust-plan"]["dateKind"] == "planned for"
    assert by_statement["st:doncaster-trust-plan"]["when"] == "2014-04"
    assert by_statement["st:gove-backs-doncaster-trust"]["when"] == "2013-07-16"
    # Undated statements come after every dated one.
    dated = [r["earliest"] is not None for r in found]
    assert dated == sorted(dated, reverse=True)


def test_trust_start_and_later_inspections(engine: Engine) -> None:
    found = rows(engine, "trust-start-and-inspections")
    doncaster = [r for r in found if r["trustLabel"] == "Doncaster Children's Services Trust"]
    assert {(r["plannedStart"], r["actualStart"]) for r in doncaster} == {("2014-04", "2014-10")}
    assert ("2015-09", "inadequate") in {(r["inspectionDate"], r["found"]) for r in doncaster}
    assert any("improvements" in str(r["found"]) for r in doncaster)
    slough = [r for r in found if r["council"] == "council:slough"]
    assert {(r["actualStart"], r["found"]) for r in slough} == {("2015-09", "inadequate")}
    # How far the sources carry each trust's operational control (never "current").
    assert {(str(r["controlKnownUntil"]), r["controlUntilBasis"]) for r in doncaster} == {
        ("2015-09-01", "last attested")}
    assert "two months" in str(slough[0]["inspectionDate"])  # 003: no date, only "two months"
    planned = {r["trustLabel"] for r in found if r["actualStart"] is None}
    assert "Birmingham children's services trust (planned)" in planned


def test_decision_basis_for_the_doncaster_trust(engine: Engine) -> None:
    found = rows(engine, "decision-basis", decision="gove-backs-doncaster-trust")
    assert len(found) == 1
    row = found[0]
    assert row["decidedByLabel"] == "Michael Gove"
    assert row["capacityLabel"] == "Secretary of State for Education"
    assert str(row["date"]) == "2013-07-16"
    assert row["recommendedByLabel"] == "Doncaster children's services independent review panel"
    assert row["reportLabel"] == ("Report of the independent review panel on Doncaster "
                                  "children's services")
    everything = rows(engine, "decision-basis")
    rejects = {r["decision"]: r for r in everything if r["stance"] == "opposes"}
    assert rejects["st:sw-reform-dfe-rejects-trust-pause"]["recommendedByLabel"] == (
        "House of Commons Education Committee")


def test_commissioners_and_advisers(engine: Engine) -> None:
    found = rows(engine, "commissioners-and-advisers")
    people = {(r["council"], r["personLabel"], r["appointedByLabel"], text(r["date"]),
               r["status"]) for r in found}
    # 004: Gove backs the panel's suggestion that Alan Wood take the role (a proposal).
    assert ("council:doncaster", "Alan Wood", "Michael Gove", "2013-07-16", "planned") in people
    # 001: "government-appointed commissioner Eleanor Brazil".
    assert ("council:dudley", "Eleanor Brazil", "UK Government", "", "reported") in people
    # 003: Ray Jones "drafted in by the government in 2013 to oversee improvements at Sandwell".
    assert ("council:sandwell", "Ray Jones", "UK Government", "2013", "reported") in people
    assert ("council:norfolk", "Dave Hill") in {(r["council"], r["personLabel"]) for r in found}
    advisers = {(r["council"], r["status"]) for r in found if r["person"] is None}
    assert advisers == {("council:dudley", "planned"), ("council:norfolk", "planned")}


def test_statutory_directions(engine: Engine) -> None:
    found = rows(engine, "statutory-directions")
    assert {(r["council"], r["issuedByLabel"], r["onBehalfOfLabel"]) for r in found} == {
        ("council:dudley", "Department for Education", "Justine Greening"),
        ("council:norfolk", "Department for Education", "Justine Greening")}
    dudley = {r["requirement"] for r in found if r["council"] == "council:dudley"}
    assert "submit an improvement plan to the government" in dudley
    assert len(dudley) >= 3


def test_posts_held_by_one_person(engine: Engine) -> None:
    found = rows(engine, "posts-held", person="dave-hill")
    assert {(r["postLabel"], r["organisationLabel"]) for r in found} == {
        ("President of the Association of Directors of Children's Services",
         "Association of Directors of Children's Services"),
        ("Children's services commissioner for Norfolk", "Norfolk County Council")}
    everyone = rows(engine, "posts-held")
    ministers = {(r["personLabel"], text(r["date"]), text(r["lastAttested"]), r["untilBasis"])
                 for r in everyone if r["post"] == "post:secretary-of-state-for-education"}
    # 004 only reports Gove in post as at its date, 16 July 2013: attested, not an event date.
    assert ("Michael Gove", "", "2013-07-16", "last attested") in ministers
    assert "Justine Greening" in {name for name, *_ in ministers}


def test_positions_on_the_independent_trust_model(engine: Engine) -> None:
    found = rows(engine, "positions-on-policy")
    stances = {(r["stakeholderLabel"], r["stance"]) for r in found}
    assert {("Association of Directors of Children's Services", "sceptical"),
            ("Local Government Association", "sceptical"), ("Ray Jones", "sceptical"),
            ("Department for Education", "supports"), ("UK Government", "supports"),
            ("UK Government", "conditional")} <= stances
    # 001: Hill's and Brazil's views are about Norfolk's and Dudley's cases, not the trust model.
    assert not {"Dave Hill", "Eleanor Brazil"} & {r["stakeholderLabel"] for r in found}
    scopes = {(r["stakeholderLabel"], r["scope"]) for r in found}
    assert ("Local Government Association", "case - Doncaster Council") in scopes
    assert ("Association of Directors of Children's Services", "in general") in scopes
    webb = [r for r in found if r["speakerLabel"] == "Andrew Webb"]
    assert webb[0]["capacityLabel"].startswith("President of the Association")
    assert str(webb[0]["date"]) == "2013-07-16"
    # Without the council cases, the LGA's words on the Doncaster decision drop out.
    direct = rows(engine, "positions-on-policy", kind="")
    assert "Local Government Association" not in {r["stakeholderLabel"] for r in direct}
    assert {r["on"] for r in direct} <= {"policy:independent-trust-model"} | {
        r["on"] for r in direct if str(r["on"]).startswith("st:")}


def test_positions_on_another_policy(engine: Engine) -> None:
    found = rows(engine, "positions-on-policy", policy="separate-chief-social-workers")
    assert {(r["stakeholderLabel"], r["stance"]) for r in found} == {("UK Government", "supports")}


def test_stance_matrix(engine: Engine) -> None:
    found = rows(engine, "stance-matrix")
    matrix = {(r["stakeholderLabel"], r["topicLabel"], r["scope"]): str(r["stances"])
              for r in found}
    general = "in general"
    assert matrix[("Association of Directors of Children's Services",
                   "Independent trust model", general)] == "sceptical"
    assert matrix[("UK Government", "Independent trust model", general)] == "conditional supports"
    assert matrix[("Local Government Association", "transfer to an independent trust",
                   "case - Doncaster Council")] == "sceptical"
    assert matrix[("Department for Education", "Independent trust model", general)] == "supports"
    # Views on one council's case are shown as that case, never as views on the policy.
    assert matrix[("Dave Hill", "removal from council control",
                   "case - Norfolk County Council")] == "opposes"
    assert matrix[("Eleanor Brazil", "removal from council control",
                   "case - Dudley Metropolitan Borough Council")] == "opposes"
    on_the_model = [r for r in found if r["topic"] == "policy:independent-trust-model"]
    assert on_the_model and {r["scope"] for r in on_the_model} == {general}
    case_positions = set(engine.sparql(
        "SELECT ?p WHERE { ?p <https://w3id.org/csikg/def/caseOf> ?c }").column("p", short=True))
    model_positions = set(engine.sparql(
        "PREFIX csi: <https://w3id.org/csikg/def/>\n"
        "SELECT ?p WHERE { ?p a csi:Position ; csi:topic "
        "<https://w3id.org/csikg/id/policy/independent-trust-model> }").column("p", short=True))
    assert case_positions and not case_positions & model_positions
    # 000: the government dismissed the call for one chief social worker; backing separate
    # chief social workers is no support for the single one.
    single = "A single chief social worker outside departmental structures"
    assert ("UK Government", single) not in matrix
    # 003: Ray Jones speaks as an academic, not for Kingston University.
    assert matrix[("Ray Jones", "transfer to an independent trust",
                   "case - Birmingham City Council")] == "opposes sceptical"
    # Two councils' cases are two rows, never merged into one.
    lga = {scope for (who, _, scope) in matrix if who == "Local Government Association"}
    assert {"case - Doncaster Council", general} <= lga


def test_stance_changes(engine: Engine) -> None:
    found = rows(engine, "stance-changes")
    pairs = {(r["stakeholderLabel"], r["topic"], frozenset({r["firstStance"], r["secondStance"]}),
              r["change"]) for r in found}
    assert ("UK Government", "policy:independent-trust-model",
            frozenset({"supports", "conditional"}), "within one source") in pairs
    assert {r["scope"] for r in found if r["topic"] == "policy:independent-trust-model"} == {
        "in general"}
    assert all(r["firstStance"] != r["secondStance"] for r in found)


def test_entity_evidence_for_alan_wood_quotes_the_sources(engine: Engine, corpus: Path) -> None:
    found = rows(engine, "entity-evidence", entity="person:alan-wood")
    statements = {r["statement"] for r in found}
    assert {"st:doncaster-commissioner-appointment-alan-wood",
            "st:doncaster-alan-wood-hackney-dcs-2013"} <= statements
    assert {r["property"] for r in found if r["statement"] ==
            "st:doncaster-commissioner-appointment-alan-wood"} == {"csi:appointee"}
    for row in found:  # every quote is in its source, word for word
        source_id = str(row["source"]).removeprefix("src:")
        assert fold(str(row["quote"])) in fold((corpus / f"{source_id}.txt").read_text())


def test_single_source_and_corroborated_statements_partition(engine: Engine) -> None:
    single = {r["statement"]: r for r in rows(engine, "single-source-statements")}
    corroborated = {r["statement"]: r for r in rows(engine, "corroborated-statements")}
    assert not set(single) & set(corroborated)
    assert single["st:doncaster-trust-plan"]["source"] == "004_dd1639bb877fd76f"
    # 000 and 003 both report the Doncaster trust's launch in October 2014.
    launch = corroborated["st:doncaster-trust-establishment"]
    assert launch["sources"] == "000_09276d63d6a2d610 003_51ba7b2c6747c069"
    assert launch["sourceCount"] == 2
    assert "st:birmingham-inadequate-since-2009" in corroborated
    # 001 dates it to December 2015, 002 reports Cameron unveiling it: one event, two sources.
    announcement = corroborated["st:cameron-reforms-announcement"]
    assert announcement["sources"] == "001_6e72c5e86b3c3b56 002_fd503eedf0b63223"
    # An inference or partial support never counts as a second source.
    assert "st:doncaster-council-statutory-responsibility" in single  # 000 and 004: inferences
    assert single["st:doncaster-council-statutory-responsibility"]["independentSources"] == 0
    assert "st:norfolk-report-mixed-findings" in single  # 002 supports only "failings"
    for statement, row in corroborated.items():
        for source_id in str(row["sources"]).split(" "):
            own_words = engine.sparql(
                "PREFIX csi: <https://w3id.org/csikg/def/>\n"
                "PREFIX oa: <http://www.w3.org/ns/oa#>\n"
                "ASK { ?s csi:evidence ?e . ?e oa:hasSource/csi:corpusId ?id ; csi:claimKind ?k ."
                " FILTER (?k != <https://w3id.org/csikg/def/claim-kind/inference>)"
                " FILTER NOT EXISTS { ?e csi:supportsPart ?part } }",
                {"s": NamedNode(PREFIXES["st"] + statement.removeprefix("st:")),
                 "id": Literal(source_id)})
            assert own_words.boolean, (statement, source_id)
    count = engine.sparql(
        "PREFIX csi: <https://w3id.org/csikg/def/>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT (COUNT(DISTINCT ?s) AS ?n) "
        "WHERE { ?s a/rdfs:subClassOf* csi:Statement ; csi:evidence ?e }")
    assert len(single) + len(corroborated) == count.records()[0]["n"]


def test_source_differences_plan_against_outcome(engine: Engine) -> None:
    found = rows(engine, "source-differences")
    # 004 (16 July 2013): in place "by April 2014"; 000/003: launched October 2014.
    assert ("planned date against what happened", "st:doncaster-trust-plan", "2014-04",
            "st:doncaster-trust-establishment", "2014-10", "later than the first") in {
        (r["difference"], r["first"], r["firstValue"], r["second"], r["secondValue"],
         r["verdict"]) for r in found}


def test_source_differences_include_conflicting_accounts(engine: Engine) -> None:
    # 004's headline says Doncaster is "to be stripped of" responsibility; 000 and 004 (ADCS) say
    # the council's statutory responsibilities stay with it.
    conflicts = [
        (r["first"], r["second"], r["firstSources"], r["secondSources"])
        for r in rows(engine, "source-differences")
        if r["difference"] == "statements that conflict"
    ]
    assert conflicts == [
        ("st:cameron-reforms-academy-style-system-plan",
         "st:december-2015-commissioners-and-takeover-plan",
         "002_fd503eedf0b63223", "001_6e72c5e86b3c3b56"),
        ("st:doncaster-council-statutory-responsibility",
         "st:doncaster-headline-stripped-of-responsibility",
         "000_09276d63d6a2d610 004_dd1639bb877fd76f", "004_dd1639bb877fd76f")]


def test_source_differences_show_supersession(engine: Engine) -> None:
    found = {(r["first"], r["second"]) for r in rows(engine, "source-differences")
             if r["difference"] == "a later statement supersedes an earlier one"}
    assert ("st:doncaster-council-operational-control",
            "st:doncaster-trust-operational-control") in found


def test_intervention_triggers_side_by_side(engine: Engine) -> None:
    found = rows(engine, "intervention-triggers")
    versions = {(r["source"], r["judgement"], r["timesJudged"], text(r["withinPeriod"]),
                 text(r["improvementDeadline"])) for r in found}
    # 000: "rated 'inadequate' twice in five years, or ... found inadequate on all key judgments".
    assert ("000_09276d63d6a2d610", "inadequate", 2, "P5Y", "") in versions
    # 001: "rated 'inadequate' more than once ... failed to show improvements within six months".
    assert ("001_6e72c5e86b3c3b56", "inadequate", 2, "", "P6M") in versions
    # 002: "any local authority judged as inadequate ... within six months".
    assert ("002_fd503eedf0b63223", "inadequate", 1, "", "P6M") in versions
    assert {r["source"] for r in found} == {
        "000_09276d63d6a2d610", "001_6e72c5e86b3c3b56", "002_fd503eedf0b63223"}
    differs = {r["statement"]: str(r["differsFrom"]) for r in found if r["differsFrom"]}
    assert "december-2015-commissioners-and-takeover-plan" in differs[
        "st:cameron-reforms-academy-style-system-plan"]
    for row in found:  # every condition quotes its source
        assert row["quote"] and row["claimKind"] == "plan"


def test_trusts_by_initiative(engine: Engine) -> None:
    found = rows(engine, "trusts-by-initiative")
    initiative = {(r["trustLabel"], r["initiativeName"]) for r in found}
    assert initiative == {
        ("Doncaster Children's Services Trust", "imposed"),  # 004: legal orders
        ("Slough independent children's services trust", "council-led"),  # 000: set up by Slough
        ("Birmingham children's services trust (planned)", "voluntary"),  # 003
        ("Sunderland children's services voluntary trust (planned)", "voluntary"),  # 002
    }
    assert all(r["quote"] for r in found)
    voluntary = rows(engine, "trusts-by-initiative", initiative="voluntary")
    assert {r["initiativeName"] for r in voluntary} == {"voluntary"}


def test_candidate_duplicates_across_sources(engine: Engine) -> None:
    found = rows(engine, "candidate-duplicates")
    assert found
    for row in found:
        first = set(str(row["firstSources"]).split(" "))
        second = set(str(row["secondSources"]).split(" "))
        assert not first & second, row  # across sources only
    pairs = {frozenset({r["first"], r["second"]}) for r in found}
    # The merged announcement no longer shows up as two nodes.
    assert not any("norfolk-dudley-december-2015" in str(p) for pair in pairs for p in pair)


def test_sources_overview(engine: Engine) -> None:
    found = {r["id"]: r for r in rows(engine, "sources-overview")}
    assert {"000_09276d63d6a2d610", "001_6e72c5e86b3c3b56", "002_fd503eedf0b63223",
            "003_51ba7b2c6747c069", "004_dd1639bb877fd76f"} <= set(found)
    doncaster = found["004_dd1639bb877fd76f"]
    assert (doncaster["author"], str(doncaster["date"])) == ("Derren Hayes", "2013-07-16")
    assert {"Andrew Webb", "David Simmonds", "Michael Gove"} <= set(
        str(doncaster["quoted"]).split("; "))
    norfolk = found["001_6e72c5e86b3c3b56"]
    assert norfolk["publisher"] == "Community Care"
    assert norfolk["date"] is None and norfolk["notBefore"] == "2015-12"  # inferred, not stated
    assert all(int(str(r["statements"])) > 0 for sid, r in found.items() if curated(str(sid)))


def test_results_compare_by_value(engine: Engine) -> None:
    # Engine-equivalence checks compare text values, never term objects (see test_remote).
    results = engine.run("stance-matrix")
    assert isinstance(results, Results)
    assert all(isinstance(cell, str) for row in results.texts() for cell in row)


DATE_CLUES = """
PREFIX csi: <https://w3id.org/csikg/def/>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT DISTINCT ?statement ?clue WHERE {
  ?statement csi:dateAsStated ?asStated ; csi:evidence ?evidence .
  ?evidence csi:claimKind <https://w3id.org/csikg/def/claim-kind/inference> ;
      oa:hasSelector/oa:exact ?clue .
}
"""


def test_inference_rows_quote_the_fact_and_the_date_clue_apart(engine: Engine,
                                                                corpus: Path) -> None:
    """A date inference's quote is the clue to a relative date; the row's quote is the fact."""
    clues = {(shorten(s), c) for s, c in engine.sparql(DATE_CLUES).texts()}
    assert clues, "the graph has relative dates resolved by a date inference"
    for name, params in [("accountability-on-date", {"council": "doncaster",
                                                     "date": "2016-01-15"}),
                         ("entity-evidence", {"entity": "council:doncaster"})]:
        found = rows(engine, name, **params)
        clued = [r for r in found if r["dateClue"]]
        assert clued, name
        for row in clued:
            assert row["claimKind"] == "inference"
            assert (row["statement"], row["dateClue"]) in clues
            assert row["quote"] != row["dateClue"]
            # the quote is the fact's own words, as another row of the statement quotes them
            assert any(other["quote"] == row["quote"] and other["claimKind"] != "inference"
                       for other in found if other["statement"] == row["statement"])
            source = (corpus / f"{str(row['source']).removeprefix('src:')}.txt").read_text()
            assert fold(str(row["dateClue"])) in fold(source)
            assert fold(str(row["quote"])) in fold(source)
