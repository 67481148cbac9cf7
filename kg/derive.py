"""What the build adds to the curated graph: stable IRIs for blank nodes, and derived triples.

Derived triples go to their own named graph, so a user can always tell curated facts from
conveniences computed from them.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Iterator

from rdflib import RDF, BNode, Dataset, Graph, Literal, Node, URIRef
from rdflib.namespace import PROV, XSD

from kg.namespaces import CSI, GENID, OA

DATE_BOUNDS = {
    CSI.date: (CSI.dateEarliest, CSI.dateLatest),
    CSI.startDate: (CSI.startEarliest, CSI.startLatest),
    CSI.endDate: (CSI.endEarliest, CSI.endLatest),
    CSI.plannedDate: (CSI.plannedEarliest, CSI.plannedLatest),
}


def date_bounds(value: Literal) -> tuple[str, str] | None:
    """Earliest and latest ISO dates a date literal of any precision can denote.

    >>> date_bounds(Literal("2014-10", datatype=XSD.gYearMonth))
    ('2014-10-01', '2014-10-31')
    >>> date_bounds(Literal("2009", datatype=XSD.gYear))
    ('2009-01-01', '2009-12-31')
    """
    text = str(value)
    if value.datatype == XSD.date and len(text) == 10:
        return text, text
    if value.datatype == XSD.gYearMonth and len(text) == 7:
        year, month = int(text[:4]), int(text[5:7])
        return f"{text}-01", f"{text}-{calendar.monthrange(year, month)[1]:02d}"
    if value.datatype == XSD.gYear and len(text) == 4:
        return f"{text}-01-01", f"{text}-12-31"
    return None


def _content_key(graph: Graph, node: BNode, seen: frozenset[BNode] = frozenset()) -> str:
    parts = []
    for p, o in graph.predicate_objects(node):
        if isinstance(o, BNode):
            inner = "cycle" if o in seen else _content_key(graph, o, seen | {node})
            parts.append(f"{p.n3()} [{inner}]")
        else:
            parts.append(f"{p.n3()} {o.n3()}")
    return "; ".join(sorted(parts))


def skolem_map(graph: Graph) -> dict[BNode, URIRef]:
    """A stable IRI for every blank node, from its content and the path that reaches it."""
    mapping: dict[BNode, URIRef] = {}

    def visit(node: BNode, parent_key: str) -> None:
        key = parent_key + "|" + _content_key(graph, node)
        mapping[node] = GENID[hashlib.sha256(key.encode()).hexdigest()[:20]]
        for p, o in graph.predicate_objects(node):
            if isinstance(o, BNode) and o not in mapping:
                visit(o, f"{key}|{p.n3()}")

    referenced = {o for o in graph.objects() if isinstance(o, BNode)}
    for s, p, o in sorted(graph.triples((None, None, None)), key=lambda t: (t[0].n3(), t[1].n3())):
        if isinstance(o, BNode) and not isinstance(s, BNode) and o not in mapping:
            visit(o, f"{s.n3()}|{p.n3()}")
    for s in graph.subjects():
        if isinstance(s, BNode) and s not in referenced and s not in mapping:
            visit(s, "root")
    return mapping


def skolemize(dataset: Dataset) -> Dataset:
    """A copy of dataset with every blank node replaced by a stable genid IRI."""
    result = Dataset()
    for prefix, namespace in dataset.namespaces():
        result.bind(prefix, namespace)
    for context in dataset.graphs():
        if not len(context):
            continue
        mapping = skolem_map(context)
        target = result.graph(context.identifier)

        def swap(node: Node, mapping: dict[BNode, URIRef] = mapping) -> Node:
            return mapping.get(node, node) if isinstance(node, BNode) else node

        for s, p, o in context:
            target.add((swap(s), p, swap(o)))  # type: ignore[arg-type]
    return result


def derived_triples(union: Graph) -> Iterator[tuple[Node, Node, Node]]:
    """Date bounds, statement-to-source links, and GSS codes copied onto councils."""
    for date_property, (earliest, latest) in DATE_BOUNDS.items():
        for subject, value in union.subject_objects(date_property):
            bounds = date_bounds(value) if isinstance(value, Literal) else None
            if bounds:
                yield subject, earliest, Literal(bounds[0], datatype=XSD.date)
                yield subject, latest, Literal(bounds[1], datatype=XSD.date)
    for statement, evidence in union.subject_objects(CSI.evidence):
        for source in union.objects(evidence, OA.hasSource):
            yield statement, PROV.wasDerivedFrom, source
    for assignment in union.subjects(RDF.type, CSI.IdentifierAssignment):
        for entity in union.objects(assignment, CSI.identifies):
            for code in union.objects(assignment, CSI.code):
                yield entity, CSI.gssCode, code
