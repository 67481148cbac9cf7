"""kg query, kg sparql, kg publish and kg serve from the command line: output and exit codes."""

from __future__ import annotations

import csv
import io
import json
import socket
from pathlib import Path

from click.testing import CliRunner
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

from kg.cli.main import main
from kg.cli.table import EVIDENCE
from kg.query.catalogue import catalogue
from kg.query.citations import citations
from kg.query.engine import BOM, Engine, term_text


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_list_shows_every_saved_query() -> None:
    code, out, _ = run("query", "--list")
    assert code == 0
    for query in catalogue():
        assert f"{query.topic}/{query.name}" in out
        assert query.summary in out
    assert "-p council=..." in out
    code, out, _ = run("query", "--list", "--format", "json")
    assert {q["name"] for q in json.loads(out)} == set(catalogue().queries)


def test_query_table_fits_the_width_and_groups_evidence(dist: Path) -> None:
    engine = Engine.load(dist)
    params = {"council": "doncaster", "date": "2016-01-15"}
    results = engine.run("accountability-on-date", **params)
    query = catalogue().get("accountability-on-date")
    args = ["query", "accountability-on-date", "-p", "council=doncaster", "-p",
            "date=2016-01-15", "--dist", str(dist)]
    for width in (80, 120):
        code, out, _ = run(*args, "--width", str(width))
        assert code == 0, out
        assert max(len(line) for line in out.splitlines()) <= width
    # one row per statement, however many pieces of evidence it has
    statements = {row["statement"] for row in results}
    assert len(statements) < len(results.rows)
    assert out.splitlines()[-1] == (f"({len(statements)} rows from {len(results.rows)} "
                                    "solutions, evidence grouped)")
    code, out, _ = run(*args, "--format", "md")  # the same view, with no cell wrapped
    lines = out.splitlines()
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header[:2] == ["kind", "holder"] and "evidence" in header  # holderLabel, as holder
    assert len(header) == len([c for c in query.columns if c not in EVIDENCE]) + 1
    assert len(lines) == 2 + len(statements)
    # sources as short citations, never as corpus ids; every quote in full
    cited = citations(engine)
    for row in results:
        citation = cited[term_text(row["source"])]
        assert citation.short in out and citation.id not in out
        assert term_text(row["quote"]) in out
    # a date inference's clue stands apart from the fact it dates
    clues = [term_text(row["dateClue"]) for row in results if row["dateClue"]]
    assert clues and all(f"date from “{clue}”" in out for clue in clues)


def test_a_statement_named_twice_is_one_row(dist: Path) -> None:
    """entity-statements has a row per way a statement names the entity (a hidden column):
    the table still shows each statement once."""
    engine = Engine.load(dist)
    named_twice = set()
    for entity in ("council:slough", "council:doncaster"):
        results = engine.run("entity-statements", entity=entity)
        statements = {row["statement"] for row in results}
        named_twice |= {s for s in statements
                        if len({r["property"] for r in results if r["statement"] == s}) > 1}
        code, out, _ = run("query", "entity-statements", "-p", f"entity={entity}",
                           "--dist", str(dist), "--width", "200")
        assert code == 0, out
        assert out.splitlines()[-1].startswith(f"({len(statements)} rows from "), entity
    assert named_twice  # the real graph has such a statement


def test_query_table_columns_labels_and_all_columns(dist: Path) -> None:
    args = ["query", "accountability-on-date", "-p", "council=doncaster", "-p",
            "date=2016-01-15", "--dist", str(dist), "--width", "400"]
    code, out, _ = run(*args, "-c", "kind,holder")
    assert code == 0
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines[0].split() == ["kind", "holder"]
    assert "Doncaster Council" in out and "council:doncaster" not in out  # labels, not IRIs
    results = Engine.load(dist).run("accountability-on-date", council="doncaster",
                                    date="2016-01-15")
    statements = {row["statement"] for row in results}  # the hidden evidence is still grouped
    assert len(lines) - 3 == len(statements)
    assert lines[-1] == (f"({len(statements)} rows from {len(results.rows)} solutions, "
                         "evidence grouped)")
    code, out, _ = run(*args, "--all-columns", "--format", "md")
    header = [cell.strip() for cell in out.splitlines()[0].strip("|").split("|")]
    variables = results.variables
    assert [h for h in header if h != "evidence"] == [v for v in variables if v not in EVIDENCE]
    assert "evidence" in header
    code, _, err = run(*args, "-c", "kind", "--all-columns")
    assert code == 2 and "not both" in err


def test_machine_formats_keep_one_row_per_solution(dist: Path) -> None:
    results = Engine.load(dist).run("accountability-on-date", council="doncaster",
                                    date="2016-01-15")
    code, out, _ = run("query", "accountability-on-date", "-p", "council=doncaster", "-p",
                       "date=2016-01-15", "--dist", str(dist), "--format", "csv",
                       "-c", "kind,quote,source")
    assert code == 0
    table = list(csv.reader(io.StringIO(out)))
    assert table[0] == ["kind", "quote", "source"]
    assert len(table) == len(results.rows) + 1
    assert {row[2] for row in table[1:]} == {term_text(r["source"]) for r in results}


def test_csv_for_excel_starts_with_a_byte_order_mark(dist: Path) -> None:
    args = ["query", "accountability-on-date", "--dist", str(dist), "--format", "csv"]
    plain = CliRunner().invoke(main, args).stdout_bytes
    excel = CliRunner().invoke(main, [*args, "--excel"]).stdout_bytes
    assert not plain.startswith(BOM) and excel == BOM + plain
    code, _, err = run("query", "accountability-on-date", "--dist", str(dist), "--excel")
    assert code == 2 and "--format csv" in err


def test_query_csv_is_the_w3c_format(dist: Path) -> None:
    code, out, _ = run("query", "statutory-directions", "--format", "csv", "--dist", str(dist))
    assert code == 0
    table = list(csv.DictReader(io.StringIO(out)))
    assert {row["onBehalfOfLabel"] for row in table} == {"Justine Greening"}
    assert {row["council"] for row in table} == {"https://w3id.org/csikg/id/council/dudley",
                                                 "https://w3id.org/csikg/id/council/norfolk"}


def test_query_json_is_the_w3c_format(dist: Path) -> None:
    code, out, _ = run("query", "posts-held", "-p", "person=dave-hill", "--format", "json",
                       "--dist", str(dist))
    assert code == 0
    solutions = list(parse_query_results(out.encode(), format=QueryResultsFormat.JSON))
    assert {s["postLabel"].value for s in solutions} == {
        "President of the Association of Directors of Children's Services",
        "Children's services commissioner for Norfolk"}


def test_query_markdown_and_columns(dist: Path) -> None:
    code, out, _ = run("query", "trust-start-and-inspections", "--format", "md", "--dist",
                       str(dist), "-c", "trustLabel,plannedStart,actualStart")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "| trust | plannedStart | actualStart |"
    assert "| Doncaster Children's Services Trust | 2014-04 | 2014-10 |" in lines
    code, _, err = run("query", "trust-start-and-inspections", "--dist", str(dist), "-c", "nope")
    assert code == 2 and "no column 'nope'" in err


def test_show_prints_the_bound_query() -> None:
    code, out, _ = run("query", "council-timeline", "-p", "council=slough", "--show")
    assert code == 0
    assert "VALUES (?council) { (<https://w3id.org/csikg/id/council/slough>) }" in out


def test_bad_name_param_and_value_exit_2(dist: Path) -> None:
    code, _, err = run("query", "accountabilty-on-date", "--dist", str(dist))
    assert code == 2 and "no saved query called 'accountabilty-on-date'" in err
    assert "did you mean accountability-on-date" in err
    code, _, err = run("query", "accountability-on-date", "-p", "colour=red", "--dist", str(dist))
    assert code == 2 and "has no parameter 'colour'" in err
    code, _, err = run("query", "accountability-on-date", "-p", "date=16/07/2013",
                       "--dist", str(dist))
    assert code == 2 and "expects a date YYYY-MM-DD" in err
    code, _, err = run("query", "accountability-on-date", "-p", "date", "--dist", str(dist))
    assert code == 2 and "-p key=value" in err
    code, _, err = run("query")
    assert code == 2 and "--list" in err


def test_missing_build_exit_2(tmp_path: Path) -> None:
    code, _, err = run("query", "stance-matrix", "--dist", str(tmp_path))
    assert code == 2 and "kg build" in err


def test_sparql_text_file_and_stdin(dist: Path, tmp_path: Path) -> None:
    query = ("SELECT ?label WHERE { <https://w3id.org/csikg/id/person/alan-wood> "
             "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")
    code, out, _ = run("sparql", query, "--dist", str(dist), "--format", "csv")
    assert (code, out.splitlines()) == (0, ["label", "Alan Wood"])
    path = tmp_path / "q.rq"
    path.write_text(query)
    assert run("sparql", str(path), "--dist", str(dist), "--format", "csv")[1] == out
    assert run("sparql", "-", "--dist", str(dist), "--format", "csv", stdin=query)[1] == out
    code, out, _ = run("sparql", "ASK { ?s ?p ?o }", "--dist", str(dist))
    assert (code, out.strip()) == (0, "true")


def test_sparql_construct_gives_a_graph(dist: Path) -> None:
    code, out, _ = run("sparql", "CONSTRUCT WHERE { ?s a <https://w3id.org/csikg/def/Direction> }",
                       "--dist", str(dist), "--format", "ntriples")
    assert code == 0
    subjects = {t.subject.value for t in parse(out.encode(), format=RdfFormat.N_TRIPLES)}
    assert subjects == {"https://w3id.org/csikg/id/statement/dudley-direction",
                        "https://w3id.org/csikg/id/statement/norfolk-direction"}
    code, _, err = run("sparql", "CONSTRUCT WHERE { ?s ?p ?o }", "--dist", str(dist),
                       "--format", "csv")
    assert code == 2 and "turtle or ntriples" in err


def test_sparql_refuses_updates_and_bad_syntax(dist: Path) -> None:
    code, _, err = run("sparql", "DELETE WHERE { ?s ?p ?o }", "--dist", str(dist))
    assert code == 2 and "DELETE is not allowed" in err
    code, _, err = run("sparql", "SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }",
                       "--dist", str(dist))
    assert code == 2 and "SERVICE" in err
    code, _, err = run("sparql", "SELECT ?x WHERE {", "--dist", str(dist))
    assert code == 2 and "syntax error" in err
    code, _, err = run("sparql", "missing.rq", "--dist", str(dist))
    assert code == 2 and "no such file" in err


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_publish_to_an_unreachable_server_exit_2(dist: Path) -> None:
    code, _, err = run("publish", "--endpoint", f"http://127.0.0.1:{_closed_port()}/query",
                       "--dist", str(dist))
    assert code == 2 and "cannot reach" in err
    code, _, err = run("publish", "--endpoint", "ftp://example.org/query", "--dist", str(dist))
    assert code == 2 and "not an http(s) URL" in err
    code, _, err = run("publish", "--endpoint", "http://127.0.0.1:1/somewhere", "--dist",
                       str(dist))
    assert code == 2 and "--store" in err


def test_query_against_an_unreachable_endpoint_exit_2() -> None:
    code, _, err = run("query", "stance-matrix", "--endpoint",
                       f"http://127.0.0.1:{_closed_port()}/query")
    assert code == 2 and "cannot reach" in err


def test_serve_refuses_a_busy_port(dist: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        code, _, err = run("serve", "--port", str(port), "--dist", str(dist))
    assert code == 2 and f"cannot listen on 127.0.0.1:{port}" in err
    code, out, _ = run("serve", "--help")
    assert code == 0 and "read-only" in out
