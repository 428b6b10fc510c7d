"""Benchmark `capcli import` and `capcli export` against the floor (sqlite3 .import) and sqlite-utils.

    python bench/bench_import.py [--work /tmp/capcli-bench] [--runs 5] [--big] [--no-sqlite-utils]
                                 [--no-floors] [--baseline CHECKOUT]

1. builds the shared 100k-case / 400k-contact store (bench/make_store.py) unless it exists;
2. exports its cases with capcli and gives every employer a valid SIRET (the bench store's SIRETs
   have no valid check digit), which makes the 100,000-row input file;
3. times, on fresh empty stores (created beforehand, untimed), `capcli import` of that file (median
   of --runs, peak RSS of the process via /usr/bin/time), then the same file again into that store
   (all unchanged), bench/write_floor.py (the same records as capcli writes, into capcli's schema,
   streamed from the csv reader, with no validation) and, with --baseline, the import of another
   checkout (its own .venv: e.g. `git worktree add /work/edddbbe edddbbe`) first and again: one of
   each per run, interleaved, so that the ratios compare runs of the same minutes (the machine's
   load moves); then `sqlite3 .import` of the same file (one raw table written from C, no
   validation, no references) and `sqlite-utils insert --csv` (installed into a throwaway venv);
4. times `capcli export contacts` (400,000 rows) from the bench store (--no-floors skips it, sqlite3
   and sqlite-utils);
5. with --big, imports a 1,000,000-row file (the 100k rows ten times over, new refs and last names)
   to show that memory stays flat.

Not a test: figures depend on the machine; the README records them.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CAPCLI = [sys.executable, "-m", "capcli"]
ENV = {**os.environ, "CAPCLI_TODAY": "2026-11-22", "CAPCLI_ADVISER": "bench", "CAPCLI_LANG": "en",
       "PYTHONPATH": str(ROOT)}


def valid_siret(number: int) -> str:
    from stdnum import luhn

    siren = f"{number % 10**8:08d}"
    siren += luhn.calc_check_digit(siren)
    nic = "0001"
    return siren + nic + luhn.calc_check_digit(siren + nic)


def timed(cmd: list[str], env: dict | None = None, **kwargs) -> tuple[float, int, float]:
    """Wall time (s), peak RSS (MB: of the largest of the command's processes) and CPU time (user +
    system, s, all its processes) of a command, through /usr/bin/time."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", *cmd], capture_output=True, text=True,
                          env=env or ENV, **kwargs)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    rss_kb, user, system = proc.stderr.strip().splitlines()[-1].split()
    return elapsed, int(rss_kb) // 1024, float(user) + float(system)


def fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


def empty_store(path: Path, python: str = sys.executable, root: Path = ROOT) -> Path:
    """A fresh, empty capcli store (created untimed: an agency's store exists before it imports),
    by the capcli of ``root`` (an older one creates a store on first use: no ``create``)."""
    fresh(path)
    subprocess.run([python, "-c", "import inspect, sys; from capcli.store.engine import open_store; "
                    "kw = {'create': True} if 'create' in inspect.signature(open_store).parameters else {}; "
                    "open_store(sys.argv[1], **kw).close()", str(path)], check=True,
                   env={**ENV, "PYTHONPATH": str(root)})
    return path


def make_input(store: Path, out: Path, copies: int = 1) -> int:
    exported = out.with_suffix(".export.csv")
    subprocess.run([*CAPCLI, "--db", str(store), "export", "cases", "-o", str(exported)], check=True, env=ENV,
                   capture_output=True)
    rows = 0
    with open(exported, newline="", encoding="utf-8") as src, open(out, "w", newline="", encoding="utf-8") as dst:
        reader, writer = csv.reader(src), csv.writer(dst, lineterminator="\n")
        header = next(reader)
        writer.writerow(header)
        siret = header.index("employer_siret")
        refs = [header.index(c) for c in ("case_ref", "follows_ref", "person_ref", "last_name")]  # (a copy's
        # persons are other people: the same names and birth dates under new refs would be refused as duplicates)
        body = list(reader)
        sirets = {}
        for copy in range(copies):
            for row in body:
                row = list(row)
                if row[siret]:
                    row[siret] = sirets.get(row[siret]) or sirets.setdefault(row[siret], valid_siret(int(row[siret])))
                if copy:
                    for i in refs:
                        if row[i]:
                            row[i] = f"{row[i]}-{copy}"
                writer.writerow(row)
                rows += 1
    exported.unlink()
    return rows


def sqlite_utils_bin(work: Path) -> Path | None:
    venv = work / "sqlite-utils-venv"
    exe = venv / "bin" / "sqlite-utils"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        proc = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "sqlite-utils"], capture_output=True)
        if proc.returncode != 0:
            print("sqlite-utils could not be installed: skipped", file=sys.stderr)
            return None
    return exe


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/capcli-bench"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big", action="store_true", help="also import 1,000,000 rows")
    parser.add_argument("--no-sqlite-utils", action="store_true")
    parser.add_argument("--no-floors", action="store_true", help="skip sqlite3 .import, sqlite-utils and the export")
    parser.add_argument("--baseline", type=Path, help="a checkout of another commit, with its own .venv, timed "
                        "beside this one (e.g. git worktree add /work/edddbbe edddbbe)")
    args = parser.parse_args()
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    store = work / "bench.sqlite"
    if not store.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_store.py"), str(store)], check=True, env=ENV)
    cases = work / "cases-100k.csv"
    if not cases.exists():
        make_input(store, cases)
    results = []

    # Interleaved: per run, one import of each kind, so that each ratio compares the same minutes.
    base_python = base_env = None
    if args.baseline:
        base_python = str(args.baseline / ".venv" / "bin" / "python")
        base_env = {**ENV, "PYTHONPATH": str(args.baseline)}
    runs: dict[str, list[tuple[float, int]]] = {}
    for _ in range(args.runs):
        if base_python:
            target = empty_store(work / "base.sqlite", base_python, args.baseline)
            runs.setdefault("base", []).append(
                timed([base_python, "-m", "capcli", "--db", str(target), "import", str(cases)], base_env))
            runs.setdefault("base again", []).append(
                timed([base_python, "-m", "capcli", "--db", str(target), "import", str(cases)], base_env))
        target = empty_store(work / "import.sqlite")
        runs.setdefault("first", []).append(timed([*CAPCLI, "--db", str(target), "import", str(cases)]))
        runs.setdefault("again", []).append(timed([*CAPCLI, "--db", str(target), "import", str(cases)]))
        runs.setdefault("floor", []).append(timed([sys.executable, str(ROOT / "bench" / "write_floor.py"),
                                                   str(empty_store(work / "wf.sqlite")), str(cases)]))

    def median(what: str) -> float:
        return statistics.median(t for t, _rss, _cpu in runs[what])

    for what, label in (("first", "capcli import, 100,000 cases (validated)"),
                        ("again", "capcli import, same file again (all unchanged)"),
                        ("floor", "Python write floor (streamed, capcli's schema, no validation)"),
                        ("base", f"baseline {args.baseline} import, 100,000 cases"),
                        ("base again", f"baseline {args.baseline} import, same file again")):
        if what in runs:
            results.append((label, median(what), max(r[1] for r in runs[what]),
                            statistics.median(r[2] for r in runs[what])))
    ratios = [("import / write floor", "first", "floor"), ("again / first import", "again", "first"),
              ("import / baseline import", "first", "base"), ("again / baseline again", "again", "base again")]
    for label, top, bottom in ratios:  # the median of the per-run ratios (each run's pair shares its minutes)
        if top in runs and bottom in runs:
            each = [a[0] / b[0] for a, b in zip(runs[top], runs[bottom])]
            cpu = statistics.median(a[2] / b[2] for a, b in zip(runs[top], runs[bottom]))
            results.append((f"ratio: {label} (per run: {', '.join(f'{r:.2f}' for r in each)})",
                            statistics.median(each), None, cpu))

    floor = []
    for _ in range(0 if args.no_floors else args.runs):
        floor.append(timed(["/usr/bin/sqlite3", str(fresh(work / "floor.sqlite")), ".mode csv",
                            f".import {cases} cases"]))
    if floor:
        results.append(("sqlite3 .import (one raw table, from C, no validation)",
                        statistics.median(f[0] for f in floor), max(f[1] for f in floor), None))

    if not (args.no_sqlite_utils or args.no_floors):
        exe = sqlite_utils_bin(work)
        if exe:
            inserts = [timed([str(exe), "insert", str(fresh(work / "su.sqlite")), "cases", str(cases), "--csv"])
                       for _ in range(args.runs)]
            results.append(("sqlite-utils insert --csv (no validation)", statistics.median(r[0] for r in inserts),
                            max(r[1] for r in inserts), None))

    out = work / "contacts.csv"
    exports = [timed([*CAPCLI, "--db", str(store), "export", "contacts", "-o", str(out)])
               for _ in range(0 if args.no_floors else args.runs)]
    if exports:
        results.append(("capcli export contacts, 400,000 rows", statistics.median(r[0] for r in exports),
                        max(r[1] for r in exports), None))

    if args.big:
        big = work / "cases-1m.csv"
        if not big.exists():
            make_input(store, big, copies=10)
        t, rss, cpu = timed([*CAPCLI, "--db", str(empty_store(work / "big.sqlite")), "import", str(big)])
        results.append(("capcli import, 1,000,000 cases (validated)", t, rss, cpu))

    print(f"{'what':<62} {'time (s)':>9} {'peak RSS (MB)':>14} {'CPU (s)':>8}")
    for what, t, rss, cpu in results:
        print(f"{what:<62} {t:>9.2f} {'' if rss is None else rss:>14} {'' if cpu is None else f'{cpu:.2f}':>8}")

if __name__ == "__main__":
    main()
