"""kg build: load, derive, validate and, only when valid, publish atomically.

Outputs are deterministic: blank nodes get content-based IRIs, N-Triples lines are sorted, JSON-LD
is written with sorted keys and nodes, and no timestamp is written anywhere. Where and how a build
is published (the --out guard, the atomic swap) is kg.build.publishing's job.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from kg import __version__
from kg.build.derive import derived_triples, skolemize
from kg.build.jsonld import compacted_jsonld
from kg.build.loading import DERIVED_GRAPH, load_dataset, union
from kg.build.publishing import GENERATOR, Staging
from kg.build.stats import Stats, compute_fast
from kg.build.validation import ValidationReport, validate
from kg.namespaces import DATA_DIR

OUTPUT_FILES = (
    "kg.trig",
    "kg.ttl",
    "kg.nt",
    "kg.jsonld",
    "validation-report.txt",
    "build-info.json",
)


@dataclass
class Assembled:
    dataset: Dataset
    graph: Graph  # the union of all named graphs, derived triples included
    report: ValidationReport
    # Computed once, in assemble, and reused by the report, build-info.json and kg.nt.
    stats: Stats | None = None
    ntriples: str = field(default="", repr=False)


def sorted_ntriples(graph: Graph) -> str:
    """kg.nt: one line per triple, sorted, so two builds are byte-identical."""
    lines = sorted(set(graph.serialize(format="nt").splitlines()) - {""})
    return "\n".join(lines) + "\n"


def assemble(
    corpus: Path | None,
    extra: Iterable[Path] = (),
    files: list[Path] | None = None,
    progress: Callable[[str], None] = lambda _: None,
    data_dir: Path = DATA_DIR,
    validator: str | None = None,
) -> Assembled:
    """Load ontology and data, give blank nodes stable IRIs, derive, and validate.

    corpus None skips the quote check (the report and build-info.json say so); validator names
    the SHACL engine (kg.build.shacl; None: pyshacl-turbo where installed, else pySHACL).
    """
    progress("loading ontology and data")
    dataset = skolemize(load_dataset(files, extra, data_dir))
    merged = union(dataset)
    progress("deriving date bounds, provenance links and codes")
    derived = dataset.graph(DERIVED_GRAPH)
    for triple in sorted(set(derived_triples(merged))):
        derived.add(triple)  # type: ignore[arg-type]
        merged.add(triple)  # type: ignore[arg-type]
    ntriples = sorted_ntriples(merged)
    stats = compute_fast(ntriples)
    progress("validating: SHACL shapes, ontology lint, quotes")
    report = validate(dataset, merged, corpus, statements=stats.statements, validator=validator)
    return Assembled(dataset, merged, report, stats, ntriples)


def _sorted_trig(dataset: Dataset) -> str:
    """TriG with the named graphs in IRI order (rdflib's own order varies between runs)."""
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(dataset.namespaces()))
    blocks = []
    for graph in sorted((g for g in dataset.graphs() if len(g)), key=lambda g: str(g.identifier)):
        single = Graph(namespace_manager=dataset.namespace_manager)
        single += graph
        body = [
            line
            for line in single.serialize(format="turtle").splitlines()
            if not line.startswith("@prefix")
        ]
        inner = "\n".join(f"    {line}" if line else "" for line in body).strip("\n")
        blocks.append(f"<{graph.identifier}> {{\n{inner}\n}}\n")
    return header + "\n" + "\n".join(blocks)


def write_outputs(assembled: Assembled, directory: Path) -> None:
    dataset, graph = assembled.dataset, assembled.graph
    (directory / "kg.trig").write_text(_sorted_trig(dataset), encoding="utf-8")
    (directory / "kg.ttl").write_text(graph.serialize(format="turtle"), encoding="utf-8")
    (directory / "kg.nt").write_text(assembled.ntriples or sorted_ntriples(graph),
                                     encoding="utf-8")
    (directory / "kg.jsonld").write_text(compacted_jsonld(dataset), encoding="utf-8")
    (directory / "validation-report.txt").write_text(assembled.report.text(), encoding="utf-8")
    stats = assembled.stats or compute_fast(assembled.ntriples or sorted_ntriples(graph))
    assembled.stats = stats
    report = assembled.report
    info = {
        "generator": GENERATOR,  # marks the folder as a build that a later build may replace
        "version": __version__,
        "triples": stats.triples,
        "entities": stats.entities,
        "statements": stats.statements,
        "named_graphs": sorted(str(g.identifier) for g in dataset.graphs() if len(g)),
        "quote_check": f"skipped {report.quote_check_skipped}"
        if report.quote_check_skipped
        else f"passed: {report.quotes} quotes found in their source texts",
    }
    (directory / "build-info.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")


def publish(assembled: Assembled, out: Path, staging: Staging | None = None) -> None:
    """Write every output to a staging folder next to out, then swap it in atomically.

    staging is the one kg build prepared before validating (so a bad --out is refused first);
    without it one is prepared here. Raises OutputError if out may not be replaced.
    """
    if not assembled.report.conforms:
        if staging is not None:
            staging.abandon()
        raise ValueError("refusing to publish a graph that does not conform")
    staging = staging or Staging(out, OUTPUT_FILES)
    try:
        write_outputs(assembled, staging.path)
        staging.commit()
    finally:
        staging.abandon()
