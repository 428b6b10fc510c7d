"""Stores in odd states (issue 14.6): read-only, left with read-only -wal/-shm files, upgraded from
a 0644 file, without a schema version, or claiming an older schema than they hold."""

import os
import shutil
import sqlite3
import stat
import tempfile
from pathlib import Path

import pytest

from tests.conftest import dump
from tests.test_bad_store import _as_nobody
from tests.test_upgrade import V1

pytestmark = pytest.mark.sqlite_only  # the SQLite file itself: its modes, its -wal, a killed write

NOBODY = 65534


@pytest.fixture
def nobodys_dir():
    """A folder the user nobody owns (tests run as root in CI: root ignores file modes)."""
    folder = Path(tempfile.mkdtemp(prefix="capcli-nobody-"))
    os.chmod(folder, 0o755)
    os.chown(folder, NOBODY, NOBODY)
    yield folder
    shutil.rmtree(folder)


def _nobodys_store(cli, folder: Path) -> Path:
    path = folder / "s.sqlite"
    cli.ok("--db", str(path), "person", "add", "--last-name", "DUPONT", "--first-name", "Marie")
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{path}{suffix}").exists():
            os.chown(f"{path}{suffix}", NOBODY, NOBODY)
    return path


@pytest.mark.skipif(_as_nobody() is None, reason="needs root and setpriv to run as another user")
def test_a_read_only_store_is_refused_before_sqlite_leaves_read_only_files_beside_it(cli, nobodys_dir):
    run = _as_nobody()
    path = _nobodys_store(cli, nobodys_dir)
    os.chmod(path, 0o400)
    for command in (["list"], ["due"], ["person", "list", "--json"]):
        done = run("--db", str(path), *command)
        assert (done.returncode, done.stderr) == (1, f"capcli: the store {path} is read-only: check its "
                                                     "permissions\n"), command
    assert sorted(p.name for p in nobodys_dir.iterdir()) == ["s.sqlite"]  # no 0400 -wal or -shm
    os.chmod(path, 0o600)  # what the message asks: then the store works again
    done = run("--db", str(path), "person", "add", "--last-name", "MARTIN", "--first-name", "Luc")
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(_as_nobody() is None, reason="needs root and setpriv to run as another user")
def test_read_only_wal_and_shm_left_by_an_older_capcli_are_made_writable_again(cli, nobodys_dir):
    run = _as_nobody()
    path = _nobodys_store(cli, nobodys_dir)
    for suffix in ("-wal", "-shm"):  # what reading a 0400 store used to leave
        side = Path(f"{path}{suffix}")
        side.touch()
        os.chown(side, NOBODY, NOBODY)
        os.chmod(side, 0o400)
    done = run("--db", str(path), "person", "add", "--last-name", "MARTIN", "--first-name", "Luc")
    assert done.returncode == 0, done.stderr
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        assert not side.exists() or stat.S_IMODE(side.stat().st_mode) == 0o600
    assert len(cli.ok("--db", str(path), "person", "list", "--json").json) == 2


@pytest.fixture
def old_store(tmp_path) -> Path:
    path = tmp_path / "agency.sqlite"
    shutil.copyfile(V1, path)
    return path


def test_an_upgrade_makes_a_0644_store_owner_only(cli, old_store):
    os.chmod(old_store, 0o644)
    run = cli.ok("--db", str(old_store), "list")
    assert "upgraded the store from schema 1" in run.stderr
    assert stat.S_IMODE(old_store.stat().st_mode) == 0o600


def _copies(store: Path) -> list[Path]:
    return sorted(store.parent.glob(f"{store.stem}.v*-*.sqlite"))


def _patched_store(cli, store_path, sql: str) -> list:
    """A store with one person, changed by ``sql`` behind capcli's back; its rows."""
    cli.person()
    with sqlite3.connect(store_path) as conn:
        conn.execute(sql)
    conn.close()
    return dump(store_path)


def test_a_store_without_its_schema_version_is_refused_as_damaged(cli, store_path):
    before = _patched_store(cli, store_path, "DELETE FROM capcli_meta WHERE key = 'schema_version'")
    for command in (["list"], ["person", "add", "--last-name", "A", "--first-name", "B"], ["check"]):
        assert cli.refused(*command) == (
            f"capcli: the store {store_path} records no schema version: it is damaged; restore a backup")
    assert dump(store_path) == before and not _copies(store_path)


def test_a_store_claiming_an_older_schema_than_it_holds_is_refused_before_any_copy(cli, store_path):
    before = _patched_store(cli, store_path, "UPDATE capcli_meta SET value = '1' WHERE key = 'schema_version'")
    for _ in range(3):  # every command: still no copy of its health data beside it
        assert cli.refused("list") == (
            f"capcli: the store {store_path} records schema 1 but already holds what a later schema adds (access_log, "
            "audit, ix_access_log_case, ix_access_log_person, ix_accompaniment_opened, ix_accompaniment_period, "
            "ix_audit_subject, ix_contact_due, ix_measure_case, "
            "ix_measure_starts_on, ix_rqth_renewal_person_id, measure, rqth_renewal, ux_contact_case_number): "
                "it is damaged; restore a backup")
    assert dump(store_path) == before and not _copies(store_path)
