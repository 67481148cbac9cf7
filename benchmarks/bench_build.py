"""Benchmark `kg build`: wall time of complete, cold runs (a fresh process each), median of N.

Usage: python benchmarks/bench_build.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    kg = Path(sys.executable).parent / "kg"
    timings = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            started = time.perf_counter()
            subprocess.run(
                [str(kg), "build", "--out", f"{tmp}/dist"], check=True, capture_output=True
            )
            timings.append(time.perf_counter() - started)
            print(f"run {run + 1}: {timings[-1]:.2f} s", file=sys.stderr)
        sizes = {p.name: p.stat().st_size for p in sorted(Path(tmp, "dist").iterdir())}
    print(
        f"kg build, {args.runs} cold runs: median {statistics.median(timings):.2f} s, "
        f"min {min(timings):.2f} s, max {max(timings):.2f} s"
    )
    for name, size in sizes.items():
        print(f"  {name}: {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
