"""kg serve: a read-only SPARQL 1.1 Protocol endpoint, a REST API for the saved queries (with
its OpenAPI description), and a small HTML page, over the published graph, on 127.0.0.1 by
default.

    GET  /                              the saved-query page (kg/serve/static/), ?q=NAME&k=v
    GET  /workbench?query=...           the YASGUI workbench (also /sparql for a browser)
    GET  /vendor/NAME                   a front-end file from npm (kg.frontend.VENDOR_FILES)
    GET  /sparql?query=...              SPARQL 1.1 Protocol; POST form or application/sparql-query
    GET  /api/queries                   the saved queries and their parameters
    GET  /api/queries/NAME              one saved query, its text, its parameters' allowed values
    GET  /api/queries/NAME/run?k=v      run it (JSON with labels; format=csv|tsv|xml|json)
    GET  /openapi.json                  OpenAPI 3.1 description of the saved-query API

The stack: uvicorn (kg/serve/http.py) runs a Starlette app (kg/serve/app.py); queries run in
pebble worker processes (kg/serve/pool.py, kg/serve/work.py) that are killed at the timeout,
replaced when they die, swapped as a whole when dist/ holds a new build, and cannot open network
sockets. Updates, LOAD and SERVICE are refused from the parsed query (kg/query/readonly.py).
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType

from kg.query.engine import graph_file
from kg.serve.app import LOOPBACK, App, HttpError, ServerConfig
from kg.serve.http import HttpServer, bind
from kg.serve.pool import BusyError, QueryTimeoutError
from kg.serve.work import negotiate

__all__ = ["App", "BusyError", "HttpError", "QueryTimeoutError", "Server", "ServerConfig",
           "negotiate", "serve"]


class Server:
    """A bound socket, the app with its workers, and uvicorn; serve_forever() in any thread,
    shutdown() from another, server_close() to release the port and stop the workers."""

    def __init__(self, config: ServerConfig, verbose: bool = False) -> None:
        graph_file(config.dist)  # fail before binding if there is nothing to serve
        self.socket = bind(config.host, config.port)  # bind first: a busy port fails fast
        try:
            self.app = App(config, verbose)
        except BaseException:
            self.socket.close()
            raise
        self.http = HttpServer(self.app, self.socket, header_timeout=config.header_timeout,
                               keep_alive=config.keep_alive,
                               max_connections=config.max_connections, verbose=verbose)
        self._closed = threading.Lock()

    @property
    def server_address(self) -> tuple[str, int]:
        address = self.socket.getsockname()
        return str(address[0]), int(address[1])

    @property
    def url(self) -> str:
        host, port = self.server_address
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def serve_forever(self) -> None:
        self.http.run()

    def shutdown(self) -> None:
        self.http.stop()

    def server_close(self) -> None:
        if self._closed.acquire(blocking=False):
            self.socket.close()
            self.app.close()


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(config: ServerConfig) -> None:
    """Run until SIGINT or SIGTERM."""
    # Handlers of our own, also where SIGINT came in ignored (a job started with & by a
    # non-interactive shell): uvicorn stops gracefully on either and then re-raises the signal,
    # which lands here.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    server = Server(config, verbose=True)
    try:
        if config.host not in LOOPBACK:
            print(f"warning: listening on {config.host}, not only this machine",
                  file=sys.stderr)
        if config.isolate and not server.app.pool.isolated:
            print("warning: could not cut the query workers' network (no libseccomp); "
                  "SERVICE is still refused by the query check", file=sys.stderr)
        print(f"serving {graph_file(config.dist)} at {server.url}/ (SPARQL: {server.url}/sparql;"
              f" API: {server.url}/openapi.json); Ctrl-C stops", file=sys.stderr)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        print("kg serve: stopped", file=sys.stderr)
