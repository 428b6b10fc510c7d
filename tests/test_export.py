"""capcli export: CSV reports; cases and contacts import back to the same files."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from capcli.domain import records
from tests.conftest import SIRET_A, dump, sql


@pytest.fixture
def caseload(cli):
    """A small caseload built through the commands: rules fired, follow-ons, contacts, a diagnostic."""
    marie = cli.person("DUPONT", "Marie", "--birth-date", "12/03/1984", "--rqth-until", "30/06/2027",
                       "--external-id", "SI-1")
    helene = cli.person("LEFÈVRE", "Hélène", "--email", "h@example.org", "--rqth-definitive")
    cli.employer()
    cli.today = "2026-06-01"
    m = cli.open("maintien", marie, "--employer", SIRET_A, "--requested-by", "partenaire",
                 "--partner", "médecin du travail; SPST", "--on", "02/03/2026",
                 "--signalement-by", "medecin-travail", "--signalement-on", "20/02/2026")
    cli.ok("advance", str(m), "--to", "mise-en-oeuvre", "--on", "01/04/2026")
    cli.ok("close", str(m), "--outcome", "maintien-poste", "--on", "02/05/2026")  # opens a suivi-conventionnel
    a = cli.open("acces-emploi", helene, "--on", "10/01/2026")
    cli.today = "2026-11-22"
    sql(cli.store_path,
        "INSERT INTO diagnostic (case_id, on_date, author, restrictions, disability_type, health_opinion) "
        "VALUES (?, '2026-03-10', 'alice', '[\"port de charges\", \"station debout\"]', 'moteur', "
        "'apte-avec-restrictions')", (m,))
    sql(cli.store_path,
        "INSERT INTO need (case_id, category, description, funder, amount_cents, status, created_on, updated_on) "
        "VALUES (?, 'amenagement-poste', 'siège ergonomique', 'agefiph', 123450, 'accorde', '2026-03-12', "
        "'2026-04-02')", (m,))
    return {"maintien": m, "acces": a}


def _export(cli, tmp_path, report, name, *options):
    path = tmp_path / name
    cli.ok("export", report, "-o", str(path), *options)
    return path.read_bytes()


@pytest.mark.parametrize("form", [(), ("--excel",)])
def test_round_trip_gives_the_same_files(cli, tmp_path, caseload, form):
    cases = _export(cli, tmp_path, "cases", "cases.csv", *form)
    contacts = _export(cli, tmp_path, "contacts", "contacts.csv", *form)
    assert cases.count(b"\n") == 4 and contacts.count(b"\n") == 2  # header + 3 cases, header + 1 contact
    if form:  # what French Excel opens cleanly: UTF-8 with BOM, ';', CRLF, dd/mm/yyyy
        assert cases.startswith(b"\xef\xbb\xbfcase_ref;kind;") and cases.count(b"\r\n") == 4
        assert b";02/03/2026;02/05/2026;" in cases
    cli.store_path = tmp_path / "empty.sqlite"
    cli.ok("import", str(tmp_path / "cases.csv"))
    cli.ok("import", str(tmp_path / "contacts.csv"))
    assert _export(cli, tmp_path, "cases", "again.csv", *form) == cases
    assert _export(cli, tmp_path, "contacts", "again-contacts.csv", *form) == contacts


def test_reimporting_an_export_into_its_own_store_changes_nothing(cli, store_path, tmp_path, caseload):
    _export(cli, tmp_path, "cases", "cases.csv")
    _export(cli, tmp_path, "contacts", "contacts.csv")
    before = dump(store_path)
    assert "cases: 0 created, 0 updated, 3 unchanged" in cli.ok("import", str(tmp_path / "cases.csv")).stdout
    assert "contacts: 0 created, 0 updated, 1 unchanged" in cli.ok("import", str(tmp_path / "contacts.csv")).stdout
    assert dump(store_path) == before


def test_capcli_refs_are_not_imported_into_another_stores_records(cli, tmp_path, caseload):
    _export(cli, tmp_path, "cases", "cases.csv")
    cli.store_path = tmp_path / "other.sqlite"  # another agency's store: its person 2 is somebody else
    cli.person("DURAND", "Paul")
    cli.person("MOREL", "Jean")
    for kind in ("emploi-accompagne", "acces-emploi", "evolution-pro"):
        cli.open(kind, 2)
    run = cli("import", str(tmp_path / "cases.csv"))
    assert run.exit_code == 1
    assert ("column person_ref: 'capcli-2' is MOREL Jean in this store: a capcli-<id> ref names a record of "
            "the store the file was exported from") in run.stderr
    assert "column case_ref: 'capcli-3' is a case of kind evolution-pro in this store" in run.stderr


def test_cases_columns_and_refs(cli, caseload):
    lines = cli.ok("export", "cases").stdout.splitlines()
    assert lines[0] == ",".join(records.CASE_COLUMNS)
    assert lines[1].startswith(f"capcli-{caseload['maintien']},maintien,mise-en-oeuvre,2026-03-02,2026-05-02,"
                               "maintien-poste,0,,alice,partenaire,médecin du travail; SPST,0,medecin-travail,2026-02-20,SI-1,"
                               "DUPONT,Marie,")
    follow_on = [line for line in lines if ",suivi-conventionnel," in line][0]
    assert f",capcli-{caseload['maintien']}," in follow_on
    assert "disability_type" not in lines[0] and "moteur" not in "\n".join(lines)


def test_excel_form_on_stdout(cli, caseload):
    run = cli.ok("export", "contacts", "--excel")
    raw = run.stdout
    assert raw.startswith("\ufeffcase_ref;number;due_on;done_on;at_risk;note")
    assert ";02/08/2026;" in raw  # dd/mm/yyyy: 3 months after the closing


def test_health_data_only_when_asked_and_the_file_is_private(cli, tmp_path, caseload):
    data = _export(cli, tmp_path, "cases", "health.csv", "--include-health").decode()
    header, first = data.splitlines()[:2]
    assert header.endswith(",disability_type,restrictions,health_opinion")
    assert first.endswith(',moteur,port de charges | station debout,apte-avec-restrictions')
    assert stat.S_IMODE((tmp_path / "health.csv").stat().st_mode) == 0o600


def test_every_export_file_is_private_whatever_the_umask(cli, tmp_path, caseload):
    import os

    old = os.umask(0)
    try:
        for report in ("cases", "contacts", "needs", "persons"):
            _export(cli, tmp_path, report, f"{report}.csv")  # names, birth dates, addresses...
            assert stat.S_IMODE((tmp_path / f"{report}.csv").stat().st_mode) == 0o600, report
    finally:
        os.umask(old)


def test_a_health_export_imports_back_without_its_health_columns(cli, tmp_path, caseload):
    _export(cli, tmp_path, "cases", "health.csv", "--include-health")
    cli.store_path = tmp_path / "other.sqlite"
    run = cli.ok("import", str(tmp_path / "health.csv"))
    assert "ignored columns (health data is never imported): disability_type, restrictions, health_opinion" \
        in run.stderr
    assert "cases: 3 created" in run.stdout


def test_since_and_adviser_filters(cli, caseload):
    lines = cli.ok("export", "cases", "--since", "01/05/2026").stdout.splitlines()
    assert [line.split(",")[1] for line in lines[1:]] == ["maintien", "suivi-conventionnel"]
    assert len(cli.ok("export", "cases", "--adviser", "bruno").stdout.splitlines()) == 1


def _rows(cli, *args) -> int:
    return len(cli.ok("export", *args).stdout.splitlines()) - 1  # the header is not a row


def test_since_and_adviser_filters_of_every_report(cli, caseload):
    # the suivi's contact is due on 02/08/2026; the need last changed on 02/04/2026; both persons
    # were created on 22/11/2026; every case is alice's
    assert _rows(cli, "contacts", "--since", "02/08/2026") == 1
    assert _rows(cli, "contacts", "--since", "03/08/2026") == 0
    assert _rows(cli, "needs", "--since", "2026-04-02") == 1
    assert _rows(cli, "needs", "--since", "2026-04-03") == 0
    assert _rows(cli, "persons", "--since", "2026-11-22") == 2
    assert _rows(cli, "persons", "--since", "2026-11-23") == 0
    for report, rows in (("contacts", 1), ("needs", 1), ("persons", 2)):
        assert _rows(cli, report, "--adviser", "alice") == rows
        assert _rows(cli, report, "--adviser", "bruno") == 0
    assert _rows(cli, "needs", "--since", "2026-04-02", "--adviser", "bruno") == 0


def test_needs_and_persons(cli, caseload):
    needs = cli.ok("export", "needs").stdout.splitlines()
    assert needs[0] == ",".join(records.NEED_COLUMNS)
    assert needs[1] == (f"capcli-{caseload['maintien']},amenagement-poste,siège ergonomique,agefiph,1234.50,accorde,"
                        "2026-03-12,2026-04-02")
    assert ";1234,50;" in cli.ok("export", "needs", "--excel").stdout
    persons = cli.ok("export", "persons").stdout.splitlines()
    assert persons[0] == ",".join(records.PERSON_COLUMNS)
    assert persons[1].startswith("SI-1,DUPONT,Marie,1984-03-12,")
    assert persons[2].startswith("capcli-2,LEFÈVRE,Hélène,,h@example.org,,,rqth,,1,")


def test_unknown_report_is_refused(cli, tmp_path):
    cli.new_store()
    assert cli.refused("export", "events") == (
        "capcli: unknown report 'events' (valid: cases, contacts, needs, persons)")
    assert cli.refused("export", "events", "-o", str(tmp_path / "x.csv")).startswith("capcli: unknown report")
    assert not (tmp_path / "x.csv").exists()


def test_bad_since_date(cli):
    cli.new_store()
    assert cli.refused("export", "cases", "--since", "hier") == (
        "capcli: invalid --since 'hier': write it as YYYY-MM-DD or DD/MM/YYYY")


@pytest.mark.parametrize("form", ["", "-excel"])
def test_the_shipped_examples_import_and_export_back_identically(cli, tmp_path, form):
    examples = Path(__file__).resolve().parents[1] / "examples"
    options = ("--excel",) if form else ()
    cli.ok("import", str(examples / f"cases{form}.csv"))
    cli.ok("import", str(examples / f"contacts{form}.csv"))
    assert _export(cli, tmp_path, "cases", "c.csv", *options) == (examples / f"cases{form}.csv").read_bytes()
    assert _export(cli, tmp_path, "contacts", "k.csv", *options) == (examples / f"contacts{form}.csv").read_bytes()


def test_export_to_a_file_with_json_says_where_and_how_many(cli, tmp_path, caseload):
    target = tmp_path / "cases.csv"
    data = cli.ok("export", "cases", "-o", str(target), "--json").json
    assert data == {"path": str(target), "rows": len(target.read_text().splitlines()) - 1}
    assert data["rows"] > 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() == cli.ok("export", "cases").stdout.encode()  # the same CSV as on stdout
    run = cli("export", "cases", "--json")  # the CSV itself is stdout: no JSON about it
    assert run.exit_code == 2 and "--json needs -o FILE" in run.stderr and run.stdout == ""
