"""networkx projections of the graph: every triple, or entities linked by the statements about them.

Two views, for two jobs:

- `rdf_multidigraph`: every RDF triple as an edge (subject -> object, keyed by predicate). Nothing
  is lost, so it suits graph algorithms that should see the raw structure.
- `entity_graph`: the view people think in. Councils, services, bodies, people, posts, documents
  and policies are nodes; each statement node (a responsibility, a decision, a position...) becomes
  labelled edges from the agents of the statement to the other entities it involves, carrying the
  statement's kinds, dates (as given and as xsd:date bounds) and evidence (source ids, quotes and
  claim kinds). Definitional links of the registry (a service is a unit of a council, a post is in
  an organisation) become unlabelled structural edges without evidence.

Node ids are prefixed names (`council:doncaster`), readable in Gephi and in JSON. Participant roles
are read from the ontology (every rdfs:subPropertyOf* csi:involves; agents are the
rdfs:subPropertyOf* csi:agent), so a new participant property needs no change here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
from rdflib import RDF, RDFS, BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS

from kg.build.derive import DATE_BOUNDS
from kg.export.triples import Triples
from kg.namespaces import CSI, ID, OA, ORG, shorten

if TYPE_CHECKING:
    import pandas as pd

# The projections read an rdflib graph, or the published graph taken out of the fast store once
# (kg.export.triples): the same lookups, the same terms, the same output.
GraphLike = Graph | Triples

# Statement properties whose objects are SKOS concepts; their labels describe the statement.
CONCEPT_PROPERTIES = ("responsibilityKind", "interventionKind", "judgement", "stance", "concern")

# Date properties as curated, and the xsd:date bounds the build derives for each.
DATE_PROPERTIES = ("date", "startDate", "endDate", "plannedDate", "dateAsStated")
BOUND_PROPERTIES = (
    *(str(bound)[len(CSI):] for pair in DATE_BOUNDS.values() for bound in pair),
    # How far the evidence reaches (derived at build): nothing is drawn as holding past it.
    "firstAttested", "lastAttested", "knownUntil",
)

# ORG terms used as participants of a change event (not sub-properties of csi:involves).
EXTRA_ROLES = (ORG.resultingOrganization, ORG.originalOrganization)

# Roles that describe how an agent acted rather than whom the statement is about: kept on the
# edge as an attribute, never drawn as an edge of their own (a decision is not "about" a post).
ATTRIBUTE_ROLES = frozenset({"capacity"})

# When a statement names no agent, the edge starts from the first participant in this order.
FALLBACK_FROM = (
    "resultingOrganization", "party", "appointee", "services", "authority", "topic",
)

# Definitional links of the registry, drawn as structural edges (no statement, no evidence).
STRUCTURAL = {
    ORG.unitOf: "unit of",
    ORG.postIn: "post in",
    ORG.subOrganizationOf: "part of",
    ORG.hasMember: "has member",
    CSI.authority: "for council",
}

# Readable names for classes from vocabularies whose terms the build does not load.
CLASS_NAMES = {
    "foaf:Person": "person",
    "org:Post": "post",
    "org:Organization": "organisation",
    "org:FormalOrganization": "organisation",
    "org:OrganizationalCollaboration": "collaboration",
}

_SKIP_TYPES = {CSI.Evidence, OA.TextQuoteSelector, CSI.Source}


@dataclass(frozen=True)
class EvidenceRecord:
    source: str  # the source's corpus id, e.g. 004_dd1639bb877fd76f
    quote: str
    claim_kind: str  # the claim kind's notation, e.g. reported-fact
    note: str = ""  # the curator's reasoning, for inferences


@dataclass
class StatementRecord:
    """One statement node, flattened to plain values (JSON-ready)."""

    id: str
    iri: str
    label: str
    cls: str  # the most specific statement class, as a prefixed name
    class_label: str
    planned: bool = False  # typed csi:Plan too, or every quote is a plan: not an outcome
    kinds: dict[str, list[str]] = field(default_factory=dict)  # property -> concept labels
    participants: dict[str, list[str]] = field(default_factory=dict)  # role -> entity ids
    links: dict[str, list[str]] = field(default_factory=dict)  # role -> statement ids
    about_sources: list[str] = field(default_factory=list)  # sources a date inference bounds
    dates: dict[str, str] = field(default_factory=dict)  # as curated: date, startDate...
    bounds: dict[str, str] = field(default_factory=dict)  # derived xsd:date bounds
    values: dict[str, list[str]] = field(default_factory=dict)  # requirement, amount...
    evidence: list[EvidenceRecord] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return sorted({e.source for e in self.evidence})

    @property
    def edge_label(self) -> str:
        """A short label for the statement drawn as an edge: its most telling kind.

        A plan says so ("planned operational control"), so nobody reads it as an outcome.
        """
        first = {k: v[0] for k, v in self.kinds.items() if v}
        name = self.class_label
        if self.planned and self.cls != "csi:Plan":
            name = f"planned {name}"
        if "responsibilityKind" in first:
            kind = first["responsibilityKind"]
            return f"planned {kind}" if self.planned else kind
        if "judgement" in first:
            return f"judged {first['judgement']}"
        if "stance" in first:
            return f"{name}: {first['stance']}"
        if "interventionKind" in first:
            return f"{name}: {first['interventionKind']}"
        return name

    def span(self) -> tuple[str | None, str | None]:
        """(start, end) as xsd:date strings: the earliest a statement can start, the latest end.

        A period uses its start and end bounds; an event its date bounds; a plan with no date of
        its own its planned date. None when the statement gives no such date.
        """
        b = self.bounds
        if "startEarliest" in b:
            return b["startEarliest"], b.get("endLatest")
        if "dateEarliest" in b:
            return b["dateEarliest"], b.get("dateLatest")
        if "plannedEarliest" in b:
            return b["plannedEarliest"], b.get("plannedLatest")
        return None, b.get("endLatest")


@dataclass
class EntityRecord:
    id: str
    iri: str
    label: str
    cls: str
    class_label: str
    alt_labels: list[str] = field(default_factory=list)
    identifiers: dict[str, str] = field(default_factory=dict)


@dataclass
class SourceRecord:
    id: str  # corpus id
    iri: str
    title: str
    publisher: str = ""
    author: str = ""
    date: str = ""  # as stated by the source; empty when unknown
    date_bounds: tuple[str, str] | None = None  # stated date or inferred bounds


@dataclass
class Index:
    """Everything the projections need, read once from the RDF graph."""

    entities: dict[str, EntityRecord]
    statements: dict[str, StatementRecord]
    sources: dict[str, SourceRecord]
    agent_roles: frozenset[str]  # local names of the csi:agent sub-properties
    unit_of: dict[str, str]  # a council's children's services -> the council


def _text(graph: GraphLike, node: Node, *predicates: URIRef) -> str:
    """The first English (or untagged) literal of the first predicate that has one."""
    for predicate in predicates:
        values = sorted(graph.objects(node, predicate), key=str)
        english = [v for v in values if isinstance(v, Literal) and v.language in (None, "en")]
        if english:
            return str(english[0])
    return ""


def label_of(graph: GraphLike, node: Node) -> str:
    """rdfs:label, else skos:prefLabel or foaf:name, else the prefixed name."""
    return _text(graph, node, RDFS.label, SKOS.prefLabel, FOAF.name) or shorten(node)


def _closure(graph: GraphLike, prop: URIRef, top: URIRef) -> set[URIRef]:
    """top and everything below it along prop (rdfs:subClassOf or rdfs:subPropertyOf)."""
    return {n for n in graph.transitive_subjects(prop, top) if isinstance(n, URIRef)}


def _most_specific(graph: GraphLike, types: Iterable[Node]) -> URIRef | None:
    """The type no other given type is a subclass of (ties broken by IRI, for stable output)."""
    candidates = sorted({t for t in types if isinstance(t, URIRef)}, key=str)
    best = [
        t for t in candidates
        if not any(o != t and t in set(graph.transitive_objects(o, RDFS.subClassOf))
                   for o in candidates)
    ]
    chosen = best or candidates
    return chosen[0] if chosen else None


def _class_label(graph: GraphLike, cls: URIRef | None) -> str:
    if cls is None:
        return "thing"
    name = shorten(cls)
    if name in CLASS_NAMES:
        return CLASS_NAMES[name]
    return _text(graph, cls, RDFS.label, SKOS.prefLabel) or name.split(":")[-1]


def _local(prop: URIRef) -> str:
    return str(prop).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _with_ontology(graph: GraphLike) -> GraphLike:
    """graph itself when it holds the ontology (as the build's union does), else the ontology.

    Roles and classes are read from the ontology, so a notebook can project any data graph.
    """
    if (CSI.agent, RDFS.subPropertyOf, CSI.involves) in graph:
        return graph
    from kg.build.loading import load_ontology

    return load_ontology()


def build_index(graph: GraphLike) -> Index:
    """Read entities, statements (with participants, dates, evidence) and sources."""
    ontology = _with_ontology(graph)
    if ontology is not graph:
        graph = graph + ontology  # type: ignore[operator]
    statement_classes = _closure(graph, RDFS.subClassOf, CSI.Statement)
    typed = {s for c in statement_classes for s in graph.subjects(RDF.type, c)}
    statement_nodes = sorted((s for s in typed if isinstance(s, URIRef)), key=str)
    statement_ids = {shorten(s) for s in statement_nodes}
    source_nodes = {s for s in graph.subjects(RDF.type, CSI.Source) if isinstance(s, URIRef)}
    sources = {_source_id(graph, s): _source(graph, s) for s in source_nodes}
    by_source_iri = {rec.iri: rec.id for rec in sources.values()}

    roles = _closure(graph, RDFS.subPropertyOf, CSI.involves) | set(EXTRA_ROLES)
    entity_nodes: set[URIRef] = set()
    statements: dict[str, StatementRecord] = {}
    for node in statement_nodes:
        record = _statement(graph, node, roles, statement_ids, by_source_iri)
        statements[record.id] = record
        for role in roles:
            for value in graph.objects(node, role):
                if (isinstance(value, URIRef) and shorten(value) not in statement_ids
                        and str(value) not in by_source_iri):
                    entity_nodes.add(value)

    # Registry entities: everything typed under id/ that is not a statement, evidence or source.
    for subject, cls in graph.subject_objects(RDF.type):
        if (isinstance(subject, URIRef) and str(subject).startswith(str(ID))
                and cls not in statement_classes and cls not in _SKIP_TYPES
                and subject not in source_nodes and shorten(subject) not in statement_ids
                and not str(subject).startswith(str(ID) + ".well-known/")):
            entity_nodes.add(subject)
    entities = {shorten(e): _entity(graph, e) for e in sorted(entity_nodes, key=str)}
    agents = frozenset(_local(p) for p in _closure(graph, RDFS.subPropertyOf, CSI.agent))
    unit_of = {shorten(s): shorten(o) for s, o in graph.subject_objects(ORG.unitOf)}
    return Index(entities, statements, sources, agents, unit_of)


def _source_id(graph: GraphLike, node: URIRef) -> str:
    return _text(graph, node, CSI.corpusId) or shorten(node).split(":", 1)[-1]


def _source(graph: GraphLike, node: URIRef) -> SourceRecord:
    publisher = next(iter(sorted(graph.objects(node, DCTERMS.publisher), key=str)), None)
    author = next(iter(sorted(graph.objects(node, DCTERMS.creator), key=str)), None)
    date = next(iter(sorted(graph.objects(node, DCTERMS.date), key=str)), None)
    record = SourceRecord(
        id=_source_id(graph, node),
        iri=str(node),
        title=_text(graph, node, DCTERMS.title, RDFS.label),
        publisher=label_of(graph, publisher) if publisher is not None else "",
        author=label_of(graph, author) if author is not None else "",
        date=str(date) if date is not None else "",
    )
    if date is not None and len(str(date)) >= 10:
        record.date_bounds = (str(date)[:10], str(date)[:10])
    else:
        # An unstated date may be bounded by a curated inference (csi:DateInference).
        for inference in graph.subjects(CSI.identifies, node):
            if (inference, RDF.type, CSI.DateInference) in graph:
                low = next(iter(graph.objects(inference, CSI.startEarliest)), None)
                high = next(iter(graph.objects(inference, CSI.endLatest)), None)
                record.date_bounds = (str(low or ""), str(high or ""))
    return record


def _entity(graph: GraphLike, node: URIRef) -> EntityRecord:
    cls = _most_specific(graph, graph.objects(node, RDF.type))
    # A council can have had more than one GSS code (North Yorkshire did): keep them all.
    codes = sorted(str(code) for code in graph.objects(node, CSI.gssCode))
    identifiers = {"gss": "; ".join(codes)} if codes else {}
    return EntityRecord(
        id=shorten(node),
        iri=str(node),
        label=label_of(graph, node),
        cls=shorten(cls) if cls is not None else "",
        class_label=_class_label(graph, cls),
        alt_labels=sorted(str(a) for a in graph.objects(node, SKOS.altLabel)),
        identifiers=identifiers,
    )


def _statement(
    graph: GraphLike, node: URIRef, roles: set[URIRef], statement_ids: set[str],
    source_iris: dict[str, str],
) -> StatementRecord:
    types = set(graph.objects(node, RDF.type))
    # A node typed both csi:Appointment and csi:Plan is a planned appointment: name it by the
    # class that is not the plan, and flag it as planned.
    cls = _most_specific(graph, types - {CSI.Plan}) or _most_specific(graph, types)
    record = StatementRecord(
        id=shorten(node), iri=str(node), label=label_of(graph, node),
        cls=shorten(cls) if cls is not None else "", class_label=_class_label(graph, cls),
        planned=CSI.Plan in types,
    )
    participants: dict[str, set[str]] = defaultdict(set)
    links: dict[str, set[str]] = defaultdict(set)
    for role in roles:
        for value in graph.objects(node, role):
            if not isinstance(value, URIRef):
                continue
            if str(value) in source_iris:
                record.about_sources.append(source_iris[str(value)])
            elif shorten(value) in statement_ids:
                links[_local(role)].add(shorten(value))
            else:
                participants[_local(role)].add(shorten(value))
    record.participants = {k: sorted(v) for k, v in sorted(participants.items())}
    record.links = {k: sorted(v) for k, v in sorted(links.items())}
    record.about_sources.sort()
    for prop in (CSI.realises, CSI.plannedAction):
        targets = sorted(
            shorten(v) for v in graph.objects(node, prop) if shorten(v) in statement_ids
        )
        if targets:
            record.links[_local(prop)] = targets
    for name in CONCEPT_PROPERTIES:
        concepts = sorted(graph.objects(node, CSI[name]), key=str)
        if concepts:
            record.kinds[name] = [_text(graph, c, SKOS.prefLabel, RDFS.label) or shorten(c)
                                  for c in concepts]
    for name in DATE_PROPERTIES:
        stated = next(iter(graph.objects(node, CSI[name])), None)
        if stated is not None:
            record.dates[name] = str(stated)
    for name in BOUND_PROPERTIES:
        bound = next(iter(graph.objects(node, CSI[name])), None)
        if bound is not None:
            record.bounds[name] = str(bound)[:10]
    # csi:sourceIds (derived) repeats the evidence's sources as corpus ids: the evidence says it.
    skip = {RDFS.label, CSI.evidence, CSI.sourceIds,
            *(CSI[n] for n in (*DATE_PROPERTIES, *BOUND_PROPERTIES))}
    for predicate, value in sorted(graph.predicate_objects(node),
                                   key=lambda pv: (pv[0], str(pv[1]))):
        if isinstance(value, Literal) and predicate not in skip and isinstance(predicate, URIRef):
            record.values.setdefault(_local(predicate), []).append(str(value))
    for evidence in graph.objects(node, CSI.evidence):
        record.evidence.extend(_evidence(graph, evidence, source_iris))
    record.evidence.sort(key=lambda e: (e.source, e.quote, e.claim_kind, e.note))  # total order
    if record.evidence and all(e.claim_kind == "plan" for e in record.evidence):
        record.planned = True
    return record


def _evidence(graph: GraphLike, node: Node, source_iris: dict[str, str]) -> list[EvidenceRecord]:
    kind = next(iter(graph.objects(node, CSI.claimKind)), None)
    kind_name = _text(graph, kind, SKOS.notation) if kind is not None else ""
    note = _text(graph, node, CSI.inferenceNote)
    records = []
    for source in graph.objects(node, OA.hasSource):
        source_id = source_iris.get(str(source), shorten(source))
        for selector in graph.objects(node, OA.hasSelector):
            for quote in graph.objects(selector, OA.exact):
                records.append(EvidenceRecord(source_id, str(quote), kind_name, note))
    return records


# --- the projections -------------------------------------------------------------------------


def rdf_multidigraph(graph: GraphLike) -> nx.MultiDiGraph:
    """Every triple as an edge subject -> object keyed by the predicate's prefixed name.

    Nodes are prefixed names for IRIs and N3 text for literals (a literal node is shared by
    every triple with that exact value); attribute `kind` says which.
    """
    result = nx.MultiDiGraph()
    for s, p, o in sorted(graph, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3())):
        ends = []
        for term in (s, o):
            name = term.n3() if isinstance(term, Literal) else shorten(term)
            if name not in result:
                kind = ("literal" if isinstance(term, Literal)
                        else "bnode" if isinstance(term, BNode) else "iri")
                result.add_node(name, kind=kind, label=str(term) if kind == "literal" else name)
            ends.append(name)
        result.add_edge(ends[0], ends[1], key=shorten(p), predicate=shorten(p))
    return result


def entity_graph(graph: GraphLike, index: Index | None = None) -> nx.MultiDiGraph:
    """Entities as nodes, statements as labelled edges (see the module docstring).

    graph is an rdflib graph, or the published build's Triples (kg.export.triples). Graph
    attributes hold the full records, so a viewer can show any node's statements:
    `statements` (id -> record dict) and `sources` (corpus id -> record dict).
    """
    index = index or build_index(graph)
    result = nx.MultiDiGraph(
        statements={k: _plain(v) for k, v in index.statements.items()},
        sources={k: asdict(v) for k, v in sorted(index.sources.items())},
    )
    node_statements: dict[str, set[str]] = defaultdict(set)
    for entity in index.entities.values():
        result.add_node(entity.id, **_node_attributes(entity))
    for record in index.statements.values():
        for members in record.participants.values():
            for member in members:
                node_statements[member].add(record.id)
        edges = _statement_edges(record, index.agent_roles, index.unit_of)
        for source_end, target, from_role, to_role in edges:
            result.add_edge(source_end, target, key=f"{record.id}|{from_role}|{to_role}|{target}",
                            **_edge_attributes(record, from_role, to_role))
    for predicate, name in STRUCTURAL.items():
        for s, o in sorted(graph.subject_objects(predicate), key=lambda so: (so[0], so[1])):
            if shorten(s) in index.entities and shorten(o) in index.entities:
                result.add_edge(shorten(s), shorten(o), key=f"{shorten(s)}|{name}|{shorten(o)}",
                                **_structural_attributes(name))
    for node, data in result.nodes(data=True):
        ids = sorted(node_statements.get(node, set()))
        data["statements"] = ids
        data["sources"] = sorted({s for i in ids for s in index.statements[i].sources})
        starts = [index.statements[i].span()[0] for i in ids]
        data["first_date"] = min((s for s in starts if s), default="")
    return result


def _plain(record: StatementRecord) -> dict[str, Any]:
    data = asdict(record)
    data["sources"] = record.sources
    data["edge_label"] = record.edge_label
    data["span"] = list(record.span())
    return data


def _node_attributes(entity: EntityRecord) -> dict[str, Any]:
    return {
        "label": entity.label,
        "short_label": short_label(entity.label, entity.alt_labels),
        "class": entity.cls,
        "class_label": entity.class_label,
        "iri": entity.iri,
        "alt_labels": entity.alt_labels,
        "identifiers": entity.identifiers,
    }


def short_label(label: str, alt_labels: list[str]) -> str:
    """An acronym alternative label (ADCS, DfE) when there is one, else the label.

    >>> short_label("Association of Directors of Children's Services", ["ADCS"])
    'ADCS'
    >>> short_label("UK Government", ["the government"])
    'UK Government'
    """
    acronyms = [a for a in alt_labels if " " not in a and sum(c.isupper() for c in a) >= 2]
    return min(acronyms, key=len) if acronyms else label


def _statement_edges(
    record: StatementRecord, agents: frozenset[str], unit_of: dict[str, str]
) -> list[tuple[str, str, str, str]]:
    """(from, to, from role, to role) for each edge a statement becomes.

    A statement about a council's children's services usually names the council too; the edge
    goes to the services only, since the services node is linked to its council anyway (drawing
    both doubles every edge without saying more).
    """
    agent_roles = [r for r in record.participants if r in agents]
    covered = {unit_of[s] for s in record.participants.get("services", []) if s in unit_of}
    froms = [(m, r) for r in agent_roles for m in record.participants[r]]
    if not froms:
        for role in FALLBACK_FROM:
            if record.participants.get(role):
                froms = [(record.participants[role][0], role)]
                break
    edges = []
    for source_end, from_role in froms:
        for role, members in record.participants.items():
            if role in ATTRIBUTE_ROLES or role in agent_roles:
                continue
            for member in members:
                if member == source_end or (role == "authority" and member in covered):
                    continue
                edges.append((source_end, member, from_role, role))
    return edges


def _edge_attributes(record: StatementRecord, from_role: str, to_role: str) -> dict[str, Any]:
    start, end = record.span()
    return {
        "statement": record.id,
        "label": record.edge_label,
        "title": record.label,
        "class": record.cls,
        "class_label": record.class_label,
        "role": f"{from_role} -> {to_role}",
        "kinds": record.kinds,
        "capacity": record.participants.get("capacity", []),
        "dates": record.dates,
        "start": start or "",
        "end": end or "",
        "sources": record.sources,
        "quotes": [e.quote for e in record.evidence],
        "claim_kinds": sorted({e.claim_kind for e in record.evidence}),
        "evidence": [asdict(e) for e in record.evidence],
        "structural": False,
    }


def _structural_attributes(name: str) -> dict[str, Any]:
    return {
        "statement": "", "label": name, "title": name, "class": "", "class_label": "structure",
        "role": name, "kinds": {}, "capacity": [], "dates": {}, "start": "", "end": "",
        "sources": [], "quotes": [], "claim_kinds": [], "evidence": [], "structural": True,
    }


def statement_edges(g: nx.MultiDiGraph) -> list[tuple[str, str, dict[str, Any]]]:
    """The edges that stand for statements (not the structural ones), in a stable order."""
    return sorted(
        ((u, v, d) for u, v, d in g.edges(data=True) if not d["structural"]),
        key=lambda e: (e[2]["statement"], e[0], e[1]),
    )


def simple_undirected(g: nx.MultiDiGraph) -> nx.Graph:
    """One undirected edge per linked pair, weighted by how many edges link them.

    Centrality, communities and layouts want a simple graph; multi-edges count as weight.
    """
    result = nx.Graph()
    result.add_nodes_from(sorted(g.nodes(data=True)))
    for u, v in sorted(g.edges()):
        if u == v:
            continue
        if result.has_edge(u, v):
            result[u][v]["weight"] += 1
        else:
            result.add_edge(u, v, weight=1)
    return result


# --- loading and exploring (used by the notebooks and kg export) --------------------------------


def is_stale(dist: Path) -> bool:
    """True when dist holds no build, or a curated or ontology file changed after it."""
    from kg.namespaces import DATA_DIR, ONTOLOGY_DIR

    built = dist / "kg.trig"
    if not built.is_file():
        return True
    inputs = [*DATA_DIR.glob("*.ttl"), *ONTOLOGY_DIR.glob("*.ttl")]
    return max((p.stat().st_mtime for p in inputs), default=0.0) > built.stat().st_mtime


def load_graph(dist: Path | None = None) -> GraphLike:
    """The published graph (dist/kg.trig, all named graphs merged, parsed by pyoxigraph) when it
    is up to date, else a fresh in-memory build of the curated files (nothing is written).

    dist defaults to $KG_DIST, else the project's dist/ folder.
    """
    import os

    from kg.export.triples import load_published_fast
    from kg.namespaces import DEFAULT_DIST

    dist = dist or Path(os.environ.get("KG_DIST") or DEFAULT_DIST)
    if not is_stale(dist):
        return load_published_fast(dist)[1]
    from kg.build.pipeline import assemble
    from kg.namespaces import corpus_dir

    return assemble(corpus_dir()).graph


def centrality(g: nx.MultiDiGraph) -> pd.DataFrame:
    """Degree (links counted with multiplicity) and betweenness (on the simple projection)."""
    import pandas as pd

    simple = simple_undirected(g)
    betweenness = nx.betweenness_centrality(simple, normalized=True)
    rows = [{"id": n, "label": g.nodes[n]["label"], "class": g.nodes[n]["class_label"],
             "links": g.degree(n), "neighbours": simple.degree(n),
             "statements": len(g.nodes[n]["statements"]),
             "betweenness": round(betweenness[n], 4)} for n in sorted(g)]
    return pd.DataFrame(rows).sort_values(["links", "id"], ascending=[False, True],
                                          ignore_index=True)


def communities(g: nx.MultiDiGraph, seed: int = 7) -> list[list[str]]:
    """Louvain communities of the linked entities (fixed seed: same answer every run),
    largest first, each as sorted node ids.
    """
    simple = simple_undirected(g)
    simple.remove_nodes_from([n for n in list(simple) if simple.degree(n) == 0])
    found = nx.community.louvain_communities(simple, weight="weight", seed=seed)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


def explain_path(g: nx.MultiDiGraph, path: list[str]) -> list[dict[str, Any]]:
    """Each hop of a path with the statements (or registry links) that join the two ends."""
    hops = []
    for a, b in zip(path, path[1:], strict=False):
        links = [d for u, v, d in g.edges(data=True) if {u, v} == {a, b}]
        hops.append({
            "from": g.nodes[a]["label"], "to": g.nodes[b]["label"],
            "links": sorted({d["label"] for d in links}),
            "statements": sorted({d["statement"] for d in links if d["statement"]}),
            "sources": sorted({s for d in links for s in d["sources"]}),
        })
    return hops


def strongest_pairs(g: nx.MultiDiGraph, top: int = 10) -> pd.DataFrame:
    """The pairs of entities linked by the most statements."""
    import pandas as pd

    counts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for u, v, d in g.edges(data=True):
        if d["statement"] and u != v:
            counts[tuple(sorted((u, v)))].add(d["statement"])  # type: ignore[index]
    rows = [{"a": g.nodes[a]["label"], "b": g.nodes[b]["label"], "statements": len(s)}
            for (a, b), s in counts.items()]
    frame = pd.DataFrame(rows, columns=["a", "b", "statements"])
    return frame.sort_values(["statements", "a", "b"], ascending=[False, True, True],
                             ignore_index=True).head(top)
