"""One test per modelling pattern of ontology/README.md, on the real graph, with real facts."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.build.quotes import fold
from kg.curate.source import date_spellings
from kg.namespaces import PREFIXES


def rows(graph: Graph, query: str) -> list[tuple[str, ...]]:
    return [tuple(str(v) for v in row) for row in graph.query(query, initNs=PREFIXES)]  # type: ignore[union-attr]


def ask(graph: Graph, query: str) -> bool:
    return bool(graph.query(f"ASK {{ {query} }}", initNs=PREFIXES).askAnswer)


def test_evidence_corroborated_by_two_sources(graph: Graph) -> None:
    found = rows(
        graph,
        """
        SELECT DISTINCT ?id ?kind WHERE {
          st:doncaster-trust-establishment csi:evidence ?ev .
          ?ev oa:hasSource/csi:corpusId ?id ; csi:claimKind/skos:notation ?kind ;
              oa:hasSelector/oa:exact ?quote .
        } ORDER BY ?id""",
    )
    assert found == [
        ("000_09276d63d6a2d610", "reported-fact"),
        ("003_51ba7b2c6747c069", "reported-fact"),
    ]


def test_dates_keep_their_precision_and_get_bounds(graph: Graph) -> None:
    start = graph.value(
        URIRef(PREFIXES["st"] + "birmingham-inadequate-since-2009"),
        URIRef(PREFIXES["csi"] + "startDate"),
    )
    assert start == Literal("2009", datatype=XSD.gYear)
    assert rows(
        graph,
        """
        SELECT ?a ?b WHERE {
          st:birmingham-inadequate-since-2009 csi:startEarliest ?a ; csi:startLatest ?b
        }
    """,
    ) == [("2009-01-01", "2009-12-31")]


def test_inspection_judgement_after_the_trust_started(graph: Graph) -> None:
    assert rows(
        graph,
        """
        SELECT ?date ?judgement WHERE {
          ?j a csi:InspectionJudgement ; csi:services service:doncaster-childrens-services ;
             csi:judgement/skos:notation ?judgement ; csi:date ?date .
        } ORDER BY ?date""",
    ) == [("2015-09", "inadequate")]


def test_responsibility_split_between_council_and_trust(graph: Graph) -> None:
    found = rows(
        graph,
        """
        SELECT ?holder ?kind WHERE {
          ?r a csi:Responsibility ; csi:services service:doncaster-childrens-services ;
             csi:holder/rdfs:label ?holder ; csi:responsibilityKind/skos:notation ?kind .
        } ORDER BY ?kind ?holder""",
    )
    assert ("Doncaster Children's Services Trust", "operational-control") in found
    assert ("Doncaster Council", "statutory-responsibility") in found


def test_post_held_by_a_person_is_attested_not_dated(graph: Graph) -> None:
    """A post reported as at the article's date has no event date (csi:date); the build derives
    the day it was attested from the article's own date."""
    assert rows(
        graph,
        """
        SELECT ?post ?attested ?date WHERE {
          ?h a csi:PostHolding ; csi:holder person:andrew-webb ;
             csi:post/rdfs:label ?post ; csi:lastAttested ?attested .
          OPTIONAL { ?h csi:date ?date }
        }""",
    ) == [("President of the Association of Directors of Children's Services", "2013-07-16",
           "None")]


def test_decision_responds_to_a_recommendation(graph: Graph) -> None:
    assert ask(
        graph,
        """
        ?d a csi:Decision ; csi:decidedBy person:michael-gove ; csi:respondsTo ?r .
        ?r a csi:Recommendation ; csi:recommendedBy body:doncaster-review-panel ;
           csi:interventionKind intervention:independent-trust .""",
    )


def test_directions_issued_on_behalf_of_the_secretary_of_state(graph: Graph) -> None:
    found = rows(
        graph,
        """
        SELECT ?to (COUNT(?req) AS ?n) WHERE {
          ?d a csi:Direction ; csi:issuedBy body:dfe ; csi:onBehalfOf person:justine-greening ;
             csi:directedTo/rdfs:label ?to ; csi:requirement ?req .
        } GROUP BY ?to ORDER BY ?to""",
    )
    assert [to for to, _ in found] == [
        "Dudley Metropolitan Borough Council",
        "Norfolk County Council",
    ]
    assert all(int(n) >= 2 for _, n in found)


def test_plan_and_what_happened_are_kept_apart(graph: Graph) -> None:
    assert rows(
        graph,
        """
        SELECT ?planned ?actual WHERE {
          st:doncaster-trust-plan a csi:Plan ; csi:plannedDate ?planned .
          ?event csi:realises st:doncaster-trust-plan ; a csi:Establishment ; csi:date ?actual .
        }""",
    ) == [("2014-04", "2014-10")]
    # a plan is never supported only by reported facts
    assert not ask(
        graph,
        """
        ?p a csi:Plan . FILTER NOT EXISTS { ?p csi:evidence/csi:claimKind claim:plan }""".replace(
            "claim:plan", "<https://w3id.org/csikg/def/claim-kind/plan>"
        ),
    )


def test_establishment_of_a_trust(graph: Graph) -> None:
    assert rows(
        graph,
        """
        SELECT ?org ?by ?date WHERE {
          st:slough-trust-establishment org:resultingOrganization/rdfs:label ?org ;
            csi:establishedBy/rdfs:label ?by ; csi:date ?date .
        }""",
    ) == [("Slough independent children's services trust", "Slough Borough Council", "2015-09")]


def test_stakeholder_positions_with_capacity_and_concern(graph: Graph) -> None:
    found = rows(
        graph,
        """
        SELECT DISTINCT ?speaker ?concern WHERE {
          ?p a csi:Position ; csi:speaker/rdfs:label ?speaker ; csi:concern/skos:notation ?concern .
          FILTER (?concern = "accountability")
        } ORDER BY ?speaker""",
    )
    speakers = {speaker for speaker, _ in found}
    assert {"Ray Jones", "David Simmonds"} <= speakers


def test_money_is_typed(graph: Graph) -> None:
    assert rows(
        graph,
        """
        SELECT ?amount ?currency WHERE {
          ?f a csi:Funding ; csi:amount ?amount ; schema:currency ?currency ;
             csi:authority council:doncaster .
        }""",
    ) == [("250000.0", "GBP")]
    assert ask(
        graph, "?c a csi:Contract ; csi:party body:impower ; csi:amount 1800000.0 ; csi:duration ?d"
    )


def test_gss_codes_from_reference_data(graph: Graph) -> None:
    assert rows(graph, "SELECT ?code WHERE { council:doncaster csi:gssCode ?code }") == [
        ("E08000017",)
    ]
    assert rows(
        graph, "SELECT ?code WHERE { council:north-yorkshire csi:gssCode ?code } ORDER BY ?code"
    ) == [("E06000065",), ("E10000023",)]


def test_sources_only_state_what_the_text_states(
    graph: Graph, corpus: Path, articles: list[str]
) -> None:
    # Derived from the corpus, not a list of the sources: a source carries a date only where its
    # text states it, and that dateline is quoted as the source's own reported-fact evidence.
    dated = rows(
        graph, "SELECT ?id ?date WHERE { ?s csi:corpusId ?id ; dcterms:date ?date } ORDER BY ?id"
    )
    assert ("004_dd1639bb877fd76f", "2013-07-16") in dated  # the real graph's one byline date
    for sid, iso in dated:
        assert sid in articles
        quotes = [q for (q,) in rows(graph, f"""SELECT ?q WHERE {{
            ?s csi:corpusId "{sid}" ; csi:evidence ?ev .
            ?ev csi:claimKind claim:reported-fact ; oa:hasSelector/oa:exact ?q }}""")]
        spelled = date_spellings(dt.date.fromisoformat(iso))
        text = fold((corpus / f"{sid}.txt").read_text(encoding="utf-8"))
        assert any(s in q and fold(q) in text for q in quotes for s in spelled), (sid, quotes)
    undated = set(articles) - {sid for sid, _ in dated}
    for sid in undated:  # no date the text does not state, not even from a stated dateline
        text = (corpus / f"{sid}.txt").read_text(encoding="utf-8")
        assert not re.search(r"\bBy [A-Z][a-z]+ [A-Z][a-z]+\s*\|\s*\d{1,2} [A-Z][a-z]+ \d{4}",
                             text), sid
    bounds = rows(
        graph,
        """
        SELECT ?id ?start WHERE {
          ?i a csi:DateInference ; csi:identifies/csi:corpusId ?id ; csi:startDate ?start ;
             csi:evidence/csi:claimKind claim:inference .
        } ORDER BY ?id""",
    )
    # The bounds of the first sources' dates, as curated; a later source may add its own.
    assert [b for b in bounds if b[0] <= "004"] == [
        ("000_09276d63d6a2d610", "2015-09"),
        ("001_6e72c5e86b3c3b56", "2015-12"),
        ("002_fd503eedf0b63223", "2015-12"),  # through 001's date of the same announcement
        ("003_51ba7b2c6747c069", "2015-09"),
    ]


# --- issue 7: errors found against the source texts, each kept fixed -----------------------------

def _label(graph: Graph, statement: str) -> str:
    found = rows(graph, f"SELECT ?l WHERE {{ {statement} rdfs:label ?l }}")
    assert len(found) == 1, statement
    return found[0][0]


def test_slough_trust_control_is_not_dated_by_its_setting_up(graph: Graph) -> None:
    # 000 says only that the trust "was set up by Slough Council to run children's services".
    assert not ask(graph, "st:slough-trust-operational-control csi:startDate ?d")
    assert rows(graph, """SELECT DISTINCT ?k WHERE {
        st:slough-trust-operational-control csi:evidence/csi:claimKind/skos:notation ?k }""") == [
        ("inference",)]


def test_labels_add_nothing_the_source_does_not_say(graph: Graph) -> None:
    assert "not needed" not in _label(graph, "st:ray-jones-birmingham-would-have-sorted-itself-out")
    assert " only " not in _label(graph, "st:sw-reform-government-removal-not-lightly")


def test_birmingham_statutory_responsibility_is_planned_not_current(graph: Graph) -> None:
    assert ask(graph, "st:birmingham-council-keeps-statutory-responsibility a csi:Plan")


def test_cameron_immediate_takeover_has_its_own_plan(graph: Graph) -> None:
    assert ask(graph, """
        st:cameron-persistent-failure-immediate-takeover-plan a csi:Plan ;
            csi:basis st:cameron-reforms-announcement ;
            csi:evidence/oa:hasSelector/oa:exact ?q .
        FILTER (CONTAINS(?q, "taken over immediately"))""")


def test_guessed_slots_stay_open(graph: Graph) -> None:
    # 000 does not say the government accepted the retention recommendation.
    assert ask(graph, "st:sw-reform-government-retention-response csi:stance stance:unstated")
    # 002 lists several takeovers (sponsors, charities, trusts): not the trust kind alone.
    assert not ask(graph, """st:cameron-reforms-six-months-or-takeover-plan
        csi:interventionKind <https://w3id.org/csikg/def/intervention-kind/independent-trust>""")
    # Hawkhead names no policy for charities being well placed.
    assert not ask(graph, "st:cameron-reforms-hawkhead-charities-well-placed csi:topic ?t")


def test_case_views_are_about_the_case(graph: Graph) -> None:
    for position, council in [("st:norfolk-hill-no-merit-in-external-organisation", "norfolk"),
                              ("st:dudley-brazil-removing-control-not-necessary", "dudley")]:
        assert ask(graph, f"{position} csi:caseOf council:{council}")
        assert not ask(graph, f"{position} csi:topic policy:independent-trust-model")


def test_a_merged_event_carries_its_date_to_every_source(graph: Graph) -> None:
    # 001's December 2015 date reaches the announcement that 002 reports, and bounds 002's date.
    assert ask(graph, 'st:cameron-reforms-announcement csi:date "2015-12"^^xsd:gYearMonth')
    assert rows(graph, """SELECT ?d WHERE {
        st:cameron-reforms-perry-lga-board-chair csi:lastAttested ?d }""") == [("2015-12-01",)]


def test_source_ids_are_the_sorted_corpus_ids_of_the_sources(graph: Graph) -> None:
    """csi:sourceIds (derived) equals what the provenance queries used to group per row."""
    grouped = {
        statement: " ".join(sorted(ids.split(" ")))
        for statement, ids in rows(
            graph,
            """
            SELECT ?statement (GROUP_CONCAT(DISTINCT ?id; separator=" ") AS ?ids)
            WHERE { ?statement prov:wasDerivedFrom/csi:corpusId ?id } GROUP BY ?statement""",
        )
    }
    derived = dict(rows(graph, "SELECT ?statement ?ids WHERE { ?statement csi:sourceIds ?ids }"))
    assert grouped and derived == grouped
    assert derived[f"{PREFIXES['st']}doncaster-trust-establishment"] == (
        "000_09276d63d6a2d610 003_51ba7b2c6747c069"
    )
