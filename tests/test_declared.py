"""The file columns are declared once (capcli.domain.records): the export's SQL, the staging tables
and the import's parsers follow from the declarations, and agree with them."""

from __future__ import annotations

from datetime import date

from capcli.domain import records
from capcli.services import transfer
from capcli.store import transfer as sql
from tests.conftest import SIRET_A
from tests.test_export import caseload  # noqa: F401 (a fixture)
from tests.test_import import BASE

CONTACT = {"case_ref": "C1", "number": "2", "due_on": "01/12/2026", "done_on": "03/12/2026", "at_risk": "1",
           "note": "vu"}


def staged(parser, values: dict, columns: tuple[str, ...], staging: tuple[str, ...]) -> dict:
    row = parser.parse([values[c] for c in columns], 7)
    assert len(row) == len(staging)
    return dict(zip(staging, row))


def test_every_declared_column_has_its_sql_expression_and_no_other():
    for report, columns in records.DECLARED.items():
        declared = set(records.names(columns)) | (set(records.HEALTH_COLUMNS) if report == "cases" else set())
        assert set(sql.EXPORT_SQL[report]) == declared, report
    assert set(sql.EXPORT_SQL) == set(records.DECLARED) == set(records.REPORTS)


def test_the_staging_tables_follow_the_declarations():
    assert sql.STAGE_CASE_COLUMNS == ("line", *(s.name for s in records.staged(records.CASES)),
                                      *sql.CASE_FINGERPRINTS)
    assert sql.STAGE_CONTACT_COLUMNS == ("line", *(s.name for s in records.staged(records.CONTACTS)), "fp")
    # every imported column is staged, every exported-only one is not
    assert all(c.stage for c in (*records.CASES, *records.CONTACTS))
    assert not any(c.stage for c in (*records.HEALTH, *records.NEEDS, *records.PERSONS))


def test_the_case_parser_stages_each_cell_in_its_declared_column():
    row = staged(transfer._CaseRows(date(2026, 12, 1)), {**BASE, "follows_ref": "capcli-4", "partner": "SPST",
                                                         "email": "m@x.fr", "at_risk": "1"},
                 records.CASE_COLUMNS, sql.STAGE_CASE_COLUMNS)
    assert row["line"] == 7
    assert (row["ref"], row["ref_num"], row["kind"], row["phase"]) == ("C1", 0, "maintien", "diagnostic")
    assert (row["opened_on"], row["closed_on"], row["outcome"], row["at_risk"]) == ("2026-09-01", "", "", 1)
    assert (row["follows_ref"], row["follows_num"], row["adviser"], row["partner"]) == ("capcli-4", 4, "alice", "SPST")
    assert (row["person_ref"], row["last_name"], row["first_name"], row["birth_date"]) == (
        "P1", "DUPONT", "Marie", "1984-03-12")
    assert (row["email"], row["boeth"], row["rqth_until"], row["rqth_definitive"]) == ("m@x.fr", "rqth", "2027-06-30", 0)
    assert (row["siret"], row["employer_name"], row["sector"]) == (SIRET_A, "Ateliers du Lez", "prive")
    assert all(isinstance(row[fp], int) for fp in sql.CASE_FINGERPRINTS)


def test_an_empty_cell_is_staged_as_its_declared_empty_value():
    """What the store's views read as NULL (an empty cell keeps the stored value) is what the
    declarations say, for every column that may be empty."""
    empty = {c.name for c in records.CASES if all(s.empty is not None for s in c.stage)}
    empty -= {"employer_name", "employer_sector"}  # (an employer needs all three; without a SIRET, none)
    values = {**BASE, **{name: "" for name in empty}, "employer_name": "", "employer_sector": ""}
    row = staged(transfer._CaseRows(date(2026, 12, 1)), values, records.CASE_COLUMNS, sql.STAGE_CASE_COLUMNS)
    for column in records.CASES:
        for stage in column.stage:
            if column.name in empty or column.name.startswith("employer_"):
                assert repr(row[stage.name]).replace('"', "'") == stage.empty, stage.name
    row = staged(transfer._ContactRows(date(2026, 12, 31)), {**CONTACT, "done_on": "", "at_risk": "", "note": ""},
                 records.CONTACT_COLUMNS, sql.STAGE_CONTACT_COLUMNS)
    assert (row["done_on"], row["at_risk"], row["note"]) == ("", -1, "")
    assert [s.empty for c in records.CONTACTS if c.name in ("done_on", "at_risk", "note") for s in c.stage] == [
        "''", "-1", "''"]


def test_the_contact_parser_stages_each_cell_in_its_declared_column():
    row = staged(transfer._ContactRows(date(2026, 12, 31)), CONTACT, records.CONTACT_COLUMNS,
                 sql.STAGE_CONTACT_COLUMNS)
    assert {k: v for k, v in row.items() if k != "fp"} == {
        "line": 7, "ref": "C1", "ref_num": 0, "number": 2, "due_on": "2026-12-01", "done_on": "2026-12-03",
        "at_risk": 1, "note": "vu"}


def test_the_cell_treatments_follow_the_declarations():
    assert records.DATE_COLUMNS >= {"opened_on", "closed_on", "birth_date", "due_on", "done_on", "anonymised_on"}
    assert "kind" not in records.DATE_COLUMNS and "case_ref" not in records.DATE_COLUMNS
    assert records.NOT_TEXT_COLUMNS == records.DATE_COLUMNS | {"number", "at_risk", "consent", "rqth_definitive",
                                                               "amount"}
    assert records.MULTILINE_COLUMNS == {"note", "description", "address"}


def test_an_export_selects_the_columns_it_is_given(cli, store_path, caseload):
    """The SELECT is built from the column names: asked for fewer, it returns those only, in order."""
    from capcli.store.engine import open_store

    store = open_store(store_path)
    cursor = sql.export_cases(store, ("kind", "case_ref"), since=None, adviser=None)
    assert [d[0] for d in cursor.description] == ["kind", "case_ref"]
    assert cursor.fetchone()[1].startswith(records.REF_PREFIX)
