"""pySHACL (the reference) and pyshacl-turbo (the opt-in fast validator) give the same set of
results - focus node, path, constraint component, severity - on the real graph, every invalid
fixture under tests/fixtures/ and a synthetic graph with injected violations.

Skipped, saying why, where the `fast` extra is not installed (make and CI install it).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg.build.loading import LINT_FILE, SHAPES_FILE, parse_turtle
from kg.build.pipeline import assemble
from kg.build.shacl import PYSHACL, TURBO, result_keys, run_shapes, turbo_available
from kg.build.validation import validate
from kg.namespaces import CSI, DATA_DIR
from kg.synth import generate

pytestmark = pytest.mark.skipif(
    not turbo_available(), reason="pyshacl-turbo is not installed (pip install -e '.[fast]')"
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
INVALID_DATA = sorted(
    p for p in [*(FIXTURES / "shapes").glob("*.ttl"), FIXTURES / "statement-without-evidence.ttl"]
    if p.name != "valid.ttl"
)
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")
INVALID_LINT = sorted(p for p in (FIXTURES / "lint").glob("*.ttl") if p.name != "valid.ttl")


def _agree(data: Graph, shapes: Graph) -> set[tuple[str, str, str, str]]:
    reference_conforms, reference = run_shapes(data, shapes, PYSHACL)
    fast_conforms, fast = run_shapes(data, shapes, TURBO)
    expected, found = result_keys(reference, shapes), result_keys(fast, shapes)
    assert found == expected, (
        f"only pySHACL: {sorted(expected - found)}\nonly turbo: {sorted(found - expected)}"
    )
    assert fast_conforms == reference_conforms
    return expected


def test_they_agree_on_the_real_graph() -> None:
    _agree(assemble(None).graph, parse_turtle(SHAPES_FILE))


@pytest.mark.parametrize("fixture", INVALID_DATA, ids=lambda p: p.stem)
def test_they_agree_on_each_invalid_data_fixture(fixture: Path) -> None:
    """The same results, and the same problems in the build's words (messages, paths, values)."""
    assembled = assemble(None, files=[DATA_DIR / "entities.ttl"], extra=[fixture],
                         validator=PYSHACL)
    assert _agree(assembled.graph, parse_turtle(SHAPES_FILE)), "the fixture should break a shape"
    reports = [
        validate(assembled.dataset, assembled.graph, None, validator=name).problems
        for name in (PYSHACL, TURBO)
    ]
    assert sorted(map(repr, reports[0])) == sorted(map(repr, reports[1]))


@pytest.mark.parametrize("fixture", INVALID_LINT, ids=lambda p: p.stem)
def test_they_agree_on_each_invalid_lint_fixture(fixture: Path) -> None:
    assert _agree(parse_turtle(fixture), parse_turtle(LINT_FILE)), "should break a lint rule"


def _inject_violations(graph: Graph, seed: int) -> None:
    """Break a valid graph in many ways at once: drop a sample of its triples (required values
    go missing, links dangle), give dates the wrong datatype and concepts unknown values."""
    rng = random.Random(seed)
    triples = sorted(graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    for triple in rng.sample(triples, len(triples) // 50):
        graph.remove(triple)
    dates = sorted(graph.subject_objects(CSI.date), key=str)
    for subject, value in rng.sample(dates, min(20, len(dates))):
        graph.remove((subject, CSI.date, value))
        graph.add((subject, CSI.date, Literal(str(value), datatype=XSD_STRING)))
    stances = sorted(graph.subject_objects(CSI.stance), key=str)
    for subject, value in rng.sample(stances, min(20, len(stances))):
        graph.remove((subject, CSI.stance, value))
        graph.add((subject, CSI.stance, URIRef(str(value) + "-unknown")))


def test_they_agree_on_a_synthetic_graph_with_injected_violations(tmp_path: Path) -> None:
    generate(8, 10, 3, tmp_path)  # about 10k triples
    assembled = assemble(tmp_path / "corpus", data_dir=tmp_path / "data", validator=PYSHACL)
    assert assembled.report.conforms, assembled.report.text()[:2000]
    graph = assembled.graph
    _inject_violations(graph, seed=11)
    results = _agree(graph, parse_turtle(SHAPES_FILE))
    components = {component for _, _, component, _ in results}
    assert len(results) > 100 and len(components) > 3, (len(results), components)
