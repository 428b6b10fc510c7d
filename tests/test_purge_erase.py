"""A purge leaves no old copy of what it erased in the store's files (issue 14.4): freed row
versions are zeroed on every connection (secure_delete), the purge rewrites the file (VACUUM) and
empties the WAL; a reader that holds the WAL is said, and its closing finishes the job."""

import sqlite3
from pathlib import Path

import pytest

from capcli.store import engine

OLD, NEW = b"LEFEBVRE-ANCIEN", "MOREL-NOUVEAU"


@pytest.fixture
def default_off(monkeypatch):
    """SQLite built with secure_delete off by default (Debian's is on, which would hide the fault)."""
    connect = engine.sqlite3.connect

    def build_default(*args, **kwargs):
        conn = connect(*args, **kwargs)
        conn.execute("PRAGMA secure_delete = OFF")
        return conn

    monkeypatch.setattr(engine.sqlite3, "connect", build_default)


def _raw(store_path) -> bytes:
    return b"".join(Path(f"{store_path}{suffix}").read_bytes() for suffix in ("", "-wal")
                    if Path(f"{store_path}{suffix}").exists())


def _old_person(cli, store_path) -> int:
    """A person entered on 2026-11-22 under the name OLD, then renamed: past retention in 2029."""
    p = cli.person(OLD.decode(), "Claire", "--address", "12 rue des Tilleuls")
    store = engine.open_store(store_path)
    try:
        with store.transaction():  # what an import's update (or a correction) does to the row
            store.execute("UPDATE person SET last_name = ?, address = ? WHERE id = ?",
                          (NEW, "3 avenue du Port, appartement 12, escalier B", p))
    finally:
        store.close()
    return p


@pytest.mark.sqlite_only  # SQLite's secure_delete (a team store: VACUUM FULL, README)
def test_every_connection_zeroes_what_it_frees(cli, store_path, default_off):
    cli.new_store()
    store = engine.open_store(store_path)
    try:
        assert store.execute("PRAGMA secure_delete").fetchone()[0] == 1
    finally:
        store.close()


def test_a_person_updated_then_purged_leaves_no_old_name_in_the_file_nor_its_wal(cli, store_path, default_off):
    _old_person(cli, store_path)
    assert OLD not in _raw(store_path)  # the update itself zeroed the old version
    cli.today = "2029-01-01"
    assert "Anonymised 1 person." in cli.ok("purge", "--yes").stdout
    raw = _raw(store_path)
    for trace in (OLD, NEW.encode(), b"Tilleuls", b"avenue du Port"):
        assert trace not in raw, trace
    assert not Path(f"{store_path}-wal").exists() or Path(f"{store_path}-wal").stat().st_size == 0


def test_what_an_older_capcli_freed_without_secure_delete_is_gone_after_the_purge(cli, store_path):
    p = cli.person(OLD.decode(), "Claire")
    conn = sqlite3.connect(store_path)  # an older capcli, or another tool, on a build whose default is off
    conn.execute("PRAGMA secure_delete = OFF")
    conn.execute("UPDATE person SET address = ? WHERE id = ?", ("ANCIENNE-ADRESSE " * 1000, p))  # overflow pages
    conn.commit()
    conn.execute("UPDATE person SET address = '1 place Neuve' WHERE id = ?", (p,))  # freed, not zeroed
    conn.commit()
    conn.close()
    assert b"ANCIENNE-ADRESSE" in _raw(store_path)  # in the free pages, which the purge's update never touches
    cli.today = "2029-01-01"
    cli.ok("purge", "--yes")
    raw = _raw(store_path)
    assert b"ANCIENNE-ADRESSE" not in raw and OLD not in raw and b"place Neuve" not in raw


def test_a_reader_holding_the_wal_is_said_and_its_closing_finishes_the_erasure(cli, store_path, default_off):
    _old_person(cli, store_path)
    conn = sqlite3.connect(store_path)
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM person").fetchone()  # a snapshot from before the purge
    try:
        cli.today = "2029-01-01"
        run = cli.ok("purge", "--yes", CAPCLI_BUSY_TIMEOUT_MS="200")
        assert "Anonymised 1 person." in run.stdout
        assert run.stderr == (
            f"capcli: another program is reading the store: older copies of the erased data stay in {store_path} "
            "and its -wal until it closes the store (the last one to close it empties the -wal)\n")
        assert cli.ok("person", "list", "--json").json[0]["last_name"] == "ANONYME"
    finally:
        conn.rollback()
        conn.close()  # the last connection: checkpoints the rewritten file and deletes the -wal
    raw = _raw(store_path)
    for trace in (OLD, NEW.encode(), b"Tilleuls", b"avenue du Port"):
        assert trace not in raw, trace
