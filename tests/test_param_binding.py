"""Property tests: any string given as a parameter value either binds as one typed RDF term inside
the query, or is refused with ParamValueError; it never changes the query's structure.

The bound queries are run by Oxigraph itself (on an empty store), so "structure unchanged" is
judged by a real SPARQL parser, not by looking at the text.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Store

from kg.namespaces import PREFIXES
from kg.query.catalogue import Param, ParamValueError, SavedQuery, catalogue, with_values

# Characters that matter to SPARQL's and Turtle's lexers, mixed with plain text and anything else.
SPECIAL = list("\"'<>{}()[]\\#\n\r\t ?$.;,:^@_-+/=|`%&*~!") + ["a", "Z", "0", "9", "\u00a0",
                                                               "\u2028", "é", "ﬁ", "\x00"]
VALUES = st.one_of(st.text(), st.text(alphabet=st.sampled_from(SPECIAL)), st.from_regex(
    r"\A(council:|<https?://|urn:|[a-z]+:)?[a-z0-9\-._~%#?/:\"'<>{} ]{0,30}>?\Z"))
PROPERTY = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

PARAMS = [
    Param("v", "iri", prefix="council"),
    Param("v", "iri"),
    Param("v", "iri", namespace="https://example.org/ns/"),
    Param("v", "date"),
    Param("v", "integer"),
    Param("v", "string"),
]
STORE = Store()


def _bound_value(param: Param, value: str) -> object | None:
    """The one value the query sees for ?v, or None when the value was refused."""
    try:
        term = param.parse(value)
    except ParamValueError:
        return None
    answer = list(STORE.query(with_values("SELECT ?v WHERE { }", {"v": term})))
    assert len(answer) == 1  # one row: the VALUES block was not split or extended
    assert answer[0]["v"] == term  # exactly the typed term, nothing re-read from text
    return term


@pytest.mark.parametrize("param", PARAMS, ids=[f"{p.type}-{p.slug_namespace}" for p in PARAMS])
@PROPERTY
@given(value=VALUES)
def test_a_value_binds_as_one_term_or_is_refused(param: Param, value: str) -> None:
    term = _bound_value(param, value)
    if term is None:
        return
    text = value.strip()
    if param.type == "string":
        assert term == Literal(text)
    elif param.type == "integer":
        assert isinstance(term, Literal) and int(term.value) == int(text)
    elif param.type == "date":
        assert isinstance(term, Literal) and term.value == text
    else:
        assert isinstance(term, NamedNode)
        assert term.value.startswith(tuple(PREFIXES.values()) + ("http", "urn:", "https"))


@PROPERTY
@given(day=st.dates(min_value=dt.date(1, 1, 1)))
def test_every_real_date_binds(day: dt.date) -> None:
    term = Param("d", "date").parse(day.isoformat())
    assert isinstance(term, Literal) and term.value == day.isoformat()


SAVED = [(query, param.name) for query in catalogue() for param in query.params]


@pytest.mark.parametrize("query, name", SAVED, ids=[f"{q.name}-{n}" for q, n in SAVED])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=VALUES)
def test_a_saved_query_keeps_its_shape(query: SavedQuery, name: str, value: str) -> None:
    try:
        bindings = query.bindings({name: value})
    except ParamValueError:
        return
    bound = with_values(query.text, bindings)
    reference = with_values(query.text, query.bindings({}))
    answer = STORE.query(bound, use_default_graph_as_union=True)
    expected = STORE.query(reference, use_default_graph_as_union=True)
    shape = [v.value for v in getattr(answer, "variables", [])]
    assert shape == [v.value for v in getattr(expected, "variables", [])]
    # The bound text is the query's own text plus one VALUES block of N-Triples terms.
    names = " ".join(f"?{n}" for n in bindings)
    block = f" VALUES ({names}) {{ ({' '.join(str(t) for t in bindings.values())}) }}"
    assert bound.replace(block, "", 1) == query.text
