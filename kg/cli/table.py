"""Results as people read them in a terminal: a rich table that fits its width, or Markdown.

What a table shows (the machine formats keep every solution as it is):
- labels instead of IRIs where the answer carries `xLabel` beside `x` (and only x is shown);
- sources as short citations (publisher, date, title), never as corpus ids;
- one row per statement: rows that differ only in their evidence (quote, source, claim kind,
  date clue...) become one row whose evidence cell lists each piece, "quote" — citation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pyoxigraph import NamedNode, Triple
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kg.namespaces import shorten
from kg.query.catalogue import Term
from kg.query.citations import Citation, is_source_list
from kg.query.engine import Results, term_text

# Columns that describe one piece of evidence rather than the statement it supports.
EVIDENCE = ("quote", "dateClue", "clue", "source", "claimKind", "evidence", "note",
            "inferenceNote")
# Words an inference rests on, shown apart from the quote: a date's clue, or a fact's.
CLUES = {"dateClue": "date from", "clue": "inferred from"}


@dataclass
class View:
    """The cells of a table for people, with how many solutions they came from."""

    header: list[str]
    rows: list[list[str]]
    solutions: int
    truncated: bool = False

    @property
    def footer(self) -> str:
        rows = f"{len(self.rows)} row{'s' if len(self.rows) != 1 else ''}"
        grouped = (f" from {self.solutions} solutions, evidence grouped"
                   if len(self.rows) != self.solutions else "")
        cut = ", cut at the row cap" if self.truncated else ""
        return f"({rows}{grouped}{cut})"


class Cells:
    """Turns terms into the text a person reads: labels, citations, prefixed names."""

    def __init__(self, results: Results, shown: Sequence[str],
                 cite: Mapping[str, Citation]) -> None:
        self.variables = results.variables
        self.cite = cite
        self.by_id = {citation.id: citation for citation in cite.values()}
        # x shows its label when the answer has xLabel and xLabel is not shown itself
        self.label_of = {name: self.variables.index(f"{name}Label") for name in shown
                         if f"{name}Label" in self.variables and f"{name}Label" not in shown}

    def text(self, column: str, row: Sequence[Term | Triple | None]) -> str:
        term = row[self.variables.index(column)]
        if column in self.label_of and row[self.label_of[column]] is not None:
            term = row[self.label_of[column]]
        if isinstance(term, NamedNode):
            citation = self.cite.get(term.value)
            if citation is not None:
                return citation.short
            return shorten(term.value)
        value = term_text(term)
        if is_source_list(column):
            return "\n".join(self.by_id[v].short if v in self.by_id else v
                             for v in value.split())
        return value


def _piece(cells: Cells, columns: Sequence[str], row: Sequence[Term | Triple | None]
           ) -> tuple[str, str, list[str]]:
    """(quote, citation, notes) of one row's evidence."""
    values = {column: cells.text(column, row) for column in columns}
    notes = [values[c] for c in columns if c not in ("quote", "source", *CLUES) and values[c]]
    notes += [f"{words} “{values[c]}”" for c, words in CLUES.items() if values.get(c)]
    return values.get("quote", ""), values.get("source", ""), notes


def _evidence_cell(pieces: list[tuple[str, str, list[str]]]) -> str:
    """Each distinct (quote, source) once, with the claim kinds and clues it carries."""
    merged: dict[tuple[str, str], list[str]] = {}
    for quote, source, notes in pieces:
        known = merged.setdefault((quote, source), [])
        known += [note for note in notes if note not in known]
    lines = []
    for (quote, source), notes in merged.items():
        words = f"“{quote}”" if quote else ""
        line = " — ".join(part for part in (words, source) if part)
        lines.append(f"{line} ({'; '.join(notes)})" if notes else line)
    return "\n".join(f"• {line}" for line in lines) if len(lines) > 1 else "".join(lines)


def heading(column: str, shown: Sequence[str]) -> str:
    """holderLabel is headed "holder" (unless holder is shown too): it is the holder."""
    bare = column.removesuffix("Label")
    return bare if bare and bare != column and bare not in shown else column


def view(results: Results, shown: Sequence[str], cite: Mapping[str, Citation]) -> View:
    """The table a person reads: shown columns, evidence grouped per statement."""
    cells = Cells(results, shown, cite)
    evidence = [c for c in shown if c in EVIDENCE]
    others = [c for c in shown if c not in EVIDENCE]
    # Rows are the same statement when every non-evidence variable agrees, shown or not; with
    # no evidence in the answer, every row stands alone. Where the answer names the statement,
    # that and the shown columns decide: a hidden column (the property an entity is named by,
    # say) must not show one statement twice.
    if "statement" in results.variables:
        keep = [results.variables.index(name) for name in ("statement", *others)
                if name in results.variables]
    else:
        keep = [i for i, name in enumerate(results.variables) if name not in EVIDENCE]
    groups: dict[object, list[Sequence[Term | Triple | None]]] = {}
    for number, row in enumerate(results.rows):
        key = tuple(row[i] for i in keep) if len(keep) < len(results.variables) else number
        groups.setdefault(key, []).append(row)
    names = [heading(c, shown) for c in others]
    first = shown.index(evidence[0]) if evidence else len(others)
    header = [*names[:first], *(["evidence"] if evidence else []), *names[first:]]
    rows = []
    for members in groups.values():
        plain = [cells.text(c, members[0]) for c in others]
        cell = ([_evidence_cell([_piece(cells, evidence, row) for row in members])]
                if evidence else [])
        rows.append([*plain[:first], *cell, *plain[first:]])
    return View(header, rows, len(results.rows), results.truncated)


def _widths(cells: Sequence[Sequence[str]], budget: int) -> list[int]:
    """Widths for columns of these cells (header first) that share budget characters: each
    column its natural width if all fit, else the widest narrowed first, not below its longest
    word (up to 20 characters) while that still fits, so words wrap whole where they can."""
    lines = [[line for cell in column for line in cell.split("\n")] for column in cells]
    natural = [max(len(line) for line in column) for column in lines]
    words = [min(20, max(len(word) for line in column for word in line.split() or [""]))
             for column in lines]
    for floor in (words, [min(6, n) for n in natural]):
        cap = max(natural)
        while cap > 1 and sum(max(f, min(n, cap)) for n, f in zip(natural, floor, strict=True)) \
                > budget:
            cap -= 1
        widths = [max(f, min(n, cap)) for n, f in zip(natural, floor, strict=True)]
        if sum(widths) <= budget:
            break
    return widths


def rich_table(table_view: View, width: int) -> Table:
    """A rich table for a console this wide. Cells wrap, never get cut; when there is an
    evidence column, the other columns share about 3/5 of the width and the evidence the
    rest; rich fits what remains."""
    grouped = "evidence" in table_view.header
    table = Table(box=box.SIMPLE_HEAD, show_lines=grouped, pad_edge=False)
    others = [i for i, name in enumerate(table_view.header) if name != "evidence"]
    limits: dict[int, int] = {}
    if grouped and others:
        columns = [[table_view.header[i], *(row[i] for row in table_view.rows)] for i in others]
        limits = dict(zip(others, _widths(columns, width * 3 // 5 - 2 * len(others)),
                          strict=True))
    for i, name in enumerate(table_view.header):
        table.add_column(Text(name), overflow="fold", max_width=limits.get(i))
    for row in table_view.rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def table_text(table_view: View, width: int | None = None) -> str:
    """The table at the given width (default: the terminal's), then the row count; no
    trailing blanks (rich pads every line to the full width)."""
    console = Console(width=width or None, highlight=False, soft_wrap=False)
    with console.capture() as captured:
        console.print(rich_table(table_view, console.width))
    lines = [line.rstrip() for line in captured.get().splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join([*lines, table_view.footer])


def markdown(table_view: View) -> str:
    """A GitHub-flavoured Markdown table (pipes escaped, line breaks as <br>)."""

    def cell(text: str) -> str:
        return "<br>".join(" ".join(line.split()) for line in text.split("\n")).replace(
            "|", "\\|")

    lines = ["| " + " | ".join(table_view.header) + " |",
             "|" + "|".join("---" for _ in table_view.header) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in table_view.rows]
    return "\n".join(lines)
