"""The corpus articles, derived from the corpus folder and the registry (never listed by hand)."""

from __future__ import annotations


def registry_sources() -> dict[str, dict[str, str]]:
    """The corpus articles registered in kg/data/entities.ttl: id -> what the entry states
    (title, date...), derived from the registry rather than listed by hand, so that adding a
    source (kg source add) never breaks the suite."""
    from kg.build.loading import REGISTRY, parse_turtle
    from kg.curate.ids import is_source_id
    from kg.namespaces import CSI, DATA_DIR

    registry = parse_turtle(DATA_DIR / REGISTRY)
    found: dict[str, dict[str, str]] = {}
    for node, sid in registry.subject_objects(CSI.corpusId):
        if is_source_id(str(sid)):
            found[str(sid)] = {
                str(p).rsplit("/", 1)[-1]: str(o) for p, o in registry.predicate_objects(node)
            }
    return dict(sorted(found.items()))


def curated(article: str) -> bool:
    """Whether the article's data file holds statements yet (a source just added by
    `kg source add` waits with an empty one)."""
    from kg.build.loading import parse_turtle
    from kg.namespaces import DATA_DIR

    path = DATA_DIR / f"{article}.ttl"
    return path.is_file() and len(parse_turtle(path)) > 0
