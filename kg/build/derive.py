"""What the build adds to the curated graph: stable IRIs for blank nodes, and derived triples.

Derived triples go to their own named graph, so a user can always tell curated facts from
conveniences computed from them.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD

from kg.namespaces import CLAIM, CSI, GENID, OA

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


def add_duration(day: str, duration: str) -> str | None:
    """The ISO day a whole-unit xsd:duration (years, months, days) after day; None if unsupported.

    >>> add_duration("2013-06-30", "P2Y")
    '2015-06-30'
    >>> add_duration("2015-08-31", "P6M")
    '2016-02-29'
    """
    found = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?", duration)
    if not found or not any(found.groups()):
        return None
    years, months, days = (int(g or 0) for g in found.groups())
    start = date.fromisoformat(day)
    month_index = start.month - 1 + months
    year, month = start.year + years + month_index // 12, month_index % 12 + 1
    result = date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
    return (result.fromordinal(result.toordinal() + days)).isoformat()


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


Triple = tuple[Node, Node, Node]


def _day(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


def _bounds(union: Graph, subject: Node, prop: URIRef) -> list[tuple[str, str]]:
    return [b for v in union.objects(subject, prop) if isinstance(v, Literal)
            if (b := date_bounds(v))]


def statement_nodes(union: Graph) -> set[Node]:
    """Every node typed with csi:Statement or one of its subclasses."""
    classes = set(union.transitive_subjects(RDFS.subClassOf, CSI.Statement))
    return {s for c in classes for s in union.subjects(RDF.type, c)}


def publication_bounds(union: Graph) -> dict[Node, tuple[str | None, str | None]]:
    """Each source's earliest and latest publication day: its stated date, else date inferences."""
    lower: dict[Node, list[str]] = defaultdict(list)
    upper: dict[Node, list[str]] = defaultdict(list)
    for source, value in union.subject_objects(DCTERMS.date):
        if isinstance(value, Literal) and (b := date_bounds(value)):
            lower[source].append(b[0])
            upper[source].append(b[1])
    for inference in union.subjects(RDF.type, CSI.DateInference):
        for source in union.objects(inference, CSI.identifies):
            lower[source] += [b[0] for b in _bounds(union, inference, CSI.startDate)]
            upper[source] += [b[1] for b in _bounds(union, inference, CSI.endDate)]
    return {
        source: (max(lower[source], default=None), min(upper[source], default=None))
        for source in set(lower) | set(upper)
    }


def attested_days(union: Graph, statements: set[Node]) -> dict[Node, tuple[str, str]]:
    """The first and last day each statement is attested: the least and the greatest earliest
    publication day among the sources that give it evidence (for evidence that tells of it in the
    past tense, the day it began)."""
    published = publication_bounds(union)
    days: dict[Node, tuple[str, str]] = {}
    for statement in statements:
        began = [b[0] for b in _bounds(union, statement, CSI.startDate)
                 or _bounds(union, statement, CSI.date)]
        found = []
        for evidence in union.objects(statement, CSI.evidence):
            if (evidence, CSI.reportsPast, Literal(True)) in union:
                found += began  # told in the past tense: attested only as it began
                continue
            found += [
                earliest
                for source in union.objects(evidence, OA.hasSource)
                if (earliest := published.get(source, (None, None))[0])
            ]
        if found:
            days[statement] = (min(found), max(found))
    return days


def attestation_triples(union: Graph, attested: dict[Node, tuple[str, str]]) -> Iterator[Triple]:
    """Source publication bounds, and the days each statement is first and last attested."""
    for source, (earliest, latest) in publication_bounds(union).items():
        if earliest:
            yield source, CSI.publishedEarliest, _day(earliest)
        if latest:
            yield source, CSI.publishedLatest, _day(latest)
    for statement, (first, last) in attested.items():
        yield statement, CSI.firstAttested, _day(first)
        yield statement, CSI.lastAttested, _day(last)


def term_ends(union: Graph, statements: set[Node]) -> dict[Node, tuple[str, str]]:
    """Where a start and a term are stated (on the statement or its basis), when the term ends."""
    ends: dict[Node, tuple[str, str]] = {}
    for statement in statements:
        starts = _bounds(union, statement, CSI.startDate) or _bounds(union, statement, CSI.date)
        terms = [str(d) for d in union.objects(statement, CSI.duration)] or [
            str(d) for basis in union.objects(statement, CSI.basis)
            for d in union.objects(basis, CSI.duration)
        ]
        if len(starts) != 1 or len(terms) != 1:
            continue
        earliest, latest = (add_duration(day, terms[0]) for day in starts[0])
        if earliest and latest:
            ends[statement] = (earliest, latest)
    return ends


def _judgement_day(union: Graph, judgement: Node) -> tuple[str, str] | None:
    bounds = _bounds(union, judgement, CSI.date) or _bounds(union, judgement, CSI.startDate)
    return bounds[0] if bounds else None


def superseded_from(union: Graph, links: list[Triple]) -> dict[Node, tuple[Node, str]]:
    """For each superseded statement (links: its csi:supersededBy triples): what supersedes it,
    and the earliest day that can be."""
    found: dict[Node, tuple[Node, str]] = {}
    for earlier, _, later in links:
        days = [
            b[0]
            for node in [*union.subjects(CSI.replacement, later), later]
            if node == later or (node, CSI.replaced, earlier) in union
            for prop in (CSI.date, CSI.startDate)
            for b in _bounds(union, node, prop)
        ]
        if days and (earlier not in found or min(days) < found[earlier][1]):
            found[earlier] = (later, min(days))
    return found


def known_until_triples(
    union: Graph,
    statements: set[Node],
    attested: dict[Node, tuple[str, str]],
    terms: dict[Node, tuple[str, str]],
    superseded: dict[Node, tuple[Node, str]],
) -> Iterator[Triple]:
    """How far the evidence vouches for a responsibility, post or rating: a stated end, the day
    a later statement supersedes it, the end of a stated term, else the day it was last attested.
    Nothing without a stated end is ever taken to hold past this day."""
    kinds = (CSI.Responsibility, CSI.PostHolding, CSI.InspectionJudgement)
    for statement in statements:
        if not any((statement, RDF.type, kind) in union for kind in kinds):
            continue
        candidates = [(b[1], "stated end") for b in _bounds(union, statement, CSI.endDate)]
        if statement in superseded:
            candidates.append((superseded[statement][1], "superseded"))
        if statement in terms:
            candidates.append((terms[statement][1], "term"))
        if not candidates and statement in attested:
            candidates = [(attested[statement][1], "last attested")]
        if candidates:
            day, basis = min(candidates)
            yield statement, CSI.knownUntil, _day(day)
            yield statement, CSI.knownUntilBasis, Literal(basis)


def supersession_triples(union: Graph) -> Iterator[Triple]:
    """csi:supersededBy from curated supersessions, and from the next inspection judgement of
    the same services (a new judgement replaces the last)."""
    for supersession in union.subjects(RDF.type, CSI.Supersession):
        for earlier in union.objects(supersession, CSI.replaced):
            for later in union.objects(supersession, CSI.replacement):
                yield earlier, CSI.supersededBy, later
    by_services: dict[Node, list[tuple[tuple[str, str], Node]]] = defaultdict(list)
    for judgement in union.subjects(RDF.type, CSI.InspectionJudgement):
        day = _judgement_day(union, judgement)
        for services in union.objects(judgement, CSI.services):
            if day:
                by_services[services].append((day, judgement))
    for dated in by_services.values():
        for (day, judgement) in dated:
            following = [(d, j) for d, j in dated if d[0] > day[1]]
            if following:
                yield judgement, CSI.supersededBy, min(following, key=lambda dj: dj[0])[1]


def case_triples(union: Graph) -> Iterator[Triple]:
    """A position whose topic is a statement about one council is about that council's case."""
    for position in union.subjects(RDF.type, CSI.Position):
        if union.value(position, CSI.caseOf) is not None:
            continue
        councils = {
            council
            for topic in union.objects(position, CSI.topic)
            if (topic, CSI.evidence, None) in union
            for council in union.objects(topic, CSI.authority)
        }
        if len(councils) == 1:
            yield position, CSI.caseOf, councils.pop()


def independent_source_triples(union: Graph, statements: set[Node]) -> Iterator[Triple]:
    """How many sources support each statement whole, in their own words (no inferences, no
    evidence that supports only a part): corroboration means two or more."""
    for statement in statements:
        sources = {
            source
            for evidence in union.objects(statement, CSI.evidence)
            if (evidence, CSI.claimKind, CLAIM.inference) not in union
            and (evidence, CSI.supportsPart, None) not in union
            for source in union.objects(evidence, OA.hasSource)
        }
        yield statement, CSI.independentSources, Literal(len(sources))


def source_id_triples(union: Graph) -> Iterator[Triple]:
    """csi:sourceIds: the corpus ids of the sources giving each statement evidence, sorted and
    space-separated - the list the provenance and stance queries print, computed once."""
    for statement in sorted(set(union.subjects(CSI.evidence)), key=str):
        ids = {
            str(corpus_id)
            for evidence in union.objects(statement, CSI.evidence)
            for source in union.objects(evidence, OA.hasSource)
            for corpus_id in union.objects(source, CSI.corpusId)
        }
        if ids:
            yield statement, CSI.sourceIds, Literal(" ".join(sorted(ids)))


def derived_triples(union: Graph) -> Iterator[tuple[Node, Node, Node]]:
    """Date bounds, statement-to-source links, GSS codes copied onto councils, attestation,
    term ends, supersession, the case a position is about, independent sources and source ids."""
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
    statements = statement_nodes(union)
    attested = attested_days(union, statements)
    terms = term_ends(union, statements)
    yield from attestation_triples(union, attested)
    for statement, (term_from, term_to) in terms.items():
        yield statement, CSI.termEndEarliest, _day(term_from)
        yield statement, CSI.termEndLatest, _day(term_to)
    links = list(supersession_triples(union))  # once: yielded, and read for known-until
    yield from links
    superseded = superseded_from(union, links)
    yield from known_until_triples(union, statements, attested, terms, superseded)
    yield from case_triples(union)
    yield from independent_source_triples(union, statements)
    yield from source_id_triples(union)
