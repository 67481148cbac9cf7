"""Is a SPARQL text a plain query? Decided from its parse tree, not from keywords.

The text is parsed with rdflib's SPARQL 1.1 grammar: as a query, whose tree is searched for a
SERVICE pattern, or else as an update (INSERT, DELETE, LOAD, DROP...), which is refused whole.
A text that parses as neither is refused too: a check that cannot read a query must not let it
through (the engine's parser might read it differently).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

# rdflib's update operations (parse-tree names) as the keyword a user would recognise.
_UPDATES = {
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
    "Move": "MOVE", "Copy": "COPY", "InsertData": "INSERT", "DeleteData": "DELETE",
    "DeleteWhere": "DELETE",
}


class UnreadableQueryError(ValueError):
    """A text that is neither a SPARQL 1.1 query nor an update."""


def _nodes(node: object) -> Iterator[object]:
    """Every node of a parse tree (rdflib CompValues are dicts; ParseResults are lists)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list | tuple) or type(current).__name__ == "ParseResults":
            stack.extend(current)  # type: ignore[arg-type]


def _name(node: object) -> str | None:
    return getattr(node, "name", None) if isinstance(node, dict) else None


@lru_cache(maxsize=512)
def violation(text: str) -> str | None:
    """The forbidden operation in a SPARQL text ('SERVICE', 'LOAD', 'DROP', ...), or None for a
    plain query. Raises UnreadableQueryError when the text does not parse.

    >>> violation("SELECT * WHERE { ?s <http://x/SERVICE> 'LOAD' } # DROP")
    >>> violation("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }")
    'SERVICE'
    >>> violation("LOAD <http://x/data.ttl>")
    'LOAD'
    """
    try:
        tree = parseQuery(text)
    except ParseBaseException as query_error:
        try:
            update = parseUpdate(text)
        except ParseBaseException:
            raise UnreadableQueryError(str(query_error)) from None
        operations = list(dict.get(update, "request") or [])
        if not operations:  # a prologue alone, or nothing: not a query either
            raise UnreadableQueryError(str(query_error)) from None
        first, name = operations[0], _name(operations[0]) or "UPDATE"
        if name == "Modify":  # DELETE { } INSERT { } WHERE, or INSERT { } WHERE
            return "DELETE" if dict.get(first, "delete") else "INSERT"
        return _UPDATES.get(name, name.upper())
    except RecursionError:
        raise UnreadableQueryError("the query nests too deeply") from None
    for node in _nodes(tree):
        if _name(node) == "ServiceGraphPattern":
            return "SERVICE"
    return None
