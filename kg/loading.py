"""Load the ontology and the curated Turtle files, one named graph per file.

A syntax error becomes a DataFileError that names the file and the line, so a curator can go
straight to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from kg.namespaces import DATA_DIR, GRAPH, ONTOLOGY_DIR, PREFIXES

ONTOLOGY_FILES = ("csikg.ttl", "schemes.ttl")
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
LINT_FILE = ONTOLOGY_DIR / "lint.ttl"
ONTOLOGY_GRAPH = GRAPH["ontology"]
DERIVED_GRAPH = GRAPH["derived"]

_LINE = re.compile(r"line (\d+)", re.IGNORECASE)


class DataFileError(Exception):
    """A data file that cannot be read or parsed; says which file and which line."""

    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


def parse_turtle(path: Path, into: Graph | None = None) -> Graph:
    """Parse one Turtle file, raising DataFileError with its line on a syntax error."""
    graph = into if into is not None else Graph()
    if not path.is_file():
        raise DataFileError(path, "no such file")
    try:
        graph.parse(path, format="turtle")
    except Exception as error:  # rdflib raises several types; all mean "bad input"
        text = " ".join(str(error).split())
        found = _LINE.search(text)
        raise DataFileError(path, text[:400], int(found.group(1)) if found else None) from error
    return graph


def data_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """The curated data files, in a stable order."""
    return sorted(data_dir.glob("*.ttl"))


def graph_name(path: Path) -> URIRef:
    """The named graph of a data file: .../graph/<file stem>."""
    return GRAPH[path.stem]


def load_ontology() -> Graph:
    graph = Graph()
    for name in ONTOLOGY_FILES:
        parse_turtle(ONTOLOGY_DIR / name, graph)
    return graph


def load_dataset(files: Sequence[Path] | None = None, extra: Iterable[Path] = ()) -> Dataset:
    """The ontology and every data file (plus extra files), each in its own named graph."""
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    for name in ONTOLOGY_FILES:
        parse_turtle(ONTOLOGY_DIR / name, ontology)
    for path in [*(files if files is not None else data_files()), *extra]:
        parse_turtle(path, dataset.graph(graph_name(path)))
    return dataset


def union(dataset: Dataset) -> Graph:
    """All triples of all named graphs as one graph."""
    merged = Graph()
    for prefix, namespace in PREFIXES.items():
        merged.bind(prefix, namespace)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        merged.add((s, p, o))
    return merged


def load_published(dist: Path) -> Graph:
    """A published build (DIST/kg.trig) as one graph: all its named graphs merged."""
    path = dist / "kg.trig"
    if not path.is_file():
        raise DataFileError(path, "no published build here; run `kg build` first")
    dataset = Dataset()
    dataset.parse(path, format="trig")
    return union(dataset)
