"""How each command's cost grows with the store: 10k, 100k, 1M cases, and 1M-hist (issue 19).

    python bench/scale.py [--stores /work/bench-stores] [--runs 3] [--sizes 10k,100k,1M,1M-hist] [--tree DIR]...

Builds (once, then reuses) the stores with bench/make_store.py: ``10k``, ``100k`` and ``1M`` cases
(six years, 20 % open), and ``1M-hist``: the 100k store's six years plus 900,000 closed cases of the
twelve years before (``--history``), so the same ~20,000 open cases and the same recent activity.
A 1M store takes about 2 minutes and 600 MB. Every command then runs as a whole process, the
sizes interleaved run by run with ``python -c "import sqlite3"`` (the floor), output to a pipe.

Printed: the median wall time at each size, and the growth factors against the 100k store. Ten
times the cases should cost at most ten times (x10 at 1M); on 1M-hist, whose daily work is the
100k store's, a daily path should stay near x1: a larger factor there is the closed history being read.
``--tree DIR`` runs another checkout's capcli (``PYTHONPATH=DIR``); given twice (``--tree /work/main
--tree .``), both run interleaved, run by run, to compare before and after in the same moment.
``--tree DIR=STORES``: that checkout on its own copies of the stores (capcli upgrades a store it
opens, and an older capcli refuses a store of a newer schema).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_store  # noqa: E402  (bench/make_store.py)

STORES = {"10k": (10_000, 0), "100k": (100_000, 0), "1M": (1_000_000, 0), "1M-hist": (100_000, 900_000)}
COMMANDS = {
    "due (one adviser)": ["due"],
    "due --all": ["due", "--all"],
    "report --year 2026 --all": ["report", "--year", "2026", "--all"],
    "list --open (one adviser)": ["list", "--open"],
    "list --all": ["list", "--all"],
    "show 5": ["show", "5"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", type=Path, default=Path("/work/bench-stores"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="10k,100k,1M,1M-hist")
    parser.add_argument("--tree", action="append", help="a checkout to run, DIR or DIR=STORES (repeatable)")
    parser.add_argument("--only", help="comma-separated names of COMMANDS")
    args = parser.parse_args()
    args.stores = args.stores.resolve()  # the commands run from /
    trees = [Path(t.partition("=")[0]) for t in args.tree or [str(HERE.parent)]]
    stores = {tree: Path(t.partition("=")[2]).resolve() if "=" in t else args.stores
              for tree, t in zip(trees, args.tree or [str(HERE.parent)])}
    sizes = args.sizes.split(",")
    commands = {k: v for k, v in COMMANDS.items() if not args.only or k in args.only.split(",")}
    args.stores.mkdir(parents=True, exist_ok=True)
    for size in sizes:
        path = args.stores / f"{size}.sqlite"
        if not path.exists():
            cases, history = STORES[size]
            started = time.perf_counter()
            counts = make_store.build(path, cases=cases, history=history)
            print(f"built {path} in {time.perf_counter() - started:.0f} s: {counts}", flush=True)
    env = {**os.environ, "CAPCLI_TODAY": "2026-11-22", "CAPCLI_ADVISER": "adviser07", "CAPCLI_LANG": "en"}
    times: dict[tuple[Path, str, str], list[float]] = {}
    floor: list[float] = []
    for run in range(args.runs + 1):  # the first round warms the OS cache and is not counted
        for name, argv in commands.items():
            for size in sizes:
                for tree in trees:
                    if run:
                        floor.append(wall([sys.executable, "-c", "import sqlite3"], env))
                    took = wall([sys.executable, "-m", "capcli", "--db", str(stores[tree] / f"{size}.sqlite"), *argv],
                                {**env, "PYTHONPATH": str(tree.resolve())})
                    if run:
                        times.setdefault((tree, name, size), []).append(took)
    base = statistics.median(floor)
    print(f"{args.runs} interleaved runs, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, "
          f"floor (python -c 'import sqlite3') {base * 1000:.0f} ms")
    ref = "100k" if "100k" in sizes else sizes[0]
    head = "".join(f"{s:>10}" for s in sizes) + "".join(f"{'x ' + s:>10}" for s in sizes if s != ref)
    for tree in trees:
        print(f"capcli of {tree}, stores in {stores[tree]}\n{'command':28}{head}")
        for name in commands:
            medians = {s: statistics.median(times[(tree, name, s)]) for s in sizes}
            cells = "".join(f"{medians[s]:9.2f}s" for s in sizes)
            growth = "".join(f"{medians[s] / medians[ref]:10.2f}" for s in sizes if s != ref)
            print(f"{name:28}{cells}{growth}")
    print(f"growth factors: time at a size / time at {ref}")


def wall(cmd: list[str], env: dict) -> float:
    started = time.perf_counter()
    run = subprocess.run(cmd, env=env, cwd="/", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if run.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {run.stderr.decode().strip()}")
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
