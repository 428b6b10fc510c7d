"""The team store: the same store on a shared PostgreSQL database. Everything PostgreSQL-specific
lives in this module (``engine.py`` holds SQLite's); psycopg is imported only when ``--db`` /
``CAPCLI_DB`` is a ``postgresql://`` address, so a local store starts as fast as before.

One SQL for both engines. The queries of ``capcli/store/`` are written once, with ``?`` marks; this
module hands them to psycopg with ``%s`` marks, and the team store keeps SQLite's storage classes, so
that every query reads the same on both:

- dates are ISO text (``YYYY-MM-DD``) in the domain ``capcli_date`` (text, checked by a pattern and
  by PostgreSQL's own date parser), times ISO text; booleans are 0/1 (``smallint`` checked to be 0
  or 1); text compares byte-wise (``COLLATE "C"``, as SQLite does), whatever the server's locale;
- ``capcli_fold(text)`` (names, case and accents aside) and ``julianday(text)`` are SQL functions
  created with the schema, spelled like SQLite's so that the searches and the report run unchanged.

Writers take one transaction-level advisory lock (``pg_advisory_xact_lock``, keyed by the store's
schema) before anything else:
on both engines every write transaction sees every write committed before it and none meanwhile
(SQLite's BEGIN IMMEDIATE), so a check then write (a case still open, a contact not yet done, an
external id not yet taken) holds under concurrent advisers by the rule, not by luck. Reads never
wait (MVCC). The unique constraints and foreign keys back it up for anyone writing with psql.

The journal's author is the database login (``session_user``), not CAPCLI_ADVISER nor the OS user.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date, datetime

import psycopg
from psycopg import sql as pgsql
from psycopg.adapt import Dumper

from capcli.errors import RuleError, StoreError
from capcli.i18n import _
from capcli.store.libpq import (  # shared with due's path (libpq.py)
    CONNECT_TIMEOUT, Row, busy, cannot_connect, display, session_settings, translate)

WRITE_LOCK = 0x43415043  # "CAPC": the advisory lock every capcli writer of a team store takes first
# ... with the store's schema as its second key: advisory locks are the database's, and two stores in
# two schemas of one database (an agency's and its test copy) do not wait for each other's writers.
# The schema that holds the store's tables (where capcli_meta is found), not current_schema() alone:
# with a search_path of "$user", public, an adviser with a schema of their own name would take another
# lock than their colleagues for the same store. (Before the store exists: where it will be created.)
STORE_KEY = ("hashtext(COALESCE((SELECT relnamespace::regnamespace::text FROM pg_class "
             "WHERE oid = to_regclass('capcli_meta')), current_schema(), ''))")
LOCK_SQL = f"SELECT pg_advisory_xact_lock({WRITE_LOCK}, {STORE_KEY})"


# --- the dialect: SQLite's spelling handed to PostgreSQL ---------------------------------


class _DateDumper(Dumper):
    """A date travels as ISO text (the stores hold ISO text), as sqlite3 sends it."""

    oid = 0  # unknown: PostgreSQL reads it as the column's type (text, capcli_date)

    def dump(self, obj):
        return obj.isoformat().encode()


class _DateTimeDumper(Dumper):
    oid = 0

    def dump(self, obj):
        return obj.isoformat(" ").encode()


class _BoolDumper(Dumper):
    """True and False travel as 1 and 0 (the stores hold 0/1), as sqlite3 sends them."""

    oid = 0

    def dump(self, obj):
        return b"1" if obj else b"0"


def _row_factory(cursor):
    description = cursor.description
    if description is None:
        return tuple
    names = {column.name: i for i, column in enumerate(description)}
    cls = type("Row", (Row,), {"__slots__": (), "_names": names})
    return cls


def _numeric_as_number(conn) -> None:
    """SUM and AVG of integers are ``numeric`` in PostgreSQL: read them as int or float, as SQLite gives."""
    from psycopg.types.numeric import NumericLoader

    class Loader(NumericLoader):
        def load(self, data):
            value = super().load(data)
            return float(value) if b"." in bytes(data) else int(value)

    conn.adapters.register_loader("numeric", Loader)


# --- the store -------------------------------------------------------------------------


class PgStore:
    """A connection to a team store, with the interface of ``engine.Store``."""

    engine = "postgresql"

    def __init__(self, conn, address: str):
        self.conn = conn
        self.path = display(address)  # what messages name: the address without its password
        self.address = address
        self.upgraded_from: int | None = None
        self.upgrade_backup = None  # PostgreSQL upgrades in one transaction: no copy is needed
        self.erase_unfinished = False
        self.login: str = conn.execute("SELECT session_user").fetchone()[0]
        self._copy = None  # (statement, cursor, its COPY block, the COPY) while insert_rows' COPY is open

    def execute(self, statement: str, params=()):
        self._end_copy()
        try:
            if not params:  # no marks: psycopg sends the text as it is (a literal % stays single)
                return self.conn.execute(translate(statement, marks=False))
            return self.conn.execute(translate(statement), tuple(params))
        except psycopg.errors.LockNotAvailable:
            raise self._busy() from None
        except psycopg.errors.InsufficientPrivilege as exc:
            raise _refused(exc) from None

    def executemany(self, statement: str, rows):
        self._end_copy()
        with self.conn.cursor() as cursor:
            try:
                cursor.executemany(translate(statement), rows)
            except psycopg.errors.InsufficientPrivilege as exc:
                raise _refused(exc) from None
            return cursor

    def _busy(self) -> StoreError:
        return busy(self.path)

    @contextmanager
    def transaction(self):
        """BEGIN, the writers' lock, then COMMIT, or ROLLBACK on any error: all or nothing.

        READ COMMITTED whatever the server's default: each statement after the lock sees every write
        committed before it. Under REPEATABLE READ or SERIALIZABLE the snapshot would be taken by
        the lock's own statement, before its wait, and a check would read the store as it was then."""
        self.conn.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        try:
            try:
                self.conn.execute(LOCK_SQL)
            except psycopg.errors.LockNotAvailable:
                raise self._busy() from None
            yield self
            self._end_copy()
        except BaseException as exc:
            self._end_copy(exc)
            self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except psycopg.Error as exc:
                self.conn.execute("ROLLBACK")
                raise StoreError(_("cannot use the store {path}: {reason}").format(
                    path=self.path, reason=" ".join(str(exc).split()))) from None

    @contextmanager
    def snapshot(self):
        """One read-only transaction in which every query sees the same store (REPEATABLE READ)."""
        self.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            yield
        finally:
            self.conn.execute("COMMIT")

    def enable_fold(self) -> None:
        """``capcli_fold`` is an SQL function of the team store's schema: nothing to register."""

    def bulk_cache(self, mebibytes: int = 24) -> None:
        """A larger sort memory for a bulk import's own transaction."""
        self.conn.execute(f"SET work_mem = '{int(mebibytes) * 2}MB'")

    @contextmanager
    def indexes_deferred(self, tables: tuple[str, ...]):
        """As engine.Store's: the secondary indexes of ``tables`` dropped and built again at the end,
        and their foreign keys as well (then checked by one join each, not by a trigger per row: the
        100,000 cases of an import, 3.2 -> 1.6 s), inside the caller's transaction (a rollback brings
        them back). Only by the tables' owner: the logins of a store secured by `capcli team init`
        are not, and their loads keep them. Until the commit, readers wait for the tables too (the
        drop locks them): for a load that at least doubles the store, such as an agency's first."""
        owned = self.conn.execute("SELECT bool_and(pg_has_role(relowner, 'USAGE')) FROM pg_class "
                                  "WHERE oid = ANY(%s::regclass[])", (list(tables),)).fetchone()[0]
        found = [] if not owned else self.conn.execute(
            "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), 0 "
            "FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique "
            "UNION ALL SELECT k.conrelid::regclass::text, quote_ident(k.conname), pg_get_constraintdef(k.oid), 1 "
            "FROM pg_constraint k WHERE k.conrelid = ANY(%s::regclass[]) AND k.contype = 'f' ORDER BY 4, 1, 2",
            (list(tables), list(tables))).fetchall()
        try:
            for table, name, _definition, foreign_key in found:
                self.conn.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}" if foreign_key else f"DROP INDEX {name}")
        except psycopg.errors.LockNotAvailable:  # a reader's long query: after lock_timeout
            raise self._busy() from None
        yield
        for table, name, definition, foreign_key in found:
            self.conn.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}" if foreign_key else definition)

    def erase_for_good(self) -> None:
        pass

    def flush_erased(self) -> bool:
        """After an anonymisation: VACUUM FULL rewrites the tables that held the person, so that no
        dead row version of the old values is left in their files. The write-ahead log and the
        agency's backups (pg_dump, base backups) keep them until they expire: see the README."""
        from capcli.store import schema

        for table in schema.SQLModel.metadata.sorted_tables:  # every table anonymisation may write
            self.conn.execute(pgsql.SQL("VACUUM FULL {}").format(pgsql.Identifier(table.name)))
        return True

    def insert_rows(self, table: str, columns: tuple[str, ...], insert_sql: str, rows: list[tuple]) -> None:
        """Many rows into ``table`` by COPY (an import's staging: 3 s of 13 s by INSERTs at 100,000 rows).

        The COPY stays open for the next rows of the same table, until the store is used otherwise
        (``_end_copy``): the server stores one chunk while capcli reads the next (100,000 rows, 0.5 s
        less than a COPY per chunk of 5,000 waited for)."""
        statement = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
            pgsql.Identifier(table), pgsql.SQL(", ").join(pgsql.Identifier(c) for c in columns))
        if self._copy is not None and self._copy[0] != statement:
            self._end_copy()
        if self._copy is None:
            cursor = self.conn.cursor()
            block = cursor.copy(statement)
            self._copy = (statement, cursor, block, block.__enter__())
        write = self._copy[3].write_row
        for row in rows:
            write(row)

    def _end_copy(self, failed: BaseException | None = None) -> None:
        """End insert_rows' COPY, if open (``failed``: abandon it, the transaction rolls back)."""
        if self._copy is None:
            return
        _statement, cursor, block, _copy = self._copy
        self._copy = None
        try:
            if failed is None:
                block.__exit__(None, None, None)
            else:
                block.__exit__(type(failed), failed, failed.__traceback__)
        except psycopg.Error:
            if failed is None:
                raise  # (abandoned, it says nothing the rollback would not)
        finally:
            cursor.close()

    def analyze(self, *tables: str) -> None:
        """Statistics for the planner after a bulk write (a temporary table has none, and autovacuum
        comes too late for the next statement): without them a look-up per row becomes a scan."""
        self._end_copy()
        for table in tables:
            # An import's staging (a temporary table) needs its row count and its distinct keys, not
            # 100 histogram buckets of each of its 35 columns: a sample of 3,000 rows (0.4 s -> 0.03 s at
            # 100,000 rows, the same plans). A table of the store keeps the server's default.
            staging = self.conn.execute("SELECT relpersistence = 't' FROM pg_class WHERE oid = to_regclass(%s)",
                                        (table,)).fetchone()[0]
            if staging:
                self.conn.execute("SET default_statistics_target = 10")
            self.conn.execute(pgsql.SQL("ANALYZE {}").format(pgsql.Identifier(table)))
            if staging:
                self.conn.execute("RESET default_statistics_target")

    def integrity_problems(self) -> list[str]:
        """PostgreSQL checks its pages itself (and enforces every foreign key): nothing to add."""
        return []

    def foreign_key_problems(self) -> list[str]:
        return []

    def close(self) -> None:
        self._copy = None  # (a COPY still open ends with the connection, its transaction rolled back)
        self.conn.close()


def _refused(exc) -> RuleError:
    """A refusal of the store's roles and policies (capcli team init) as one line: what, and who may."""
    from capcli.store.team import refusal

    return RuleError(refusal(exc.diag.message_detail, exc.diag.message_primary))


def connect(address: str, busy_timeout_ms: int):
    """A psycopg connection to ``address`` (autocommit: reads need no transaction, writes open their
    own), adapted so that values travel as in SQLite."""
    try:
        conn = psycopg.connect(address, autocommit=True, row_factory=_row_factory, connect_timeout=CONNECT_TIMEOUT)
    except psycopg.Error as exc:
        raise cannot_connect(address, str(exc)) from None
    conn.adapters.register_dumper(date, _DateDumper)
    conn.adapters.register_dumper(datetime, _DateTimeDumper)
    conn.adapters.register_dumper(bool, _BoolDumper)
    _numeric_as_number(conn)
    conn.execute(session_settings(busy_timeout_ms))
    return conn


def open_pg_store(address: str, busy_timeout_ms: int, *, create: bool = False, latest: int) -> PgStore:
    """Open the team store at ``address``: create its schema in an empty database when ``create``,
    bring an older schema up to date (one transaction: PostgreSQL's DDL is transactional)."""
    conn = connect(address, busy_timeout_ms)
    try:
        store = PgStore(conn, address)
        version = _recorded_version(store)
        if version is None:
            if not create:
                raise StoreError(_("no capcli store in {address} yet: check --db or CAPCLI_DB; 'capcli person "
                                   "add' (or 'capcli store copy --to') creates it").format(address=store.path))
            _create_schema(store)
        elif version > latest:
            raise StoreError(
                _("the store {path} was written by a newer capcli (schema {found}, this one knows "
                  "{known}): upgrade capcli").format(path=store.path, found=version, known=latest))
        elif version < latest:
            _upgrade(store, version, latest)
    except BaseException:
        conn.close()
        raise
    return store


def _recorded_version(store: PgStore) -> int | None:
    if store.execute("SELECT to_regclass('capcli_meta')").fetchone()[0] is None:
        return None
    row = store.execute("SELECT value FROM capcli_meta WHERE key = 'schema_version'").fetchone()
    if row is None or not str(row[0]).strip().isdigit():
        raise StoreError(_("the store {path} records no schema version: it is damaged; restore a backup").format(
            path=store.path))
    return int(row[0])


# --- the schema, from schema.py --------------------------------------------------------

FUNCTIONS = [
    # A date as ISO text, checked (the pattern, then PostgreSQL's parser: no 2026-02-30).
    """CREATE DOMAIN capcli_date AS text COLLATE "C"
       CHECK (VALUE ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND VALUE::date = VALUE::date)""",
    # SQLite's julianday() of an ISO date (the report's durations subtract two of them).
    """CREATE FUNCTION julianday(text) RETURNS double precision LANGUAGE sql IMMUTABLE STRICT
       AS $$ SELECT (substr($1, 1, 10)::date - DATE '2000-01-01') + 2451544.5 $$""",
    # capcli.domain.identity.fold: ligatures spelled out, accents dropped, lower case.
    r"""CREATE FUNCTION capcli_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
       AS $$ SELECT lower(regexp_replace(normalize(
              replace(replace(replace(replace(replace(replace($1, 'Œ', 'OE'), 'œ', 'oe'), 'Æ', 'AE'),
              'æ', 'ae'), 'ß', 'ss'), 'ẞ', 'SS'), NFKD), '[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]',
              '', 'g')) $$""",
]

# The registry of advisers of a team store (a name given to --adviser must be one of them).
ADVISERS = """CREATE TABLE adviser (
    name text COLLATE "C" PRIMARY KEY,
    added_on capcli_date NOT NULL,
    added_by text COLLATE "C" NOT NULL
)"""


def _column_type(column) -> str:
    from sqlalchemy import Boolean, Date, DateTime, Integer

    if isinstance(column.type, Boolean):
        return "smallint"
    if isinstance(column.type, DateTime):
        return 'text COLLATE "C"'
    if isinstance(column.type, Date):
        return "capcli_date"
    if isinstance(column.type, Integer):
        return "bigint"
    return 'text COLLATE "C"'


def table_ddl(table) -> list[str]:
    """CREATE TABLE and CREATE INDEX of one table of schema.py, in the team store's types."""
    from sqlalchemy import Boolean, Integer

    columns, checks = [], []
    for column in table.columns:
        spec = f"{column.name} {_column_type(column)}"
        if column.primary_key and isinstance(column.type, Integer):
            spec += " GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
        elif column.primary_key:
            spec += " PRIMARY KEY"
        if not column.nullable and not column.primary_key:
            spec += " NOT NULL"
        if column.server_default is not None:
            text = str(column.server_default.arg)
            value = "0" if text in ("false", "0") else ("1" if text in ("true", "1") else f"'{text}'")
            spec += f" DEFAULT {value}"
        if column.unique:
            spec += " UNIQUE"
        for fk in column.foreign_keys:
            spec += f" REFERENCES {fk.target_fullname.split('.')[0]} ({fk.target_fullname.split('.')[1]})"
        if isinstance(column.type, Boolean):
            checks.append(f"CHECK ({column.name} IN (0, 1))")
        columns.append(spec)
    statements = [f"CREATE TABLE {table.name} ({', '.join(columns + checks)})"]
    for index in table.indexes:
        unique = "UNIQUE " if index.unique else ""
        cols = ", ".join(c.name for c in index.columns)
        where = index.dialect_options["postgresql"].get("where")
        partial = "" if where is None else f" WHERE {where.compile(compile_kwargs={'literal_binds': True})}"
        statements.append(f"CREATE {unique}INDEX {index.name} ON {table.name} ({cols}){partial}")
    return statements


def schema_ddl(only: str | None = None) -> list[str]:
    from capcli.store import schema

    statements = []
    for table in schema.SQLModel.metadata.sorted_tables:
        if only is None or table.name == only:
            statements.extend(table_ddl(table))
    return statements


_ADD_COLUMN = re.compile(r"^(\s*ALTER\s+TABLE\s+\w+\s+ADD\s+COLUMN\s+\w+\s+)(DATE|VARCHAR|TEXT|INTEGER|BOOLEAN|DATETIME)\b",
                         re.IGNORECASE)
_TYPES = {"DATE": "capcli_date", "VARCHAR": 'text COLLATE "C"', "TEXT": 'text COLLATE "C"', "INTEGER": "bigint",
          "BOOLEAN": "smallint", "DATETIME": 'text COLLATE "C"'}


def step_sql(statement) -> list[str]:
    """A migration step in the team store's types (``NewTable`` compiled from schema.py)."""
    from capcli.store import migrations

    if isinstance(statement, migrations.NewTable):
        return schema_ddl(only=statement.name)
    return [_ADD_COLUMN.sub(lambda m: m.group(1) + _TYPES[m.group(2).upper()], statement)]


def _create_schema(store: PgStore) -> None:
    from capcli.store import schema

    with store.transaction():
        if _recorded_version(store) is not None:  # another capcli created it while we waited for the lock
            return
        for statement in [*FUNCTIONS, *schema_ddl(), ADVISERS]:
            store.conn.execute(statement)
        store.execute("INSERT INTO capcli_meta (key, value) VALUES ('schema_version', ?)", (str(schema.SCHEMA_VERSION),))


def drop_store(address: str) -> None:
    """Drop every object of the store at ``address`` (its tables, functions and domain): for `capcli
    demo`, which replaces its own demo stores only (the caller checked the mark)."""
    from capcli.store import schema

    conn = connect(address, 10_000)
    try:
        store = PgStore(conn, address)
        with store.transaction():
            for table in [*reversed(schema.SQLModel.metadata.sorted_tables)]:
                conn.execute(pgsql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(pgsql.Identifier(table.name)))
            conn.execute("DROP TABLE IF EXISTS adviser")
            conn.execute("DROP FUNCTION IF EXISTS capcli_fold(text), julianday(text)")
            from capcli.store.team import FUNCTION_SIGNATURES  # `team init`'s, if it ran

            conn.execute(f"DROP FUNCTION IF EXISTS {', '.join(FUNCTION_SIGNATURES)}")
            conn.execute("DROP DOMAIN IF EXISTS capcli_date")
    finally:
        conn.close()


def _upgrade(store: PgStore, version: int, latest: int) -> None:
    from capcli.store import migrations

    try:
        with store.transaction():
            found = _recorded_version(store) or version
            for _step, statements in migrations.steps(found, latest):
                for statement in statements:
                    for text in step_sql(statement):
                        store.conn.execute(text)
            from capcli.store import team

            if team.enforced(store):  # a secured store's new tables get their grants and policies
                team.init(store)
            store.execute("UPDATE capcli_meta SET value = ? WHERE key = 'schema_version'", (str(latest),))
    except psycopg.Error as exc:
        raise StoreError(
            _("the upgrade of {path} from schema {version} failed ({reason}): the store is unchanged (no copy "
              "kept); keep using the capcli that wrote it, and report the problem").format(
                path=store.path, version=version, reason=" ".join(str(exc).split()))) from None
    if found < latest:
        store.upgraded_from = version
