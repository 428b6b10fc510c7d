"""Benchmark `capcli import` and `capcli export` against the floor (sqlite3 .import) and sqlite-utils.

    python bench/bench_import.py [--work /tmp/capcli-bench] [--runs 5] [--big] [--no-sqlite-utils]

1. builds the shared 100k-case / 400k-contact store (bench/make_store.py) unless it exists;
2. exports its cases with capcli and gives every employer a valid SIRET (the bench store's SIRETs
   have no valid check digit), which makes the 100,000-row input file;
3. times, on fresh empty stores (created beforehand, untimed), `capcli import` of that file (median
   of --runs, peak RSS of the process via /usr/bin/time), `sqlite3 .import` of the same file (the
   floor: one raw table written from C, no validation, no references), bench/write_floor.py (the
   same records as capcli writes, into capcli's schema, from Python, with no validation) and
   `sqlite-utils insert --csv` (installed into a throwaway venv);
4. times `capcli export contacts` (400,000 rows) from the bench store;
5. with --big, imports a 1,000,000-row file (the 100k rows ten times over, new refs) to show
   that memory stays flat.

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


def timed(cmd: list[str], **kwargs) -> tuple[float, int]:
    """Wall time (s) and peak RSS (MB) of a command, through /usr/bin/time."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True, env=ENV, **kwargs)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    rss_kb = int(proc.stderr.strip().splitlines()[-1])
    return elapsed, rss_kb // 1024


def fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


def empty_store(path: Path) -> Path:
    """A fresh, empty capcli store (created untimed: an agency's store exists before it imports)."""
    fresh(path)
    subprocess.run([sys.executable, "-c", "import sys; from capcli.store.engine import open_store; "
                    "open_store(sys.argv[1], create=True).close()", str(path)], check=True, env=ENV)
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
        refs = [header.index(c) for c in ("case_ref", "follows_ref", "person_ref")]
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

    times, peaks = [], []
    for _ in range(args.runs):
        t, rss = timed([*CAPCLI, "--db", str(empty_store(work / "import.sqlite")), "import", str(cases)])
        times.append(t)
        peaks.append(rss)
    results.append(("capcli import, 100,000 cases (validated)", statistics.median(times), max(peaks)))

    t, rss = timed([*CAPCLI, "--db", str(work / "import.sqlite"), "import", str(cases)])
    results.append(("capcli import, same file again (all unchanged)", t, rss))

    floor = []
    for _ in range(args.runs):
        floor.append(timed(["/usr/bin/sqlite3", str(fresh(work / "floor.sqlite")), ".mode csv",
                            f".import {cases} cases"]))
    results.append(("sqlite3 .import (floor, no validation)", statistics.median(f[0] for f in floor),
                    max(f[1] for f in floor)))

    writes = [timed([sys.executable, str(ROOT / "bench" / "write_floor.py"), str(empty_store(work / "wf.sqlite")),
                     str(cases)]) for _ in range(args.runs)]
    results.append(("Python write floor (capcli's schema, no validation)", statistics.median(w[0] for w in writes),
                    max(w[1] for w in writes)))

    if not args.no_sqlite_utils:
        exe = sqlite_utils_bin(work)
        if exe:
            runs = [timed([str(exe), "insert", str(fresh(work / "su.sqlite")), "cases", str(cases), "--csv"])
                    for _ in range(args.runs)]
            results.append(("sqlite-utils insert --csv (no validation)", statistics.median(r[0] for r in runs),
                            max(r[1] for r in runs)))

    out = work / "contacts.csv"
    runs = [timed([*CAPCLI, "--db", str(store), "export", "contacts", "-o", str(out)]) for _ in range(args.runs)]
    results.append(("capcli export contacts, 400,000 rows", statistics.median(r[0] for r in runs),
                    max(r[1] for r in runs)))

    if args.big:
        big = work / "cases-1m.csv"
        if not big.exists():
            make_input(store, big, copies=10)
        t, rss = timed([*CAPCLI, "--db", str(empty_store(work / "big.sqlite")), "import", str(big)])
        results.append(("capcli import, 1,000,000 cases (validated)", t, rss))

    print(f"{'what':<52} {'time (s)':>9} {'peak RSS (MB)':>14}")
    for what, t, rss in results:
        print(f"{what:<52} {t:>9.2f} {rss:>14}")


if __name__ == "__main__":
    main()
