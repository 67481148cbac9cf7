"""The corpus of source texts, checked before anything is validated against it.

A missing, unreadable or incomplete corpus is bad input (exit 2), never a silently skipped quote
check: skipping needs the explicit --skip-quote-check. Each source node (a node with a
csi:corpusId) has its text in the corpus, and each text in the corpus has its source node.
"""

from __future__ import annotations

import os
from pathlib import Path

from rdflib import Graph, Literal

from kg.build.files import DataFileError, read_text
from kg.build.quotes import source_text_path
from kg.errors import BadInputError
from kg.namespaces import CSI


class CorpusError(BadInputError):
    """The corpus folder is missing, not a folder, unreadable, or lacks a source's text."""


def check_folder(corpus: Path) -> None:
    """Refuse a corpus that is missing, a file, or cannot be listed."""
    hint = "give --corpus DIR or set KG_CORPUS (or --skip-quote-check to publish unchecked)"
    if not corpus.exists():
        raise CorpusError(f"corpus folder {corpus} not found; {hint}")
    if not corpus.is_dir():
        raise CorpusError(f"corpus {corpus} is a file, not a folder; {hint}")
    try:
        with os.scandir(corpus) as entries:
            next(entries, None)
    except OSError as error:
        raise CorpusError(f"corpus folder {corpus} cannot be read: {error.strerror}") from None


def texts(corpus: Path) -> list[Path]:
    """The source texts of the corpus: *.txt, not the README."""
    return sorted(p for p in corpus.glob("*.txt") if not p.stem.upper().startswith("README"))


def source_ids(graph: Graph) -> dict[str, list[object]]:
    """csi:corpusId -> the source nodes carrying it."""
    found: dict[str, list[object]] = {}
    for node, value in graph.subject_objects(CSI.corpusId):
        if isinstance(value, Literal):
            found.setdefault(str(value), []).append(node)
    return found


def check_texts(graph: Graph, corpus: Path, where: dict[str, str]) -> None:
    """Every source's text is in the corpus and is UTF-8; raise CorpusError naming the first
    that is not. where maps a corpus id to the data file(s) declaring its source, for the
    message."""

    check_folder(corpus)
    for sid in sorted(source_ids(graph)):
        path = source_text_path(corpus, sid)
        if path is None:
            declared = f" (declared in {where[sid]})" if where.get(sid) else ""
            raise CorpusError(
                f"corpus {corpus} has no text for source {sid}{declared}: expected "
                f"{corpus / (sid + '.txt')}"
            )
        try:
            read_text(path, limit=None)
        except DataFileError as error:
            raise CorpusError(f"source text {error}") from None


def unlisted_texts(graph: Graph, corpus: Path) -> list[Path]:
    """The corpus texts that no source node names by its csi:corpusId."""
    known = set(source_ids(graph))
    return [path for path in texts(corpus) if path.stem not in known]


def changed_texts(graph: Graph, corpus: Path) -> list[tuple[str, str, str]]:
    """(corpus id, recorded, actual) for each source whose text no longer has the SHA-256
    recorded when it was added (csi:sha256): its quotes and offsets may no longer hold."""
    import hashlib

    changed = []
    for node, recorded in sorted(graph.subject_objects(CSI.sha256)):
        sid = graph.value(node, CSI.corpusId)
        path = source_text_path(corpus, str(sid)) if sid is not None else None
        if path is None:
            continue  # a missing text is check_texts' error
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != str(recorded):
            changed.append((str(sid), str(recorded), actual))
    return changed
