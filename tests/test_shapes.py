"""The shapes against their fixtures: one case per file, the expectation inline.

Like the W3C data-shapes test suite, every file under tests/fixtures/ starts with
``# expect: <the exact sh:message that must fire>`` (or ``# expect: conforms``). Data fixtures
(fixtures/shapes/) are validated together with the ontology and the registry, as the build does;
lint fixtures (fixtures/lint/) are small ontology fragments validated against ontology/lint.ttl.
Every sh:message in ontology/shapes.ttl and ontology/lint.ttl must be expected by some fixture, so
a new shape without a fixture fails the suite.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Literal, URIRef
from rdflib.namespace import SH

from kg.build.loading import LINT_FILE, SHAPES_FILE, load_ontology, parse_turtle
from kg.build.pipeline import assemble
from kg.build.validation import Problem, ValidationReport, _shacl_problems
from kg.namespaces import CSI, DATA_DIR, ID

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATA_FIXTURES = sorted((FIXTURES / "shapes").glob("*.ttl"))
LINT_FIXTURES = sorted((FIXTURES / "lint").glob("*.ttl"))
VALID = FIXTURES / "shapes" / "valid.ttl"
CONFORMS = "conforms"
_EXPECT = re.compile(r"^# expect: (?P<message>.+)$")


def expectation(path: Path) -> str:
    """The message a fixture expects (its first line), or "conforms"."""
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    found = _EXPECT.match(first)
    if found is None:
        raise ValueError(f"{path}: the first line must be '# expect: <sh:message or conforms>'")
    return found["message"].strip()


def shape_messages(path: Path) -> set[str]:
    return {str(message) for message in parse_turtle(path).objects(None, SH.message)}


def _id(path: Path) -> str:
    return path.stem


def validate_fixture(fixture: Path) -> ValidationReport:
    """Assemble the ontology, the registry and one fixture, as the build does, and validate."""
    return assemble(None, files=[DATA_DIR / "entities.ttl"], extra=[fixture]).report


def _explain(problems: list[Problem]) -> str:
    return "\n".join(f"- {problem.line()}" for problem in problems) or "(no problems)"


def test_every_fixture_states_its_expectation() -> None:
    assert VALID in DATA_FIXTURES
    for path in [*DATA_FIXTURES, *LINT_FIXTURES]:
        expectation(path)


def test_valid_fixture_conforms() -> None:
    assert expectation(VALID) == CONFORMS
    report = validate_fixture(VALID)
    assert report.conforms, _explain(report.problems)


def test_valid_fixture_has_every_statement_class() -> None:
    """One statement of every class under csi:Statement, so that no class goes untested."""
    ontology = load_ontology()
    classes = set(ontology.transitive_subjects(RDFS.subClassOf, CSI.Statement)) - {CSI.Statement}
    assert all((c, RDF.type, OWL.Class) in ontology for c in classes)
    fixture = parse_turtle(VALID)
    typed = set(fixture.objects(None, RDF.type))
    missing = sorted(str(c) for c in classes - typed)
    assert not missing, f"valid.ttl has no statement of: {missing}"
    statement_prefix = str(ID) + "statement/"
    for statement in fixture.subjects(RDF.type, None):
        if isinstance(statement, URIRef) and str(statement).startswith(statement_prefix):
            assert str(statement).startswith(statement_prefix + "fixture-"), statement


@pytest.mark.parametrize(
    "fixture", [p for p in DATA_FIXTURES if expectation(p) != CONFORMS], ids=_id
)
def test_invalid_data_fixture_fires_only_its_shape(
    fixture: Path,
) -> None:
    expected = expectation(fixture)
    report = validate_fixture(fixture)
    assert not report.conforms, f"{fixture.name} should violate: {expected}"
    assert expected in {p.message for p in report.problems}, _explain(report.problems)
    for problem in report.problems:
        assert problem.check == "shapes", problem.line()
        assert fixture.name in problem.files, f"fired outside the fixture: {problem.line()}"
    others = [p for p in report.problems if p.message != expected]
    assert not others, _explain(report.problems)


@pytest.mark.parametrize("fixture", LINT_FIXTURES, ids=_id)
def test_lint_fixture(fixture: Path) -> None:
    expected = expectation(fixture)
    problems = _shacl_problems(parse_turtle(fixture), parse_turtle(LINT_FILE), "lint", None)
    if expected == CONFORMS:
        assert not problems, _explain(problems)
    else:
        assert {p.message for p in problems} == {expected}, _explain(problems)


@pytest.mark.parametrize(
    ("shapes", "fixtures"),
    [(SHAPES_FILE, DATA_FIXTURES), (LINT_FILE, LINT_FIXTURES)],
    ids=["shapes", "lint"],
)
def test_every_message_has_a_fixture(shapes: Path, fixtures: list[Path]) -> None:
    messages = shape_messages(shapes)
    expected = {expectation(path) for path in fixtures} - {CONFORMS}
    assert not messages - expected, f"shapes without a fixture: {sorted(messages - expected)}"
    unknown = sorted(expected - messages)
    assert not unknown, f"fixtures expecting a message that no shape has: {unknown}"


def test_messages_are_plain_strings() -> None:
    """Fixtures match messages by their text, so a message must not depend on a language tag."""
    for path in (SHAPES_FILE, LINT_FILE):
        for message in parse_turtle(path).objects(None, SH.message):
            assert isinstance(message, Literal) and message.language is None, message


def test_a_dangling_participant_names_its_property_not_a_blank_node() -> None:
    # issue 9 item 7: the shape's path is an sh:alternativePath (a blank node); the report names
    # the property that points at the undescribed thing.
    report = validate_fixture(FIXTURES / "shapes" / "dangling-participant.ttl")
    paths = [p.path for p in report.problems if "not described" in p.message]
    assert paths == ["csi:authority"]
    assert "path csi:authority; value council:doncastr" in report.text()
