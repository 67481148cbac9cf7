"""A disk cache for the ontology lint, keyed by a checksum of what it reads.

The lint (pySHACL over the ontology) takes a second or more and its input rarely changes, so a
build reuses the problems found for the same ontology triples, lint shapes and pySHACL version.
A graph with blank nodes has no stable checksum here and is never cached; a cache that cannot
be read or written is ignored (the lint simply runs).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from rdflib import BNode, Graph

from kg.build.validation import Problem


def cache_dir() -> Path:
    """$KG_CACHE, else $XDG_CACHE_HOME/csikg, else ~/.cache/csikg."""
    if env := os.environ.get("KG_CACHE"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "csikg"


def checksum(ontology: Graph, lint_file: Path, version: str) -> str | None:
    lines = []
    for triple in ontology:
        if any(isinstance(term, BNode) for term in triple):
            return None
        lines.append(" ".join(term.n3() for term in triple))
    digest = hashlib.sha256(version.encode())
    digest.update(lint_file.read_bytes())
    digest.update("\n".join(sorted(lines)).encode())
    return digest.hexdigest()


def cached(key: str | None, compute: Callable[[], list[Problem]]) -> list[Problem]:
    """The problems stored under key, else compute() (stored for next time)."""
    if key is None:
        return compute()
    path = cache_dir() / f"lint-{key}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return [Problem(**{**item, "files": tuple(item["files"])}) for item in stored]
    except (OSError, ValueError, TypeError, KeyError):
        pass
    problems = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps([vars(p) for p in problems]), encoding="utf-8")
        partial.replace(path)  # atomic: a concurrent build reads the old file or the new one
    except OSError:
        pass
    return problems
