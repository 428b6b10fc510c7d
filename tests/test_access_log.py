"""The access log of health data (issue 17): every look logged with its author, `capcli access-log`,
the person's file listing the looks, and the purge after access_log_months; on both engines."""

import json
from datetime import datetime

import pytest

from tests.conftest import dump, sql
from tests.test_prompts import ENTER, terminal


@pytest.fixture
def diagnosed(cli):
    """A person, with a case whose diagnostic holds health data, and another case without one."""
    person = cli.person()
    case = cli.open("maintien", person, "--on", "2026-09-01")
    cli.ok("advance", str(case), "--on", "2026-09-02")
    cli.ok("diagnose", str(case), "--situation", "Cariste", "--restriction", "pas de charges",
           "--disability-type", "moteur", "--health-opinion", "apte-avec-restrictions", "--on", "2026-10-01")
    other = cli.open("maintien", cli.person("MARTIN", "Luc"))
    return person, case, other


def _log(store_path) -> list[tuple]:
    return sql(store_path, "SELECT author, action, person_id, case_id, detail FROM access_log ORDER BY id")


def test_writing_a_diagnostic_and_the_reads_without_health_data_log_nothing(cli, store_path, diagnosed):
    person, case, other = diagnosed
    for command in (["show", other], ["show", other, "--json"], ["list"], ["person", "show", person],
                    ["export", "cases"], ["export", "contacts"], ["report"],
                    ["diagnose", case, "--impact", "fort"]):  # a script: no diagnostic on the screen
        cli.ok(*command)
    assert _log(store_path) == []


def test_show_of_a_case_with_a_diagnostic_logs_one_look_text_and_json(cli, store_path, diagnosed):
    person, case, _other = diagnosed
    assert "Disability type: moteur" in cli.ok("show", case).stdout
    assert cli.show(case)["diagnostic"]["disability_type"] == "moteur"
    assert _log(store_path) == [("alice", "case-shown", person, case, None)] * 2
    recorded = sql(store_path, "SELECT recorded_at FROM access_log")[0][0]
    assert abs((datetime.fromisoformat(str(recorded)) - datetime.now()).total_seconds()) < 120  # the real time


def test_the_author_is_who_looked(cli, store_path, diagnosed):
    person, case, _other = diagnosed
    cli.ok("show", case)
    cli.adviser = "bob"  # on a team store: bob's own login
    cli.ok("show", case, "--json")
    assert [row[:2] for row in _log(store_path)] == [("alice", "case-shown"), ("bob", "case-shown")]
    listed = cli.ok("access-log", "--case", case, "--json").json
    assert [(r["author"], r["action"], r["person_id"], r["case_id"]) for r in listed] == [
        ("alice", "case-shown", person, case), ("bob", "case-shown", person, case)]
    text = cli.ok("access-log", "--person", person).stdout
    assert "bob" in text and "alice" in text and "case shown" in text


def test_an_anonymised_diagnostic_shows_nothing_and_logs_nothing(cli, store_path, diagnosed):
    _person, case, _other = diagnosed
    sql(store_path, "UPDATE diagnostic SET situation = NULL, restrictions = NULL, disability_type = NULL, "
                    "health_opinion = NULL")
    cli.ok("show", case)
    assert _log(store_path) == []


def test_the_diagnose_wizard_opening_on_a_diagnostic_is_a_look(cli, store_path, diagnosed):
    person, case, other = diagnosed
    with terminal(cli, "\x03"):  # opened, then left at once (Ctrl-C): the prompts showed the diagnostic
        run = cli("diagnose", case)
    assert run.exit_code == 1
    assert _log(store_path) == [("alice", "diagnostic-opened", person, case, None)]
    cli.ok("advance", other)
    with terminal(cli, "\x03"):  # a case with no diagnostic yet: nothing to see
        cli("diagnose", other)
    assert len(_log(store_path)) == 1


def test_person_export_is_a_look_and_lists_who_looked_at_the_file(cli, store_path, diagnosed):
    person, case, other = diagnosed
    cli.ok("show", case)
    cli.adviser = "bob"
    cli.ok("show", case)
    cli.adviser = "alice"
    cli.ok("show", other)  # another person's case: none of theirs
    data = cli.ok("person", "export", person).json
    looks = [(r["author"], r["action"], r["case_id"]) for r in data["access_log"]]
    assert looks == [("alice", "case-shown", case), ("bob", "case-shown", case), ("alice", "person-exported", None)]
    assert {"recorded_at", "detail"} <= set(data["access_log"][0])
    assert _log(store_path)[-1] == ("alice", "person-exported", person, None, "stdout")


def test_export_with_health_data_is_one_look_with_its_counts(cli, store_path, diagnosed, tmp_path):
    cli.ok("export", "cases", "--include-health", "-o", tmp_path / "health.csv")
    cli.ok("export", "cases", "--include-health", "--adviser", "nobody", "-o", tmp_path / "none.csv")
    rows = _log(store_path)
    assert [row[:4] for row in rows] == [("alice", "health-exported", None, None)] * 2
    assert json.loads(rows[0][4]) == {"cases": 2, "persons": 2, "since": None, "adviser": None}
    assert json.loads(rows[1][4]) == {"cases": 0, "persons": 0, "since": None, "adviser": "nobody"}


def test_since_keeps_the_looks_of_that_day_and_after(cli, store_path, diagnosed):
    person, case, _other = diagnosed
    cli.ok("show", case)
    cli.ok("show", case)
    first = sql(store_path, "SELECT MIN(id) FROM access_log")[0][0]
    sql(store_path, "UPDATE access_log SET recorded_at = '2026-01-15 09:30:00' WHERE id = ?", (first,))
    assert len(cli.ok("access-log", "--case", case, "--json").json) == 2
    for since in ("2026-01-15", "15/01/2026"):
        assert len(cli.ok("access-log", "--case", case, "--since", since, "--json").json) == 2
    later = cli.ok("access-log", "--person", person, "--since", "2026-01-16", "--json").json
    assert [r["id"] for r in later] == [first + 1]
    assert "15/01/2026 09:30" in cli.ok("access-log", "--case", case).stdout  # dd/mm/yyyy, as every screen
    assert "15/01/2026" not in cli.ok("access-log", "--case", case, "--since", "2026-01-16").stdout


def test_no_look_yet_is_one_sentence(cli, diagnosed):
    person, case, other = diagnosed
    assert cli.ok("access-log", "--case", other, "--json").json == []
    assert cli.ok("access-log", "--case", other).stdout.startswith("No one has looked at this health data")


def test_purge_deletes_the_looks_older_than_access_log_months(cli, store_path, diagnosed):
    person, case, _other = diagnosed
    for _ in range(3):
        cli.ok("show", case)
    first = sql(store_path, "SELECT MIN(id) FROM access_log")[0][0]
    # 13 months and 7 months before today (2026-11-22): past 12 months, and past 6
    sql(store_path, "UPDATE access_log SET recorded_at = '2025-10-21 10:00:00' WHERE id = ?", (first,))
    sql(store_path, "UPDATE access_log SET recorded_at = '2026-04-21 10:00:00' WHERE id = ?", (first + 1,))
    dry = cli.ok("purge", "--dry-run")
    assert "1 access log entry is older than 12 months" in dry.stdout
    assert cli.ok("purge", "--dry-run", "--json").json["access_log"] == {"months": 12, "older": 1, "deleted": 0}
    before = dump(store_path)
    assert cli.ok("purge").exit_code == 0 and dump(store_path) == before  # no --yes: nothing deleted
    assert cli.ok("purge", "--yes", "--json").json["access_log"] == {"months": 12, "older": 1, "deleted": 1}
    assert [r["id"] for r in cli.ok("access-log", "--case", case, "--json").json] == [first + 1, first + 2]
    cli.ok("settings", "access_log_months", "6")
    assert "Deleted 1 access log entry older than 6 months." in cli.ok("purge", "--yes").stdout
    assert [r["id"] for r in cli.ok("access-log", "--case", case, "--json").json] == [first + 2]
    assert ("access-log-purged", "access_log_months=6 deleted=1") in sql(
        store_path, "SELECT action, detail FROM audit WHERE subject = 'store'")


def test_access_log_months_follows_the_cnil_range(cli):
    cli.new_store()
    assert cli.ok("settings", "access_log_months", "--json").json == {"access_log_months": 12}
    for bad in ("5", "13", "0", "+13", "douze", "6\x1b"):
        assert "setting access_log_months takes a whole number from 6 to 12" in cli.refused(
            "settings", "access_log_months", bad)


def test_bad_input_is_one_line_and_writes_nothing(cli, store_path, diagnosed):
    person, case, _other = diagnosed
    before = dump(store_path)
    for args, message in (
        ([], "give --person ID or --case CASE (one of them)"),
        (["--person", person, "--case", case], "give --person ID or --case CASE (one of them)"),
        (["--person", "99"], "no person with id 99: see 'capcli person list'"),
        (["--case", "99"], "no case with id 99: see 'capcli list'"),
        (["--case", "0"], None),
        (["--case", "abc"], None),
        (["--case", case, "--since", "2026-02-30"], None),
        (["--case", case, "--since", "demain\x1b[2J"], None),
    ):
        line = cli.refused("access-log", *args)
        if message:
            assert line == f"capcli: {message}"
        assert "\x1b" not in line
    assert "--since" in cli.refused("access-log", "--case", case, "--since", "2026-13-01")
    assert dump(store_path) == before

