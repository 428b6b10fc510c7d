"""Upgrades: a store made with the first schema (tests/data/store_v1.sqlite) is backed up,
then upgraded on open, with every record intact and the same schema as a new store."""

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from capcli.errors import StoreError
from capcli.store import engine, migrations, schema

from tests.conftest import dump

pytestmark = pytest.mark.sqlite_only  # the SQLite file itself: its modes, its -wal, a killed write

V1 = Path(__file__).parent / "data" / "store_v1.sqlite"


@pytest.fixture
def old_store(tmp_path) -> Path:
    path = tmp_path / "agency.sqlite"
    shutil.copyfile(V1, path)
    os.chmod(path, 0o600)
    return path


def _version(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT value FROM capcli_meta WHERE key = 'schema_version'").fetchone()[0]
    finally:
        conn.close()


def _rows_without_version(path: Path) -> list:
    return [(t, rows) if t != "capcli_meta" else (t, [r for r in rows if r[0] != "schema_version"])
            for t, rows in dump(path) if t != "audit"]


def _as_before(upgraded: list, before: list) -> list:
    """The upgraded rows cut to the columns the old store had; the columns later steps added
    (at the end of their tables) and the tables they created must hold nothing yet."""
    widths = {t: len(rows[0]) for t, rows in before if rows}
    tables = {t for t, _rows in before}
    cut = []
    for t, rows in upgraded:
        if t not in tables:
            assert rows == [], t
            continue
        width = widths.get(t)
        if width is not None:
            assert all(value is None for row in rows for value in row[width:]), t
            rows = [row[:width] for row in rows]
        cut.append((t, rows))
    return cut


def _where(conn, index: str) -> str | None:
    """The condition of a partial index, spaces normalised (None for a whole-table index)."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (index,)).fetchone()
    sql = " ".join((row[0] or "").split()) if row else ""
    return sql.split(" WHERE ", 1)[1] if " WHERE " in sql else None


def _shape(path: Path) -> dict:
    """Tables with their columns (name, type, not null, default, pk) and indexes with their columns
    and the condition of a partial one."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        shape = {}
        for t in tables:
            columns = [tuple(r[1:]) for r in conn.execute(f"PRAGMA table_info({t})")]
            indexes = sorted(
                (r[1], r[2], tuple(c[2] for c in conn.execute(f"PRAGMA index_info({r[1]})")), _where(conn, r[1]))
                for r in conn.execute(f"PRAGMA index_list({t})")
            )
            shape[t] = (columns, indexes)
        return shape
    finally:
        conn.close()


def test_the_committed_store_has_the_first_schema_and_records_in_every_table():
    assert _version(V1) == "1"
    for table, rows in dump(V1):
        assert rows, f"{table} is empty in {V1.name}"


def test_a_first_schema_store_is_backed_up_then_upgraded_with_every_record_intact(cli, old_store):
    before = _rows_without_version(old_store)
    run = cli.ok("--db", str(old_store), "list", "--json")
    assert len(run.json) == 17
    assert f"upgraded the store from schema 1 to {engine.LATEST_VERSION}" in run.stderr
    assert _version(old_store) == str(engine.LATEST_VERSION)
    assert _as_before(_rows_without_version(old_store), before) == before
    backups = sorted(old_store.parent.glob("agency.v1-*.sqlite"))
    assert len(backups) == 1 and str(backups[0]) in run.stderr
    assert stat.S_IMODE(os.stat(backups[0]).st_mode) == 0o600
    assert _version(backups[0]) == "1"
    assert _rows_without_version(backups[0]) == before
    # Upgraded once: the next command neither upgrades nor backs up again.
    again = cli.ok("--db", str(old_store), "show", "1", "--json")
    assert "upgraded" not in again.stderr
    assert len(list(old_store.parent.glob("agency.v1-*.sqlite"))) == 1


def test_an_upgraded_store_has_the_schema_of_a_new_one(cli, old_store, tmp_path):
    engine.open_store(old_store).close()
    fresh = tmp_path / "fresh.sqlite"
    engine.open_store(fresh, create=True).close()
    assert _shape(old_store) == _shape(fresh)


def test_the_upgraded_store_accepts_new_writes_with_their_audit_rows(cli, old_store):
    new = cli.id("--db", str(old_store), "person", "add", "--last-name", "NEW", "--first-name", "One")
    conn = sqlite3.connect(old_store)
    assert conn.execute("SELECT author, action, subject_id FROM audit").fetchall() == [("alice", "person-added", new)]
    conn.close()
    assert "store OK" in cli.ok("--db", str(old_store), "check").stdout


def test_upgrading_imports_neither_sqlmodel_nor_sqlalchemy(old_store):
    # The plain SQL steps (2 and 3); from schema 4 on a step that creates a table (NewTable) compiles
    # it from schema.py, and so loads SQLAlchemy, once, when that store is upgraded.
    code = (
        "import sys; from capcli.store import engine; engine.LATEST_VERSION = 3; "
        "s = engine.open_store(sys.argv[1]); "
        "assert s.upgraded_from == 1; print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlmodel', 'sqlalchemy')))"
    )
    run = subprocess.run([sys.executable, "-c", code, str(old_store)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_a_failing_upgrade_step_leaves_the_store_as_it_was(old_store, monkeypatch):
    before = dump(old_store)
    monkeypatch.setitem(migrations.MIGRATIONS, 2, migrations.MIGRATIONS[2] + ["INSERT INTO nowhere VALUES (1)"])
    with pytest.raises(StoreError) as raised:
        engine.open_store(old_store)
    assert dump(old_store) == before
    assert _version(old_store) == "1"
    assert not list(old_store.parent.glob("agency.v1-*.sqlite"))  # the store is unchanged: no second copy of it
    assert raised.value.message == (
        f"the upgrade of {old_store} from schema 1 failed (no such table: nowhere): the store is "
        "unchanged (no copy kept); keep using the capcli that wrote it, and report the problem")


@pytest.mark.parametrize("value", ["abc", "2.0", "", "0", "-1"])
def test_an_unreadable_schema_version_is_a_damaged_store(cli, old_store, value):
    with sqlite3.connect(old_store) as conn:
        conn.execute("UPDATE capcli_meta SET value = ? WHERE key = 'schema_version'", (value,))
    conn.close()
    message = cli.refused("--db", str(old_store), "list")
    assert message == (f"capcli: the store {old_store} records an unreadable schema version ('{value}'): it is "
                       "damaged; restore a backup")
    assert not list(old_store.parent.glob("agency.v*-*.sqlite"))  # no backup of a store it cannot read


def test_a_second_upgrader_drops_its_needless_copy(old_store, monkeypatch):
    # Two colleagues open the old store at once: both take a copy, the second finds it upgraded.
    first = engine.open_store(old_store)
    first.close()
    real = engine._recorded_version
    calls = []

    def stale_then_real(conn, path):
        calls.append(1)
        return 1 if len(calls) == 1 else real(conn, path)  # read before the first upgrade committed

    monkeypatch.setattr(engine, "_recorded_version", stale_then_real)
    second = engine.open_store(old_store)
    second.close()
    assert second.upgraded_from is None
    assert len(list(old_store.parent.glob("agency.v1-*.sqlite"))) == 1  # the first one's copy only


def test_a_restored_backup_goes_back_to_wal_and_owner_only_at_its_first_write(cli, tmp_path):
    store = tmp_path / "s.sqlite"
    cli.ok("--db", str(store), "person", "add", "--last-name", "A", "--first-name", "B")
    copy = tmp_path / "copy.sqlite"
    cli.ok("--db", str(store), "backup", str(copy))
    for suffix in ("", "-wal", "-shm"):
        Path(str(store) + suffix).unlink(missing_ok=True)
    shutil.copyfile(copy, store)  # the README's restore
    os.chmod(store, 0o644)

    def mode():
        with sqlite3.connect(store) as conn:
            return conn.execute("PRAGMA journal_mode").fetchone()[0]

    cli.ok("--db", str(store), "person", "list")  # reading leaves it as it is
    assert mode() == "delete"
    cli.ok("--db", str(store), "person", "add", "--last-name", "C", "--first-name", "D")
    assert mode() == "wal"
    assert stat.S_IMODE(os.stat(store).st_mode) == 0o600


def test_every_version_has_its_step():
    assert engine.LATEST_VERSION == schema.SCHEMA_VERSION
    assert [v for v, _ in migrations.steps(1, engine.LATEST_VERSION)] == list(range(2, engine.LATEST_VERSION + 1))


def test_a_new_table_step_creates_the_table_as_schema_py_declares_it(cli, old_store, tmp_path, monkeypatch):
    # Step 2 written as NewTable("audit") (the form every step from schema 4 on uses for a new table,
    # compiled for each engine) gives the same store as its hand-written CREATE TABLE.
    step = [s for s in migrations.MIGRATIONS[2] if "audit" not in s]
    monkeypatch.setitem(migrations.MIGRATIONS, 2, [migrations.NewTable("audit"), *step])
    engine.open_store(old_store).close()
    fresh = tmp_path / "fresh.sqlite"
    cli.ok("--db", str(fresh), "person", "add", "--last-name", "A", "--first-name", "B")
    assert _shape(old_store) == _shape(fresh)


def _at_schema_7(cli, path: Path) -> None:
    """A store as schema 7 left it: the plain index on a case's contact numbers, no unique one."""
    cli("--db", str(path), "person", "add", "--last-name", "DUPONT", "--first-name", "Marie")
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX ux_contact_case_number")
        conn.execute("CREATE INDEX ix_contact_case ON contact (case_id, number)")
        conn.execute("UPDATE capcli_meta SET value = '7' WHERE key = 'schema_version'")
    conn.close()


def test_schema_8_makes_a_contacts_number_unique_in_its_case(cli, tmp_path):
    path = tmp_path / "agency.sqlite"
    _at_schema_7(cli, path)
    engine.open_store(path).close()
    assert _version(path) == "8"
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'contact'")}
    conn.close()
    assert "ux_contact_case_number" in names and "ix_contact_case" not in names


def test_a_store_holding_two_contacts_of_one_number_is_not_upgraded_and_stays_as_it_was(cli, tmp_path):
    path = tmp_path / "agency.sqlite"
    _at_schema_7(cli, path)
    with sqlite3.connect(path) as conn:  # a case with its contact 1 twice (written by hand)
        conn.execute("INSERT INTO accompaniment (id, person_id, kind, adviser, phase, opened_on) "
                     "VALUES (1, 1, 'veille', 'alice', 'suivi', '2026-05-04')")
        conn.execute("INSERT INTO contact (case_id, number, due_on) VALUES (1, 1, '2026-11-04'), (1, 1, '2026-11-05')")
    conn.close()
    before = dump(path)
    message = cli.refused("--db", str(path), "list")
    assert message == (
        f"capcli: the upgrade of {path} from schema 7 failed (UNIQUE constraint failed: contact.case_id, "
        "contact.number): the store is unchanged (no copy kept); keep using the capcli that wrote it, and "
        "report the problem")
    assert dump(path) == before and _version(path) == "7"
