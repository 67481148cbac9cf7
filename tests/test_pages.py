"""Entity pages: the saved queries behind them, every IRI served (200) and exported, the page's
statements equal to the query's rows, statuses that depend on the date, a 404 that suggests the
closest labels, and a Chromium walk from one page to a related one. Expectations are derived
from the graph, never copied from the corpus."""

from __future__ import annotations

import datetime as dt
import re
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from kg.export.page_render import write_pages
from kg.export.pages import BASE, Pages, local_path, page_kind
from kg.namespaces import PREFIXES
from kg.query.citations import citations
from kg.query.engine import Engine, term_text
from kg.serve.server import Server

CSI = PREFIXES["csi"]
NOT_NAMING = f"<{CSI}evidence>, <{CSI}independentSources>, <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def engine(dist: Path) -> Engine:
    return Engine.load(dist)


@pytest.fixture(scope="module")
def pages(engine: Engine) -> Pages:
    return Pages(engine)


def get(server: Server, path: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(server.url + path, timeout=60) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def sparql_set(engine: Engine, text: str) -> set[str]:
    return {term_text(row[0]) for row in engine.sparql(text).rows}


def naming_statements(engine: Engine, iri: str) -> set[str]:
    """Statements (nodes with evidence) that name iri through a property, or iri itself."""
    return sparql_set(engine, f"""
        SELECT DISTINCT ?s WHERE {{
          ?s <{CSI}evidence> ?e .
          {{ ?s ?p <{iri}> FILTER (?p NOT IN ({NOT_NAMING})) }} UNION {{ FILTER (?s = <{iri}>) }}
        }}""")


def statement_order(rows: list[dict[str, object]]) -> list[str]:
    seen: list[str] = []
    for row in rows:
        if row["statement"] not in seen:
            seen.append(str(row["statement"]))
    return seen


def busiest(engine: Engine, prefix: str) -> str:
    """The entity under prefix that most statements name (so a test has rows to look at)."""
    return term_text(engine.sparql(f"""
        SELECT ?x (COUNT(DISTINCT ?s) AS ?n) WHERE {{
          ?s <{CSI}evidence> ?e ; ?p ?x . FILTER (STRSTARTS(STR(?x), "{prefix}"))
        }} GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1""").rows[0][0])


# --- the saved queries --------------------------------------------------------------------------

def test_entity_statements_lists_what_names_the_entity_in_date_order(engine: Engine) -> None:
    council = busiest(engine, PREFIXES["council"])
    rows = engine.run("entity-statements", entity=NamedNode(council)).records()
    assert set(statement_order(rows)) == naming_statements(engine, council)
    dated = [row["sortDate"] for row in rows if row["sortDate"] is not None]
    assert dated == sorted(dated)  # type: ignore[type-var]
    undated = [i for i, row in enumerate(rows) if row["sortDate"] is None]
    assert undated == list(range(len(rows) - len(undated), len(rows)))  # undated last
    # A statement's own node lists its evidence ("itself").
    statement = str(rows[0]["statement"])
    own = engine.run("entity-statements", entity=NamedNode(statement)).records()
    assert {"itself"} <= {row["property"] for row in own if row["statement"] == statement}


def test_inference_rows_keep_the_clue_apart_from_the_quote(engine: Engine) -> None:
    evidence = engine.sparql(f"""
        SELECT ?s ?exact WHERE {{
          ?s <{CSI}evidence> ?e .
          ?e <{CSI}claimKind> <{BASE}def/claim-kind/inference> ;
             <http://www.w3.org/ns/oa#hasSelector>/<http://www.w3.org/ns/oa#exact> ?exact .
        }} ORDER BY ?s LIMIT 1""").rows
    assert evidence, "the graph has no inference evidence to check"
    statement, exact = term_text(evidence[0][0]), term_text(evidence[0][1])
    rows = engine.run("entity-statements", entity=NamedNode(statement)).records()
    mine = [row for row in rows if row["statement"] == statement]
    assert any(row["clue"] == exact and row["quote"] is None and row["note"] for row in mine)
    assert all(row["clue"] is None for row in mine if row["claimKind"] != "inference")


def test_status_before_a_start_differs_from_today(engine: Engine) -> None:
    started = engine.sparql(f"""
        SELECT ?s ?from WHERE {{
          ?s <{CSI}evidence> ?e .
          {{ ?s <{CSI}startEarliest> ?from }} UNION {{ ?s <{CSI}dateEarliest> ?from }}
          FILTER NOT EXISTS {{ ?s a <{CSI}Plan> }}
        }} ORDER BY ?from ?s""").rows
    assert started
    for statement, start in started:
        day = dt.date.fromisoformat(term_text(start)) - dt.timedelta(days=1)
        before = engine.run("entity-statements", entity=statement, date=day.isoformat())
        now = engine.run("entity-statements", entity=statement, date=TODAY.isoformat())
        then_status = {term_text(r["status"]) for r in before if r["statement"] == statement}
        now_status = {term_text(r["status"]) for r in now if r["statement"] == statement}
        assert then_status and all(s.startswith("not yet") for s in then_status), statement
        assert then_status != now_status, statement


def test_status_never_outruns_the_last_source(engine: Engine) -> None:
    attested = engine.sparql(f"""
        SELECT ?s ?until WHERE {{
          ?s <{CSI}knownUntil> ?until ; <{CSI}knownUntilBasis> "last attested" .
        }} ORDER BY ?s""").rows
    assert attested
    for statement, until in attested:
        day = dt.date.fromisoformat(term_text(until)) + dt.timedelta(days=1)
        rows = engine.run("entity-statements", entity=statement, date=day.isoformat())
        for row in rows:
            if row["statement"] == statement:
                assert "in force" not in term_text(row["status"]), (statement, row["status"])


def test_entity_related_is_every_other_part_of_its_statements(engine: Engine) -> None:
    council = busiest(engine, PREFIXES["council"])
    statements = naming_statements(engine, council)
    values = " ".join(f"<{s}>" for s in sorted(statements))
    parts = sparql_set(engine, f"""
        SELECT DISTINCT ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o .
          FILTER (isIRI(?o) && STRSTARTS(STR(?o), "{BASE}id/")
                  && !STRSTARTS(STR(?o), "{BASE}id/.well-known/")) }}""")
    expected = (parts | statements) - {council}
    rows = engine.run("entity-related", entity=NamedNode(council)).records()
    assert {str(row["related"]) for row in rows} == expected
    counts = [row["statements"] for row in rows]
    assert counts == sorted(counts, reverse=True)  # type: ignore[type-var]


def test_entity_description_gives_identifiers_with_their_reference_source(
        engine: Engine) -> None:
    assigned = engine.sparql(f"""
        SELECT ?x ?code ?source WHERE {{
          ?a a <{CSI}IdentifierAssignment> ; <{CSI}identifies> ?x ; <{CSI}code> ?code ;
             <{CSI}evidence>/<http://www.w3.org/ns/oa#hasSource> ?source .
        }} ORDER BY ?x""").rows
    assert assigned
    expected: dict[str, set[tuple[str, str]]] = {}
    for entity, code, source in assigned:  # a council may have had more than one code
        expected.setdefault(term_text(entity), set()).add((term_text(code), term_text(source)))
    for entity, codes in expected.items():
        rows = engine.run("entity-description", entity=NamedNode(entity)).records()
        gss = [row for row in rows if row["property"] == CSI + "gssCode"]
        assert {(str(row["value"]), str(row["source"])) for row in gss} == codes


def test_term_usage_lists_the_instances_of_a_class(engine: Engine) -> None:
    cls = CSI + "Responsibility"
    instances = sparql_set(engine, f"SELECT ?x WHERE {{ ?x a <{cls}> }}")
    rows = engine.run("term-usage", term=NamedNode(cls)).records()
    assert {str(row["user"]) for row in rows if row["role"] == "instance"} == instances
    defined = sparql_set(engine, f"SELECT ?x WHERE {{ ?x "
                         f"<http://www.w3.org/2000/01/rdf-schema#isDefinedBy> <{BASE}def> }}")
    rows = engine.run("term-usage", term=NamedNode(BASE + "def")).records()
    assert {str(row["user"]) for row in rows if row["role"] == "defines"} == defined


# --- pages --------------------------------------------------------------------------------------

class Statements(HTMLParser):
    """The data-statement attributes of a page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "data-statement" and value:
                self.found.append(value)


def statements_on(html: str) -> list[str]:
    parser = Statements()
    parser.feed(html)
    return parser.found


def test_every_iri_of_the_graph_has_a_page(engine: Engine, pages: Pages) -> None:
    everything = sparql_set(engine, f"""
        SELECT DISTINCT ?x WHERE {{ {{ ?x ?p ?o }} UNION {{ ?s ?p ?x }}
          FILTER (isIRI(?x) && STRSTARTS(STR(?x), "{BASE}")) }}""")
    expected = {iri for iri in everything if local_path(iri)}
    assert set(pages.iris) == expected
    # Only evidence nodes and named graphs go without a page.
    assert all("/.well-known/" in iri or "/graph/" in iri for iri in everything - expected)
    kinds = {page_kind(iri) for iri in pages.iris}
    assert kinds == {"entity", "source", "term"}


def test_every_page_is_served_and_exported(server: Server, pages: Pages,
                                           tmp_path: Path) -> None:
    written = write_pages(pages, tmp_path, TODAY)
    assert len(written) == len(pages.iris) + 1  # and the style sheet
    for iri in pages.iris:
        path = local_path(iri)
        status, media, html = get(server, f"/{path}")
        assert (status, media) == (200, "text/html; charset=utf-8"), iri
        exported = (tmp_path / f"{path}.html").read_text(encoding="utf-8")
        assert statements_on(exported) == statements_on(html), iri
        assert iri in exported
    # Links between exported pages are relative and land on files that exist.
    page = tmp_path / f"{local_path(busiest(pages.engine, PREFIXES['council']))}.html"
    links = re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8"))
    local = [link for link in links if "://" not in link]
    assert local and all((page.parent / link).resolve().is_file() for link in local), local


def test_a_page_lists_the_query_rows_for_its_date(server: Server, engine: Engine) -> None:
    council = busiest(engine, PREFIXES["council"])
    start = engine.sparql(f"""SELECT (MIN(?d) AS ?first) WHERE {{
        ?s <{CSI}authority> <{council}> ; <{CSI}startEarliest>|<{CSI}dateEarliest> ?d }}""")
    day = dt.date.fromisoformat(term_text(start.rows[0][0]))
    path = local_path(council)
    for at in (day, TODAY):
        rows = engine.run("entity-statements", entity=NamedNode(council),
                          date=at.isoformat()).records()
        status, _, html = get(server, f"/{path}?at={at.isoformat()}")
        assert status == 200
        assert statements_on(html) == statement_order(rows)
        for row in rows:
            assert str(row["status"]).replace("'", "&#39;") in html
    before = get(server, f"/{path}?at={(day - dt.timedelta(days=1)).isoformat()}")[2]
    assert "not yet" in before
    assert get(server, f"/{path}?at={TODAY.isoformat()}")[2] != before


def test_a_bad_date_is_a_400_that_says_why(server: Server, pages: Pages) -> None:
    path = local_path(pages.iris[0])
    for bad in ("2015-02-30", "yesterday", "2015-2-3"):
        status, media, html = get(server, f"/{path}?at={bad}")
        assert status == 400 and media.startswith("text/html")
        assert "YYYY-MM-DD" in html and bad in html


def test_an_unknown_iri_is_a_404_with_the_closest_labels(server: Server, engine: Engine,
                                                         pages: Pages) -> None:
    council = busiest(engine, PREFIXES["council"])
    path = local_path(council) or ""
    typo = path[:-2] + path[-1]  # one letter dropped
    status, media, html = get(server, f"/{typo}")
    assert status == 404 and media.startswith("text/html")
    suggested = re.findall(r'<li><a href="/([^"]+)">', html)
    assert suggested and suggested[0] == path
    assert pages.labels[council].replace("'", "&#39;") in html


def test_pages_keep_the_security_headers(server: Server, pages: Pages) -> None:
    with urllib.request.urlopen(f"{server.url}/{local_path(pages.iris[0])}") as response:
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
        html = response.read().decode()
    assert "<script" not in html and "style=" not in html


def test_a_source_page_cites_the_source(server: Server, pages: Pages) -> None:
    source = next(iri for iri in pages.iris if page_kind(iri) == "source"
                  and iri in pages.citations)
    html = get(server, f"/{local_path(source)}")[2]
    assert pages.citations[source].title.replace("'", "&#39;") in html
    assert statements_on(html)


# --- in a browser -------------------------------------------------------------------------------

def test_follow_a_related_link_in_chromium(server: Server, engine: Engine) -> None:
    from browser import chromium, console_errors, leaving_loopback, requested_urls
    from selenium.webdriver.common.by import By

    council = busiest(engine, PREFIXES["council"])
    with chromium(1200, 900) as driver:
        driver.get(f"{server.url}/{local_path(council)}")
        assert driver.find_element(By.ID, "label").text
        link = driver.find_element(By.CSS_SELECTOR, "#related a")
        target, label = link.get_attribute("href"), link.text
        link.click()
        assert driver.current_url == target
        assert driver.find_element(By.ID, "label").text == label
        assert driver.find_elements(By.CSS_SELECTOR, "#statements li")
        assert console_errors(driver) == []
        assert leaving_loopback(requested_urls(driver)) == []


class Text(HTMLParser):
    """The text a reader sees (attributes such as href left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def test_no_page_shows_a_bare_corpus_id(server: Server, engine: Engine) -> None:
    """Sources appear as citations, never as corpus ids - not even the derived csi:sourceIds
    list (a source's own page shows its IRI, which holds its id, and is left out)."""
    ids = {c.id for c in citations(engine).values()}
    statement = busiest(engine, PREFIXES["st"])
    council = busiest(engine, PREFIXES["council"])
    for iri in (statement, council):
        status, _, html = get(server, f"/{local_path(iri)}")
        assert status == 200
        reader = Text()
        reader.feed(html)
        shown = " ".join(reader.parts)
        assert not [i for i in ids if i in shown], iri
