"""Start-up: `capcli --version`, a TAB in bash and the morning `capcli due`, beside the floor (issue 19).

    python bench/startup.py [--store bench/out/100k.sqlite] [--runs 20] [--lang en] [--tree DIR]...

Each command runs as a whole process, interleaved run by run with ``python -c "import sqlite3"``
(the floor every Python command pays), output to a pipe; the package is byte-compiled first (as
``pip install`` does). Printed: the medians of the wall time and of the CPU time (user + sys, from
the process's own rusage) and each one's ratio to the floor's. The goals: TAB and ``--version``
≤ 1.6× the floor, ``due`` ≤ 2.2×. ``--store``: a copy of a bench store (capcli upgrades the
schema of a store it opens), adviser07's report. The holidays are read from a private cache
directory, warmed first (another capcli installed beside this one, with another holidays package,
would otherwise rewrite the user's cache at each of its runs). ``--tree DIR`` runs another
checkout's capcli (``PYTHONPATH=DIR``); given twice, both trees run interleaved.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall and CPU (user + sys) milliseconds of one whole process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd="/", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed: {err.strip()}")
    return wall * 1000, (usage.ru_utime + usage.ru_stime) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=HERE / "out" / "100k.sqlite")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--lang", default="en", help="CAPCLI_LANG (fr: the French catalogue is read)")
    parser.add_argument("--tree", type=Path, action="append", help="the checkout whose capcli runs (repeatable)")
    args = parser.parse_args()
    trees = [tree.resolve() for tree in args.tree or [HERE.parent]]
    if not args.store.exists():
        sys.exit(f"no store {args.store}: copy one of bench/make_store.py's (e.g. /work/bench-stores/100k.sqlite)")
    for tree in trees:
        compileall.compile_dir(str(tree / "capcli"), quiet=1)
    cache = tempfile.mkdtemp(prefix="capcli-bench-cache-")
    env = {**os.environ, "CAPCLI_TODAY": "2026-11-22", "CAPCLI_ADVISER": "adviser07", "CAPCLI_LANG": args.lang,
           "XDG_CACHE_HOME": cache}
    env.pop("CAPCLI_DB", None)
    capcli = [str(Path(sys.executable).parent / "capcli")]  # the installed script, as an adviser runs it

    def tab(words: str) -> dict:
        return {"_CAPCLI_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}

    commands = {
        "capcli --version": (capcli + ["--version"], {}),
        "capcli cl<TAB>": (capcli, tab("capcli cl")),
        "capcli close 1 --outcome e<TAB>": (capcli, tab("capcli close 1 --outcome e")),
        "capcli due (adviser07)": (capcli + ["--db", str(args.store.resolve()), "due"], {}),
    }
    floor_cmd = [sys.executable, "-c", "import sqlite3"]
    runs: dict[tuple, list[tuple[float, float]]] = {}
    for run in range(args.runs + 1):  # the first round warms the OS cache and the holiday cache
        for name, (cmd, extra) in commands.items():
            for tree in trees:
                floor = timed(floor_cmd, env)
                took = timed(cmd, {**env, **extra, "PYTHONPATH": str(tree)})
                if run:
                    runs.setdefault(("floor",), []).append(floor)
                    runs.setdefault((tree, name), []).append(took)

    def medians(key) -> tuple[float, float]:
        return statistics.median(w for w, _c in runs[key]), statistics.median(c for _w, c in runs[key])

    floor_wall, floor_cpu = medians(("floor",))
    print(f"{args.runs} interleaved runs, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; floor "
          f"(python -c 'import sqlite3'): {floor_wall:.1f} ms wall, {floor_cpu:.1f} ms CPU")
    for tree in trees:
        print(f"capcli of {tree}\n{'command':34}{'wall':>9}{'x floor':>9}{'CPU':>9}{'x floor':>9}")
        for name in commands:
            wall, cpu = medians((tree, name))
            print(f"{name:34}{wall:7.1f}ms{wall / floor_wall:9.2f}{cpu:7.1f}ms{cpu / floor_cpu:9.2f}")


if __name__ == "__main__":
    main()
