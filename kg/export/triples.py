"""The published graph loaded once, by pyoxigraph, for the queries and the networkx projections.

Parsing kg.trig with rdflib took 24 s at 316k quads and walking rdflib's memory store is slow;
pyoxigraph parses the same file in under a second. `load_published_fast` parses it once and feeds
the quads both to a pyoxigraph Store (the query engine) and to `Triples`: every triple (all named
graphs merged, as `load_published` merges them) as rdflib terms, indexed both ways, answering the
few rdflib Graph lookups that kg.export.network makes. The terms are rdflib's own, so the
projection, and every file written from it, is byte-identical to one made from an rdflib graph
(tests/test_network.py and tests/test_export.py compare). The quads come from pyoxigraph's parser,
not from a Store: a Store keeps typed literals as values and gives back a canonical lexical form
("100000000" for "100000000.0").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, Node, URIRef

if TYPE_CHECKING:
    from kg.query.engine import Engine

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

Triple = tuple[Node, Node, Node]


def _converter() -> Any:
    """A memoised pyoxigraph -> rdflib term conversion (IRIs repeat on almost every triple)."""
    from pyoxigraph import BlankNode, NamedNode

    memo: dict[object, Node] = {}

    def convert(term: Any) -> Node:
        found = memo.get(term)
        if found is None:
            if isinstance(term, NamedNode):
                found = URIRef(term.value)
            elif isinstance(term, BlankNode):
                found = BNode(term.value)
            elif term.language:
                found = Literal(term.value, lang=term.language)
            elif term.datatype.value == _XSD_STRING:  # a plain literal, as rdflib parses it
                found = Literal(term.value)
            else:
                found = Literal(term.value, datatype=URIRef(term.datatype.value))
            memo[term] = found
        return found

    return convert


class Triples:
    """Read-only triples held in memory, indexed by subject and by predicate-object."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self._spo: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
        self._pos: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
        self._all: dict[Triple, None] = {}  # insertion-ordered set
        for triple in triples:
            if triple not in self._all:
                self._all[triple] = None
                s, p, o = triple
                self._spo[s][p].append(o)
                self._pos[p][o].append(s)

    @classmethod
    def from_quads(cls, quads: Iterable[Any]) -> Triples:
        """The triples of pyoxigraph quads, in any graph (duplicates across graphs merged)."""
        convert = _converter()
        return cls((convert(q.subject), convert(q.predicate), convert(q.object)) for q in quads)

    def __len__(self) -> int:
        return len(self._all)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._all)

    def __contains__(self, triple: Triple) -> bool:
        return triple in self._all

    def __add__(self, other: Iterable[Triple]) -> Triples:
        return Triples([*self._all, *other])

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        by_predicate = self._spo.get(subject)
        return iter(by_predicate.get(predicate, ()) if by_predicate else ())

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        by_object = self._pos.get(predicate)
        return iter(by_object.get(obj, ()) if by_object else ())

    def predicate_objects(self, subject: Node) -> Iterator[tuple[Node, Node]]:
        for predicate, values in self._spo.get(subject, {}).items():
            for value in values:
                yield predicate, value

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        for obj, subjects in self._pos.get(predicate, {}).items():
            for subject in subjects:
                yield subject, obj

    def transitive_subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        """obj and every node that reaches it along predicate (as rdflib's, obj included)."""
        return self._walk(obj, lambda node: self.subjects(predicate, node))

    def transitive_objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        """subject and every node it reaches along predicate (subject included)."""
        return self._walk(subject, lambda node: self.objects(node, predicate))

    @staticmethod
    def _walk(start: Node, step: Any) -> Iterator[Node]:
        seen, frontier = {start}, [start]
        yield start
        while frontier:
            for found in step(frontier.pop()):
                if found not in seen:
                    seen.add(found)
                    frontier.append(found)
                    yield found


def _parse(dist: Path | None) -> list[Any]:
    """The quads of DIST/kg.trig, parsed by pyoxigraph; a missing or damaged build is bad input."""
    from pyoxigraph import RdfFormat, parse

    from kg.build.files import DataFileError
    from kg.query.engine import graph_file

    path = graph_file(dist)
    try:
        return list(parse(path=str(path), format=RdfFormat.TRIG))
    except (SyntaxError, ValueError, OSError) as error:
        message = " ".join(str(error).split())[:400]
        raise DataFileError(path, f"not a readable build: {message}") from error


def load_store(dist: Path | None = None) -> Any:
    """The published build in a pyoxigraph Store (kg stats)."""
    from pyoxigraph import Store

    store = Store()
    store.bulk_extend(_parse(dist))
    return store


def load_published_fast(dist: Path | None = None) -> tuple[Engine, Triples]:
    """The published build (DIST/kg.trig) parsed once by pyoxigraph: the query engine over it,
    and its triples for the projections."""
    from pyoxigraph import Store

    from kg.query.engine import Engine

    quads = _parse(dist)
    store = Store()
    store.bulk_extend(quads)
    return Engine(store), Triples.from_quads(quads)
