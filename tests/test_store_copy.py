"""`capcli store copy`: a local store into an empty team store, and a team store into a new file, all
or nothing, ids, journal and health data included (the team store: the real server of tests/pg.py)."""

import os
import shutil
import sqlite3
import stat
import uuid
from pathlib import Path

import pytest

from capcli.store import engine
from tests import pg
from tests.conftest import Cli, dump

pytestmark = pytest.mark.sqlite_only  # `cli` is the local store; the team stores are made here

V1 = Path(__file__).parent / "data" / "store_v1.sqlite"


@pytest.fixture
def empty_team(request) -> pg.TeamStore:
    """An empty schema (no capcli store yet) that alice may create tables in."""
    reason = pg.server()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the team-store tests cannot run under CI: {reason}")
        pytest.skip(reason)
    from psycopg import sql

    name = f"t_copy_{uuid.uuid4().hex[:12]}"
    with pg.admin() as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {} AUTHORIZATION {}").format(sql.Identifier(name), sql.Identifier(pg.TEAM)))
    request.addfinalizer(lambda: pg._drop(name))
    for login in ("alice", "bob", "bruno"):
        pg.ensure_login(login)
    return pg.TeamStore(name)


@pytest.fixture
def caseload(cli) -> Cli:
    """A local store with something in every table that matters: health data, journal, audit."""
    p = cli.person("DUPONT", "Marie", "--birth-date", "1980-05-04", "--boeth", "rqth", "--rqth-until", "2027-01-10")
    q = cli.person("LÉVÊQUE", "Chloé")
    e = cli.employer()
    m = cli.open("maintien", p, "--employer", str(e), "--consent")
    cli.ok("advance", str(m))
    cli.ok("diagnose", str(m), "--situation", "Cariste", "--restriction", "pas de charges",
           "--disability-type", "moteur", "--health-opinion", "apte")
    cli.ok("need", "add", str(m), "--category", "formation", "--description", "CACES")
    cli.ok("measure", "add", str(m), "pmsmp", "--from", "2026-11-23")
    [suivi] = cli.ok("close", str(m), "--outcome", "maintien-entreprise", "--json").json["opened"]
    v = suivi["id"]
    cli.ok("contact", "done", str(cli.show(v)["contacts"][0]["id"]))
    cli.ok("person", "rqth-renewal", str(p), "--filed", "2026-10-20")
    cli.ok("settings", "due_days", "10")
    closed = cli.open("acces-emploi", q)
    cli.ok("close", str(closed), "--outcome", "abandon")
    cli.ok("reassign", "--from", "alice", "--to", "bob", "--case", str(v))
    return cli


def _rows(tables: list) -> dict:
    return {t: [tuple(r) for r in rows] for t, rows in tables}


def test_a_local_store_goes_into_a_team_store_and_back_with_every_row_and_id(caseload, empty_team, tmp_path):
    before = dump(caseload.store_path)
    run = caseload.ok("store", "copy", "--to", empty_team)
    assert "Copied" in run.stdout and "accompaniment  3\n" in run.stdout and "event" in run.stdout
    team = _rows(empty_team.dump())
    assert team.pop("adviser") == [("alice", "2026-11-22", "alice"), ("bob", "2026-11-22", "alice")]
    assert team == _rows(before)  # the same rows, ids, journal and health data, value for value

    back = tmp_path / "offline.sqlite"
    copied = caseload.ok("--db", empty_team.for_login("bob"), "store", "copy", "--to", back, "--json").json
    assert copied["tables"]["accompaniment"] == 3 and copied["advisers"] is None
    assert dump(back) == before  # the round trip: the same store
    assert stat.S_IMODE(os.stat(back).st_mode) == 0o600
    assert Cli(back).ok("check").stdout == "store OK\n"
    assert caseload.ok("--db", back, "show", "1").stdout == caseload.ok("show", "1").stdout


def test_new_rows_in_the_copied_team_store_get_fresh_ids(caseload, empty_team):
    caseload.ok("store", "copy", "--to", empty_team)
    team = Cli(empty_team)
    last = dict(_rows(empty_team.dump()))
    person = team.person("MARTIN", "Luc")
    assert person == max(r[0] for r in last["person"]) + 1
    case = team.open("acces-emploi", person)
    assert case == max(r[0] for r in last["accompaniment"]) + 1
    events = empty_team.sql("SELECT id FROM event WHERE case_id = %s", (case,))
    assert min(r[0] for r in events) == max(r[0] for r in last["event"]) + 1
    assert team.ok("check").stdout == "store OK\n"


def test_the_advisers_are_registered_by_the_login_doing_the_copy(caseload, empty_team):
    caseload.ok("--db", caseload.store_path, "store", "copy", "--to", empty_team.for_login("bruno"))
    assert empty_team.sql("SELECT name, added_by FROM adviser ORDER BY name") == [("alice", "bruno"), ("bob", "bruno")]


def test_from_names_the_store_to_copy(caseload, empty_team, tmp_path):
    caseload.ok("store", "copy", "--to", empty_team)
    back = tmp_path / "mine.sqlite"
    caseload.ok("store", "copy", "--from", empty_team, "--to", back)
    assert dump(back) == dump(caseload.store_path)


def test_a_store_of_the_first_schema_is_upgraded_on_the_way(empty_team, tmp_path):
    old = tmp_path / "agency.sqlite"
    shutil.copyfile(V1, old)
    os.chmod(old, 0o600)
    people = sqlite3.connect(old).execute("SELECT id, last_name FROM person ORDER BY id").fetchall()
    run = Cli(old).ok("store", "copy", "--to", empty_team)
    assert "upgraded the store from schema 1" in run.stderr  # with its backup, as on any open
    assert empty_team.sql("SELECT value FROM capcli_meta WHERE key = 'schema_version'") == [
        (str(engine.LATEST_VERSION),)]
    assert empty_team.sql("SELECT id, last_name FROM person ORDER BY id") == people
    assert Cli(empty_team).ok("check").stdout == "store OK\n"


def test_a_team_store_that_holds_a_store_is_refused(caseload, request):
    team = pg.test_store(request)
    before = team.dump()
    message = caseload.refused("store", "copy", "--to", team)
    assert "already holds a capcli store" in message and "empty database or schema" in message
    assert team.dump() == before


def test_a_schema_that_holds_a_table_of_the_same_name_is_refused(caseload, empty_team):
    empty_team.sql("CREATE TABLE person (id int)")
    assert "already holds person" in caseload.refused("store", "copy", "--to", empty_team)
    assert [t for t, _rows in empty_team.dump()] == ["person"]


def test_a_failing_row_leaves_the_team_store_empty(caseload, empty_team):
    conn = sqlite3.connect(caseload.store_path)
    with conn:
        conn.execute("UPDATE contact SET due_on = '2026-02-30' WHERE id = (SELECT MAX(id) FROM contact)")
    conn.close()
    message = caseload.refused("store", "copy", "--to", empty_team)
    assert "failed at the table contact" in message and "nothing was written" in message
    assert empty_team.dump() == [] and not empty_team.exists()


@pytest.mark.parametrize("to", ["team", "file"])
def test_a_copy_interrupted_midway_leaves_nothing(caseload, empty_team, tmp_path, monkeypatch, to):
    from capcli.store import copy

    rows = copy._rows

    def interrupted(source, table):
        if table.name == "contact":
            raise KeyboardInterrupt  # Ctrl-C once the first tables are in
        return rows(source, table)

    monkeypatch.setattr(copy, "_rows", interrupted)
    folder = tmp_path / "out"
    folder.mkdir()
    target = empty_team if to == "team" else folder / "copy.sqlite"
    assert caseload.refused("store", "copy", "--to", target) == "capcli: cancelled: nothing was written"
    assert empty_team.dump() == []
    assert list(folder.iterdir()) == []  # no file, no temporary file


def test_a_local_copy_never_replaces_a_file_nor_follows_a_link(caseload, empty_team, tmp_path):
    caseload.ok("store", "copy", "--to", empty_team)
    team = Cli(empty_team)
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    assert "already exists" in team.refused("store", "copy", "--to", notes)
    assert notes.read_text() == "mine"
    assert "capcli never writes over one" in team.refused("store", "copy", "--to", caseload.store_path)
    link = tmp_path / "link.sqlite"
    link.symlink_to(tmp_path / "elsewhere.sqlite")
    assert "symbolic link" in team.refused("store", "copy", "--to", link)
    assert not (tmp_path / "elsewhere.sqlite").exists()
    assert "does not exist" in team.refused("store", "copy", "--to", tmp_path / "no" / "copy.sqlite")
    assert "NUL" in team.refused("store", "copy", "--to", "a\x00b")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_the_password_is_never_printed(caseload, empty_team, tmp_path):
    assert pg.PASSWORD in empty_team
    outputs = []
    for args in (["--to", empty_team], ["--to", empty_team, "--json"], ["--from", empty_team, "--to", tmp_path / "c"]):
        run = caseload("store", "copy", *args)
        outputs.append(run.stdout + run.stderr)
    wrong = empty_team.replace(pg.PASSWORD, "not-" + pg.PASSWORD + "-either")
    outputs.append(caseload.refused("store", "copy", "--to", wrong))
    assert "not-" not in outputs[-1] and "alice@localhost" in outputs[-1]
    assert all(pg.PASSWORD not in text for text in outputs), outputs


def test_missing_or_empty_arguments_are_refused(caseload, tmp_path):
    run = caseload("store", "copy")
    assert run.exit_code == 2 and "missing --to" in run.stderr
    assert "no store at" in caseload.refused("store", "copy", "--from", tmp_path / "none.sqlite", "--to",
                                             tmp_path / "c.sqlite")
    assert not (tmp_path / "c.sqlite").exists()
