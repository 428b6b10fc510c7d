"""The team-store side of the tests: a real PostgreSQL server (started by .ci/run, or yours).

CAPCLI_TEST_PG is the address of a database the tests may use as a superuser (default
``postgresql:///capcli_test``, over the local socket). Each test gets its own schema (its own store)
in it, dropped after; each adviser logs in as their own role (alice, bob…, password
``capcli-test``, over TCP on localhost), and every such role acts as ``capcli_test_team``, which owns
the tables: the tables belong to a role nobody logs in as, and ``session_user`` is the adviser.

Without a server the team-store tests skip, with one line saying why; under CI=true they fail.
"""

from __future__ import annotations

import os
import re
import uuid
from functools import lru_cache
from urllib.parse import quote

import pytest

ADMIN = os.environ.get("CAPCLI_TEST_PG", "postgresql:///capcli_test")
PASSWORD = "capcli-test"
TEAM = "capcli_test_team"
# The advisers the tests' team stores know (capcli adviser add): the names the tests give --adviser.
ADVISERS = ("alice", "bob", "bruno", "chloé", "nobody", "marie-christine", "Anne-Sophie Delacroix-Montbrun")


@lru_cache(maxsize=1)
def server() -> str | None:
    """None when the server answers; else why not (the reason the tests skip with)."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        with psycopg.connect(ADMIN, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"DO $$ BEGIN CREATE ROLE {TEAM} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    except psycopg.Error as exc:
        return f"no PostgreSQL server at {ADMIN} ({' '.join(str(exc).split())[:120]}); .ci/run starts one"
    return None


def admin():
    import psycopg

    return psycopg.connect(ADMIN, autocommit=True)


def _host_address(login: str, schema: str, own_role: bool = False) -> str:
    import psycopg.conninfo

    info = psycopg.conninfo.conninfo_to_dict(ADMIN)
    db = info.get("dbname", "capcli_test")
    port = info.get("port", "5432")
    # own_role: the login acts as itself (role=none outranks ALTER ROLE … SET role), as on a store
    # secured by `capcli team init`, whose tables TEAM no longer owns
    options = quote(f"-c search_path={schema}" + (" -c role=none" if own_role else ""))
    return f"postgresql://{quote(login, safe='')}:{PASSWORD}@localhost:{port}/{quote(db)}?options={options}"


_known_logins: set[str] = set()


def ensure_login(name: str) -> None:
    """The role ``name`` (an adviser's login) exists, logs in with the tests' password, acts as TEAM."""
    if name in _known_logins:
        return
    from psycopg import sql

    with admin() as conn:
        role = sql.Identifier(name)
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(role, sql.Literal(PASSWORD)))
        else:  # (a login `capcli team add` created has none)
            conn.execute(sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(role, sql.Literal(PASSWORD)))
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(TEAM), role))
        conn.execute(sql.SQL("ALTER ROLE {} SET role = {}").format(role, sql.Literal(TEAM)))
    _known_logins.add(name)


class TeamStore(str):
    """The address of a test's team store (alice's login), with the way to log in as another."""

    schema: str
    secured: bool

    def __new__(cls, schema: str, secured: bool = False):
        self = super().__new__(cls, _host_address("alice", schema, secured))
        self.schema, self.secured = schema, secured
        return self

    def for_login(self, name: str) -> str:
        ensure_login(name)
        return _host_address(name, self.schema, self.secured)

    def as_secured(self) -> "TeamStore":
        """The same store, each login acting as itself (once `capcli team init` ran as administrator())."""
        return TeamStore(self.schema, secured=True)

    def administrator(self) -> str:
        """The address of the store for its administrator (the tests' superuser)."""
        separator = "&" if "?" in ADMIN else "?"
        return f"{ADMIN}{separator}options={quote(f'-c search_path={self.schema}')}"

    def exists(self) -> bool:
        with admin() as conn:
            return conn.execute("SELECT to_regclass(%s)", (f"{self.schema}.capcli_meta",)).fetchone()[0] is not None

    def dump(self) -> list:
        """Every row of every table, as tests/conftest.py dump() gives for a file."""
        from psycopg import sql

        with admin() as conn:
            tables = [r[0] for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s ORDER BY table_name",
                (self.schema,))]
            return [(t, conn.execute(sql.SQL("SELECT * FROM {}.{} ORDER BY 1").format(
                sql.Identifier(self.schema), sql.Identifier(t))).fetchall()) for t in tables]

    def sql(self, statement: str, params=()) -> list:
        """Run SQL on the store as the superuser (to look at or damage it, as a test needs)."""
        with admin() as conn:
            conn.execute(f"SET search_path = {self.schema}")
            cursor = conn.execute(statement, params or None)
            return cursor.fetchall() if cursor.description else []


def test_store(request) -> TeamStore:
    """A new team store for one test: its schema, created by alice, with the tests' advisers known."""
    reason = server()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the team-store tests cannot run under CI: {reason}")
        pytest.skip(reason)
    name = "t_" + re.sub(r"\W", "_", request.node.name.lower())[:30] + "_" + uuid.uuid4().hex[:8]
    from psycopg import sql

    with admin() as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {} AUTHORIZATION {}").format(sql.Identifier(name), sql.Identifier(TEAM)))
    store = TeamStore(name)
    request.addfinalizer(lambda: _drop(name))
    for adviser in ADVISERS:
        ensure_login(adviser)
    from capcli.store.engine import open_store

    open_store(store, create=True).close()  # as alice: the tables belong to TEAM
    store.sql("INSERT INTO adviser (name, added_on, added_by) SELECT unnest(%s::text[]), '2026-11-01', 'alice'",
              (list(ADVISERS),))
    return store


def _drop(schema: str) -> None:
    from psycopg import sql

    with admin() as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
