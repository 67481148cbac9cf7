"""The one headless Chromium harness of the page tests: offline flags, a fresh profile, the
console log, and every URL the page asked for (to prove nothing left 127.0.0.1)."""

from __future__ import annotations

import json
import shutil
import tempfile
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytest.importorskip("selenium")
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
LOCAL_SCHEMES = {"file", "data", "blob", "about", "chrome", "devtools"}


@contextmanager
def chromium(width: int = 1400, height: int = 900) -> Iterator[webdriver.Chrome]:
    """A headless Chromium with a fresh profile, logging its console and its network requests."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("needs chromium and chromedriver (apt-get install chromium chromium-driver)")
    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic",
                 f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def console_errors(driver: webdriver.Chrome) -> list[str]:
    """The console's errors since the last call (reading the log drains it)."""
    return [entry["message"] for entry in driver.get_log("browser")
            if entry["level"] in ("SEVERE", "ERROR")]


def requested_urls(driver: webdriver.Chrome) -> list[str]:
    """Every URL the browser asked for since the last call (from the DevTools network log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def leaving_loopback(urls: list[str]) -> list[str]:
    """The URLs among these that would leave this machine."""
    outside = []
    for url in urls:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            continue
        if (parts.hostname or "") not in LOCAL_HOSTS and f"[{parts.hostname}]" not in LOCAL_HOSTS:
            outside.append(url)
    return outside


# The saved-query page of kg serve (kg/serve/static/index.html).

def wait_for_rows(driver: webdriver.Chrome, seconds: float = 30) -> None:
    """Until the page says how many rows it has, or shows an error."""
    WebDriverWait(driver, seconds).until(
        lambda d: "row" in d.find_element(By.ID, "status").text
        or d.find_element(By.ID, "error").is_displayed())


def cells(driver: webdriver.Chrome) -> list[list[str]]:
    """The rows the page's table (YASR) shows, without its first column (the row number)."""
    return [[td.text for td in tr.find_elements(By.TAG_NAME, "td")][1:]
            for tr in driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")
            if not tr.find_elements(By.CSS_SELECTOR, "td.dt-empty")]  # "no data" is no row
