"""An IRI parameter must name something the graph knows: a typo is refused with the closest names.

`-p council=doncster` is a well-formed IRI, so binding accepts it, and the query then finds
nothing: "(0 rows)" that reads as an answer. This check asks the graph whether the IRI occurs at
all, and if not offers the nearest slugs and labels (difflib) of things in the same namespace.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping

from pyoxigraph import Literal, NamedNode

from kg.namespaces import shorten
from kg.query.catalogue import ParamValueError, SavedQuery, Term
from kg.query.engine import Results, term_text

Sparql = Callable[[str], Results]
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


def _anywhere(pattern: str) -> str:
    """pattern in the default graph or in any named graph: a remote server's default graph
    need not be the union (kg publish --no-union-default)."""
    return f"{{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }}"


def _exists(sparql: Sparql, iri: NamedNode) -> bool:
    return bool(
        sparql(f"ASK {{ {_anywhere(f'{iri} ?p ?o')} UNION {_anywhere(f'?s ?p {iri}')} }}").boolean
    )


def _candidates(sparql: Sparql, namespace: str | None) -> dict[str, str]:
    """Things that could have been meant: their IRI -> label (or "" when unlabelled)."""
    scope = f"FILTER(STRSTARTS(STR(?s), {Literal(namespace)}))" if namespace else ""
    where = _anywhere("?s ?p ?o") + f" {scope}" if namespace else _anywhere(f"?s {RDFS_LABEL} ?a")
    results = sparql(
        f"SELECT DISTINCT ?s ?label WHERE {{ {where} FILTER(isIRI(?s)) "
        f"OPTIONAL {{ {_anywhere(f'?s {RDFS_LABEL} ?label')} }} }}"
    )
    found: dict[str, str] = {}
    for subject, label in results.rows:
        if subject is not None:
            key = term_text(subject)
            found[key] = found.get(key) or (term_text(label) if label is not None else "")
    return found


class UnknownEntityError(ParamValueError):
    """An IRI parameter the graph does not know (or outside its allowed values), with the
    nearest candidates as (IRI, label) pairs for a page to offer."""

    def __init__(self, message: str, param: str, suggestions: list[tuple[str, str]]) -> None:
        super().__init__(message)
        self.param, self.suggestions = param, suggestions


def shown(iri: str, label: str) -> str:
    return shorten(iri) + (f" ({label})" if label else "")


def closest(given: str, candidates: Mapping[str, str], namespace: str | None) -> list[str]:
    """Up to three candidates whose slug, prefixed name or label is nearest to given, shown as
    `council:doncaster (Doncaster)`."""
    return [shown(iri, label) for iri, label in nearest(given, candidates, namespace)]


def nearest(given: str, candidates: Mapping[str, str],
            namespace: str | None) -> list[tuple[str, str]]:
    """Up to three (IRI, label) candidates whose slug, prefixed name or label is nearest."""
    keys: dict[str, str] = {}
    for iri, label in candidates.items():
        names = [iri, shorten(iri)]
        if namespace and iri.startswith(namespace):
            names.append(iri[len(namespace):])
        if label:
            names.append(label)
        for name in names:
            keys.setdefault(name.lower(), iri)
    wanted = given.strip().strip("<>").lower()
    matches = difflib.get_close_matches(wanted, list(keys), n=12, cutoff=0.6)
    found: list[tuple[str, str]] = []
    for match in matches:
        pair = (keys[match], candidates[keys[match]])
        if pair not in found:
            found.append(pair)
    return found[:3]


def check_known(
    query: SavedQuery, values: Mapping[str, object], bindings: Mapping[str, Term], sparql: Sparql
) -> None:
    """Raise ParamValueError for an IRI parameter the user gave that the graph does not know."""
    for name in sorted(values):
        param = query.param(name)
        term = bindings.get(name)
        if param.type != "iri" or not isinstance(term, NamedNode) or _exists(sparql, term):
            continue
        namespace = param.slug_namespace
        near = nearest(str(values[name]), _candidates(sparql, namespace), namespace)
        hint = f"; did you mean {', '.join(shown(*pair) for pair in near)}?" if near else ""
        raise UnknownEntityError(
            f"parameter {name!r}: the graph knows nothing called {shorten(term.value)}{hint}",
            name, near)
