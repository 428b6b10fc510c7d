"""`capcli store copy`: a whole store, ids, journal and health data included, into an empty team store
(PostgreSQL) or a new SQLite file, all or nothing.

The source is the store as ``open_store`` gives it (an older schema is upgraded first, with its
backup, as on any open), read in one snapshot; every table of ``schema.py`` is copied parents first,
with its ids, columns named (not by position: a column added by an upgrade comes last in an old file).

- Into a team store: the schema (``pg.py``) and the rows in ONE transaction (PostgreSQL's DDL is
  transactional), rows by COPY; each identity is moved past the largest id copied, and the advisers
  named in the cases are registered (``adviser``, added by the login doing the copy). A failure or an
  interruption midway rolls everything back: the target stays empty.
- Into a file: a new store written to a temporary file beside it, mode 0600, given its name only once
  complete (``files.AtomicWrite``): never an existing file, never through a symbolic link.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path

from capcli.errors import StoreError
from capcli.i18n import _
from capcli.store import is_team_address

CHUNK = 5000  # rows fetched at a time from a team store (a server-side cursor)


def tables() -> list:
    """Every table of the schema, parents first (a row's references are copied before it)."""
    from capcli.store import schema

    return list(schema.SQLModel.metadata.sorted_tables)


def copy_store(source, target: str | Path, *, today: date, busy_timeout_ms: int | None = None) -> dict:
    """Copy ``source`` (an open store of either engine) into ``target``; what was copied:
    ``{"from", "to", "tables": {table: rows}, "advisers": registered or None}``."""
    if is_team_address(target):
        counts, advisers, shown = _to_team(source, str(target), today, busy_timeout_ms)
    else:
        counts, advisers, shown = _to_file(source, Path(target)), None, str(target)
    return {"from": str(source.path), "to": shown, "tables": counts, "advisers": advisers}


def _select(table) -> tuple[list[str], str]:
    names = [column.name for column in table.columns]
    order = ", ".join(column.name for column in table.primary_key.columns)
    return names, f"SELECT {', '.join(names)} FROM {table.name} ORDER BY {order}"


def _rows(source, table):
    """The rows of ``table`` in the source, streamed (inside the caller's snapshot)."""
    _names, select = _select(table)
    if source.engine != "postgresql":
        yield from source.execute(select)
        return
    with source.conn.cursor(name=f"capcli_copy_{table.name}") as cursor:  # server-side: memory stays flat
        cursor.itersize = CHUNK
        cursor.execute(select)
        yield from cursor


# --- into a team store -----------------------------------------------------------------


def _to_team(source, address: str, today: date, busy_timeout_ms: int | None) -> tuple[dict, int, str]:
    try:
        from capcli.store import pg
    except ImportError:
        raise StoreError(_("a team store needs psycopg: pip install 'psycopg[binary]'")) from None
    import psycopg
    from psycopg import sql as pgsql

    from capcli.store.engine import BUSY_TIMEOUT_MS

    target = pg.PgStore(pg.connect(address, BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms),
                        address)
    table, counts = None, {}
    try:
        with source.snapshot(), target.transaction():
            _refuse_not_empty(target)
            for statement in [*pg.FUNCTIONS, *pg.schema_ddl(), pg.ADVISERS]:
                target.conn.execute(statement)
            for table in tables():
                names, _select_sql = _select(table)
                copy_sql = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
                    pgsql.Identifier(table.name), pgsql.SQL(", ").join(map(pgsql.Identifier, names)))
                n = 0
                with target.conn.cursor() as cursor, cursor.copy(copy_sql) as copy:
                    for row in _rows(source, table):
                        copy.write_row(row)
                        n += 1
                counts[table.name] = n
            table = None
            for each in tables():
                if [c.name for c in each.primary_key.columns] == ["id"]:  # an identity (pg.table_ddl)
                    target.conn.execute(pgsql.SQL(
                        "SELECT setval(pg_get_serial_sequence({name}, 'id'), "
                        "(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)").format(
                            name=pgsql.Literal(each.name), table=pgsql.Identifier(each.name)))
                target.conn.execute(pgsql.SQL("ANALYZE {}").format(pgsql.Identifier(each.name)))  # plans from day one
            advisers = target.execute(
                "INSERT INTO adviser (name, added_on, added_by) SELECT DISTINCT adviser, ?, session_user "
                "FROM accompaniment ON CONFLICT (name) DO NOTHING", (today.isoformat(),)).rowcount
    except psycopg.Error as exc:
        reason = pg.display(getattr(exc.diag, "message_primary", None) or " ".join(str(exc).split()))
        if table is not None:
            message = _("the copy into {target} failed at the table {table} ({reason}): nothing was written "
                        "there; run 'capcli check' on the store copied").format(
                target=target.path, table=table.name, reason=reason)
        else:
            message = _("the copy into {target} failed ({reason}): nothing was written there").format(
                target=target.path, reason=reason)
        raise StoreError(message) from None
    finally:
        target.close()
    return counts, advisers, target.path


def _refuse_not_empty(target) -> None:
    """A copy goes into an empty database or schema only: never over or beside a store."""
    names = [t.name for t in tables()] + ["adviser"]
    if target.execute("SELECT current_schema()").fetchone()[0] is None:
        raise StoreError(_("{target} has no schema to create the store in: create one, or check the "
                           "address's search_path").format(target=target.path))
    if target.execute("SELECT to_regclass('capcli_meta')").fetchone()[0] is not None:
        raise StoreError(_("{target} already holds a capcli store: copy into an empty database or schema "
                           "(see the README, Team store)").format(target=target.path))
    found = [name for name in names if target.execute("SELECT to_regclass(?)", (name,)).fetchone()[0] is not None]
    for name, sql in (("capcli_date", "SELECT to_regtype('capcli_date')"),
                      ("julianday", "SELECT to_regprocedure('julianday(text)')"),
                      ("capcli_fold", "SELECT to_regprocedure('capcli_fold(text)')")):
        if target.execute(sql).fetchone()[0] is not None:
            found.append(name)
    if found:
        raise StoreError(_("{target} already holds {names}: copy into an empty database or schema").format(
            target=target.path, names=", ".join(found)))


# --- into a file -----------------------------------------------------------------------


def _to_file(source, path: Path, cannot: str | None = None) -> dict[str, int]:
    from capcli.files import AtomicWrite
    from capcli.store import engine

    cannot = cannot or _("cannot write the copy {path}: {reason}")
    new = AtomicWrite(path, replace=False, cannot=cannot)  # refuses a symbolic link, a folder, a store
    if new.temp is None or os.path.lexists(path):
        new.discard()
        raise StoreError(_("{target} already exists: give another file name").format(target=path))
    counts = {}
    try:
        conn = sqlite3.connect(new.temp, isolation_level=None)
        try:
            conn.execute("BEGIN")
            for statement in engine.schema_ddl():
                conn.execute(statement)
            with source.snapshot():
                for table in tables():
                    names, _select_sql = _select(table)
                    insert = (f"INSERT INTO {table.name} ({', '.join(names)}) "
                              f"VALUES ({', '.join('?' for _ in names)})")
                    counter = _Counted(_rows(source, table))
                    conn.executemany(insert, counter)
                    counts[table.name] = counter.n
            conn.execute("COMMIT")
            conn.execute("PRAGMA journal_mode = WAL")  # as a new store (recorded in the file's header)
        finally:
            conn.close()
        new.commit()
    except sqlite3.Error as exc:
        new.discard()
        raise StoreError(cannot.format(path=path, reason=" ".join(str(exc).split()))) from None
    except BaseException:
        new.discard()
        raise
    return counts


class _Counted:
    """An iterator of rows that counts them as they go by."""

    def __init__(self, rows):
        self.rows = iter(rows)
        self.n = 0

    def __iter__(self):
        return self

    def __next__(self):
        row = next(self.rows)
        self.n += 1
        return tuple(row)


def to_file(source, path: Path) -> dict[str, int]:
    """A team store into a new local file (mode 0600, written whole or not at all): `backup FILE`."""
    return _to_file(source, Path(path), cannot=_("cannot write the backup {target}: {reason}"))
