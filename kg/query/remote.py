"""Any SPARQL 1.1 server: publish the graph there (Graph Store Protocol) and query it (Protocol).

    kg publish --endpoint http://127.0.0.1:7878/query      # Oxigraph: graphs go to /store
    kg query accountability-on-date --endpoint http://127.0.0.1:7878/query

Each named graph of dist/kg.trig is PUT to the store under its own name, and (unless told not to)
their union is PUT to the default graph as well, so the saved queries, which read the default
graph, give the same answers on any server as embedded. Parameters travel as a VALUES block built
from typed terms, the same text the embedded engine runs. Only the standard library speaks HTTP.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import (
    QueryResultsFormat,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from kg.query.catalogue import QueryError, SavedQuery, Term, catalogue, with_values
from kg.query.engine import Results, collect, graph_file

ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, "
          "text/turtle;q=0.8")


class RemoteError(Exception):
    """The server could not be reached or refused the request; says which and why."""


@dataclass(frozen=True)
class PublishedGraph:
    name: str  # graph IRI, or "default"
    triples: int


def _check_url(url: str) -> str:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise RemoteError(f"{url!r} is not an http(s) URL")
    return url


def store_url_for(endpoint: str) -> str:
    """The Graph Store Protocol URL that goes with a query endpoint, by server convention.

    >>> store_url_for("http://127.0.0.1:7878/query")            # Oxigraph
    'http://127.0.0.1:7878/store'
    >>> store_url_for("http://localhost:3030/csikg/sparql")     # Apache Jena Fuseki
    'http://localhost:3030/csikg/data'
    """
    parts = urllib.parse.urlsplit(_check_url(endpoint))
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    if path == "/query":
        new_path = "/store"
    elif last in ("query", "sparql") and head:
        new_path = f"{head}/data"
    else:
        raise RemoteError(f"cannot tell the Graph Store URL of {endpoint}; give it with --store")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, new_path, "", ""))


def _request(request: urllib.request.Request, timeout: float) -> tuple[bytes, str]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace").strip()[:500]
        raise RemoteError(f"{request.get_method()} {request.full_url}: HTTP {error.code} "
                          f"{error.reason}: {body}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        reason = getattr(error, "reason", error)
        raise RemoteError(f"cannot reach {request.full_url}: {reason}") from None


class Endpoint:
    """A SPARQL 1.1 query endpoint, answering in the same Results as the embedded engine."""

    def __init__(self, url: str, timeout: float = 60.0) -> None:
        self.url = _check_url(url)
        self.timeout = timeout

    def sparql(self, text: str, bindings: Mapping[str, Term] | None = None, *,
               max_rows: int | None = None) -> Results:
        body = urllib.parse.urlencode({"query": with_values(text, bindings or {})}).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT})
        data, content_type = _request(request, self.timeout)
        media = content_type.split(";")[0].strip().lower()
        try:
            if media in ("application/sparql-results+json", "application/json"):
                return collect(parse_query_results(data, format=QueryResultsFormat.JSON), max_rows)
            if media in ("application/sparql-results+xml", "application/xml"):
                return collect(parse_query_results(data, format=QueryResultsFormat.XML), max_rows)
            if media in ("application/n-triples", "text/turtle", "text/plain"):
                rdf = RdfFormat.TURTLE if media == "text/turtle" else RdfFormat.N_TRIPLES
                parsed = parse(data, format=rdf)
                return Results(triples=[Triple(q.subject, q.predicate, q.object) for q in parsed])
        except (SyntaxError, ValueError) as error:
            raise RemoteError(f"{self.url} sent results that do not parse: {error}") from None
        raise RemoteError(f"{self.url} answered with unsupported media type {content_type!r}")

    def run(self, name: str | SavedQuery, /, **params: object) -> Results:
        """Run a saved query by name, exactly as Engine.run does embedded."""
        query = name if isinstance(name, SavedQuery) else catalogue().get(name)
        results = self.sparql(query.text, query.bindings(params))
        return results.with_sorted_sets(query.set_columns)


def _graphs(trig: Path) -> dict[str, list[Triple]]:
    graphs: dict[str, list[Triple]] = defaultdict(list)
    for quad in parse(path=str(trig), format=RdfFormat.TRIG):
        name = getattr(quad.graph_name, "value", "")  # DefaultGraph has no value
        graphs[name or "default"].append(Triple(quad.subject, quad.predicate, quad.object))
    return graphs


def _put(url: str, triples: list[Triple], timeout: float) -> None:
    # N-Triples is a subset of Turtle; labelled text/turtle it is accepted by every GSP server.
    body = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
    request = urllib.request.Request(url, data=body, method="PUT", headers={
        "Content-Type": "text/turtle; charset=utf-8"})
    _request(request, timeout)


def publish(endpoint: str, dist: Path | None = None, store: str | None = None,
            union_default: bool = True, timeout: float = 120.0) -> list[PublishedGraph]:
    """PUT every named graph of the published build to the server (replacing graphs of the same
    name), and their union to its default graph unless union_default is False."""
    store_url = _check_url(store) if store else store_url_for(endpoint)
    graphs = _graphs(graph_file(dist))
    done = []
    for name in sorted(graphs):
        if name == "default":
            continue
        url = f"{store_url}?{urllib.parse.urlencode({'graph': name})}"
        _put(url, graphs[name], timeout)
        done.append(PublishedGraph(name, len(graphs[name])))
    if union_default:
        union = sorted({t for triples in graphs.values() for t in triples}, key=str)
        _put(f"{store_url}?default", union, timeout)
        done.append(PublishedGraph("default", len(union)))
    return done


__all__ = ["Endpoint", "PublishedGraph", "QueryError", "RemoteError", "publish", "store_url_for"]
