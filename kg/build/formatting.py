"""Canonical Turtle for the hand-edited files (rdflib's longturtle), keeping the header comment.

Only the comment block at the top of a file survives formatting: notes that matter belong in the
graph (rdfs:comment, csi:inferenceNote), where users can see them.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Graph, Node

from kg.build.derive import skolem_map
from kg.build.files import read_text
from kg.build.loading import data_files, parse_turtle
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


def _stable_blank_nodes(graph: Graph) -> Graph:
    """Relabel blank nodes by their content: longturtle orders sibling blank nodes by label."""
    labels = {
        node: BNode("b" + str(iri).rsplit("/", 1)[-1]) for node, iri in skolem_map(graph).items()
    }
    stable = Graph(namespace_manager=graph.namespace_manager)

    def swap(node: Node) -> Node:
        return labels.get(node, node) if isinstance(node, BNode) else node

    for s, p, o in graph:
        stable.add((swap(s), p, swap(o)))  # type: ignore[arg-type]
    return stable


def canonical_text(graph: Graph, header: str) -> str:
    """graph in longturtle form after header (the comment block to keep)."""
    body = _stable_blank_nodes(graph).serialize(format="longturtle")
    return header + body.lstrip("\n")


def canonical_turtle(path: Path) -> str:
    """The file's triples in longturtle form, with the file's own prefixes and header comment.

    A file with no triples (a new source's data file awaiting curation) is left as written:
    longturtle would drop the prefixes the curator is about to use.
    """
    text = read_text(path)
    graph = parse_turtle(path)
    if not len(graph):
        return text
    return canonical_text(graph, _header(text))


def header_of(text: str) -> str:
    """The comment block at the top of a Turtle text (kept by kg fmt)."""
    return _header(text)
