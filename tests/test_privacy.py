"""Data protection: the audit journal, person export (right of access) and purge (retention)."""

import json
import os
import sqlite3
import stat
from pathlib import Path
from datetime import date

import pytest

from capcli.domain.retention import due_for_anonymisation, last_recorded, retention_cutoff
from tests.conftest import dump, sql
from tests.test_prompts import terminal


# --- the retention rule, directly ------------------------------------------------------------


def test_retention_cutoff_and_last_recorded():
    assert retention_cutoff(date(2026, 11, 22), 2) == date(2024, 11, 22)
    assert retention_cutoff(date(2028, 2, 29), 1) == date(2027, 2, 28)
    assert last_recorded(None, date(2024, 1, 1), date(2023, 5, 1), None) == date(2024, 1, 1)
    assert last_recorded(None) is None
    # the day a person was entered counts only when nothing else is known of their path
    assert last_recorded(date(2024, 6, 1), created_on=date(2026, 11, 22)) == date(2024, 6, 1)
    assert last_recorded(None, created_on=date(2026, 11, 22)) == date(2026, 11, 22)


def test_due_for_anonymisation_after_the_retention_years_without_open_case():
    today = date(2026, 11, 22)
    assert due_for_anonymisation(has_open_case=False, last=date(2024, 11, 22), today=today, years=2)
    assert not due_for_anonymisation(has_open_case=False, last=date(2024, 11, 23), today=today, years=2)
    assert not due_for_anonymisation(has_open_case=True, last=date(2010, 1, 1), today=today, years=2)
    assert due_for_anonymisation(has_open_case=False, last=date(2025, 11, 1), today=today, years=1)
    assert not due_for_anonymisation(has_open_case=False, last=None, today=today, years=2)


# --- audit -------------------------------------------------------------------------------------


def _audit(store_path):
    return sql(store_path, "SELECT author, action, subject, subject_id, detail FROM audit ORDER BY id")


@pytest.mark.sqlite_only  # CAPCLI_ADVISER and the OS user: a team store signs with the login (test_adviser.py)
def test_person_and_employer_add_are_journaled_with_their_author(cli, store_path):
    p = cli.person()
    e = cli.employer()
    cli.adviser = ""
    os_user = cli.id("person", "add", "--last-name", "X", "--first-name", "Y")
    import getpass

    assert _audit(store_path) == [
        ("alice", "person-added", "person", p, None),
        ("alice", "employer-added", "employer", e, None),
        (getpass.getuser(), "person-added", "person", os_user, None),
    ]


def test_imports_and_health_exports_are_journaled_with_counts_only(cli, store_path, tmp_path):
    from tests.test_import import cases_file, row

    cli.ok("import", cases_file(tmp_path, row(case_ref="C1"), row(case_ref="C2", person_ref="P2", first_name="Luc")))
    cli.ok("import", cases_file(tmp_path, row(case_ref="C1"), name="again.csv"), "--dry-run")  # writes nothing
    cli.ok("export", "cases", "-o", str(tmp_path / "plain.csv"))  # no health data: not a hand-out of it
    cli.ok("export", "cases", "--include-health", "-o", str(tmp_path / "health.csv"))
    journal = _audit(store_path)
    assert [(a, action, subject, sid) for a, action, subject, sid, _ in journal] == [
        ("alice", "imported", "cases", None),
        ("alice", "exported", "cases", None),
    ]
    imported, exported = (json.loads(entry[4]) for entry in journal)
    assert imported == {"rows": 2, "cases": {"created": 2, "updated": 0, "unchanged": 0},
                        "persons": {"created": 2, "updated": 0, "unchanged": 0},
                        "employers": {"created": 1, "updated": 0, "unchanged": 0}}
    assert exported == {"health": True, "since": None}  # journaled before the rows leave
    assert "DUPONT" not in str(journal)


# --- person export -----------------------------------------------------------------------------


def _followed_person(cli, store_path):
    p = cli.person("DUPONT", "Marie", "--birth-date", "1980-02-03", "--email", "m@example.org")
    m = cli.open("maintien", p, "--note", "called by the SPST")
    cli.ok("close", str(m), "--outcome", "maintien-poste")
    sql(store_path,
        "INSERT INTO diagnostic (case_id, on_date, author, situation, restrictions, disability_type, health_opinion) "
        "VALUES (?, '2026-11-22', 'alice', 'cariste', '[\"no load over 10 kg\"]', 'moteur', 'apte-avec-restrictions')",
        (m,))
    sql(store_path, "INSERT INTO need (case_id, category, description, status, created_on, updated_on) "
        "VALUES (?, 'aide-technique', 'lifting aid', 'accorde', '2026-11-22', '2026-11-22')", (m,))
    return p, m


def test_person_export_writes_everything_held_on_the_person_in_an_owner_only_file(cli, store_path, tmp_path):
    p, m = _followed_person(cli, store_path)
    other = cli.person("MARTIN", "Luc")
    out = tmp_path / "dupont.json"
    out.write_text("old")
    os.chmod(out, 0o644)
    run = cli.ok("person", "export", str(p), "-o", str(out))
    assert f"to {out}" in run.stderr
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    data = json.loads(out.read_text())
    assert data["person"]["birth_date"] == "1980-02-03" and data["person"]["email"] == "m@example.org"
    assert [c["kind"] for c in data["cases"]] == ["maintien", "suivi-conventionnel"]
    maintien = data["cases"][0]
    assert maintien["id"] == m and maintien["outcome"] == "maintien-poste"
    assert [e["action"] for e in maintien["events"]][0] == "opened"
    assert maintien["events"][0]["note"] == "called by the SPST"
    assert maintien["diagnostics"][0]["restrictions"] == ["no load over 10 kg"]
    assert maintien["diagnostics"][0]["disability_type"] == "moteur"
    assert maintien["needs"][0]["description"] == "lifting aid"
    assert data["cases"][1]["contacts"][0]["due_on"] == "2027-02-22"
    assert data["audit"][0]["action"] == "person-added"
    assert "MARTIN" not in out.read_text() and other
    assert _audit(store_path)[-1] == ("alice", "person-exported", "person", p, "file")


def test_person_export_to_stdout_and_unknown_person(cli, store_path):
    p = cli.person()
    assert cli.ok("person", "export", str(p)).json["person"]["last_name"] == "DUPONT"
    before = dump(store_path)
    assert cli.refused("person", "export", "99") == "capcli: no person with id 99: see 'capcli person list'"
    assert dump(store_path) == before


# --- purge -------------------------------------------------------------------------------------


def _old_caseload(cli, store_path):
    """DUPONT: every case closed on 2026-11-22; MARTIN: a case still open; DURAND: closed on 2027-06-01."""
    p, m = _followed_person(cli, store_path)
    cli.ok("close", str(cli.show(m)["id"] + 1), "--outcome", "consolide", "--force")
    active = cli.person("MARTIN", "Luc")
    open_case = cli.open("acces-emploi", active)
    recent = cli.person("DURAND", "Paul")
    closed_later = cli.open("acces-emploi", recent, "--on", "2026-11-01")
    cli.today = "2027-06-01"
    cli.ok("close", str(closed_later), "--outcome", "abandon")
    return p, open_case, recent


def test_purge_lists_only_without_a_terminal_and_without_yes(cli, store_path):
    p, *_ = _old_caseload(cli, store_path)
    cli.today = "2028-11-22"
    before = dump(store_path)
    run = cli.ok("purge")
    assert "DUPONT Marie" in run.stdout and "MARTIN" not in run.stdout and "DURAND" not in run.stdout
    assert run.stderr == "capcli: nothing anonymised: add --yes to anonymise this person\n"
    assert dump(store_path) == before
    cli.today = "2028-11-21"  # one day short of 2 years
    assert "No one is past the retention period (2 years)." in cli.ok("purge").stdout


def test_purge_yes_anonymises_and_keeps_the_statistics(cli, store_path):
    p, active, recent = _old_caseload(cli, store_path)
    cli.today = "2029-01-01"
    data = cli.ok("purge", "--yes", "--json").json
    assert data["retention_years"] == 2
    assert [d["id"] for d in data["due"]] == [p] and data["anonymised"] == [p]
    exported = cli.ok("person", "export", str(p)).json
    person = exported["person"]
    assert person["last_name"] == "ANONYME" and person["first_name"] == "-"
    assert person["birth_date"] is None and person["email"] is None and person["anonymised_on"] == "2029-01-01"
    assert person["birth_year"] == 1980  # the birth date's year only (the CNIL's three tests: see below)
    maintien = exported["cases"][0]
    # the days of the path are kept as their month (22/11/2026 -> 01/11/2026)
    assert (maintien["kind"], maintien["opened_on"], maintien["closed_on"], maintien["outcome"]) == (
        "maintien", "2026-11-01", "2026-11-01", "maintien-poste")
    assert all(e["note"] is None for e in maintien["events"])
    diag = maintien["diagnostics"][0]
    assert (diag["situation"], diag["restrictions"], diag["disability_type"], diag["health_opinion"]) == (
        None, None, None, None)
    assert diag["on_date"] == "2026-11-01"
    assert maintien["needs"][0]["description"] == "" and maintien["needs"][0]["status"] == "accorde"
    assert ("alice", "person-anonymised", "person", p, "retention_years=2") in _audit(store_path)
    assert cli.show(active)["status"] == "open"
    assert "DURAND" in cli.ok("person", "show", str(recent)).stdout
    # Anonymised once: not listed again; the store stays sound.
    # ... and the look of that export (recorded now, older than 12 months on 2029-01-01) is deleted
    assert cli.ok("purge", "--yes", "--json").json == {"retention_years": 2, "due": [], "anonymised": [],
                                                        "access_log": {"months": 12, "older": 1, "deleted": 1}}
    assert cli.ok("check").stdout == "store OK\n"


def test_a_person_entered_late_counts_from_their_path_and_one_without_a_case_from_entry(cli, tmp_path):
    from tests.test_import import cases_file, row

    # Migrated on 22/11/2026 from another system: a case closed on 01/06/2024, over 2 years ago.
    cli.ok("import", cases_file(tmp_path, row(case_ref="OLD", opened_on="01/02/2024", closed_on="01/06/2024",
                                              outcome="maintien-poste", rqth_until="", boeth="aah")))
    entered = cli.person("MARTIN", "Luc")  # entered on 22/11/2026, no case yet
    due = cli.ok("purge", "--json").json["due"]
    assert [(d["last_name"], d["last_recorded"]) for d in due] == [("DUPONT", "2024-06-01")]
    cli.today = "2028-11-22"
    assert [d["id"] for d in cli.ok("purge", "--json").json["due"]] == [1, entered]


def test_an_old_export_does_not_bring_an_anonymised_person_back(cli, store_path, tmp_path):
    p, *_ = _old_caseload(cli, store_path)
    old = tmp_path / "old.csv"
    cli.ok("export", "cases", "-o", str(old))
    cli.today = "2029-01-01"
    cli.ok("purge", "--yes")
    before = dump(store_path)
    run = cli("import", str(old))
    assert run.exit_code == 1
    assert f"line 2, column person_ref: person 'capcli-{p}' was anonymised on 01/01/2029: an import does not " \
           "bring their data back" in run.stderr
    assert dump(store_path) == before
    after = tmp_path / "after.csv"  # an export made after the purge imports back unchanged
    cli.ok("export", "cases", "-o", str(after))
    assert "0 updated" in cli.ok("import", str(after)).stdout


def test_anonymised_data_is_erased_from_the_file_not_only_unlinked(cli, store_path, monkeypatch):
    from capcli.store import engine

    connect = engine.sqlite3.connect

    def sqlite_default(*args, **kwargs):  # SQLite's own default (some builds turn it on)
        conn = connect(*args, **kwargs)
        conn.execute("PRAGMA secure_delete = OFF")
        return conn

    monkeypatch.setattr(engine.sqlite3, "connect", sqlite_default)
    p, *_ = _old_caseload(cli, store_path)  # DUPONT Marie, m@example.org, a diagnostic "cariste"
    cli.today = "2029-01-01"
    cli.ok("purge", "--yes")
    raw = b"".join(Path(str(store_path) + suffix).read_bytes() for suffix in ("", "-wal")
                   if Path(str(store_path) + suffix).exists())
    for trace in (b"DUPONT", b"m@example.org", b"cariste", b"no load over 10 kg"):
        assert trace not in raw, trace


def test_purge_follows_the_retention_setting(cli, store_path):
    _old_caseload(cli, store_path)
    cli.ok("settings", "retention_years", "5")
    cli.today = "2029-01-01"
    assert cli.ok("purge", "--json").json["due"] == []


def test_purge_asks_on_a_terminal(cli, store_path):
    p, *_ = _old_caseload(cli, store_path)
    cli.today = "2029-01-01"
    before = dump(store_path)
    with terminal(cli, "n\r"):
        run = cli("purge")
    assert run.exit_code == 0 and "DUPONT" in run.stdout
    assert dump(store_path) == before
    with terminal(cli, "y\r"):
        run = cli("purge")
    assert run.exit_code == 0 and "Anonymised 1 person." in run.stdout
    assert cli.ok("person", "show", str(p), "--json").json["last_name"] == "ANONYME"


def test_a_setting_change_is_journaled(cli, store_path):
    cli.ok("settings", "retention_years", "3")
    assert _audit(store_path) == [("alice", "setting-changed", "setting", None, "retention_years=3")]


def test_purge_dry_run_lists_and_writes_nothing_even_on_a_terminal(cli, store_path):
    p, *_ = _old_caseload(cli, store_path)
    cli.today = "2029-01-01"
    before = dump(store_path)
    with terminal(cli, ""):  # no question asked: nothing to answer
        run = cli("purge", "--dry-run")
    assert run.exit_code == 0, run.stderr
    assert "DUPONT Marie" in run.stdout and run.stdout.rstrip().endswith("dry run: nothing was written")
    assert dump(store_path) == before
    data = cli.ok("purge", "--dry-run", "--json").json
    assert [d["id"] for d in data["due"]] == [p] and data["anonymised"] == []
    assert dump(store_path) == before
    run = cli("purge", "--yes", "--dry-run")  # a usage error: exit 2, nothing written
    assert run.exit_code == 2 and run.stderr == "capcli: --yes and --dry-run exclude each other: choose one\n"
    assert dump(store_path) == before


# --- retention as the CNIL reads it: from the last contact with the person --------------------


def _closed_case(cli, **dates):
    """A person whose maintien opened on 01/03/2026 and closed on 02/05/2026 (a contact), at an employer."""
    cli.today = "2026-05-02"
    p = cli.person("DUPONT", "Marie", "--birth-date", "12/03/1984")
    cli.employer()
    m = cli.open("maintien", p, "--employer", "1", "--on", "01/03/2026", "--signalement-by", "medecin-travail",
                 "--signalement-on", "20/02/2026")
    cli.ok("advance", str(m), "--on", "05/03/2026")
    n = cli.id("need", "add", str(m), "--aid", "pas-auditif", "--on", "10/03/2026")
    cli.ok("close", str(m), "--outcome", "sans-suite", "--on", "02/05/2026")
    return p, m, n


def test_what_the_agency_does_without_the_person_does_not_restart_the_two_years(cli, store_path):
    p, m, n = _closed_case(cli)
    cli.today = "2027-06-01"
    cli.ok("need", "set", str(n), "--status", "demande", "--on", "01/06/2027")  # the funder's file: not a contact
    cli.ok("case", "edit", str(m), "--partner", "SPST Lunel")  # a correction: not a contact
    cli.ok("export", "cases", "-o", str(store_path.parent / "x.csv"))
    cli.today = "2028-05-02"  # two years after the closing, the last contact
    due = cli.ok("purge", "--json").json["due"]
    assert [(d["id"], d["last_recorded"]) for d in due] == [(p, "2026-05-02")]
    cli.today = "2028-05-01"
    assert cli.ok("purge", "--json").json["due"] == []


def test_a_contact_done_restarts_the_two_years(cli):
    p, m, n = _closed_case(cli)
    cli.today = "2026-06-01"
    s = cli.show(m)["followed_by"]
    assert s == []  # sans-suite opens nothing: a new case for the follow-up below
    case = cli.open("suivi-conventionnel", p, "--follows", str(m), "--on", "01/06/2026")
    contact = cli.show(case)["contacts"][0]["id"]
    cli.today = "2026-09-15"
    cli.ok("contact", "done", str(contact), "--on", "15/09/2026")
    cli.ok("close", str(case), "--outcome", "consolide", "--on", "15/09/2026")
    cli.today = "2028-09-14"
    assert cli.ok("purge", "--json").json["due"] == []
    cli.today = "2028-09-15"
    assert [d["last_recorded"] for d in cli.ok("purge", "--json").json["due"]] == ["2026-09-15"]


def test_anonymisation_passes_the_three_tests(cli, store_path):
    """No singling out (exact days, birth date), no linking (employer's SIRET and name, external ids,
    journal details with days or refs), no inference (health data, an aid naming a disability family)."""
    p, m, n = _closed_case(cli)
    cli.today = "2028-06-01"
    assert cli.ok("purge", "--yes", "--json").json["anonymised"] == [p]
    conn = sqlite3.connect(store_path)
    try:
        person = conn.execute("SELECT birth_date, birth_year, created_on FROM person WHERE id = ?", (p,)).fetchone()
        case = conn.execute("SELECT employer_id, opened_on, closed_on, signalement_by, signalement_on, kind, outcome "
                            "FROM accompaniment WHERE id = ?", (m,)).fetchone()
        need = conn.execute("SELECT aid, documents, category, funder, created_on FROM need WHERE id = ?", (n,)).fetchone()
        events = conn.execute("SELECT action, detail, on_date, recorded_at FROM event WHERE case_id = ? ORDER BY id",
                              (m,)).fetchall()
        employers = conn.execute("SELECT COUNT(*) FROM employer").fetchone()[0]
    finally:
        conn.close()
    assert person == (None, 1984, "2026-05-01")
    assert case == (None, "2026-03-01", "2026-05-01", "medecin-travail", "2026-02-01", "maintien", "sans-suite")
    assert need == (None, None, "prestation-appui", "agefiph", "2026-03-01")  # pas-auditif would tell the disability
    assert employers == 1  # the employer stays (a company, not the person): only unlinked
    assert all(on.endswith("-01") and at.endswith("-01 00:00:00") for _action, _detail, on, at in events)
    details = {action: detail for action, detail, _on, _at in events}
    assert details["advanced"] == "signalement -> diagnostic" and details["closed"] == "sans-suite"
    assert details["need-added"] is None  # "1 prestation-appui agefiph aid:pas-auditif"
    assert cli.ok("check").stdout == "store OK\n"
    assert cli.ok("report", "--all", "--year", "2026", "--section", "cases", "--json").json["cases"]["total"][
        "closed"] == 1  # the statistics kept still count
