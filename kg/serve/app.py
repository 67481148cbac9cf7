"""The ASGI application of `kg serve` (Starlette): routes, guards and limits.

The event loop only routes, checks and copies bytes; the query, its read-only check and its
serialisation run in a worker process (kg/serve/work.py, kg/serve/pool.py).

Guards, in the order a request meets them: the request target's length (414), the method (501
for anything but GET, HEAD, POST), the Host header on a loopback server (403: DNS rebinding), the
body's size counted on the bytes received (413, whatever Content-Length says) and the time it
takes to arrive (408), then a cap on queries in flight per client (429) and overall (503), both
refused at once with Retry-After rather than queued for long.
"""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from collections import Counter
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kg.frontend import VENDOR_FILES, FrontendMissingError, vendor_file
from kg.namespaces import PREFIXES
from kg.query.catalogue import Catalogue, ParamValueError, QueryError, catalogue, with_values
from kg.query.engine import SELECT_FORMATS
from kg.serve import pages
from kg.serve.openapi import openapi_document
from kg.serve.pool import BusyError, Limits, QueryPool, QueryTimeoutError, WorkerDiedError
from kg.serve.work import READ_ONLY, Answer, Job, negotiate

STATIC_DIR = Path(__file__).resolve().parent / "static"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
METHODS = (b"GET", b"HEAD", b"POST")
YASGUI_STYLE_HASH = b"'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='"
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    # Everything from this server only. One exception, for the two pages that show results in
    # YASR's table (the workbench and the saved-query page): its column resizer adds one fixed
    # <style> element of its own, allowed by its hash alone (a new YASGUI version with other
    # CSS shows up as a console error in the page tests).
    (b"content-security-policy",
     b"default-src 'self'; style-src-elem 'self' " + YASGUI_STYLE_HASH + b"; "
     b"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    (b"cache-control", b"no-store"),
]
_MEDIA = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


@dataclass
class ServerConfig:
    dist: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0  # seconds a query may run
    max_rows: int = 10_000  # rows (or triples) in any answer
    max_bytes: int = 16 * 1024 * 1024  # bytes of any answer
    max_body: int = 64 * 1024  # bytes of a request body
    max_url: int = 16 * 1024  # characters of a request target
    workers: int = 4  # query worker processes
    per_client: int = 0  # queries in flight per client address (0: half the workers)
    max_queued: int = 64  # queries in flight overall beyond the workers
    queue_wait: float = 2.0  # seconds a query may wait for a free worker
    max_memory: int = 2048  # MiB of address space per worker (0: no cap)
    body_timeout: float = 10.0  # seconds for a request body to arrive
    header_timeout: float = 10.0  # seconds for a request's head to arrive
    keep_alive: int = 5  # seconds an idle keep-alive connection stays open
    max_connections: int = 512  # open connections; more get 503 at once
    isolate: bool = True  # cut the workers' network (seccomp)
    reload_interval: float = 1.0  # seconds between looks at dist/ for a new build
    cache: int = 64  # MiB of finished answers kept per build (0: none)
    catalogue: Catalogue = field(default_factory=catalogue)

    @property
    def client_limit(self) -> int:
        return self.per_client or max(1, self.workers // 2)

    def limits(self) -> Limits:
        return Limits(workers=self.workers, timeout=self.timeout, max_rows=self.max_rows,
                      max_bytes=self.max_bytes, max_memory=self.max_memory * 1024 * 1024,
                      isolate=self.isolate, queue_wait=self.queue_wait,
                      cache_bytes=self.cache * 1024 * 1024)


class HttpError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None,
                 close: bool = False, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        self.details = dict(details or {})  # more for the JSON body (e.g. suggestions)
        self.headers = dict(headers or {})
        if close:  # an unread body must not be taken for the next request
            self.headers["Connection"] = "close"


def error_response(path: str, status: int, message: str,
                   headers: dict[str, str] | None = None,
                   details: dict[str, Any] | None = None) -> Response:
    if path.startswith("/api/"):
        body = json.dumps({**(details or {}), "error": message, "status": status},
                          ensure_ascii=False).encode()
        return Response(body, status, headers, "application/json; charset=utf-8")
    return Response((message + "\n").encode(), status, headers, "text/plain; charset=utf-8")


def _params(query_string: str) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(query_string, keep_blank_values=True)


class App:
    """Configuration, the worker pool, the catalogue, the static files, and the ASGI app."""

    def __init__(self, config: ServerConfig, verbose: bool = False) -> None:
        from kg.query.engine import graph_file

        self.config, self.verbose = config, verbose
        self.catalogue = config.catalogue
        self.loopback = config.host in LOOPBACK
        self.static = {path.name: (path.read_bytes(), _MEDIA[path.suffix])
                       for path in sorted(STATIC_DIR.iterdir()) if path.suffix in _MEDIA}
        self.vendored: dict[str, bytes] = {}
        self.openapi = json.dumps(openapi_document(self.catalogue), indent=1).encode()
        self.in_flight = 0
        self.by_client: Counter[str] = Counter()
        self.pool = QueryPool(graph_file(config.dist).parent, config.limits(),
                              config.reload_interval)
        routes = [
            Route("/", self.page), Route("/index.html", self.page),
            Route("/static/{name}", self.asset),
            Route("/vendor/{name}", self.vendor),
            Route("/workbench", self.workbench),
            Route("/sparql", self.sparql, methods=["GET", "POST"]),
            Route("/api/queries", self.list_queries),
            Route("/api/queries/{name}", self.one_query),
            Route("/api/queries/{name}/run", self.run_query),
            Route("/openapi.json", self.openapi_json),
            *pages.routes(self),
        ]
        handlers: dict[Any, Callable[..., Any]] = {
            HttpError: self._http_error, HTTPException: self._starlette_error}
        self.starlette = Starlette(routes=routes, exception_handlers=handlers)

    # --- the outer guard (plain ASGI, before any routing) ---------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # lifespan is handled by the server; nothing else is offered
        path = scope.get("path", "")
        refusal = self._refusal(scope)

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        if refusal:
            status, text = refusal
            await error_response(path, status, text, {"Connection": "close"})(
                scope, receive, send_secured)
            return
        await self.starlette(scope, receive, send_secured)

    def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        target = len(scope.get("raw_path", b"")) + len(scope.get("query_string", b"")) + 1
        if target > self.config.max_url:
            return 414, "the request target is too long"
        if scope["method"].encode() not in METHODS:
            return 501, f"{scope['method']} is not a method this server has"
        if self.loopback:
            # Loopback only: refuse other Host names, so a web page cannot reach this server
            # through a rebound DNS name.
            host = ""
            for name, value in scope["headers"]:
                if name == b"host":
                    host = value.decode("latin-1").strip().lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name.strip("[]") not in LOOPBACK:
                return 403, f"unexpected Host header {host!r}"
        return None

    async def _http_error(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, HttpError)
        return error_response(request.url.path, error.status, error.message, error.headers,
                              error.details)

    async def _starlette_error(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        message = {404: f"no such resource: {request.url.path}",
                   405: f"{request.method} is not allowed here"}.get(error.status_code,
                                                                     str(error.detail))
        close = request.method == "POST"  # its body was not read
        return error_response(request.url.path, error.status_code, message,
                              {"Connection": "close"} if close else None)

    # --- reading a body -------------------------------------------------------------------------

    async def body(self, request: Request) -> bytes:
        """The request body, refused past max_body bytes as counted on arrival (not as the
        Content-Length header claims) and past body_timeout seconds."""
        limit = self.config.max_body
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise HttpError(413, f"the request body is over {limit} bytes", close=True)
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.config.body_timeout):
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > limit:
                        raise HttpError(413, f"the request body is over {limit} bytes",
                                        close=True)
                    chunks.append(chunk)
        except TimeoutError:
            raise HttpError(408, "the request body took too long", close=True) from None
        return b"".join(chunks)

    # --- running a job --------------------------------------------------------------------------

    async def execute(self, request: Request, job: Job) -> Response:
        cached = self.pool.cached(job)
        if cached is not None:  # an answer of this build already made: no worker needed
            return self.respond(*cached)
        client = request.client.host if request.client else ""
        if self.by_client[client] >= self.config.client_limit:
            raise HttpError(429, "too many queries from this client at once; try again",
                            {"Retry-After": "1"})
        if self.in_flight >= self.config.workers + self.config.max_queued:
            raise HttpError(503, "the server is busy; try again", {"Retry-After": "1"})
        self.in_flight += 1
        self.by_client[client] += 1
        try:
            answer, version = await self.pool.run(job)
        except (BusyError, QueryTimeoutError) as error:
            raise HttpError(503, str(error), {"Retry-After": "1"}) from None
        except WorkerDiedError as error:
            raise HttpError(500, str(error)) from None
        finally:
            self.in_flight -= 1
            self.by_client[client] -= 1
            if not self.by_client[client]:
                del self.by_client[client]
        return self.respond(answer, version)

    @staticmethod
    def respond(answer: Answer, version: str) -> Response:
        headers = {"X-Graph-Version": version}
        if answer.status != 200 and answer.body:  # an error the worker rendered (a 404 page)
            return Response(answer.body, answer.status, headers, answer.media)
        if answer.status != 200:
            raise HttpError(answer.status, answer.error, headers, details=answer.details)
        if answer.truncated:
            headers["X-Result-Truncated"] = "true"
        return Response(answer.body, 200, headers, answer.media)

    # --- SPARQL 1.1 Protocol --------------------------------------------------------------------

    @staticmethod
    def wants_html(request: Request) -> bool:
        """A browser's GET: text/html preferred over every results format (and no format=)."""
        if request.method != "GET" or "format" in _params(request.url.query):
            return False
        accept = request.headers.get("accept", "")
        return negotiate(accept, {"html": "text/html", **SELECT_FORMATS}, "json") == "html"

    async def sparql(self, request: Request) -> Response:
        if self.wants_html(request):
            return self._asset("workbench.html")  # the page reads ?query= into its editor
        params = _params(request.url.query)
        if request.method == "POST":
            media = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if media == "application/sparql-update":
                raise HttpError(403, f"refused: updates are not allowed; {READ_ONLY}",
                                close=True)
            if media not in ("application/sparql-query", "application/x-www-form-urlencoded"):
                raise HttpError(415, "POST application/sparql-query or a form with query=",
                                close=True)
            body = (await self.body(request)).decode("utf-8", "replace")
            if media == "application/sparql-query":
                params = {**params, "query": [body]}
            else:
                params = {**params, **_params(body)}
        if "update" in params:
            raise HttpError(403, f"refused: updates are not allowed; {READ_ONLY}")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            raise HttpError(400, "give exactly one non-empty query parameter")
        default_graphs = params.get("default-graph-uri", [])
        named_graphs = params.get("named-graph-uri", [])
        try:
            for iri in (*default_graphs, *named_graphs):
                NamedNode(iri)
        except ValueError as error:
            raise HttpError(400, f"bad graph IRI: {error}") from None
        job = Job("sparql", queries[0], fmt=params.get("format", [""])[0],
                  accept=request.headers.get("accept", ""),
                  default_graphs=default_graphs, named_graphs=named_graphs)
        return await self.execute(request, job)

    # --- saved queries, the page, the API description -------------------------------------------

    @staticmethod
    def json(data: object) -> Response:
        body = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
        return Response(body, 200, media_type="application/json; charset=utf-8")

    async def list_queries(self, request: Request) -> Response:
        return self.json({"queries": [q.as_dict() for q in self.catalogue],
                          "prefixes": PREFIXES})

    async def one_query(self, request: Request) -> Response:
        """One query with its text, and each parameter's allowed values with their labels
        (computed by a worker, once per build: the answer is cached)."""
        try:
            query = self.catalogue.get(request.path_params["name"])
        except QueryError as error:
            raise HttpError(404, str(error)) from None
        data = query.as_dict()
        if any(p.classes or p.enumerate for p in query.params):
            found = await self.execute(request, Job("choices", query.name, query=query))
            choices = json.loads(bytes(found.body))
            data["params"] = [{**p, "values": choices.get(p["name"])}
                              for p in data["params"]]  # type: ignore[attr-defined]
        return self.json({**data, "text": query.text})

    async def run_query(self, request: Request) -> Response:
        try:
            query = self.catalogue.get(request.path_params["name"])
        except QueryError as error:
            raise HttpError(404, str(error)) from None
        values: dict[str, object] = {}
        params = _params(request.url.query)
        for key, found in params.items():
            if key in ("format", "excel"):
                continue
            if len(found) != 1:
                raise HttpError(400, f"give parameter {key!r} once")
            values[key] = found[0]
        fmt = params.get("format", [""])[0]
        if fmt not in ("", "json", "csv", "tsv", "xml"):
            raise HttpError(406, "format must be one of json, csv, tsv, xml")
        given = {name: str(value) for name, value in values.items()}
        excel = params.get("excel", [""])
        if len(excel) != 1 or excel[0] not in ("", "0", "1", "true", "false"):
            raise HttpError(400, "excel is 1 (a CSV with a byte order mark) or 0, given once")
        try:
            bindings = query.bindings(values)
        except ParamValueError as error:
            if any(p.classes or p.enumerate for p in query.params):
                # Not even a slug ("Doncster Council"): a worker names the nearest values.
                return await self.execute(request, Job("refuse", str(error), query=query,
                                                       given=given))
            raise HttpError(400, str(error)) from None
        except QueryError as error:
            raise HttpError(400, str(error)) from None
        job = Job("saved", with_values(query.text, bindings), fmt=fmt,
                  accept=request.headers.get("accept", ""), name=query.name,
                  params={name: term.value for name, term in bindings.items()},
                  set_columns=query.set_columns, query=query,
                  given=given, excel=excel[0] in ("1", "true"))
        return await self.execute(request, job)

    async def page(self, request: Request) -> Response:
        return self._asset("index.html")

    async def workbench(self, request: Request) -> Response:
        return self._asset("workbench.html")

    async def vendor(self, request: Request) -> Response:
        """A front-end file from npm (kg.frontend.VENDOR_FILES only), read once."""
        name = request.path_params["name"]
        if name not in VENDOR_FILES:
            raise HttpError(404, f"no such file: {name}")
        if name not in self.vendored:
            try:
                path = vendor_file(name)
            except FrontendMissingError as error:
                raise HttpError(404, str(error)) from None
            self.vendored[name] = path.read_bytes()
        return Response(self.vendored[name], 200, media_type=_MEDIA[Path(name).suffix])

    async def asset(self, request: Request) -> Response:
        return self._asset(request.path_params["name"])

    def _asset(self, name: str) -> Response:
        found = self.static.get(name)
        if found is None:
            raise HttpError(404, f"no such file: {name}")
        return Response(found[0], 200, media_type=found[1])

    async def openapi_json(self, request: Request) -> Response:
        return Response(self.openapi, 200, media_type="application/json")

    def close(self) -> None:
        self.pool.close()
