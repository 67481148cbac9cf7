"""Load the ontology and the curated Turtle files, one named graph per file.

Every problem with a file becomes a DataFileError that names the file and, where there is one,
the line, so a curator can go straight to it: a syntax error, text that is not UTF-8, a file over
the size guard, an empty data file, a bad IRI, an ill-typed literal, or a term from outside our
vocabularies (see kg.build.vocabulary).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from kg.build.files import DataFileError, read_text
from kg.build.vocabulary import check_terms
from kg.namespaces import DATA_DIR, GRAPH, ONTOLOGY_DIR, PREFIXES

ONTOLOGY_FILES = ("csikg.ttl", "schemes.ttl")
REGISTRY = "entities.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
LINT_FILE = ONTOLOGY_DIR / "lint.ttl"
ONTOLOGY_GRAPH = GRAPH["ontology"]
DERIVED_GRAPH = GRAPH["derived"]

_LINE = re.compile(r"line (\d+)", re.IGNORECASE)


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback for each ill-typed literal or odd IRI it meets; we report those
    ourselves, with file and line, so its log would only be noise that looks like a crash."""
    loggers = [logging.getLogger(name) for name in ("rdflib", "rdflib.term")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def parse_turtle(path: Path, into: Graph | None = None) -> Graph:
    """Parse one Turtle file, raising DataFileError with its line on any problem."""
    graph = into if into is not None else Graph()
    text = read_text(path)
    try:
        with _quiet_rdflib():
            graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except Exception as error:  # rdflib raises several types; all mean "bad input"
        message = " ".join(str(error).split())
        found = _LINE.search(message)
        raise DataFileError(path, message[:400], int(found.group(1)) if found else None) from error
    return graph


def data_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """The curated data files, in a stable order; a missing or unreadable folder is bad input."""
    if not data_dir.is_dir():
        what = "is a file, not a folder" if data_dir.exists() else "no such folder"
        raise DataFileError(data_dir, f"data folder: {what}")
    try:
        files = sorted(data_dir.glob("*.ttl"))
    except OSError as error:
        raise DataFileError(data_dir, f"cannot read the data folder: {error}") from None
    if data_dir / REGISTRY not in files:
        raise DataFileError(
            data_dir / REGISTRY, "the registry (councils, bodies, people, sources) is missing"
        )
    return files


def graph_name(path: Path) -> URIRef:
    """The named graph of a data file: .../graph/<file stem>."""
    return GRAPH[path.stem]


def load_ontology() -> Graph:
    graph = Graph()
    for name in ONTOLOGY_FILES:
        parse_turtle(ONTOLOGY_DIR / name, graph)
    return graph


def load_data_file(path: Path, dataset: Dataset, ontology: Graph) -> Graph:
    """One data file into its named graph, refused if empty or outside our vocabularies."""

    graph = dataset.graph(graph_name(path))
    if len(graph):
        raise DataFileError(path, f"another data file is also named {path.name}")
    parse_turtle(path, graph)
    # A source's own file (NNN_<16 hex>.ttl, written by `kg source add`) may wait empty for its
    # curation; any other file without triples is a mistake.
    if not len(graph) and not re.match(r"^\d{3}_[0-9a-f]{16}$", path.stem):
        raise DataFileError(path, "holds no triples (an empty data file is a mistake)")
    check_terms(graph, path, ontology, dataset.namespace_manager)
    return graph


def load_dataset(
    files: Sequence[Path] | None = None, extra: Iterable[Path] = (), data_dir: Path = DATA_DIR
) -> Dataset:
    """The ontology and every data file (plus extra files), each in its own named graph."""
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    for name in ONTOLOGY_FILES:
        parse_turtle(ONTOLOGY_DIR / name, ontology)
    seen: set[Path] = set()
    for path in [*(files if files is not None else data_files(data_dir)), *extra]:
        if path.resolve() not in seen:  # the same file named twice is loaded once
            seen.add(path.resolve())
            load_data_file(path, dataset, ontology)
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
    try:
        with _quiet_rdflib():
            dataset.parse(data=read_text(path, limit=None), format="trig",
                          publicID=path.resolve().as_uri())
    except DataFileError:
        raise
    except Exception as error:  # a damaged build is bad input, not a crash
        message = " ".join(str(error).split())[:400]
        raise DataFileError(path, f"not a readable build: {message}") from error
    return union(dataset)
