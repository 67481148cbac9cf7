"""kg serve against a hostile but fair client: the abuse catalogue, on a live uvicorn server.

Each case asserts the status the server answers (or that it closed the connection); the few
time bounds only tell "refused at once" from "after the full timeout", with a wide margin.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.serve.server import Server, ServerConfig
from kg.serve.work import Job, ping

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ASK = "ASK { ?s ?p ?o }"


class Listener:
    """A TCP listener on 127.0.0.1 that records whether anything connected to it."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.hits: list[bytes] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.settimeout(2)
            try:
                self.hits.append(conn.recv(4096))
            except OSError:
                self.hits.append(b"")
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


def start(config: ServerConfig) -> Iterator[Server]:
    server = Server(config)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def server(dist: Path) -> Iterator[Server]:
    """Small limits, so each guard is reached quickly."""
    yield from start(ServerConfig(
        dist=dist, port=0, timeout=3, workers=2, per_client=1, max_queued=0, max_bytes=4000,
        header_timeout=1, keep_alive=1, body_timeout=2, reload_interval=0.2, cache=0))


def request(server: Server, method: str, target: str, body: bytes | None = None,
            headers: dict[str, str] | None = None, source: str = "127.0.0.1"
            ) -> tuple[int, http.client.HTTPMessage, bytes]:
    host, port = server.server_address
    connection = http.client.HTTPConnection(host, port, timeout=30, source_address=(source, 0))
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def sparql(server: Server, query: str, source: str = "127.0.0.1") -> tuple[int, bytes]:
    status, _, body = request(server, "GET", "/sparql?" + urllib.parse.urlencode(
        {"query": query}), source=source)
    return status, body


def raw(server: Server, data: bytes, wait: float = 10.0) -> bytes:
    """Send bytes as they are; everything the server sends back until it closes (or wait)."""
    with socket.create_connection(server.server_address) as conn:
        conn.sendall(data)
        conn.settimeout(wait)
        out = b""
        try:
            while chunk := conn.recv(65536):
                out += chunk
        except (TimeoutError, ConnectionResetError):
            pass
        return out


def statuses(reply: bytes) -> list[int]:
    return [int(line.split()[1]) for line in reply.split(b"\r\n")
            if line.startswith(b"HTTP/1.1 ")]


HEAD = b"Host: localhost\r\n"


# --- the request itself -------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "status"), [
    # a negative Content-Length: a framing error, not a body to read until the client stops
    (b"POST /sparql HTTP/1.1\r\n" + HEAD + b"Content-Type: application/sparql-query\r\n"
     b"Content-Length: -1\r\n\r\nASK {}", 400),
    # a huge one: refused before reading
    (b"POST /sparql HTTP/1.1\r\n" + HEAD + b"Content-Type: application/sparql-query\r\n"
     b"Content-Length: 99999999999\r\n\r\nASK {}", 413),
    # a chunked body past the limit: counted on the bytes received
    (b"POST /sparql HTTP/1.1\r\n" + HEAD + b"Content-Type: application/sparql-query\r\n"
     b"Transfer-Encoding: chunked\r\n\r\n" + (b"8000\r\n" + b"x" * 0x8000 + b"\r\n") * 3
     + b"0\r\n\r\n", 413),
    # a target past --max-url
    (b"GET /sparql?query=" + b"x" * 20_000 + b" HTTP/1.1\r\n" + HEAD + b"\r\n", 414),
    # a head past the protocol's cap (never buffered whole)
    (b"GET /" + b"x" * 2_000_000 + b" HTTP/1.1\r\n" + HEAD + b"\r\n", 431),
    (b"GET / HTTP/1.1\r\n" + HEAD + b"X-Junk: " + b"y" * 2_000_000 + b"\r\n\r\n", 431),
    # no Host, another Host
    (b"GET /api/queries HTTP/1.1\r\n\r\n", 403),
    (b"GET /api/queries HTTP/1.1\r\nHost: evil.example\r\n\r\n", 403),
    (b"GET /api/queries HTTP/1.1\r\nHost: localhost.evil.example:80\r\n\r\n", 403),
    # methods this server has not
    (b"PUT /sparql HTTP/1.1\r\n" + HEAD + b"Content-Length: 0\r\n\r\n", 501),
    (b"DELETE /api/queries HTTP/1.1\r\n" + HEAD + b"\r\n", 501),
    (b"POST /api/queries HTTP/1.1\r\n" + HEAD + b"Content-Length: 0\r\n\r\n", 405),
    # path traversal
    (b"GET /static/../server.py HTTP/1.1\r\n" + HEAD + b"\r\n", 404),
    (b"GET /static/..%2fserver.py HTTP/1.1\r\n" + HEAD + b"\r\n", 404),
    (b"GET /static/%2e%2e/%2e%2e/dist/kg.trig HTTP/1.1\r\n" + HEAD + b"\r\n", 404),
    (b"GET /../../etc/passwd HTTP/1.1\r\n" + HEAD + b"\r\n", 404),
    # a body of the wrong kind
    (b"POST /sparql HTTP/1.1\r\n" + HEAD + b"Content-Type: text/plain\r\n"
     b"Content-Length: 4\r\n\r\nASK{", 415),
    # not HTTP at all
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64, 400),
], ids=["content-length--1", "content-length-huge", "chunked-oversized", "url-too-long",
        "url-huge", "header-huge", "no-host", "bad-host", "bad-host-suffix", "put", "delete",
        "post-elsewhere", "traversal-dots", "traversal-encoded", "traversal-dist",
        "traversal-root", "wrong-media", "tls-hello"])
def test_abusive_requests(server: Server, data: bytes, status: int) -> None:
    reply = raw(server, data)
    assert statuses(reply)[:1] == [status]


def test_every_answer_has_the_security_headers(server: Server) -> None:
    for target in ("/", "/api/queries", "/nowhere", "/sparql"):
        _, headers, _ = request(server, "GET", target)
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert "Access-Control-Allow-Origin" not in headers  # no CORS by default
    _, headers, _ = request(server, "GET", "/api/queries", headers={"Origin": "http://evil"})
    assert "Access-Control-Allow-Origin" not in headers


def test_head_has_no_body(server: Server) -> None:
    # HEAD, then GET on the same connection: were HEAD's body sent, it would be read as the
    # status line of the second answer.
    reply = raw(server, b"HEAD /static/style.css HTTP/1.1\r\n" + HEAD + b"\r\n"
                b"GET /static/style.css HTTP/1.1\r\n" + HEAD + b"Connection: close\r\n\r\n")
    assert statuses(reply) == [200, 200]
    first, second = reply.split(b"HTTP/1.1 ")[1:]
    assert first.endswith(b"\r\n\r\n")  # headers only
    assert b"content-length: 0" not in first.lower()  # it tells the GET's length


def test_a_get_body_is_not_a_second_request(server: Server) -> None:
    smuggled = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: localhost\r\n\r\n"
    reply = raw(server, b"GET /api/queries HTTP/1.1\r\n" + HEAD
                + f"Content-Length: {len(smuggled)}\r\nConnection: close\r\n\r\n".encode()
                + smuggled)
    assert statuses(reply) == [200]


def test_idle_and_slow_connections_are_closed(server: Server) -> None:
    started = time.monotonic()
    assert statuses(raw(server, b"")) == [408]  # connected, sent nothing
    with socket.create_connection(server.server_address) as conn:  # slowloris
        conn.settimeout(10)
        closed = False
        for byte in b"GET / HTTP/1.1\r\nHost: localhost\r\nX-a: b\r\n":
            try:
                conn.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            time.sleep(0.1)
        if not closed:
            assert b"408" in conn.recv(1024)
    # keep-alive: an idle connection after an answer is closed too
    with socket.create_connection(server.server_address) as conn:
        conn.sendall(b"GET /static/style.css HTTP/1.1\r\n" + HEAD + b"\r\n")
        conn.settimeout(10)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
        assert statuses(data) == [200]
    assert time.monotonic() - started < 9  # each closed after about a second, not never


def test_hundreds_of_idle_connections_do_not_block_others(server: Server) -> None:
    idle = [socket.create_connection(server.server_address) for _ in range(300)]
    try:
        assert request(server, "GET", "/api/queries")[0] == 200
        assert sparql(server, ASK)[0] == 200
    finally:
        for conn in idle:
            conn.close()


def test_oversized_urlencoded_form_is_refused(server: Server) -> None:
    status, headers, _ = request(server, "POST", "/sparql", b"query=" + b"x" * 70_000,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413


# --- read-only ----------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "DELETE WHERE { ?s ?p ?o }",
    "INSERT DATA { <http://a/> <http://b/> <http://c/> }",
    "LOAD <http://127.0.0.1:{port}/data.ttl>",
    "LOAD <http://127.0.0.1:{port}/data.ttl> INTO GRAPH <http://g/>",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/x> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:{port}/x> { ?s ?p ?o } }",
    "select * where { service <http://127.0.0.1:{port}/x> { ?s ?p ?o } }",
    "SELECT * WHERE { OPTIONAL { { SERVICE <http://127.0.0.1:{port}/x> { ?s ?p ?o } } } }",
    "ASK { FILTER EXISTS { SERVICE <http://127.0.0.1:{port}/x> { ?s ?p ?o } } }",
    "PREFIX ex: <http://x/> SELECT ?leak WHERE { VALUES ?z { ex:a\\# } "
    "SERVICE <http://127.0.0.1:{port}/x> { ?leak ?p ?o } }",
    "PREFIX ex: <http://x/> SELECT ?leak WHERE { VALUES ?z { ex:a\\' } "
    "SERVICE <http://127.0.0.1:{port}/x> { ?leak ?p ?o } }",
    "PREFIX ex: <http://x/> SELECT ?leak WHERE { VALUES ?z { ex:a\\\" } "
    "SERVICE <http://127.0.0.1:{port}/x> { ?leak ?p ?o } }",
    "PREFIX ex: <http://x/> SELECT ?leak WHERE { VALUES ?z { ex:a\\<b } "
    "SERVICE <http://127.0.0.1:{port}/x> { ?leak ?p ?o } }",
], ids=["delete", "insert", "load", "load-into", "service", "service-silent", "service-lower",
        "service-nested", "service-in-exists", "bypass-hash", "bypass-quote",
        "bypass-double-quote", "bypass-angle"])
def test_updates_load_and_service_never_run(server: Server, listener: Listener,
                                            query: str) -> None:
    text = query.replace("{port}", str(listener.port))
    for method in ("GET", "POST"):
        if method == "GET":
            status, body = sparql(server, text)
        else:
            status, _, body = request(server, "POST", "/sparql", text.encode(),
                                      {"Content-Type": "application/sparql-query"})
        assert status in (400, 403), body
        assert b"not allowed" in body or b"syntax error" in body
    time.sleep(0.2)
    assert listener.hits == []


@pytest.mark.parametrize(("method", "target", "body", "media"), [
    ("GET", "/sparql?update=DROP%20ALL", None, None),
    ("GET", "/sparql?update=LOAD%20%3Chttp%3A%2F%2Fa%2F%3E&query=ASK%7B%7D", None, None),
    ("POST", "/sparql", b"update=DROP+ALL", "application/x-www-form-urlencoded"),
    ("POST", "/sparql", b"DROP ALL", "application/sparql-update"),
    ("POST", "/sparql", b"CLEAR DEFAULT", "application/sparql-query"),
])
def test_update_requests_are_forbidden(server: Server, method: str, target: str,
                                       body: bytes | None, media: str | None) -> None:
    status, _, _ = request(server, method, target, body,
                           {"Content-Type": media} if media else {})
    assert status == 403
    assert sparql(server, ASK)[0] == 200  # the graph is still there


def test_query_workers_cannot_reach_the_network(server: Server, listener: Listener) -> None:
    """Past the check (a saved-query job is not checked: it is the catalogue's own text), the
    store's SERVICE client still finds no network."""
    generation = server.app.pool.current
    assert all(isolated for _, isolated in generation.warm())
    job = Job("saved", f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> "
                       "{ ?s ?p ?o } }")
    import asyncio

    answer = asyncio.run(generation.run(job))
    assert answer.status == 400  # the store's error: permission denied
    time.sleep(0.2)
    assert listener.hits == []


# --- limits on answers and on time --------------------------------------------------------------

def test_answer_size_is_capped_in_bytes(server: Server) -> None:
    # Few rows, each huge: a row cap alone would let this through.
    query = ('SELECT ?big WHERE { VALUES ?n { 1 2 3 4 5 6 7 8 } '
             'BIND(CONCAT(STRUUID(), STRUUID(), STRUUID(), STRUUID(), STRUUID(), STRUUID(), '
             'STRUUID(), STRUUID(), STRUUID(), STRUUID(), STRUUID(), STRUUID()) AS ?big) }')
    status, headers, body = request(server, "GET", "/sparql?" + urllib.parse.urlencode(
        {"query": query}))
    assert status == 200
    assert len(body) <= 4000
    assert headers["X-Result-Truncated"] == "true"


def test_runaway_query_is_killed_and_the_next_one_answers(server: Server) -> None:
    started = time.monotonic()
    status, body = sparql(server, SLOW)
    assert status == 503 and b"was stopped" in body
    assert time.monotonic() - started < 20  # stopped, not left running
    assert sparql(server, ASK)[0] == 200


def test_a_long_query_yields_the_cpu(server: Server) -> None:
    """Past a quarter of a second, a query's worker runs at the lowest priority, so short
    queries (and the server) get the CPU first."""
    pids = worker_pids(server)
    hog = threading.Thread(target=sparql, args=(server, SLOW, "127.0.0.8"))
    hog.start()
    try:
        time.sleep(1.0)
        assert sorted(_nice(pid) for pid in pids) == [0, 19]
    finally:
        hog.join()


def _nice(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def test_one_client_cannot_take_every_worker(server: Server) -> None:
    """Per-client limit 1, two workers: a second query from the client running a long one is
    refused at once (429), while another client is answered."""
    hog = threading.Thread(target=sparql, args=(server, SLOW, "127.0.0.2"))
    hog.start()
    try:
        time.sleep(0.5)
        started = time.monotonic()
        status, _ = sparql(server, ASK, "127.0.0.2")
        assert status == 429
        assert time.monotonic() - started < 1.5  # at once, not after the 3 s timeout
        assert sparql(server, ASK, "127.0.0.3")[0] == 200
    finally:
        hog.join()


def test_when_every_worker_is_busy_more_queries_get_503_at_once(server: Server) -> None:
    hogs = [threading.Thread(target=sparql, args=(server, SLOW, f"127.0.0.{n}"))
            for n in (4, 5)]
    for hog in hogs:
        hog.start()
    try:
        time.sleep(0.5)
        started = time.monotonic()
        status, _, _ = request(server, "GET", "/api/queries/statutory-directions/run",
                               source="127.0.0.6")
        assert status == 503
        assert time.monotonic() - started < 1.5
        # What needs no worker is still served.
        assert request(server, "GET", "/api/queries", source="127.0.0.6")[0] == 200
    finally:
        for hog in hogs:
            hog.join()
    assert sparql(server, ASK)[0] == 200


def test_a_repeated_answer_needs_no_worker(dist: Path) -> None:
    """Answers are kept per build: while the only worker runs a long query, an answer given
    before is given again; a new one is refused at once."""
    config = ServerConfig(dist=dist, port=0, timeout=3, workers=1, per_client=1, max_queued=0)
    for server in start(config):
        saved = "/api/queries/statutory-directions/run"
        first = request(server, "GET", saved)
        volatile = "SELECT (RAND() AS ?r) {}"
        assert first[0] == 200 and sparql(server, volatile)[0] == 200
        hog = threading.Thread(target=sparql, args=(server, SLOW, "127.0.0.2"))
        hog.start()
        try:
            time.sleep(0.5)
            again = request(server, "GET", saved, source="127.0.0.3")
            assert (again[0], again[2]) == (200, first[2])
            assert again[1]["X-Graph-Version"] == first[1]["X-Graph-Version"]
            assert sparql(server, "ASK { ?s a ?t }", "127.0.0.3")[0] == 503
            assert sparql(server, volatile, "127.0.0.3")[0] == 503  # RAND() is never kept
        finally:
            hog.join()


# --- worker deaths ------------------------------------------------------------------------------

def worker_pids(server: Server) -> set[int]:
    generation = server.app.pool.current
    return {pid for pid, _ in generation.warm()}


def test_killing_idle_workers_does_not_stop_the_server(server: Server) -> None:
    for _ in range(2):  # twice: the second kill used to leave only 503s
        pids = worker_pids(server)
        assert len(pids) == 2
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.1)
        for _ in range(3):
            assert request(server, "GET", "/api/queries/statutory-directions/run")[0] == 200
    assert not pids & worker_pids(server)


def test_killing_a_busy_worker_answers_and_recovers(server: Server) -> None:
    pids = worker_pids(server)
    cpu_before = {pid: _cpu(pid) for pid in pids}
    results: list[int] = []
    hog = threading.Thread(target=lambda: results.append(sparql(server, SLOW, "127.0.0.7")[0]))
    hog.start()
    time.sleep(1.0)
    busy = max(pids, key=lambda pid: _cpu(pid) - cpu_before[pid])
    os.kill(busy, signal.SIGKILL)
    hog.join()
    assert results and results[0] in (500, 503)  # an answer, not a dropped connection
    for _ in range(3):
        assert sparql(server, ASK)[0] == 200
    # and an idle one right after
    os.kill(next(iter(worker_pids(server))), signal.SIGKILL)
    assert sparql(server, ASK)[0] == 200


def _cpu(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def test_ping_is_a_worker_function() -> None:
    assert ping()[0] == os.getpid()


# --- reload -------------------------------------------------------------------------------------

NEW_FACT = ("ASK { <https://w3id.org/csikg/id/test/reload> "
            "<http://www.w3.org/2000/01/rdf-schema#label> \"reloaded\" }")


def test_a_new_build_is_swapped_in_whole(dist: Path, tmp_path: Path) -> None:
    """Answers come from the old build, then from the new one, never alternating; each answer
    agrees with the version it names."""
    served = tmp_path / "dist"
    shutil.copytree(dist, served)
    config = ServerConfig(dist=served, port=0, workers=2, per_client=4, reload_interval=0.1)
    seen: list[tuple[str, bool]] = []
    stop = threading.Event()
    for server in start(config):
        def poll() -> None:
            while not stop.is_set():
                status, headers, body = request(server, "GET", "/sparql?" + urllib.parse.urlencode(
                    {"query": NEW_FACT}))
                assert status == 200
                seen.append((headers["X-Graph-Version"], b"true" in body))

        pollers = [threading.Thread(target=poll) for _ in range(3)]
        for poller in pollers:
            poller.start()
        time.sleep(0.5)
        staged = served / "kg.trig.new"
        staged.write_text((served / "kg.trig").read_text(encoding="utf-8") + "\n<https://w3id.org/"
                          "csikg/graph/test> { <https://w3id.org/csikg/id/test/reload> <http://"
                          "www.w3.org/2000/01/rdf-schema#label> \"reloaded\" . }\n",
                          encoding="utf-8")
        os.replace(staged, served / "kg.trig")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(new for _, new in seen):
            time.sleep(0.1)
        time.sleep(0.5)
        stop.set()
        for poller in pollers:
            poller.join()
    versions = [version for version, _ in seen]
    assert len(set(versions)) == 2
    old, new = versions[0], versions[-1]
    assert all(fact == (version == new) for version, fact in seen)
    # Completed answers may interleave around the swap by a request or two in flight, never
    # after: once a new answer is seen, at most the requests already running answer old.
    first_new = versions.index(new)
    assert versions[first_new:].count(old) <= 3
    assert old != new


def test_workers_restart_without_dist(dist: Path, tmp_path: Path) -> None:
    """Workers load a private copy of the build: one restarted after dist/ is gone (or while a
    build is being written) still has the graph, and a broken dist/ is not loaded."""
    served = tmp_path / "dist"
    shutil.copytree(dist, served)
    config = ServerConfig(dist=served, port=0, workers=2, cache=0, reload_interval=0.1)
    for server in start(config):
        version = request(server, "GET", "/sparql?query=ASK%7B%7D")[1]["X-Graph-Version"]
        shutil.rmtree(served)
        for pid in worker_pids(server):
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)  # the watcher sees dist/ gone, and keeps the build it has
        for _ in range(3):
            status, headers, _ = request(server, "GET", "/sparql?query=ASK%7B%7D")
            assert (status, headers["X-Graph-Version"]) == (200, version)
        served.mkdir()
        (served / "kg.trig").write_text("this is not TriG {", encoding="utf-8")
        time.sleep(0.8)
        status, headers, _ = request(server, "GET", "/sparql?query=ASK%7B%7D")
        assert (status, headers["X-Graph-Version"]) == (200, version)
        assert len(worker_pids(server)) == 2  # the pool did not shrink


# --- signals ------------------------------------------------------------------------------------

@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_kg_serve_stops_on_signals_also_in_the_background(dist: Path, signum: int) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # A job started with & by a non-interactive shell inherits SIGINT ignored.
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "kg"), "serve", "--dist", str(dist), "--port", str(port),
         "--workers", "1"],
        stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if line.startswith("serving "):
                break
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/sparql?query=ASK%7B%7D")
        assert connection.getresponse().status == 200
        connection.close()
        process.send_signal(signum)
        assert process.wait(timeout=30) == 0
        assert "stopped" in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
