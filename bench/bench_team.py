"""Benchmark the team store (PostgreSQL) beside the local store (SQLite), in one run.

    python bench/bench_team.py [--pg ADDRESS] [--runs 3] [--due-runs 11] [--work DIR]

1. builds the shared 100k-case / 400k-contact SQLite store (bench/make_store.py, as bench_due.py)
   unless it exists, and exports its cases (with valid SIRETs: bench_import.make_input);
2. --runs times, interleaved, `capcli import` of the 100,000-row cases file into an empty SQLite store
   and into an empty team store (a new schema of the database at --pg, the advisers of the file
   registered beforehand, untimed);
3. copies the whole store into a team store (`capcli store copy --to`, timed once), vacuums it as
   autovacuum would soon after, and checkpoints (untimed; the imported schemas are dropped at once:
   background work on fresh rows is not what the runs measure), then times,
   interleaved (--due-runs each), `capcli due --adviser adviser07` and `capcli report --year 2026
   --all` on both, beside three floors: `python -c "import sqlite3"`, a psycopg connection to the
   server (`python -c "import psycopg; psycopg.connect(...)"`) and due's own through libpq
   (``capcli.store.libpq.open_read_store``: libpq loaded by ctypes, connected, the schema checked).

--pg is a database the bench may create schemas in (default CAPCLI_TEST_PG, else .ci/postgres's
address); the schemas are dropped at the end. Not a test: the README records the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import bench_import  # noqa: E402
import make_store  # noqa: E402

ENV = {**os.environ, "CAPCLI_TODAY": "2026-11-22", "CAPCLI_ADVISER": "bench", "CAPCLI_LANG": "en",
       "PYTHONPATH": str(ROOT)}
ENV.pop("CAPCLI_DB", None)
CAPCLI = [sys.executable, "-m", "capcli"]


def admin_address(given: str | None) -> str:
    if given:
        return given
    if os.environ.get("CAPCLI_TEST_PG"):
        return os.environ["CAPCLI_TEST_PG"]
    return subprocess.run(["bash", str(ROOT / ".ci" / "postgres")], capture_output=True, text=True,
                          check=True).stdout.strip()


def with_schema(address: str, schema: str) -> str:
    joiner = "&" if "?" in address else "?"
    return f"{address}{joiner}options={quote(f'-c search_path={schema}')}"


def new_team_store(admin: str, advisers: list[str]) -> tuple[str, str]:
    """A new schema holding an empty capcli store, its advisers registered (untimed: an agency's
    store exists before it imports)."""
    import psycopg

    schema = f"capcli_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    address = with_schema(admin, schema)
    subprocess.run([*CAPCLI, "--db", address, "adviser", "add", advisers[0]], check=True, env=ENV,
                   capture_output=True)
    with psycopg.connect(address, autocommit=True) as conn:
        conn.execute(f"SET search_path = {schema}")
        conn.execute("INSERT INTO adviser (name, added_on, added_by) SELECT unnest(%s::text[]), '2026-11-01', 'bench' "
                     "ON CONFLICT DO NOTHING", (advisers,))
    return schema, address


def drop(admin: str, schemas: list[str]) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        for schema in schemas:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, env=ENV)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr.decode()[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="a PostgreSQL database the bench may create schemas in")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--due-runs", type=int, default=11)
    parser.add_argument("--work", type=Path, default=Path("/tmp/capcli-bench-team"))
    args = parser.parse_args()
    admin = admin_address(args.pg)
    args.work.mkdir(parents=True, exist_ok=True)
    source = HERE / "out" / "bench.sqlite"
    if not source.exists():
        from datetime import date

        source.parent.mkdir(parents=True, exist_ok=True)
        make_store.build(source, cases=100_000, contacts_per_case=4, today=date(2026, 11, 22))
    cases = args.work / "cases.csv"
    if not cases.exists():
        bench_import.make_input(source, cases)
    schemas: list[str] = []
    times: dict[str, list[float]] = {"import into SQLite": [], "import into PostgreSQL": []}
    try:
        for run in range(args.runs):
            local = bench_import.empty_store(args.work / f"local-{run}.sqlite")
            schema, team = new_team_store(admin, make_store.ADVISERS)
            schemas.append(schema)
            times["import into SQLite"].append(wall([*CAPCLI, "--db", str(local), "import", str(cases)]))
            times["import into PostgreSQL"].append(wall([*CAPCLI, "--db", team, "import", str(cases)]))
            drop(admin, [schema])  # at once: autovacuum would go through its 100,000 new rows during the runs below
        # The whole 100k store (cases, contacts, journal) on both engines: `capcli store copy --to`.
        import shutil

        local = args.work / "full.sqlite"
        bench_import.fresh(local)
        shutil.copyfile(source, local)
        schema = f"capcli_bench_{uuid.uuid4().hex[:8]}"
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        schemas.append(schema)
        team = with_schema(admin, schema)
        times["store copy --to (100k cases, 400k contacts)"] = [
            wall([*CAPCLI, "--db", str(local), "store", "copy", "--to", team])]
        # The store as the everyday commands find it: autovacuum has been through the copied tables
        # (hint bits, visibility map) within a minute or so; here at once, untimed.
        with psycopg.connect(team, autocommit=True) as conn:
            for (table,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,)).fetchall():
                conn.execute(f'VACUUM (ANALYZE) {schema}."{table}"')
            try:
                conn.execute("CHECKPOINT")  # the load's dirty pages written now, not during the runs
            except psycopg.errors.InsufficientPrivilege:
                pass
        floor_pg = f"import psycopg; psycopg.connect({team!r}).close()"
        from capcli.store.engine import LATEST_VERSION

        floor_libpq = (f"from capcli.store import libpq; "
                       f"libpq.open_read_store({team!r}, 10000, latest={LATEST_VERSION}).close()")
        commands = {
            'python -c "import sqlite3"': [sys.executable, "-c", "import sqlite3"],
            "python -c psycopg.connect()": [sys.executable, "-c", floor_pg],
            "python -c libpq.open_read_store()": [sys.executable, "-c", floor_libpq],
            "due --adviser adviser07, SQLite": [*CAPCLI, "--db", str(local), "due", "--adviser", "adviser07"],
            "due --adviser adviser07, PostgreSQL": [*CAPCLI, "--db", team, "due", "--adviser", "adviser07"],
            "report --year 2026 --all, SQLite": [*CAPCLI, "--db", str(local), "report", "--year", "2026", "--all"],
            "report --year 2026 --all, PostgreSQL": [*CAPCLI, "--db", team, "report", "--year", "2026", "--all"],
        }
        for cmd in commands.values():
            wall(cmd)  # warm up
        for name in commands:
            times[name] = []
        for _ in range(args.due_runs):
            for name, cmd in commands.items():
                times[name].append(wall(cmd))
    finally:
        drop(admin, schemas)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; {args.runs} imports, "
          f"{args.due_runs} runs of the rest, interleaved")
    print(f"{'run':42} {'median':>8} {'min':>8} {'max':>8}")
    for name, values in times.items():
        print(f"{name:42} {statistics.median(values):8.3f} {min(values):8.3f} {max(values):8.3f}")
    med = {name: statistics.median(values) for name, values in times.items()}
    print(f"import PostgreSQL / SQLite: {med['import into PostgreSQL'] / med['import into SQLite']:.2f}")
    print(f"due PostgreSQL / SQLite: {med['due --adviser adviser07, PostgreSQL'] / med['due --adviser adviser07, SQLite']:.2f}")


if __name__ == "__main__":
    main()
