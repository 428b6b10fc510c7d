"""capcli reassign: an adviser's open cases move to another adviser with their upcoming contacts;
closed history keeps its adviser; each case journals the move."""

import pytest

from tests.conftest import dump
from tests.test_edit import in_french
from tests.test_prompts import ENTER, terminal


@pytest.fixture
def caseload(cli):
    """alice: a suivi (1 contact), a veille (3 contacts, 1 done), an acces-emploi, a closed maintien;
    bob: one acces-emploi."""
    cli.today = "2026-06-01"
    p1, p2, p3 = cli.person("DUPONT", "Marie"), cli.person("MARTIN", "Luc"), cli.person("LÉVÊQUE", "Hélène")
    maintien = cli.open("maintien", p1)
    suivi = cli.ok("close", str(maintien), "--outcome", "maintien-poste", "--json").json["opened"][0]["id"]
    m2 = cli.open("maintien-en-emploi", p2)
    veille = cli.ok("close", str(m2), "--outcome", "reconversion", "--a-risque", "--json").json["opened"][0]["id"]
    cli.today = "2026-12-05"
    first = cli.show(veille)["contacts"][0]["id"]
    cli.ok("contact", "done", str(first))
    acces = cli.open("acces-emploi", p3)
    bobs = cli.open("acces-emploi", p1, "--adviser", "bob")
    return {"maintien": maintien, "suivi": suivi, "m2": m2, "veille": veille, "acces": acces, "bobs": bobs}


def test_every_open_case_moves_with_its_upcoming_contacts(cli, caseload, store_path):
    alice_due = {d["case_id"] for d in cli.ok("due", "--adviser", "alice", "--days", "366", "--json").json}
    assert alice_due == {caseload["suivi"], caseload["veille"]}
    run = cli.ok("reassign", "--from", "alice", "--to", "chloé", "--json")
    assert run.json == {"from": "alice", "to": "chloé", "dry_run": False,
                        "cases": [caseload["suivi"], caseload["veille"], caseload["acces"]], "contacts": 3}
    assert cli.ok("due", "--adviser", "alice", "--days", "366", "--json").json == []
    moved_due = cli.ok("due", "--adviser", "chloé", "--days", "366", "--json").json
    assert {d["case_id"] for d in moved_due} == alice_due and len(moved_due) == 3
    # closed history keeps its adviser; bob's case is untouched
    assert cli.show(caseload["maintien"])["adviser"] == "alice"
    assert cli.show(caseload["m2"])["adviser"] == "alice"
    assert cli.show(caseload["bobs"])["adviser"] == "bob"
    event = cli.show(caseload["veille"])["events"][-1]
    assert (event["action"], event["detail"], event["author"], event["on"]) == (
        "reassigned", "alice -> chloé", "alice", "2026-12-05")
    last = cli.ok("show", str(caseload["veille"])).stdout.splitlines()[-1].split()
    assert last == ["05/12/2026", "reassigned", "alice", "->", "chloé", "alice"]
    assert "réattribué" in in_french(cli, "show", str(caseload["veille"]))
    assert cli.ok("reassign", "--from", "alice", "--to", "chloé").stdout == "alice has no open case to move\n"


def test_the_text_summary_counts_cases_and_contacts(cli, caseload):
    out = cli.ok("reassign", "--from", "alice", "--to", "bob", "--kind", "veille").stdout
    assert out.splitlines()[-1] == "moved 1 case and 2 contacts to do from alice to bob"
    assert cli.show(caseload["veille"])["adviser"] == "bob"
    assert cli.show(caseload["suivi"])["adviser"] == "alice"


def test_dry_run_lists_and_writes_nothing(cli, caseload, store_path):
    before = dump(store_path)
    out = cli.ok("reassign", "--from", "alice", "--to", "bob", "--dry-run").stdout
    assert out.splitlines()[-1] == ("would move 3 cases and 3 contacts to do from alice to bob (dry run: nothing "
                                    "written)")
    assert "LÉVÊQUE Hélène" in out
    assert cli.ok("reassign", "--from", "alice", "--to", "bob", "--dry-run", "--json").json["dry_run"] is True
    assert dump(store_path) == before


def test_case_limits_the_move_and_each_must_be_open_and_of_from(cli, caseload, store_path):
    before = dump(store_path)
    assert cli.refused("reassign", "--from", "alice", "--to", "bob", "--case", str(caseload["suivi"]),
                       "--case", str(caseload["maintien"])) == (
        f"capcli: case {caseload['maintien']} (maintien) is not open: closed history keeps its adviser")
    assert cli.refused("reassign", "--from", "alice", "--to", "chloé", "--case", str(caseload["bobs"])) == (
        f"capcli: case {caseload['bobs']} (acces-emploi) is bob's, not alice's")
    assert cli.refused("reassign", "--from", "alice", "--to", "bob", "--kind", "veille",
                       "--case", str(caseload["suivi"])) == (
        f"capcli: case {caseload['suivi']} (suivi-conventionnel) is not a veille")
    assert cli.refused("reassign", "--from", "alice", "--to", "bob", "--case", "99") == (
        "capcli: no case with id 99: see 'capcli list'")
    assert cli.refused("reassign", "--from", "alice", "--to", "alice") == (
        "capcli: --from and --to name the same adviser (alice): nothing to move")
    assert dump(store_path) == before
    run = cli.ok("reassign", "--from", "alice", "--to", "bob", "--case", str(caseload["suivi"]), "--json")
    assert (run.json["cases"], run.json["contacts"]) == ([caseload["suivi"]], 1)
    assert cli.show(caseload["veille"])["adviser"] == "alice"


def test_reassign_asks_to_on_a_terminal_and_checks_its_options_first(cli, caseload):
    with terminal(cli, ""):
        run = cli("reassign", "--from", "alice", "--kind", "nope")
    assert run.exit_code == 1 and "nope" in run.stderr  # refused before any question
    with terminal(cli, "chloé" + ENTER):
        run = cli("reassign", "--from", "alice", "--kind", "acces-emploi")
    assert run.exit_code == 0, run.stderr
    assert cli.show(caseload["acces"])["adviser"] == "chloé"
    run = cli("reassign", "--from", "alice")
    assert run.exit_code == 2 and run.stderr == "capcli: missing --to (there is no terminal to ask on)\n"
