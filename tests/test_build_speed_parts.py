"""What makes the build faster must not change what it says: statistics answered by Oxigraph
equal rdflib's, and the lint cache gives back exactly the problems it stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.build.lint_cache import cached, checksum
from kg.build.loading import LINT_FILE, load_ontology
from kg.build.pipeline import Assembled, sorted_ntriples
from kg.build.stats import compute, compute_fast
from kg.build.validation import Problem


def test_fast_statistics_equal_rdflib_statistics(graph: Graph, assembled: Assembled) -> None:
    assert compute_fast(sorted_ntriples(graph)) == compute(graph)
    assert assembled.stats == compute(graph)
    assert assembled.report.statements == compute(graph).statements


def test_fast_statistics_of_an_empty_graph() -> None:
    assert compute_fast(sorted_ntriples(Graph())) == compute(Graph())


def test_the_lint_cache_gives_back_what_it_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_CACHE", str(tmp_path))
    found = [Problem("lint", "a <x>", "a message", focus="x", files=("a.ttl", "b.ttl"))]
    calls = []

    def lint() -> list[Problem]:
        calls.append(1)
        return found

    assert cached("k", lint) == found
    assert (tmp_path / "lint-k.json").is_file()
    assert cached("k", lint) == found
    assert len(calls) == 1
    assert cached(None, lint) == found  # no key: never cached
    assert len(calls) == 2


def test_the_lint_checksum_follows_the_ontology(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_CACHE", str(tmp_path))
    ontology = load_ontology()
    key = checksum(ontology, LINT_FILE, "1")
    assert key == checksum(load_ontology(), LINT_FILE, "1")
    assert key != checksum(ontology, LINT_FILE, "2")
    smaller = Graph()
    for triple in list(ontology)[1:]:
        smaller.add(triple)
    assert key != checksum(smaller, LINT_FILE, "1")
