"""The synthetic graph (kg synth): deterministic, and built, validated and queried through the
same code path as the real graph. Small here (about 10k triples); benchmarks/bench_scale.py
builds the large ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli.main import main
from kg.query.catalogue import catalogue
from kg.query.engine import Engine
from kg.synth import generate

COUNCILS, YEARS = 6, 8


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    result = CliRunner().invoke(
        main, ["synth", "--councils", str(COUNCILS), "--years", str(YEARS), "--seed", "7",
               "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def built(synthetic: Path) -> Path:
    result = CliRunner().invoke(
        main, ["build", "--data", str(synthetic / "data"), "--corpus", str(synthetic / "corpus"),
               "--out", str(synthetic / "dist")])
    assert result.exit_code == 0, result.output  # conforms: shapes, lint and the quote check
    return synthetic / "dist"


def test_the_same_seed_writes_the_same_bytes(synthetic: Path, tmp_path: Path) -> None:
    generate(COUNCILS, YEARS, 7, tmp_path)
    for part in ("data", "corpus"):
        ours = {p.name: p.read_bytes() for p in sorted((tmp_path / part).iterdir())}
        theirs = {p.name: p.read_bytes() for p in sorted((synthetic / part).iterdir())}
        assert ours == theirs


def test_another_seed_writes_another_graph(synthetic: Path, tmp_path: Path) -> None:
    generate(COUNCILS, YEARS, 8, tmp_path)
    assert (tmp_path / "data" / "entities.ttl").read_bytes() != (
        synthetic / "data" / "entities.ttl").read_bytes()


def test_it_builds_to_about_ten_thousand_triples(built: Path) -> None:
    info = json.loads((built / "build-info.json").read_text(encoding="utf-8"))
    assert 5_000 < info["triples"] < 20_000
    assert info["quote_check"].startswith("passed")


def test_every_saved_query_answers_on_it(built: Path) -> None:
    engine = Engine.load(built)
    answered = {}
    for query in catalogue():
        params = {"entity": "council:doncaster"} if query.name == "entity-evidence" else {}
        answered[query.name] = len(engine.run(query, **params))
    # The domain's shape shows in the answers: ratings, positions, who holds what.
    for name in ("inadequate-councils", "stance-matrix", "stance-changes", "posts-held",
                 "positions-on-policy", "council-timeline", "statutory-directions"):
        assert answered[name] > 0, name


def test_an_existing_output_is_refused(synthetic: Path) -> None:
    result = CliRunner().invoke(
        main, ["synth", "--councils", "1", "--years", "1", "--out", str(synthetic)])
    assert result.exit_code == 2
    assert "exists already" in result.output
