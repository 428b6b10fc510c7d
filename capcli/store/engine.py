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

from capcli.errors import StoreError
from capcli.i18n import _

BUSY_TIMEOUT_MS = 10_000
LATEST_VERSION = 3  # keep equal to schema.SCHEMA_VERSION (a test checks it)


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("capcli", appauthor=False) / "capcli.sqlite"


class Store:
    """A connection to the store with explicit, all-or-nothing transactions."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self.upgraded_from: int | None = None  # the schema version found, when open_store upgraded it
        self.upgrade_backup: Path | None = None  # the backup taken before that upgrade
        self._wal_checked = False

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
        (SQLite's secure_delete; its default is off), then the WAL, which still holds the old
        pages, is checkpointed and emptied by ``flush_erased``."""
        self.conn.execute("PRAGMA secure_delete = ON")

    def flush_erased(self) -> None:
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.OperationalError:  # a reader holds the WAL: it is emptied by the next checkpoint
            pass

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


def _create_file(path: Path) -> None:
    """Create an empty store file readable by its owner only (mode 0600)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise StoreError(
            _("cannot create the store {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from None


def open_store(path: Path | str, busy_timeout_ms: int | None = None) -> Store:
    """Open (creating it on first use) the store at ``path`` and bring its schema up to date.

    ``busy_timeout_ms``: how long to wait for another process's write lock before giving
    up with a clear message (default ``BUSY_TIMEOUT_MS``; ``CAPCLI_BUSY_TIMEOUT_MS``).
    """
    path = Path(path).expanduser()
    timeout = BUSY_TIMEOUT_MS if busy_timeout_ms is None else int(busy_timeout_ms)
    if path.is_dir():
        raise StoreError(_("the store {path} is a directory: give a file name with --db").format(path=path))
    created = not path.exists()
    if created:
        _create_file(path)
    old_umask = os.umask(0o077)  # the -wal and -shm files are created 0600 too
    try:
        try:
            conn = sqlite3.connect(path, timeout=timeout / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise _not_a_store(path, exc) from None
        conn.row_factory = sqlite3.Row
        store = Store(conn, path)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {timeout}")
            version = _recorded_version(conn, path)
            if version is None:
                conn.execute("PRAGMA journal_mode = WAL")
                _create_schema(conn)
            elif version > LATEST_VERSION:
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
    from capcli.store import migrations

    backup = None
    for _attempt in range(5):  # colleagues opening the same old store at once: each its own name
        try:
            backup = backup_to(store, backup_path(store.path, label=f"v{version}"))
            break
        except _TargetTaken:
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
                    conn.execute(statement)
            conn.execute(
                "UPDATE capcli_meta SET value = ? WHERE key = 'schema_version'", (str(LATEST_VERSION),)
            )
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        conn.execute("ROLLBACK")
        raise StoreError(
            _("the upgrade of {path} from schema {version} failed ({reason}): the store is unchanged; "
              "the copy taken before is {backup}").format(path=store.path, version=version,
                                                           reason=" ".join(str(exc).split()), backup=backup)
        ) from None
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    _keep_wal(conn)
    if upgraded:
        store.upgraded_from = version
        store.upgrade_backup = backup
    else:  # another capcli upgraded it first (and kept its own copy): ours is not needed
        backup.unlink(missing_ok=True)


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


class _TargetTaken(StoreError):
    """The backup's name was taken between choosing it and creating it."""


def backup_path(path: Path, label: str = "backup") -> Path:
    """A new file name beside the store, with a timestamp: capcli.backup-20261122-093000.sqlite."""
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
    process writes to it. Never overwrites.
    """
    target = Path(target).expanduser()
    if target.exists() or os.path.lexists(target):
        raise StoreError(_("{target} already exists: give another file name").format(target=target))
    if target.resolve() == Path(store.path).resolve():
        raise StoreError(_("the backup cannot be the store itself"))
    old_umask = os.umask(0o077)
    try:
        try:
            fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
        except FileExistsError:
            raise _TargetTaken(_("{target} already exists: give another file name").format(target=target)) from None
        except OSError as exc:
            raise StoreError(
                _("cannot write the backup {target}: {reason}").format(target=target, reason=exc.strerror or exc)
            ) from None
        try:
            dest = sqlite3.connect(target)
            try:
                # One step (pages=-1) under one read transaction: a consistent snapshot that a
                # writer cannot make start over (WAL: the writer is not blocked meanwhile).
                store.conn.backup(dest, pages=-1)
                dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                dest.close()
        except BaseException as exc:
            target.unlink(missing_ok=True)
            if isinstance(exc, sqlite3.Error):
                raise _store_error(target, exc) from None
            raise
    finally:
        os.umask(old_umask)
    return target


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


def _recorded_version(conn: sqlite3.Connection, path: Path) -> int | None:
    """The schema version recorded in the store, or None for a new, empty file."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "capcli_meta" not in tables:
        if tables:
            raise StoreError(_("{path} is an SQLite database but not a capcli store").format(path=path))
        return None
    row = conn.execute("SELECT value FROM capcli_meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        return None
    text = str(row[0]).strip()
    if not (text.isascii() and text.isdigit() and 0 < int(text) < 1000):
        raise StoreError(
            _("the store {path} records an unreadable schema version ('{value}'): it is damaged; "
              "restore a backup").format(path=path, value=row[0])
        )
    return int(text)


def schema_ddl() -> list[str]:
    """CREATE TABLE / CREATE INDEX statements compiled from the SQLModel schema."""
    from sqlalchemy.dialects import sqlite as sqlite_dialect
    from sqlalchemy.schema import CreateIndex, CreateTable

    from capcli.store import schema

    dialect = sqlite_dialect.dialect()
    statements = []
    for table in schema.SQLModel.metadata.sorted_tables:
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
