"""A source text folded as the quote check folds it, with a map back to the original offsets.

Offsets reported to a curator are character offsets in the original file (Python str indices),
so they point at the words an editor shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.build.loading import read_text
from kg.build.quotes import fold, source_text_path
from kg.errors import BadInputError
from kg.namespaces import corpus_dir

_MARKS = {"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"'}


@dataclass(frozen=True)
class FoldedText:
    original: str
    folded: str
    offsets: tuple[int, ...]  # offsets[i] = index in original of folded[i]

    @classmethod
    def of(cls, text: str) -> FoldedText:
        chars: list[str] = []
        offsets: list[int] = []
        for index, char in enumerate(text):
            if char.isspace():
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    offsets.append(index)
                continue
            chars.append(_MARKS.get(char, char))
            offsets.append(index)
        while chars and chars[-1] == " ":
            chars.pop()
            offsets.pop()
        return cls(text, "".join(chars), tuple(offsets))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original [start, end) of the folded [start, end)."""
        return self.offsets[start], self.offsets[end - 1] + 1

    def find_all(self, quote: str) -> list[tuple[int, int]]:
        """Every original span where quote occurs, folding as the quote check does."""
        wanted = fold(quote)
        spans, at = [], self.folded.find(wanted) if wanted else -1
        while at >= 0:
            spans.append(self.span(at, at + len(wanted)))
            at = self.folded.find(wanted, at + 1)
        return spans


def source_text(source: str, corpus: Path | None = None) -> tuple[str, str]:
    """(source id, text) for SOURCE given as an id, src:id, or the id's number prefix ("005")."""
    folder = corpus_dir(corpus)
    sid = source.removeprefix("src:").removesuffix(".txt")
    if len(sid) == 3 and sid.isdigit():
        matches = sorted(folder.glob(f"{sid}_*.txt"))
        if len(matches) == 1:
            sid = matches[0].stem
    path = source_text_path(folder, sid)
    if path is None:
        raise BadInputError(f"no text for source {source} in {folder} (give --corpus or KG_CORPUS)")
    return sid, read_text(path, limit=None)
