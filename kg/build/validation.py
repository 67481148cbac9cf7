"""Validate the graph: SHACL shapes on the data, the ontology lint, and the quote check.

Results are reported in the curator's words: the label of the thing at fault, the file it comes
from and the shape's message; SHACL's own terms (focus node, path) follow for the technical.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Dataset, Graph, Node, URIRef
from rdflib.namespace import SH

from kg.build.loading import DERIVED_GRAPH, LINT_FILE, ONTOLOGY_GRAPH, SHAPES_FILE, parse_turtle
from kg.build.quotes import check_quotes
from kg.build.shacl import PYSHACL, run_shapes
from kg.namespaces import GRAPH, shorten


@dataclass(frozen=True)
class Problem:
    check: str  # "sources", "shapes", "lint" or "quotes"
    subject: str  # a readable name of the thing at fault
    message: str
    focus: str = ""
    path: str = ""
    value: str = ""
    files: tuple[str, ...] = ()
    hint: str = ""

    def line(self) -> str:
        where = f" [{', '.join(self.files)}]" if self.files else ""
        text = f"{self.subject}{where}: {self.message}"
        details = [
            f"{name} {value}"
            for name, value in (("focus", self.focus), ("path", self.path), ("value", self.value))
            if value
        ]
        if details:
            text += f"\n    ({'; '.join(details)})"
        if self.hint:
            text += f'\n    nearest passage in the source: "{self.hint}"'
        return text


@dataclass
class ValidationReport:
    problems: list[Problem] = field(default_factory=list)
    quote_check_skipped: str = ""
    statements: int = 0
    quotes: int = 0

    @property
    def conforms(self) -> bool:
        return not self.problems

    def text(self) -> str:
        head = "Conforms: yes" if self.conforms else f"Conforms: no ({len(self.problems)} problems)"
        lines = [head, f"Statements checked: {self.statements}; quotes checked: {self.quotes}"]
        if self.quote_check_skipped:
            lines.append(f"Quote check SKIPPED: {self.quote_check_skipped}")
        for check in ("sources", "shapes", "lint", "quotes"):
            found = [p for p in self.problems if p.check == check]
            if found:
                lines.append(f"\n{check}: {len(found)} problem(s)")
                lines.extend(
                    f"- {p.line()}" for p in sorted(found, key=lambda p: (p.subject, p.message))
                )
        return "\n".join(lines) + "\n"


def _describe(graph: Graph, node: Node) -> str:
    """The label of node, or of the nearest labelled node that points at it (as for evidence)."""
    frontier, seen = [node], set()
    while frontier:
        current = frontier.pop(0)
        seen.add(current)
        label = graph.value(current, RDFS.label)
        if label is not None:
            suffix = "" if current == node else " (its evidence)"
            return f"{label}{suffix} <{shorten(current)}>"
        frontier.extend(s for s in graph.subjects(None, current) if s not in seen)
    return f"<{shorten(node)}>"


def _files_of(dataset: Dataset, node: Node) -> tuple[str, ...]:
    names = set()
    for _, _, _, context in dataset.quads((node, None, None, None)):
        ident = context.identifier if isinstance(context, Graph) else context
        if ident not in (ONTOLOGY_GRAPH, DERIVED_GRAPH) and str(ident).startswith(str(GRAPH)):
            names.add(str(ident)[len(str(GRAPH)) :] + ".ttl")
    return tuple(sorted(names))


def _shacl_problems(
    data: Graph, shapes: Graph, check: str, dataset: Dataset | None,
    validator: str | None = None,
) -> list[Problem]:
    conforms, results = run_shapes(data, shapes, validator)
    if conforms:
        return []
    problems = []
    # Only top-level results: pyshacl also types the nested sh:detail results of sh:node.
    for result in results.objects(None, SH.result):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = results.value(result, SH.focusNode)
        files = _files_of(dataset, focus) if dataset is not None and focus is not None else ()
        if not files and dataset is not None and focus is not None:
            parents = list(data.subjects(None, focus))
            files = tuple(sorted({f for parent in parents for f in _files_of(dataset, parent)}))
        problems.append(
            Problem(
                check=check,
                subject=_describe(data, focus) if focus is not None else "?",
                message=str(results.value(result, SH.resultMessage) or "violates a shape"),
                focus=shorten(focus),
                path=_path_text(
                    results, shapes, data, results.value(result, SH.resultPath), focus,
                    results.value(result, SH.value),
                ),
                value=shorten(results.value(result, SH.value)),
                files=files,
            )
        )
    return problems


def _path_text(
    results: Graph, shapes: Graph, data: Graph, path: Node | None, focus: Node | None,
    value: Node | None,
) -> str:
    """A result's path in words: a property, never a blank-node id. For an alternative path
    (sh:alternativePath) it names the property that links focus to value in the data."""
    from rdflib import BNode
    from rdflib.collection import Collection

    if path is None:
        return ""
    if not isinstance(path, BNode):
        return shorten(path)
    for graph in (results, shapes):
        alternatives = graph.value(path, SH.alternativePath)
        if alternatives is not None:
            options = [p for p in Collection(graph, alternatives)]
            used = [p for p in options if focus is not None and value is not None
                    and (focus, p, value) in data]
            return " | ".join(shorten(p) for p in (used or options))
        inverse = graph.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + shorten(inverse)
        if graph.value(path, RDF.first) is not None:  # a sequence path
            return "/".join(shorten(p) for p in Collection(graph, path))
    return "(a property path)"


_lint_cache: dict[frozenset[object], list[Problem]] = {}


def lint_ontology(ontology: Graph) -> list[Problem]:
    """The ontology lint; cached by content in memory and on disk (kg.build.lint_cache), since it is
    slow and the ontology rarely changes."""
    from importlib.metadata import version

    from kg.build.lint_cache import cached, checksum

    key = frozenset(ontology)
    if key not in _lint_cache:
        _lint_cache[key] = cached(
            checksum(ontology, LINT_FILE, version("pyshacl")),
            lambda: _shacl_problems(ontology, parse_turtle(LINT_FILE), "lint", None, PYSHACL),
        )
    return list(_lint_cache[key])


SKIPPED_ON_REQUEST = (
    "on request (--skip-quote-check): no quote was compared with its source text"
)


def _corpus_problems(dataset: Dataset, union: Graph, corpus: Path) -> list[Problem]:
    """Check the corpus against the sources (CorpusError when a text is missing) and name each
    corpus text that has no source node."""
    from kg.build.corpus import changed_texts, check_texts, source_ids, unlisted_texts

    where = {
        sid: ", ".join(f for node in nodes for f in _files_of(dataset, node))  # type: ignore[arg-type]
        for sid, nodes in source_ids(union).items()
    }
    check_texts(union, corpus, where)
    return [
        Problem(
            check="sources",
            subject=f"corpus text {path.name}",
            message=f'has no source in the graph (no node with csi:corpusId "{path.stem}")',
            files=(str(path),),
        )
        for path in unlisted_texts(union, corpus)
    ] + [
        Problem(
            check="sources",
            subject=f"corpus text {sid}.txt",
            message=(
                f"has changed since it was added: its SHA-256 is {actual[:16]}..., the source "
                f"records {recorded[:16]}... (csi:sha256); re-check its quotes, then record the "
                "new checksum or restore the text"
            ),
            files=(str(corpus / f"{sid}.txt"),),
        )
        for sid, recorded, actual in changed_texts(union, corpus)
    ]


def validate(
    dataset: Dataset, union: Graph, corpus: Path | None, statements: int | None = None,
    validator: str | None = None,
) -> ValidationReport:
    """Run the shapes on union (ontology + data + derived), lint the ontology, check quotes.

    corpus None skips the quote check, and the report says so; a corpus that is missing,
    unreadable or lacks a source's text raises CorpusError before any SHACL runs. statements,
    when the caller has counted them already, saves counting them again. validator names the
    SHACL engine for the shapes (kg.build.shacl; None: the default); the ontology lint, cached
    by a checksum that names pySHACL's version, stays on pySHACL.
    """
    from kg.build.stats import count_statements

    report = ValidationReport(
        statements=count_statements(union) if statements is None else statements
    )
    if corpus is not None:
        report.problems += _corpus_problems(dataset, union, corpus)
    report.problems += _shacl_problems(
        union, parse_turtle(SHAPES_FILE), "shapes", dataset, validator
    )
    report.problems += lint_ontology(dataset.graph(ONTOLOGY_GRAPH))
    if corpus is None:
        report.quote_check_skipped = SKIPPED_ON_REQUEST
        return report
    report.quotes = len(set(union.objects(None, URIRef("http://www.w3.org/ns/oa#exact"))))
    for problem in check_quotes(union, corpus):
        report.problems.append(
            Problem(
                check="quotes",
                subject=_describe(union, problem.evidence),
                message=f'{problem.message}: "{problem.quote}"',
                focus=shorten(problem.evidence),
                files=_files_of(dataset, problem.evidence)
                or tuple(
                    sorted(
                        {
                            f
                            for s in union.subjects(None, problem.evidence)
                            for f in _files_of(dataset, s)
                        }
                    )
                ),
                hint=problem.hint or "",
            )
        )
    return report
