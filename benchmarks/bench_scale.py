"""Scale benchmark: synthetic graphs (kg synth) of about 10k, 100k and (with --with-1m) 1M
triples, each built, validated, loaded, queried, projected and exported, side by side in one run.

    .venv/bin/python benchmarks/bench_scale.py [--with-1m] [--runs 3] [--json scale.json]

Per size: the build's phases (load, derive + statistics, validation = the shapes by --validator
+ ontology lint + quote check, writing the outputs) and its peak memory, each in a fresh process;
the shapes alone on the built graph by pySHACL and by pyshacl-turbo (pySHACL given at most
--pyshacl-limit seconds); loading
kg.trig into pyoxigraph and into rdflib; every saved query through our layer (kg.query.engine)
and raw pyoxigraph (median of --runs); the networkx projection and its GraphML and GEXF exports.
Growth exponents compare consecutive sizes (1 = linear, 2 = quadratic). Progress goes to stderr;
the Markdown table to stdout, the figures to --json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from kg.synth import generate

# Councils and years per size: about 120 triples a council-year, plus the ontology.
SIZES = {"10k": (7, 10), "100k": (50, 16), "1m": (450, 18)}
SEED = 1


def _child(
    code: str, *args: str, limit: float | None = None
) -> tuple[dict[str, float], float]:
    """Run code in a fresh interpreter; its JSON on stdout, and its peak memory in MiB.
    Past limit seconds the child is stopped and the figure is {} (did not finish)."""
    process = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE)
    assert process.stdout is not None
    timer = threading.Timer(limit, process.kill) if limit else None
    if timer:
        timer.start()
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)  # not communicate(): wait4 gives peak memory
    if timer:
        timer.cancel()
        if status == signal.SIGKILL:  # stopped past its limit
            return {}, 0.0
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"benchmark step failed ({process.returncode}): {code[:80]}...")
    return json.loads(output), usage.ru_maxrss / 1024


BUILD = """
import json, sys, time
from pathlib import Path
from kg.build.pipeline import assemble, publish
marks = [("start", time.perf_counter())]
base = Path(sys.argv[1])
assembled = assemble(base / "corpus", data_dir=base / "data", validator=sys.argv[2],
                     progress=lambda m: marks.append((m, time.perf_counter())))
assert assembled.report.conforms, assembled.report.text()[:2000]
marks.append(("publish", time.perf_counter()))
publish(assembled, base / "dist")
marks.append(("end", time.perf_counter()))
t = dict(marks)
keys = [m for m, _ in marks]
print(json.dumps({"build: load": t[keys[2]] - t["start"],
                  "build: derive + stats": t[keys[3]] - t[keys[2]],
                  "build: validation": t["publish"] - t[keys[3]],
                  "build: write outputs": t["end"] - t["publish"],
                  "build: total": t["end"] - t["start"],
                  "triples": assembled.stats.triples if assembled.stats else 0}))
"""

SHAPES = """
import json, sys, time
from pathlib import Path
from rdflib import Graph
from kg.build.loading import SHAPES_FILE, parse_turtle
from kg.build.shacl import run_shapes
graph = Graph()
graph.parse(Path(sys.argv[1]) / "kg.nt", format="nt")
started = time.perf_counter()
conforms, _ = run_shapes(graph, parse_turtle(SHAPES_FILE), sys.argv[2])
assert conforms
print(json.dumps({f"shapes: {sys.argv[2]}": time.perf_counter() - started}))
"""

LOAD_OXI = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from kg.query.engine import Engine
engine = Engine.load(Path(sys.argv[1]))
print(json.dumps({"load pyoxigraph": time.perf_counter() - started}))
"""

LOAD_RDFLIB = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from kg.build.loading import load_published
graph = load_published(Path(sys.argv[1]))
print(json.dumps({"load rdflib": time.perf_counter() - started}))
"""

QUERIES = """
import json, statistics, sys, time
from pathlib import Path
from kg.query.engine import Engine
from kg.query.catalogue import catalogue, with_values
engine = Engine.load(Path(sys.argv[1]))
runs = int(sys.argv[2])
out = {}
for query in catalogue():
    params = {"entity": "council:doncaster"} if query.name == "entity-evidence" else {}
    text = with_values(query.text, query.bindings(params))
    ours, raw = [], []
    for _ in range(runs):
        started = time.perf_counter()
        rows = len(engine.run(query, **params))
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        list(engine.store.query(text, use_default_graph_as_union=True))
        raw.append(time.perf_counter() - started)
    out[f"query {query.name}"] = statistics.median(ours)
    out[f"raw {query.name}"] = statistics.median(raw)
    out[f"rows {query.name}"] = rows
    print(f"  {query.name}: {statistics.median(ours):.3f} s, {rows} rows", file=sys.stderr)
print(json.dumps(out))
"""

PROJECT = """
import json, sys, time
from pathlib import Path
from kg.export.files import write_gexf, write_graphml
from kg.export.network import entity_graph
from kg.export.triples import load_published_fast
started = time.perf_counter()
engine, graph = load_published_fast(Path(sys.argv[1]))  # as kg export: pyoxigraph, once
projection = entity_graph(graph)
middle = time.perf_counter()
write_graphml(projection, Path(sys.argv[2]) / "entities.graphml")
write_gexf(projection, Path(sys.argv[2]) / "entities.gexf")
print(json.dumps({"projection (load + networkx)": middle - started,
                  "export GraphML + GEXF": time.perf_counter() - middle}))
"""


def measure(
    size: str, work: Path, runs: int, validator: str, pyshacl_limit: float
) -> dict[str, float]:
    councils, years = SIZES[size]
    base = work / size
    say = lambda message: print(f"[{size}] {message}", file=sys.stderr, flush=True)  # noqa: E731
    say(f"kg synth --councils {councils} --years {years} --seed {SEED}")
    started = time.perf_counter()
    generate(councils, years, SEED, base)
    figures: dict[str, float] = {"synth": time.perf_counter() - started}
    say(f"build (load, derive, validate with {validator}, write)")
    built, memory = _child(BUILD, str(base), validator)
    figures.update(built)
    figures["build: peak MiB"] = memory
    for engine, limit in (("turbo", None), ("pyshacl", pyshacl_limit)):
        say(f"shapes alone with {engine}" + (f" (at most {limit:.0f} s)" if limit else ""))
        checked, memory = _child(SHAPES, str(base / "dist"), engine, limit=limit)
        figures.update(checked or {f"shapes: {engine}": float("nan")})
        figures[f"shapes: {engine} peak MiB"] = memory
    for name, code in (("pyoxigraph", LOAD_OXI), ("rdflib", LOAD_RDFLIB)):
        say(f"load kg.trig with {name}")
        loaded, memory = _child(code, str(base / "dist"))
        figures.update(loaded)
        figures[f"load {name} peak MiB"] = memory
    say("saved queries: kg.query.engine and raw pyoxigraph")
    answered, memory = _child(QUERIES, str(base / "dist"), str(runs))
    figures.update(answered)
    figures["queries peak MiB"] = memory
    say("networkx projection, GraphML and GEXF")
    projected, memory = _child(PROJECT, str(base / "dist"), str(base))
    figures.update(projected)
    figures["projection peak MiB"] = memory
    return figures


def exponent(small: dict[str, float], large: dict[str, float], key: str) -> str:
    n1, n2 = small["triples"], large["triples"]
    t1, t2 = small.get(key), large.get(key)
    if not t1 or not t2 or t1 <= 0.002 or n1 == n2:  # under 2 ms the clock, not the graph, decides
        return "-"
    return f"{math.log(t2 / t1) / math.log(n2 / n1):.2f}"


def table(results: dict[str, dict[str, float]]) -> str:
    sizes = list(results)
    keys = [k for k in results[sizes[0]] if not k.startswith("rows ") and k != "triples"]
    head = ["figure", *(f"{s} ({int(results[s]['triples']):,} triples)" for s in sizes)]
    head += [f"growth {a}->{b}" for a, b in zip(sizes, sizes[1:], strict=False)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key in keys:
        unit = "" if key.endswith("MiB") else " s"
        cells = [f"{results[s].get(key, float('nan')):.3f}{unit}" if unit else
                 f"{results[s].get(key, float('nan')):.0f}" for s in sizes]
        growth = [exponent(results[a], results[b], key) if unit else "-"
                  for a, b in zip(sizes, sizes[1:], strict=False)]
        lines.append("| " + " | ".join([key, *cells, *growth]) + " |")
    return "\n".join(lines)


def machine() -> str:
    cpus = os.cpu_count()
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        model = next(line.split(":", 1)[1].strip() for line in lines
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor() or "unknown CPU"
    try:
        memory = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                          if line.startswith("MemTotal"))) // 1024 // 1024
    except (OSError, StopIteration, ValueError):
        memory = 0
    return (f"{model}, {cpus} cores, {memory} GiB RAM, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-1m", action="store_true", help="also 1M triples (tens of minutes)")
    parser.add_argument("--sizes", default="", help="comma-separated subset of 10k,100k,1m")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--work", type=Path, default=None, help="keep the graphs in this folder")
    parser.add_argument("--validator", default="turbo", choices=["pyshacl", "turbo"],
                        help="the build's SHACL engine (the shapes are also timed alone by both)")
    parser.add_argument("--pyshacl-limit", type=float, default=1800,
                        help="seconds pySHACL may take on the shapes alone (nan past it)")
    args = parser.parse_args()
    sizes = args.sizes.split(",") if args.sizes else ["10k", "100k"] + (["1m"] * args.with_1m)
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        for size in sizes:
            results[size] = measure(size, work, args.runs, args.validator, args.pyshacl_limit)
            if args.json:  # after each size, so a long run that is stopped keeps what it has
                args.json.write_text(json.dumps({"machine": machine(), "results": results},
                                                indent=1), encoding="utf-8")
    print(f"machine: {machine()}\n")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "results": results}, indent=1),
                             encoding="utf-8")


if __name__ == "__main__":
    main()
