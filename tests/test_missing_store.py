"""A mistyped store is not a new store (issue 13.4): reading commands refuse a path where no store
exists and create nothing, not even a folder; the commands that can start a store create it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_import import cases_file, row

pytestmark = pytest.mark.sqlite_only  # the SQLite file itself: its modes, its -wal, a killed write

CAPCLI = Path(sys.executable).with_name("capcli")

READS = [
    ["due"], ["due", "--json"], ["due", "--all", "--csv"], ["due", "--ics", "{out}"], ["list"], ["list", "--open"],
    ["show", "1"], ["person", "show", "1"], ["person", "list"], ["person", "export", "1"],
    ["person", "export", "1", "-o", "{out}"], ["employer", "list"], ["need", "list", "1"], ["report"],
    ["report", "--json"], ["export", "cases"], ["export", "persons", "-o", "{out}"], ["check"], ["backup"],
    ["backup", "{out}"], ["settings"], ["settings", "due_days"], ["purge"], ["purge", "--json"],
    ["open", "maintien", "--person", "1"],
    ["contact", "done", "1"], ["close", "1", "--outcome", "abandon"],
]


def _message(path) -> str:
    return f"capcli: no store at {path}: check --db or CAPCLI_DB; 'capcli person add' creates it"


@pytest.mark.parametrize("command", READS, ids=" ".join)
def test_a_command_that_cannot_start_a_store_refuses_a_missing_one_and_creates_nothing(cli, tmp_path, command):
    missing = tmp_path / "typo" / "capcli.sqlite"
    out = tmp_path / "out.file"
    args = [a.format(out=out, cases=cases_file(tmp_path, row())) for a in command]
    assert cli.refused("--db", str(missing), *args) == _message(missing)
    assert cli.refused(*args, CAPCLI_DB=str(missing)) == _message(missing)
    assert not missing.parent.exists() and not out.exists()


def test_the_fast_path_of_due_refuses_the_same_way(tmp_path):
    missing = tmp_path / "typo.sqlite"
    for args in (["--db", str(missing), "due"], ["due", "--json"], [f"--db={missing}", "due", "--days", "3"]):
        run = subprocess.run([str(CAPCLI), *args], capture_output=True, text=True, timeout=60,
                             env={**os.environ, "CAPCLI_DB": str(missing), "CAPCLI_LANG": "en"})
        assert (run.returncode, run.stdout, run.stderr) == (1, "", _message(missing) + "\n"), args
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [
    ["person", "add", "--last-name", "DUPONT", "--first-name", "Marie"],
    ["employer", "add", "--siret", "73282932000009", "--name", "Ateliers du Lez"],
    ["settings", "due_days", "10"],
    ["import", "{cases}"],
    ["demo"],
], ids=" ".join)
def test_the_commands_that_start_a_store_create_it(cli, tmp_path, command):
    path = tmp_path / "new" / "capcli.sqlite"
    args = [a.format(cases=cases_file(tmp_path, row())) for a in command]
    cli.ok("--db", str(path), *args)
    assert path.exists() and (path.stat().st_mode & 0o777) == 0o600
    assert cli.ok("--db", str(path), "check").stdout == "store OK\n"


def test_colleagues_starting_the_same_store_at_once_share_one(tmp_path):
    path = tmp_path / "agency.sqlite"
    env = {**os.environ, "CAPCLI_DB": str(path), "CAPCLI_TODAY": "2026-11-22", "CAPCLI_LANG": "en"}
    workers = [subprocess.Popen([str(CAPCLI), "person", "add", "--last-name", f"P{i}", "--first-name", "x"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for i in range(4)]
    results = [w.communicate(timeout=120) + (w.returncode,) for w in workers]
    assert all(code == 0 for _out, _err, code in results), results
    assert sorted(int(out) for out, _err, _code in results) == [1, 2, 3, 4]  # one store, nobody's person lost
    assert sorted(p.name for p in tmp_path.iterdir() if "capcli-tmp" in p.name) == []


def test_a_refused_setting_creates_no_store(cli, tmp_path):
    path = tmp_path / "capcli.sqlite"
    assert "unknown setting 'nope'" in cli.refused("--db", str(path), "settings", "nope", "3")
    assert not path.exists()


def test_a_dry_run_import_checks_the_file_against_an_empty_store_and_creates_nothing(cli, tmp_path):
    """A newcomer checks a file before the first store exists (the README's first import command)."""
    missing = tmp_path / "typo" / "capcli.sqlite"
    good, bad = cases_file(tmp_path, row()), cases_file(tmp_path, row(kind="maintient"), name="bad.csv")
    run = cli.ok("--db", str(missing), "import", good, "--dry-run")
    assert run.stderr == f"capcli: no store at {missing} yet: the file is checked against an empty store\n"
    assert "cases: 1 created, 0 updated, 0 unchanged" in run.stdout and "nothing was written" in run.stdout
    run = cli("--db", str(missing), "import", bad, "--dry-run")
    assert run.exit_code == 1 and "line 2, column kind: unknown kind 'maintient'" in run.stderr
    assert not missing.parent.exists()

