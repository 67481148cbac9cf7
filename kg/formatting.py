"""Canonical Turtle for the hand-edited files (rdflib's longturtle), keeping the header comment.

Only the comment block at the top of a file survives formatting: notes that matter belong in the
graph (rdfs:comment, csi:inferenceNote), where users can see them.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg.loading import data_files, parse_turtle
from kg.namespaces import ONTOLOGY_DIR


def default_files() -> list[Path]:
    return [*data_files(), *sorted(ONTOLOGY_DIR.glob("*.ttl"))]


def _header(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines) + "\n" if lines else ""


def canonical_turtle(path: Path) -> str:
    """The file's triples in longturtle form, with the file's own prefixes and header comment."""
    graph: Graph = parse_turtle(path)
    body = graph.serialize(format="longturtle")
    return _header(path.read_text(encoding="utf-8")) + body.lstrip("\n")
