"""kg serve: a read-only SPARQL 1.1 Protocol endpoint, a REST API for the saved queries, and a
small HTML page, over the published graph, on 127.0.0.1 by default.

    GET  /                              the page (kg/static/)
    GET  /sparql?query=...              SPARQL 1.1 Protocol; POST form or application/sparql-query
    GET  /api/queries                   the saved queries and their parameters
    GET  /api/queries/NAME              one saved query, with its text
    GET  /api/queries/NAME/run?k=v      run it (JSON with labels; format=csv|tsv|xml|json)

Queries run in worker processes: a query that outlives the timeout has its worker killed (a
thread could not be stopped), and a cap on rows bounds every answer. Updates, LOAD and SERVICE
are refused before they reach the store, and so are oversized requests.
"""

from __future__ import annotations

import json
import queue
import select
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, Triple

from kg.engine import (
    GRAPH_FORMATS,
    SELECT_FORMATS,
    Engine,
    ReadOnlyError,
    Results,
    check_read_only,
    decode_term,
    encode_term,
    graph_file,
    term_json,
)
from kg.namespaces import PREFIXES
from kg.queries import Catalogue, QueryError, catalogue, with_values

STATIC_DIR = Path(__file__).resolve().parent / "static"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class QueryTimeoutError(Exception):
    pass


class BusyError(Exception):
    pass


@dataclass
class ServerConfig:
    dist: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0  # seconds a query may run
    max_rows: int = 10_000  # rows (or triples) in any answer
    max_body: int = 64 * 1024  # bytes of a POST body
    max_url: int = 16 * 1024  # characters of a request target
    workers: int = 2
    catalogue: Catalogue = field(default_factory=catalogue)


# --- worker processes ---------------------------------------------------------------------------

def _encode(results: Results) -> dict[str, Any]:
    """Results in a picklable form, to cross the pipe from a worker."""
    triples = None
    if results.triples is not None:
        triples = [tuple(encode_term(t) for t in (x.subject, x.predicate, x.object))
                   for x in results.triples]
    return {
        "variables": results.variables,
        "rows": [tuple(encode_term(t) for t in row) for row in results.rows],
        "boolean": results.boolean,
        "triples": triples,
        "truncated": results.truncated,
    }


def _decode(data: dict[str, Any]) -> Results:
    triples = data["triples"]
    return Results(
        variables=data["variables"],
        rows=[tuple(decode_term(t) for t in row) for row in data["rows"]],
        boolean=data["boolean"],
        triples=None if triples is None else
        [Triple(*(decode_term(t) for t in triple)) for triple in triples],  # type: ignore[arg-type]
        truncated=data["truncated"],
    )


def _worker_loop(trig: str, max_rows: int) -> None:
    """A worker process: read one JSON request per line on stdin, answer one line on stdout."""
    engine = Engine.load(Path(trig).parent)
    out = sys.stdout
    out.write('{"ready": true}\n')
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        try:
            results = engine.sparql(request["text"], max_rows=max_rows,
                                    default_graphs=request["default_graphs"],
                                    named_graphs=request["named_graphs"])
            labels: dict[str, str] = {}
            if request["labels"]:
                iris = {t.value for row in results.rows for t in row if isinstance(t, NamedNode)}
                labels = engine.labels(sorted(iris))
            reply: dict[str, Any] = {"ok": _encode(results), "labels": labels}
        except QueryError as error:
            reply = {"error": str(error)}
        except Exception as error:  # the store's own errors: report, keep serving
            reply = {"error": f"{type(error).__name__}: {error}"}
        out.write(json.dumps(reply) + "\n")
        out.flush()


class _Worker:
    """One worker process. A plain subprocess (not multiprocessing), so starting one never
    re-imports the caller's main module."""

    def __init__(self, trig: Path, max_rows: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg.server", "--worker", str(trig), str(max_rows)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        if self.receive(120) != {"ready": True}:
            self.kill()
            raise RuntimeError("a query worker failed to start")

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message).encode("utf-8") + b"\n")
        self.process.stdin.flush()

    def receive(self, timeout: float) -> dict[str, Any] | None:
        """The next reply, or None if none came within the timeout."""
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            return None
        line = self.process.stdout.readline()
        if not line:
            raise EOFError("the worker exited")
        return json.loads(line)  # type: ignore[no-any-return]

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(5)
        for stream in (self.process.stdin, self.process.stdout):
            if stream:
                stream.close()


class QueryPool:
    """Worker processes, each holding the graph; a query past its timeout kills its worker."""

    def __init__(self, trig: Path, size: int, max_rows: int) -> None:
        self.trig, self.max_rows = trig, max_rows
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        for _ in range(max(1, size)):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self.trig, self.max_rows)
        with self._lock:
            self._all.append(worker)
        self._idle.put(worker)

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
        # Replace it in the background, so the request that timed out answers at once.
        threading.Thread(target=self._add, daemon=True).start()

    def run(self, text: str, timeout: float, default_graphs: Sequence[str] = (),
            named_graphs: Sequence[str] = (), labels: bool = False
            ) -> tuple[Results, dict[str, str]]:
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise BusyError("every query worker is busy; try again") from None
        try:
            worker.send({"text": text, "default_graphs": list(default_graphs),
                         "named_graphs": list(named_graphs), "labels": labels})
            reply = worker.receive(timeout)
        except (EOFError, OSError, ValueError):
            self._retire(worker)
            raise RuntimeError("the query worker died") from None
        if reply is None:
            self._retire(worker)
            raise QueryTimeoutError(f"the query ran longer than {timeout:g} s and was stopped")
        self._idle.put(worker)
        if "error" in reply:
            raise QueryError(reply["error"])
        return _decode(reply["ok"]), reply["labels"]

    def close(self) -> None:
        with self._lock:
            workers, self._all = list(self._all), []
        for worker in workers:
            worker.kill()


# --- HTTP ---------------------------------------------------------------------------------------

class HttpError(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def negotiate(accept: str, offers: dict[str, str], default: str) -> str | None:
    """The format (key of offers: format -> media type) that an Accept header prefers.

    >>> negotiate("text/csv, application/json;q=0.5", SELECT_FORMATS, "json")
    'csv'
    >>> negotiate("image/png", SELECT_FORMATS, "json") is None
    True
    """
    if not accept.strip():
        return default
    ranges = []
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranges.append((-quality, position, media.lower()))
    aliases = {"application/json": "json", "application/xml": "xml", "text/xml": "xml",
               "text/plain": "ntriples"}
    for _, _, media in sorted(ranges):
        if media in ("*/*", "application/*", "text/*"):
            kind = media.split("/")[0]
            if kind == "*" or offers[default].startswith(kind):
                return default
            for fmt, offered in offers.items():
                if offered.startswith(kind):
                    return fmt
            continue
        for fmt, offered in offers.items():
            if media == offered:
                return fmt
        if aliases.get(media) in offers:
            return aliases[media]
    return None


class Handler(BaseHTTPRequestHandler):
    server_version = "csikg"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    @property
    def app(self) -> App:
        return self.server.app  # type: ignore[attr-defined,no-any-return]

    def log_message(self, format: str, *args: Any) -> None:
        if self.app.verbose:
            super().log_message(format, *args)

    # entry points

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_HEAD(self) -> None:  # noqa: N802
        self._send_error(HttpError(HTTPStatus.METHOD_NOT_ALLOWED, "HEAD is not supported"))

    def _dispatch(self, method: str) -> None:
        self._body_read = False
        try:
            self._check_request()
            path, _, query_string = self.path.partition("?")
            params = urllib.parse.parse_qs(query_string, keep_blank_values=True)
            if path == "/sparql":
                self._sparql(method, params)
            elif method != "GET":
                self._drain()
                raise HttpError(HTTPStatus.METHOD_NOT_ALLOWED, f"{method} is not allowed here")
            elif path == "/" or path == "/index.html":
                self._static("index.html")
            elif path.startswith("/static/"):
                self._static(path[len("/static/"):])
            elif path == "/api/queries":
                self._send_json({"queries": [q.as_dict() for q in self.app.catalogue],
                                 "prefixes": PREFIXES})
            elif path.startswith("/api/queries/"):
                self._saved(path[len("/api/queries/"):], params)
            else:
                raise HttpError(HTTPStatus.NOT_FOUND, f"no such resource: {path}")
        except HttpError as error:
            self._send_error(error)
        except BrokenPipeError:
            pass

    def _check_request(self) -> None:
        if len(self.path) > self.app.config.max_url:
            raise HttpError(HTTPStatus.REQUEST_URI_TOO_LONG, "the request target is too long")
        if self.app.loopback:
            # Loopback only: refuse other Host names, so a web page cannot reach this server
            # through a rebound DNS name.
            host = (self.headers.get("Host") or "").strip().lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name.strip("[]") not in LOOPBACK:
                raise HttpError(HTTPStatus.FORBIDDEN, f"unexpected Host header {host!r}")

    def _drain(self) -> bytes:
        """Read the request body, refusing one larger than the limit."""
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            if self.headers.get("Transfer-Encoding"):
                self.close_connection = True
                raise HttpError(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length")
            return b""
        try:
            length = int(length_header)
        except ValueError:
            self.close_connection = True
            raise HttpError(HTTPStatus.BAD_REQUEST, "bad Content-Length") from None
        if length > self.app.config.max_body:
            raise HttpError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                            f"the request body is over {self.app.config.max_body} bytes")
        self._body_read = True
        return self.rfile.read(length)

    # SPARQL 1.1 Protocol

    def _sparql(self, method: str, params: dict[str, list[str]]) -> None:
        if method == "POST":
            body = self._drain()
            media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if media == "application/sparql-update":
                raise HttpError(HTTPStatus.FORBIDDEN, "this endpoint is read-only: no updates")
            if media == "application/sparql-query":
                params = {**params, "query": [body.decode("utf-8", "replace")]}
            elif media == "application/x-www-form-urlencoded":
                form = urllib.parse.parse_qs(body.decode("utf-8", "replace"),
                                             keep_blank_values=True)
                params = {**params, **form}
            else:
                raise HttpError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                                "POST application/sparql-query or a form with query=")
        if "update" in params:
            raise HttpError(HTTPStatus.FORBIDDEN, "this endpoint is read-only: no updates")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            raise HttpError(HTTPStatus.BAD_REQUEST, "give exactly one non-empty query parameter")
        text = queries[0]
        try:
            check_read_only(text)
        except ReadOnlyError as error:
            raise HttpError(HTTPStatus.FORBIDDEN, str(error)) from None
        results, _ = self._execute(text, params.get("default-graph-uri", []),
                                   params.get("named-graph-uri", []))
        self._send_results(results, params)

    def _execute(self, text: str, default_graphs: Sequence[str] = (),
                 named_graphs: Sequence[str] = (), labels: bool = False
                 ) -> tuple[Results, dict[str, str]]:
        try:
            for iri in (*default_graphs, *named_graphs):
                NamedNode(iri)
        except ValueError as error:
            raise HttpError(HTTPStatus.BAD_REQUEST, f"bad graph IRI: {error}") from None
        try:
            return self.app.pool.run(text, self.app.config.timeout, default_graphs,
                                     named_graphs, labels)
        except QueryError as error:
            raise HttpError(HTTPStatus.BAD_REQUEST, str(error)) from None
        except (QueryTimeoutError, BusyError) as error:
            raise HttpError(HTTPStatus.SERVICE_UNAVAILABLE, str(error)) from None
        except RuntimeError as error:
            raise HttpError(HTTPStatus.INTERNAL_SERVER_ERROR, str(error)) from None

    def _send_results(self, results: Results, params: dict[str, list[str]]) -> None:
        offers = GRAPH_FORMATS if results.triples is not None else SELECT_FORMATS
        default = "turtle" if results.triples is not None else "json"
        wanted = params.get("format", [""])[0]
        if wanted:
            if wanted not in offers:
                raise HttpError(HTTPStatus.NOT_ACCEPTABLE,
                                f"format must be one of {', '.join(offers)}")
            fmt: str | None = wanted
        else:
            fmt = negotiate(self.headers.get("Accept", ""), offers, default)
        if fmt is None:
            raise HttpError(HTTPStatus.NOT_ACCEPTABLE,
                            f"can answer with {', '.join(offers.values())}")
        media = offers[fmt]
        extra = {"X-Result-Truncated": "true"} if results.truncated else {}
        self._send(HTTPStatus.OK, results.serialize(fmt).encode("utf-8"),
                   f"{media}; charset=utf-8", extra)

    # saved queries

    def _saved(self, rest: str, params: dict[str, list[str]]) -> None:
        name, _, action = rest.partition("/")
        try:
            query = self.app.catalogue.get(urllib.parse.unquote(name))
        except QueryError as error:
            raise HttpError(HTTPStatus.NOT_FOUND, str(error)) from None
        if not action:
            self._send_json({**query.as_dict(), "text": query.text})
            return
        if action != "run":
            raise HttpError(HTTPStatus.NOT_FOUND, f"no such resource: {self.path}")
        values: dict[str, object] = {}
        for key, given in params.items():
            if key == "format":
                continue
            if len(given) != 1:
                raise HttpError(HTTPStatus.BAD_REQUEST, f"give parameter {key!r} once")
            values[key] = given[0]
        try:
            bindings = query.bindings(values)
        except QueryError as error:
            raise HttpError(HTTPStatus.BAD_REQUEST, str(error)) from None
        results, labels = self._execute(with_values(query.text, bindings), labels=True)
        results = results.with_sorted_sets(query.set_columns)
        fmt = params.get("format", [""])[0]
        accept = self.headers.get("Accept", "")
        if fmt in ("csv", "tsv", "xml") or (not fmt and negotiate(
                accept, SELECT_FORMATS, "json") in ("csv", "tsv", "xml")):
            self._send_results(results, params)
            return
        if fmt not in ("", "json"):
            raise HttpError(HTTPStatus.NOT_ACCEPTABLE, "format must be one of json, csv, tsv, xml")
        # W3C JSON results plus what the page needs: the bound parameters and IRI labels.
        bindings_json = [{name: term_json(term) for name, term in zip(results.variables, row,
                                                                     strict=True) if term}
                         for row in results.rows]
        self._send_json({
            "head": {"vars": results.variables},
            "results": {"bindings": bindings_json},
            "query": query.name,
            "params": {name: term.value for name, term in bindings.items()},
            "labels": labels,
            "truncated": results.truncated,
        })

    # responses

    def _static(self, name: str) -> None:
        asset = self.app.static.get(name)
        if asset is None:
            raise HttpError(HTTPStatus.NOT_FOUND, f"no such file: {name}")
        self._send(HTTPStatus.OK, asset[0], asset[1])

    def _send_json(self, data: object, status: HTTPStatus = HTTPStatus.OK) -> None:
        body = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8")

    def _send_error(self, error: HttpError) -> None:
        if self.command == "POST" and not getattr(self, "_body_read", False):
            self.close_connection = True  # an unread body must not be taken for a request
        if self.path.startswith("/api/"):
            self._send_json({"error": error.message, "status": error.status.value}, error.status)
        else:
            self._send(error.status, (error.message + "\n").encode("utf-8"),
                       "text/plain; charset=utf-8")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str,
              extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy",
                         "default-src 'self'; frame-ancestors 'none'; base-uri 'none'")
        self.send_header("Cache-Control", "no-store")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)


_MEDIA = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}


class App:
    """What the handler needs: configuration, the worker pool, the catalogue, the static files."""

    def __init__(self, config: ServerConfig, verbose: bool = False) -> None:
        self.config, self.verbose = config, verbose
        self.catalogue = config.catalogue
        self.loopback = config.host in LOOPBACK
        self.static = {path.name: (path.read_bytes(), _MEDIA[path.suffix])
                       for path in sorted(STATIC_DIR.iterdir()) if path.suffix in _MEDIA}
        self.pool = QueryPool(graph_file(config.dist), config.workers, config.max_rows)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, config: ServerConfig, verbose: bool = False) -> None:
        graph_file(config.dist)  # fail before binding if there is nothing to serve
        super().__init__((config.host, config.port), Handler)  # bind first: a busy port fails fast
        try:
            self.app = App(config, verbose)
        except BaseException:
            super().server_close()
            raise

    @property
    def url(self) -> str:
        address, port = self.server_address[:2]
        host = address.decode() if isinstance(address, bytes) else str(address)
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def server_close(self) -> None:
        super().server_close()
        if hasattr(self, "app"):  # not yet set when binding failed
            self.app.pool.close()


def serve(config: ServerConfig) -> None:
    """Run until interrupted."""
    server = Server(config, verbose=True)
    if config.host not in LOOPBACK:
        print(f"warning: listening on {config.host}, not only this machine", file=sys.stderr)
    print(f"serving {graph_file(config.dist)} at {server.url}/ (SPARQL: {server.url}/sparql); "
          "Ctrl-C stops", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__" and sys.argv[1:2] == ["--worker"]:
    _worker_loop(sys.argv[2], int(sys.argv[3]))
