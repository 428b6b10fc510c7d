from tests.conftest import dump


def test_open_prints_the_id_and_starts_at_the_first_phase(cli):
    pid = cli.person()
    case_id = cli.open("maintien", pid, "--on", "01/09/2026", "--adviser", "bob")
    shown = cli.show(case_id)
    assert (shown["kind"], shown["phase"], shown["status"], shown["adviser"]) == ("maintien", "signalement", "open", "bob")
    assert shown["opened_on"] == "2026-09-01"
    assert shown["events"][0]["action"] == "opened" and shown["events"][0]["author"] == "alice"


def test_open_json(cli):
    pid = cli.person()
    assert cli.ok("open", "acces-emploi", "--person", str(pid), "--json").json == {"id": 1, "contacts": []}


def test_adviser_defaults_to_capcli_adviser(cli):
    pid = cli.person()
    assert cli.show(cli.open("acces-emploi", pid))["adviser"] == "alice"


def test_employer_by_siret_and_partner(cli):
    pid = cli.person()
    cli.employer()
    case_id = cli.open("maintien", pid, "--employer", "73282932000009", "--requested-by", "partenaire",
                       "--partner", "médecin du travail")
    shown = cli.show(case_id)
    assert shown["employer"]["name"] == "Ateliers du Lez"
    assert (shown["requested_by"], shown["partner"]) == ("partenaire", "médecin du travail")


def test_evolution_pro_for_the_employer_needs_consent(cli, store_path):
    pid = cli.person()
    before = dump(store_path)
    assert "needs the person's consent" in cli.refused("open", "evolution-pro", "--person", str(pid),
                                                       "--requested-by", "employeur")
    assert dump(store_path) == before
    cli.open("evolution-pro", pid, "--requested-by", "employeur", "--consent")


def test_maintien_en_emploi_opens_while_its_maintien_is_open(cli):
    pid = cli.person()
    maintien = cli.open("maintien", pid)
    mee = cli.open("maintien-en-emploi", pid, "--follows", str(maintien))
    assert cli.show(mee)["follows"] == maintien
    assert "still open" in cli.refused("open", "acces-emploi", "--person", str(pid), "--follows", str(maintien))


def test_bad_open_input(cli, store_path):
    pid = cli.person()
    before = dump(store_path)
    assert "unknown kind 'maintient': did you mean 'maintien'? (valid: acces-emploi, maintien," in cli.refused(
        "open", "maintient", "--person", str(pid))
    assert "no person with id 42" in cli.refused("open", "maintien", "--person", "42")
    assert "no employer with id or SIRET '7'" in cli.refused("open", "maintien", "--person", str(pid),
                                                             "--employer", "7")
    assert "no case with id 5" in cli.refused("open", "maintien-en-emploi", "--person", str(pid), "--follows", "5")
    assert "unknown requester 'boss'" in cli.refused("open", "maintien", "--person", str(pid),
                                                     "--requested-by", "boss")
    assert "no such day" in cli.refused("open", "maintien", "--person", str(pid), "--on", "2026-02-30")
    assert "in the future" in cli.refused("open", "maintien", "--person", str(pid), "--on", "2026-12-01")
    assert "veille can only follow" in cli.refused("open", "veille", "--person", str(pid))
    assert "needs the partner's name" in cli.refused("open", "maintien", "--person", str(pid),
                                                     "--requested-by", "partenaire")
    assert dump(store_path) == before


def test_missing_kind_or_person_without_terminal_is_a_usage_error(cli):
    cli.person()
    run = cli("open", "--person", "1")
    assert run.exit_code == 2 and "missing KIND" in run.stderr
    run = cli("open", "maintien")
    assert run.exit_code == 2 and run.stderr.strip() == "capcli: missing --person (there is no terminal to ask on)"


def test_second_open_case_of_the_same_kind_is_refused(cli):
    pid = cli.person()
    first = cli.open("maintien", pid)
    assert f"already has an open maintien case ({first})" in cli.refused("open", "maintien", "--person", str(pid))


def test_an_unknown_code_suggests_the_closest(cli):
    person = cli.person()
    assert cli.refused("open", "maintein", "--person", str(person)) == (
        "capcli: unknown kind 'maintein': did you mean 'maintien'? (valid: acces-emploi, maintien, "
        "maintien-en-emploi, evolution-pro, suivi-conventionnel, veille, emploi-accompagne)")
    assert "did you mean" not in cli.refused("open", "zzz", "--person", str(person))
