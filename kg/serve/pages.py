"""Entity pages in `kg serve`: `/id/...` and `/def...` show the page of `https://w3id.org/csikg/...`.

The event loop only checks the request (the path, the `?at=YYYY-MM-DD` date) and hands a "page"
job to the worker pool like every other query; the worker (`answer`, called from
kg/serve/work.py) runs the saved queries and renders the template. An IRI the graph does not have
gets a 404 page with the closest labels. These routes answer HTML only.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kg.export.page_render import SERVED_CSS, Mode, render, render_missing, stylesheet
from kg.serve.work import Answer, Job

if TYPE_CHECKING:
    from kg.query.engine import Engine
    from kg.serve.app import App

HTML = "text/html; charset=utf-8"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_state: dict[int, Any] = {}  # worker side: the Pages of the worker's engine


def routes(app: App) -> list[Route]:
    async def page(request: Request) -> Response:
        return await serve_page(app, request)

    async def css(request: Request) -> Response:
        return Response(stylesheet(), 200, media_type="text/css; charset=utf-8")

    return [Route("/id/{path:path}", page), Route("/def", page),
            Route("/def/{path:path}", page), Route(SERVED_CSS, css)]


def _html(status: int, body: str, headers: dict[str, str] | None = None) -> Response:
    return Response(body.encode("utf-8"), status, headers, HTML)


def parse_at(values: list[str], today: dt.date) -> dt.date:
    """The day asked for with ?at=YYYY-MM-DD (today when absent); ValueError says what is wrong.

    >>> parse_at(["2014-01-31"], dt.date(2020, 1, 1))
    datetime.date(2014, 1, 31)
    """
    if not values or values == [""]:
        return today
    if len(values) != 1:
        raise ValueError("give the date once: ?at=YYYY-MM-DD")
    text = values[0].strip()
    if not _DATE.match(text):
        raise ValueError(f"?at= expects a date YYYY-MM-DD, got {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"?at= expects a real date YYYY-MM-DD, got {text!r}") from None


async def serve_page(app: App, request: Request) -> Response:
    from kg.serve.app import HttpError

    path = request.url.path.lstrip("/")
    today = dt.date.today()
    try:
        day = parse_at(request.query_params.getlist("at"), today)
    except ValueError as error:
        return _html(400, render_missing(path, [], Mode(True), str(error)))
    job = Job("page", path, params={"at": day.isoformat(), "today": today.isoformat()})
    try:
        return await app.execute(request, job)  # a 404 comes back as the page the worker drew
    except HttpError as error:
        return _html(error.status, render_missing(path, [], Mode(True), error.message),
                     error.headers)


# --- in the worker --------------------------------------------------------------------------

def answer(engine: Engine, job: Job) -> Answer:
    """Run the page's saved queries and render it (a worker's job). A page not found is a 404
    whose body is the not-found page, with the closest labels."""
    from kg.export.pages import Pages, iri_of

    pages = _state.get(id(engine))
    if pages is None:
        pages = _state[id(engine)] = Pages(engine)
    day = dt.date.fromisoformat(job.params["at"])
    today = dt.date.fromisoformat(job.params["today"])
    page = pages.page(iri_of(job.text), day, today)
    if page is None:
        return Answer(404, HTML, render_missing(
            "/" + job.text, pages.closest(job.text), Mode(True)).encode("utf-8"))
    return Answer(200, HTML, render(page, Mode(True)).encode("utf-8"))
