"""Opening the store. Everything SQLite-specific lives in this module.

The everyday path opens a plain DB-API connection (``sqlite3``) and checks the recorded
schema version with one query; SQLModel/SQLAlchemy are imported only when a store is
created. A store from an older capcli is backed up (SQLite's online backup API, mode 0600)
and upgraded with the plain SQL steps of ``capcli.store.migrations``.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import quote_from_bytes

from capcli.errors import StoreError
from capcli.i18n import _

BUSY_TIMEOUT_MS = 10_000
LATEST_VERSION = 8  # keep equal to schema.SCHEMA_VERSION (a test checks it)


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("capcli", appauthor=False) / "capcli.sqlite"


class Store:
    """A connection to the store with explicit, all-or-nothing transactions."""

    engine = "sqlite"

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self.upgraded_from: int | None = None  # the schema version found, when open_store upgraded it
        self.upgrade_backup: Path | None = None  # the backup taken before that upgrade
        self._wal_checked = False
        self.erase_unfinished = False  # flush_erased could not empty the WAL (a reader held it)

    def execute(self, sql: str, params=()):
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows):
        return self.conn.executemany(sql, rows)

    @contextmanager
    def transaction(self):
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error: all or nothing.

        The first write also puts back WAL mode on a store restored from a backup (a backup is a
        self-contained DELETE-mode file, readable where it lies; a store in use is WAL) and mode
        0600 on a store copied with wider permissions. Reading leaves the file as it is."""
        if not self._wal_checked:
            self._wal_checked = True
            _owner_only(self.path)
            try:
                _keep_wal(self.conn)
            except sqlite3.OperationalError as exc:
                raise _store_error(self.path, exc) from None
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _store_error(self.path, exc) from None
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                self.conn.execute("ROLLBACK")
                raise _store_error(self.path, exc) from None

    def bulk_cache(self, mebibytes: int = 24) -> None:
        """A larger page cache (main and temp) for bulk imports: fewer spills, bounded memory."""
        for schema in ("main", "temp"):
            self.conn.execute(f"PRAGMA {schema}.cache_size = -{int(mebibytes) * 1024}")

    @contextmanager
    def indexes_deferred(self, tables: tuple[str, ...]):
        """Drop the secondary indexes of ``tables`` and build them again at the end, inside the
        caller's transaction (a rollback brings them back as they were): a bulk load at least as
        big as its tables is sorted into fresh indexes faster than inserted into live ones.
        Unique constraints stay: the load resolves references through them."""
        marks = ", ".join("?" for _ in tables)
        indexes = self.conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ({marks})",
            tables,
        ).fetchall()
        for name, _sql in indexes:
            self.conn.execute(f'DROP INDEX "{name}"')
        yield
        # SQLite sorts a new index in memory up to the page cache's size: build them with a small
        # cache so that peak memory does not grow with the load.
        size = self.conn.execute("PRAGMA main.cache_size").fetchone()[0]
        self.conn.execute("PRAGMA main.cache_size = -8192")
        for _name, sql in indexes:
            self.conn.execute(sql)
        self.conn.execute(f"PRAGMA main.cache_size = {int(size)}")

    def erase_for_good(self) -> None:
        """For anonymisation: what the transaction deletes or overwrites is zeroed in the file
        (SQLite's secure_delete, on for every connection: ``open_store``), then ``flush_erased``
        leaves no old page behind."""
        self.conn.execute("PRAGMA secure_delete = ON")

    def flush_erased(self) -> bool:
        """After an anonymisation: VACUUM rewrites the whole store (no free page keeps a row
        version freed before, e.g. by a store written without secure_delete), then the WAL, which
        holds the pages of earlier writes, is checkpointed into the file and truncated to 0 bytes.

        False when another connection's read kept the checkpoint from finishing within the busy
        timeout: the old pages stay in the file and its -wal until that reader is done and the
        next checkpoint (the last connection to close the store runs one and deletes the -wal)."""
        try:
            self.conn.execute("VACUUM")
            busy, log, done = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            self.erase_unfinished = bool(busy) or log != done
        except sqlite3.OperationalError:  # another writer held the lock for the whole busy timeout
            self.erase_unfinished = True
        return not self.erase_unfinished

    @contextmanager
    def snapshot(self):
        """One read transaction: every query in it sees the same store (a writer meanwhile is not
        blocked: WAL), with the page cache a report's scans want."""
        prepare_for_scans(self)
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("COMMIT")

    def enable_fold(self) -> None:
        """``capcli_fold(text)`` in this connection's SQL: names as ``capcli.domain.identity.fold``
        compares them (case and accents aside). SQLite's lower() folds ASCII only, so the Python
        function is registered, by the queries that search only (start-up stays cheap)."""
        from capcli.domain.identity import fold

        self.conn.create_function("capcli_fold", 1, fold, deterministic=True)

    def insert_rows(self, table: str, columns: tuple[str, ...], insert_sql: str, rows: list[tuple]) -> None:
        """Many rows into ``table`` (an import's staging): ``insert_sql`` for each, in one call."""
        self.conn.executemany(insert_sql, rows)

    def analyze(self, *tables: str) -> None:
        """Statistics for the planner after a bulk write: SQLite's planner does without them."""

    def integrity_problems(self) -> list[str]:
        return integrity_problems(self)

    def foreign_key_problems(self) -> list[str]:
        return foreign_key_problems(self)

    def close(self) -> None:
        self.conn.close()


def _store_error(path: Path, exc: Exception) -> StoreError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreError(
            _("the store {path} is busy (another capcli is writing to it): try again in a moment").format(path=path)
        )
    if "readonly" in text or "read-only" in text:
        return StoreError(_("the store {path} is read-only: check its permissions").format(path=path))
    return StoreError(_("cannot use the store {path}: {reason}").format(path=path, reason=text))


def _no_store(path: Path) -> StoreError:
    return StoreError(_("no store at {path}: check --db or CAPCLI_DB; 'capcli person add' creates it").format(
        path=path))


def _create_store(path: Path) -> None:
    """A new store at ``path``, mode 0600: built in a temporary file beside it, then given its name
    only once complete (``files.AtomicWrite``), so that a store is never found half-created. When
    another capcli created it meanwhile, that one is kept."""
    from capcli.files import AtomicWrite, TargetExists, reason

    cannot = _("cannot create the store {path}: {reason}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StoreError(cannot.format(path=path, reason=reason(exc, path))) from None
    new = AtomicWrite(path, replace=False, cannot=cannot)
    try:
        conn = sqlite3.connect(new.temp, isolation_level=None)
        try:
            _create_schema(conn)
            conn.execute("PRAGMA journal_mode = WAL")  # recorded in the file's header
        finally:
            conn.close()
        new.commit()
    except TargetExists:
        pass
    except BaseException:
        new.discard()
        raise


def _usable_file(path: Path) -> None:
    """Refuse, before SQLite opens it, what would be mistaken for a new store or would leave
    files no one can write beside it."""
    info = os.stat(path)
    if info.st_size == 0 and not _size(Path(f"{path}-wal")):
        raise StoreError(_("{path} is empty (0 bytes): not a capcli store; a killed copy? restore a backup, or "
                           "delete it to start a new store").format(path=path))
    if not os.access(path, os.W_OK) and _in_wal_mode(path):
        # SQLite would read it, but leave beside it -wal and -shm files as read-only as the store, which
        # block every write once its mode is put right. A backup (DELETE mode) reads where it lies.
        raise StoreError(_("the store {path} is read-only: check its permissions").format(path=path))
    for suffix in ("-wal", "-shm"):
        side = f"{path}{suffix}"
        try:
            if os.access(side, os.W_OK) or not os.path.exists(side):
                continue
            if os.stat(side).st_uid == os.getuid():  # left read-only by an older capcli on a read-only store
                os.chmod(side, 0o600)
                continue
        except OSError:
            pass
        raise StoreError(_("the store {path} is read-only: check its permissions ({side})").format(
            path=path, side=side))


def _in_wal_mode(path: Path) -> bool:
    """The file's header says WAL (its read and write format versions are 2)."""
    try:
        with open(path, "rb") as file:
            return file.read(20)[18:20] == b"\x02\x02"
    except OSError:
        return False


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def open_store(path: Path | str, busy_timeout_ms: int | None = None, *, create: bool = False,
               read_only: bool = False) -> Store:
    """Open the store at ``path`` and bring its schema up to date.

    ``create``: create it when no file is there (the commands that write: ``session.store``);
    otherwise a missing store is refused (a mistyped --db is not a new store), and so is an
    empty file or an SQLite database without capcli's tables.
    ``busy_timeout_ms``: how long to wait for another process's write lock before giving
    up with a clear message (default ``BUSY_TIMEOUT_MS``; ``CAPCLI_BUSY_TIMEOUT_MS``).
    ``read_only``: the command only reads (`due`): a team store is read through libpq, without
    psycopg's start-up (``libpq.py``) where it can be.
    """
    timeout = BUSY_TIMEOUT_MS if busy_timeout_ms is None else int(busy_timeout_ms)
    from capcli.store import is_team_address

    if is_team_address(path):
        if read_only and not create:
            from capcli.store.libpq import open_read_store

            reader = open_read_store(str(path), timeout, latest=LATEST_VERSION)
            if reader is not None:
                return reader
        try:
            from capcli.store.pg import open_pg_store
        except ImportError:
            raise StoreError(_("a team store needs psycopg: pip install 'psycopg[binary]'")) from None

        return open_pg_store(str(path), timeout, create=create, latest=LATEST_VERSION)
    path = Path(path).expanduser()
    if path.is_dir():
        raise StoreError(_("the store {path} is a directory: give a file name with --db").format(path=path))
    if not os.path.exists(path):
        if not create:
            raise _no_store(path)
        _create_store(path)
    try:
        _usable_file(path)
    except FileNotFoundError:  # removed meanwhile
        raise _no_store(path) from None
    old_umask = os.umask(0o077)  # the -wal and -shm files are created 0600 too
    try:
        try:  # mode=rw: SQLite never creates the file (the checks above hold)
            conn = sqlite3.connect(f"file:{quote_from_bytes(os.fsencode(path))}?mode=rw", uri=True,
                                   timeout=timeout / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise _not_a_store(path, exc) from None
        conn.row_factory = sqlite3.Row
        store = Store(conn, path)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {timeout}")
            # Freed row versions are zeroed, whatever the build's default (Debian's is on, not all are):
            # a person updated or anonymised leaves no old copy in free space.
            conn.execute("PRAGMA secure_delete = ON")
            version = _recorded_version(conn, path)
            if version > LATEST_VERSION:
                raise StoreError(
                    _("the store {path} was written by a newer capcli (schema {found}, this one knows "
                      "{known}): upgrade capcli").format(path=path, found=version, known=LATEST_VERSION)
                )
            elif version < LATEST_VERSION:
                _upgrade(store, version)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise _not_a_store(path, exc) from None
        except BaseException:
            conn.close()
            raise
    finally:
        os.umask(old_umask)
    return store


# --- upgrades and backups -------------------------------------------------------------


def _upgrade(store: Store, version: int) -> None:
    """Back the store up beside it, then run the migration steps after ``version`` in one transaction."""
    from capcli.files import TargetExists
    from capcli.store import migrations

    _refuse_later_schema(store, version)
    backup = None
    for _attempt in range(5):  # colleagues opening the same old store at once: each its own name
        try:
            backup = backup_to(store, backup_path(store.path, label=f"v{version}"))
            break
        except TargetExists:  # taken meanwhile
            continue
    if backup is None:
        raise StoreError(_("cannot write a backup beside {path} before its upgrade: try again").format(
            path=store.path))
    conn = store.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        backup.unlink(missing_ok=True)
        raise _store_error(store.path, exc) from None
    try:
        found = _recorded_version(conn, store.path) or version
        upgraded = found < LATEST_VERSION  # another process may have upgraded it while we waited
        if upgraded:
            for _step, statements in migrations.steps(found, LATEST_VERSION):
                for statement in statements:
                    for sql in _step_sql(statement):
                        conn.execute(sql)
            conn.execute(
                "UPDATE capcli_meta SET value = ? WHERE key = 'schema_version'", (str(LATEST_VERSION),)
            )
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        conn.execute("ROLLBACK")
        backup.unlink(missing_ok=True)  # the store is unchanged: a second copy of its health data helps no one
        raise StoreError(
            _("the upgrade of {path} from schema {version} failed ({reason}): the store is unchanged (no copy "
              "kept); keep using the capcli that wrote it, and report the problem").format(
                path=store.path, version=version, reason=" ".join(str(exc).split()))
        ) from None
    except BaseException:
        conn.execute("ROLLBACK")
        backup.unlink(missing_ok=True)
        raise
    _keep_wal(conn)
    _owner_only(store.path)  # an upgrade is a write: the store is made 0600 like at any first write
    if upgraded:
        store.upgraded_from = version
        store.upgrade_backup = backup
    else:  # another capcli upgraded it first (and kept its own copy): ours is not needed
        backup.unlink(missing_ok=True)


def _refuse_later_schema(store: Store, version: int) -> None:
    """A store that records ``version`` but already holds tables or indexes that a later step
    creates (its version row was written back, or the file was patched): its upgrade would fail,
    so it is refused before any copy of it is taken."""
    import re

    from capcli.store import migrations

    store.execute("BEGIN")  # one snapshot: the version and the tables as they are together
    try:
        now = _recorded_version(store.conn, store.path)
        present = {row[0] for row in store.execute("SELECT name FROM sqlite_master")}
    finally:
        store.execute("COMMIT")
    if now != version:  # another capcli upgraded it meanwhile: _upgrade finds it so
        return
    later = sorted(
        match.group(1)
        for _step, statements in migrations.steps(version, LATEST_VERSION)
        for statement in statements
        for sql in _step_sql(statement)
        for match in [re.match(r"\s*CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\s+(?:IF\s+NOT\s+EXISTS\s+)?\"?(\w+)",
                               sql, re.IGNORECASE)]
        if match and match.group(1) in present
    )
    if later:
        raise StoreError(
            _("the store {path} records schema {version} but already holds what a later schema adds ({names}): "
              "it is damaged; restore a backup").format(path=store.path, version=version, names=", ".join(later))
        )


def _keep_wal(conn: sqlite3.Connection) -> None:
    """WAL (readers never wait), also for a store restored from a backup (which is in DELETE mode)."""
    if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        conn.execute("PRAGMA journal_mode = WAL")


def _owner_only(path: Path) -> None:
    """A store readable by others (copied, restored, created by an older tool) is made 0600 again."""
    try:
        info = os.stat(path)
        if info.st_mode & 0o077 and info.st_uid == os.getuid():
            os.chmod(path, 0o600)
    except OSError:
        pass


def backup_path(path: Path, label: str = "backup") -> Path:
    """A new file name beside the store, with a timestamp: capcli.backup-20261122-093000.sqlite."""
    from capcli.store import is_team_address

    if is_team_address(path):
        raise StoreError(_("a team store has no folder to put a backup beside: give the file name (capcli backup "
                           "FILE gives a local copy; the server itself is backed up with pg_dump)"))
    path = Path(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = path.suffix or ".sqlite"
    candidate = path.with_name(f"{path.stem}.{label}-{stamp}{suffix}")
    n = 1
    while candidate.exists() or os.path.lexists(candidate):
        n += 1
        candidate = path.with_name(f"{path.stem}.{label}-{stamp}-{n}{suffix}")
    return candidate


def backup_to(store: Store, target: Path | str) -> Path:
    """Copy the store to ``target`` (a new file, mode 0600) with SQLite's online backup API.

    The backup API copies a consistent snapshot of the store, so it is safe while another
    process writes to it. The copy is written to a temporary file beside ``target`` and gets its
    name only once complete (``files.AtomicWrite``): a backup cut short leaves no ``target``.
    Never overwrites.
    """
    from capcli.files import AtomicWrite

    target = Path(target).expanduser()
    from capcli.store import is_team

    if is_team(store):  # a local copy of a team store (store copy)
        from capcli.store.copy import to_file

        to_file(store, target)
        return target
    if target.exists() or os.path.lexists(target):
        raise StoreError(_("{target} already exists: give another file name").format(target=target))
    if target.resolve() == Path(store.path).resolve():
        raise StoreError(_("the backup cannot be the store itself"))
    try:
        with AtomicWrite(target, replace=False, cannot=_("cannot write the backup {target}: {reason}")) as new:
            dest = sqlite3.connect(new.temp)
            try:
                # One step (pages=-1) under one read transaction: a consistent snapshot that a
                # writer cannot make start over (WAL: the writer is not blocked meanwhile).
                store.conn.backup(dest, **_slow_backup_for_tests())
                dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                dest.close()
    except sqlite3.Error as exc:
        raise _store_error(target, exc) from None
    return target


def _slow_backup_for_tests() -> dict:
    """The backup's steps: one, unless the tests set CAPCLI_TEST_SLOW_BACKUP=SECONDS, which copies
    one page per step and waits that long after each, so that a test can kill a backup midway
    (tests/test_atomic_files.py). Nothing else reads it."""
    pause = os.environ.get("CAPCLI_TEST_SLOW_BACKUP")
    if not pause:
        return {"pages": -1}
    import time

    return {"pages": 1, "progress": lambda status, remaining, total: time.sleep(float(pause))}


# --- health ---------------------------------------------------------------------------


def integrity_problems(store: Store) -> list[str]:
    """What SQLite's integrity_check finds wrong in the file, one line each."""
    try:
        rows = [row[0] for row in store.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return [_("integrity check failed: {reason}").format(reason=exc)]
    if rows == ["ok"]:
        return []
    return [_("integrity: {problem}").format(problem=row) for row in rows]


def foreign_key_problems(store: Store) -> list[str]:
    """Rows that refer to a missing row (foreign_key_check), one line each."""
    return [
        _("foreign key: {table} row {rowid} refers to a missing {parent}").format(
            table=table, rowid=rowid, parent=parent
        )
        for table, rowid, parent, _fk in store.execute("PRAGMA foreign_key_check")
    ]


def _not_a_store(path: Path, exc: Exception) -> StoreError:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return StoreError(_("{path} is not a capcli store (not an SQLite database, or damaged)").format(path=path))
    return _store_error(path, exc)


def _recorded_version(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version recorded in the store (a new store is created with its schema)."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "capcli_meta" not in tables:
        if tables:
            raise StoreError(_("{path} is an SQLite database but not a capcli store").format(path=path))
        raise StoreError(_("{path} is an SQLite database without capcli's tables: not a capcli store; a killed "
                           "copy? restore a backup, or delete it to start a new store").format(path=path))
    row = conn.execute("SELECT value FROM capcli_meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        raise StoreError(_("the store {path} records no schema version: it is damaged; restore a backup").format(
            path=path))
    text = str(row[0]).strip()
    if not (text.isascii() and text.isdigit() and 0 < int(text) < 1000):
        raise StoreError(
            _("the store {path} records an unreadable schema version ('{value}'): it is damaged; "
              "restore a backup").format(path=path, value=row[0])
        )
    return int(text)


def _step_sql(statement) -> list[str]:
    """The SQL of one migration step: a plain statement, or a ``NewTable`` compiled from schema.py."""
    from capcli.store import migrations

    if isinstance(statement, migrations.NewTable):
        return schema_ddl(only=statement.name)
    return [statement]


def schema_ddl(only: str | None = None) -> list[str]:
    """CREATE TABLE / CREATE INDEX statements compiled from the SQLModel schema (of one table: ``only``)."""
    from sqlalchemy.dialects import sqlite as sqlite_dialect
    from sqlalchemy.schema import CreateIndex, CreateTable

    from capcli.store import schema

    dialect = sqlite_dialect.dialect()
    statements = []
    for table in schema.SQLModel.metadata.sorted_tables:
        if only is not None and table.name != only:
            continue
        statements.append(str(CreateTable(table).compile(dialect=dialect)))
        for index in table.indexes:
            statements.append(str(CreateIndex(index).compile(dialect=dialect)))
    return statements


def _create_schema(conn: sqlite3.Connection) -> None:
    from capcli.store import schema

    conn.execute("BEGIN IMMEDIATE")
    try:
        exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'capcli_meta'").fetchone()
        if exists:  # another process created it while we waited for the lock
            conn.execute("COMMIT")
            return
        for statement in schema_ddl():
            conn.execute(statement)
        conn.execute(
            "INSERT INTO capcli_meta (key, value) VALUES ('schema_version', ?)", (str(schema.SCHEMA_VERSION),)
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


# --- SQL fragments whose spelling differs between databases ------------------------------
# Dates are ISO text in SQLite; PostgreSQL spells these to_char(col, 'YYYY-MM') and (b - a).


def sql_month(column: str) -> str:
    """The YYYY-MM month of a date column."""
    return f"substr({column}, 1, 7)"


def sql_days_between(start: str, end: str) -> str:
    """Whole days from the date column ``start`` to ``end``."""
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


def prepare_for_scans(store: Store) -> None:
    """A larger page cache for this connection (32 MB, used only as needed): a report reads the
    same tables in several queries, and the default 2 MB cache re-reads them from the file."""
    store.execute("PRAGMA cache_size = -32000")
