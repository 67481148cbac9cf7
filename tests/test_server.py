"""kg serve over real HTTP: the SPARQL 1.1 Protocol, content negotiation, the saved-query API,
and the guards (read-only, timeout, row cap, request size, Host header)."""

from __future__ import annotations

import http.client
import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

from kg.query.catalogue import catalogue
from kg.query.citations import citations
from kg.query.engine import Engine
from kg.serve.server import Server, ServerConfig

SELECT_DECISIONS = ("SELECT ?s WHERE { ?s a <https://w3id.org/csikg/def/Decision> } ORDER BY ?s")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def media(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0]

    def json(self) -> Any:
        return json.loads(self.body)


def start(config: ServerConfig) -> Iterator[Server]:
    server = Server(config)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def server(dist: Path) -> Iterator[Server]:
    yield from start(ServerConfig(dist=dist, port=0, timeout=20, workers=2))


@pytest.fixture(scope="module")
def strict(dist: Path) -> Iterator[Server]:
    """A server with a one-second timeout and a three-row cap."""
    yield from start(ServerConfig(dist=dist, port=0, timeout=1, max_rows=3, workers=1))


def request(server: Server, method: str, target: str, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> Reply:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=30)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


def get(server: Server, target: str, accept: str = "") -> Reply:
    return request(server, "GET", target, headers={"Accept": accept} if accept else {})


def sparql_get(server: Server, query: str, accept: str = "", extra: str = "") -> Reply:
    return get(server, "/sparql?" + urllib.parse.urlencode({"query": query}) + extra, accept)


@pytest.fixture(scope="module")
def engine(dist: Path) -> Engine:
    return Engine.load(dist)


# --- SPARQL 1.1 Protocol ------------------------------------------------------------------------

@pytest.mark.parametrize(("accept", "media", "oxi_format"), [
    ("application/sparql-results+json", "application/sparql-results+json",
     QueryResultsFormat.JSON),
    ("application/sparql-results+xml", "application/sparql-results+xml", QueryResultsFormat.XML),
    ("text/tab-separated-values", "text/tab-separated-values", QueryResultsFormat.TSV),
    ("", "application/sparql-results+json", QueryResultsFormat.JSON),
    ("application/json, text/html;q=0.5", "application/sparql-results+json",
     QueryResultsFormat.JSON),
    ("*/*", "application/sparql-results+json", QueryResultsFormat.JSON),
])
def test_select_by_content_negotiation(server: Server, engine: Engine, accept: str, media: str,
                                       oxi_format: QueryResultsFormat) -> None:
    reply = sparql_get(server, SELECT_DECISIONS, accept)
    assert (reply.status, reply.media) == (200, media)
    got = [s["s"].value for s in parse_query_results(reply.body, format=oxi_format)]
    assert got == [row[0] for row in engine.sparql(SELECT_DECISIONS).texts()]
    assert "https://w3id.org/csikg/id/statement/gove-backs-doncaster-trust" in got


def test_select_as_csv(server: Server) -> None:
    reply = sparql_get(server, SELECT_DECISIONS, "text/csv")
    assert (reply.status, reply.media) == (200, "text/csv")
    lines = reply.body.decode().split("\r\n")
    assert lines[0] == "s"
    assert "https://w3id.org/csikg/id/statement/gove-backs-doncaster-trust" in lines


def test_post_form_and_post_query(server: Server) -> None:
    form = urllib.parse.urlencode({"query": SELECT_DECISIONS}).encode()
    by_form = request(server, "POST", "/sparql", form,
                      {"Content-Type": "application/x-www-form-urlencoded"})
    direct = request(server, "POST", "/sparql", SELECT_DECISIONS.encode(),
                     {"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert by_form.status == direct.status == 200
    assert len(by_form.json()["results"]["bindings"]) == len(direct.body.split(b"\r\n")) - 2


def test_ask_and_construct(server: Server) -> None:
    assert sparql_get(server, "ASK { ?s a <https://w3id.org/csikg/def/Direction> }").json() == {
        "head": {}, "boolean": True}
    reply = sparql_get(server, "CONSTRUCT WHERE { ?s a <https://w3id.org/csikg/def/Direction> }",
                       "application/n-triples")
    assert (reply.status, reply.media) == (200, "application/n-triples")
    assert len(list(parse(reply.body, format=RdfFormat.N_TRIPLES))) == 2
    turtle = sparql_get(server, "DESCRIBE <https://w3id.org/csikg/id/statement/dudley-direction>")
    assert turtle.media == "text/turtle"
    assert list(parse(turtle.body, format=RdfFormat.TURTLE))


def test_default_graph_uri_restricts_the_dataset(server: Server) -> None:
    count = ("SELECT (COUNT(DISTINCT ?s) AS ?n) "
             "WHERE { ?s <https://w3id.org/csikg/def/evidence> ?e }")
    everything = int(sparql_get(server, count).json()["results"]["bindings"][0]["n"]["value"])
    graph = urllib.parse.quote("https://w3id.org/csikg/graph/004_dd1639bb877fd76f", safe="")
    one = sparql_get(server, count, extra=f"&default-graph-uri={graph}")
    assert 0 < int(one.json()["results"]["bindings"][0]["n"]["value"]) < everything


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "LOAD <http://example.org/data.ttl>",
    "DELETE WHERE { ?s ?p ?o }",
])
def test_updates_load_and_service_are_forbidden(server: Server, query: str) -> None:
    reply = sparql_get(server, query)
    assert reply.status == 403
    assert b"not allowed" in reply.body


def test_update_operations_are_forbidden(server: Server) -> None:
    form = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    assert request(server, "POST", "/sparql", form,
                   {"Content-Type": "application/x-www-form-urlencoded"}).status == 403
    assert request(server, "POST", "/sparql", b"DROP ALL",
                   {"Content-Type": "application/sparql-update"}).status == 403
    # The graph is untouched.
    assert sparql_get(server, "ASK { ?s ?p ?o }").json()["boolean"] is True


def test_bad_requests(server: Server) -> None:
    assert get(server, "/sparql").status == 400
    syntax = sparql_get(server, "SELECT ?x WHERE {")
    assert syntax.status == 400 and b"syntax error" in syntax.body
    assert sparql_get(server, SELECT_DECISIONS, "image/png").status == 406
    assert request(server, "POST", "/sparql", b"x", {"Content-Type": "text/plain"}).status == 415
    assert get(server, "/nowhere").status == 404
    assert get(server, "/static/../server.py").status == 404
    assert request(server, "PUT", "/sparql").status == 501  # not a method this server has


def test_oversized_requests_are_rejected(server: Server) -> None:
    body = b"query=" + b"x" * (server.app.config.max_body + 1)
    reply = request(server, "POST", "/sparql", body,
                    {"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 413
    long_target = "/sparql?query=" + "x" * (server.app.config.max_url + 1)
    assert get(server, long_target).status == 414


def test_foreign_host_header_is_refused(server: Server) -> None:
    reply = request(server, "GET", "/api/queries", headers={"Host": "evil.example:80"})
    assert reply.status == 403


def test_timeout_stops_a_runaway_query_and_the_server_goes_on(strict: Server) -> None:
    reply = sparql_get(strict, SLOW)
    assert reply.status == 503 and b"was stopped" in reply.body
    # The killed worker is replaced: the next query is answered.
    assert sparql_get(strict, "ASK { ?s ?p ?o }").status in (200, 503)
    for _ in range(50):
        if sparql_get(strict, "ASK { ?s ?p ?o }").status == 200:
            break
    else:
        pytest.fail("the server did not recover after a timeout")


def test_row_cap(strict: Server) -> None:
    reply = sparql_get(strict, "SELECT ?s WHERE { ?s ?p ?o }")
    assert reply.status == 200
    assert len(reply.json()["results"]["bindings"]) == 3
    assert reply.headers["X-Result-Truncated"] == "true"


# --- the saved-query API and the page -----------------------------------------------------------

def test_list_saved_queries(server: Server) -> None:
    data = get(server, "/api/queries").json()
    assert [q["name"] for q in data["queries"]] == [q.name for q in catalogue()]
    assert data["prefixes"]["council"] == "https://w3id.org/csikg/id/council/"
    one = get(server, "/api/queries/statutory-directions").json()
    assert (one["name"], one["params"]) == ("statutory-directions", [])
    assert "csi:Direction" in one["text"]


def test_run_saved_query_with_parameters(server: Server, engine: Engine) -> None:
    reply = get(server, "/api/queries/accountability-on-date/run?council=doncaster"
                        "&date=2015-06-01")
    assert reply.status == 200
    data = reply.json()
    assert data["params"] == {"council": "https://w3id.org/csikg/id/council/doncaster",
                              "date": "2015-06-01"}
    expected = engine.run("accountability-on-date", council="doncaster", date="2015-06-01")
    assert data["head"]["vars"] == expected.variables
    got = [tuple(b.get(v, {}).get("value", "") for v in expected.variables)
           for b in data["results"]["bindings"]]
    assert got == expected.texts()
    trust = "https://w3id.org/csikg/id/organisation/doncaster-childrens-services-trust"
    assert data["labels"][trust] == "Doncaster Children's Services Trust"
    # a source's label is its citation (publisher, date, title), as everywhere else
    cited = citations(engine)
    sources = {iri: label for iri, label in data["labels"].items() if "/id/source/" in iri}
    assert sources and all(label == cited[iri].text for iri, label in sources.items())


def test_run_saved_query_as_csv(server: Server) -> None:
    by_param = get(server, "/api/queries/statutory-directions/run?format=csv")
    by_accept = get(server, "/api/queries/statutory-directions/run", "text/csv")
    assert by_param.media == by_accept.media == "text/csv"
    assert by_param.body == by_accept.body
    assert b"Justine Greening" in by_param.body
    assert not by_param.body.startswith(b"\xef\xbb\xbf")  # W3C CSV by default


def test_run_saved_query_as_csv_for_excel(server: Server) -> None:
    plain = get(server, "/api/queries/accountability-on-date/run?format=csv")
    excel = get(server, "/api/queries/accountability-on-date/run?format=csv&excel=1")
    assert excel.media == "text/csv"
    assert excel.body == "\ufeff".encode() + plain.body  # a UTF-8 byte order mark, then the same
    assert max(plain.body) > 127  # the quotes hold characters Excel garbles without the mark
    bad = get(server, "/api/queries/accountability-on-date/run?format=csv&excel=yes")
    assert bad.status == 400


def test_saved_query_errors_are_json(server: Server) -> None:
    bad = get(server, "/api/queries/accountability-on-date/run?date=16-07-2013")
    assert bad.status == 400 and "expects a date" in bad.json()["error"]
    unknown = get(server, "/api/queries/accountability-on-date/run?colour=red")
    assert unknown.status == 400 and "no parameter 'colour'" in unknown.json()["error"]
    missing = get(server, "/api/queries/no-such-query/run")
    assert missing.status == 404 and "no saved query" in missing.json()["error"]


def test_page_and_static_files(server: Server) -> None:
    page = get(server, "/")
    assert (page.status, page.media) == (200, "text/html")
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert b'src="/static/app.js"' in page.body
    assert b"http" not in page.body.replace(b"http-equiv", b"")  # no CDN, no external asset
    assert get(server, "/static/app.js").media == "text/javascript"
    assert get(server, "/static/style.css").media == "text/css"


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("target", ["/sparql", "/sparql?query=ASK%20%7B%7D", "/workbench"])
def test_a_browser_asking_for_html_gets_the_workbench(server: Server, target: str) -> None:
    reply = get(server, target, BROWSER)
    assert (reply.status, reply.media) == (200, "text/html")
    assert b'src="/static/workbench.js"' in reply.body
    assert b'src="/vendor/yasgui.min.js"' in reply.body
    assert b"http" not in reply.body.replace(b"http-equiv", b"")  # no CDN, no external asset
    # A machine client asking the same gets today's answers: results, or the plain 400.
    assert get(server, "/sparql", "application/sparql-results+json").status == 400
    assert get(server, "/sparql?query=ASK%20%7B%7D&format=json", BROWSER).json() == {
        "head": {}, "boolean": True}


def test_vendor_files_are_the_npm_files_and_only_those(server: Server) -> None:
    from kg.frontend import VENDOR_FILES, vendor_file

    for name in ("yasgui.min.js", "yasgui.min.css"):
        assert name in VENDOR_FILES
        reply = get(server, f"/vendor/{name}")
        assert reply.status == 200
        assert reply.media == ("text/css" if name.endswith(".css") else "text/javascript")
        assert reply.body == vendor_file(name).read_bytes()
    for name in ("package.json", "..%2Fpackage.json", "yasgui.esm.js"):
        assert get(server, f"/vendor/{name}").status == 404


def _councils(engine: Engine) -> dict[str, str]:
    """Every council of the graph, IRI -> label, asked of the graph directly."""
    rows = engine.sparql("SELECT ?c WHERE { ?c a <https://w3id.org/csikg/def/LocalAuthority> }")
    iris = [str(row[0].value) for row in rows.rows]
    labels = engine.labels(iris)
    return {iri: labels.get(iri, "") for iri in iris}


def test_a_query_lists_its_allowed_values_with_labels(server: Server, engine: Engine) -> None:
    data = get(server, "/api/queries/accountability-on-date").json()
    council, date = data["params"]
    assert council["classes"] == ["https://w3id.org/csikg/def/LocalAuthority"]
    assert {v["iri"]: v["label"] for v in council["values"]} == _councils(engine)
    namespace = "https://w3id.org/csikg/id/council/"
    assert all(v["value"] == v["iri"][len(namespace):] for v in council["values"])
    assert date["values"] is None  # a date declares no list
    assert get(server, "/api/queries/statutory-directions").json()["params"] == []


def test_an_unknown_entity_is_refused_with_the_nearest(server: Server, engine: Engine) -> None:
    doncaster = "https://w3id.org/csikg/id/council/doncaster"
    reply = get(server, "/api/queries/accountability-on-date/run?council=doncster")
    assert reply.status == 400
    body = reply.json()
    assert "knows nothing called council:doncster" in body["error"]
    assert body["param"] == "council"
    assert {"iri": doncaster, "label": _councils(engine)[doncaster], "value": "doncaster"} in (
        body["suggestions"])
    # Something the graph knows, but not a council: it would silently answer nothing.
    person = get(server, "/api/queries/accountability-on-date/run?council=person:dave-hill")
    assert person.status == 400
    assert "is not one of its" in person.json()["error"]
    assert person.json()["param"] == "council"
    # A council's label typed in full is not a slug: the server names the value it means,
    # with the same check as kg query (kg.query.choices.refuse_unparsed).
    label = _councils(engine)[doncaster]
    typed = get(server, "/api/queries/accountability-on-date/run?council="
                + urllib.parse.quote(label))
    assert typed.status == 400
    assert "is a label" in typed.json()["error"]
    assert [s["value"] for s in typed.json()["suggestions"]] == ["doncaster"]


def test_source_lists_come_with_their_citations(server: Server, engine: Engine) -> None:
    """A column of corpus ids (council-timeline's sources) is answered with the citation of
    each id, which the page shows instead of the id."""
    data = get(server, "/api/queries/council-timeline/run?council=doncaster").json()
    listed = {i for b in data["results"]["bindings"] for i in b["sources"]["value"].split()}
    by_id = {c.id: c.text for c in citations(engine).values()}
    assert listed and data["sources"] == {i: by_id[i] for i in listed}
