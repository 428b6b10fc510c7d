"""What the team store shares without psycopg: SQLite's spelling in PostgreSQL's, the address as
messages show it, rows by name; and a read-only connection through libpq itself (ctypes) for
`capcli due`, the adviser's morning command.

Importing psycopg 3 takes 130-210 ms (``python -X importtime``: ``psycopg.pq`` and its C extension,
asyncio, importlib.metadata, ctypes.util), more than all the rest of `due`; ``psycopg.pq`` cannot be
imported without the whole package. ``open_read_store`` talks to the same libpq psycopg would load
(the one psycopg[binary] bundles, else the system's ``libpq.so.5``), so the address means the same
(libpq parses it, with the PG* variables, ``~/.pgpass``, service files), the login is the same
(row-level security and ``session_user`` hold), parameters are bound by libpq (never formatted into
the SQL), and results come back as text, read as psycopg reads them (pg.py's adapters). It returns
None whenever psycopg's path must do the work (no libpq found, a store to upgrade, a client encoding
other than UTF-8): that path stays the reference, and the tests compare the two.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from datetime import date, datetime
from functools import lru_cache

from capcli.errors import StoreError
from capcli.i18n import _


def display(address: str) -> str:
    """The address as messages show it: never its password (``user:secret@`` → ``user@``,
    ``password=`` in the query string dropped)."""
    text = re.sub(r"^(postgres(?:ql)?://[^:/@?]*):[^@/?]*@", r"\1@", str(address))
    return re.sub(r"([?&])password=[^&]*&?", r"\1", text).rstrip("?&")


def busy(path: str) -> StoreError:
    return StoreError(
        _("the store {path} is busy (another capcli is writing to it): try again in a moment").format(path=path))


def cannot_connect(address: str, reason: str) -> StoreError:
    return StoreError(_("cannot connect to the team store {address}: {reason}").format(
        address=display(address), reason=display(" ".join(reason.split()))))


CONNECT_TIMEOUT = 10  # seconds a team store's server has to answer before capcli says it cannot connect


def session_settings(busy_timeout_ms: int) -> str:
    """What every capcli connection to a team store sets first (pg.connect's and due's): how long a
    statement waits for a lock (the busy timeout), and no JIT: capcli's statements are short or one
    pass over staged rows, where compiling them costs more than it saves (an import of 100,000 rows:
    0.9 s of JIT in a 14 s run)."""
    return f"SET lock_timeout = {int(busy_timeout_ms)}; SET jit = off"


# --- the dialect: SQLite's spelling handed to PostgreSQL ---------------------------------


_CROSS_JOIN_ON = re.compile(r"\bCROSS JOIN (\w+(?: \w+)?) ON\b")


@lru_cache(maxsize=1024)
def translate(statement: str, marks: bool = True, numbered: bool = False) -> str:
    """SQLite's spelling in PostgreSQL's, outside quotes: ``INTEGER`` (64 bits in SQLite) is
    ``BIGINT``; ``CROSS JOIN t ON`` (SQLite's way of fixing the join order) is ``JOIN t ON``; with
    ``marks``, ``?`` becomes ``%s`` and a literal ``%`` is doubled (psycopg's format), or with
    ``numbered`` too, ``$1``, ``$2``… (libpq's)."""
    statement = _CROSS_JOIN_ON.sub(r"JOIN \1 ON", statement)
    out, quote, word = [], None, []
    percent = "%" if numbered else "%%"
    count = 0

    def flush_word():
        if word:
            text = "".join(word)
            out.append("BIGINT" if text.upper() == "INTEGER" else text)
            word.clear()

    for ch in statement:
        if quote:
            out.append(percent if ch == "%" and marks else ch)
            if ch == quote:
                quote = None
            continue
        if ch.isalnum() or ch == "_":
            word.append(ch)
            continue
        flush_word()
        if ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?" and marks:
            count += 1
            out.append(f"${count}" if numbered else "%s")
        elif ch == "%" and marks:
            out.append(percent)
        else:
            out.append(ch)
    flush_word()
    return "".join(out)


class Row(tuple):
    """A row read by index or by column name, as sqlite3.Row (``dict(row)`` gives the columns)."""

    __slots__ = ()
    _names: dict

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self):
        return list(self._names)


# --- libpq through ctypes: due's read-only path ------------------------------------------

_OK, _COMMAND_OK, _TUPLES_OK = 0, 1, 2  # CONNECTION_OK, PGRES_COMMAND_OK, PGRES_TUPLES_OK
_SQLSTATE, _PRIMARY, _DETAIL = ord("C"), ord("M"), ord("D")  # PG_DIAG_*


def _numeric(text: str):
    return float(text) if "." in text else int(text)  # as pg._numeric_as_number: as SQLite gives


# Text results read as psycopg reads them (its loaders, and pg.py's for numeric); any other type is
# refused rather than read differently (a query of due's that returns one needs its loader here).
_LOADERS = {16: lambda text: text == "t", 20: int, 21: int, 23: int, 26: int, 700: float, 701: float,
            1700: _numeric, 25: str, 1043: str, 19: str, 705: str, 1042: str}


def _parameter(value) -> tuple[bytes | None, int]:
    """A value as text and its type, as psycopg and pg.py's dumpers send it (0: PostgreSQL reads it
    as the column's type)."""
    if value is None:
        return None, 0
    if isinstance(value, bool):
        return (b"1" if value else b"0"), 0
    if isinstance(value, int):
        oid = 21 if -2**15 <= value < 2**15 else 23 if -2**31 <= value < 2**31 else 20 if -2**63 <= value < 2**63 \
            else 1700
        return str(value).encode(), oid
    if isinstance(value, float):
        return repr(value).encode(), 701
    if isinstance(value, str):
        return value.encode(), 0
    if isinstance(value, datetime):
        return value.isoformat(" ").encode(), 0
    if isinstance(value, date):
        return value.isoformat().encode(), 0
    raise TypeError(f"cannot send a {type(value).__name__} to the team store")


def _candidates() -> list[str]:
    """The libpq psycopg would load: psycopg[binary]'s own, then the system's."""
    found = []
    for entry in sys.path:
        for folder in ("psycopg_binary.libs", os.path.join("psycopg_binary", ".dylibs")):
            where = os.path.join(entry or ".", folder)
            try:
                names = os.listdir(where)
            except OSError:
                continue
            found += [os.path.join(where, n) for n in sorted(names) if n.startswith("libpq")]
        if found:
            break
    return found + ["libpq.so.5", "libpq.5.dylib", "libpq.dll"]


@lru_cache(maxsize=1)
def _library():
    """libpq with the signatures used here, or None."""
    for name in _candidates():
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        p, c, i, u = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint
        for function, restype, argtypes in (
                ("PQconnectdbParams", p, [ctypes.POINTER(c), ctypes.POINTER(c), i]),
                ("PQstatus", i, [p]), ("PQerrorMessage", c, [p]), ("PQfinish", None, [p]),
                ("PQparameterStatus", c, [p, c]),
                ("PQexec", p, [p, c]),
                ("PQexecParams", p, [p, c, i, ctypes.POINTER(u), ctypes.POINTER(c), p, p, i]),
                ("PQresultStatus", i, [p]), ("PQresultErrorMessage", c, [p]), ("PQresultErrorField", c, [p, i]),
                ("PQntuples", i, [p]), ("PQnfields", i, [p]), ("PQfname", c, [p, i]), ("PQftype", u, [p, i]),
                ("PQgetvalue", c, [p, i, i]), ("PQgetisnull", i, [p, i, i]), ("PQclear", None, [p])):
            getattr(lib, function).restype = restype
            getattr(lib, function).argtypes = argtypes
        return lib
    return None


class _Rows:
    """The rows of one statement, as a DB-API cursor gives them."""

    def __init__(self, rows: list):
        self._rows = rows

    def __iter__(self):
        return iter(self._rows)

    def fetchall(self) -> list:
        return self._rows

    def fetchone(self):
        return self._rows[0] if self._rows else None


class ReadStore:
    """A read-only connection to a team store through libpq, with the reading part of ``pg.PgStore``."""

    engine = "postgresql"
    upgraded_from = None
    upgrade_backup = None
    erase_unfinished = False

    def __init__(self, lib, conn, address: str):
        self._lib, self._conn = lib, conn
        self.address = address
        self.path = display(address)
        self.login: str = ""

    def execute(self, statement: str, params=()):
        lib = self._lib
        values = [_parameter(v) for v in params]
        count = len(values)
        result = lib.PQexecParams(
            self._conn, translate(statement, bool(values), True).encode(), count,
            (ctypes.c_uint * count)(*(oid for _v, oid in values)) if count else None,
            (ctypes.c_char_p * count)(*(v for v, _oid in values)) if count else None, None, None, 0)
        try:
            return _Rows(self._read(result))
        finally:
            lib.PQclear(result)

    def _read(self, result) -> list:
        lib = self._lib
        status = lib.PQresultStatus(result) if result else -1
        if status == _COMMAND_OK:
            return []
        if status != _TUPLES_OK:
            self._raise(result)
        fields = range(lib.PQnfields(result))
        names = {lib.PQfname(result, f).decode(): f for f in fields}
        loaders = []
        for f in fields:
            oid = lib.PQftype(result, f)
            if oid not in _LOADERS:
                raise TypeError(f"no reader for the PostgreSQL type {oid} of column {lib.PQfname(result, f)!r}")
            loaders.append(_LOADERS[oid])
        cls = type("Row", (Row,), {"__slots__": (), "_names": names})
        getvalue, isnull = lib.PQgetvalue, lib.PQgetisnull
        rows = []
        for r in range(lib.PQntuples(result)):
            values = [getvalue(result, r, f) for f in fields]  # b"" for NULL too: only then ask which
            rows.append(cls(loaders[f](v.decode()) if v or not isnull(result, r, f) else None
                            for f, v in enumerate(values)))
        return rows

    def _raise(self, result):
        lib = self._lib
        field = (lambda code: (lib.PQresultErrorField(result, code) or b"").decode(errors="replace")) if result \
            else (lambda code: "")
        sqlstate = field(_SQLSTATE)
        if sqlstate == "55P03":  # lock_not_available
            raise busy(self.path)
        if sqlstate == "42501":  # insufficient_privilege: the roles and policies of `capcli team init`
            from capcli.errors import RuleError
            from capcli.store.team import refusal

            raise RuleError(refusal(field(_DETAIL) or None, field(_PRIMARY) or None))
        message = (lib.PQresultErrorMessage(result) if result else lib.PQerrorMessage(self._conn)) or b""
        raise StoreError(_("cannot use the store {path}: {reason}").format(
            path=self.path, reason=" ".join(message.decode(errors="replace").split())))

    def close(self) -> None:
        if self._conn:
            self._lib.PQfinish(self._conn)
            self._conn = None


def open_read_store(address: str, busy_timeout_ms: int, *, latest: int) -> ReadStore | None:
    """The team store at ``address``, for reading only, through libpq; None when psycopg's path
    must open it (no libpq, a store to upgrade, a client encoding other than UTF-8). Refuses as
    ``pg.open_pg_store`` does: no server, a wrong password, no store there, a newer schema."""
    lib = None if os.environ.get("CAPCLI_NO_LIBPQ") else _library()  # psycopg's path (the tests compare the two)
    if lib is None:
        return None
    keywords = (ctypes.c_char_p * 3)(b"dbname", b"connect_timeout", None)  # as pg.connect's psycopg.connect
    values = (ctypes.c_char_p * 3)(address.encode(), str(CONNECT_TIMEOUT).encode(), None)
    conn = lib.PQconnectdbParams(keywords, values, 1)
    if not conn:
        raise MemoryError
    store = ReadStore(lib, conn, address)
    try:
        if lib.PQstatus(conn) != _OK:
            raise cannot_connect(address, (lib.PQerrorMessage(conn) or b"").decode(errors="replace"))
        if (lib.PQparameterStatus(conn, b"client_encoding") or b"") != b"UTF8":
            store.close()
            return None
        # every connection's settings; no parallel workers: launching them costs more than due's short queries
        # take (the contacts of one adviser: 45 -> 15 ms on the 100,000-case store); and the joins in the
        # order written, from the day's open cases (SQLite's CROSS JOIN): with fresh statistics the
        # planner would otherwise join every person to the RQTH renewals first (5 -> 62 ms)
        result = lib.PQexec(conn, (session_settings(busy_timeout_ms) + "; SET max_parallel_workers_per_gather = 0; "
                                   "SET join_collapse_limit = 1").encode())
        try:
            store._read(result)
        finally:
            lib.PQclear(result)
        store.login, found = store.execute("SELECT session_user, to_regclass('capcli_meta') IS NOT NULL").fetchone()
        if not found:
            store.close()
            return None  # psycopg's path says there is no store (or creates none: due only reads)
        row = store.execute("SELECT value FROM capcli_meta WHERE key = 'schema_version'").fetchone()
        if row is None or not str(row[0]).strip().isdigit() or int(row[0]) != latest:
            store.close()
            return None  # damaged, newer or older: psycopg's path says so, or upgrades it
    except BaseException:
        store.close()
        raise
    return store
