"""The installed `capcli` script, run as a user runs it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = shutil.which("capcli", path=str(Path(sys.executable).parent)) or shutil.which("capcli")


@pytest.fixture
def run(tmp_path):
    env = {**os.environ, "CAPCLI_DB": str(tmp_path / "s.sqlite"), "CAPCLI_TODAY": "2026-11-22",
           "CAPCLI_ADVISER": "alice", "CAPCLI_LANG": "en", "NO_COLOR": "1"}

    def call(*args):
        return subprocess.run([SCRIPT, *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                              timeout=60)

    return call


@pytest.mark.skipif(SCRIPT is None, reason="capcli is not installed as a script")
def test_script_lifecycle_and_errors(run):
    assert run("person", "add", "--last-name", "A", "--first-name", "B").stdout.strip() == "1"
    assert run("open", "maintien", "--person", "1", "--on", "01/10/2026").stdout.strip() == "1"
    closed = run("close", "1", "--outcome", "maintien-poste")
    assert closed.returncode == 0 and "suivi-conventionnel" in closed.stdout
    bad = run("advance", "1")
    assert bad.returncode == 1
    assert bad.stderr.startswith("capcli: case 1 (maintien) is closed")
    assert "Traceback" not in bad.stderr
    usage = run("open", "--bogus")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    assert run("--version").stdout.startswith("capcli ")


@pytest.mark.skipif(SCRIPT is None, reason="capcli is not installed as a script")
def test_demo_runs(run, tmp_path):
    demo = run("--db", str(tmp_path / "demo.sqlite"), "demo")
    assert demo.returncode == 0, demo.stderr
    assert "suivi-conventionnel" in demo.stdout and "veille" in demo.stdout


@pytest.mark.skipif(SCRIPT is None, reason="capcli is not installed as a script")
def test_a_reader_that_stops_early_is_no_error(run, tmp_path):
    import sqlite3

    run("person", "add", "--last-name", "A", "--first-name", "B")
    with sqlite3.connect(tmp_path / "s.sqlite") as conn:  # enough rows to fill the pipe
        conn.executemany("INSERT INTO person (last_name, first_name, rqth_definitive, created_on) "
                         "VALUES (?, 'x', 0, '2026-11-22')", [(f"NOM{i:05d}",) for i in range(20000)])
    conn.close()
    env = {**os.environ, "CAPCLI_DB": str(tmp_path / "s.sqlite"), "CAPCLI_TODAY": "2026-11-22"}
    for args in (["export", "persons"], ["person", "list"]):
        reader = subprocess.Popen([SCRIPT, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        reader.stdout.readline()
        reader.stdout.close()  # `| head -1`
        stderr = reader.stderr.read().decode()
        reader.wait(timeout=60)
        assert "internal error" not in stderr and "Traceback" not in stderr and "Exception" not in stderr, stderr
