"""The graph holds every source's facts, each statement with evidence from the corpus."""

from __future__ import annotations

from rdflib import Graph
from sources import curated

from kg.build.stats import compute
from kg.namespaces import PREFIXES

# The articles come from the corpus folder and the registry (fixture `articles`), never a list
# written here: a source added with `kg source add` joins every check below by itself.
FULLY_CURATED = 20  # statements an article curated in full gives at least (the first five: 20+)


def test_every_article_contributes_statements(graph: Graph, articles: list[str]) -> None:
    by_source = {sid: n for sid, n, _ in compute(graph).by_source}
    done = [a for a in articles if curated(a)]
    assert len(done) >= 5
    for article in done:
        assert by_source.get(article, 0) >= 1, article  # a curated file gives statements
    # Most articles are curated in full; a new, short one may give fewer.
    full = [a for a in done if by_source.get(a, 0) >= FULLY_CURATED]
    assert len(full) >= 5, by_source


def test_size_of_the_graph(graph: Graph) -> None:
    stats = compute(graph)
    assert stats.entities >= 60
    assert stats.statements - 17 >= 100  # statements from the five articles, GSS codes aside


def test_every_named_person_in_the_corpus_is_an_entity(graph: Graph) -> None:
    people = {
        str(row[0])
        for row in graph.query(
            "SELECT ?n WHERE { ?p a foaf:Person ; rdfs:label ?n }", initNs=PREFIXES
        )
    }
    assert people >= {
        "Justine Greening",
        "Dave Hill",
        "Eleanor Brazil",
        "David Cameron",
        "Sir Tony Hawkhead",
        "Roy Perry",
        "Ray Jones",
        "Michael Gove",
        "Ros Jones",
        "Alan Wood",
        "Andrew Webb",
        "David Simmonds",
        "Julian Le Grand",
        "Derren Hayes",
    }


def test_every_person_is_in_some_statement(graph: Graph) -> None:
    idle = graph.query(
        """
        SELECT ?p WHERE { ?p a foaf:Person .
          FILTER NOT EXISTS { ?s ?prop ?p . ?prop rdfs:subPropertyOf* csi:involves }
          FILTER NOT EXISTS { ?src dcterms:creator ?p } }""",
        initNs=PREFIXES,
    )
    assert list(idle) == []


def test_every_council_with_an_intervention_has_an_inadequate_rating_or_finding(
    graph: Graph,
) -> None:
    rated = {
        str(r[0])
        for r in graph.query(
            """
        SELECT DISTINCT ?label WHERE {
          ?j a csi:InspectionJudgement ; csi:judgement judgement:inadequate .
          { ?j csi:authority ?c } UNION { ?j csi:services/org:unitOf ?c } ?c rdfs:label ?label }""",
            initNs=PREFIXES,
        )
    }
    assert {
        "Birmingham City Council",
        "Doncaster Council",
        "Slough Borough Council",
        "Norfolk County Council",
        "Dudley Metropolitan Borough Council",
    } <= rated
