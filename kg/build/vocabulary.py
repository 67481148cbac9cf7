"""Term checks on one data file, before any SHACL: every predicate and every class is ours or from
a vocabulary we reuse, every IRI is a valid IRI, every typed literal fits its datatype.

A file of junk triples is refused here in seconds, naming the file, the line and the term, rather
than being validated for minutes (and published if no shape happened to notice it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pyoxigraph import NamedNode
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager

from kg.build.files import DataFileError, read_text
from kg.namespaces import CSI, PREFIXES

# The vocabularies we reuse (DESIGN.md section 3); any of their terms may be used as is. Our own
# namespace is not here: a csi: term must be declared in ontology/csikg.ttl or schemes.ttl.
REUSED_PREFIXES = (
    "rdf", "rdfs", "owl", "xsd", "skos", "prov", "org", "foaf", "dcterms", "schema", "time", "oa",
    "sh",
)
REUSED = tuple(PREFIXES[name] for name in REUSED_PREFIXES)
MAX_REPORTED = 5


def _known(term: URIRef, ontology: Graph) -> bool:
    return str(term).startswith(REUSED) or (term, None, None) in ontology


def _valid_iri(term: URIRef) -> bool:
    try:
        NamedNode(str(term))  # oxigraph parses IRIs strictly (RFC 3987); rdflib only warns
    except ValueError:
        return False
    return True


def _problems(graph: Graph, ontology: Graph) -> Iterator[tuple[str, object]]:
    """(what is wrong, the term) for each distinct bad term of graph, in a stable order."""
    seen: set[object] = set()
    for s, p, o in sorted(graph, key=lambda t: tuple(str(x) for x in t)):
        for term in (s, p, o):
            if isinstance(term, URIRef) and term not in seen and not _valid_iri(term):
                seen.add(term)
                yield "not a valid IRI", term
        if p not in seen and not _known(p, ontology):  # type: ignore[arg-type]
            seen.add(p)
            yield "unknown predicate", p
        if p == RDF.type and isinstance(o, URIRef) and o not in seen and not _known(o, ontology):
            seen.add(o)
            yield "unknown class", o
        if isinstance(o, Literal) and o.ill_typed and o not in seen:
            seen.add(o)
            yield f"ill-typed literal (not a valid {_short(o.datatype)})", o


def _short(term: object) -> str:
    text = str(term)
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace) and text != namespace:
            return f"{prefix}:{text[len(namespace):]}"
    return f"<{text}>"


def _spellings(term: object, namespaces: NamespaceManager) -> list[str]:
    """The ways term may be written in a Turtle file."""
    if isinstance(term, Literal):
        return [f'"{term}"', f"'{term}'", str(term)]
    text = str(term)
    forms = [f"<{text}>"]
    for prefix, namespace in [*namespaces.namespaces(), *PREFIXES.items()]:
        if text.startswith(str(namespace)) and text != str(namespace):
            forms.append(f"{prefix}:{text[len(str(namespace)):]}")
    if term == RDF.type:
        forms.append("a")
    return forms


def line_of(term: object, lines: list[str], namespaces: NamespaceManager) -> int | None:
    """The first line of the file where term is written (a hint for the curator)."""
    patterns = [
        re.compile(rf"(?<![\w:<\"'-]){re.escape(form)}(?![\w-])")
        for form in _spellings(term, namespaces)
    ]
    for number, line in enumerate(lines, 1):
        if any(pattern.search(line) for pattern in patterns):
            return number
    return None


def check_terms(
    graph: Graph, path: Path, ontology: Graph, namespaces: NamespaceManager | None = None
) -> None:
    """Raise DataFileError naming the file, line and term of each (first few) bad term."""

    problems = []
    for count, problem in enumerate(_problems(graph, ontology)):
        if count == MAX_REPORTED:
            break
        problems.append(problem)
    if not problems:
        return
    lines = read_text(path).splitlines()
    manager = namespaces or graph.namespace_manager
    found = []
    for what, term in problems:
        number = line_of(term, lines, manager)
        shown = f'"{term}"' if isinstance(term, Literal) else _short(term)
        found.append((number, f"{what} {shown}"))
    found.sort(key=lambda item: (item[0] or 0, item[1]))
    unknown = any(text.startswith("unknown") for _, text in found)
    hint = "" if not unknown else (
        f" (predicates and classes are csi: terms declared in ontology/csikg.ttl or schemes.ttl"
        f" <{CSI}>, or terms of a reused vocabulary: {', '.join(REUSED_PREFIXES)})"
    )
    details = [found[0][1]] + [f"line {n}: {text}" if n else text for n, text in found[1:]]
    raise DataFileError(path, "; ".join(details) + hint, found[0][0])
