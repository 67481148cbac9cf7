"""The quote check folds whitespace and typographic quotes, and nothing else."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg.build.quotes import check_quotes, fold

SOURCE = "004_dd1639bb877fd76f"


def evidence_graph(quote: str, source_id: str = SOURCE) -> Graph:
    escaped = quote.replace("\\", "\\\\").replace('"', '\\"')
    return Graph().parse(
        data=f"""
        @prefix oa: <http://www.w3.org/ns/oa#> . @prefix csi: <https://w3id.org/csikg/def/> .
        <urn:src> csi:corpusId "{source_id}" .
        <urn:ev> oa:hasSource <urn:src> ; oa:hasSelector [ oa:exact "{escaped}" ] .
        """,
        format="turtle",
    )


def test_fold_whitespace_and_quote_marks_only() -> None:
    assert fold("a\u00a0\n b") == "a b"
    assert fold("“x” ‘y’") == "\"x\" 'y'"
    assert fold("Gove") != fold("gove")  # case is not folded


def test_a_verbatim_quote_is_found(corpus: Path) -> None:
    quote = "Education Secretary Michael Gove has backed the review panel recommendation"
    assert check_quotes(evidence_graph(quote), corpus) == []


def test_straight_quotes_match_typographic_ones(corpus: Path) -> None:
    quote = "Accountability to local residents is vital"
    assert check_quotes(evidence_graph(quote), corpus) == []
    with_marks = "“Government will now need to clearly demonstrate the benefits of this process"
    assert check_quotes(evidence_graph(with_marks.replace("“", '"')), corpus) == []


def test_a_near_miss_fails_and_is_not_reanchored(corpus: Path) -> None:
    problems = check_quotes(
        evidence_graph("Education Secretary Michael Gove has backed the panel recommendation"),
        corpus,
    )
    assert len(problems) == 1
    assert "not found" in problems[0].message
    assert problems[0].hint and "review panel" in problems[0].hint  # a hint, nothing more


def test_unknown_source_is_reported(corpus: Path) -> None:
    problems = check_quotes(evidence_graph("anything", source_id="999_missing"), corpus)
    assert problems and "no text for source 999_missing" in problems[0].message


def test_every_quote_of_the_real_graph_is_in_its_source(graph: Graph, corpus: Path) -> None:
    assert check_quotes(graph, corpus) == []
