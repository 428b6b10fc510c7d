"""The screens of persons, employers and needs fit 80 columns in English and in French; a long
name is shortened with '…', and the JSON of a person or an employer is the same everywhere."""

import pytest

from tests.conftest import SIRET_A, SIRET_PUBLIC

LAST = "DE LA TOUR D'AUVERGNE-LAURAGUAIS DE SAINT-EXUPÉRY"
FIRST = "Marie-Bernadette Éléonore Joséphine"
EMPLOYER = "Établissement public de coopération intercommunale du Pays de Lunel et de la Petite Camargue"


@pytest.fixture
def long_names(cli):
    pid = cli.person(LAST, FIRST, "--birth-date", "12/03/1980", "--boeth", "invalidite", "--external-id",
                     "FT-2026-000123456789", "--address", "Résidence Les Jardins de l'Hôpital, bâtiment C, "
                     "escalier 4, 12 avenue du Maréchal de Lattre de Tassigny, 34400 Lunel")
    employer = cli.employer(SIRET_PUBLIC, EMPLOYER, "public")
    cli.employer(SIRET_A, "Ateliers du Lez")
    maintien = cli.open("maintien-en-emploi", pid, "--employer", str(employer))
    cli.ok("advance", str(maintien), "--to", "mise-en-oeuvre")
    other = cli.open("maintien", pid, "--employer", str(employer))
    cli.ok("close", str(other), "--outcome", "maintien-entreprise", "--force")  # a suivi-conventionnel follows
    cli.ok("need", "add", str(maintien), "--category", "amenagement-organisationnel", "--description",
           "Aménagement des horaires et du poste de travail, avec un siège assis-debout", "--funder",
           "france-travail", "--amount", "1 250 000,50")
    return pid


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_screens_fit_80_columns_and_shorten_long_names(cli, long_names, language):
    screens = {args: cli.ok(*args, CAPCLI_LANG=language).stdout for args in (
        ("person", "show", str(long_names)), ("person", "list"), ("employer", "list"), ("need", "list"))}
    for args, text in screens.items():
        lines = text.splitlines()
        assert lines, args
        assert max(len(line) for line in lines) <= 80, (args, [line for line in lines if len(line) > 80])
    assert "…" in screens[("person", "list")] and "DE LA TOUR" in screens[("person", "list")]
    assert "…" in screens[("employer", "list")] and "Établissement public" in screens[("employer", "list")]
    assert "FT-2026" in screens[("person", "list")]  # the external id keeps its start
    show = screens[("person", "show", str(long_names))]
    assert "suivi-conven" in show and "mise-en-oeuvre" in show and "12/03/1980" in show and "Lunel" not in show
    assert "1 250 000" in screens[("need", "list")].replace("\u202f", " ").replace(",", " ") or \
        "1,250,000" in screens[("need", "list")]
    assert "amenagement-organisationnel: Aménagement" in screens[("need", "list")]


def test_short_names_are_not_shortened(cli):
    cli.person("DUPONT", "Marie")
    cli.employer()
    assert "…" not in cli.ok("person", "list").stdout + cli.ok("employer", "list").stdout
    assert "DUPONT Marie" in cli.ok("person", "list").stdout


def test_a_person_and_an_employer_have_one_json_shape_everywhere(cli, long_names):
    shown = cli.ok("person", "show", str(long_names), "--json").json
    listed = cli.ok("person", "list", "--json").json
    assert {k: v for k, v in shown.items() if k not in ("cases", "rqth_renewal")} == listed[0]  # show's own
    assert listed[0]["last_name"] == LAST  # JSON is never shortened
    employers = {e["id"]: e for e in cli.ok("employer", "list", "--json").json}
    case = cli.show(shown["cases"][0]["id"])
    assert case["employer"] == employers[case["employer"]["id"]]
    assert set(case["employer"]) == {"id", "siret", "name", "sector", "created_on"}
    assert case["employer"]["name"] == EMPLOYER


def test_help_texts_list_the_codes_of_the_domain(cli):
    from capcli.domain import codes

    for args, listed in ((("person", "add"), codes.BOETH), (("person", "edit"), codes.BOETH),
                         (("employer", "add"), codes.SECTORS), (("employer", "edit"), codes.SECTORS),
                         (("need", "add"), codes.NEED_CATEGORIES), (("need", "add"), codes.FUNDERS),
                         (("need", "list"), codes.NEED_STATUSES)):
        text = "".join(cli.ok(*args, "--help").stdout.split())
        assert ",".join(listed) in text, args


def test_person_export_to_a_file_with_json_says_which_file(cli, tmp_path):
    import json

    pid = cli.person()
    target = tmp_path / "dupont.json"
    run = cli.ok("person", "export", str(pid), "-o", str(target), "--json")
    assert run.json == {"id": pid, "path": str(target)}
    assert run.stderr == ""
    assert json.loads(target.read_text())["person"]["id"] == pid


def test_a_bad_note_is_refused_before_any_question(cli, store_path):
    from tests.conftest import dump
    from tests.test_prompts import terminal

    case_id = cli.open("maintien", cli.person())
    cli.ok("advance", str(case_id), "--to", "diagnostic")
    need_id = cli.id("need", "add", str(case_id), "--category", "autre", "--description", "x")
    before = dump(store_path)
    for args in (("contact", "add", str(case_id)), ("contact", "move", "1"), ("need", "set", str(need_id))):
        with terminal(cli, ""):  # nothing typed: a question (the date, the status) would wait
            run = cli(*args, "--note", "bell \x07")
        assert run.exit_code == 1 and "note" in run.stderr and "cancelled" not in run.stderr, (args, run.stderr)
    assert dump(store_path) == before
