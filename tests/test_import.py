"""capcli import: all or nothing, idempotent by external ids, every bad row named by line and column."""

from __future__ import annotations

import json

import pytest

from capcli.domain import records
from tests.conftest import SIRET_A, dump

BASE = {
    "case_ref": "C1", "kind": "maintien", "phase": "diagnostic", "opened_on": "01/09/2026", "closed_on": "",
    "outcome": "", "at_risk": "0", "follows_ref": "", "adviser": "alice", "requested_by": "personne",
    "partner": "", "consent": "0", "person_ref": "P1", "last_name": "DUPONT", "first_name": "Marie",
    "birth_date": "12/03/1984", "email": "", "phone": "", "address": "", "boeth": "rqth",
    "rqth_until": "30/06/2027", "rqth_definitive": "0", "employer_siret": SIRET_A,
    "employer_name": "Ateliers du Lez", "employer_sector": "prive", "signalement_by": "", "signalement_on": "",
}


def row(sep=",", **changes) -> str:
    values = {**BASE, **changes}
    return sep.join(values[c] for c in records.CASE_COLUMNS)


def cases_file(tmp_path, *rows, name="cases.csv", sep=",", encoding="utf-8", header=None) -> str:
    path = tmp_path / name
    head = header if header is not None else sep.join(records.CASE_COLUMNS)
    path.write_text("\n".join([head, *rows]) + "\n", encoding=encoding)
    return str(path)


def refused_import(cli, store_path, *args) -> list[str]:
    """The import is refused (exit 1, no traceback) and the store is unchanged: the error lines."""
    cli.new_store()  # the store exists: prove the import leaves it as it was
    before = dump(store_path)
    run = cli("import", *args)
    assert run.exit_code == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert dump(store_path) == before
    return [line.removeprefix("capcli: ") for line in run.stderr.strip().splitlines()]


@pytest.fixture
def two_cases(tmp_path):
    return cases_file(
        tmp_path,
        row(case_ref="C1", kind="maintien", phase="mise-en-oeuvre", closed_on="02/11/2026",
            outcome="maintien-poste"),
        row(case_ref="C2", kind="suivi-conventionnel", phase="suivi", opened_on="02/11/2026", follows_ref="C1"),
    )


def test_import_creates_persons_employers_cases_without_firing_rules(cli, two_cases):
    run = cli.ok("import", two_cases)
    assert "cases: 2 created, 0 updated, 0 unchanged" in run.stdout
    assert "persons: 1 created" in run.stdout and "employers: 1 created" in run.stdout
    cases = cli.ok("list", "--json").json
    assert [c["kind"] for c in cases] == ["maintien", "suivi-conventionnel"]  # no extra case opened by rule 4
    second = cli.show(cases[1]["id"])
    assert second["follows"] == cases[0]["id"]
    assert second["contacts"] == []  # the state as it is: no contact scheduled by the import
    assert [e["action"] for e in second["events"]] == ["imported"]
    first = cli.show(cases[0]["id"])
    assert (first["status"], first["outcome"], first["closed_on"]) == ("closed", "maintien-poste", "2026-11-02")
    assert first["external_id"] == "C1"


def _indexes(store_path) -> list:
    import sqlite3

    conn = sqlite3.connect(store_path)
    try:
        return conn.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").fetchall()
    finally:
        conn.close()


def test_a_load_into_an_empty_store_builds_the_indexes_again(cli, store_path, two_cases, tmp_path):
    # An import that at least doubles the store drops the secondary indexes and builds them at
    # the end; they must all be back, exactly as the schema defines them, and check must pass.
    cli.new_store()
    before = _indexes(store_path)
    assert any(name == "ix_accompaniment_person" for name, *_ in before)
    cli.ok("import", two_cases)
    assert _indexes(store_path) == before
    cli.ok("check")
    import sqlite3

    def master():  # in storage order: an index dropped and built again moves to the end
        with sqlite3.connect(store_path) as conn:
            return conn.execute("SELECT name FROM sqlite_master ORDER BY rowid").fetchall()

    stored = master()
    cli.ok("import", two_cases)  # nothing new: the indexes are left alone
    assert master() == stored
    # A refused load (rolled back after the writes began is the same as before they began).
    broken = cases_file(tmp_path, row(case_ref="C3"), row(case_ref="C4", follows_ref="nowhere"), name="bad.csv")
    assert cli("import", broken).exit_code == 1
    assert _indexes(store_path) == before


def test_importing_the_same_file_twice_changes_nothing(cli, store_path, two_cases):
    cli.ok("import", two_cases)
    before = dump(store_path)
    run = cli.ok("import", two_cases)
    assert "cases: 0 created, 0 updated, 2 unchanged" in run.stdout
    assert dump(store_path) == before


def test_a_changed_row_completes_its_record_and_keeps_what_differs(cli, tmp_path, two_cases):
    """An import adds what the store lacks; a value that differs is the store's to correct (person
    edit, reassign...): kept, and said so, never silently overwritten (SPEC §4)."""
    cli.ok("import", two_cases)
    changed = cases_file(
        tmp_path,
        row(case_ref="C1", kind="maintien", phase="mise-en-oeuvre", closed_on="02/11/2026",
            outcome="maintien-poste", last_name="DUPONT-MOREL", phone="06 12 34 56 78"),
        row(case_ref="C2", kind="suivi-conventionnel", phase="suivi", opened_on="02/11/2026", follows_ref="C1",
            adviser="bruno", partner="", last_name="DUPONT-MOREL", phone="06 12 34 56 78"),
        name="changed.csv",
    )
    dry = cli.ok("import", changed, "--dry-run")
    assert "line 2, person P1: phone - → 06 12 34 56 78" in dry.stdout
    assert "line 2, person P1: last_name DUPONT (file: DUPONT-MOREL)" in dry.stdout
    assert "line 3, case C2: adviser alice (file: bruno)" in dry.stdout
    run = cli.ok("import", changed)
    assert "persons: 0 created, 1 updated, 0 unchanged" in run.stdout  # the phone the store lacked
    assert "cases: 0 created, 0 updated, 2 unchanged" in run.stdout
    assert "2 values differ from the store and were kept" in run.stderr
    cases = cli.ok("list", "--json").json
    assert cases[1]["adviser"] == "alice"
    person = cli.ok("person", "list", "--json").json[0]
    assert (person["last_name"], person["phone"]) == ("DUPONT", "06 12 34 56 78")
    assert [e["action"] for e in cli.show(cases[1]["id"])["events"]] == ["imported"]  # nothing changed


def test_a_row_moves_a_case_forward_and_journals_old_and_new(cli, tmp_path):
    cli.ok("import", cases_file(tmp_path, row(case_ref="C1", phase="diagnostic")))
    later = cases_file(tmp_path, row(case_ref="C1", phase="solutions", closed_on="02/11/2026", outcome="echec",
                                     at_risk="1", partner="SPST Lez"), name="later.csv")
    dry = cli.ok("import", later, "--dry-run", "--json").json
    assert dry["changes"] == [{"line": 2, "record": "cases", "ref": "C1", "fields": [
        {"field": "phase", "old": "diagnostic", "new": "solutions"},
        {"field": "closed_on", "old": None, "new": "2026-11-02"},
        {"field": "outcome", "old": None, "new": "echec"},
        {"field": "at_risk", "old": 0, "new": 1},
        {"field": "partner", "old": None, "new": "SPST Lez"}]}]
    assert cli.ok("show", "1", "--json").json["status"] == "open"  # a dry run writes nothing
    cli.ok("import", later)
    case = cli.show(1)
    assert (case["phase"], case["closed_on"], case["outcome"], case["partner"]) == (
        "solutions", "2026-11-02", "echec", "SPST Lez")
    assert case["events"][-1]["detail"] == (
        "phase: diagnostic → solutions; closed_on: - → 2026-11-02; outcome: - → echec; at_risk: 0 → 1; partner")
    assert "closed_on: - → 02/11/2026" in cli.ok("show", "1").stdout  # the history writes dates dd/mm/yyyy


def test_follows_may_point_to_a_later_row_or_to_the_store(cli, tmp_path):
    cli.ok("import", cases_file(tmp_path, row(case_ref="A", closed_on="02/11/2026", outcome="echec",
                                              phase="solutions"), name="a.csv"))
    path = cases_file(
        tmp_path,
        row(case_ref="V", kind="veille", phase="veille", opened_on="03/11/2026", follows_ref="M"),
        row(case_ref="M", kind="maintien-en-emploi", phase="projet", opened_on="02/11/2026", follows_ref="A",
            closed_on="03/11/2026", outcome="reconversion", at_risk="1"),
        name="b.csv",
    )
    cli.ok("import", path)
    cases = {c["external_id"]: c for c in (cli.show(x["id"]) for x in cli.ok("list", "--json").json)}
    assert cases["V"]["follows"] == cases["M"]["id"]
    assert cases["M"]["follows"] == cases["A"]["id"]
    assert cases["M"]["at_risk"] is True


def test_dry_run_counts_and_writes_nothing(cli, store_path, two_cases):
    cli.person()
    before = dump(store_path)
    run = cli.ok("import", two_cases, "--dry-run")
    assert "cases: 2 created, 0 updated, 0 unchanged" in run.stdout
    assert "dry run: nothing was written" in run.stdout
    assert dump(store_path) == before


def test_semicolons_bom_and_day_first_dates(cli, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(("\ufeff" + ";".join(records.CASE_COLUMNS) + "\r\n" + row(";") + "\r\n").encode("utf-8"))
    cli.ok("import", str(path))
    assert cli.ok("list", "--json").json[0]["opened_on"] == "2026-09-01"


def test_a_record_spanning_lines_is_named_by_its_first_line(cli, store_path, tmp_path):
    path = cases_file(tmp_path, row(case_ref="C1"), row(case_ref="C2", address='"1 rue du Lez\n34000 Montpellier"',
                                                          kind="veille"), row(case_ref="C3", kind="nope"))
    lines = refused_import(cli, store_path, path)
    assert lines[0].startswith("line 3, column phase:")  # C2 spans lines 3-4 (its phase is not a veille's)
    assert lines[1].startswith("line 5, column kind: unknown kind 'nope'")


def test_excel_trailing_separators_and_rows_of_separators_only(cli, tmp_path):
    path = cases_file(tmp_path, row(sep=";") + ";;", ";" * 26, row(sep=";", case_ref="C2") + ";", sep=";",
                      header=";".join(records.CASE_COLUMNS) + ";;")
    run = cli.ok("import", path)
    assert "imported 2 rows" in run.stdout and "cases: 2 created" in run.stdout


def test_windows_1252_with_accents(cli, tmp_path):
    path = cases_file(tmp_path, row(";", last_name="LEFÈVRE", first_name="Hélène", partner="médecin du travail",
                                    requested_by="partenaire"), sep=";", encoding="cp1252")
    cli.ok("import", path)
    person = cli.ok("person", "list", "--json").json[0]
    assert (person["last_name"], person["first_name"]) == ("LEFÈVRE", "Hélène")
    assert cli.show(cli.ok("list", "--json").json[0]["id"])["partner"] == "médecin du travail"


def test_an_accent_far_down_a_windows_1252_file(cli, tmp_path):
    # the encoding is guessed from the first 64 KB: all ASCII there, then "Hélène" on row 2000
    rows = [row(case_ref=f"C{i}", person_ref=f"P{i}", first_name="Marie" if i < 1999 else "Hélène",
                last_name=f"DUPONT{i}",  # 2,000 people, not one person twice (a refused duplicate)
                employer_siret="", employer_name="", employer_sector="") for i in range(2000)]
    path = tmp_path / "late.csv"
    path.write_bytes(("\n".join([",".join(records.CASE_COLUMNS), *rows]) + "\n").encode("cp1252"))
    assert path.stat().st_size > 1 << 16
    assert "cases: 2000 created" in cli.ok("import", str(path)).stdout
    names = {p["first_name"] for p in cli.ok("person", "list", "--json").json}
    assert names == {"Marie", "Hélène"}


def test_encoding_option_overrides_detection(cli, tmp_path):
    path = cases_file(tmp_path, row(last_name="LEFÈVRE"), encoding="cp1252")
    cli.ok("import", path, "--encoding", "latin-1")
    assert cli.ok("person", "list", "--json").json[0]["last_name"] == "LEFÈVRE"


def test_json_lines(cli, tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({**BASE, "at_risk": False, "consent": True}) + "\n", encoding="utf-8")
    cli.ok("import", str(path))
    case = cli.show(cli.ok("list", "--json").json[0]["id"])
    assert (case["consent"], case["at_risk"], case["external_id"]) == (True, False, "C1")


def test_json_lines_keep_the_keys_of_the_first_line_and_text_values(cli, store_path, tmp_path):
    path = tmp_path / "cases.jsonl"
    second = {k: v for k, v in {**BASE, "case_ref": "C2"}.items() if k not in ("closed_on", "outcome")}
    path.write_text(json.dumps(BASE) + "\n" + json.dumps(second) + "\n", encoding="utf-8")
    assert refused_import(cli, store_path, str(path))[0] == (
        "line 2, column closed_on: the keys differ from line 1's (missing: closed_on, outcome; extra: -)")
    path.write_text(json.dumps({**BASE, "first_name": ["Marie"]}) + "\n", encoding="utf-8")
    assert refused_import(cli, store_path, str(path))[0] == (
        "line 1, column first_name: a text, a number or null, not a list or an object")


# --- bad input: each named by its line and column, nothing written -----------------------------


def test_unknown_column_in_the_header(cli, store_path, tmp_path):
    header = ",".join(records.CASE_COLUMNS).replace("kind", "type")
    lines = refused_import(cli, store_path, cases_file(tmp_path, row(), header=header))
    assert lines[0].startswith("line 1, column type: unknown column for a cases file")


def test_missing_column_in_the_header(cli, store_path, tmp_path):
    header = ",".join(c for c in records.CASE_COLUMNS if c != "opened_on")
    body = ",".join(BASE[c] for c in records.CASE_COLUMNS if c != "opened_on")
    lines = refused_import(cli, store_path, cases_file(tmp_path, body, header=header))
    assert lines[0].startswith("line 1, column opened_on: missing from the header of a cases file")


def test_unknown_kind_and_outcome_are_each_named(cli, store_path, tmp_path):
    path = cases_file(tmp_path, row(case_ref="C1"), row(case_ref="C2", kind="maintient"),
                      row(case_ref="C3", closed_on="02/11/2026", outcome="reussite"))
    lines = refused_import(cli, store_path, path)
    assert lines[0].startswith("line 3, column kind: unknown kind 'maintient': did you mean 'maintien'? (valid: acces-emploi,")
    assert lines[1].startswith("line 4, column outcome: unknown outcome 'reussite' (valid: maintien-poste,")
    assert lines[-1] == "2 bad row(s): nothing was imported"


def test_phase_of_another_kind(cli, store_path, tmp_path):
    lines = refused_import(cli, store_path, cases_file(tmp_path, row(phase="recherche")))
    assert lines[0].startswith("line 2, column phase: unknown phase 'recherche' (valid: signalement,")


def test_invalid_siret(cli, store_path, tmp_path):
    lines = refused_import(cli, store_path, cases_file(tmp_path, row(employer_siret="73282932000008")))
    assert lines[0] == ("line 2, column employer_siret: invalid SIRET '73282932000008': the check digit does not "
                        "match (it catches one wrong digit, and two neighbouring digits swapped unless they are 0 "
                        "and 9)")


def test_impossible_date_and_closing_before_opening(cli, store_path, tmp_path):
    path = cases_file(tmp_path, row(case_ref="C1", opened_on="31/02/2026"),
                      row(case_ref="C2", closed_on="01/01/2026", outcome="echec"))
    lines = refused_import(cli, store_path, path)
    assert lines[0] == "line 2, column opened_on: invalid opened_on '31/02/2026': no such day in the calendar"
    assert lines[1] == "line 3, column closed_on: 01/01/2026 is before the case opened (01/09/2026)"


def test_person_fields_use_the_checks_of_person_add(cli, store_path, tmp_path):
    path = cases_file(tmp_path, row(case_ref="C1", email="nobody"),
                      row(case_ref="C2", person_ref="P2", birth_date="1984-13-01"),
                      row(case_ref="C3", person_ref="P3", boeth="aah", rqth_until="30/06/2027"))
    lines = refused_import(cli, store_path, path)
    assert lines[0] == "line 2, column email: invalid e-mail address 'nobody'"
    assert lines[1].startswith("line 3, column birth_date: invalid --birth-date '1984-13-01'")
    assert lines[2].startswith("line 4, column rqth_until: --rqth-until and --rqth-definitive go with")


def test_same_external_id_twice_with_different_data(cli, store_path, tmp_path):
    path = cases_file(tmp_path, row(case_ref="C1"), row(case_ref="C1"), row(case_ref="C1", phase="solutions"))
    lines = refused_import(cli, store_path, path)
    assert lines[0] == "line 4, column case_ref: 'C1' already at line 2 with different data"
    assert len(lines) == 2


def test_same_person_with_different_details(cli, store_path, tmp_path):
    path = cases_file(tmp_path, row(case_ref="C1"), row(case_ref="C2", kind="acces-emploi", phase="projet",
                                                        first_name="Marine"))
    lines = refused_import(cli, store_path, path)
    assert lines[0] == "line 3, column person_ref: 'P1' already at line 2 with different data"


def test_unknown_follows_ref(cli, store_path, tmp_path):
    lines = refused_import(cli, store_path, cases_file(tmp_path, row(follows_ref="NOPE")))
    assert lines[0] == "line 2, column follows_ref: no case 'NOPE' in the file or in the store"


def test_a_follows_ref_to_a_refused_row_says_so(cli, store_path, tmp_path):
    lines = refused_import(cli, store_path, cases_file(
        tmp_path,
        row(case_ref="M1", employer_siret="12345678901234"),
        row(case_ref="S1", kind="suivi-conventionnel", phase="suivi", follows_ref="M1"),
        row(case_ref="M2", partner="a, b"),  # an unquoted comma: one field too many
        row(case_ref="S2", kind="suivi-conventionnel", phase="suivi", follows_ref="M2"),
    ))
    assert lines[0].startswith("line 2, column employer_siret: invalid SIRET '12345678901234'")
    assert lines[1] == "line 3, column follows_ref: case 'M1' is on line 2, which was refused"
    assert lines[2].startswith("line 4: the line has 28 fields, the header 27")
    assert lines[3] == "line 5, column follows_ref: case 'M2' is on line 4, which was refused"


def test_truncated_last_line(cli, store_path, tmp_path):
    path = tmp_path / "cut.csv"
    path.write_text(",".join(records.CASE_COLUMNS) + "\n" + row() + "\n" + row(case_ref="C2")[:40],
                    encoding="utf-8")
    lines = refused_import(cli, store_path, str(path))
    assert lines[0].startswith("line 3, column ")
    assert "(a truncated or broken line?)" in lines[0]


def test_binary_garbage(cli, store_path, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    lines = refused_import(cli, store_path, str(path))
    assert lines == [f"line 3: {path} is not a text file (binary data): export it as CSV first"]


def test_empty_file(cli, store_path, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert refused_import(cli, store_path, str(path)) == [f"line 1: {path} is empty: nothing to import"]


def test_missing_file(cli, store_path, tmp_path):
    path = tmp_path / "nope.csv"
    assert refused_import(cli, store_path, str(path)) == [f"cannot read {path}: no such file"]


def test_the_report_is_capped_with_a_count(cli, store_path, tmp_path):
    path = cases_file(tmp_path, *(row(case_ref=f"C{i}", kind="bogus") for i in range(25)))
    lines = refused_import(cli, store_path, path)
    assert len(lines) == 22
    assert lines[20] == "... and 5 more"
    assert lines[21] == "25 bad row(s): nothing was imported"


def test_one_bad_row_among_good_ones_writes_nothing(cli, store_path, tmp_path):
    cli.person()
    path = cases_file(tmp_path, *(row(case_ref=f"C{i}") for i in range(50)), row(case_ref="X", opened_on="hier"))
    lines = refused_import(cli, store_path, path)
    assert lines[0].startswith("line 52, column opened_on: invalid opened_on 'hier'")


# --- contacts -----------------------------------------------------------------------------------


def contacts_file(tmp_path, *rows) -> str:
    path = tmp_path / "contacts.csv"
    path.write_text("\n".join([",".join(records.CONTACT_COLUMNS), *rows]) + "\n", encoding="utf-8")
    return str(path)


def test_contacts_import_and_update(cli, tmp_path, two_cases):
    cli.ok("import", two_cases)
    run = cli.ok("import", contacts_file(tmp_path, "C2,1,02/02/2027,,,"))
    assert "contacts: 1 created" in run.stdout
    assert refused_import(cli, cli.store_path, contacts_file(tmp_path, "C2,1,02/02/2027,03/02/2027,1,stable ?"))[0] \
        == "line 2, column done_on: 03/02/2027 is in the future: record what has happened"
    cli.today = "2027-02-10"
    run = cli.ok("import", contacts_file(tmp_path, "C2,1,02/02/2027,03/02/2027,1,stable ?"))
    assert "contacts: 0 created, 1 updated, 0 unchanged" in run.stdout
    events = cli.show(cli.ok("list", "--json").json[1]["id"])["events"]
    assert (events[-1]["action"], events[-1]["detail"], events[-1]["on"]) == (
        "import-updated", "contact 1: done_on: - → 2027-02-03; at_risk: - → 1; note", "2027-02-10")
    case = cli.show(cli.ok("list", "--json").json[1]["id"])
    assert case["contacts"][0]["done_on"] == "2027-02-03" and case["contacts"][0]["at_risk"] is True


def test_contacts_of_an_unknown_case_and_bad_number(cli, store_path, tmp_path):
    lines = refused_import(cli, store_path, contacts_file(tmp_path, "C9,1,02/02/2027,,,", "C9,zero,02/02/2027,,,"))
    assert lines[0] == "line 2, column case_ref: no case 'C9' in the store: import the cases file first"
    assert lines[1] == "line 3, column number: 'zero' is not a contact number (1, 2, 3…)"


def test_progress_is_reported_up_to_the_whole_file(tmp_path, store_path):
    """The terminal's progress bar is fed with bytes read (the command shows it only on a terminal)."""
    from capcli.env import Env
    from capcli.services.transfer import import_file
    from capcli.store.engine import open_store

    path = cases_file(tmp_path, *(row(case_ref=f"C{i}") for i in range(12_000)))
    seen: list[int] = []
    store = open_store(store_path, create=True)
    try:
        report = import_file(store, Env(environ={"CAPCLI_TODAY": "2026-11-22", "CAPCLI_ADVISER": "alice"}),
                             path, progress=seen.append)
    finally:
        store.close()
    assert report.counts["cases"]["created"] == 12_000
    assert len(seen) >= 3 and seen == sorted(seen) and seen[-1] == (tmp_path / "cases.csv").stat().st_size


def test_nothing_on_stderr_when_piped(cli, two_cases):
    assert cli.ok("import", two_cases).stderr == ""


def test_odd_numbers_encodings_and_json_depth_are_refused_by_line(cli, store_path, tmp_path, two_cases):
    cli.ok("import", two_cases)
    head = "case_ref,number,due_on,done_on,at_risk,note\n"
    for number in ("²", "9" * 25):
        path = tmp_path / "contacts.csv"
        path.write_text(head + f"C2,{number},2026-12-01,,,\n", encoding="utf-8")
        assert refused_import(cli, store_path, str(path))[0] == (
            f"line 2, column number: '{number}' is not a contact number (1, 2, 3…)")
    for codec in ("rot13", "base64"):
        assert refused_import(cli, store_path, "--encoding", codec, two_cases) == [
            f"unknown encoding '{codec}' (e.g. utf-8, cp1252)"]
    deep = tmp_path / "deep.jsonl"
    deep.write_text('{"a":' * 50_000 + "1" + "}" * 50_000 + "\n", encoding="utf-8")
    assert refused_import(cli, store_path, str(deep))[0] == "line 1: not a JSON object (nested too deep)"


def test_utf16_files_with_their_bom(cli, tmp_path, two_cases):
    from pathlib import Path

    text = Path(two_cases).read_text(encoding="utf-8")
    utf16 = tmp_path / "unicode.csv"
    utf16.write_bytes(text.encode("utf-16"))  # with its BOM, as Excel writes "Unicode" text
    assert "cases: 2 created" in cli.ok("import", str(utf16)).stdout
    plain = tmp_path / "plain16.csv"
    plain.write_bytes(text.encode("utf-16-le"))  # no BOM: only with --encoding
    assert "cases: 0 created, 0 updated, 2 unchanged" in cli.ok("import", "--encoding", "utf-16-le",
                                                                  str(plain)).stdout


def test_future_dates_and_contacts_that_break_the_convention_are_refused(cli, store_path, tmp_path):
    lines = refused_import(cli, store_path, cases_file(
        tmp_path, row(case_ref="F1", opened_on="01/12/2026"), row(case_ref="F2", closed_on="23/11/2026",
                                                                    outcome="sans-suite")))
    assert lines[:2] == ["line 2, column opened_on: 01/12/2026 is in the future: record what has happened",
                         "line 3, column closed_on: 23/11/2026 is in the future: record what has happened"]
    cli.ok("import", cases_file(
        tmp_path, row(case_ref="M"), row(case_ref="S", kind="suivi-conventionnel", phase="suivi",
                                          opened_on="02/11/2026", follows_ref="M")))
    # a suivi-conventionnel has 2 contacts at most (renewed once); a contact is done after its case opened
    lines = refused_import(cli, store_path, contacts_file(
        tmp_path, "S,1,02/02/2027,,,", "S,2,02/05/2027,,,", "S,3,02/08/2027,,,", "M,1,01/10/2026,01/08/2026,0,"))
    assert lines == [
        "line 2, column case_ref: case 2 (suivi-conventionnel) has 3 contacts: a suivi-conventionnel is renewed "
        "once (2 contacts)",
        "line 5, column case_ref: case 1 (maintien): contact 1 was done on 01/08/2026, before the case opened "
        "(01/09/2026)",
        "2 bad row(s): nothing was imported",
    ]


def test_a_malformed_capcli_ref_is_refused_in_cases_and_contacts_files(cli, store_path, tmp_path):
    """capcli-<id> is how exports name a record with no external id: any other capcli-... is refused."""
    lines = refused_import(cli, store_path, cases_file(
        tmp_path, row(case_ref="capcli-x1"), row(case_ref="C2", person_ref="Capcli-07"),
        row(case_ref="C3", follows_ref="CAPCLI-3")))
    assert lines == [
        "line 2, column case_ref: invalid external id 'capcli-x1': ids starting with 'capcli-' are capcli's own",
        "line 3, column person_ref: invalid external id 'Capcli-07': ids starting with 'capcli-' are capcli's own",
        "line 4, column follows_ref: invalid external id 'CAPCLI-3': ids starting with 'capcli-' are capcli's own",
        "3 bad row(s): nothing was imported",
    ]
    lines = refused_import(cli, store_path, contacts_file(tmp_path, "capcli-0,1,02/02/2027,,,"))
    assert lines == [
        "line 2, column case_ref: invalid external id 'capcli-0': ids starting with 'capcli-' are capcli's own",
        "1 bad row(s): nothing was imported"]


def test_an_exact_duplicate_of_a_person_is_refused_unless_duplicate_ok(cli, store_path, tmp_path):
    """The same names (accents and case aside) and birth date: in the store, or twice in the file."""
    cli.person("LÉVÊQUE", "Hélène", "--birth-date", "12/03/1984")
    same = cases_file(tmp_path, row(case_ref="C1", person_ref="P1", last_name="Leveque", first_name="HELENE"))
    errors = refused_import(cli, store_path, same)
    assert errors[0] == ("line 2, column person_ref: Leveque HELENE born 12/03/1984 is already person 1: see "
                         "'capcli person show 1' (two people with the same name and birth date: add --duplicate-ok)")
    twice = cases_file(tmp_path, row(case_ref="C1", person_ref="P1", last_name="MARTIN"),
                       row(case_ref="C2", person_ref="P2", last_name="Martin"), name="twice.csv")
    assert refused_import(cli, store_path, twice)[0] == (
        "line 3, column person_ref: 'P2' has the names and birth date of 'P1' on line 2: the same person twice? "
        "(two people with the same name and birth date: add --duplicate-ok)")
    assert "persons: 1 created" in cli.ok("import", same, "--duplicate-ok").stdout


def test_a_cancelled_case_is_not_exported_nor_brought_back(cli, store_path, tmp_path):
    person = cli.person("DUPONT", "Marie")
    kept, mistake = cli.open("maintien", person), cli.open("acces-emploi", person)
    old = tmp_path / "old.csv"
    cli.ok("export", "cases", "-o", str(old))
    cli.ok("cancel", str(mistake), "--reason", "wrong person")
    assert [r.split(",")[0] for r in cli.ok("export", "cases").stdout.splitlines()[1:]] == [f"capcli-{kept}"]
    errors = refused_import(cli, store_path, str(old))
    assert errors[0] == (f"line 3, column case_ref: case 'capcli-{mistake}' was cancelled on 22/11/2026 (opened "
                         "by mistake): an import does not bring it back")

