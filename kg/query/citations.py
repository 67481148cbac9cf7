"""Sources as people cite them (publisher, date, title), never as corpus ids.

Drawn from the saved query `sources-overview`, so the page, the CLI, the pictures and the
entity pages cite a source in the same words as that query's answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.query.engine import Engine, term_text


@dataclass(frozen=True)
class Citation:
    iri: str
    id: str  # corpus id, kept for files and filters, never shown alone
    title: str
    publisher: str = ""
    author: str = ""
    date: str = ""  # as the source states it
    not_before: str = ""  # bounds inferred for an undated source
    not_after: str = ""
    url: str = ""  # where the source can be read, when the graph knows it

    @property
    def when(self) -> str:
        """The date as stated, else the inferred bounds marked as such, else 'undated'."""
        if self.date:
            return self.date
        if self.not_before and self.not_after:
            if self.not_before == self.not_after:
                return f"undated, c. {self.not_before}"
            return f"undated, between {self.not_before} and {self.not_after}"
        if self.not_before:
            return f"undated, not before {self.not_before}"
        if self.not_after:
            return f"undated, not after {self.not_after}"
        return "undated"

    @property
    def text(self) -> str:
        """The full citation: publisher (and author), date, title."""
        by = ", ".join(part for part in (self.publisher, self.author) if part)
        return f"{by or 'publisher not stated'}, {self.when}: “{self.title}”"

    @property
    def short(self) -> str:
        """A terminal-width form: who, when, and the title's opening words."""
        who = self.publisher or self.author or "unattributed"
        title = self.title if len(self.title) <= 36 else self.title[:35].rstrip() + "…"
        return f"{who}, {self.when}, “{title}”"


def is_source_list(column: str) -> bool:
    """A results column that lists corpus ids (sources, firstSources...): shown as citations."""
    return column == "sources" or column.endswith("Sources")


def citations(engine: Engine) -> dict[str, Citation]:
    """Every source of the graph by IRI, from the `sources-overview` saved query."""
    found: dict[str, Citation] = {}
    for row in engine.run("sources-overview"):
        iri = term_text(row["source"])
        found[iri] = Citation(
            iri=iri,
            id=term_text(row["id"]),
            title=term_text(row["title"]),
            publisher=term_text(row.get("publisher")),
            author=term_text(row.get("author")),
            date=term_text(row.get("date")),
            not_before=term_text(row.get("notBefore")),
            not_after=term_text(row.get("notAfter")),
            url=term_text(row.get("url")),
        )
    return found
