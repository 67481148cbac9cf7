"""The kg serve page in headless Chromium: pick a saved query, fill its parameters, see rows
(in YASR's table) with their sources; and no console errors on the way."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser import (
    cells,
    chromium,
    console_errors,
    leaving_loopback,
    requested_urls,
    wait_for_rows,
)  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

from kg.query.catalogue import catalogue
from kg.query.citations import citations
from kg.query.engine import Engine
from kg.serve.server import Server


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    with chromium() as driver:
        yield driver


def open_page(driver: webdriver.Chrome, server: Server, query: str) -> None:
    driver.get(f"{server.url}/#{query}")
    WebDriverWait(driver, 20).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true")
    Select(driver.find_element(By.ID, "query")).select_by_value(query)


def run_and_wait(driver: webdriver.Chrome) -> None:
    driver.find_element(By.ID, "run").click()
    wait_for_rows(driver)


def headers(driver: webdriver.Chrome) -> list[str]:
    return [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#results thead th")][1:]


def test_pick_fill_and_run_a_query(browser: webdriver.Chrome, server: Server) -> None:
    open_page(browser, server, "posts-held")
    assert "Which posts did a person hold" in browser.find_element(By.ID, "summary").text
    person = browser.find_element(By.ID, "param-person")
    person.send_keys("dave-hill")
    run_and_wait(browser)
    columns = headers(browser)
    rows = cells(browser)
    assert len(rows) >= 2
    assert "organisationLabel" not in columns  # the organisation cell shows its label
    organisations = {row[columns.index("organisation")] for row in rows}
    assert "Association of Directors of Children's Services" in " ".join(organisations)
    assert "Norfolk County Council" in " ".join(organisations)
    # Sources show as citations (publisher, date, title), linked to the source's local page.
    source_links = browser.find_elements(By.CSS_SELECTOR, "#results td a[href*='/id/source/']")
    cited = citations(Engine.load(server.app.config.dist))
    shown = {" ".join(a.text.split()) for a in source_links}
    expected = {" ".join(c.text.split()) for c in cited.values()}
    assert shown and any(any(text in s for text in expected) for s in shown)
    assert browser.find_element(By.ID, "status").text.endswith("rows")
    assert console_errors(browser) == []
    # YASR keeps nothing in the browser (persistence is off).
    assert browser.execute_script("return localStorage.length + sessionStorage.length") == 0


def test_a_date_parameter_and_the_sparql_text(browser: webdriver.Chrome, server: Server) -> None:
    open_page(browser, server, "accountability-on-date")
    browser.find_element(By.ID, "param-council").send_keys("doncaster")
    date = browser.find_element(By.ID, "param-date")
    assert date.get_attribute("type") == "date"
    # A date input's typing order depends on the locale; set its value as a picker would.
    browser.execute_script("arguments[0].value = '2015-06-01'", date)
    run_and_wait(browser)
    text = browser.find_element(By.ID, "results").text
    assert "Doncaster Children's Services Trust" in text
    assert "in force (last attested 2015-09-01)" in text
    downloads = [a.get_attribute("href") for a in
                 browser.find_elements(By.CSS_SELECTOR, "#downloads a")]
    assert any("format=csv" in href and "date=2015-06-01" in href for href in downloads)
    WebDriverWait(browser, 10).until(
        ec.text_to_be_present_in_element_attribute((By.ID, "sparql"), "textContent",
                                                   "csi:Responsibility"))
    assert console_errors(browser) == []


def test_a_bad_value_shows_the_servers_message(browser: webdriver.Chrome, server: Server) -> None:
    open_page(browser, server, "posts-held")
    browser.find_element(By.ID, "param-person").send_keys("not a slug")
    run_and_wait(browser)
    error = browser.find_element(By.ID, "error")
    assert error.is_displayed()
    assert "parameter 'person' expects an IRI" in error.text
    assert cells(browser) == []
    # The refused request is logged by the browser as a failed load; nothing else may be.
    others = [m for m in console_errors(browser) if "status of 400" not in m]
    assert others == []
    assert leaving_loopback(requested_urls(browser)) == []


def shown_columns(name: str, variables: list[str]) -> list[str]:
    """A query's declared default columns as the page shows them: "xLabel" beside "x" as "x"."""
    shown: list[str] = []
    for column in catalogue().get(name).columns:
        base = column.removesuffix("Label")
        variable = base if column.endswith("Label") and base in variables else column
        if variable in variables and variable not in shown:
            shown.append(variable)
    return shown


def test_the_default_columns_and_all_of_them(browser: webdriver.Chrome, server: Server) -> None:
    name = "posts-held"
    variables = list(Engine.load(server.app.config.dist).run(name, person="dave-hill").variables)
    every = [v for v in variables if not (v.endswith("Label") and v[:-5] in variables)]
    declared = shown_columns(name, variables)
    assert declared and declared != every  # the query hides some of its variables by default
    browser.get(f"{server.url}/?q={name}&person=dave-hill")
    wait_for_rows(browser)
    assert headers(browser) == declared
    rows = cells(browser)
    assert rows and all(len(row) == len(declared) for row in rows)
    assert "columns=" not in browser.current_url
    # "all columns" shows every variable (in the answer's order), and the address says so.
    toggle = browser.find_element(By.ID, "all-columns")
    assert not toggle.is_selected()
    toggle.click()
    WebDriverWait(browser, 10).until(lambda d: headers(d) == every)
    assert len(cells(browser)) == len(rows)
    link = browser.current_url
    assert "columns=all" in link and "person=dave-hill" in link
    # The downloads keep every column whatever the table shows.
    downloads = [a.get_attribute("href") or "" for a in
                 browser.find_elements(By.CSS_SELECTOR, "#downloads a")]
    assert downloads and not any("columns" in href for href in downloads)
    # The permalink, opened fresh, gives the same table; unticking returns to the defaults.
    browser.get("about:blank")
    browser.get(link)
    wait_for_rows(browser)
    WebDriverWait(browser, 10).until(lambda d: headers(d) == every)
    assert browser.find_element(By.ID, "all-columns").is_selected()
    browser.find_element(By.ID, "all-columns").click()
    WebDriverWait(browser, 10).until(lambda d: headers(d) == declared)
    assert "columns=" not in browser.current_url
    assert console_errors(browser) == []
    assert leaving_loopback(requested_urls(browser)) == []


def test_a_source_list_shows_citations(browser: webdriver.Chrome, server: Server) -> None:
    """council-timeline's sources column holds corpus ids; the page shows their citations."""
    browser.get(f"{server.url}/?q=council-timeline&council=doncaster")
    wait_for_rows(browser)
    column = headers(browser).index("sources")
    shown = [row[column] for row in cells(browser)]
    cited = citations(Engine.load(server.app.config.dist)).values()
    assert shown and all(" ".join(cell.split()) in {" ".join(c.text.split()) for c in cited}
                         or "\n" in cell for cell in shown)
    text = " ".join(shown)
    assert not [c.id for c in cited if c.id in text]
    assert leaving_loopback(requested_urls(browser)) == []
