"""The interactive view in a real browser: headless Chromium, offline, no console errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from kg.export.html import write_html
from kg.export.network import entity_graph

pytest.importorskip("selenium")
from browser import chromium, console_errors  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def g(graph: Graph) -> nx.MultiDiGraph:
    return entity_graph(graph)


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    with chromium(1600, 1000) as driver:
        yield driver


def test_view_draws_searches_and_shows_quotes(browser: webdriver.Chrome, g: nx.MultiDiGraph,
                                              tmp_path: Path) -> None:
    page = write_html(g, tmp_path / "graph.html")
    browser.get(page.as_uri())
    wait = WebDriverWait(browser, 10)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#graph .node"))

    # Every entity is drawn, with a visible circle.
    nodes = browser.find_elements(By.CSS_SELECTOR, "#graph .node")
    assert len(nodes) == g.number_of_nodes()
    sizes = browser.execute_script(
        "return Array.from(document.querySelectorAll('#graph .node circle'))"
        ".map(c => c.getBoundingClientRect().width)")
    assert min(sizes) > 2
    assert browser.find_elements(By.CSS_SELECTOR, "#graph line.edge")

    # Nothing was fetched: the page is self-contained.
    fetched = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert fetched == []

    # Search highlights matches; Enter opens the first in the details panel, with its quotes.
    search = browser.find_element(By.ID, "search")
    search.send_keys("Doncaster Children's Services Trust")
    assert browser.find_element(By.ID, "search-count").text == "1 match"
    trust = browser.find_element(
        By.CSS_SELECTOR, '#graph .node[data-id="body:doncaster-childrens-services-trust"]')
    assert "match" in trust.get_attribute("class")
    search.send_keys(Keys.ENTER)
    details = browser.find_element(By.ID, "details")
    assert details.find_element(By.TAG_NAME, "h2").text == "Doncaster Children's Services Trust"
    quotes = [q.text for q in details.find_elements(By.CSS_SELECTOR, "blockquote.quote")]
    assert any("launched in October 2014" in q for q in quotes)
    cites = " ".join(c.text for c in details.find_elements(By.CSS_SELECTOR, ".cite"))
    assert "003_51ba7b2c6747c069" in cites
    browser.save_screenshot(str(tmp_path / "graph-search.png"))

    # Clicking a node shows its statements too.
    browser.execute_script(
        "document.querySelector('#graph .node[data-id=\"body:adcs\"] circle')"
        ".dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    assert "fragmenting services" in browser.find_element(By.ID, "details").text

    assert console_errors(browser) == []


def test_filters_by_class_and_by_source(browser: webdriver.Chrome, g: nx.MultiDiGraph,
                                        tmp_path: Path) -> None:
    page = write_html(g, tmp_path / "graph.html")
    browser.get(page.as_uri())
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#graph .node"))

    def hidden() -> set[str]:
        return set(browser.execute_script(
            "return Array.from(document.querySelectorAll('#graph .node.hidden'))"
            ".map(n => n.getAttribute('data-id'))"))

    browser.find_element(By.CSS_SELECTOR, 'input[data-class="foaf:Person"]').click()
    people = {n for n, d in g.nodes(data=True) if d["class"] == "foaf:Person"}
    assert hidden() == people
    browser.find_element(By.CSS_SELECTOR, 'input[data-class="foaf:Person"]').click()
    assert hidden() == set()

    # Keep one source: entities no statement of that source mentions disappear.
    keep = "004_dd1639bb877fd76f"
    for box in browser.find_elements(By.CSS_SELECTOR, "input[data-source]"):
        if box.get_attribute("data-source") != keep:
            box.click()
    expected = {n for n, d in g.nodes(data=True) if d["sources"] and keep not in d["sources"]}
    assert expected and hidden() == expected
    assert "body:adcs" not in hidden()
    browser.save_screenshot(str(tmp_path / "graph-filtered.png"))
    assert console_errors(browser) == []
    json.dumps(browser.get_log("browser"))  # the log is readable (and now drained)
