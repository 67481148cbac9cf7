"""The interactive view (cytoscape.js) in a real browser: headless Chromium, offline, no console
errors, at a wide and a narrow window; readable labels, fit and zoom, filters, details by date
with citations, and #node= permalinks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph

from kg.export.html import write_html
from kg.export.network import entity_graph
from kg.query.citations import Citation, citations
from kg.query.engine import Engine

pytest.importorskip("selenium")
from browser import chromium, console_errors, leaving_loopback, requested_urls  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SIZES = [(1400, 900), (800, 900)]
MIN_LABEL_PX = 11
TRUST = "body:doncaster-childrens-services-trust"


@pytest.fixture(scope="module")
def g(graph: Graph) -> nx.MultiDiGraph:
    return entity_graph(graph)


@pytest.fixture(scope="module")
def cited(dist: Path) -> dict[str, Citation]:
    return citations(Engine.load(dist))


@pytest.fixture(scope="module")
def page(g: nx.MultiDiGraph, cited: dict[str, Citation],
         tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_html(g, tmp_path_factory.mktemp("view") / "graph.html", cited)[0]


@pytest.fixture(params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def browser(request: pytest.FixtureRequest) -> Iterator[webdriver.Chrome]:
    with chromium(*request.param) as driver:
        yield driver


def _open(browser: webdriver.Chrome, url: str) -> None:
    browser.get(url)
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script("return !!(window.kgView && window.kgView.cy)"))


def _labels(browser: webdriver.Chrome) -> Any:
    """On-screen label boxes (label only) of the nodes whose label is drawn, the viewport size,
    and the on-screen font size of each drawn label."""
    return browser.execute_script("""
        const cy = kgView.cy;
        const shown = cy.nodes().filter(n => n.visible() && !n.hasClass('nolabel'));
        return {
          boxes: shown.map(n => [n.id(), n.renderedBoundingBox(
              {includeNodes: false, includeEdges: false, includeLabels: true})]),
          px: shown.map(n => parseFloat(n.style('font-size')) * cy.zoom()),
          width: cy.width(), height: cy.height(), zoom: cy.zoom()};""")


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]


def test_every_node_drawn_and_labels_readable_apart_and_inside(
        browser: webdriver.Chrome, g: nx.MultiDiGraph, page: Path, tmp_path: Path) -> None:
    _open(browser, page.as_uri())
    drawn = browser.execute_script(
        "return kgView.cy.nodes().filter(n => n.visible()).map(n => n.id())")
    assert sorted(drawn) == sorted(g.nodes)
    assert browser.execute_script("return kgView.cy.edges().length") > 0
    sizes = browser.execute_script(
        "return kgView.cy.nodes().map(n => n.renderedWidth())")
    assert min(sizes) > 4  # every marker visible at the initial fit

    labels = _labels(browser)
    boxes = labels["boxes"]
    # The hubs at least are named; the graph keeps most of the window's width.
    assert len(boxes) >= 20, len(boxes)
    assert labels["width"] >= 0.65 * browser.execute_script("return window.innerWidth")
    assert min(labels["px"]) >= MIN_LABEL_PX - 0.01
    for node, box in boxes:
        assert box["x1"] >= 0 and box["y1"] >= 0, node
        assert box["x2"] <= labels["width"] and box["y2"] <= labels["height"], node
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1:]:
            assert not _overlap(box_a, box_b), (a, b)
    width = browser.execute_script("return window.innerWidth")
    browser.save_screenshot(str(tmp_path / f"graph-{width}.png"))

    # Nothing left this machine: the page and vendor/cytoscape.min.js come from the disk.
    urls = requested_urls(browser)
    assert any(u.endswith("vendor/cytoscape.min.js") for u in urls)
    assert leaving_loopback(urls) == []
    assert console_errors(browser) == []


def test_fit_zoom_and_reset(browser: webdriver.Chrome, page: Path) -> None:
    _open(browser, page.as_uri())

    def zoom() -> float:
        return float(browser.execute_script("return kgView.cy.zoom()"))

    fitted = zoom()
    browser.find_element(By.ID, "zoom-in").click()
    assert zoom() > fitted * 1.2
    browser.find_element(By.ID, "zoom-out").click()
    browser.find_element(By.ID, "zoom-out").click()
    assert zoom() < fitted
    browser.find_element(By.ID, "fit").click()
    assert zoom() == pytest.approx(fitted, rel=1e-6)
    # Zoomed in, more labels fit on screen, and still none overlaps another.
    shown_fitted = len(_labels(browser)["boxes"])
    browser.execute_script("const cy = kgView.cy; cy.zoom({level: cy.zoom() * 2.5, "
                           "renderedPosition: {x: cy.width() / 2, y: cy.height() / 2}});"
                           "kgView.declutter()")
    zoomed = _labels(browser)
    boxes = zoomed["boxes"]
    assert all(not _overlap(a, b) for i, (_, a) in enumerate(boxes) for _, b in boxes[i + 1:])
    assert min(zoomed["px"]) >= MIN_LABEL_PX - 0.01
    assert shown_fitted > 0
    # Reset: the selection and the search are cleared, the view fitted again.
    browser.execute_script(f"kgView.select('{TRUST}')")
    browser.find_element(By.ID, "reset").click()
    assert zoom() == pytest.approx(fitted, rel=1e-6)
    assert browser.execute_script("return kgView.cy.nodes('.selected').length") == 0
    assert "#node=" not in browser.current_url
    assert console_errors(browser) == []


def _dated_order(browser: webdriver.Chrome) -> list[str]:
    return [s.get_attribute("data-date") for s in
            browser.find_elements(By.CSS_SELECTOR, "#details .statement")]


def test_search_and_click_show_statements_by_date_with_citations(
        browser: webdriver.Chrome, g: nx.MultiDiGraph, cited: dict[str, Citation],
        page: Path) -> None:
    _open(browser, page.as_uri())
    search = browser.find_element(By.ID, "search")
    search.send_keys("Doncaster Children's Services Trust")
    assert browser.find_element(By.ID, "search-count").text == "1 match"
    assert browser.execute_script(f"return kgView.cy.getElementById('{TRUST}').hasClass('match')")
    search.send_keys(Keys.ENTER)
    details = browser.find_element(By.ID, "details")
    assert details.find_element(By.TAG_NAME, "h2").text == "Doncaster Children's Services Trust"
    quotes = [q.get_attribute("textContent") for q in
              details.find_elements(By.CSS_SELECTOR, "blockquote.quote")]
    assert any("launched in October 2014" in q for q in quotes)
    assert f"#node={TRUST}" in browser.current_url.replace("%3A", ":")

    # Clicking a node (a real tap on its marker) shows its statements, dated first, by date.
    node = "council:doncaster"
    position = browser.execute_script(
        f"const n = kgView.cy.getElementById('{node}'); kgView.cy.center(n);"
        "const p = n.renderedPosition(); const r = document.getElementById('graph')"
        ".getBoundingClientRect(); return [p.x + r.left, p.y + r.top]")
    browser.execute_script(
        "const [x, y] = arguments; const el = document.elementFromPoint(x, y);"
        "for (const type of ['mousedown', 'mouseup']) el.dispatchEvent(new MouseEvent(type, "
        "{bubbles: true, clientX: x, clientY: y, button: 0}));", *position)
    WebDriverWait(browser, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, "#details h2")
                                    .get_attribute("textContent") == g.nodes[node]["label"])
    dates = _dated_order(browser)
    assert len(dates) == len(g.nodes[node]["statements"])
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dates[:len(dated)] == dated  # by date, undated last
    text = browser.find_element(By.ID, "details").get_attribute("textContent")
    named = [c for c in cited.values() if c.text in text]
    assert named, "no source cited by publisher, date and title"
    for citation in cited.values():  # never a bare corpus id
        assert citation.id not in text
    assert console_errors(browser) == []


def test_permalink_opened_fresh_selects_the_node(browser: webdriver.Chrome, g: nx.MultiDiGraph,
                                                  page: Path) -> None:
    _open(browser, page.as_uri() + "#node=" + TRUST)
    assert browser.execute_script("return kgView.cy.nodes('.selected').map(n => n.id())") == [TRUST]
    details = browser.find_element(By.CSS_SELECTOR, "#details h2")
    assert details.get_attribute("textContent") == g.nodes[TRUST]["label"]
    assert console_errors(browser) == []


def test_filters_by_class_and_by_source_stay_reachable(
        browser: webdriver.Chrome, g: nx.MultiDiGraph, page: Path, tmp_path: Path) -> None:
    _open(browser, page.as_uri())
    # With a node selected (its statements fill the details), the filters are still on screen
    # once the panel is open: they scroll on their own, below the details.
    browser.execute_script(f"kgView.select('{TRUST}')")
    person = browser.find_element(By.CSS_SELECTOR, 'input[data-class="foaf:Person"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'nearest'})", person)
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", person)
    assert 0 <= top < browser.execute_script("return window.innerHeight")
    filters = browser.find_element(By.ID, "filters")
    assert browser.execute_script(
        "return document.getElementById('details').contains(arguments[0])", filters) is False

    def hidden() -> set[str]:
        return set(browser.execute_script("return kgView.cy.nodes('.hidden').map(n => n.id())"))

    person.click()
    people = {n for n, d in g.nodes(data=True) if d["class"] == "foaf:Person"}
    assert hidden() == people
    person.click()
    assert hidden() == set()

    # Keep one source: entities no statement of that source mentions disappear.
    keep = "004_dd1639bb877fd76f"
    for box in browser.find_elements(By.CSS_SELECTOR, "input[data-source]"):
        if box.get_attribute("data-source") != keep:
            browser.execute_script("arguments[0].scrollIntoView({block: 'nearest'})", box)
            box.click()
    expected = {n for n, d in g.nodes(data=True) if d["sources"] and keep not in d["sources"]}
    assert expected and hidden() == expected
    assert "body:adcs" not in hidden()
    # The source filter names sources by citation, never by id.
    labels = browser.find_element(By.ID, "source-filter").get_attribute("textContent")
    assert keep not in labels
    # The key names every colour and shape drawn, and every line style.
    key = browser.find_element(By.ID, "filters").get_attribute("textContent")
    for _, data in g.nodes(data=True):
        assert data["class_label"] in key
    assert "registry link only" in key and "linked by statements" in key
    browser.save_screenshot(str(tmp_path / "graph-filtered.png"))
    assert console_errors(browser) == []
