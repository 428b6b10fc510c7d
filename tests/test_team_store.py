"""The team store's address: chosen by its scheme, never printed with its password, refused in one
line when the server or the store is not there."""

import re

import pytest

from capcli.store.libpq import display
from tests import pg
from tests.test_due import caseload  # noqa: F401 (the fixture)


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


# --- `capcli due` through libpq (capcli/store/libpq.py), without psycopg's start-up -------------


@pytest.mark.team_only
def test_due_reads_the_team_store_through_libpq_as_psycopg_would(cli, caseload, monkeypatch):
    from capcli.store import libpq

    real, opened = libpq.open_read_store, []

    def spy(*args, **kwargs):
        opened.append(real(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(libpq, "open_read_store", spy)
    for argv in (["due"], ["due", "--json"], ["due", "--all"], ["due", "--adviser", "bob", "--csv"],
                 ["due", "--days", "30", "--json"], ["due", "--ics", "-"], ["due", "--adviser", "nobody"]):
        through_libpq, through_psycopg = cli(*argv), cli(*argv, CAPCLI_NO_LIBPQ="1")
        assert [type(store).__name__ for store in opened] == ["ReadStore", "NoneType"], argv
        opened.clear()
        assert through_libpq.exit_code == 0 and through_libpq.stderr == "", argv
        assert [line for line in through_libpq.stdout.splitlines() if not line.startswith("DTSTAMP")] == [
            line for line in through_psycopg.stdout.splitlines() if not line.startswith("DTSTAMP")], argv
        assert (through_libpq.exit_code, through_libpq.stderr) == (through_psycopg.exit_code, through_psycopg.stderr)
    assert "DUPONT" in cli.ok("due").stdout
    # "you" is the database login, not CAPCLI_ADVISER: alice's address, bob's name
    mine = cli.ok("due", "--json", CAPCLI_ADVISER="bob", CAPCLI_DB=str(cli.store_path)).json
    assert mine == cli.ok("due", "--json").json and {c["adviser"] for c in mine} == {"alice"}


@pytest.mark.team_only
def test_due_through_libpq_refuses_in_one_line_a_wrong_password_no_server_or_no_database(cli, store_path, request):
    good = store_path.for_login("alice")
    empty = pg.TeamStore("t_empty_" + store_path.schema[-8:])
    with pg.admin() as conn:
        conn.execute(f'CREATE SCHEMA "{empty.schema}" AUTHORIZATION {pg.TEAM}')
    request.addfinalizer(lambda: pg._drop(empty.schema))
    cases = {
        good.replace(f":{pg.PASSWORD}@", ":not-the-password@"): "password authentication failed",
        "postgresql://alice:s3cr3t@127.0.0.1:1/capcli": "Connection refused",
        re.sub(r"(@[^/]*/)[^?]*", r"\1no_such_database", good, count=1): 'database "no_such_database" does not exist',
        "postgresql:///capcli?sslmode=bogus": 'invalid sslmode value: "bogus"',
    }
    for address, why in cases.items():
        prefix = f"capcli: cannot connect to the team store {display(address)}: "
        line = cli.refused("--db", address, "due")
        assert line.startswith(prefix) and why in line, line
        assert "s3cr3t" not in line and "not-the-password" not in line, line
        assert cli.refused("--db", address, "due", CAPCLI_NO_LIBPQ="1").startswith(prefix)  # psycopg's path
    # a database without a store, and a store to upgrade, are psycopg's path's to say or to do
    assert cli.refused("--db", empty, "due") == cli.refused("--db", empty, "list")
    assert "no capcli store in postgresql://alice@localhost" in cli.refused("--db", empty, "due")


@pytest.mark.team_only
def test_the_installed_script_runs_due_on_a_team_store_without_importing_psycopg(cli, store_path):
    import os
    import subprocess
    import sys

    cli.open("maintien", cli.person())
    probe = ("import sys\nsys.argv = ['capcli', 'due', '--json']\nfrom capcli.entry import main\n"
             "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
             "print('LOADED=' + ','.join(sorted({m.split('.')[0] for m in sys.modules} & {'psycopg', 'psycopg_binary', "
             "'typer', 'sqlmodel'})), file=sys.stderr)\n")
    env = {**os.environ, "CAPCLI_DB": store_path.for_login("alice"), "CAPCLI_TODAY": "2026-11-22", "CAPCLI_LANG": "en"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[]\n"
    assert done.stderr.splitlines()[-1] == "LOADED="


def test_libpq_gets_numbered_marks_and_single_percent_signs():
    from capcli.store.libpq import translate

    statement = "SELECT x FROM t CROSS JOIN u ON u.id = t.id WHERE a = ? AND b LIKE '%?%' AND c = ? AND d % 2 = 0"
    assert translate(statement, True, True) == (
        "SELECT x FROM t JOIN u ON u.id = t.id WHERE a = $1 AND b LIKE '%?%' AND c = $2 AND d % 2 = 0")
    assert translate(statement) == (
        "SELECT x FROM t JOIN u ON u.id = t.id WHERE a = %s AND b LIKE '%%?%%' AND c = %s AND d %% 2 = 0")


# --- an import that at least doubles the store: indexes and foreign keys built again -------------

_DEFINITIONS = ("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() UNION ALL "
                "SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE connamespace = current_schema()::regnamespace ORDER BY 1")


@pytest.mark.team_only
def test_a_first_import_leaves_the_indexes_and_foreign_keys_as_they_were(cli, store_path, tmp_path, monkeypatch):
    import psycopg

    from capcli.store import transfer
    from tests.conftest import dump, sql
    from tests.test_import import cases_file, row

    before = sql(store_path, _DEFINITIONS)
    assert any("FOREIGN KEY (person_id)" in d for (d,) in before) and any("ix_accompaniment_open" in d for (d,) in before)
    two = cases_file(tmp_path, row(case_ref="C1"), row(case_ref="C2", person_ref="P2", last_name="MARTIN"))
    real = transfer._write_cases

    def fails_after_writing(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("a failure after the writes, indexes and keys dropped")

    monkeypatch.setattr(transfer, "_write_cases", fails_after_writing)
    unchanged = dump(store_path)
    with pytest.raises(RuntimeError):
        cli("import", two)
    assert dump(store_path) == unchanged and sql(store_path, _DEFINITIONS) == before  # rolled back
    monkeypatch.setattr(transfer, "_write_cases", real)
    assert "cases: 2 created" in cli.ok("import", two).stdout
    assert sql(store_path, _DEFINITIONS) == before
    with pytest.raises(psycopg.errors.ForeignKeyViolation):  # enforced again
        store_path.sql("UPDATE accompaniment SET person_id = 999999")
    assert "cases: 0 created, 0 updated, 2 unchanged" in cli.ok("import", two).stdout  # idempotent


def test_an_import_abandoned_while_its_staging_copy_is_open_writes_nothing(cli, store_path, tmp_path, monkeypatch):
    """The staging's COPY stays open between chunks (pg.PgStore.insert_rows): an error in the middle
    of the file, or the re-reading of a file found to be Windows-1252, starts from a clean store."""
    from capcli.domain import records
    from capcli.store import transfer
    from tests.conftest import dump
    from tests.test_import import row

    monkeypatch.setattr(transfer, "CHUNK", 100)  # many chunks: the COPY is open when the error comes
    rows = [row(case_ref=f"C{i}", person_ref=f"P{i}", first_name="Marie" if i < 1999 else "Hélène",
                last_name=f"DUPONT{i}", employer_siret="", employer_name="", employer_sector="") for i in range(2000)]
    header = ",".join(records.CASE_COLUMNS)
    mixed = tmp_path / "mixed.csv"  # UTF-8 accents, then a byte of Windows-1252 on line 1,501
    mixed.write_bytes(("\n".join([header, *rows[:1500]]) + "\n").replace("DUPONT5,", "DUPONTÉ5,").encode()
                      + ("\n".join(rows[1500:]) + "\n").encode("cp1252"))
    cli.new_store()
    before = dump(store_path)
    run = cli("import", str(mixed))
    assert run.exit_code == 1 and "line 2001" in run.stderr, run.stderr
    assert dump(store_path) == before
    late = tmp_path / "late.csv"  # ASCII for 64 KB, then Windows-1252: read again as such
    late.write_bytes(("\n".join([header, *rows]) + "\n").encode("cp1252"))
    assert "cases: 2000 created" in cli.ok("import", str(late)).stdout
    assert {p["first_name"] for p in cli.ok("person", "list", "--json").json} == {"Marie", "Hélène"}


@pytest.mark.team_only
def test_a_new_team_store_has_the_indexes_schema_py_declares_partial_ones_included(cli, store_path):
    from capcli.store import schema

    cli.person()
    declared = {
        index.name: ([c.name for c in index.columns], index.dialect_options["postgresql"].get("where") is not None)
        for table in schema.SQLModel.metadata.sorted_tables for index in table.indexes
    }
    made = {}
    for name, definition in store_path.sql(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"):
        if name in declared:
            columns = definition.split(" USING btree (", 1)[1].split(")", 1)[0]
            made[name] = ([c.strip() for c in columns.split(",")], " WHERE " in definition)
    assert made == declared
    assert made["ix_accompaniment_period"][1]  # the report's indexes are partial on both engines
