"""Median latency of every saved query on the real graph: embedded (pyoxigraph, in process),
rdflib's own SPARQL engine (for comparison, DESIGN section 7), and an Oxigraph server over HTTP
(SPARQL 1.1 Protocol). A script, not a test:

    .venv/bin/kg build && .venv/bin/python benchmarks/bench_queries.py [--runs 50]

Each query runs a few times to warm up, then --runs times; the table gives the median and the
rows returned. The server is started on 127.0.0.1 and a free port, loaded with `kg publish`, and
stopped at the end.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sized
from pathlib import Path

from rdflib import Dataset

from kg.namespaces import DEFAULT_DIST
from kg.query.catalogue import catalogue, with_values
from kg.query.engine import Engine
from kg.query.remote import Endpoint, publish


def median_ms(action: Callable[[], Sized], runs: int, warmup: int = 3) -> tuple[float, int]:
    rows = 0
    for _ in range(warmup):
        rows = len(action())
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), rows


def start_oxigraph(binary: str, data_dir: str) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [binary, "serve", "--location", data_dir, "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, f"http://127.0.0.1:{port}/query"
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the oxigraph server did not start") from None
            time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=DEFAULT_DIST)
    parser.add_argument("--runs", type=int, default=50)
    default_binary = Path(sys.executable).parent / "oxigraph"
    parser.add_argument(
        "--oxigraph",
        default=str(default_binary) if default_binary.exists() else shutil.which("oxigraph"),
    )
    args = parser.parse_args()

    started = time.perf_counter()
    engine = Engine.load(args.dist)
    load_ms = (time.perf_counter() - started) * 1000
    triples = len(engine.store)

    results = {}
    for query in catalogue():
        results[query.name] = [*median_ms(lambda q=query: engine.run(q), args.runs)]

    # rdflib answers the very same text (parameters bound as the same VALUES block), on the union.
    dataset = Dataset(default_union=True)
    dataset.parse(args.dist / "kg.trig", format="trig")
    rdflib_ms: dict[str, tuple[float, int] | str] = {}
    for query in catalogue():
        text = with_values(query.text, query.bindings({}))
        try:
            rdflib_ms[query.name] = median_ms(
                lambda t=text: list(dataset.query(t)), max(3, args.runs // 10)
            )
        except Exception as error:  # rdflib's engine fails on some valid SPARQL 1.1
            rdflib_ms[query.name] = f"fails: {type(error).__name__}"

    server_note = "not run (no oxigraph binary)"
    if args.oxigraph:
        with tempfile.TemporaryDirectory() as data_dir:
            process, url = start_oxigraph(args.oxigraph, data_dir)
            try:
                started = time.perf_counter()
                publish(url, args.dist)
                server_note = f"publish {(time.perf_counter() - started) * 1000:.0f} ms"
                endpoint = Endpoint(url)
                for query in catalogue():
                    remote_ms, remote_rows = median_ms(lambda q=query: endpoint.run(q), args.runs)
                    assert remote_rows == results[query.name][1], query.name
                    results[query.name].append(remote_ms)
            finally:
                process.terminate()
                process.wait(10)

    print(
        f"graph: {args.dist / 'kg.trig'} ({triples} quads), embedded load {load_ms:.0f} ms, "
        f"server: {server_note}; median of {args.runs} runs\n"
    )
    print("| query | rows | embedded pyoxigraph (ms) | rdflib (ms) | Oxigraph server (ms) |")
    print("|---|---:|---:|---:|---:|")
    for name, (embedded_ms, rows, *remote) in results.items():
        remote_text = f"{remote[0]:.2f}" if remote else "-"
        slow = rdflib_ms[name]
        if isinstance(slow, str):
            slow_text = slow
        else:
            slow_text = f"{slow[0]:.1f}" + ("" if slow[1] == rows else f" ({slow[1]} rows)")
        print(f"| {name} | {rows} | {embedded_ms:.2f} | {slow_text} | {remote_text} |")


if __name__ == "__main__":
    main()
