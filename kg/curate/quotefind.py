"""`kg quote find`: where exactly a passage is in a source, or the nearest passages as a hint.

The hint never replaces the quote: a curator copies the exact words from the passage shown
(DESIGN: the quote check never re-anchors a quote to a near match).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from kg.build.quotes import fold
from kg.curate.textmap import FoldedText


@dataclass(frozen=True)
class Passage:
    start: int  # character offsets in the original text
    end: int
    text: str  # the passage, whitespace folded: what to paste as oa:exact
    before: str
    after: str
    score: float = 100.0


def _passage(text: FoldedText, start: int, end: int, context: int, score: float) -> Passage:
    original = text.original
    return Passage(
        start,
        end,
        fold(original[start:end]),
        fold(original[max(0, start - context) : start]),
        fold(original[end : end + context]),
        score,
    )


def find(text: str, quote: str, context: int = 60) -> list[Passage]:
    """Every exact occurrence of quote (folding whitespace and typographic quote marks)."""
    folded = FoldedText.of(text)
    return [_passage(folded, s, e, context, 100.0) for s, e in folded.find_all(quote)]


def nearest(text: str, quote: str, limit: int = 3, context: int = 60) -> list[Passage]:
    """The passages most like quote: word windows of the quote's length, best first, not
    overlapping one another."""
    folded = FoldedText.of(text)
    wanted = fold(quote)
    starts = [0] + [i + 1 for i, c in enumerate(folded.folded) if c == " "]
    size = max(1, len(wanted.split(" ")))
    scored = []
    # A mistyped quote often drops or adds a word: try windows one word shorter and longer too.
    for width in {max(1, size - 1), size, size + 1}:
        for n, start in enumerate(starts):
            stop = starts[n + width] - 1 if n + width < len(starts) else len(folded.folded)
            scored.append((fuzz.ratio(wanted, folded.folded[start:stop]), start, stop))
    scored.sort(key=lambda item: (-item[0], item[1]))
    chosen: list[tuple[float, int, int]] = []
    for score, start, stop in scored:
        if all(stop <= s or start >= e for _, s, e in chosen):
            chosen.append((score, start, stop))
        if len(chosen) == limit:
            break
    return [
        _passage(folded, *folded.span(start, stop), context, round(score, 1))
        for score, start, stop in chosen
    ]
