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

from kg.query.catalogue import Param, ParamValueError, QueryError, SavedQuery, Term
from kg.query.engine import term_text
from kg.query.known_entities import Sparql, UnknownEntityError, check_known, nearest, shown

SHOWN_ALL = 20  # allowed values named whole in a refusal when none is close to the value given
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
        if not near and len(choices) <= SHOWN_ALL:  # nothing close: a short list is named whole
            hint = f": {', '.join(shown(c.iri, c.label) for c in choices)}"
        what = shown(term.value, "") if isinstance(term, NamedNode) else repr(term.value)
        raise UnknownEntityError(
            f"parameter {name!r}: {what} is not one of its {len(choices)} allowed values{hint}",
            name, near)


def refuse_unparsed(query: SavedQuery, values: Mapping[str, object],
                    allowed: Mapping[str, list[Choice]]) -> None:
    """Raise UnknownEntityError for a given value that is not even of its parameter's form
    ("Doncster Council" for an IRI) when the parameter has allowed values: the nearest of them
    by slug or label are named. A value of the right form, or a parameter without allowed
    values, is left alone (binding refuses it with its own message)."""
    for name in sorted(values):
        param = query.param(name)
        try:
            param.parse(values[name])
            continue
        except QueryError as error:
            message = str(error)
        choices = allowed.get(name)
        if not choices:
            continue
        text = str(values[name]).strip()
        named = [c for c in choices if c.label and c.label.casefold() == text.casefold()]
        if named:  # a label typed in full: the value it names is given by slug or IRI
            raise UnknownEntityError(
                f"parameter {name!r}: {text!r} is a label; give the value it names: "
                f"{', '.join(shown(c.iri, c.label) for c in named)}",
                name, [(c.iri, c.label) for c in named])
        near = nearest(text, {c.iri: c.label for c in choices}, param.slug_namespace)
        if not near:
            raise UnknownEntityError(message, name, [])
        hint = f"; did you mean {', '.join(shown(*pair) for pair in near)}?"
        raise UnknownEntityError(
            f"parameter {name!r}: no allowed value is called {text!r}{hint}",
            name, near)


def checked_bindings(query: SavedQuery, values: Mapping[str, object],
                     sparql: Sparql) -> dict[str, Term]:
    """The query's bindings for values, every given value checked against the graph: an IRI
    the graph does not know, or a value outside its parameter's allowed values (`class:` or
    `enumerate:`), raises UnknownEntityError naming the nearest allowed values."""
    given = {name: value for name, value in values.items() if value not in (None, "")}
    allowed: dict[str, list[Choice]] = {}
    if any(query.param(name).classes or query.param(name).enumerate for name in given):
        allowed = query_choices(query, sparql)
    try:
        bindings = query.bindings(values)
    except ParamValueError:
        refuse_unparsed(query, given, allowed)
        raise
    check_known(query, given, bindings, sparql)
    check_allowed(query, given, bindings, allowed)
    return bindings
