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
