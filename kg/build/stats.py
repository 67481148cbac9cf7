"""Counts that tell what the graph holds: by class, by source, and corroboration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rdflib import Graph

from kg.namespaces import PREFIXES, shorten

STATEMENT_COUNT = """
SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a/rdfs:subClassOf* csi:Statement }
"""

BY_CLASS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a ?class .
  FILTER (STRSTARTS(STR(?class), STR(csi:)) || ?class IN (foaf:Person, org:Post))
  FILTER NOT EXISTS { ?class a skos:ConceptScheme }
  FILTER (!STRSTARTS(STR(?s), "https://w3id.org/csikg/def"))
} GROUP BY ?class ORDER BY DESC(?n) ?class
"""

BY_SOURCE = """
SELECT ?id (COUNT(DISTINCT ?st) AS ?statements) (COUNT(DISTINCT ?ev) AS ?quotes) WHERE {
  ?source csi:corpusId ?id .
  OPTIONAL {
    ?ev oa:hasSource ?source . ?st csi:evidence ?ev . ?st a/rdfs:subClassOf* csi:Statement
  }
} GROUP BY ?id ORDER BY ?id
"""

# Independent sources (derived at build): distinct sources whose own words support the whole
# statement; inferences and partial support are never counted.
CORROBORATION = """
SELECT ?sources (COUNT(?st) AS ?n) WHERE { ?st csi:independentSources ?sources }
GROUP BY ?sources ORDER BY ?sources
"""


@dataclass
class Stats:
    triples: int
    entities: int
    statements: int
    by_class: list[tuple[str, int]]
    by_source: list[tuple[str, int, int]]
    by_corroboration: list[tuple[int, int]]

    def text(self) -> str:
        lines = [
            f"triples:    {self.triples}",
            f"entities:   {self.entities}",
            f"statements: {self.statements}",
            "",
            "by class:",
            *(f"  {n:5d}  {name}" for name, n in self.by_class),
            "",
            "by source:   statements  quotes",
            *(f"  {sid:24s} {s:6d} {q:7d}" for sid, s, q in self.by_source),
            "",
            "corroboration (statements by number of independent sources; inferences and",
            "partial support not counted):",
            *(f"  {k} source{'s' if k != 1 else ''}: {n}" for k, n in self.by_corroboration),
        ]
        counts = dict(self.by_corroboration)
        lines.append(f"statements resting on a single source: {counts.get(1, 0)}")
        lines.append(f"statements resting on inference or partial support only: {counts.get(0, 0)}")
        return "\n".join(lines) + "\n"


ENTITY_COUNT = """
SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?e a ?class .
  VALUES ?class { foaf:Person org:Post csi:Document csi:Policy csi:LocalAuthority
    csi:ChildrensServices
    csi:ChildrensServicesTrust csi:GovernmentDepartment csi:Inspectorate csi:ParliamentaryCommittee
    csi:SectorBody csi:Charity csi:University csi:Company csi:Publisher csi:ReviewPanel
    org:Organization org:FormalOrganization org:OrganizationalCollaboration }
}
"""


def _scalar(graph: Graph, query: str) -> int:
    row = next(iter(graph.query(query, initNs=PREFIXES)))
    return int(row[0])  # type: ignore[index, arg-type]


def count_statements(graph: Graph) -> int:
    return _scalar(graph, STATEMENT_COUNT)


def _rows(graph: Graph, query: str) -> list[tuple[str, ...]]:
    """Result rows as plain strings (rdflib's row typing is too loose for mypy)."""
    return [tuple(str(value) for value in row) for row in graph.query(query, initNs=PREFIXES)]  # type: ignore[union-attr]


def compute(graph: Graph) -> Stats:
    """The statistics, answered by rdflib's engine (kg stats; the reference for compute_fast)."""
    return _compute(graph, lambda q: _scalar(graph, q), lambda q: _rows(graph, q))


def compute_fast(ntriples: str) -> Stats:
    """The same statistics from the graph's N-Triples, answered by Oxigraph: loading and the
    five queries take a fraction of rdflib's time (tests check the two agree)."""
    from pyoxigraph import RdfFormat, Store

    store = Store()
    store.bulk_load(ntriples.encode("utf-8"), format=RdfFormat.N_TRIPLES)
    triples = sum(1 for line in ntriples.splitlines() if line.strip())
    return compute_store(store, triples)


DISTINCT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"


def compute_store(store: Any, triples: int | None = None) -> Stats:
    """The statistics of a pyoxigraph Store, all its graphs taken as one (as kg.trig loads);
    triples, when known, saves counting the distinct triples."""
    from pyoxigraph import QuerySolutions

    header = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

    def rows(query: str) -> list[tuple[str, ...]]:
        answer = store.query(header + query, use_default_graph_as_union=True)
        assert isinstance(answer, QuerySolutions)
        return [tuple("None" if v is None else v.value for v in row) for row in answer]

    if triples is None:
        triples = int(rows(DISTINCT_TRIPLES)[0][0])
    return _compute(None, lambda q: int(rows(q)[0][0]), rows, triples)


def _compute(
    graph: Graph | None,
    scalar: Callable[[str], int],
    rows: Callable[[str], list[tuple[str, ...]]],
    triples: int | None = None,
) -> Stats:
    return Stats(
        triples=len(graph) if graph is not None else triples or 0,
        entities=scalar(ENTITY_COUNT),
        statements=scalar(STATEMENT_COUNT),
        by_class=[(shorten(c), int(n)) for c, n in rows(BY_CLASS)],
        by_source=[(i, int(s), int(q)) for i, s, q in rows(BY_SOURCE)],
        # With no statements at all rdflib still answers one all-unbound group: skip it.
        by_corroboration=[(int(k), int(n)) for k, n in rows(CORROBORATION) if k != "None"],
    )
