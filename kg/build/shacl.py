"""Run SHACL shapes with a chosen engine, and compare what two engines found.

pySHACL is the reference. pyshacl-turbo (the `fast` extra, pinned exactly with the rdflib-turbo
its native mode needs) computes the same report in Rust, 20-40 times faster. It is fed an rdflib
graph, never a pyoxigraph Store (fed a Store it reported false sh:in violations).
tests/test_validators.py checks that both give the same set of results on the real graph, every
invalid fixture and a synthetic graph with injected violations, and the same problems in the
build's words; so it is the default where the extra is installed, and pySHACL stays selectable.
"""

from __future__ import annotations

from typing import Any

from rdflib import RDF, BNode, Graph, Node
from rdflib.collection import Collection
from rdflib.namespace import SH

from kg.errors import BadInputError

PYSHACL = "pyshacl"
TURBO = "turbo"
VALIDATORS = (PYSHACL, TURBO)

# One result, engine-neutral: focus node, path, constraint component, severity (N3 text; a
# blank-node path is spelled out as its structure, since engines number blank nodes apart).
ResultKey = tuple[str, str, str, str]


class ValidatorMissingError(BadInputError):
    """--validator turbo without the `fast` extra installed."""


def turbo_available() -> bool:
    try:
        import pyshacl_turbo  # noqa: F401
    except ImportError:
        return False
    return True


def default_validator() -> str:
    """turbo where the fast extra is installed, else pyshacl."""
    return TURBO if turbo_available() else PYSHACL


def run_shapes(
    data: Graph, shapes: Graph, validator: str | None = None
) -> tuple[bool, Graph]:
    """(conforms, report graph) of shapes on data, by the named engine (None: the default),
    with the options the build has always used (no inference, SHACL-AF, warnings allowed)."""
    validator = validator or default_validator()
    options: dict[str, Any] = {"inference": "none", "advanced": True, "allow_warnings": True}
    if validator == PYSHACL:
        import pyshacl

        conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, **options)
    elif validator == TURBO:
        try:
            import pyshacl_turbo
        except ImportError:
            raise ValidatorMissingError(
                "--validator turbo needs the fast extra: pip install -e '.[fast]'"
            ) from None
        conforms, results, _ = pyshacl_turbo.validate(data, shacl_graph=shapes, **options)
    else:
        raise BadInputError(f"unknown validator {validator!r}; choose one of {VALIDATORS}")
    assert isinstance(results, Graph)
    return bool(conforms), results


def _path_key(graphs: tuple[Graph, ...], path: Node | None) -> str:
    """A property path as text that does not depend on blank-node ids."""
    if path is None:
        return ""
    if not isinstance(path, BNode):
        return path.n3()
    for graph in graphs:
        if graph.value(path, RDF.first) is not None:
            return "(" + " / ".join(_path_key(graphs, p) for p in Collection(graph, path)) + ")"
        for kind in (SH.alternativePath, SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath,
                     SH.zeroOrOnePath):
            inner = graph.value(path, kind)
            if inner is not None:
                return f"{kind.n3()}[{_path_key(graphs, inner)}]"
    return "_:path"


def result_keys(results: Graph, shapes: Graph) -> set[ResultKey]:
    """The top-level results of a report as engine-neutral keys (nested sh:detail results of
    sh:node are not counted, as the build does not report them)."""
    keys = set()
    for result in results.objects(None, SH.result):
        focus = results.value(result, SH.focusNode)
        component = results.value(result, SH.sourceConstraintComponent)
        severity = results.value(result, SH.resultSeverity)
        keys.add((
            "_:focus" if isinstance(focus, BNode) or focus is None else focus.n3(),
            _path_key((results, shapes), results.value(result, SH.resultPath)),
            component.n3() if component is not None else "",
            severity.n3() if severity is not None else "",
        ))
    return keys
