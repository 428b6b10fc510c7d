"""An import never takes back what the store recorded (SPEC §4, issue "Nothing recorded is ever undone").

A file states its view of records the store may have moved past: it may add and complete, never
re-open a case, un-do a contact, move a phase back or blank a value.
"""

from __future__ import annotations

from tests.conftest import dump
from tests.test_import import cases_file, contacts_file, row


def _caseload(cli) -> tuple[int, int, int]:
    """A maintien closed with success (its suivi and the suivi's contact opened by rule 4) and an
    acces-emploi at its first phase: (maintien, suivi, acces-emploi)."""
    person = cli.person("DUPONT", "Marie", "--address", "3 rue du Lez, Montpellier", "--phone", "06 12 34 56 78")
    maintien = cli.open("maintien", person, "--on", "01/03/2026")
    cli.ok("advance", str(maintien), "--to", "mise-en-oeuvre", "--on", "01/04/2026")
    cli.ok("close", str(maintien), "--outcome", "maintien-poste", "--on", "01/06/2026")
    suivi = cli.ok("list", "--json").json[1]["id"]
    other = cli.open("acces-emploi", cli.person("MARTIN", "Karim"), "--on", "01/05/2026")
    return maintien, suivi, other


def test_an_older_export_re_imported_changes_nothing(cli, store_path, tmp_path):
    maintien, suivi, other = _caseload(cli)
    old_cases, old_contacts = tmp_path / "old-cases.csv", tmp_path / "old-contacts.csv"
    cli.ok("export", "cases", "-o", str(old_cases))
    cli.ok("export", "contacts", "-o", str(old_contacts))
    # the store moves past the export: a phase, a contact done, a value filled in
    cli.ok("advance", str(other), "--to", "recherche", "--on", "10/11/2026")
    contact = cli.show(suivi)["contacts"][0]["id"]
    cli.ok("contact", "done", str(contact), "--on", "20/11/2026", "--note", "tout va bien")
    before = dump(store_path)
    run = cli.ok("import", str(old_cases))
    assert "cases: 0 created, 0 updated, 3 unchanged" in run.stdout
    run = cli.ok("import", str(old_contacts))
    assert "contacts: 0 created, 0 updated, 1 unchanged" in run.stdout
    assert dump(store_path) == before
    assert cli.show(other)["phase"] == "recherche"  # the phase did not go back
    assert cli.show(suivi)["contacts"][0]["done_on"] == "2026-11-20"  # the done contact stays done
    dry = cli.ok("import", str(old_cases), "--dry-run").stdout
    assert "phase recherche (file: diagnostic)" in dry  # and the dry run says what it keeps


def test_a_file_that_has_a_closed_case_open_or_closed_otherwise_is_refused(cli, store_path, tmp_path):
    maintien, suivi, other = _caseload(cli)
    old = tmp_path / "old.csv"
    cli.ok("export", "cases", "-o", str(old))
    cli.ok("close", str(other), "--outcome", "abandon", "--on", "20/11/2026")
    before = dump(store_path)
    run = cli("import", str(old))
    assert run.exit_code == 1
    assert (f"line 4, column closed_on: case 'capcli-{other}' was closed on 20/11/2026 (abandon) in the store: "
            "an import never reopens a case nor closes it again") in run.stderr
    assert "Traceback" not in run.stderr
    assert dump(store_path) == before
    # closed otherwise: another outcome, or another day
    text = old.read_text().replace("2026-06-01,maintien-poste", "2026-06-01,maintien-entreprise")
    old.write_text(text)
    run = cli("import", str(old))
    assert (f"line 2, column outcome: case 'capcli-{maintien}' was closed on 01/06/2026 (maintien-poste) in "
            "the store") in run.stderr
    old.write_text(text.replace("2026-06-01,maintien-entreprise", "2026-06-02,maintien-poste"))
    assert "column closed_on: case 'capcli-1' was closed on 01/06/2026" in cli("import", str(old)).stderr
    assert dump(store_path) == before


def test_a_done_contact_stays_done(cli, store_path, tmp_path):
    maintien, suivi, other = _caseload(cli)
    contact = cli.show(suivi)["contacts"][0]
    cli.ok("contact", "done", str(contact["id"]), "--risk", "--on", "20/11/2026", "--note", "charge de travail")
    ref, due = f"capcli-{suivi}", contact["due_on"]
    before = dump(store_path)
    # an empty done_on (the file's view before the contact) keeps it done
    assert "contacts: 0 created, 0 updated, 1 unchanged" in cli.ok(
        "import", contacts_file(tmp_path, f"{ref},1,{due},,,")).stdout
    # another day, or stable instead of at risk, would take back what was recorded
    run = cli("import", contacts_file(tmp_path, f"{ref},1,{due},21/11/2026,1,"))
    assert run.exit_code == 1
    assert (f"line 2, column done_on: contact 1 of case '{ref}' was done on 20/11/2026 (at risk) in the store: "
            "an import does not change a done contact") in run.stderr
    run = cli("import", contacts_file(tmp_path, f"{ref},1,{due},20/11/2026,0,"))
    assert "line 2, column at_risk: contact 1" in run.stderr
    assert dump(store_path) == before


def test_an_empty_cell_keeps_the_stored_value(cli, store_path, tmp_path):
    """Importing examples/cases.csv used to erase a person's address: an empty cell is not a delete."""
    person = cli.person("DUPONT", "Marie", "--address", "3 rue du Lez", "--email", "m@example.org",
                        "--external-id", "P1", "--boeth", "rqth", "--rqth-until", "30/06/2027")
    case = cli.open("maintien", person, "--on", "01/09/2026", "--requested-by", "partenaire", "--partner", "SPST")
    cli.ok("export", "cases", "-o", str(tmp_path / "x.csv"))
    blank = cases_file(tmp_path, row(case_ref=f"capcli-{case}", person_ref="P1", phase="signalement",
                                     birth_date="", email="", address="", rqth_until="", requested_by="", partner="",
                                     consent="", at_risk="", rqth_definitive="", employer_siret="",
                                     employer_name="", employer_sector=""))
    before = dump(store_path)
    run = cli.ok("import", blank)
    assert "persons: 0 created, 0 updated, 1 unchanged" in run.stdout
    assert "cases: 0 created, 0 updated, 1 unchanged" in run.stdout
    assert dump(store_path) == before
    stored = cli.ok("person", "show", str(person), "--json").json
    assert (stored["address"], stored["email"], stored["rqth_until"]) == ("3 rue du Lez", "m@example.org",
                                                                          "2027-06-30")
    assert (cli.show(case)["requested_by"], cli.show(case)["partner"]) == ("partenaire", "SPST")


def test_what_only_moves_forward_moves_forward(cli, store_path, tmp_path):
    """A renewed RQTH (later end date), en-cours decided, consent recorded, a value the store lacked."""
    person = cli.person("DUPONT", "Marie", "--external-id", "P1", "--boeth", "rqth", "--rqth-until", "30/06/2027")
    case = cli.open("maintien", person, "--on", "01/09/2026")
    ref = f"capcli-{case}"
    later = cases_file(tmp_path, row(case_ref=ref, person_ref="P1", phase="diagnostic", rqth_until="30/06/2032",
                                     consent="1", employer_siret="", employer_name="", employer_sector="",
                                     phone="06 00 00 00 00"))
    run = cli.ok("import", later)
    assert "persons: 0 created, 1 updated" in run.stdout and "cases: 0 created, 1 updated" in run.stdout
    stored = cli.ok("person", "show", str(person), "--json").json
    assert (stored["rqth_until"], stored["phone"]) == ("2032-06-30", "06 00 00 00 00")
    assert (cli.show(case)["phase"], cli.show(case)["consent"]) == ("diagnostic", True)
    # the older end date, the earlier phase, no consent: kept
    before = dump(store_path)
    older = cases_file(tmp_path, row(case_ref=ref, person_ref="P1", phase="signalement", rqth_until="30/06/2027",
                                     consent="0", employer_siret="", employer_name="", employer_sector="",
                                     phone="06 00 00 00 00"), name="older.csv")
    run = cli.ok("import", older)
    assert "3 values differ from the store and were kept" in run.stderr
    assert dump(store_path) == before


def test_a_case_does_not_change_kind(cli, store_path, tmp_path):
    cli.ok("import", cases_file(tmp_path, row(case_ref="C1", kind="maintien", phase="diagnostic")))
    before = dump(store_path)
    run = cli("import", cases_file(tmp_path, row(case_ref="C1", kind="acces-emploi", phase="diagnostic"),
                                   name="kind.csv"))
    assert run.exit_code == 1
    assert ("line 2, column kind: case 'C1' is a maintien in the store: an import does not change a case's kind"
            in run.stderr)
    assert dump(store_path) == before


def test_a_definitive_rqth_is_never_taken_back_and_what_is_kept_is_listed():
    from capcli.domain import merge
    from capcli.domain.model import PERSON_FIELDS

    stored = dict.fromkeys(PERSON_FIELDS) | {"last_name": "DUPONT", "first_name": "Marie", "boeth": "rqth",
                                             "rqth_definitive": 1}
    older = stored | {"rqth_definitive": 0, "rqth_until": "2027-06-30"}
    result = merge.person(stored, older)
    assert result.changes == []
    assert result.kept == [merge.Change("rqth_definitive", 1, 0), merge.Change("rqth_until", None, "2027-06-30")]
    # made definitive: the end date goes; renewed: a later date replaces an earlier one, never the reverse
    dated = stored | {"rqth_definitive": 0, "rqth_until": "2027-06-30"}
    assert merge.person(dated, dated | {"rqth_definitive": 1, "rqth_until": None}).changes == [
        merge.Change("rqth_definitive", 0, 1), merge.Change("rqth_until", "2027-06-30", None)]
    assert merge.person(dated, dated | {"rqth_until": "2032-06-30"}).changes == [
        merge.Change("rqth_until", "2027-06-30", "2032-06-30")]
    assert merge.person(dated, dated | {"rqth_until": "2026-06-30"}).kept == [
        merge.Change("rqth_until", "2027-06-30", "2026-06-30")]
