"""Measures on a case (issue 18): every limit, the journal, `due`, `show`, `report`, bad input.
Today is Sunday 22/11/2026 unless a test walks to Monday 23/11/2026."""

import pytest

from tests.conftest import dump

MONDAY = "2026-11-23"


@pytest.fixture
def case(cli):
    person = cli.person()
    employer = cli.employer()
    return cli.open("acces-emploi", person, "--employer", str(employer), "--on", "2026-09-01")


def add(cli, case, *args):
    return cli.id("measure", "add", str(case), *args)


def refused_unchanged(cli, *args):
    before = dump(cli.store_path)
    message = cli.refused(*args)
    assert dump(cli.store_path) == before
    return message


# --- the limits -----------------------------------------------------------------------------


def test_a_pmsmp_lasts_one_month_at_most(cli, case):
    m = cli.ok("measure", "add", str(case), "pmsmp", "--from", "2026-11-02", "--host", "Clinique Saint-Roch",
               "--json").json
    assert (m["measure"], m["starts_on"], m["ends_on"], m["host"]) == ("pmsmp", "2026-11-02", "2026-12-01",
                                                                       "Clinique Saint-Roch")  # by default its longest
    assert add(cli, case, "pmsmp", "--from", "02/11/2026", "--to", "01/12/2026")
    assert refused_unchanged(cli, "measure", "add", str(case), "pmsmp", "--from", "2026-11-02", "--to", "2026-12-06") == (
        "capcli: PMSMP: 1 month at most (Code du travail L5135-1 et s., décret 2023-1304): from 02/11/2026 it ends on "
        "01/12/2026 at the latest, not 06/12/2026")  # five weeks
    assert "01/12/2026 at the latest, not 02/12/2026" in cli.refused(
        "measure", "add", str(case), "pmsmp", "--from", "2026-11-02", "--to", "2026-12-02")


def test_an_essai_encadre_lasts_14_jours_ouvrables_renewable_once(cli, case):
    # From Monday 02/11/2026: Saturdays count, Sundays and Wednesday 11/11 (a holiday) do not.
    m = cli.ok("measure", "add", str(case), "essai-encadre", "--from", "2026-11-02", "--json").json
    assert m["ends_on"] == "2026-11-18" and m["renewals"] == 0
    message = refused_unchanged(cli, "measure", "add", str(case), "essai-encadre", "--from", "2026-11-02", "--to",
                                "2026-11-19")
    assert message == (
        "capcli: essai encadré: 14 jours ouvrables at most, renewable once (28 in all; CSS L323-3-1, D323-6 à "
        "D323-6-7): from 02/11/2026 it ends on 18/11/2026 at the latest, not 19/11/2026 (15 jours ouvrables from "
        "02/11/2026 to 19/11/2026)")
    renewed = cli.ok("measure", "renew", str(m["id"]), "--json").json
    assert (renewed["ends_on"], renewed["renewals"]) == ("2026-12-04", 1)  # 28 jours ouvrables in all
    third = refused_unchanged(cli, "measure", "renew", str(m["id"]))
    assert third == (f"capcli: measure {m['id']} (essai-encadre) was already renewed once: essai encadré: 14 jours "
                     "ouvrables at most, renewable once (28 in all; CSS L323-3-1, D323-6 à D323-6-7)")
    other = add(cli, case, "essai-encadre", "--from", "2026-11-02", "--to", "2026-11-10")
    assert "ends on 04/12/2026 at the latest, not 05/12/2026" in cli.refused(
        "measure", "renew", str(other), "--to", "2026-12-05")
    assert "is not after the end of" in cli.refused("measure", "renew", str(other), "--to", "2026-11-10")
    assert cli.ok("measure", "renew", str(other), "--to", "2026-11-25", "--json").json["ends_on"] == "2026-11-25"


def test_a_crpe_lasts_18_months_at_most(cli, case):
    assert add(cli, case, "crpe", "--from", "2026-11-02", "--to", "2028-05-01")
    assert refused_unchanged(cli, "measure", "add", str(case), "crpe", "--from", "2026-11-02", "--to", "2028-06-01") == (
        "capcli: CRPE: 18 months at most (CSS L323-3-1, décret 2022-372): from 02/11/2026 it ends on 01/05/2028 at "
        "the latest, not 01/06/2028")  # 19 months
    short = cli.ok("measure", "add", str(case), "crpe", "--from", "2026-11-02", "--to", "2027-05-01", "--json").json
    assert cli.ok("measure", "renew", str(short["id"]), "--json").json["ends_on"] == "2028-05-01"
    assert "already ends on 01/05/2028, its longest" in cli.refused("measure", "renew", str(short["id"]))


def test_a_pre_reprise_after_more_than_30_days_off(cli, case):
    assert "from 01/11/2026 on (off work since 01/10/2026), not 31/10/2026 (30 days off)" in refused_unchanged(
        cli, "measure", "add", str(case), "pre-reprise", "--off-since", "2026-10-01", "--from", "2026-10-31")
    m = cli.ok("measure", "add", str(case), "pre-reprise", "--off-since", "2026-10-01", "--from", "2026-11-01",
               "--json").json
    assert (m["starts_on"], m["off_since"], m["ends_on"], m["state"]) == ("2026-11-01", "2026-10-01", None, "past-end")


def test_a_rendez_vous_de_liaison_from_30_days_off(cli, case):
    message = refused_unchanged(cli, "measure", "add", str(case), "liaison", "--off-since", "2026-10-01", "--from",
                                "2026-10-30")
    assert message == ("capcli: rendez-vous de liaison: from 30 days off work (Code du travail L1226-1-3, D1226-8-1): "
                       "from 31/10/2026 on (off work since 01/10/2026), not 30/10/2026 (29 days off)")
    assert add(cli, case, "liaison", "--off-since", "2026-10-01", "--from", "2026-10-31")
    to_plan = cli.ok("measure", "add", str(case), "liaison", "--off-since", "2026-11-10", "--json").json
    assert (to_plan["starts_on"], to_plan["state"]) == (None, "to-plan")


def test_a_visite_de_reprise_after_60_days_off_within_8_days_of_the_return(cli, case):
    assert refused_unchanged(cli, "measure", "add", str(case), "reprise", "--off-since", "2026-09-21", "--return-on",
                             "2026-11-19") == (
        "capcli: visite de reprise: after at least 60 days off work for a non-occupational illness or accident "
        "(Code du travail R4624-31, décret 2022-372): 59 days from 21/09/2026 to the return on 19/11/2026")
    base = ("measure", "add", str(case), "reprise", "--off-since", "2026-09-20", "--return-on", "2026-11-19")
    assert "from 19/11/2026 to 27/11/2026, not 28/11/2026" in refused_unchanged(cli, *base, "--from", "2026-11-28")
    assert "not 18/11/2026" in cli.refused(*base, "--from", "2026-11-18")
    assert cli.id(*base, "--from", "2026-11-27")
    assert cli.ok(*base, "--json").json["state"] == "to-plan"
    assert "the return comes after the leave" in cli.refused(
        "measure", "add", str(case), "reprise", "--off-since", "2026-11-19", "--return-on", "2026-11-19")


def test_the_options_that_go_with_each_measure(cli, case):
    run = cli("measure", "add", str(case), "liaison")
    assert run.exit_code == 2 and "missing --off-since DATE" in run.stderr
    run = cli("measure", "add", str(case), "reprise", "--off-since", "2026-08-01")
    assert run.exit_code == 2 and "missing --return-on DATE" in run.stderr
    run = cli("measure", "add", str(case), "pmsmp")
    assert run.exit_code == 2 and "missing --from DATE" in run.stderr
    assert "--to goes with pmsmp, essai-encadre, crpe" in refused_unchanged(
        cli, "measure", "add", str(case), "liaison", "--off-since", "2026-08-01", "--to", "2026-11-01")
    assert "--off-since and --return-on go with the visits" in cli.refused(
        "measure", "add", str(case), "pmsmp", "--from", "2026-11-02", "--off-since", "2026-08-01")
    assert "--return-on goes with reprise" in cli.refused(
        "measure", "add", str(case), "liaison", "--off-since", "2026-08-01", "--return-on", "2026-11-01")


# --- bad input ------------------------------------------------------------------------------


def test_bad_input_is_one_line_and_changes_nothing(cli, case):
    assert refused_unchanged(cli, "measure", "add", "99", "pmsmp", "--from", "2026-11-02") == (
        "capcli: no case with id 99: see 'capcli list'")
    assert refused_unchanged(cli, "measure", "add", str(case), "pmsmp", "--from", "31/02/2026") == (
        "capcli: invalid --from '31/02/2026': no such day in the calendar")
    assert refused_unchanged(cli, "measure", "add", str(case), "pmsmp", "--from", "2026-11-10", "--to",
                             "2026-11-01") == (
        "capcli: --to 01/11/2026 is before --from 10/11/2026: give the later date as --to")
    assert "did you mean 'pmsmp'?" in refused_unchanged(cli, "measure", "add", str(case), "pmsnp", "--from",
                                                        "2026-11-02")
    assert "before case 1 (acces-emploi) opened (01/09/2026)" in refused_unchanged(
        cli, "measure", "add", str(case), "pmsmp", "--from", "2026-08-31")
    assert "control character U+001B" in refused_unchanged(
        cli, "measure", "add", str(case), "pmsmp", "--from", "2026-11-02", "--host", "Atelier\x1b[31m")
    assert refused_unchanged(cli, "measure", "renew", "42") == "capcli: no measure with id 42: see 'capcli measure list'"
    assert refused_unchanged(cli, "measure", "end", "0").startswith("capcli: invalid measure id")
    assert cli.refused("measure", "list", "77") == "capcli: no case with id 77: see 'capcli list'"
    # an essai encadré written as advisers type it
    assert add(cli, case, "Essai Encadré", "--from", "2026-11-02")


def test_a_closed_or_cancelled_case_takes_no_measure(cli, case):
    m = add(cli, case, "pmsmp", "--from", "2026-11-02", "--to", "2026-11-20")
    cli.ok("close", str(case), "--outcome", "abandon")
    assert refused_unchanged(cli, "measure", "add", str(case), "pmsmp", "--from", "2026-11-02") == (
        "capcli: case 1 (acces-emploi) is closed: a measure goes on an open case (the one that follows it)")
    assert "is closed" in refused_unchanged(cli, "measure", "renew", str(m))
    assert "ended on 20/11/2026" in cli.ok("measure", "end", str(m)).stdout  # its end is still recorded
    other = cli.open("maintien", cli.person("MARTIN", "Luc"))
    cli.ok("cancel", str(other), "--reason", "wrong person")
    assert "was cancelled on 22/11/2026" in refused_unchanged(
        cli, "measure", "add", str(other), "liaison", "--off-since", "2026-08-01")


def test_a_case_with_a_measure_is_not_cancelled(cli):
    case = cli.open("maintien", cli.person())
    cli.ok("measure", "add", str(case), "liaison", "--off-since", "2026-08-01")
    assert "a measure was recorded" in cli.refused("cancel", str(case), "--reason", "mistake")


# --- end, the journal, show, list -------------------------------------------------------------


def test_ending_a_measure(cli, case):
    m = add(cli, case, "pmsmp", "--from", "2026-11-02", "--to", "2026-11-20")
    assert "starts on 02/11/2026: it cannot end on 01/11/2026" in refused_unchanged(
        cli, "measure", "end", str(m), "--on", "2026-11-01")
    running = add(cli, case, "pmsmp", "--from", "2026-11-16")
    assert "is in the future" in refused_unchanged(cli, "measure", "end", str(running), "--on", "2026-11-23")
    assert cli.ok("measure", "end", str(running), "--json").json["ended_on"] == "2026-11-22"  # today
    ended = cli.ok("measure", "end", str(m), "--json").json  # its end passed: ended as planned
    assert (ended["ended_on"], ended["state"]) == ("2026-11-20", "ended")
    assert "already ended on 20/11/2026" in refused_unchanged(cli, "measure", "end", str(m))
    assert "ended on 20/11/2026: add a new measure" in cli.refused("measure", "renew", str(m))
    long = add(cli, case, "crpe", "--from", "2026-11-02", "--to", "2027-01-31")
    assert cli.ok("measure", "end", str(long), "--on", "2026-11-15").stdout == (
        f"measure {long} (crpe) ended on 15/11/2026\n")
    later = add(cli, case, "pmsmp", "--from", "2026-11-02", "--to", "2026-11-10")
    assert "ends on 10/11/2026 at the latest: renew it first" in cli.refused("measure", "end", str(later), "--on",
                                                                              "2026-11-12")


def test_a_visit_held_outside_its_window_is_recorded_with_a_warning(cli, case):
    visit = add(cli, case, "reprise", "--off-since", "2026-08-01", "--return-on", "2026-11-02")
    run = cli.ok("measure", "end", str(visit), "--on", "2026-11-20")
    assert run.stdout == f"measure {visit} (reprise) held on 20/11/2026\n"
    assert run.stderr.startswith("capcli: warning: visite de reprise: from the return to work to 8 days after it")
    assert "is a visit: only a period" in cli.refused("measure", "renew", str(visit))
    held = cli.ok("measure", "list", str(case), "--json").json[0]
    assert (held["starts_on"], held["ended_on"], held["state"]) == ("2026-11-20", "2026-11-20", "ended")


def test_measures_are_journaled_and_shown_with_the_case(cli, case):
    m = add(cli, case, "essai-encadre", "--from", "2026-11-02", "--host", "Atelier du Lez", "--note", "mornings only")
    cli.ok("measure", "renew", str(m))
    cli.today = "2026-12-05"
    cli.ok("measure", "end", str(m))
    shown = cli.show(case)
    assert [(e["on"], e["action"], e["detail"], e["note"]) for e in shown["events"] if "measure" in e["action"]] == [
        ("2026-11-02", "measure-added", f"{m} essai-encadre 2026-11-02 -> 2026-11-18", "mornings only"),
        ("2026-11-22", "measure-renewed", f"{m} essai-encadre 2026-11-18 -> 2026-12-04", None),
        ("2026-12-04", "measure-ended", f"{m} essai-encadre", None),
    ]
    assert {e["author"] for e in shown["events"]} == {"alice"}
    assert shown["measures"] == [{
        "id": m, "case_id": case, "measure": "essai-encadre", "starts_on": "2026-11-02", "ends_on": "2026-12-04",
        "ended_on": "2026-12-04", "renewals": 1, "host": "Atelier du Lez", "off_since": None, "return_on": None,
        "note": "mornings only", "state": "ended"}]
    screen = cli.ok("show", str(case)).stdout
    assert "Measures" in screen and "ended 04/12/2026 ·" in screen and "renewed ×1" in screen
    assert "measure renewed" in screen and "18/11/2026 -> 04/12/2026" in screen
    assert all(len(line) <= 80 for line in screen.splitlines())


def test_measure_list(cli, case):
    assert cli.ok("measure", "list").stdout == "No measure recorded.\n"
    m = add(cli, case, "pmsmp", "--from", "2026-11-16")
    other = cli.open("maintien", cli.person("MARTIN", "Luc"))
    add(cli, other, "reprise", "--off-since", "2026-08-01", "--return-on", "2026-11-23")
    rows = cli.ok("measure", "list", "--json").json
    assert [set(r) for r in rows] == [{
        "id", "case_id", "measure", "starts_on", "ends_on", "ended_on", "renewals", "host", "off_since", "return_on",
        "note", "state", "kind", "adviser", "person"}] * 2
    assert [(r["id"], r["kind"], r["person"], r["state"]) for r in rows] == [
        (m, "acces-emploi", "DUPONT Marie", "running"), (m + 1, "maintien", "MARTIN Luc", "to-plan")]
    assert [r["id"] for r in cli.ok("measure", "list", str(other), "--json").json] == [m + 1]
    text = cli.ok("measure", "list").stdout
    assert "to plan, 23/11/2026 to 01/12/2026" in text and "case 2 maintien · MARTIN Luc" in text


# --- due ------------------------------------------------------------------------------------


@pytest.fixture
def measures(cli, case):
    """On Monday 23/11/2026: a PMSMP ending Friday, an essai encadré past its end, a visit tomorrow, a
    reprise and a liaison to plan, and measures that `due` does not show."""
    other = cli.open("maintien", cli.person("MARTIN", "Luc"), "--on", "2026-09-01")
    ids = {
        "pmsmp": add(cli, case, "pmsmp", "--from", "2026-11-02", "--to", "2026-11-27"),
        "essai": add(cli, case, "essai-encadre", "--from", "2026-11-02"),  # ended 18/11
        "later": add(cli, case, "crpe", "--from", "2026-11-02"),  # ends in 2028
        "visit": add(cli, other, "pre-reprise", "--off-since", "2026-10-01", "--from", "2026-11-24"),
        "reprise": add(cli, other, "reprise", "--off-since", "2026-09-01", "--return-on", "2026-11-20"),
        "liaison": add(cli, other, "liaison", "--off-since", "2026-11-01"),  # possible from 01/12
        "soon": add(cli, other, "liaison", "--off-since", "2026-10-25"),  # possible from 24/11
    }
    done = add(cli, case, "pmsmp", "--from", "2026-11-02", "--to", "2026-11-24")
    cli.ok("measure", "end", str(done), "--on", "2026-11-20")
    cli.today = MONDAY
    return ids


def test_due_shows_the_ends_and_the_visits_to_plan(cli, measures):
    rows = [r for r in cli.ok("due", "--json").json if r["section"] == "measures"]
    assert [(r["measure_id"], r["measure"], r["what"], r["due_on"], r["days_late"]) for r in rows] == [
        (measures["essai"], "essai-encadre", "ended", "2026-11-18", 5),
        (measures["visit"], "pre-reprise", "visit", "2026-11-24", 0),
        (measures["soon"], "liaison", "plan-from", "2026-11-24", 0),
        (measures["pmsmp"], "pmsmp", "ends", "2026-11-27", 0),
        (measures["reprise"], "reprise", "plan-by", "2026-11-28", 0),
    ]
    assert [set(r) for r in rows] == [{
        "contact_id", "case_id", "kind", "due_on", "shown_on", "person", "adviser", "number", "of", "employer",
        "days_late", "section", "measure_id", "measure", "what"}] * 5
    assert {(r["contact_id"], r["number"], r["of"]) for r in rows} == {(None, None, None)}
    assert rows[0]["employer"] == "Ateliers du Lez" and rows[1]["employer"] is None
    screen = cli.ok("due").stdout
    section = screen.split("Measures: ends and visits (5)\n")[1]
    assert section.startswith(
        "  Wed 18/11/2026  5 days late  DUPONT Marie  Ateliers du Lez\n"
        f"    measure {measures['essai']} essai encadré · ended: record it or renew it · case 1 acces-emploi\n")
    for line in (f"measure {measures['visit']} visite de pré-reprise · on this day · case 2 maintien",
                 f"measure {measures['soon']} rendez-vous de liaison · to plan, possible from then · case 2",
                 f"measure {measures['pmsmp']} PMSMP · ends · case 1 acces-emploi",
                 f"measure {measures['reprise']} visite de reprise · to plan by then · case 2 maintien"):
        assert line in section
    assert all(len(line) <= 80 for line in screen.splitlines())
    # further ahead: the liaison possible from 01/12 and nothing else new
    later = {r["measure_id"] for r in cli.ok("due", "--days", "8", "--json").json if r["section"] == "measures"}
    assert measures["liaison"] in later and measures["later"] not in later


def test_due_measures_follow_the_adviser_and_leave_once_ended(cli, measures):
    assert not [r for r in cli.ok("due", "--adviser", "bob", "--json").json if r["section"] == "measures"]
    cli.ok("measure", "end", str(measures["essai"]))
    cli.ok("measure", "end", str(measures["reprise"]), "--on", MONDAY)
    left = {r["measure_id"] for r in cli.ok("due", "--json").json if r["section"] == "measures"}
    assert measures["essai"] not in left and measures["reprise"] not in left and measures["pmsmp"] in left
    cli.ok("close", "1", "--outcome", "abandon", "--force")
    assert measures["pmsmp"] not in {r["measure_id"] for r in cli.ok("due", "--json").json}


def test_due_ics_carries_the_measures(cli, measures):
    from icalendar import Calendar

    events = Calendar.from_ical(cli.ok("due", "--ics", "-").stdout.encode()).walk("VEVENT")
    by_uid = {str(e["uid"]): e for e in events}
    pmsmp = by_uid[f"measure-{measures['pmsmp']}@capcli"]
    assert str(pmsmp["summary"]) == "PMSMP ends: DUPONT Marie (acces-emploi)"
    assert pmsmp.decoded("dtstart").isoformat() == "2026-11-27"
    assert "employer: Ateliers du Lez" in str(pmsmp["description"])
    assert len([u for u in by_uid if u.startswith("measure-")]) == 5


def test_due_ics_file_says_how_many_measure_dates(cli, measures, tmp_path):
    path = tmp_path / "due.ics"
    assert cli.ok("due", "--ics", str(path)).stdout == f"0 contacts written to {path} (and 5 measure dates)\n"


# --- report and demo --------------------------------------------------------------------------


def test_report_counts_the_measures_started_and_ended(cli, measures):
    section = cli.ok("report", "--section", "measures", "--json").json["measures"]
    rows = {r["measure"]: (r["started"], r["ended"]) for r in section["rows"]}
    assert rows == {"pmsmp": (2, 1), "essai-encadre": (1, 0), "crpe": (1, 0), "pre-reprise": (0, 0),
                    "liaison": (0, 0), "reprise": (0, 0)}
    assert section["total"] == {"started": 4, "ended": 1}
    assert cli.ok("report", "--month", "2026-10", "--section", "measures", "--json").json["measures"]["total"] == {
        "started": 0, "ended": 0}
    assert cli.ok("report", "--adviser", "bob", "--section", "measures", "--json").json["measures"]["total"] == {
        "started": 0, "ended": 0}
    assert "Measures started and ended in the period" in cli.ok("report").stdout


def test_the_demo_has_a_pmsmp_ending_soon_and_an_essai_encadre(cli, tmp_path):
    demo = tmp_path / "demo.sqlite"
    out = cli.ok("--db", str(demo), "demo").stdout
    assert "Measures: ends and visits (1)" in out and "PMSMP · ends" in out
    found = cli.ok("--db", str(demo), "measure", "list", "--json").json
    assert {(m["measure"], m["state"]) for m in found} == {("pmsmp", "running"), ("essai-encadre", "running")}
