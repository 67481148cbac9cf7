"""Load on `kg serve`: closed-loop clients (each sends its next request when the last one is
answered), with and without two runaway queries holding workers. A script, not a test:

    .venv/bin/kg build
    .venv/bin/python benchmarks/bench_load.py                      # this checkout's server
    .venv/bin/python benchmarks/bench_load.py --tree /tmp/old --python /tmp/old-venv/bin/python \\
        --label old                                  # another checkout's kg serve

For each scenario (clients x keep-alive or not x saved query or SPARQL x runaways) it prints
requests/s, p50 and p99 latency of the measured clients, their errors (any answer but 200, or
a failed connection), and the server's memory (RSS of the server and all its processes) before
and after. Every client has its own loopback address (127.0.1.N), as distinct users would; the
runaway queries come from two more.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

SAVED = "/api/queries/statutory-directions/run"  # about 1 ms in the engine
SAVED_HEAVY = "/api/queries/accountability-on-date/run?council=doncaster&date=2016-01-15"  # 10 ms
SPARQL = "/sparql?" + urllib.parse.urlencode({"query": (
    "SELECT ?s ?l WHERE { ?s a <https://w3id.org/csikg/def/ChildrensServicesTrust> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?l")})
RUNAWAY = "/sparql?" + urllib.parse.urlencode({"query": (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")})


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def rss_kib(root: int) -> int:
    """RSS of a process and all its descendants, KiB (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    family, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in family} - family
        family |= more
        grew = bool(more)
    total = 0
    for pid in family:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def client(port: int, source: str, target: str, keep_alive: bool, until: float,
           tally: Tally) -> None:
    connection: http.client.HTTPConnection | None = None
    headers = {} if keep_alive else {"Connection": "close"}
    mine: list[float] = []
    errors = 0
    while time.monotonic() < until:
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                                    source_address=(source, 0))
        started = time.perf_counter()
        try:
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except OSError:
            ok = False
            connection.close()
            connection = None
        mine.append(time.perf_counter() - started)
        errors += not ok
        if not keep_alive and connection is not None:
            connection.close()
            connection = None
    if connection is not None:
        connection.close()
    with tally.lock:
        tally.latencies += mine
        tally.errors += errors


def runaway(port: int, source: str, stop: threading.Event) -> None:
    while not stop.is_set():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60,
                                                source_address=(source, 0))
        try:
            connection.request("GET", RUNAWAY)
            connection.getresponse().read()
        except OSError:
            time.sleep(0.1)
        finally:
            connection.close()


def scenario(port: int, clients: int, keep_alive: bool, target: str,
             seconds: float) -> tuple[Tally, float]:
    tally = Tally()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(port, f"127.0.1.{n + 1}", target,
                                                     keep_alive, until, tally))
               for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.monotonic() - started


def start_server(python: str, tree: Path, dist: Path, port: int,
                 extra: list[str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    code = "import sys; from kg.cli.main import main; sys.argv[0] = 'kg'; main()"
    process = subprocess.Popen(
        [python, "-c", code, "serve", "--dist", str(dist), "--port", str(port), *extra],
        cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", SAVED)
            if connection.getresponse().status == 200:
                connection.close()
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parents[1],
                        help="checkout whose kg serve to run (default: this one)")
    parser.add_argument("--dist", type=Path, default=None, help="build to serve (default: "
                        "dist/ of this checkout)")
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter to run it with (one whose kg is that checkout's: an "
                             "editable install wins over PYTHONPATH)")
    parser.add_argument("--label", default="new")
    parser.add_argument("--seconds", type=float, default=5.0, help="per scenario")
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--runaways", default="0,2", help="runaway queries alongside")
    parser.add_argument("--server-args", default="", help="extra kg serve options")
    args = parser.parse_args()
    dist = (args.dist or Path(__file__).resolve().parents[1] / "dist").resolve()
    port = free_port()
    server = start_server(args.python, args.tree.resolve(), dist, port, args.server_args.split())
    try:
        rss_start = rss_kib(server.pid)
        print(f"# {args.label}: {args.tree} {args.server_args}".rstrip())
        print("| server | clients | keep-alive | query | runaways | req/s | p50 ms | p99 ms "
              "| errors | RSS before MiB | RSS after MiB |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for runaways in (int(r) for r in args.runaways.split(",")):
            stop = threading.Event()
            hogs = [threading.Thread(target=runaway, args=(port, f"127.0.2.{n + 1}", stop))
                    for n in range(runaways)]
            for hog in hogs:
                hog.start()
            time.sleep(1.0 if runaways else 0)  # let them reach the workers
            for name, target in (("saved", SAVED), ("saved-heavy", SAVED_HEAVY),
                                 ("sparql", SPARQL)):
                for clients in (int(c) for c in args.clients.split(",")):
                    for keep_alive in (True, False):
                        before = rss_kib(server.pid)
                        tally, elapsed = scenario(port, clients, keep_alive, target,
                                                  args.seconds)
                        after = rss_kib(server.pid)
                        times = sorted(tally.latencies) or [0.0]
                        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
                        print(f"| {args.label} | {clients} | {'yes' if keep_alive else 'no'} "
                              f"| {name} | {runaways} | {len(tally.latencies) / elapsed:.0f} "
                              f"| {statistics.median(times) * 1000:.1f} | {p99 * 1000:.1f} "
                              f"| {tally.errors} | {before / 1024:.0f} | {after / 1024:.0f} |",
                              flush=True)
            stop.set()
            for hog in hogs:
                hog.join()
        print(f"RSS at start {rss_start / 1024:.0f} MiB, at the end "
              f"{rss_kib(server.pid) / 1024:.0f} MiB")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
