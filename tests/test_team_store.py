"""The team store's address: chosen by its scheme, never printed with its password, refused in one
line when the server or the store is not there."""

import pytest

from tests import pg


def test_a_password_in_the_address_is_never_printed(cli):
    for address in ("postgresql://alice:s3cr3t@127.0.0.1:1/capcli", "postgres://alice:s3cr3t@127.0.0.1:1/capcli",
                    "postgresql://127.0.0.1:1/capcli?user=alice&password=s3cr3t"):
        line = cli.refused("--db", address, "list")
        assert line.startswith("capcli: cannot connect to the team store postgresql") or line.startswith(
            "capcli: cannot connect to the team store postgres://")
        assert "s3cr3t" not in line, line


def test_the_password_is_dropped_from_what_messages_show():
    from capcli.store.pg import display

    assert display("postgresql://alice:s3cr3t@host:5432/db?sslmode=require") == "postgresql://alice@host:5432/db?sslmode=require"
    assert display("postgresql://host/db?password=s3cr3t&sslmode=require") == "postgresql://host/db?sslmode=require"
    assert display("postgresql://host/db?sslmode=require&password=s3cr3t") == "postgresql://host/db?sslmode=require"
    assert display("postgresql:///capcli") == "postgresql:///capcli"


def test_only_a_postgresql_address_is_a_team_store(cli, tmp_path):
    from capcli.store import is_team_address

    assert is_team_address("postgresql:///capcli") and is_team_address("postgres://h/db")
    assert not is_team_address(str(tmp_path / "postgresql.sqlite")) and not is_team_address("pg:///x")


@pytest.mark.team_only
def test_a_database_without_a_store_is_refused_by_readers_and_created_by_the_first_write(cli, store_path, request):
    # a schema of its own, empty: not the fixture's (which holds a store)
    empty = pg.TeamStore("t_empty_" + store_path.schema[-8:])
    with pg.admin() as conn:
        conn.execute(f'CREATE SCHEMA "{empty.schema}" AUTHORIZATION {pg.TEAM}')
    request.addfinalizer(lambda: pg._drop(empty.schema))
    line = cli.refused("--db", empty, "list")
    assert line.startswith("capcli: no capcli store in postgresql://alice@localhost") and "capcli-test" not in line
    assert line.endswith("yet: check --db or CAPCLI_DB; 'capcli person add' (or 'capcli store copy --to') creates it")
    assert not empty.exists()
    cli.ok("--db", empty, "person", "add", "--last-name", "A", "--first-name", "B")
    assert empty.exists()
    assert cli.ok("--db", empty, "person", "list", "--json").json[0]["last_name"] == "A"


@pytest.mark.team_only
def test_dates_and_flags_are_checked_by_the_database_itself(cli, store_path):
    import psycopg

    cli.person()
    with pytest.raises((psycopg.errors.CheckViolation, psycopg.errors.DataError)):  # no 30 February
        store_path.sql("UPDATE person SET birth_date = '2026-02-30'")
    with pytest.raises(psycopg.errors.CheckViolation):
        store_path.sql("UPDATE person SET birth_date = '30/02/2026'")
    with pytest.raises(psycopg.errors.CheckViolation):
        store_path.sql("UPDATE person SET rqth_definitive = 2")
    assert cli.ok("check").exit_code == 0


@pytest.mark.team_only
def test_the_installed_script_runs_due_on_a_team_store_by_its_fast_path(cli, store_path):
    import os
    import subprocess
    import sys

    person = cli.person()
    cli.open("maintien", person)
    env = {**os.environ, "CAPCLI_TODAY": "2026-11-22", "CAPCLI_LANG": "en"}
    env.pop("CAPCLI_DB", None)
    for argv in (["--db", store_path, "due", "--json"], [f"--db={store_path}", "due", "--json"]):
        done = subprocess.run([sys.executable, "-c", "import sys; from capcli.entry import main; sys.argv = ['capcli', "
                               "*sys.argv[1:]]; main()", *argv], capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("[")
