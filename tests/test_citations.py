"""Sources are cited as publisher, date and title, drawn from the sources-overview query."""

from __future__ import annotations

from pathlib import Path

from kg.query.citations import Citation, citations
from kg.query.engine import Engine


def test_every_source_is_cited_by_title_never_by_id(dist: Path) -> None:
    engine = Engine.load(dist)
    cited = citations(engine)
    overview = list(engine.run("sources-overview"))
    assert len(cited) == len(overview) > 0
    for citation in cited.values():
        assert citation.title and citation.title in citation.text
        assert citation.id not in citation.text and citation.id not in citation.short
        assert citation.when in citation.text


def test_an_undated_source_says_so_with_its_bounds() -> None:
    bounded = Citation(iri="x", id="x", title="T", not_before="2015-09")
    assert bounded.when == "undated, not before 2015-09"
    assert Citation(iri="x", id="x", title="T", not_before="2015-09",
                    not_after="2016-01").when == "undated, between 2015-09 and 2016-01"
    dated = Citation(iri="x", id="x", title="A title longer than the short form keeps, by far",
                     publisher="P", date="2013-07-16")
    assert dated.text == "P, 2013-07-16: “A title longer than the short form keeps, by far”"
    assert dated.short.startswith("P, 2013-07-16, “A title") and dated.short.endswith("…”")
