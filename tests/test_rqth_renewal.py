"""The RQTH renewal as a tracked step (issue 18): filing, decision, what `due` says. Today 22/11/2026."""

import sqlite3

import pytest

from tests.conftest import dump, sql


def audit(cli, person):
    return sql(cli.store_path, "SELECT author, action, detail FROM audit WHERE subject = 'person' AND subject_id = ? "
               "AND action <> 'person-added' ORDER BY id", (person,))


def rqth_line(cli, name):
    """The two lines `due` gives a person's RQTH: the end date, then its renewal."""
    lines = cli.ok("due").stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"  {name}") and "case " in line)
    return lines[at], lines[at + 1]


@pytest.fixture
def person(cli):
    """An RQTH ending on 10/05/2027, an open case."""
    p = cli.person("DUPONT", "Marie", "--boeth", "rqth", "--rqth-until", "2027-05-10")
    cli.open("acces-emploi", p, "--on", "2026-09-01")
    return p


def test_filing_a_renewal(cli, person):
    run = cli.ok("person", "rqth-renewal", str(person), "--filed", "2026-10-20", "--json")
    assert run.json == {"person_id": person, "id": 1, "rqth_until": "2027-05-10", "filed_on": "2026-10-20",
                        "decided_on": None, "decision": None, "granted_until": None, "changed": {}}
    assert run.stderr == ""  # more than 6 months ahead, less than a year: on time
    assert audit(cli, person) == [("alice", "rqth-renewal-filed", "1")]
    shown = cli.ok("person", "show", str(person), "--json").json
    assert shown["rqth_renewal"]["filed_on"] == "2026-10-20" and shown["rqth_until"] == "2027-05-10"
    assert "RQTH renewal  filed 20/10/2026, awaiting the decision" in cli.ok("person", "show", str(person)).stdout
    assert refusal(cli, person, "--filed", "2026-11-01") == (
        "capcli: person 1's RQTH renewal was filed on 20/10/2026 and awaits its decision: record it with --decided DATE")


def refusal(cli, person, *args):
    before = dump(cli.store_path)
    message = cli.refused("person", "rqth-renewal", str(person), *args)
    assert dump(cli.store_path) == before
    return message


@pytest.mark.parametrize("filed, warning", [
    ("2026-05-09", "filed more than 12 months before the RQTH ends (10/05/2027): the MDPH may refuse it as too early"),
    ("2026-11-11", "filed less than 6 months before the RQTH ends (10/05/2027): the decision may come after it; the "
                   "RQTH runs on until then"),
])
def test_a_filing_early_or_late_is_recorded_with_a_warning(cli, person, filed, warning):
    run = cli.ok("person", "rqth-renewal", str(person), "--filed", filed)
    assert run.stderr == f"capcli: warning: {warning}\n"
    assert run.stdout == f"person {person}: RQTH renewal filed {filed[8:]}/{filed[5:7]}/{filed[:4]}, awaiting the decision\n"


def test_a_filing_after_the_end_date_does_not_run_on(cli):
    p = cli.person("MARTIN", "Luc", "--boeth", "rqth", "--rqth-until", "2026-11-01")
    cli.open("maintien", p)
    run = cli.ok("person", "rqth-renewal", str(p), "--filed", "2026-11-10")
    assert "filed after the RQTH ended (01/11/2026): it does not run on until the decision" in run.stderr
    assert rqth_line(cli, "MARTIN")[1] == "    renewal filed 10/11/2026, after the end date: awaiting the decision"


def test_bad_filings(cli, person):
    assert refusal(cli, person, "--filed", "2026-11-23") == "capcli: 23/11/2026 is in the future: record what has happened"
    assert refusal(cli, person, "--filed", "30/02/2026") == "capcli: invalid --filed '30/02/2026': no such day in the calendar"
    assert refusal(cli, 99, "--filed", "2026-11-01") == "capcli: no person with id 99: see 'capcli person list'"
    definitive = cli.person("PETIT", "Julie", "--rqth-definitive")
    assert refusal(cli, definitive, "--filed", "2026-11-01") == "capcli: person 2's RQTH is definitive: it is not renewed"
    none = cli.person("ROUX", "Ali", "--boeth", "en-cours")
    assert "person 3 has no RQTH end date" in refusal(cli, none, "--filed", "2026-11-01")
    run = cli("person", "rqth-renewal", str(person))
    assert run.exit_code == 2 and "give --filed DATE, or --decided DATE" in run.stderr
    run = cli("person", "rqth-renewal", str(person), "--filed", "2026-11-01", "--until", "2032-01-01")
    assert run.exit_code == 2 and "--until, --definitive and --refused go with --decided DATE" in run.stderr


# --- the decision ---------------------------------------------------------------------------


def test_a_renewal_granted_moves_the_end_date_as_a_person_edit(cli, person):
    cli.ok("person", "rqth-renewal", str(person), "--filed", "2026-10-20")
    assert refusal(cli, person, "--decided", "2026-10-19", "--until", "2032-05-10") == (
        "capcli: --decided 19/10/2026 is before the filing (20/10/2026)")
    assert refusal(cli, person, "--decided", "2026-11-20", "--until", "2027-05-10") == (
        "capcli: --until 10/05/2027 is not after the RQTH's end date (10/05/2027): a renewal ends later")
    run = cli("person", "rqth-renewal", str(person), "--decided", "2026-11-20", "--until", "2032-05-10", "--refused")
    assert run.exit_code == 2 and "--decided takes one of --until DATE, --definitive or --refused" in run.stderr
    data = cli.ok("person", "rqth-renewal", str(person), "--decided", "2026-11-20", "--until", "2032-05-10",
                  "--json").json
    assert (data["decision"], data["decided_on"], data["granted_until"]) == ("accorde", "2026-11-20", "2032-05-10")
    assert data["changed"] == {"rqth_until": {"old": "2027-05-10", "new": "2032-05-10"}}
    assert cli.ok("person", "show", str(person), "--json").json["rqth_until"] == "2032-05-10"
    assert audit(cli, person) == [("alice", "rqth-renewal-filed", "1"), ("alice", "rqth-renewal-decided", "1 accorde"),
                                  ("alice", "person-edited", "rqth_until")]
    assert "granted 20/11/2026, until 10/05/2032" in cli.ok("person", "show", str(person)).stdout
    assert "has no RQTH renewal awaiting a decision" in refusal(cli, person, "--decided", "2026-11-21", "--refused")


def test_a_definitive_rqth_and_a_refusal(cli, person):
    other = cli.person("MARTIN", "Luc", "--boeth", "rqth", "--rqth-until", "2027-01-10")
    cli.ok("person", "rqth-renewal", str(person), "--filed", "2026-10-20", "--decided", "2026-11-20", "--definitive")
    shown = cli.ok("person", "show", str(person), "--json").json
    assert (shown["rqth_until"], shown["rqth_definitive"], shown["rqth_renewal"]["decision"]) == (
        None, True, "definitive")
    cli.ok("person", "rqth-renewal", str(other), "--filed", "2026-07-01")
    data = cli.ok("person", "rqth-renewal", str(other), "--decided", "2026-11-02", "--refused", "--json").json
    assert (data["decision"], data["changed"]) == ("refuse", {})
    assert cli.ok("person", "show", str(other), "--json").json["rqth_until"] == "2027-01-10"
    assert "refused 02/11/2026" in cli.ok("person", "show", str(other)).stdout


# --- what `due` says ------------------------------------------------------------------------


def test_due_says_to_file_from_6_months_before_the_end(cli):
    p = cli.person("MARTIN", "Luc", "--boeth", "rqth", "--rqth-until", "2027-05-30")
    cli.open("maintien", p)
    assert "MARTIN" not in cli.ok("due").stdout  # more than 6 months ahead
    cli.today = "2026-11-30"  # 6 months before: to file
    assert rqth_line(cli, "MARTIN") == (
        "  MARTIN Luc  ends 30/05/2027  in 181 days  case 1 maintien",
        "    renewal to file with the MDPH (person rqth-renewal 1 --filed DATE)")


def test_due_says_filed_awaiting_the_decision_and_that_the_rqth_runs_on(cli):
    p = cli.person("MARTIN", "Luc", "--boeth", "rqth", "--rqth-until", "2026-12-15")
    cli.open("maintien", p)
    cli.ok("person", "rqth-renewal", str(p), "--filed", "2026-09-01")
    assert rqth_line(cli, "MARTIN")[1] == "    renewal filed 01/09/2026, awaiting the decision"
    cli.today = "2026-12-20"  # past the end date, no decision yet (less than 4 months): it runs on
    assert rqth_line(cli, "MARTIN") == ("  MARTIN Luc  ended 15/12/2026  5 days ago  case 1 maintien",
                                        "    renewal filed 01/09/2026, awaiting the decision: the RQTH runs on")


def test_due_says_refused_by_silence_after_4_months(cli):
    p = cli.person("MARTIN", "Luc", "--boeth", "rqth", "--rqth-until", "2027-03-15")
    cli.open("maintien", p)
    cli.ok("person", "rqth-renewal", str(p), "--filed", "2026-07-23")
    assert rqth_line(cli, "MARTIN")[1] == "    renewal filed 23/07/2026, awaiting the decision"
    cli.today = "2026-11-23"  # four months after the filing
    assert rqth_line(cli, "MARTIN")[1] == "    renewal filed 23/07/2026: no decision for 4 months, refused by silence"


def test_a_renewal_awaiting_its_decision_shows_whatever_the_end_date(cli, person):
    cli.ok("person", "rqth-renewal", str(person), "--filed", "2026-05-20")  # filed early: ends in more than 6 months
    assert rqth_line(cli, "DUPONT")[1] == "    renewal filed 20/05/2026: no decision for 4 months, refused by silence"


def test_due_stops_nagging_once_the_renewal_is_decided(cli):
    refused = cli.person("MARTIN", "Luc", "--boeth", "rqth", "--rqth-until", "2027-01-15")
    granted = cli.person("PETIT", "Julie", "--boeth", "rqth", "--rqth-until", "2027-02-15")
    for p in (refused, granted):
        cli.open("maintien", p)
        cli.ok("person", "rqth-renewal", str(p), "--filed", "2026-08-01")
    assert "MARTIN" in cli.ok("due").stdout and "PETIT" in cli.ok("due").stdout
    cli.ok("person", "rqth-renewal", str(refused), "--decided", "2026-11-20", "--refused")
    cli.ok("person", "rqth-renewal", str(granted), "--decided", "2026-11-20", "--until", "2037-02-15")
    out = cli.ok("due").stdout
    assert "MARTIN" not in out and "PETIT" not in out and "RQTH ending" not in out
    cli.today = "2036-09-01"  # the renewed RQTH ends within 6 months: a new renewal to file
    assert rqth_line(cli, "PETIT")[1] == "    renewal to file with the MDPH (person rqth-renewal 2 --filed DATE)"


def test_the_demo_has_a_renewal_awaiting_its_decision(cli, tmp_path):
    demo = tmp_path / "demo.sqlite"
    out = cli.ok("--db", str(demo), "demo").stdout
    assert "awaiting the decision: the RQTH runs on" in out
