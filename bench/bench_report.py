"""Time `capcli report --year 2026 --all` on the 100,000-case benchmark store.

    python bench/bench_report.py [--store /tmp/capcli-bench.sqlite] [--runs 7] [--rebuild]

Builds the store with bench/make_store.py when it is missing (or with --rebuild), then runs the
real command in a fresh process each time (start-up included, output piped as a script would)
and prints every run and the median. Target: <= 1 s median.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_store import build  # noqa: E402

COMMANDS = {
    "year --all": ["report", "--year", "2026", "--all"],
    "year --all --by month": ["report", "--year", "2026", "--all", "--by", "month"],
    "year one adviser": ["report", "--year", "2026", "--adviser", "adviser07"],
    "year --all --json": ["report", "--year", "2026", "--all", "--json"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path("/tmp/capcli-bench.sqlite"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if args.rebuild or not args.store.exists():
        started = time.perf_counter()
        counts = build(args.store)
        print(f"built {args.store}: {counts} in {time.perf_counter() - started:.1f} s")
    env = {**os.environ, "CAPCLI_DB": str(args.store), "CAPCLI_TODAY": "2026-11-22", "CAPCLI_LANG": "en"}
    for name, argv in COMMANDS.items():
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "capcli", *argv], env=env, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - started)
        runs = " ".join(f"{t:.2f}" for t in times)
        print(f"capcli {' '.join(argv):<45} median {statistics.median(times):.2f} s  (runs: {runs})")


if __name__ == "__main__":
    main()
