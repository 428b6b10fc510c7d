"""Crashes and concurrent writers: nothing half-written, nothing lost, no traceback."""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from tests.conftest import dump

CAPCLI = Path(sys.executable).with_name("capcli")  # the installed script

BULK = """
import sys
from capcli.store.engine import open_store

store = open_store(sys.argv[1])
with store.transaction():
    for i in range(10_000_000):
        store.execute(
            "INSERT INTO person (last_name, first_name, created_on) VALUES (?, ?, '2026-11-22')",
            ("BULK%d" % i, "x" * 200),
        )
        if i == 30_000:
            print("halfway", flush=True)
"""


def test_a_large_write_killed_midway_leaves_the_store_unchanged_and_sound(cli, store_path):
    p = cli.person()
    cli.open("maintien", p)
    before = dump(store_path)
    worker = subprocess.Popen([sys.executable, "-c", BULK, str(store_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout.readline().strip() == "halfway"
        wal = store_path.with_name(store_path.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0  # uncommitted pages already spilled to disk
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    assert dump(store_path) == before
    assert cli.ok("check").stdout == "store OK\n"
    assert cli.person("AFTER", "Crash") == p + 1


def _capcli(store_path, *args, **env):
    return subprocess.run(
        [str(CAPCLI), *args], capture_output=True, text=True, timeout=120,
        env={**os.environ, "CAPCLI_DB": str(store_path), "CAPCLI_TODAY": "2026-11-22", "CAPCLI_LANG": "en",
             "CAPCLI_ADVISER": "bob", **env},
    )


def test_two_processes_writing_at_once_lose_nothing(cli, store_path):
    people = [cli.person(f"P{i}", "x") for i in range(6)]
    results = {"add": [], "cases": []}

    def add_people():
        for i in range(12):
            results["add"].append(_capcli(store_path, "person", "add", "--last-name", f"NEW{i}", "--first-name", "y"))

    def open_and_advance():
        for person in people:
            opened = _capcli(store_path, "open", "acces-emploi", "--person", str(person))
            results["cases"].append(opened)
            if opened.returncode == 0:
                results["cases"].append(_capcli(store_path, "advance", opened.stdout.split()[0]))

    threads = [threading.Thread(target=add_people), threading.Thread(target=open_and_advance)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    runs = results["add"] + results["cases"]
    assert len(runs) == 12 + 2 * len(people)
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr and "locked" not in run.stderr
    names = [p["last_name"] for p in cli.ok("person", "list", "--json").json]
    assert sorted(n for n in names if n.startswith("NEW")) == sorted(f"NEW{i}" for i in range(12))
    cases = cli.ok("list", "--all", "--json").json
    assert len(cases) == len(people) and all(c["phase"] == "projet" for c in cases)
    conn = sqlite3.connect(store_path)
    assert conn.execute("SELECT COUNT(*) FROM event").fetchone()[0] == 2 * len(people)
    assert conn.execute("SELECT COUNT(*) FROM audit WHERE action = 'person-added'").fetchone()[0] == 6 + 12
    conn.close()
    assert cli.ok("check").stdout == "store OK\n"


def test_a_lock_held_too_long_gives_a_clear_message_and_changes_nothing(cli, store_path):
    p = cli.person()
    before = dump(store_path)
    holder = sqlite3.connect(store_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        message = cli.refused("person", "add", "--last-name", "X", "--first-name", "Y", CAPCLI_BUSY_TIMEOUT_MS="50")
        assert message == (f"capcli: the store {store_path} is busy (another capcli is writing to it): "
                           "try again in a moment")
        # Reading is not blocked by a writer (WAL).
        assert cli.ok("person", "show", str(p), "--json", CAPCLI_BUSY_TIMEOUT_MS="50").json["id"] == p
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert dump(store_path) == before


def test_a_bad_busy_timeout_setting_is_refused(cli):
    assert cli.refused("list", CAPCLI_BUSY_TIMEOUT_MS="soon") == (
        "capcli: CAPCLI_BUSY_TIMEOUT_MS takes a whole number of milliseconds, not 'soon'")


WRITER = """
import sys
from capcli.store.engine import open_store

store = open_store(sys.argv[1])
for i in range(1_000_000):
    with store.transaction():
        store.execute("INSERT INTO person (last_name, first_name, created_on) VALUES (?, 'w', '2026-11-22')",
                      ("W%d" % i,))
    if i == 200:
        print("writing", flush=True)
"""


def test_a_backup_taken_while_another_process_writes_is_consistent(cli, store_path, tmp_path):
    cli.person()
    worker = subprocess.Popen([sys.executable, "-c", WRITER, str(store_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout.readline().strip() == "writing"
        copies = [tmp_path / f"copy{i}.sqlite" for i in range(3)]
        for copy in copies:
            cli.ok("backup", str(copy))
        assert worker.poll() is None  # the writer was still at work during every backup
    finally:
        worker.kill()
        worker.wait(timeout=30)
    counts = []
    for copy in copies:
        assert cli.ok("--db", str(copy), "check").stdout == "store OK\n"
        counts.append(len(cli.ok("--db", str(copy), "person", "list", "--json").json))
    assert counts == sorted(counts) and counts[0] > 200


def _big_cases_file(path: Path, rows: int) -> None:
    """``rows`` valid cases (one person and one employer each time), from the shipped example's header."""
    header = (Path(__file__).resolve().parents[1] / "examples" / "cases.csv").read_text(encoding="utf-8").splitlines()[0]
    with path.open("w", encoding="utf-8") as out:
        out.write(header + "\n")
        for i in range(rows):
            out.write(
                f"K{i:07d},maintien,diagnostic,2026-03-02,,,0,,alice,personne,,0,,,P{i:07d},NOM{i},Prenom,"
                f"1984-03-12,,,,rqth,2027-06-30,0,73282932000009,Ateliers du Lez,prive\n"
            )


def test_an_import_killed_while_it_writes_leaves_the_store_unchanged_and_sound(cli, store_path, tmp_path):
    cli.person()
    before = dump(store_path)
    wal = store_path.with_name(store_path.name + "-wal")
    start_size = wal.stat().st_size if wal.exists() else 0
    big = tmp_path / "big.csv"
    _big_cases_file(big, 100_000)
    worker = subprocess.Popen([str(CAPCLI), "import", str(big)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env={**os.environ, "CAPCLI_DB": str(store_path), "CAPCLI_TODAY": "2026-11-22",
                                   "CAPCLI_LANG": "en"})
    try:
        # Wait until the import writes to the store (its pages reach the WAL), then kill it.
        while worker.poll() is None and (wal.stat().st_size if wal.exists() else 0) <= start_size:
            pass
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(timeout=60)
    assert worker.returncode == -signal.SIGKILL, "the import ended before it could be killed"
    assert dump(store_path) == before
    assert cli.ok("check").stdout == "store OK\n"
