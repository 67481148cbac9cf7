"""Render an entity page (kg/export/pages.py) to HTML with the one Jinja2 template, for the
server (`/id/...` links, a date form) or for files (`pages/<path>.html`, relative links).

Autoescaping is on: every label and quote comes from the sources. The page has no script, and
its style is a file (`page.css`), so the server's CSP (`default-src 'self'`) needs no exception.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from kg.export.pages import Link, Page, Pages

CSS_NAME = "page.css"
SERVED_CSS = "/pages/" + CSS_NAME  # where kg serve puts the style sheet


@dataclass(frozen=True)
class Mode:
    """Where the page lives: served (absolute links, a date form) or a file under pages/."""

    served: bool
    path: str = ""  # the page's own path (files: links are relative to it)

    def href(self, link: Link | None) -> str:
        if link is None or link.path is None:
            return link.iri if link else ""
        if self.served:
            return "/" + urllib.parse.quote(link.path)
        return self.relative(link.path + ".html")

    def relative(self, target: str) -> str:
        here = posixpath.dirname(self.path + ".html")
        return urllib.parse.quote(posixpath.relpath(target, here or "."))

    @property
    def css(self) -> str:
        return SERVED_CSS if self.served else self.relative(CSS_NAME)


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("kg.export", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env


def render(page: Page, mode: Mode, query_links: bool = True) -> str:
    """The HTML of one page."""
    return environment().get_template("page.html.j2").render(
        page=page, mode=mode, href=mode.href, query_links=query_links and mode.served,
        quote_url=urllib.parse.urlencode)


def render_missing(given: str, suggestions: list[Link], mode: Mode, message: str = "") -> str:
    """The page for an IRI the graph does not have (or a bad request), with the closest pages."""
    return environment().get_template("page.html.j2").render(
        page=None, missing=given, message=message, suggestions=suggestions, mode=mode,
        href=mode.href, query_links=False, quote_url=urllib.parse.urlencode)


def stylesheet() -> bytes:
    return files("kg.export").joinpath("templates", CSS_NAME).read_bytes()


def write_pages(pages: Pages, folder: Path, day: dt.date,
                progress: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Every page of the graph as folder/<path>.html (statuses as at day), and the style sheet;
    returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    css = folder / CSS_NAME
    css.write_bytes(stylesheet())
    written = [css]
    iris = pages.iris
    progress(f"writing {len(iris)} entity, source and term pages")
    for iri in iris:
        page = pages.page(iri, day, day)
        assert page is not None  # every IRI listed has a page
        target = folder / (page.path + ".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(page, Mode(False, page.path)), encoding="utf-8")
        written.append(target)
    return written
