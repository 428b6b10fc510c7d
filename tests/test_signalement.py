"""Where a case comes from (open --signalement-by/--signalement-on), how fast it is taken up (report
"uptake": délai de prise en charge), and the two columns in export and import."""

from __future__ import annotations

import pytest

from capcli.domain import codes, records
from tests.conftest import dump
from tests.test_import import cases_file, refused_import, row


@pytest.fixture
def marie(cli):
    return cli.person()


def test_open_records_the_signalement_and_show_gives_it(cli, marie):
    case = cli.open("maintien", marie, "--on", "10/11/2026", "--signalement-by", "Médecin travail",
                    "--signalement-on", "02/11/2026")
    shown = cli.show(case)
    assert (shown["signalement_by"], shown["signalement_on"]) == ("medecin-travail", "2026-11-02")
    assert "Signalement   medecin-travail · 02/11/2026" in cli.ok("show", str(case)).stdout


def test_the_signalement_is_optional_and_each_half_stands_alone(cli, marie):
    none = cli.show(cli.open("acces-emploi", marie))
    assert (none["signalement_by"], none["signalement_on"]) == (None, None)
    assert "Signalement" not in cli.ok("show", str(none["id"])).stdout
    by_only = cli.show(cli.open("evolution-pro", marie, "--signalement-by", "france-travail"))
    assert (by_only["signalement_by"], by_only["signalement_on"]) == ("france-travail", None)
    on_the_day = cli.show(cli.open("maintien", marie, "--signalement-on", "22/11/2026"))  # the opening day: fine
    assert on_the_day["signalement_on"] == "2026-11-22"


def test_every_source_is_a_code(cli, marie):
    for i, source in enumerate(codes.SIGNALEMENT_SOURCES):
        person = cli.person("DUPONT", f"Ana{'a' * i}")
        assert cli.show(cli.open("acces-emploi", person, "--signalement-by", source))["signalement_by"] == source


@pytest.mark.parametrize("args, message", [
    (["--signalement-by", "medecin"], "unknown signalement source 'medecin' (valid: pdp, medecin-travail, cpam, "
                                      "france-travail, employeur, personne, mdph, autre)"),
    (["--signalement-by", "pdp\x1b[2J"], "unknown signalement source"),
    (["--signalement-on", "23/11/2026"], "23/11/2026 is in the future: record what has happened"),
    (["--on", "01/11/2026", "--signalement-on", "02/11/2026"],
     "the signalement on 02/11/2026 is after the opening (01/11/2026): a case is signalled, then opened"),
    (["--signalement-on", "31/02/2026"], "--signalement-on"),
    (["--signalement-on", "hier"], "--signalement-on"),
])
def test_a_bad_signalement_is_refused_and_nothing_is_written(cli, store_path, marie, args, message):
    before = dump(store_path)
    assert message in cli.refused("open", "maintien", "--person", str(marie), *args)
    assert dump(store_path) == before


# --- report: délai de prise en charge ------------------------------------------------


def uptake(cli, *args):
    return cli.ok("report", "--all", "--section", "uptake", "--json", *args).json["uptake"]


def test_uptake_counts_from_the_signalement_to_the_first_action_not_the_opening(cli, marie):
    # signalled 01/10, opened 05/10, diagnostic phase reached 20/10: 19 days (the opening is not the uptake)
    m = cli.open("maintien", marie, "--signalement-by", "medecin-travail", "--signalement-on", "01/10/2026",
                 "--on", "05/10/2026")
    cli.ok("advance", str(m), "--on", "20/10/2026")
    # signalled 01/09, opened the same day, a need added on 15/10: 44 days, not within 30
    a = cli.open("acces-emploi", marie, "--signalement-by", "france-travail", "--signalement-on", "01/09/2026",
                 "--on", "01/09/2026")
    cli.ok("need", "add", str(a), "--category", "formation", "--description", "CACES", "--on", "15/10/2026")
    # signalled 05/09 by France Travail, nothing done since: more than 30 days without an answer
    cli.open("evolution-pro", marie, "--signalement-by", "france-travail", "--signalement-on", "05/09/2026",
             "--on", "06/09/2026")
    # signalled 20/11, nothing done yet: too early to say it was late (not in the share)
    cli.open("emploi-accompagne", marie, "--signalement-by", "mdph", "--signalement-on", "20/11/2026")
    # no signalement day: not counted at all
    cli.open("maintien", cli.person("MARTIN", "Paul"), "--signalement-by", "cpam")
    result = uptake(cli)
    rows = {r["signalement_by"]: r for r in result["rows"]}
    assert list(rows) == ["medecin-travail", "france-travail", "mdph"]  # the order of the codes
    assert rows["medecin-travail"] == {"signalement_by": "medecin-travail", "cases": 1, "taken_up": 1,
                                       "median_days": 19.0, "within_30_days": 1, "share": 1.0}
    assert rows["france-travail"] == {"signalement_by": "france-travail", "cases": 2, "taken_up": 1,
                                      "median_days": 44.0, "within_30_days": 0, "share": 0.0}
    assert rows["mdph"] == {"signalement_by": "mdph", "cases": 1, "taken_up": 0, "median_days": None,
                            "within_30_days": 0, "share": None}
    # 19 and 44 days: median 31.5; 1 within 30 days of the 3 whose answer is known
    assert result["total"] == {"cases": 4, "taken_up": 2, "median_days": 31.5, "within_30_days": 1,
                               "share": 0.3333}


def test_uptake_on_the_30th_day_is_within_and_a_closing_counts(cli, marie):
    m = cli.open("maintien", marie, "--signalement-by", "pdp", "--signalement-on", "01/10/2026", "--on", "01/10/2026")
    cli.ok("advance", str(m), "--on", "31/10/2026")  # 30 days exactly
    c = cli.open("maintien", cli.person("MARTIN", "Paul"), "--signalement-by", "pdp", "--signalement-on", "01/10/2026", "--on", "01/10/2026")
    cli.ok("close", str(c), "--outcome", "sans-suite", "--on", "01/11/2026")  # 31 days: a closing is an answer
    row_ = uptake(cli)["rows"][0]
    assert (row_["taken_up"], row_["within_30_days"], row_["median_days"], row_["share"]) == (2, 1, 30.5, 0.5)


def test_uptake_leaves_out_actions_after_the_period_and_cancelled_cases(cli, marie):
    cli.today = "2026-12-15"
    m = cli.open("maintien", marie, "--signalement-by", "cpam", "--signalement-on", "01/11/2026", "--on", "02/11/2026")
    cli.ok("advance", str(m), "--on", "10/12/2026")  # after November
    x = cli.open("maintien", cli.person("MARTIN", "Paul"), "--signalement-by", "cpam", "--signalement-on", "01/11/2026", "--on", "02/11/2026")
    cli.ok("cancel", str(x), "--reason", "opened twice")
    november = cli.ok("report", "--all", "--month", "2026-11", "--section", "uptake", "--json").json["uptake"]
    assert november["total"] == {"cases": 1, "taken_up": 0, "median_days": None, "within_30_days": 0, "share": None}
    december = uptake(cli, "--from", "01/11/2026")
    assert december["total"]["taken_up"] == 1 and december["total"]["median_days"] == 39.0


def test_uptake_screen_and_csv(cli, marie):
    m = cli.open("maintien", marie, "--signalement-by", "medecin-travail", "--signalement-on", "01/10/2026",
                 "--on", "05/10/2026")
    cli.ok("advance", str(m), "--on", "20/10/2026")
    text = cli.ok("report", "--all", "--section", "uptake").stdout
    assert "Délai de prise en charge" in text and "medecin-travail" in text
    assert all(len(line) <= 80 for line in text.splitlines()), text
    csv = cli.ok("report", "--all", "--section", "uptake", "--csv").stdout.splitlines()
    assert csv == ["signalement_by,cases,taken_up,median_days,within_30_days,share",
                   "medecin-travail,1,1,19.0,1,1.0", "total,1,1,19.0,1,1.0"]
    assert "délai" in cli.ok("report", "--all", "--section", "uptake", CAPCLI_LANG="fr").stdout.lower()


# --- export and import ---------------------------------------------------------------


def test_export_cases_carries_the_signalement(cli, marie):
    cli.open("maintien", marie, "--signalement-by", "cpam", "--signalement-on", "01/10/2026", "--on", "05/10/2026")
    lines = cli.ok("export", "cases").stdout.splitlines()
    header = lines[0].split(",")
    cells = dict(zip(header, lines[1].split(",")))
    assert (cells["signalement_by"], cells["signalement_on"]) == ("cpam", "2026-10-01")
    excel = cli.ok("export", "cases", "--excel").stdout
    assert ";cpam;01/10/2026;" in excel


def test_import_reads_the_signalement(cli, tmp_path):
    cli.ok("import", cases_file(tmp_path, row(signalement_by="Medecin-Travail", signalement_on="20/08/2026")))
    case = cli.ok("list", "--json").json[0]
    shown = cli.show(case["id"])
    assert (shown["signalement_by"], shown["signalement_on"]) == ("medecin-travail", "2026-08-20")


def test_import_fills_an_empty_signalement_and_never_takes_one_back(cli, tmp_path):
    cli.ok("import", cases_file(tmp_path, row(), name="a.csv"))
    run = cli.ok("import", cases_file(tmp_path, row(signalement_by="pdp", signalement_on="25/08/2026"), name="b.csv"))
    assert "cases: 0 created, 1 updated" in run.stdout
    case_id = cli.ok("list", "--json").json[0]["id"]
    assert (cli.show(case_id)["signalement_by"], cli.show(case_id)["signalement_on"]) == ("pdp", "2026-08-25")
    # another value, or an empty cell: the stored one is kept
    run = cli.ok("import", cases_file(tmp_path, row(signalement_by="cpam", signalement_on="20/08/2026"), name="c.csv"))
    assert "kept" in run.stdout + run.stderr
    run = cli.ok("import", cases_file(tmp_path, row(), name="d.csv"))
    shown = cli.show(case_id)
    assert (shown["signalement_by"], shown["signalement_on"]) == ("pdp", "2026-08-25")


@pytest.mark.parametrize("cells, message", [
    ({"signalement_by": "voisin"}, "line 2, column signalement_by: unknown signalement source 'voisin'"),
    ({"signalement_on": "31/13/2026"}, "line 2, column signalement_on:"),
    ({"signalement_on": "23/11/2026"}, "line 2, column signalement_on: 23/11/2026 is in the future"),
    ({"signalement_on": "02/09/2026"},
     "line 2, column signalement_on: the signalement on 02/09/2026 is after the opening (01/09/2026)"),
])
def test_import_refuses_a_bad_signalement_naming_line_and_column(cli, store_path, tmp_path, cells, message):
    lines = refused_import(cli, store_path, cases_file(tmp_path, row(**cells)))
    assert lines[0].startswith(message), lines


def test_a_filled_signalement_after_the_stored_opening_is_refused(cli, store_path, tmp_path):
    cli.ok("import", cases_file(tmp_path, row(opened_on="01/09/2026"), name="a.csv"))
    before = dump(store_path)
    # the file says the case opened later (a date the store keeps), and was signalled after the stored opening
    run = cli("import", cases_file(tmp_path, row(opened_on="10/09/2026", signalement_on="05/09/2026"), name="b.csv"))
    assert run.exit_code == 1
    assert "column signalement_on: the signalement on 05/09/2026 is after the opening (01/09/2026)" in run.stderr
    assert dump(store_path) == before


def test_the_columns_are_declared_where_a_case_comes_from(cli):
    assert records.CASE_COLUMNS[12:14] == ("signalement_by", "signalement_on")
