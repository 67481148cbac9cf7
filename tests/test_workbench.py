"""kg serve's pages in headless Chromium: the saved-query page's permalinks, allowed values,
refusals with suggestions, chart and table (YASR: sorting and filtering), and the YASGUI
workbench; every page makes no request
leaving 127.0.0.1 and logs no console error."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import (
    cells,
    chromium,
    console_errors,
    leaving_loopback,
    requested_urls,
    wait_for_rows,
)  # noqa: E402
from pyoxigraph import NamedNode
from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

from kg.query.engine import Engine, term_text
from kg.serve.server import Server

WAIT = 30


@pytest.fixture(scope="module")
def engine(dist: Path) -> Engine:
    return Engine.load(dist)


@pytest.fixture()
def browser() -> Iterator[webdriver.Chrome]:
    with chromium() as driver:
        yield driver
        # Every page test: nothing left this machine, nothing went wrong in the console.
        assert leaving_loopback(requested_urls(driver)) == []
        assert console_errors(driver) == []


def ready(driver: webdriver.Chrome) -> None:
    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true")


def column(driver: webdriver.Chrome, name: str) -> list[str]:
    """One column of the saved-query page's table, by its variable's name."""
    names = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#results thead th")][1:]
    return [row[names.index(name)] for row in cells(driver)]


def choices(driver: webdriver.Chrome, param: str) -> list[tuple[str, str]]:
    """The (label, slug) options of a parameter's searchable list, once loaded."""
    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, f"#values-{param} option"))
    return [(o.get_attribute("value") or "", o.get_attribute("data-value") or "") for o in
            driver.find_elements(By.CSS_SELECTOR, f"#values-{param} option")]


def fill(driver: webdriver.Chrome, param: str, text: str) -> None:
    field = driver.find_element(By.ID, f"param-{param}")
    field.clear()
    field.send_keys(text)


def test_a_changed_parameter_and_its_permalink(server: Server, engine: Engine,
                                               browser: webdriver.Chrome) -> None:
    browser.get(f"{server.url}/#posts-held")
    ready(browser)
    options = choices(browser, "person")
    # Typing a person's label picks the person; the address then keeps the slug.
    label, slug = options[0]
    fill(browser, "person", label)
    browser.find_element(By.ID, "run").click()
    wait_for_rows(browser)
    assert len(cells(browser)) == len(engine.run("posts-held", person=slug))
    # Change the parameter to a person with rows of their own, and run again.
    others = [(lab, s) for lab, s in options[1:] if len(engine.run("posts-held", person=s))]
    label, slug = others[0]
    fill(browser, "person", label)
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, WAIT).until(lambda d: f"person={slug}" in d.current_url)
    wait_for_rows(browser)
    rows = cells(browser)
    assert len(rows) == len(engine.run("posts-held", person=slug)) > 0
    assert browser.find_element(By.ID, "param-person").get_attribute("value") == slug
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(browser.current_url).query)
    assert query == {"q": ["posts-held"], "person": [slug]}
    # The permalink, opened fresh in another browser, runs the same query: the same rows.
    with chromium() as fresh:
        fresh.get(browser.current_url)
        ready(fresh)
        wait_for_rows(fresh)
        assert cells(fresh) == rows
        assert leaving_loopback(requested_urls(fresh)) == []
        assert console_errors(fresh) == []
    # Switching question clears the old results.
    Select(browser.find_element(By.ID, "query")).select_by_value("statutory-directions")
    assert cells(browser) == []
    assert browser.find_element(By.ID, "status").text == ""
    assert "person=" not in browser.current_url


def test_a_misspelt_council_is_refused_with_suggestions(server: Server, engine: Engine,
                                                        browser: webdriver.Chrome) -> None:
    council = "https://w3id.org/csikg/id/council/doncaster"
    label = engine.labels([council])[council]
    browser.get(f"{server.url}/?q=council-timeline")
    ready(browser)
    wait_for_rows(browser)  # a permalink without values runs with the defaults
    # A misspelt slug, then a misspelt label: both refused, naming the council meant.
    for misspelt, says in (("doncster", "the graph knows nothing called council:doncster"),
                           (label.replace("Doncaster", "Doncster"), "no allowed value is called")):
        fill(browser, "council", misspelt)
        browser.find_element(By.ID, "run").click()
        WebDriverWait(browser, WAIT).until(
            lambda d: d.find_element(By.ID, "error").is_displayed())
        error = browser.find_element(By.ID, "error")
        assert says in error.text and "did you mean council:doncaster" in error.text
        assert cells(browser) == []
    suggested = error.find_elements(By.CSS_SELECTOR, ".suggestions button")
    assert "doncaster" in [b.get_attribute("data-value") for b in suggested]
    # Picking the suggestion runs the query with it.
    next(b for b in suggested if b.get_attribute("data-value") == "doncaster").click()
    WebDriverWait(browser, WAIT).until(lambda d: "council=doncaster" in d.current_url)
    wait_for_rows(browser)
    assert len(cells(browser)) == len(engine.run("council-timeline", council="doncaster"))
    # The refused request is logged by the browser as a failed load; nothing else may be.
    assert [m for m in console_errors(browser) if "status of 400" not in m] == []


def test_a_chart_drawn_from_the_same_rows(server: Server, engine: Engine,
                                          browser: webdriver.Chrome) -> None:
    browser.get(f"{server.url}/?q=stance-matrix")
    ready(browser)
    wait_for_rows(browser)
    bars = {g.get_attribute("data-value"): int(g.get_attribute("data-count") or 0)
            for g in browser.find_elements(By.CSS_SELECTOR, "#chart svg g[data-count]")}
    results = engine.run("stance-matrix")
    expected: dict[str, int] = {}
    for row in results.texts():
        for stance in row[results.variables.index("stances")].split():
            expected[stance] = expected.get(stance, 0) + 1
    assert bars == expected
    assert len(cells(browser)) == len(results)


def test_the_table_sorts_and_filters(server: Server, engine: Engine,
                                    browser: webdriver.Chrome) -> None:
    browser.get(f"{server.url}/?q=council-timeline&council=doncaster")
    ready(browser)
    wait_for_rows(browser)
    results = engine.run("council-timeline", council="doncaster")
    index = results.variables.index("label")
    labels = [row[index] for row in results.texts()]
    assert column(browser, "label") == labels  # the query's own order (by date)
    # A click on the column's name sorts the rows by it, as people read text (DataTables:
    # case, spaces and punctuation aside); a second click, the other way round.
    expected = sorted(labels, key=lambda text: re.sub(r"[\W_]", "", text.lower()))
    assert expected != labels
    for order in (expected, expected[::-1]):
        next(th for th in browser.find_elements(By.CSS_SELECTOR, "#results thead th")
             if th.text == "label").click()
        WebDriverWait(browser, WAIT).until(lambda d, order=order: column(d, "label") == order)
    # The filter box keeps the rows that name a word anywhere: in a value, an IRI or a label.
    iris = [term_text(t) for row in results.rows for t in row if isinstance(t, NamedNode)]
    names = engine.labels(iris)
    word = "gove"
    matching = [row for row, terms in zip(results.texts(), results.rows, strict=True)
                if any(word in text.lower() for text in row)
                or any(word in names.get(term_text(t), "").lower()
                       for t in terms if isinstance(t, NamedNode))]
    assert 0 < len(matching) < len(labels)
    browser.find_element(By.CSS_SELECTOR, "#results .tableFilter").send_keys(word)
    WebDriverWait(browser, WAIT).until(lambda d: len(cells(d)) == len(matching))
    kept = {row[index] for row in matching}
    assert column(browser, "label") == [label for label in expected[::-1] if label in kept]


def test_graph_iris_link_to_local_pages(server: Server, browser: webdriver.Chrome) -> None:
    browser.get(f"{server.url}/?q=statutory-directions")
    ready(browser)
    wait_for_rows(browser)
    links = [a.get_attribute("href") or "" for a in
             browser.find_elements(By.CSS_SELECTOR, "#results a")]
    assert links and all(link.startswith(f"{server.url}/") for link in links)
    assert any(f"{server.url}/id/" in link for link in links)

    # Clicking a result reaches that entity's page, titled with the label the cell showed.
    entity = next(a for a in browser.find_elements(By.CSS_SELECTOR, "#results a")
                  if "/id/" in (a.get_attribute("href") or ""))
    label, href = entity.text, entity.get_attribute("href") or ""
    entity.click()
    WebDriverWait(browser, WAIT).until(lambda d: d.current_url == href)
    heading = WebDriverWait(browser, WAIT).until(lambda d: d.find_element(By.TAG_NAME, "h1"))
    assert heading.text and (heading.text in label or label in heading.text)
    iri = "https://w3id.org/csikg" + urllib.parse.urlsplit(href).path
    assert iri in browser.find_element(By.TAG_NAME, "body").text


# --- the workbench --------------------------------------------------------------------------

def workbench_rows(driver: webdriver.Chrome) -> list[list[str]]:
    return [[td.text for td in tr.find_elements(By.TAG_NAME, "td")][1:]  # [0]: row number
            for tr in driver.find_elements(By.CSS_SELECTOR, ".yasr tbody tr")]


def wait_for_answer(driver: webdriver.Chrome, since: str | None = None) -> None:
    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-answered")
        not in (None, since))
    WebDriverWait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr tbody tr"))


def test_an_ad_hoc_query_typed_in_the_editor(server: Server, engine: Engine,
                                             browser: webdriver.Chrome) -> None:
    browser.get(f"{server.url}/workbench")
    ready(browser)
    query = ("SELECT ?council ?label WHERE { ?council a csi:LocalAuthority ; rdfs:label ?label "
             "} ORDER BY ?label")
    browser.find_element(By.CSS_SELECTOR, ".CodeMirror").click()
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL) \
        .send_keys(Keys.DELETE).send_keys(query).perform()
    typed = browser.execute_script("return kgYasgui.getTab().getQuery()")
    # The editor declared the prefixes as they were typed, from the graph's own table.
    assert "PREFIX csi: <https://w3id.org/csikg/def/>" in typed
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in typed
    ActionChains(browser).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL) \
        .perform()
    wait_for_answer(browser)
    expected = engine.sparql(typed)
    rows = workbench_rows(browser)
    assert len(rows) == len(expected)
    assert [row[1].strip('"').split('"')[0] for row in rows] == [
        label for _, label in expected.texts()]
    # A council's cell opens its page on this server.
    hrefs = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".yasr a.iri")]
    assert f"{server.url}/id/council/" in (hrefs[0] or "")
    # The address keeps the query; opened fresh, it shows and runs it again.
    link = browser.current_url
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["query"] == [typed]
    with chromium() as fresh:
        fresh.get(link)
        ready(fresh)
        wait_for_answer(fresh)
        assert fresh.execute_script("return kgYasgui.getTab().getQuery()") == typed
        assert workbench_rows(fresh) == rows
        assert leaving_loopback(requested_urls(fresh)) == []
        assert console_errors(fresh) == []
    # Nothing was stored in the browser: one user's queries are not the next one's.
    assert browser.execute_script("return localStorage.length + sessionStorage.length") == 0


def test_the_gallery_opens_a_saved_query(server: Server, browser: webdriver.Chrome) -> None:
    from kg.query.catalogue import catalogue

    browser.get(f"{server.url}/workbench")
    ready(browser)
    browser.find_element(By.CSS_SELECTOR, "[data-query='statutory-directions']").click()
    text = catalogue().get("statutory-directions").text
    WebDriverWait(browser, WAIT).until(
        lambda d: d.execute_script("return kgYasgui.getTab().getQuery()") == text)
    tabs = [t.text for t in browser.find_elements(By.CSS_SELECTOR, ".tabsList .tab")]
    assert any("statutory-directions" in t for t in tabs)
    before = browser.find_element(By.TAG_NAME, "body").get_attribute("data-answered")
    # Each tab has its own editor and run button; the visible one is the opened query's.
    next(b for b in browser.find_elements(By.CSS_SELECTOR, ".yasqe_queryButton")
         if b.is_displayed()).click()
    wait_for_answer(browser, before)
    assert workbench_rows(browser)


def test_a_browser_asking_sparql_for_html_gets_the_workbench(server: Server,
                                                             browser: webdriver.Chrome) -> None:
    query = "ASK { ?s ?p ?o }"
    browser.get(f"{server.url}/sparql?{urllib.parse.urlencode({'query': query})}")
    ready(browser)
    assert browser.execute_script("return kgYasgui.getTab().getQuery()") == query
    WebDriverWait(browser, WAIT).until(
        lambda d: "true" in d.find_element(By.CSS_SELECTOR, ".yasr").text.lower())
