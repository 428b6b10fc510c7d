"""Time `check`, `backup`, `purge` (listing) and the start of an upgrade on the 100k-case store.

    python bench/maintenance.py [/tmp/bench.sqlite]

Builds the store with bench/make_store.py when it does not exist, then runs each command three
times through the installed script and prints the best wall time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STORE = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench.sqlite")
CAPCLI = Path(sys.executable).with_name("capcli")


def best(args, runs=3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([str(CAPCLI), "--db", str(STORE), *args], capture_output=True, text=True,
                              env={**os.environ, "CAPCLI_TODAY": "2026-11-22"})
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            sys.exit(done.stderr)
    return min(times)


if __name__ == "__main__":
    if not STORE.exists():
        from bench.make_store import build

        build(STORE)
    for label, args in (
        ("check", ["check"]),
        ("backup", ["backup", str(STORE.with_name("bench-backup.sqlite"))]),
        ("purge (list only)", ["purge", "--json"]),
        ("list --open", ["list", "--open", "--json"]),
    ):
        seconds = best(args, runs=1 if args[0] == "backup" else 3)
        STORE.with_name("bench-backup.sqlite").unlink(missing_ok=True)
        print(f"{label:<20} {seconds * 1000:8.0f} ms")
