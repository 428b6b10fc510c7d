"""capcli contact done | add | move and capcli renew (SPEC §2 rules 5, 7, 8), today = 2026-11-22."""

from tests.conftest import dump


def suivi(cli) -> tuple[int, int, int]:
    """A person, a maintien closed maintien-poste on 20/08/2026: (person, suivi case, its contact)."""
    pid = cli.person()
    maintien = cli.open("maintien", pid, "--on", "2026-06-01")
    closed = cli.ok("close", str(maintien), "--outcome", "maintien-poste", "--on", "2026-08-20", "--json").json
    [opened] = closed["opened"]
    return pid, opened["id"], opened["contacts"][0]["id"]


def veille(cli) -> tuple[int, int, list[int]]:
    """A veille opened on 04/05/2026 (contacts due 04/11/2026, 04/05/2027, 04/11/2027)."""
    pid = cli.person("MARTIN", "Luc")
    mee = cli.open("maintien-en-emploi", pid, "--on", "2026-01-10")
    closed = cli.ok("close", str(mee), "--outcome", "reconversion", "--a-risque", "--on", "2026-05-04", "--json").json
    [opened] = closed["opened"]
    return pid, opened["id"], [c["id"] for c in opened["contacts"]]


def test_done_records_the_contact_and_journals_it(cli):
    _pid, case_id, contact_id = suivi(cli)
    run = cli.ok("contact", "done", str(contact_id), "--note", "all good", "--on", "21/11/2026")
    assert run.stdout.splitlines() == [
        f"contact {contact_id} done (1/1, case {case_id} suivi-conventionnel) on 21/11/2026: stable",
        f"next: 'capcli renew {case_id}' (once, a contact 3 months later) or 'capcli close {case_id} "
        "--outcome consolide'",
    ]
    shown = cli.show(case_id)
    # the same contact object as `contact done --json` gives (issue 15: one shape per object)
    assert shown["contacts"] == [{"id": contact_id, "case_id": case_id, "number": 1, "of": 1, "due_on": "2026-11-20",
                                  "done_on": "2026-11-21", "at_risk": False, "note": "all good"}]
    event = shown["events"][-1]
    assert (event["action"], event["detail"], event["note"], event["on"], event["author"]) == (
        "contact-done", "1 stable", "all good", "2026-11-21", "alice")
    assert "contact done" in cli.ok("show", str(case_id)).stdout


def test_a_contact_done_at_risk_during_a_suivi_or_veille_says_to_reopen_a_maintien(cli):
    pid, case_id, contact_id = suivi(cli)
    run = cli.ok("contact", "done", str(contact_id), "--risk")
    assert run.stdout.endswith(  # the command to run (the contact is done: --reopen is for next time)
        "the job is at risk again during a suivi-conventionnel: a maintien should be re-opened (rule 8): "
        f"capcli open maintien --person {pid} --follows {case_id}\n")
    assert cli.show(case_id)["contacts"][0]["at_risk"] is True
    assert cli.show(case_id)["status"] == "open"
    # that command keeps who asked for the case (a partner here), as --reopen does
    other = cli.person("MARTIN", "Luc")
    first = cli.open("maintien", other, "--requested-by", "partenaire", "--partner", "médecin du travail",
                     "--on", "2026-06-01")
    [suivi_case] = cli.ok("close", str(first), "--outcome", "maintien-poste", "--on", "2026-08-20",
                          "--json").json["opened"]
    reopened = cli.open("maintien", other, "--follows", str(suivi_case["id"]))
    shown = cli.show(reopened)
    assert (shown["requested_by"], shown["partner"]) == ("partenaire", "médecin du travail")

    _pid, veille_id, contacts = veille(cli)
    run = cli.ok("contact", "done", str(contacts[0]), "--risk", "--reopen", "--on", "2026-11-06", "--json").json
    assert run["reopen_signal"] is True and run["opened"]["kind"] == "maintien"
    maintien = cli.show(run["opened"]["id"])
    assert (maintien["follows"], maintien["opened_on"], maintien["status"]) == (veille_id, "2026-11-06", "open")
    assert cli.show(veille_id)["status"] == "open"  # the watch goes on until the adviser closes it
    assert maintien["events"][0]["note"] == "rule 8: the job is at risk again, a maintien is re-opened"


def test_reopen_in_text_says_what_it_opened(cli):
    _pid, veille_id, contacts = veille(cli)
    run = cli.ok("contact", "done", str(contacts[0]), "--risk", "--reopen")
    lines = run.stdout.splitlines()
    assert lines[1].startswith(f"opened case {veille_id + 1} (maintien): rule 8")
    assert lines[2] == f"case {veille_id} (veille) stays open: close it when the maintien has taken over"


def test_stable_contact_of_a_veille_says_nothing_more(cli):
    _pid, veille_id, contacts = veille(cli)
    run = cli.ok("contact", "done", str(contacts[0]))
    assert run.stdout == f"contact {contacts[0]} done (1/3, case {veille_id} veille) on 22/11/2026: stable\n"


def test_refusals_of_done_change_nothing(cli, store_path):
    _pid, case_id, contact_id = suivi(cli)
    cli.ok("contact", "done", str(contact_id), "--on", "2026-11-20")
    before = dump(store_path)
    assert cli.refused("contact", "done", str(contact_id)) == (
        f"capcli: contact {contact_id} of case {case_id} (suivi-conventionnel) was done already on 20/11/2026: "
        f"a contact is done once (a suivi-conventionnel gets its one more contact with 'capcli renew {case_id}')")
    assert "renew" in cli.refused("contact", "add", str(case_id), "--on", "2027-01-04")  # not 'contact add'
    assert cli.refused("contact", "done", "99") == (
        "capcli: no contact with id 99: see 'capcli show CASE' or 'capcli due'")
    assert cli.refused("contact", "done", "abc") == "capcli: invalid contact id 'abc': ids are whole numbers"
    assert dump(store_path) == before

    _pid, veille_id, contacts = veille(cli)
    before = dump(store_path)
    assert cli.refused("contact", "done", str(contacts[0]), "--on", "2026-02-30") == (
        "capcli: invalid --on '2026-02-30': no such day in the calendar")
    assert cli.refused("contact", "done", str(contacts[0]), "--on", "2026-11-23") == (
        "capcli: 23/11/2026 is in the future: record what has happened")
    assert cli.refused("contact", "done", str(contacts[0]), "--on", "2026-05-03") == (
        f"capcli: 03/05/2026 is before case {veille_id} (veille) opened (04/05/2026)")
    assert cli.refused("contact", "done", str(contacts[0]), "--reopen") == (
        "capcli: --reopen goes with --risk: a maintien is re-opened when the job is at risk again")
    assert dump(store_path) == before


def test_reopen_refused_when_a_maintien_is_already_open_changes_nothing(cli, store_path):
    pid, veille_id, contacts = veille(cli)
    cli.open("maintien", pid)
    before = dump(store_path)
    assert "already has an open maintien case" in cli.refused(
        "contact", "done", str(contacts[0]), "--risk", "--reopen")
    assert dump(store_path) == before  # the contact is not recorded either: all or nothing


def test_a_contact_of_a_closed_case_is_not_recorded(cli):
    _pid, case_id, contact_id = suivi(cli)
    cli.ok("close", str(case_id), "--outcome", "consolide", "--force")
    assert cli.refused("contact", "done", str(contact_id)) == (
        f"capcli: case {case_id} (suivi-conventionnel) is closed: its contacts can no longer be recorded")


def test_add_a_fourth_veille_contact_inside_the_window_and_never_a_fifth(cli, store_path):
    _pid, veille_id, contacts = veille(cli)
    run = cli.ok("contact", "add", str(veille_id), "--on", "04/08/2027", "--json").json
    assert (run["number"], run["of"], run["due_on"], run["case_id"]) == (4, 4, "2027-08-04", veille_id)
    assert [c["of"] for c in cli.show(veille_id)["contacts"]] == [4, 4, 4, 4]
    assert cli.show(veille_id)["events"][-1]["action"] == "contact-added"
    before = dump(store_path)
    assert cli.refused("contact", "add", str(veille_id), "--on", "2027-09-01") == (
        f"capcli: case {veille_id} (veille) already has 4 contacts: a veille has 4 at most")
    assert dump(store_path) == before


def test_add_prints_the_new_id_and_refuses_past_the_window(cli):
    _pid, veille_id, contacts = veille(cli)
    assert cli.refused("contact", "add", str(veille_id), "--on", "2027-11-05") == (
        f"capcli: 05/11/2027 is outside the veille window of case {veille_id} (veille) (04/05/2026 to 04/11/2027): "
        "all its contacts fall within 18 months of its opening")
    run = cli.ok("contact", "add", str(veille_id), "--on", "2027-11-04")
    new_id = int(run.stdout.split()[0])
    assert f"contact {new_id} due Thu 04/11/2027 (4/4, case {veille_id} veille)" in run.stdout
    assert cli("contact", "add", str(veille_id)).exit_code == 2  # --on is required without a terminal


def test_a_suivi_gets_no_contact_added_only_a_renewal(cli):
    _pid, case_id, _contact = suivi(cli)
    assert cli.refused("contact", "add", str(case_id), "--on", "2027-01-10") == (
        "capcli: a suivi-conventionnel gets its second contact with 'renew', once")


def test_move_inside_the_window_and_refusals(cli, store_path):
    _pid, veille_id, contacts = veille(cli)
    run = cli.ok("contact", "move", str(contacts[1]), "--on", "2027-06-01", "--note", "holidays")
    assert run.stdout == (f"contact {contacts[1]} (2/3, case {veille_id} veille) moved from Tue 04/05/2027 to "
                          "Tue 01/06/2027\n")
    event = cli.show(veille_id)["events"][-1]
    assert (event["action"], event["detail"], event["note"]) == ("contact-moved", "2 2027-05-04 -> 2027-06-01",
                                                                 "holidays")
    before = dump(store_path)
    assert "is outside the veille window" in cli.refused("contact", "move", str(contacts[2]), "--on", "2027-11-05")
    assert cli.refused("contact", "move", str(contacts[2]), "--on", "2027-13-01") == (
        "capcli: invalid --on '2027-13-01': no such day in the calendar")
    assert cli.refused("contact", "move", "999", "--on", "2027-01-01") == (
        "capcli: no contact with id 999: see 'capcli show CASE' or 'capcli due'")
    assert dump(store_path) == before
    cli.ok("contact", "done", str(contacts[0]))
    assert cli.refused("contact", "move", str(contacts[0]), "--on", "2027-01-01") == (
        f"capcli: contact {contacts[0]} of case {veille_id} (veille) was done on 22/11/2026: a done contact is not "
        "moved")


def test_renew_once_three_months_after_the_contact_done(cli, store_path):
    _pid, case_id, contact_id = suivi(cli)
    assert cli.refused("renew", str(case_id)) == (
        f"capcli: case {case_id} (suivi-conventionnel): record its contact first ('contact done'); the renewal is "
        "due 3 months after it")
    cli.ok("contact", "done", str(contact_id), "--on", "2026-11-21")
    run = cli.ok("renew", str(case_id))
    # due Sunday 21/02/2027: shown on the next working day (rule 9), as in show and due
    assert run.stdout == f"case {case_id} renewed: contact {contact_id + 1} due Mon 22/02/2027 * (2/2)\n"
    assert [(c["number"], c["of"], c["due_on"]) for c in cli.show(case_id)["contacts"]] == [
        (1, 2, "2026-11-20"), (2, 2, "2027-02-21")]
    assert cli.show(case_id)["events"][-1]["action"] == "renewed"
    before = dump(store_path)
    assert cli.refused("renew", str(case_id)) == (
        f"capcli: case {case_id} (suivi-conventionnel) was renewed already: a suivi-conventionnel is renewed once")
    assert cli.refused("renew", "1") == "capcli: only a suivi-conventionnel is renewed (case 1 (maintien) is not)"
    assert cli.refused("renew", "77") == "capcli: no case with id 77: see 'capcli list'"
    assert dump(store_path) == before
    cli.today = "2027-02-22"
    done = cli.ok("contact", "done", str(contact_id + 1)).stdout  # the renewed contact: only close is left
    assert f"next: 'capcli close {case_id} --outcome consolide' (the suivi was renewed already)" in done
    assert "capcli renew" not in done
    again = cli.refused("contact", "done", str(contact_id + 1))  # renewed already: no command it cannot do
    assert again.endswith("was done already on 22/02/2027: a contact is done once")


def test_a_second_done_on_a_veille_suggests_contact_add_which_works(cli):
    _pid, veille_id, contacts = veille(cli)
    cli.ok("contact", "done", str(contacts[0]))
    assert cli.refused("contact", "done", str(contacts[0])).endswith(
        "a contact is done once (add another with 'contact add')")
    cli.ok("contact", "add", str(veille_id), "--on", "2027-01-04")


def test_every_contact_command_gives_the_contact_in_json(cli):
    _pid, veille_id, contacts = veille(cli)
    keys = {"id", "case_id", "number", "of", "due_on", "done_on", "at_risk", "note"}
    done = cli.ok("contact", "done", str(contacts[0]), "--json").json
    assert set(done) == keys | {"reopen_signal", "opened"} and done["done_on"] == "2026-11-22"
    moved = cli.ok("contact", "move", str(contacts[1]), "--on", "2027-01-05", "--json").json
    assert set(moved) == keys | {"moved"} and (moved["due_on"], moved["moved"]) == ("2027-01-05", True)
    added = cli.ok("contact", "add", str(veille_id), "--on", "2027-01-06", "--json").json
    assert set(added) == keys and added["number"] == 4
    shown = {c["id"]: c for c in cli.show(veille_id)["contacts"]}
    assert shown[added["id"]] == added  # the same shape as show --json's contacts
    assert {k: shown[contacts[1]][k] for k in keys - {"of"}} == {k: moved[k] for k in keys - {"of"}}  # 3, now 4


def test_closing_a_veille_before_three_contacts_needs_force(cli):
    _pid, veille_id, contacts = veille(cli)
    cli.ok("contact", "done", str(contacts[0]))
    assert f"case {veille_id} (veille) has 1 of the 3 veille contacts done" in cli.refused(
        "close", str(veille_id), "--outcome", "stable")


def test_the_database_itself_refuses_a_second_contact_of_the_same_number_in_a_case(cli, store_path):
    from tests.conftest import sql

    _pid, case_id, _contact = veille(cli)
    before = dump(store_path)
    try:  # behind capcli's back (a hand-written row): the unique index, on both engines
        sql(store_path, "INSERT INTO contact (case_id, number, due_on) VALUES (?, 2, '2027-05-04')", (case_id,))
    except Exception as refused:  # an IntegrityError of SQLite, a UniqueViolation of PostgreSQL
        assert "unique" in str(refused).lower()
    else:
        raise AssertionError("a second contact 2 of the case was written")
    assert dump(store_path) == before
    sql(store_path, "INSERT INTO contact (case_id, number, due_on) VALUES (?, 4, '2028-05-04')", (case_id,))
    assert [c["number"] for c in cli.show(case_id)["contacts"]] == [1, 2, 3, 4]  # another number is a row
