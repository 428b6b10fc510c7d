"""How fast is the morning `capcli due` on a large store? (issue 3: median ≤ 150 ms wall)

    python bench/bench_due.py [--store bench/out/bench.sqlite] [--rebuild] [--runs 21]

Builds (once, then reuses) a store of 100,000 cases and 400,000 contacts with
``bench/make_store.py``, then times, in the same run and interleaved so that they share the
machine's load, the installed ``capcli`` script and ``python -c "import sqlite3"`` (the floor
any Python command pays). Every figure is wall time of a whole process, in milliseconds.
The package is byte-compiled first, as ``pip install`` does (the figures would otherwise
include compiling capcli on every run when PYTHONDONTWRITEBYTECODE is set).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import make_store  # noqa: E402  (bench/make_store.py)

import capcli  # noqa: E402

TARGET_MS = 150


def capcli_script() -> str:
    beside = Path(sys.executable).parent / "capcli"
    if beside.exists():
        return str(beside)
    found = shutil.which("capcli")
    if not found:
        sys.exit("no capcli script: install capcli in this Python first (pip install -e .)")
    return found


def wall(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    run = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = (time.perf_counter() - start) * 1000
    if run.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {run.stderr.decode().strip()}")
    return elapsed


def wall_on_terminal(cmd: list[str], env: dict) -> float:
    """The same, with stdout on a pseudo-terminal: the colour screen an adviser sees (POSIX)."""
    import pty

    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(cmd[0], cmd, env)
    while True:
        try:
            if not os.read(fd, 65536):
                break
        except OSError:
            break
    os.close(fd)
    os.waitpid(pid, 0)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=HERE / "out" / "bench.sqlite")
    parser.add_argument("--rebuild", action="store_true", help="build the store again even if it exists")
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--adviser", default="adviser07", help="one of the 40 advisers of the bench store")
    args = parser.parse_args()

    today = date(2026, 11, 22)
    if args.rebuild or not args.store.exists():
        args.store.parent.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        counts = make_store.build(args.store, cases=args.cases, contacts_per_case=4, today=today)
        print(f"built {args.store} in {time.perf_counter() - start:.1f} s: "
              + " ".join(f"{k}={v}" for k, v in counts.items()))
    else:
        print(f"reusing {args.store} (--rebuild to build it again)")
    compileall.compile_dir(str(Path(capcli.__file__).parent), quiet=1)

    script = capcli_script()
    env = {**os.environ, "CAPCLI_TODAY": today.isoformat(), "CAPCLI_ADVISER": args.adviser, "CAPCLI_LANG": "en"}
    env.pop("CAPCLI_DB", None)
    db = ["--db", str(args.store)]
    typer_probe = ("import sys; sys.argv = ['capcli'] + sys.argv[1:]; from capcli.app import main; main()")
    commands = {
        'python -c "import sqlite3"': [sys.executable, "-c", "import sqlite3"],
        "capcli --version (Typer)": [script, "--version"],
        "capcli due": [script, *db, "due"],
        "capcli due --json": [script, *db, "due", "--json"],
        "capcli due, through Typer": [sys.executable, "-c", typer_probe, *db, "due"],
        "capcli due --all (20,000 open cases)": [script, *db, "due", "--all"],
    }
    for cmd in commands.values():  # warm up: the OS cache, the holiday cache
        wall(cmd, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            times[name].append(wall(cmd, env))
    cold = []
    for _ in range(max(3, args.runs // 4)):  # the first `due` of a year: no holiday cache yet
        with tempfile.TemporaryDirectory() as cache:
            cold.append(wall(commands["capcli due"], {**env, "XDG_CACHE_HOME": cache}))
    times["capcli due, empty holiday cache"] = cold
    if os.name == "posix":
        colour_env = {**env, "TERM": "xterm-256color"}
        colour_env.pop("NO_COLOR", None)
        times["capcli due on a terminal (colours)"] = [
            wall_on_terminal(commands["capcli due"], colour_env) for _ in range(args.runs)]

    out = subprocess.run([script, *db, "due", "--json"], capture_output=True, text=True, env=env).stdout
    lines = subprocess.run([script, *db, "due"], capture_output=True, text=True, env=env).stdout.count("\n")
    print(f"{args.runs} interleaved runs each, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.2f}; {args.adviser}: {out.count('contact_id')} contacts due, {lines} lines")
    base = statistics.median(times['python -c "import sqlite3"'])
    print(f"{'command':40} {'median':>8} {'min':>8} {'max':>8} {'- floor':>8}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:40} {median:8.1f} {min(values):8.1f} {max(values):8.1f} {median - base:8.1f}")
    due = statistics.median(times["capcli due"])
    verdict = "met" if due <= TARGET_MS else "MISSED"
    print(f"target: capcli due median ≤ {TARGET_MS} ms: {verdict} ({due:.0f} ms, {due / base:.1f}× the floor)")


if __name__ == "__main__":
    main()
