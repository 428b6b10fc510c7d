"""capcli cancel: a case opened by mistake leaves the caseload, due, list --open and the report,
but stays in the journal and in show; refused once anything was recorded after its opening."""

import sqlite3

import pytest

from tests.conftest import dump
from tests.test_edit import in_french
from tests.test_prompts import ENTER, terminal


def test_a_cancelled_case_leaves_due_list_and_report_but_stays_in_show(cli, store_path):
    pid = cli.person()
    maintien = cli.open("maintien", pid)
    suivi = cli.ok("close", str(maintien), "--outcome", "maintien-poste", "--json").json["opened"][0]["id"]
    mistake = cli.open("acces-emploi", cli.person("MARTIN", "Luc"), "--on", "2026-11-10")
    cli.ok("contact", "add", str(mistake), "--on", "2026-11-16")  # a planned contact is not recorded history
    assert {d["case_id"] for d in cli.ok("due", "--all", "--json").json} == {mistake}
    report_before = cli.ok("report", "--all", "--json").json
    run = cli.ok("cancel", str(mistake), "--reason", "wrong person", "--json")
    assert run.json == {"id": mistake, "status": "cancelled", "cancelled_on": "2026-11-22",
                        "cancel_reason": "wrong person"}
    assert cli.ok("due", "--all", "--json").json == []
    assert [c["id"] for c in cli.ok("list", "--open", "--json").json] == [suivi]
    assert [c["id"] for c in cli.ok("list", "--closed", "--json").json] == [maintien]
    listed = {c["id"]: c["status"] for c in cli.ok("list", "--json").json}
    assert listed[mistake] == "cancelled"
    report = cli.ok("report", "--all", "--json").json
    assert report["cases"]["total"]["opened"] == report_before["cases"]["total"]["opened"] - 1
    assert report["cases"]["total"]["open_at_end"] == report_before["cases"]["total"]["open_at_end"] - 1
    assert report["cases"]["total"]["closed"] == report_before["cases"]["total"]["closed"]
    assert report["contacts"]["total"]["due"] == report_before["contacts"]["total"]["due"] - 1
    shown = cli.show(mistake)
    assert (shown["status"], shown["cancelled_on"], shown["cancel_reason"], shown["outcome"]) == (
        "cancelled", "2026-11-22", "wrong person", None)
    assert (shown["events"][-1]["action"], shown["events"][-1]["note"]) == ("cancelled", "wrong person")
    text = cli.ok("show", str(mistake)).stdout
    assert text.splitlines()[0] == f"Case {mistake} · acces-emploi · cancelled on 22/11/2026: wrong person"
    # the history's last event, its note on the line below it (the history fits 80 columns)
    assert "22/11/2026  cancelled" in text.splitlines()[-2] and text.splitlines()[-1].strip() == "wrong person"
    assert "annulé" in in_french(cli, "show", str(mistake))
    assert cli.ok("check").stdout == "store OK\n"
    # the person may have that kind of case again, and nothing more is recorded on the cancelled one
    cli.open("acces-emploi", cli.show(mistake)["person"]["id"])
    assert "was cancelled on 22/11/2026" in cli.refused("advance", str(mistake))
    assert "was cancelled on 22/11/2026" in cli.refused("close", str(mistake), "--outcome", "abandon")
    assert "was cancelled on 22/11/2026" in cli.refused("cancel", str(mistake), "--reason", "again")
    assert "was cancelled" in cli.refused("case", "edit", str(mistake), "--partner", "x")
    assert "was cancelled (opened by mistake): a case cannot follow it" in cli.refused(
        "open", "maintien", "--person", str(shown["person"]["id"]), "--follows", str(mistake))


def _recorded(cli, what):
    pid = cli.person()
    if what == "closed":
        case = cli.open("acces-emploi", pid)
        cli.ok("close", str(case), "--outcome", "abandon")
        return case, "it was closed"
    if what == "advanced":
        case = cli.open("acces-emploi", pid)
        cli.ok("advance", str(case))
        return case, "its phase was advanced"
    if what == "contact":
        maintien = cli.open("maintien", pid)
        case = cli.ok("close", str(maintien), "--outcome", "maintien-poste", "--json").json["opened"][0]["id"]
        cli.ok("contact", "done", str(cli.show(case)["contacts"][0]["id"]))
        return case, "a contact was done"
    if what == "need":
        case = cli.open("acces-emploi", pid)
        cli.ok("need", "add", str(case), "--category", "formation", "--description", "CACES")
        return case, "a need was recorded"
    if what == "diagnostic":
        case = cli.open("acces-emploi", pid)
        cli.ok("diagnose", str(case), "--situation", "en recherche")
        return case, "a diagnostic was recorded"
    if what == "follow-on":
        case = cli.open("maintien", pid)
        cli.open("maintien-en-emploi", pid, "--follows", str(case))
        return case, "a case follows it"


@pytest.mark.parametrize("what", ["closed", "advanced", "contact", "need", "diagnostic", "follow-on"])
def test_cancel_is_refused_once_something_was_recorded(cli, store_path, what):
    case, said = _recorded(cli, what)
    before = dump(store_path)
    message = cli.refused("cancel", str(case), "--reason", "mistake")
    assert message.startswith(f"capcli: case {case} (") and f"cannot be cancelled: {said}" in message
    assert dump(store_path) == before


def test_cancel_asks_the_reason_on_a_terminal_after_checking_the_case(cli):
    case = cli.open("acces-emploi", cli.person())
    with terminal(cli, "doublon" + ENTER):
        run = cli("cancel", str(case))
    assert run.exit_code == 0, run.stderr
    assert run.stdout == f"case {case} cancelled (22/11/2026): it left the caseload, due and the report\n"
    assert cli.show(case)["cancel_reason"] == "doublon"
    cli.ok("advance", str(cli.open("acces-emploi", cli.person("MARTIN", "Luc"))))
    with terminal(cli, ""):  # nothing typed: the refusal comes before the question
        run = cli("cancel", "2")
    assert run.exit_code == 1 and "cannot be cancelled: its phase was advanced" in run.stderr
    run = cli("cancel", "2")
    assert run.exit_code == 2 and run.stderr == "capcli: missing --reason (there is no terminal to ask on)\n"
    assert cli.refused("cancel", "3", "--reason", " ") == "capcli: --reason cannot be empty"


def test_check_accepts_a_cancelled_case_and_finds_a_broken_one(cli, store_path):
    case = cli.open("acces-emploi", cli.person())
    cli.ok("cancel", str(case), "--reason", "mistake")
    assert cli.ok("check").stdout == "store OK\n"
    with sqlite3.connect(store_path) as conn:
        conn.execute("UPDATE accompaniment SET outcome = 'abandon' WHERE id = ?", (case,))
    conn.close()
    run = cli("check")
    assert run.exit_code == 1
    assert f"case {case} (acces-emploi) is cancelled but has an outcome or another closing date" in run.stdout + run.stderr


def test_anonymisation_drops_the_cancel_reason(cli, store_path):
    case = cli.open("acces-emploi", cli.person())
    cli.ok("cancel", str(case), "--reason", "DUPONT Marie was already followed")
    cli.today = "2029-01-01"
    cli.ok("purge", "--yes")
    assert cli.show(case)["cancel_reason"] is None
    assert all(e["note"] is None for e in cli.show(case)["events"])
