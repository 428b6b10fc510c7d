"""Corrections of persons, employers and cases: journaled with the names of the fields changed
(audit for persons and employers, an event for cases), never their values; same checks as the
commands that create them; a correction that changes nothing writes nothing."""

import sqlite3

import pytest

from tests.conftest import SIRET_A, SIRET_B, dump, sql
from tests.test_prompts import DOWN, ENTER, terminal


def in_french(cli, *args) -> str:
    """What a French reader sees (the language is chosen afresh, as in a new process)."""
    from capcli import i18n

    i18n.reset()
    try:
        return cli.ok(*args, CAPCLI_LANG="fr").stdout
    finally:
        i18n.reset()


def audit_rows(store_path, subject):
    return sql(store_path, "SELECT author, action, subject_id, detail FROM audit WHERE subject = ? ORDER BY id",
               (subject,))


def test_person_edit_renews_an_rqth_and_changes_a_phone_journaling_the_field_names(cli, store_path):
    pid = cli.person("DUPONT", "Marie", "--boeth", "en-cours", "--phone", "06 12 34 56 78")
    run = cli.ok("person", "edit", str(pid), "--rqth-until", "30/06/2029", "--phone", "07 00 00 00 00")
    assert run.stdout == (f"person {pid} corrected:\n  Phone: 06 12 34 56 78 -> 07 00 00 00 00\n"
                          "  BOETH: en-cours -> rqth\n  RQTH until: (none) -> 30/06/2029\n")
    shown = cli.ok("person", "show", str(pid), "--json").json
    assert (shown["boeth"], shown["rqth_until"], shown["phone"]) == ("rqth", "2029-06-30", "07 00 00 00 00")
    assert audit_rows(store_path, "person")[-1] == ("alice", "person-edited", pid, "phone boeth rqth_until")
    # the values never reach the journal
    assert "07 00" not in str(dump(store_path)[0]) and all("07 00" not in str(r) for r in audit_rows(store_path, "person"))


def test_person_edit_json_gives_old_and_new_and_an_empty_value_clears(cli):
    pid = cli.person("DUPONT", "Marie", "--email", "m@x.fr", "--rqth-until", "2027-01-01")
    run = cli.ok("person", "edit", str(pid), "--email", "", "--rqth-definitive", "--json")
    assert run.json == {"id": pid, "changed": {
        "email": {"old": "m@x.fr", "new": None},
        "rqth_until": {"old": "2027-01-01", "new": None},
        "rqth_definitive": {"old": False, "new": True},
    }}
    back = cli.ok("person", "edit", str(pid), "--rqth-until", "2030-01-01", "--json").json
    assert back["changed"] == {"rqth_until": {"old": None, "new": "2030-01-01"},
                               "rqth_definitive": {"old": True, "new": False}}


def test_a_correction_that_changes_nothing_says_so_and_journals_nothing(cli, store_path):
    pid = cli.person("DUPONT", "Marie", "--phone", "06")
    before = dump(store_path)
    assert cli.ok("person", "edit", str(pid), "--phone", " 06 ", "--last-name", "DUPONT").stdout == (
        f"person {pid}: nothing to correct (the values given are already recorded)\n")
    assert cli.ok("person", "edit", str(pid), "--phone", "06", "--json").json == {"id": pid, "changed": {}}
    assert dump(store_path) == before


@pytest.mark.parametrize("args, message", [
    (["--last-name", ""], "capcli: last name cannot be empty"),
    (["--email", "nope"], "capcli: invalid e-mail address 'nope'"),
    (["--boeth", "xyz"], None),
    (["--birth-date", "31/02/1990"], "capcli: invalid --birth-date '31/02/1990': no such day in the calendar"),
    (["--rqth-until", "2027-01-01", "--rqth-definitive"],
     "capcli: an RQTH is either definitive or has an end date, not both"),
    (["--external-id", "capcli-4"],
     "capcli: invalid external id 'capcli-4': ids starting with 'capcli-' are capcli's own"),
    (["--external-id", "SI-1"], "capcli: external id 'SI-1' is already person 1"),
])
def test_person_edit_makes_the_checks_of_person_add(cli, store_path, args, message):
    cli.person("A", "B", "--external-id", "SI-1")
    pid = cli.person("DUPONT", "Marie")
    before = dump(store_path)
    refused = cli.refused("person", "edit", str(pid), *args)
    if message:
        assert refused == message
    assert dump(store_path) == before


def test_an_anonymised_person_or_an_unknown_id_is_not_edited(cli, store_path):
    pid = cli.person()
    with sqlite3.connect(store_path) as conn:
        conn.execute("UPDATE person SET last_name = 'ANONYME', anonymised_on = '2026-11-01' WHERE id = ?", (pid,))
    conn.close()
    assert cli.refused("person", "edit", str(pid), "--phone", "06") == (
        f"capcli: person {pid} was anonymised on 01/11/2026: an anonymised record is not edited")
    assert cli.refused("person", "edit", "99", "--phone", "06") == (
        "capcli: no person with id 99: see 'capcli person list'")


def test_person_edit_with_nothing_given_and_no_terminal_is_a_usage_error(cli):
    pid = cli.person()
    run = cli("person", "edit", str(pid))
    assert run.exit_code == 2
    assert run.stderr.startswith("capcli: nothing to correct: give one of --last-name")


def test_person_edit_asks_the_field_and_its_value_on_a_terminal(cli):
    pid = cli.person("DUPONT", "Marie", "--phone", "06")
    # fields offered: last name, first name, birth date, e-mail, phone...: the fifth, then replace "06"
    with terminal(cli, DOWN * 4 + ENTER + "\x7f" * 2 + "07 11" + ENTER):
        run = cli("person", "edit", str(pid))
    assert run.exit_code == 0, run.stderr
    assert cli.ok("person", "show", str(pid), "--json").json["phone"] == "07 11"


def test_employer_edit_by_siret_or_id_journaled(cli, store_path):
    eid = cli.employer(SIRET_A, "Atelier du Lez", "prive")
    run = cli.ok("employer", "edit", SIRET_A, "--sector", "public", "--json")
    assert run.json == {"id": eid, "changed": {"sector": {"old": "prive", "new": "public"}}}
    assert cli.ok("employer", "edit", str(eid), "--name", "Ateliers du Lez").stdout == (
        f"employer {eid} corrected:\n  Name: Atelier du Lez -> Ateliers du Lez\n")
    assert [r[1:] for r in audit_rows(store_path, "employer")] == [
        ("employer-added", eid, None), ("employer-edited", eid, "sector"), ("employer-edited", eid, "name")]
    before = dump(store_path)
    assert cli.refused("employer", "edit", str(eid), "--sector", "mixte").startswith("capcli: ")
    assert cli.refused("employer", "edit", str(eid), "--name", " ") == "capcli: employer name cannot be empty"
    assert cli.refused("employer", "edit", SIRET_B, "--name", "X").startswith("capcli: no employer with id or SIRET")
    assert dump(store_path) == before


def test_case_edit_keeps_the_opening_rules(cli, store_path):
    pid = cli.person()
    eid = cli.employer()
    case = cli.open("evolution-pro", pid)
    before = dump(store_path)
    assert cli.refused("case", "edit", str(case), "--requested-by", "employeur") == (
        "capcli: an evolution-pro requested by the employer needs the person's consent: record it, then add "
        "--consent")
    assert cli.refused("case", "edit", str(case), "--requested-by", "partenaire") == (
        "capcli: a case requested by a partner needs the partner's name: add --partner NAME")
    assert cli.refused("case", "edit", str(case), "--adviser", "") == "capcli: adviser cannot be empty"
    assert dump(store_path) == before
    run = cli.ok("case", "edit", str(case), "--requested-by", "employeur", "--consent", "--employer", SIRET_A, "--json")
    assert run.json == {"id": case, "changed": {
        "employer_id": {"old": None, "new": eid}, "requested_by": {"old": "personne", "new": "employeur"},
        "consent": {"old": False, "new": True}}}
    shown = cli.show(case)
    assert (shown["requested_by"], shown["consent"], shown["employer"]["id"]) == ("employeur", True, eid)
    assert (shown["events"][-1]["action"], shown["events"][-1]["detail"]) == ("edited", "employer_id requested_by consent")
    assert "corrected  Employer, Requested by, Consent" in cli.ok("show", str(case)).stdout
    french = in_french(cli, "show", str(case))
    assert "Employeur, Demandé par, Consentement" in french
    cli.ok("case", "edit", str(case), "--employer", "")
    assert cli.show(case)["employer"] is None


def test_a_closed_case_keeps_its_adviser_but_its_partner_and_employer_are_corrected(cli, store_path):
    case = cli.open("acces-emploi", cli.person(), "--requested-by", "partenaire", "--partner", "France Travial")
    cli.ok("close", str(case), "--outcome", "abandon")
    before = dump(store_path)
    assert cli.refused("case", "edit", str(case), "--adviser", "bob") == (
        f"capcli: case {case} (acces-emploi) is closed: it keeps its adviser in the history (only its employer, "
        "requester, partner and consent are corrected)")
    assert dump(store_path) == before
    assert cli.ok("case", "edit", str(case), "--partner", "France Travail").stdout == (
        f"case {case} corrected:\n  Partner: France Travial -> France Travail\n")
    assert cli.ok("case", "edit", str(case), "--adviser", "alice").stdout.endswith("nothing to correct (the values "
                                                                                  "given are already recorded)\n")


def test_case_edit_of_the_adviser_on_an_open_case(cli):
    case = cli.open("acces-emploi", cli.person())
    assert cli.ok("case", "edit", str(case), "--adviser", "bob").stdout == (
        f"case {case} corrected:\n  Adviser: alice -> bob\n")
    assert cli.show(case)["adviser"] == "bob"
    assert cli.show(case)["events"][-1]["detail"] == "adviser"
