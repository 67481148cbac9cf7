"""The quote check: every evidence quote must occur verbatim in its source text.

Matching folds only runs of whitespace (including no-break spaces) and typographic quote marks.
A miss is reported with the nearest passage as a hint for the curator; it is never re-anchored.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Node

from kg.namespaces import CSI, OA

_QUOTE_MARKS = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"'})
_WHITESPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Fold whitespace runs to one space and typographic quotes to straight ones.

    >>> fold("a\\u00a0 “b”\\n c’s")
    'a "b" c\\'s'
    """
    return _WHITESPACE.sub(" ", text.translate(_QUOTE_MARKS)).strip()


@dataclass(frozen=True)
class QuoteProblem:
    evidence: Node
    source_id: str
    quote: str
    message: str
    hint: str | None = None


def source_text_path(corpus: Path, source_id: str) -> Path | None:
    """A corpus article is corpus/<id>.txt; reference data sits in ../reference/<id>.tsv."""
    for candidate in (
        corpus / f"{source_id}.txt",
        corpus.parent / "reference" / f"{source_id}.tsv",
    ):
        if candidate.is_file():
            return candidate
    return None


def nearest_passage(quote: str, text: str) -> str:
    """The passage of text most like quote, for a curator's hint only."""
    words = text.split(" ")
    size = max(1, len(quote.split(" ")))
    best, best_ratio = "", 0.0
    for start in range(0, max(1, len(words) - size + 1)):
        window = " ".join(words[start : start + size])
        ratio = difflib.SequenceMatcher(None, quote, window).ratio()
        if ratio > best_ratio:
            best, best_ratio = window, ratio
    return best


def check_quotes(graph: Graph, corpus: Path) -> list[QuoteProblem]:
    """Every (evidence, source, quote) in graph, checked against the texts in corpus."""
    problems: list[QuoteProblem] = []
    texts: dict[str, str | None] = {}
    rows = graph.query(
        """
        SELECT ?evidence ?id ?quote WHERE {
          ?evidence oa:hasSource ?source ; oa:hasSelector/oa:exact ?quote .
          OPTIONAL { ?source csi:corpusId ?id }
        } ORDER BY ?id ?quote
        """,
        initNs={"oa": OA, "csi": CSI},
    )
    for evidence, source_id, quote in rows:  # type: ignore[misc]
        if source_id is None:
            problems.append(
                QuoteProblem(evidence, "", str(quote), "its source has no csi:corpusId")
            )
            continue
        sid = str(source_id)
        if sid not in texts:
            path = source_text_path(corpus, sid)
            texts[sid] = fold(path.read_text(encoding="utf-8")) if path else None
        text = texts[sid]
        if text is None:
            problems.append(
                QuoteProblem(evidence, sid, str(quote), f"no text for source {sid} in {corpus}")
            )
        elif fold(str(quote)) not in text:
            problems.append(
                QuoteProblem(
                    evidence,
                    sid,
                    str(quote),
                    f"quote not found in source {sid}",
                    hint=nearest_passage(fold(str(quote)), text),
                )
            )
    return problems
