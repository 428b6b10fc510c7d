"""The store file: created on first use, 0600, WAL, foreign keys; bad paths give clear messages."""

import os
import sqlite3
import stat

from capcli.store import engine, schema


def test_created_on_first_use_with_owner_only_mode_wal_and_schema_version(cli, store_path):
    cli.person()
    assert stat.S_IMODE(os.stat(store_path).st_mode) == 0o600
    for suffix in ("-wal", "-shm"):
        extra = store_path.with_name(store_path.name + suffix)
        if extra.exists():
            assert stat.S_IMODE(os.stat(extra).st_mode) == 0o600
    conn = sqlite3.connect(store_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT value FROM capcli_meta WHERE key='schema_version'").fetchone()[0] == str(schema.SCHEMA_VERSION)


def test_schema_version_constants_agree():
    assert engine.LATEST_VERSION == schema.SCHEMA_VERSION


def test_foreign_keys_are_enforced(tmp_path):
    store = engine.open_store(tmp_path / "s.sqlite", create=True)
    try:
        assert store.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.execute("PRAGMA busy_timeout").fetchone()[0] == engine.BUSY_TIMEOUT_MS
    finally:
        store.close()


def test_db_option_overrides_the_environment(cli, tmp_path):
    other = tmp_path / "other.sqlite"
    cli.ok("--db", str(other), "person", "add", "--last-name", "A", "--first-name", "B")
    assert other.exists() and not cli.store_path.exists()


def test_a_directory_a_non_sqlite_file_and_a_foreign_database_are_refused(cli, tmp_path):
    assert "is a directory" in cli.refused("--db", str(tmp_path), "list")
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    assert "not a capcli store" in cli.refused("--db", str(junk), "list")
    assert junk.read_bytes() == b"this is not a database" * 100
    foreign = tmp_path / "foreign.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert "not a capcli store" in cli.refused("--db", str(foreign), "list")


def test_a_store_from_a_newer_capcli_is_refused(cli, store_path):
    cli.person()
    conn = sqlite3.connect(store_path)
    conn.execute("UPDATE capcli_meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    assert "written by a newer capcli" in cli.refused("list")


def test_settings_are_stored_and_validated(cli):
    cli.new_store()
    assert cli.ok("settings", "--json").json["due_days"] == 7
    cli.ok("settings", "due_days", "10")
    assert cli.ok("settings", "due_days").stdout.strip() == "due_days = 10"
    assert "unknown setting 'nope'" in cli.refused("settings", "nope", "3")
    assert "takes a whole number" in cli.refused("settings", "idle_days", "--", "-3")
    assert "takes a whole number" in cli.refused("settings", "idle_days", "soon")
    # bounds: 0 years of retention would anonymise everyone closed yesterday; a year typed for a count
    for key, bad in (("retention_years", "0"), ("retention_years", "2026"), ("due_days", "3000000"),
                     ("idle_days", "0"), ("rqth_warning_months", "100000"), ("emploi_durable_months", "0"),
                     ("due_days", "99999999999999999999")):
        assert cli.refused("settings", key, bad).startswith(f"capcli: setting {key} takes a whole number from ")
    assert cli.refused("settings", "retention_years", "0") == (
        "capcli: setting retention_years takes a whole number from 1 to 30, not '0'")
    cli.ok("settings", "due_days", "0")  # today and the overdue only


def test_an_out_of_bounds_setting_in_the_store_falls_back_to_its_default(cli, store_path):
    import sqlite3

    cli.ok("settings", "idle_days", "30")
    with sqlite3.connect(store_path) as conn:  # written by hand, or by an older capcli
        conn.execute("UPDATE setting SET value = '800000' WHERE key = 'idle_days'")
    conn.close()
    assert cli.ok("settings", "--json").json["idle_days"] == 60
    cli.ok("due")
