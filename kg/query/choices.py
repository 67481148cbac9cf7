"""The allowed values of a saved query's parameters, with their labels, and the check that a
given value is one of them.

A parameter declares them in its `#+` header: `class:` (the instances of one or more classes,
kept to the parameter's prefix or namespace when it has one) or grlc's `enumerate:` (a list).
kg serve computes them in a worker, once per build, for the page's searchable lists, and refuses
a value outside them with the nearest allowed ones (a council that is not a council answers
nothing, which reads like an answer).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from kg.query.catalogue import Param, SavedQuery, Term
from kg.query.engine import term_text
from kg.query.known_entities import Sparql, UnknownEntityError, nearest, shown

_LABEL = ("{ ?v <http://www.w3.org/2000/01/rdf-schema#label> ?label } UNION "
          "{ ?v <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }")


@dataclass(frozen=True)
class Choice:
    """One allowed value: the text a user may type (a slug when the parameter has a namespace),
    the full value (an IRI for iri parameters) and its label ("" when unlabelled)."""

    value: str
    iri: str
    label: str

    def as_dict(self) -> dict[str, str]:
        return {"value": self.value, "iri": self.iri, "label": self.label}


def _short(param: Param, iri: str) -> str:
    namespace = param.slug_namespace
    if namespace and iri.startswith(namespace) and len(iri) > len(namespace):
        return iri[len(namespace):]
    from kg.namespaces import shorten

    return shorten(iri)


def _anywhere(pattern: str) -> str:
    # In the default graph or any named graph (a remote default graph need not be the union).
    return f"{{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }}"


def _labelled(sparql: Sparql, where: str) -> dict[str, str]:
    """IRI -> label (English or untagged, else "") of the ?v that where binds."""
    results = sparql(
        f"SELECT ?v (SAMPLE(?l) AS ?label) WHERE {{ {where} FILTER(isIRI(?v)) "
        f"OPTIONAL {{ {_anywhere(_LABEL)} FILTER(LANG(?label) IN (\"en\", \"\")) "
        f"BIND(?label AS ?l) }} }} GROUP BY ?v"
    )
    return {term_text(v): term_text(label) if label is not None else ""
            for v, label in results.rows if v is not None}


def param_choices(param: Param, sparql: Sparql) -> list[Choice] | None:
    """The allowed values of one parameter, by label; None when it declares none."""
    if param.enumerate:
        terms = [param.parse(value) for value in param.enumerate]
        iris = [t for t in terms if isinstance(t, NamedNode)]
        labels = _labelled(sparql, "VALUES ?v { " + " ".join(map(str, iris)) + " }") if iris \
            else {}
        return [Choice(_short(param, t.value), t.value, labels.get(t.value, ""))
                if isinstance(t, NamedNode) else Choice(t.value, t.value, t.value)
                for t in terms]
    if not param.classes:
        return None
    classes = " ".join(str(NamedNode(c)) for c in param.classes)
    scope = ""
    if param.slug_namespace:
        scope = f"FILTER(STRSTARTS(STR(?v), {Literal(param.slug_namespace)}))"
    labels = _labelled(sparql, f"VALUES ?class {{ {classes} }} "
                               f"{_anywhere('?v a ?class')} {scope}")
    found = [Choice(_short(param, iri), iri, label) for iri, label in labels.items()]
    return sorted(found, key=lambda c: ((c.label or c.value).casefold(), c.iri))


def query_choices(query: SavedQuery, sparql: Sparql) -> dict[str, list[Choice]]:
    """Parameter name -> allowed values, for the parameters that declare them."""
    found = {}
    for param in query.params:
        choices = param_choices(param, sparql)
        if choices is not None:
            found[param.name] = choices
    return found


def check_allowed(query: SavedQuery, values: Mapping[str, object],
                  bindings: Mapping[str, Term], allowed: Mapping[str, list[Choice]]) -> None:
    """Raise UnknownEntityError for a value the user gave that is not among the parameter's
    allowed values, naming the nearest allowed ones."""
    for name in sorted(values):
        term = bindings.get(name)
        choices = allowed.get(name)
        if term is None or choices is None or term.value in {c.iri for c in choices}:
            continue
        param = query.param(name)
        candidates = {c.iri: c.label for c in choices}
        near = nearest(str(values[name]), candidates, param.slug_namespace)
        hint = f"; did you mean {', '.join(shown(*pair) for pair in near)}?" if near else ""
        what = shown(term.value, "") if isinstance(term, NamedNode) else repr(term.value)
        raise UnknownEntityError(
            f"parameter {name!r}: {what} is not one of its {len(choices)} allowed values{hint}",
            name, near)
