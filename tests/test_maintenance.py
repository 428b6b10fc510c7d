"""capcli backup | check."""

import os
import sqlite3
import stat

from tests.conftest import dump


def _caseload(cli):
    p = cli.person()
    m = cli.open("maintien", p)
    cli.ok("close", str(m), "--outcome", "maintien-poste")
    return p, m


def test_backup_copies_the_store_to_a_new_owner_only_file(cli, store_path, tmp_path):
    _caseload(cli)
    target = tmp_path / "copy.sqlite"
    assert cli.ok("backup", str(target)).stdout.strip() == str(target)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    # (a team store's list of advisers stays there: a local store has none)
    assert dump(target) == [(t, rows) for t, rows in dump(store_path) if t != "adviser"]
    assert "store OK" in cli.ok("--db", str(target), "check").stdout


def test_backup_without_a_name_goes_beside_the_store_with_a_timestamp(cli, store_path):
    _caseload(cli)
    first = cli.ok("backup").stdout.strip()
    second = cli.ok("backup").stdout.strip()
    assert first != second
    for name in (first, second):
        assert name.startswith(str(store_path.with_name("store.backup-"))) and name.endswith(".sqlite")
        assert dump(type(store_path)(name)) == dump(store_path)


def test_backup_never_overwrites(cli, tmp_path):
    _caseload(cli)
    target = tmp_path / "taken.sqlite"
    target.write_text("precious")
    assert cli.refused("backup", str(target)) == f"capcli: {target} already exists: give another file name"
    assert target.read_text() == "precious"
    assert "cannot write the backup" in cli.refused("backup", str(tmp_path / "no" / "such" / "dir.sqlite"))


def test_check_says_store_ok_on_a_sound_store(cli):
    _caseload(cli)
    run = cli.ok("check")
    assert run.stdout == "store OK\n"


def test_check_names_each_problem_and_exits_1(cli, store_path):
    p, m = _caseload(cli)
    veille = cli.open("maintien-en-emploi", p)
    conn = sqlite3.connect(store_path)
    conn.execute("UPDATE accompaniment SET outcome = NULL WHERE id = ?", (m,))
    conn.execute("UPDATE accompaniment SET phase = 'nowhere' WHERE id = ?", (veille,))
    conn.execute("INSERT INTO need (case_id, category, description, status, created_on, updated_on) "
                 "VALUES (?, 'formation', 'x', 'lost', '2026-11-22', '2026-11-22')", (m,))
    conn.execute("PRAGMA foreign_keys = OFF")
    orphan = conn.execute("INSERT INTO contact (case_id, number, due_on) VALUES (999, 1, '2026-12-01')").lastrowid
    conn.commit()
    conn.close()
    run = cli("check")
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert f"foreign key: contact row {orphan} refers to a missing accompaniment" in lines
    assert f"case {m} (maintien) is closed without an outcome" in lines
    assert f"case {veille} (maintien-en-emploi) is at phase 'nowhere', not a phase of its kind" in lines
    assert "need 1 of case 1 has an unknown status 'lost'" in lines
    assert len(lines) == 4
    assert run.stderr == "capcli: 4 problem(s) found in the store: restore a backup or correct them\n"


def test_check_reports_a_damaged_file(cli, store_path):
    _caseload(cli)
    for i in range(30):
        cli.person(f"NAME{i}", "X" * 200)
    cli.ok("backup", str(store_path.with_name("b.sqlite")))
    damaged = store_path.with_name("b.sqlite")
    data = bytearray(damaged.read_bytes())
    page = 4096
    data[-2 * page:] = bytes((i * 37) % 251 for i in range(2 * page))  # the last two pages
    damaged.write_bytes(bytes(data))
    run = cli("--db", str(damaged), "check")
    assert run.exit_code == 1 and "Traceback" not in run.stderr
    assert run.stdout.startswith(("integrity", "integrity check failed"))
    assert "problem(s) found in the store" in run.stderr


# --- --json (issue 15.4: every command) -------------------------------------------------------


def test_backup_and_check_json(cli, store_path, tmp_path):
    _caseload(cli)
    target = tmp_path / "copy.sqlite"
    assert cli.ok("backup", str(target), "--json").json == {"path": str(target)}
    assert dump(target) == dump(store_path)
    assert cli.ok("check", "--json").json == {"ok": True, "problems": []}
    conn = sqlite3.connect(store_path)
    conn.execute("UPDATE accompaniment SET outcome = NULL WHERE id = 1")
    conn.commit()
    conn.close()
    run = cli("check", "--json")
    assert run.exit_code == 1
    assert run.json == {"ok": False, "problems": ["case 1 (maintien) is closed without an outcome"]}
    assert run.stderr == "capcli: 1 problem(s) found in the store: restore a backup or correct them\n"


def test_settings_json_shows_and_changes_one(cli, store_path):
    cli.new_store()
    assert cli.ok("settings", "--json").json["due_days"] == 7
    assert cli.ok("settings", "due_days", "--json").json == {"due_days": 7}
    assert cli.ok("settings", "due_days", "3", "--json").json == {"due_days": 3}
    assert cli.ok("settings", "due_days").stdout == "due_days = 3\n"
    conn = sqlite3.connect(store_path)
    audit = conn.execute("SELECT author, action, detail FROM audit WHERE action = 'setting-changed'").fetchall()
    conn.close()
    assert audit == [("alice", "setting-changed", "due_days=3")]
    assert "unknown setting 'nope' (valid: due_days, " in cli.refused("settings", "nope", "--json")


def test_settings_help_lists_the_settings_from_the_domain(cli):
    from capcli.domain.settings import BOUNDS

    text = " ".join(cli.ok("settings", "--help").stdout.split())
    assert ", ".join(BOUNDS) in text
