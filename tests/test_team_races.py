"""Concurrent advisers (issue 16, item 3): the rules hold under writers racing, by the rule, not by luck.

Each race starts several processes of ``python -m capcli`` (one per adviser, each logged in as
themself on the team store) behind a barrier: every process has imported capcli and waits on its
stdin; the test closes every stdin at once and they all run the same write. Exactly one wins, the
others get the rule's one line, and the store holds what the rule allows, round after round, on
both engines (tests/conftest.py). Every capcli write transaction takes the store's writers' lock
first (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock, capcli/store/pg.py), so the check
then write of a use case sees every write committed before it and none meanwhile.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass

import pytest

from tests.conftest import TODAY, dump
from tests.test_import import cases_file, row

ADVISERS = ("alice", "bob", "bruno", "chloé")  # one process each: known advisers of the tests' team stores
ROUNDS = 4

# A process of `python -m capcli ARGS...`, held before it runs: imports done, it says so by creating
# the file named first, then waits for the end of its stdin (the barrier).
HELD = r"""
import os, runpy, sys
ready = sys.argv[1]
import capcli.app, capcli.store.engine, capcli.services.cases  # noqa: F401 (the start-up, before the barrier)
if os.environ["CAPCLI_DB"].startswith("postgresql://"):
    import capcli.store.pg  # noqa: F401
open(ready, "w").close()
sys.stdin.read()
sys.argv = ["capcli", *sys.argv[2:]]
runpy.run_module("capcli", run_name="__main__", alter_sys=True)
"""


@dataclass
class Outcome:
    adviser: str
    code: int
    stdout: str
    stderr: str


def address(store_path, adviser: str) -> str:
    return store_path.for_login(adviser) if hasattr(store_path, "for_login") else str(store_path)


def race(store_path, tmp_path, *commands: tuple[str, list[str]], env: dict | None = None) -> list[Outcome]:
    """Run each (adviser, argv) as its own process, all released at once; their outcomes."""
    gate = tmp_path / f"gate-{time.monotonic_ns()}"
    gate.mkdir()
    procs = []
    try:
        for i, (adviser, argv) in enumerate(commands):
            environ = {**os.environ, "CAPCLI_DB": address(store_path, adviser), "CAPCLI_TODAY": TODAY,
                       "CAPCLI_ADVISER": adviser, "CAPCLI_LANG": "en", "NO_COLOR": "1", "CAPCLI_DEBUG": "1",
                       **(env or {})}
            procs.append(subprocess.Popen(
                [sys.executable, "-c", HELD, str(gate / str(i)), *map(str, argv)], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environ, text=True))
        deadline = time.monotonic() + 30
        while not all((gate / str(i)).exists() for i in range(len(procs))):
            assert all(p.poll() is None for p in procs), "a process ended before the barrier"
            assert time.monotonic() < deadline, "the processes did not reach the barrier"
            time.sleep(0.01)
        for p in procs:  # the barrier: every process is waiting on its stdin
            p.stdin.close()
        for p in procs:
            p.stdin = None  # (closed: communicate() has nothing to send)
        outcomes = []
        for (adviser, _argv), p in zip(commands, procs):
            out, err = p.communicate(timeout=60)
            outcomes.append(Outcome(adviser, p.returncode, out, err))
        return outcomes
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()


def one_winner(outcomes: list[Outcome], refusal) -> Outcome:
    """Exactly one process wrote; every other one exited 1 with one line, the rule's refusal
    (``refusal(line)`` true), never a traceback nor a busy store."""
    winners = [o for o in outcomes if o.code == 0]
    assert len(winners) == 1, [(o.adviser, o.code, o.stderr) for o in outcomes]
    for o in outcomes:
        assert "Traceback" not in o.stderr and "internal error" not in o.stderr, o.stderr
        if o is winners[0]:
            continue
        lines = o.stderr.strip().splitlines()
        assert o.code == 1 and len(lines) == 1, (o.code, o.stderr)
        assert refusal(lines[0]), lines[0]
    return winners[0]


def everyone(*argv) -> list[tuple[str, list[str]]]:
    return [(adviser, list(argv)) for adviser in ADVISERS]


def author(cli, case_id: int, action: str) -> list[str]:
    """Who journaled ``action`` on the case: the login on a team store, CAPCLI_ADVISER on a file (the
    same name here: each process is one adviser)."""
    return [e["author"] for e in cli.show(case_id)["events"] if e["action"] == action]


# --- the races --------------------------------------------------------------------------


def test_two_advisers_closing_the_same_case_one_wins_and_the_rule_opens_its_follow_on_once(cli, store_path,
                                                                                          tmp_path):
    for _round in range(ROUNDS):
        person = cli.person()
        maintien = cli.open("maintien", person, "--on", "2026-06-01")
        outcomes = race(store_path, tmp_path, *everyone("close", maintien, "--outcome", "maintien-poste"))
        winner = one_winner(outcomes, lambda line: line.startswith(
            f"capcli: case {maintien} (maintien) is already closed (maintien-poste, ") and line.endswith(
            "): a case is closed once"))
        shown = cli.show(maintien)
        assert shown["status"] == "closed" and author(cli, maintien, "closed") == [winner.adviser]
        follow_ons = [c for c in cli.ok("list", "--all", "--json").json if c["follows"] == maintien]
        assert [c["kind"] for c in follow_ons] == ["suivi-conventionnel"]  # rule 4, once
        assert len(cli.show(follow_ons[0]["id"])["contacts"]) == 1
    assert cli.ok("check").stdout == "store OK\n"


def veille(cli) -> tuple[int, list[int]]:
    """A veille opened on 04/05/2026 with its 3 contacts (rule 7)."""
    person = cli.person("MARTIN", "Luc")
    mee = cli.open("maintien-en-emploi", person, "--on", "2026-01-10")
    closed = cli.ok("close", str(mee), "--outcome", "reconversion", "--a-risque", "--on", "2026-05-04",
                    "--json").json
    [opened] = closed["opened"]
    return opened["id"], [c["id"] for c in opened["contacts"]]


def test_a_veille_gets_its_fourth_contact_once_whoever_adds_it(cli, store_path, tmp_path):
    for _round in range(ROUNDS):
        case_id, _contacts = veille(cli)
        outcomes = race(store_path, tmp_path, *everyone("contact", "add", case_id, "--on", "2027-06-01"))
        one_winner(outcomes, lambda line: line == (
            f"capcli: case {case_id} (veille) already has 4 contacts: a veille has 4 at most"))
        contacts = cli.show(case_id)["contacts"]
        assert [c["number"] for c in contacts] == [1, 2, 3, 4]
    assert cli.ok("check").stdout == "store OK\n"


def suivi(cli) -> tuple[int, int]:
    """A suivi-conventionnel opened by rule 4 on 20/08/2026: (case, its one contact)."""
    person = cli.person()
    maintien = cli.open("maintien", person, "--on", "2026-06-01")
    [opened] = cli.ok("close", str(maintien), "--outcome", "maintien-poste", "--on", "2026-08-20",
                      "--json").json["opened"]
    return opened["id"], opened["contacts"][0]["id"]


def test_a_suivi_is_renewed_once_whoever_renews_it(cli, store_path, tmp_path):
    for _round in range(ROUNDS):
        case_id, contact_id = suivi(cli)
        cli.ok("contact", "done", str(contact_id), "--on", "2026-11-20")
        outcomes = race(store_path, tmp_path, *everyone("renew", case_id))
        winner = one_winner(outcomes, lambda line: line == (
            f"capcli: case {case_id} (suivi-conventionnel) was renewed already: a suivi-conventionnel is "
            "renewed once"))
        assert [c["number"] for c in cli.show(case_id)["contacts"]] == [1, 2]
        assert author(cli, case_id, "renewed") == [winner.adviser]
    assert cli.ok("check").stdout == "store OK\n"


def test_a_contact_is_done_once_and_its_maintien_reopened_once(cli, store_path, tmp_path):
    for _round in range(ROUNDS):
        case_id, contact_id = suivi(cli)
        outcomes = race(store_path, tmp_path, *everyone("contact", "done", contact_id, "--risk", "--reopen"))
        winner = one_winner(outcomes, lambda line: line.startswith(
            f"capcli: contact {contact_id} of case {case_id} (suivi-conventionnel) was done already on 22/11/2026: "
            "a contact is done once"))
        assert author(cli, case_id, "contact-done") == [winner.adviser]
        reopened = [c for c in cli.ok("list", "--all", "--json").json if c["follows"] == case_id]
        assert [c["kind"] for c in reopened] == ["maintien"]  # rule 8, once
    assert cli.ok("check").stdout == "store OK\n"


NAMES = ("DUPONT", "MARTIN", "BERNARD", "PETIT", "ROBERT", "RICHARD")


def test_the_same_external_ids_imported_at_once_make_one_person_and_one_case(cli, store_path, tmp_path, backend,
                                                                             request):
    for n in range(ROUNDS):
        person_ref, case_ref = f"P{n}", f"C{n}"
        files = []
        for i, _adviser in enumerate(ADVISERS):  # each file: the shared case, and a case of its own
            folder = tmp_path / f"r{n}-{i}"
            folder.mkdir()
            person = dict(person_ref=person_ref, last_name=NAMES[n % len(NAMES)])
            files.append(cases_file(folder, row(case_ref=case_ref, **person),
                                    row(case_ref=f"{case_ref}-{i}", kind="acces-emploi", phase="projet", **person)))
        outcomes = race(store_path, tmp_path, *[(a, ["import", f, "--json"]) for a, f in zip(ADVISERS, files)])
        for o in outcomes:
            assert o.code == 0 and "Traceback" not in o.stderr, (o.adviser, o.stderr)
        created = [json.loads(o.stdout)["counts"] for o in outcomes]
        assert sorted(c["persons"]["created"] for c in created) == [0] * (len(ADVISERS) - 1) + [1]
        assert all(c["cases"]["created"] + c["cases"]["unchanged"] == 2 for c in created)
        assert sum(c["cases"]["created"] for c in created) == 1 + len(ADVISERS)
        persons = [p for p in cli.ok("person", "list", "--json").json if p["external_id"] == person_ref]
        assert len(persons) == 1
        cases = [c for c in cli.ok("list", "--all", "--json").json if c["person"]["id"] == persons[0]["id"]]
        assert sorted(c["external_id"] for c in cases) == sorted(
            [case_ref] + [f"{case_ref}-{i}" for i in range(len(ADVISERS))])
    assert cli.ok("check").stdout == "store OK\n"


# --- the writers' lock ------------------------------------------------------------------


class Holder:
    """Another writer holding the store's writers' lock (as a capcli in the middle of a write):
    SQLite's BEGIN IMMEDIATE, or the team store's advisory lock taken from psql."""

    def __init__(self, store_path):
        self.store_path = store_path

    def __enter__(self):
        if hasattr(self.store_path, "schema"):
            from psycopg import sql

            from capcli.store.pg import STORE_KEY, WRITE_LOCK
            from tests import pg

            self.conn = pg.admin()
            self.conn.execute(sql.SQL("SET search_path = {}").format(sql.Identifier(self.store_path.schema)))
            self.conn.execute(f"SELECT pg_advisory_lock({WRITE_LOCK}, {STORE_KEY})")
        else:
            import sqlite3

            self.conn = sqlite3.connect(self.store_path, isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *exc):
        if hasattr(self.store_path, "schema"):
            self.conn.execute("SELECT pg_advisory_unlock_all()")
        else:
            self.conn.execute("ROLLBACK")
        self.conn.close()


def test_a_writer_kept_waiting_longer_than_the_busy_timeout_gives_up_cleanly(cli, store_path):
    person = cli.person()
    case_id = cli.open("maintien", person)
    before = dump(store_path)
    from capcli.store.pg import display

    path = display(address(store_path, "alice"))  # a team store's address is shown without its password
    with Holder(store_path):
        for argv in (("person", "add", "--last-name", "X", "--first-name", "Y"),
                     ("close", str(case_id), "--outcome", "sans-suite"), ("advance", str(case_id))):
            assert cli.refused(*argv, CAPCLI_BUSY_TIMEOUT_MS="50") == (
                f"capcli: the store {path} is busy (another capcli is writing to it): try again in a moment")
        # readers do not wait for a writer
        assert cli.ok("show", str(case_id), "--json", CAPCLI_BUSY_TIMEOUT_MS="50").json["status"] == "open"
    assert dump(store_path) == before
    cli.ok("close", str(case_id), "--outcome", "sans-suite", CAPCLI_BUSY_TIMEOUT_MS="50")  # the lock is free again


def test_the_writers_lock_is_the_stores_a_store_beside_it_writes_meanwhile(cli, store_path, tmp_path, request):
    """Two stores (two files; two schemas of one database) do not wait for each other's writers."""
    if hasattr(store_path, "schema"):
        from tests import pg

        other = pg.test_store(request)
    else:
        other = tmp_path / "other.sqlite"
    cli.person()
    with Holder(store_path):
        cli.ok("--db", address(other, "alice"), "person", "add", "--last-name", "OTHER", "--first-name", "Store",
               CAPCLI_BUSY_TIMEOUT_MS="50")


# --- whatever the server's default isolation -----------------------------------------


class Isolated(str):
    """A team store whose logins have another default isolation level (as an agency's DBA may set with
    ALTER DATABASE … SET default_transaction_isolation): capcli's writes must not depend on it."""

    def __new__(cls, store, level: str):
        self = super().__new__(cls, store)
        self.store, self.level = store, level
        return self

    def for_login(self, name: str) -> str:
        from urllib.parse import quote

        return self.store.for_login(name) + quote(" -c default_transaction_isolation=" + self.level.replace(" ", "\\ "))


@pytest.mark.parametrize("level", ["repeatable read", "serializable"])
def test_the_rules_hold_whatever_the_default_isolation_of_the_team_store(request, tmp_path, level):
    from tests import pg
    from tests.conftest import Cli

    store = Isolated(pg.test_store(request), level)
    cli = Cli(store)
    import psycopg

    with psycopg.connect(store.for_login("bob")) as conn:  # the logins' connections do have that default
        assert conn.execute("SHOW default_transaction_isolation").fetchone()[0] == level
    for _round in range(2):
        case_id, contact_id = suivi(cli)
        cli.ok("contact", "done", str(contact_id), "--on", "2026-11-20")
        one_winner(race(store, tmp_path, *everyone("renew", case_id)),
                   lambda line: line.endswith("was renewed already: a suivi-conventionnel is renewed once"))
        assert [c["number"] for c in cli.show(case_id)["contacts"]] == [1, 2]
        one_winner(race(store, tmp_path, *everyone("close", case_id, "--outcome", "a-risque", "--force")),
                   lambda line: "is already closed (a-risque, " in line)
        assert [c["kind"] for c in cli.ok("list", "--all", "--json").json if c["follows"] == case_id] == ["veille"]


# --- what the database refuses itself (a script or psql writing without capcli) --------------


def raw_sql(store_path, statement: str) -> None:
    if hasattr(store_path, "sql"):
        store_path.sql(statement)
    else:
        import sqlite3

        with sqlite3.connect(store_path) as conn:
            conn.execute(statement)


def test_the_database_refuses_an_external_id_twice_whoever_writes_it(cli, store_path):
    person = cli.person()
    cli.open("maintien", person)
    raw_sql(store_path, "UPDATE person SET external_id = 'P1' WHERE id = 1")
    raw_sql(store_path, "UPDATE accompaniment SET external_id = 'C1' WHERE id = 1")
    before = dump(store_path)
    for statement in (
        "INSERT INTO person (external_id, last_name, first_name, created_on) VALUES ('P1', 'X', 'Y', '2026-11-22')",
        "INSERT INTO accompaniment (external_id, person_id, kind, adviser, opened_on, phase) "
        "VALUES ('C1', 1, 'maintien', 'alice', '2026-11-22', 'signalement')",
    ):
        with pytest.raises(Exception, match="(?i)unique"):
            raw_sql(store_path, statement)
    assert dump(store_path) == before


def test_the_lock_is_the_stores_whichever_search_path_reaches_it(request, tmp_path):
    """bob reaches the store through a search_path whose first schema is another (his own, empty, as
    with PostgreSQL's default "$user", public): he still waits for alice's write."""
    from urllib.parse import quote

    from psycopg import sql

    from tests import pg

    store = pg.test_store(request)
    own = store.schema + "_bob"
    with pg.admin() as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {} AUTHORIZATION {}").format(sql.Identifier(own), sql.Identifier(pg.TEAM)))
    request.addfinalizer(lambda: pg._drop(own))

    class Detour(str):
        def for_login(self, name: str) -> str:
            if name != "bob":
                return store.for_login(name)
            return store.for_login(name).replace(quote(f"search_path={store.schema}"),
                                                 quote(f"search_path={own},{store.schema}"))

    detour = Detour(store)
    assert own in detour.for_login("bob")
    from tests.conftest import Cli

    cli = Cli(detour)
    for _round in range(ROUNDS):
        maintien = cli.open("maintien", cli.person(), "--on", "2026-06-01")
        one_winner(race(detour, tmp_path, ("alice", ["close", maintien, "--outcome", "echec"]),
                        ("bob", ["close", maintien, "--outcome", "echec"])),
                   lambda line: "is already closed (echec, " in line)
        follow_ons = [c for c in cli.ok("list", "--all", "--json").json if c["follows"] == maintien]
        assert [c["kind"] for c in follow_ons] == ["maintien-en-emploi"]  # rule 6, once
