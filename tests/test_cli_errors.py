"""Bad input anywhere in the CLI is one line on stderr and exit 2, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli.main import main

LATIN1 = 'SELECT * WHERE { ?s ?p "caf\xe9" }\n'.encode("latin-1")


def refused(*args: str, stdin: bytes | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), input=stdin)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert "error: " in result.stderr.lower(), result.stderr  # ours, or click's usage error
    return result


@pytest.fixture
def damaged(dist: Path, tmp_path: Path) -> Path:
    """A copy of the published build whose kg.trig was cut short."""
    copy = tmp_path / "dist"
    shutil.copytree(dist, copy)
    data = (copy / "kg.trig").read_bytes()
    (copy / "kg.trig").write_bytes(data[: len(data) // 2])
    return copy


def test_fmt_a_missing_file() -> None:
    assert "no-such.ttl: no such file" in refused("fmt", "no-such.ttl").stderr


def test_fmt_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_bytes(b'@prefix ex: <http://example.org/> .\nex:a ex:b "caf\xe9" .\n')
    assert f"{bad}:2: not UTF-8" in refused("fmt", "--check", str(bad)).stderr


def test_sparql_a_file_that_is_not_utf8(tmp_path: Path, dist: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_bytes(LATIN1)
    assert f"{query}:1: not UTF-8" in refused("sparql", str(query), "--dist", str(dist)).stderr


def test_sparql_stdin_that_is_not_utf8(dist: Path) -> None:
    assert "not UTF-8" in refused("sparql", "-", "--dist", str(dist), stdin=LATIN1).stderr


def test_stats_on_a_damaged_build(damaged: Path) -> None:
    assert "kg.trig" in refused("stats", "--dist", str(damaged)).stderr


def test_query_on_a_damaged_build(damaged: Path) -> None:
    refused("query", "statutory-directions", "--dist", str(damaged))


@pytest.mark.parametrize("under", ["", "sub"])
def test_export_to_a_file_or_under_one(dist: Path, tmp_path: Path, under: str) -> None:
    target = tmp_path / "a-file"
    target.write_text("mine")
    refused("export", "--dist", str(dist), "--out", str(target / under))
    assert target.read_text() == "mine"


def test_validate_with_a_corpus_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "corpus").write_text("not a folder")
    assert "is a file" in refused("validate", "--corpus", str(tmp_path / "corpus")).stderr


def test_an_unknown_council_gets_the_closest_names(dist: Path) -> None:
    result = refused("query", "accountability-on-date", "-p", "council=doncster",
                     "-p", "date=2016-01-15", "--dist", str(dist))
    assert "council:doncster" in result.stderr
    assert "did you mean council:doncaster (Doncaster Council)" in result.stderr


def test_an_unknown_person_by_prefixed_name(dist: Path) -> None:
    result = refused("query", "posts-held", "-p", "person=person:dave-hil", "--dist", str(dist))
    assert "did you mean person:dave-hill" in result.stderr


def test_a_value_outside_the_allowed_values_names_them(dist: Path) -> None:
    from kg.query.catalogue import catalogue
    from kg.query.choices import query_choices
    from kg.query.engine import Engine

    engine = Engine.load(dist)
    query = catalogue().get("council-timeline")
    councils = query_choices(query, engine.sparql)["council"]
    # A person the graph knows is no council: refused (it would answer "(0 rows)"), naming
    # the council parameter's allowed values by slug and label.
    assert engine.labels(["https://w3id.org/csikg/id/person/dave-hill"])
    result = refused("query", "council-timeline", "-p", "council=person:dave-hill",
                     "--dist", str(dist))
    assert f"is not one of its {len(councils)} allowed values" in result.stderr
    doncaster = next(c for c in councils if c.value == "doncaster")
    assert f"council:doncaster ({doncaster.label})" in result.stderr
    # A council's label misspelt is refused with the nearest councils; typed in full, with
    # the slug it names.
    misspelt = doncaster.label.replace("Doncaster", "Doncster")
    result = refused("query", "council-timeline", "-p", f"council={misspelt}", "--dist", str(dist))
    assert "no allowed value is called" in result.stderr
    assert f"did you mean council:doncaster ({doncaster.label})" in result.stderr
    result = refused("query", "council-timeline", "-p", f"council={doncaster.label}",
                     "--dist", str(dist))
    assert f"give the value it names: council:doncaster ({doncaster.label})" in result.stderr


def test_a_known_entity_still_answers(dist: Path) -> None:
    result = CliRunner().invoke(main, ["query", "accountability-on-date", "-p",
                                       "council=doncaster", "-p", "date=2016-01-15",
                                       "--dist", str(dist)])
    assert result.exit_code == 0, result.output
    assert "(0 rows)" not in result.output


@pytest.mark.parametrize("value", ["20160115", "2016-1-15", "2016-W03-5", "15/01/2016",
                                   "2016-01-15T00:00", "２０１６-01-15", "2016-02-30"])
def test_dates_must_be_yyyy_mm_dd(value: str, dist: Path) -> None:
    result = refused("query", "accountability-on-date", "-p", "council=doncaster",
                     "-p", f"date={value}", "--dist", str(dist))
    assert "YYYY-MM-DD" in result.stderr
