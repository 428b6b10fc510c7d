"""Closing a case and the rules it fires (SPEC §2 rules 4, 6, 7)."""

from tests.conftest import dump


def test_successful_maintien_opens_a_suivi_with_its_contact(cli):
    pid = cli.person()
    maintien = cli.open("maintien", pid, "--on", "2026-06-01")
    run = cli.ok("close", str(maintien), "--outcome", "maintien-poste", "--on", "2026-11-02")
    assert "opened case 2 (suivi-conventionnel)" in run.stdout
    assert "due Tue 02/02/2027" in run.stdout
    suivi = cli.show(2)
    assert (suivi["kind"], suivi["follows"], suivi["opened_on"]) == ("suivi-conventionnel", maintien, "2026-11-02")
    assert [(c["number"], c["of"], c["due_on"]) for c in suivi["contacts"]] == [(1, 1, "2027-02-02")]
    closed = cli.show(maintien)
    assert (closed["status"], closed["outcome"], closed["closed_on"]) == ("closed", "maintien-poste", "2026-11-02")
    assert closed["followed_by"] == [2]


def test_echec_opens_a_maintien_en_emploi_unless_one_is_open(cli):
    pid = cli.person()
    maintien = cli.open("maintien", pid)
    run = cli.ok("close", str(maintien), "--outcome", "echec", "--json").json
    assert [o["kind"] for o in run["opened"]] == ["maintien-en-emploi"]

    other = cli.person("MARTIN", "Luc")
    m2 = cli.open("maintien", other)
    cli.open("maintien-en-emploi", other, "--follows", str(m2))
    assert cli.ok("close", str(m2), "--outcome", "echec", "--json").json["opened"] == []


def test_at_risk_closings_open_a_veille_with_three_contacts(cli):
    pid = cli.person()
    mee = cli.open("maintien-en-emploi", pid, "--on", "2026-01-10")
    run = cli.ok("close", str(mee), "--outcome", "reconversion", "--a-risque", "--on", "2026-08-31", "--json").json
    [veille] = run["opened"]
    assert veille["kind"] == "veille"
    assert [c["due_on"] for c in veille["contacts"]] == ["2027-02-28", "2027-08-31", "2028-02-29"]
    assert cli.show(veille["id"])["contacts"][2]["of"] == 3


def test_suivi_closed_a_risque_opens_a_veille(cli):
    pid = cli.person()
    maintien = cli.open("maintien", pid, "--on", "2026-01-05")
    cli.ok("close", str(maintien), "--outcome", "maintien-entreprise", "--on", "2026-02-01")
    assert "contact not done" in cli.refused("close", "2", "--outcome", "a-risque")
    run = cli.ok("close", "2", "--outcome", "a-risque", "--force", "--json").json
    assert [o["kind"] for o in run["opened"]] == ["veille"]


def test_rules_4_and_7_open_their_case_even_when_an_older_one_of_that_kind_is_open(cli):
    # Rule 8: a suivi's contact done at risk re-opens a maintien and the suivi stays open. When
    # that maintien succeeds, rule 4 opens a new suivi all the same (with its 3-month contact),
    # and close says the older one is still open.
    pid = cli.person()
    maintien = cli.open("maintien", pid, "--on", "2026-01-05")
    cli.ok("close", str(maintien), "--outcome", "maintien-poste", "--on", "2026-02-02")  # suivi 2, contact 1
    reopened = cli.ok("contact", "done", "1", "--risk", "--reopen", "--on", "2026-05-04", "--json").json
    assert reopened["opened"] == {"id": 3, "kind": "maintien"}
    second = reopened["opened"]["id"]
    run = cli.ok("close", str(second), "--outcome", "maintien-entreprise", "--on", "2026-07-01")
    assert "opened case 4 (suivi-conventionnel): rule 4" in run.stdout
    assert "  contact 2 due Thu 01/10/2026\n" in run.stdout
    assert "  case 2 (suivi-conventionnel) of this person is still open: close it when it is over" in run.stdout
    assert [c["kind"] for c in cli.ok("list", "--open", "--json").json] == ["suivi-conventionnel"] * 2

    # Rule 7 likewise: a maintien-en-emploi closed at risk opens a veille beside an open one.
    other = cli.person("MARTIN", "Luc")
    mee = cli.open("maintien-en-emploi", other, "--on", "2026-01-05")
    cli.ok("close", str(mee), "--outcome", "reconversion", "--a-risque", "--on", "2026-02-02")
    mee2 = cli.open("maintien-en-emploi", other, "--follows", str(mee), "--on", "2026-03-02")
    closed = cli.ok("close", str(mee2), "--outcome", "sans-solution", "--a-risque", "--on", "2026-04-01",
                    "--json").json
    [veille] = closed["opened"]
    assert veille["kind"] == "veille" and len(veille["contacts"]) == 3
    assert veille["also_open"] == [mee + 1]
    # by hand, a second open case of a kind is still refused
    assert "already has an open veille case" in cli.refused("open", "veille", "--person", str(other),
                                                             "--follows", str(mee2))


def test_due_dates_on_a_weekend_or_holiday_are_printed_on_the_next_working_day(cli):
    pid = cli.person()
    first = cli.open("maintien", pid, "--on", "2026-01-05")
    run = cli.ok("close", str(first), "--outcome", "maintien-poste", "--on", "2026-05-30")
    assert "  contact 1 due Mon 31/08/2026 *\n" in run.stdout  # due Sunday 30/08/2026
    other = cli.person("MARTIN", "Luc")
    second = cli.open("maintien", other, "--on", "2026-01-05")
    run = cli.ok("close", str(second), "--outcome", "maintien-poste", "--on", "2026-08-11")
    assert "  contact 2 due Thu 12/11/2026 *\n" in run.stdout  # due Wednesday 11/11: Armistice Day
    assert cli.show(4)["contacts"][0]["due_on"] == "2026-11-11"  # the due date itself is kept


def test_months_is_a_whole_number_of_at_least_one(cli):
    pid = cli.person()
    case_id = cli.open("acces-emploi", pid)
    close = ("close", str(case_id), "--outcome", "emploi-durable", "--contract", "cdd", "--months")
    assert cli.refused(*close, "six") == "capcli: invalid --months 'six': write a whole number (0, 1, 2…)"
    assert cli.refused(*close, "-3") == "capcli: invalid --months '-3': write a whole number (0, 1, 2…)"
    assert cli.refused(*close, "0") == (
        "capcli: a cdd lasts at least one month, not 0: give its length with --months N")
    assert cli.show(case_id)["status"] == "open"


def test_closing_refusals_change_nothing(cli, store_path):
    pid = cli.person()
    case_id = cli.open("maintien", pid, "--on", "2026-10-01")
    before = dump(store_path)
    assert "unknown outcome of maintien 'emploi-durable' (valid: maintien-poste, maintien-entreprise, echec, " \
           "sans-suite)" in cli.refused("close", str(case_id), "--outcome", "emploi-durable")
    assert "--a-risque applies to a maintien-en-emploi only" in cli.refused(
        "close", str(case_id), "--outcome", "echec", "--a-risque")
    assert "in the future" in cli.refused("close", str(case_id), "--outcome", "echec", "--on", "2027-01-01")
    assert "before case 1 (maintien) opened" in cli.refused("close", str(case_id), "--outcome", "echec",
                                                             "--on", "2026-09-30")
    assert dump(store_path) == before
    cli.ok("close", str(case_id), "--outcome", "sans-suite")
    before = dump(store_path)
    assert "already closed (sans-suite" in cli.refused("close", str(case_id), "--outcome", "echec")
    assert dump(store_path) == before
    run = cli("close", str(case_id))
    assert run.exit_code == 2 and "missing --outcome" in run.stderr


def test_veille_closing_before_three_contacts_needs_force(cli):
    pid = cli.person()
    mee = cli.open("maintien-en-emploi", pid)
    veille = cli.ok("close", str(mee), "--outcome", "sans-solution", "--a-risque", "--json").json["opened"][0]["id"]
    assert "0 of the 3 veille contacts done" in cli.refused("close", str(veille), "--outcome", "stable")
    cli.ok("close", str(veille), "--outcome", "stable", "--force")
    assert cli.show(veille)["events"][-1]["detail"] == "stable forced"


def test_reopening_by_following_a_closed_case(cli):
    pid = cli.person()
    first = cli.open("acces-emploi", pid)
    cli.ok("close", str(first), "--outcome", "abandon")
    again = cli.open("acces-emploi", pid, "--follows", str(first))
    assert cli.show(again)["follows"] == first


def test_the_contract_is_checked_against_the_emploi_durable_months_setting(cli, store_path):
    pid = cli.person()
    case_id = cli.open("acces-emploi", pid)
    before = dump(store_path)
    assert "a cdd of 5 months is not lasting employment (less than 6 months)" in cli.refused(
        "close", str(case_id), "--outcome", "emploi-durable", "--contract", "cdd", "--months", "5")
    assert dump(store_path) == before
    cli.ok("settings", "emploi_durable_months", "4")
    cli.ok("close", str(case_id), "--outcome", "emploi-durable", "--contract", "cdd", "--months", "5")
    assert cli.show(case_id)["events"][-1]["detail"] == "emploi-durable cdd 5"
