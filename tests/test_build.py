"""kg build: deterministic, parseable outputs, published atomically and only when valid."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from kg.build.pipeline import OUTPUT_FILES, Assembled, assemble, publish
from kg.namespaces import DATA_DIR, PREFIXES

FIXTURES = Path(__file__).parent / "fixtures"


def test_every_output_is_written_and_parses(dist: Path) -> None:
    assert sorted(p.name for p in dist.iterdir()) == sorted(OUTPUT_FILES)
    dataset = Dataset()
    dataset.parse(dist / "kg.trig", format="trig")
    union_size = len(Graph().parse(dist / "kg.ttl", format="turtle"))
    assert union_size == len(Graph().parse(dist / "kg.nt", format="nt"))
    jsonld = Dataset()
    jsonld.parse(dist / "kg.jsonld", format="json-ld")
    assert union_size == len({(s, p, o) for s, p, o, _ in jsonld.quads()})
    named = {str(g.identifier).rsplit("/", 1)[-1] for g in dataset.graphs() if len(g)}
    data_files = {p.stem for p in DATA_DIR.glob("*.ttl")}
    assert data_files | {"ontology", "derived"} == named
    info = json.loads((dist / "build-info.json").read_text())
    assert info["triples"] == union_size
    assert "Conforms: yes" in (dist / "validation-report.txt").read_text()


def _quads(dataset: Dataset) -> set[tuple[object, ...]]:
    return {(s, p, o, getattr(g, "identifier", g)) for s, p, o, g in dataset.quads()}


def test_jsonld_is_compacted_and_keeps_every_named_graph(dist: Path) -> None:
    """kg.jsonld reads back as the same quads as kg.trig, named graphs and all."""
    document = json.loads((dist / "kg.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == PREFIXES
    trig = Dataset()
    trig.parse(dist / "kg.trig", format="trig")
    named = sorted(str(g.identifier) for g in trig.graphs() if len(g))
    assert [g["@id"] for g in document["@graph"]] == named
    jsonld = Dataset()
    jsonld.parse(dist / "kg.jsonld", format="json-ld")
    assert _quads(jsonld) == _quads(trig)
    # compacted: the project's prefixes, not full IRIs, name the classes
    text = (dist / "kg.jsonld").read_text(encoding="utf-8")
    assert '"@type": "csi:' in text and '"@type": "https://w3id.org/csikg/def/' not in text


def test_two_builds_are_byte_identical(
    assembled: Assembled, dist: Path, tmp_path: Path, corpus: Path
) -> None:
    again = tmp_path / "again"
    # A fresh load, not the cached one; with the quote check too, since build-info.json and the
    # report say whether it ran.
    publish(assemble(corpus), again)
    for name in OUTPUT_FILES:
        assert filecmp.cmp(dist / name, again / name, shallow=False), name


def test_no_blank_nodes_are_published(dist: Path) -> None:
    assert "_:" not in (dist / "kg.nt").read_text()


def test_invalid_graph_is_never_published(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    publish(assemble(None), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    invalid = assemble(None, extra=[FIXTURES / "statement-without-evidence.ttl"])
    assert not invalid.report.conforms
    with pytest.raises(ValueError):
        publish(invalid, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["dist"]  # no staging folder left behind
