"""Fixtures: every test drives the real `capcli` entry point on a temporary store.

``cli(...)`` invokes the Typer app with a fixed CAPCLI_TODAY and adviser; ``store_path`` is
the store file; ``today`` can be changed between calls to walk through time.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capcli import env as env_module
from capcli import i18n

# Tests read English unless they ask for French (CAPCLI_LANG=fr), whatever the developer's
# locale: help texts are translated when the commands are imported, messages at each call.
_ambient_language = os.environ.get("CAPCLI_LANG")
os.environ["CAPCLI_LANG"] = "en"
i18n.reset()
from capcli.app import app  # noqa: E402

if _ambient_language is None:
    del os.environ["CAPCLI_LANG"]
else:
    os.environ["CAPCLI_LANG"] = _ambient_language

TODAY = "2026-11-22"
SIRET_A = "73282932000009"
SIRET_B = "55208131700018"
SIRET_PUBLIC = "44306184100005"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def json(self):
        return json.loads(self.stdout)


class Cli:
    def __init__(self, store_path: Path):
        self.store_path = store_path
        self.today = TODAY
        self.adviser = "alice"
        self.extra_env: dict[str, str] = {}

    def __call__(self, *args: str, input: str | None = None, **env) -> Run:
        store = self.store_path
        if hasattr(store, "for_login"):  # a team store: each adviser logs in as themself
            store = store.for_login(env.get("CAPCLI_ADVISER", self.extra_env.get("CAPCLI_ADVISER", self.adviser)))
        environ = {
            "CAPCLI_DB": str(store),
            "CAPCLI_TODAY": self.today,
            "CAPCLI_ADVISER": self.adviser,
            "CAPCLI_LANG": "en",
            "NO_COLOR": "1",
            "CAPCLI_DEBUG": "1",  # a bug raises here instead of becoming an "internal error" line
            **self.extra_env,
            **env,
        }
        result = CliRunner().invoke(app, [str(a) for a in args], env=environ, input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str, **env) -> Run:
        run = self(*args, **env)
        assert run.exit_code == 0, f"capcli {' '.join(map(str, args))} failed: {run.stderr}"
        return run

    def id(self, *args: str, **env) -> int:
        """Run a command that prints a new id and return it."""
        return int(self.ok(*args, **env).stdout.split()[0])

    def refused(self, *args: str, **env) -> str:
        """Run a command that must be refused: exit 1, one line on stderr, no traceback."""
        run = self(*args, **env)
        assert run.exit_code == 1, f"expected exit 1, got {run.exit_code}: {run.stdout}{run.stderr}"
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1, run.stderr
        assert "Traceback" not in run.stderr and "internal error" not in run.stderr
        return lines[0]

    def new_store(self) -> None:
        """An empty store, as the first `person add` (or any command that writes) creates it:
        reading commands refuse a path where no store exists."""
        from capcli.store.engine import open_store

        open_store(self.store_path, create=True).close()

    def knows(self, *names: str) -> None:
        """A team store knows these advisers (as `capcli adviser add` registers them); a local store
        takes any name already."""
        if hasattr(self.store_path, "sql"):
            for name in names:
                sql(self.store_path, "INSERT INTO adviser (name, added_on, added_by) VALUES (?, ?, ?)",
                    (name, TODAY, "alice"))

    # Shortcuts for building a caseload.
    def person(self, last="DUPONT", first="Marie", *extra: str) -> int:
        return self.id("person", "add", "--last-name", last, "--first-name", first, *extra)

    def employer(self, siret=SIRET_A, name="Ateliers du Lez", sector="prive") -> int:
        return self.id("employer", "add", "--siret", siret, "--name", name, "--sector", sector)

    def open(self, kind: str, person: int, *extra: str) -> int:
        return self.id("open", kind, "--person", str(person), *extra)

    def show(self, case: int) -> dict:
        return self.ok("show", str(case), "--json").json


@pytest.fixture(autouse=True)
def _fresh_language(monkeypatch):
    monkeypatch.setenv("CAPCLI_LANG", "en")
    i18n.reset()
    yield
    i18n.reset()
    env_module.inject(None)


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: a test of the SQLite file itself (not run on the team store)")
    config.addinivalue_line("markers", "team_only: a rule of the team store (PostgreSQL) alone")


def pytest_generate_tests(metafunc):
    """Every test of a store runs on both engines: a local SQLite file and a team store on the real
    PostgreSQL server of tests/pg.py (unless it is marked sqlite_only: a test of the file itself)."""
    if "backend" in metafunc.fixturenames:
        engines = ["sqlite", "postgresql"]
        if metafunc.definition.get_closest_marker("sqlite_only") or _opens_the_file(metafunc.function):
            engines = ["sqlite"]
        elif metafunc.definition.get_closest_marker("team_only"):
            engines = ["postgresql"]
        metafunc.parametrize("backend", engines)


def _opens_the_file(test) -> bool:
    """A test that opens the store with sqlite3 (or reads its -wal, its mode) tests the file itself."""
    import inspect

    try:
        source = inspect.getsource(test)
    except (OSError, TypeError):
        return False
    return any(mark in source for mark in ("sqlite3.", "sqlite_master", "_indexes(", "os.stat(store_path",
                                            "store_path.exists", "store_path.with_", "store_path.parent"))


@pytest.fixture
def store_path(tmp_path, backend, request) -> Path:
    if backend == "sqlite":
        return tmp_path / "store.sqlite"
    from tests import pg

    return pg.test_store(request)


@pytest.fixture
def cli(store_path) -> Cli:
    return Cli(store_path)


def sql(store_path, statement: str, params=()) -> list:
    """Run SQL (``?`` marks) on the store behind capcli's back, as a test needs to look at or damage
    it: with sqlite3 on a file, as the superuser on a team store. The rows, as tuples."""
    import sqlite3

    if hasattr(store_path, "sql"):  # a team store (tests/pg.py)
        from capcli.store.pg import translate

        return [tuple(r) for r in store_path.sql(translate(statement, marks=bool(params)), tuple(params))]
    conn = sqlite3.connect(store_path)
    try:
        with conn:
            return conn.execute(statement, params).fetchall()
    finally:
        conn.close()


def dump(store_path: Path) -> list:
    """Every row of every table: to show that a refused command changed nothing."""
    import sqlite3

    if hasattr(store_path, "dump"):  # a team store (tests/pg.py)
        return store_path.dump()
    if not store_path.exists():
        return []
    conn = sqlite3.connect(store_path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return [(t, conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()) for t in tables]
    finally:
        conn.close()
