"""`kg report`: the graph's state for a curator, in Markdown or HTML.

Where a saved query answers a section, the report runs it (so the report and `kg query` never
disagree); the few checks no saved query covers are small queries here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from kg.namespaces import PREFIXES, prefix_block
from kg.query.engine import Engine

_PREFIXES = prefix_block(PREFIXES)

OPEN_PERIODS = _PREFIXES + """
SELECT ?statement ?label ?start ?knownUntil ?untilBasis ?lastAttested WHERE {
  ?statement a ?class ; rdfs:label ?label ; csi:lastAttested ?lastAttested .
  VALUES ?class { csi:Responsibility csi:PostHolding csi:InspectionJudgement }
  FILTER NOT EXISTS { ?statement csi:endDate ?end }
  FILTER NOT EXISTS { ?statement a csi:Plan }
  OPTIONAL { ?statement csi:startDate ?start }
  OPTIONAL { ?statement csi:knownUntil ?knownUntil ; csi:knownUntilBasis ?untilBasis }
} ORDER BY ?lastAttested ?label
"""
INFERENCES = _PREFIXES + """
SELECT ?id ?label ?note WHERE {
  ?thing csi:evidence ?ev ; rdfs:label ?label .
  ?ev csi:claimKind claim:inference ; oa:hasSource/csi:corpusId ?id .
  OPTIONAL { ?ev csi:inferenceNote ?note }
} ORDER BY ?id ?label
"""
NO_CAPACITY = _PREFIXES + """
SELECT ?statement ?label ?speakerLabel WHERE {
  ?statement a csi:Position ; rdfs:label ?label ; csi:speaker ?speaker .
  ?speaker a foaf:Person ; rdfs:label ?speakerLabel .
  FILTER NOT EXISTS { ?statement csi:capacity ?post }
} ORDER BY ?speakerLabel ?label
"""
NO_IDENTIFIER = _PREFIXES + """
SELECT ?entity ?label WHERE {
  ?entity a csi:LocalAuthority ; rdfs:label ?label .
  FILTER NOT EXISTS { ?entity csi:gssCode ?code }
} ORDER BY ?label
"""


@dataclass
class Section:
    title: str
    note: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[str, ...]] = field(default_factory=list)


def _from(engine: Engine, title: str, note: str, query: str, columns: list[str]) -> Section:
    results = engine.run(query) if "\n" not in query else engine.sparql(query)
    index = [results.variables.index(c) for c in columns]
    rows = [tuple(row[i] for i in index) for row in results.texts(short=True)]
    return Section(title, note, columns, rows)


def sections(
    engine: Engine, corpus: Path | None, pending: dict[str, tuple[int, int]]
) -> list[Section]:
    found = [
        _from(engine, "Sources", "statements, quotes and who is quoted, per source "
              "(saved query sources-overview)", "sources-overview",
              ["id", "title", "date", "notBefore", "statements", "quotes"]),
    ]
    known = {row[0] for row in found[0].rows}
    if corpus is not None:
        from kg.build.corpus import texts

        orphans: list[tuple[str, ...]] = [(p.name,) for p in texts(corpus) if p.stem not in known]
        found.append(Section("Corpus texts without a source entry",
                             "add them with `kg source add`", ["file"], orphans))
    found += [
        Section("Sources not curated yet", "a source entry with no statements",
                ["id"], [(r[0],) for r in found[0].rows if r[4] in ("", "0")]),
        _from(engine, "Statements resting on one source",
              "corroborate before relying on them (saved query single-source-statements)",
              "single-source-statements", ["label", "independentSources", "source"]),
        _from(engine, "Candidate duplicates across sources",
              "leads to merge or leave apart (saved query candidate-duplicates)",
              "candidate-duplicates", ["firstLabel", "firstSources", "secondLabel",
                                       "secondSources"]),
        _from(engine, "Source differences and plans against outcomes",
              "saved query source-differences", "source-differences",
              ["difference", "first", "firstValue", "firstSources", "second", "secondValue",
               "secondSources", "verdict"]),
        _from(engine, "Periods with no stated end",
              "known only up to their last attestation (knownUntil, derived at build)",
              OPEN_PERIODS, ["label", "start", "knownUntil", "untilBasis", "lastAttested"]),
        _from(engine, "Inferences", "the curator's readings, each with its note", INFERENCES,
              ["id", "label", "note"]),
        _from(engine, "Positions without a stated capacity",
              "a person speaking: for whom? (csi:capacity)", NO_CAPACITY,
              ["speakerLabel", "label"]),
        _from(engine, "Councils without an external identifier",
              "no GSS code from the reference data (csi:gssCode)", NO_IDENTIFIER, ["label"]),
        Section("Pending candidates", "sections of curation/<id>.candidates.md still pending",
                ["source", "pending", "candidates"],
                [(sid, str(w), str(t)) for sid, (w, t) in sorted(pending.items())]),
    ]
    return found


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(found: list[Section]) -> str:
    lines = ["# Curation report", ""]
    for section in found:
        lines += [f"## {section.title} ({len(section.rows)})", "", f"_{section.note}_", ""]
        if section.rows:
            lines.append("| " + " | ".join(section.columns) + " |")
            lines.append("|" + "---|" * len(section.columns))
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in section.rows]
        else:
            lines.append("none")
        lines.append("")
    return "\n".join(lines)


def html_page(found: list[Section]) -> str:
    parts = ["<!doctype html><html lang='en'><meta charset='utf-8'>",
             "<title>Curation report</title><h1>Curation report</h1>"]
    for section in found:
        parts.append(f"<h2>{html.escape(section.title)} ({len(section.rows)})</h2>"
                     f"<p><em>{html.escape(section.note)}</em></p>")
        if not section.rows:
            parts.append("<p>none</p>")
            continue
        head = "".join(f"<th>{html.escape(c)}</th>" for c in section.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
            for row in section.rows
        )
        parts.append(f"<table><tr>{head}</tr>{body}</table>")
    return "\n".join(parts) + "\n</html>\n"
