def _caseload(cli):
    a = cli.person("DUPONT", "Marie")
    b = cli.person("MARTIN", "Luc")
    cli.employer()
    m = cli.open("maintien", a, "--employer", "1", "--on", "2026-05-04")
    cli.ok("advance", str(m), "--on", "2026-06-01")
    cli.ok("close", str(m), "--outcome", "maintien-poste", "--on", "2026-08-03")
    cli.open("acces-emploi", b, "--adviser", "bob")
    return m


def test_show_text_has_phases_contacts_and_history(cli):
    m = _caseload(cli)
    text = cli.ok("show", "2").stdout
    assert "Case 2 · suivi-conventionnel · open" in text
    assert "Follows       case 1" in text
    assert "1/1  Tue 03/11/2026" in text and "to do" in text
    closed = cli.ok("show", str(m)).stdout
    assert "signalement > [diagnostic] > solutions > mise-en-oeuvre" in closed
    assert "closed: maintien-poste on 03/08/2026" in closed
    for line in ("04/05/2026  opened", "01/06/2026  phase", "signalement -> diagnostic", "03/08/2026  closed"):
        assert line in closed


def test_show_json_keys(cli):
    _caseload(cli)
    shown = cli.show(2)
    for key in ("phase", "status", "outcome", "follows", "contacts", "needs", "events", "diagnostic", "person"):
        assert key in shown
    assert shown["contacts"][0].keys() >= {"id", "number", "of", "due_on", "done_on", "at_risk"}


def test_a_due_date_on_a_weekend_is_shown_on_the_next_working_day(cli):
    pid = cli.person()
    m = cli.open("maintien", pid, "--on", "2026-05-04")
    cli.ok("close", str(m), "--outcome", "maintien-poste", "--on", "2026-08-22")  # +3 months: Sunday 22/11/2026
    assert "Mon 23/11/2026 *" in cli.ok("show", "2").stdout
    assert cli.show(2)["contacts"][0]["due_on"] == "2026-11-22"


def test_list_filters(cli):
    _caseload(cli)
    ids = lambda *args: [c["id"] for c in cli.ok("list", "--json", *args).json]  # noqa: E731
    assert ids() == [1, 2]  # your own cases (alice's), like `due` and `report`
    assert ids("--all") == [1, 2, 3]
    assert ids("--all", "--open") == [2, 3]
    assert ids("--open") == [2]
    assert ids("--all", "--closed") == [1]
    assert ids("--adviser", "bob") == [3]
    assert ids("--kind", "maintien") == [1]
    assert ids("--person", "1") == [1, 2]
    assert "MARTIN Luc" in cli.ok("list", "--all", "--open").stdout
    assert "MARTIN Luc" not in cli.ok("list", "--open").stdout
    assert "unknown kind 'x'" in cli.refused("list", "--kind", "x")
    assert cli.ok("list", "--adviser", "nobody").stdout.strip() == "No case matches."


def test_unknown_case(cli):
    cli.new_store()
    assert "no case with id 3" in cli.refused("show", "3")
