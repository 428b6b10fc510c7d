"""Who may do what on a team store (`capcli team init`, issue 17): the database enforces it, for
capcli and for a colleague's psql alike. Two advisers (alice, bob) and a manager (manon), each
logging in as themself (never the tables' owner, never a superuser: RLS binds them)."""

import pytest

from tests.conftest import Cli, dump, sql

pytestmark = pytest.mark.team_only

DIAGNOSTIC = ("--situation", "Cariste", "--restriction", "pas de charges lourdes", "--disability-type", "moteur",
              "--health-opinion", "apte-avec-restrictions", "--impact", "fort")


@pytest.fixture
def team(store_path):
    """The store secured by its administrator, manon made manager by him, alice and bob advisers by her."""
    init = Cli(store_path).ok("team", "init", "--json", CAPCLI_DB=store_path.administrator()).json
    assert init["owner"] == "capcli_owner" and init["moved_from"] == "capcli_test_team"
    assert init["unknown_tables"] == []
    cli = Cli(store_path.as_secured())
    store_path.for_login("manon")  # the tests' login, with its password: `team add` grants it the role
    cli.ok("team", "add", "manon", "--role", "manager", CAPCLI_DB=store_path.administrator())
    cli.ok("team", "add", "alice", CAPCLI_ADVISER="manon")
    cli.ok("team", "add", "bob", "--role", "adviser", CAPCLI_ADVISER="manon")
    return cli


@pytest.fixture
def alices(team):
    """alice's open maintien with a diagnostic."""
    person = team.person()
    case = team.open("maintien", person, "--on", "2026-09-01")
    team.ok("advance", case, "--on", "2026-09-02")  # the diagnostic phase
    team.ok("diagnose", case, *DIAGNOSTIC)
    return case


def connect(team, login):
    import psycopg

    return psycopg.connect(team.store_path.for_login(login), autocommit=True)


def test_the_tables_belong_to_a_role_nobody_logs_in_as(team, store_path):
    owners = sql(store_path, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = current_schema()")
    assert owners == [("capcli_owner",)]
    forced = sql(store_path, "SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace "
                             "AND relkind = 'r' AND NOT (relrowsecurity AND relforcerowsecurity)")
    assert forced == []
    assert sql(store_path, "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'capcli_owner'") == [(False,)]
    with connect(team, "bob") as conn:
        assert conn.execute("SELECT session_user, current_user, "
                            "pg_has_role('capcli_owner', 'MEMBER'), pg_has_role('capcli_manager', 'MEMBER')"
                            ).fetchone() == ("bob", "bob", False, False)


def test_bob_reads_alices_case_but_not_her_diagnostic_through_capcli(team, alices):
    shown = team.ok("show", alices, "--json", CAPCLI_ADVISER="bob").json
    assert shown["adviser"] == "alice" and shown["diagnostic"] is None and shown["diagnostic_hidden"] == 1
    text = team.ok("show", alices, CAPCLI_ADVISER="bob").stdout
    assert "Diagnostic: 1 revision, not yours to read" in text
    assert "moteur" not in text and "Cariste" not in text
    assert team.show(alices)["diagnostic"]["disability_type"] == "moteur"  # alice reads hers
    assert "diagnostic_hidden" not in team.show(alices)
    manon = team.ok("show", alices, "--json", CAPCLI_ADVISER="manon").json
    assert manon["diagnostic"]["health_opinion"] == "apte-avec-restrictions"


def test_bob_reads_no_diagnostic_of_hers_through_a_raw_select(team, alices):
    with connect(team, "bob") as conn:
        assert conn.execute("SELECT COUNT(*) FROM diagnostic").fetchone() == (0,)
        assert conn.execute("SELECT * FROM diagnostic WHERE case_id = %s", (alices,)).fetchall() == []
        # the rest of the case is the agency's: continuity of service
        assert conn.execute("SELECT adviser FROM accompaniment WHERE id = %s", (alices,)).fetchone() == ("alice",)
        assert conn.execute("SELECT COUNT(*) FROM person").fetchone() == (1,)
    with connect(team, "alice") as conn:
        assert conn.execute("SELECT disability_type FROM diagnostic WHERE case_id = %s", (alices,)).fetchone() == (
            "moteur",)


def test_bob_cannot_change_her_case_through_capcli(team, alices, store_path):
    before = dump(store_path)
    line = team.refused("close", alices, "--outcome", "maintien-poste", CAPCLI_ADVISER="bob")
    assert line == (f"capcli: you may not change case {alices}: it is alice's (a manager may, or reassign it: "
                    "capcli reassign)")
    assert team.refused("diagnose", alices, "--impact", "faible", CAPCLI_ADVISER="bob") == line
    assert team.refused("advance", alices, CAPCLI_ADVISER="bob") == line
    assert dump(store_path) == before


def test_a_raw_update_or_insert_as_bob_on_her_case_is_refused_by_the_database(team, alices, store_path):
    import psycopg

    before = dump(store_path)
    with connect(team, "bob") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="case .* is alice's"):
            conn.execute("UPDATE accompaniment SET closed_on = '2026-11-22', outcome = 'maintien-poste' "
                         "WHERE id = %s", (alices,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="case .* is alice's"):
            conn.execute("UPDATE accompaniment SET adviser = 'bob' WHERE id = %s", (alices,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO diagnostic (case_id, on_date, author, situation) "
                         "VALUES (%s, '2026-11-22', 'bob', 'x')", (alices,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO event (case_id, on_date, recorded_at, author, action, detail) "
                         "VALUES (%s, '2026-11-22', '2026-11-22 10:00:00', 'bob', 'reassigned', 'bob -> bob')",
                         (alices,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # the journal is not rewritten
            conn.execute("UPDATE event SET author = 'bob'")
        for statement in ("ALTER TABLE diagnostic NO FORCE ROW LEVEL SECURITY", "DROP POLICY capcli_read ON diagnostic",
                          "DROP TABLE diagnostic", "ALTER TABLE accompaniment DISABLE TRIGGER capcli_guard"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    with connect(team, "alice") as conn:  # alice does not hand her case over, nor lift a policy
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only a manager reassigns"):
            conn.execute("UPDATE accompaniment SET adviser = 'bob' WHERE id = %s", (alices,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("ALTER TABLE diagnostic DISABLE ROW LEVEL SECURITY")
    assert dump(store_path) == before


def test_after_the_managers_reassign_bob_may_and_alice_still_reads_what_she_held(team, alices):
    assert team.refused("reassign", "--from", "alice", "--to", "bob", CAPCLI_ADVISER="bob") == (
        "capcli: only a manager may reassign a case (capcli reassign, case edit --adviser)")
    assert team.refused("reassign", "--from", "alice", "--to", "bob") == (
        "capcli: only a manager may reassign a case (capcli reassign, case edit --adviser)")
    assert team.refused("case", "edit", alices, "--adviser", "bob").startswith("capcli: only a manager may reassign")
    team.ok("reassign", "--from", "alice", "--to", "bob", CAPCLI_ADVISER="manon")
    bobs = team.ok("show", alices, "--json", CAPCLI_ADVISER="bob").json
    assert bobs["adviser"] == "bob" and bobs["diagnostic"]["disability_type"] == "moteur"
    # alice was its adviser: she still reads it, but no longer changes it
    assert team.show(alices)["diagnostic"]["impact"] == "fort"
    assert team.refused("close", alices, "--outcome", "maintien-poste").startswith(
        f"capcli: you may not change case {alices}: it is bob's")
    team.ok("close", alices, "--outcome", "maintien-poste", CAPCLI_ADVISER="bob")
    assert team.show(alices)["status"] == "closed"


def test_a_manager_changes_every_case(team, alices):
    team.ok("diagnose", alices, "--impact", "moyen", CAPCLI_ADVISER="manon")
    team.ok("close", alices, "--outcome", "maintien-poste", CAPCLI_ADVISER="manon")
    assert team.show(alices)["status"] == "closed"
    # a manager opens a case for an adviser; an adviser only for themself
    person = team.person("MARTIN", "Luc")
    assert team.refused("open", "acces-emploi", "--person", person, "--adviser", "bob") == (
        "capcli: you may open a case only for yourself: a manager opens one for bob")
    case = team.id("open", "acces-emploi", "--person", person, "--adviser", "bob", CAPCLI_ADVISER="manon")
    assert team.show(case)["adviser"] == "bob"


def test_settings_purge_and_team_add_are_a_managers(team, alices, store_path):
    before = dump(store_path)
    assert team.refused("settings", "retention_years", "3") == "capcli: only a manager may change the agency's settings"
    assert team.refused("team", "add", "zoe", CAPCLI_ADVISER="bob") == (
        "capcli: only a manager (or the database's administrator) may add a login: capcli team add")
    assert team.refused("adviser", "add", "zoe") == "capcli: only a manager may register an adviser: capcli team add"
    assert dump(store_path) == before
    team.ok("settings", "retention_years", "3", CAPCLI_ADVISER="manon")
    # purge: bob lists who is due (a read) but may not anonymise; the manager may
    team.today = "2020-01-10"
    old = team.id("open", "acces-emploi", "--person", team.person("MARTIN", "Luc"), CAPCLI_ADVISER="bob")
    team.ok("cancel", old, "--reason", "doublon", CAPCLI_ADVISER="bob")
    team.today = "2026-11-22"
    due = team.ok("purge", "--dry-run", "--json", CAPCLI_ADVISER="bob").json["due"]
    assert [p["last_name"] for p in due] == ["MARTIN"]
    assert team.refused("purge", "--yes", CAPCLI_ADVISER="bob") == (
        "capcli: only a manager may purge (anonymise people, rewrite the journal)")
    assert team.ok("purge", "--yes", "--json", CAPCLI_ADVISER="manon").json["anonymised"] == [due[0]["id"]]
    import psycopg

    with connect(team, "bob") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only a manager may: settings"):
            conn.execute("UPDATE setting SET value = '1'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only a manager may: purge"):
            conn.execute("UPDATE person SET anonymised_on = '2026-11-22'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT capcli_team_add('eve', true)")


def test_team_list_and_add(team):
    rows = {r["login"]: r for r in team.ok("team", "list", "--json").json}
    assert rows["manon"]["role"] == "manager" and rows["alice"]["role"] == "adviser"
    assert rows["bob"] == {"login": "bob", "role": "adviser", "open": 0, "registered": True}
    # an adviser registered without a role (tests/pg.py registers chloé) cannot read the store
    assert rows["chloé"]["role"] is None
    assert "none: cannot read the store" in team.ok("team", "list").stdout
    assert team.refused("team", "add", "bob", "--role", "chef", CAPCLI_ADVISER="manon") == (
        "capcli: --role is adviser or manager, not 'chef'")
    assert team.refused("team", "add", "capcli_owner", CAPCLI_ADVISER="manon").startswith(
        "capcli: capcli_owner is not an ordinary login")
    assert team.refused("team", "add", "manon", CAPCLI_ADVISER="manon").startswith("capcli: manon is a manager")
    # team init again: the same store, nothing lost
    Cli(team.store_path).ok("team", "init", CAPCLI_DB=team.store_path.administrator())
    assert {r["login"]: r["role"] for r in team.ok("team", "list", "--json").json}["bob"] == "adviser"


def test_an_adviser_cannot_run_team_init(team):
    assert team.refused("team", "init").startswith("capcli: 'capcli team init' is run by the database's administrator")


def test_team_commands_refuse_a_local_store(tmp_path):
    cli = Cli(tmp_path / "store.sqlite")
    cli.new_store()
    assert cli.refused("team", "list") == "capcli: roles are a team store's (--db postgresql://…): a local store has one user"


def test_the_access_log_gets_its_policies_once_it_exists(team, alices, store_path):
    """Issue 17 item 3 adds the table (schema step 6): `team init` (and the administrator's upgrade,
    which runs it on a secured store) gives it its rules: every adviser writes their own rows; a
    manager reads every row, an adviser theirs and those of the cases they hold or held."""
    import psycopg

    if not sql(store_path, "SELECT to_regclass('access_log')")[0][0]:
        sql(store_path, "CREATE TABLE access_log (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                        "recorded_at text NOT NULL, author text NOT NULL, action text NOT NULL, person_id bigint, "
                        "case_id bigint, detail text)")
    Cli(store_path).ok("team", "init", CAPCLI_DB=store_path.administrator())
    row = "INSERT INTO access_log (recorded_at, author, action, person_id, case_id) VALUES (%s, %s, 'show', 1, %s)"
    with connect(team, "bob") as conn:
        conn.execute(row, ("2026-11-22 10:00:00", "bob", alices))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(row, ("2026-11-22 10:00:00", "alice", alices))  # not in another's name
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only a manager may: purge"):
            conn.execute("DELETE FROM access_log")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE access_log SET author = 'alice'")
    with connect(team, "alice") as conn:
        conn.execute(row, ("2026-11-22 11:00:00", "alice", alices))
        assert conn.execute("SELECT author FROM access_log ORDER BY id").fetchall() == [("bob",), ("alice",)]
    with connect(team, "bob") as conn:  # bob never held alice's case: his own row only
        assert conn.execute("SELECT author FROM access_log ORDER BY id").fetchall() == [("bob",)]
    with connect(team, "manon") as conn:
        assert conn.execute("SELECT COUNT(*) FROM access_log").fetchone() == (2,)
        conn.execute("DELETE FROM access_log")


def test_team_init_creates_the_store_in_an_empty_schema(store_path, request):
    from tests import pg

    schema = store_path.schema + "_new"
    store_path.sql(f'CREATE SCHEMA "{schema}"')
    request.addfinalizer(lambda: store_path.sql(f'DROP SCHEMA "{schema}" CASCADE'))
    empty = pg.TeamStore(schema)
    done = Cli(empty).ok("team", "init", "--json", CAPCLI_DB=empty.administrator()).json
    assert done["schema"] == schema and done["owner"] == "capcli_owner" and "accompaniment" in done["tables"]
    assert sql(empty, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = current_schema()") == [
        ("capcli_owner",)]


def test_due_through_libpq_is_bobs_under_the_same_policies_as_psycopgs(team, alices):
    person = team.person("MARTIN", "Luc", "--boeth", "rqth", "--rqth-until", "2026-12-01")
    team.open("maintien", person, "--on", "2026-09-01")  # alice's, her RQTH ending: on alice's screen
    for argv in (["due"], ["due", "--all"], ["due", "--adviser", "alice"]):
        through_libpq, through_psycopg = team(*argv, CAPCLI_ADVISER="bob"), team(*argv, CAPCLI_ADVISER="bob",
                                                                                   CAPCLI_NO_LIBPQ="1")
        assert through_libpq.exit_code == 0 and (through_libpq.stdout, through_libpq.stderr) == (
            through_psycopg.stdout, through_psycopg.stderr), argv
    assert "MARTIN Luc" not in team.ok("due", CAPCLI_ADVISER="bob").stdout  # bob's: the login's, not alice's
    assert "MARTIN Luc" in team.ok("due", "--all", CAPCLI_ADVISER="bob").stdout


def test_an_adviser_imports_into_a_secured_store_with_its_indexes_and_keys_kept(team, store_path, tmp_path):
    from tests.test_import import cases_file, row

    definitions = ("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() UNION ALL "
                   "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE connamespace = current_schema()::regnamespace ORDER BY 1")
    before = sql(store_path, definitions)
    file = cases_file(tmp_path, row(case_ref="C1"), row(case_ref="C2", person_ref="P2", last_name="MARTIN"))
    assert "cases: 2 created" in team.ok("import", file).stdout  # alice, not the tables' owner
    assert sql(store_path, definitions) == before
    assert [c["adviser"] for c in team.ok("list", "--json").json] == ["alice", "alice"]


def test_due_as_a_login_outside_the_team_is_refused_in_one_line_by_both_paths(team, store_path):
    # "nobody" logs in but is neither adviser nor manager of the secured store: the schema is not theirs
    # to see (as psycopg's path has always said it)
    through_libpq = team.refused("due", CAPCLI_ADVISER="nobody")
    assert through_libpq == team.refused("due", CAPCLI_ADVISER="nobody", CAPCLI_NO_LIBPQ="1")
    assert through_libpq.startswith("capcli: no capcli store in postgresql://nobody@"), through_libpq
    store_path.sql(f'GRANT USAGE ON SCHEMA "{store_path.schema}" TO nobody')  # the schema, no table
    through_libpq = team.refused("due", CAPCLI_ADVISER="nobody")
    assert through_libpq == team.refused("due", CAPCLI_ADVISER="nobody", CAPCLI_NO_LIBPQ="1")
    assert through_libpq.startswith("capcli: the team store refused: permission denied"), through_libpq
