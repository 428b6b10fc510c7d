"""The case commands' contract (issue 15): JSON on every command and the same shapes, your own
cases by default, help listing the codes, dates dd/mm/yyyy, 80 columns, prompts that check the
options given first."""

import re
import subprocess
import sys

from tests.conftest import SIRET_A, SIRET_B, dump
from tests.test_prompts import DOWN, ENTER, terminal

FR = {"CAPCLI_LANG": "fr"}


def screen(cli, *args, **env) -> str:
    """What a reader sees, the language chosen afresh as in a new process."""
    from capcli import i18n

    i18n.reset()
    try:
        return cli.ok(*args, **env).stdout
    finally:
        i18n.reset()


def test_advance_close_cancel_reassign_and_case_edit_answer_in_json(cli):
    pid = cli.person()
    case = cli.open("acces-emploi", pid, "--on", "2026-11-02")
    assert cli.ok("advance", str(case), "--on", "2026-11-10", "--json").json == {
        "id": case, "from": "diagnostic", "to": "projet", "on": "2026-11-10"}
    closed = cli.ok("close", str(case), "--outcome", "formation", "--on", "2026-11-20", "--json").json
    assert closed == {"id": case, "outcome": "formation", "closed_on": "2026-11-20", "opened": []}
    other = cli.open("maintien", pid)
    assert cli.ok("reassign", "--from", "alice", "--to", "bob", "--json").json == {
        "from": "alice", "to": "bob", "dry_run": False, "cases": [other], "contacts": 0}
    assert cli.ok("case", "edit", str(other), "--partner", "SPST", "--json").json == {
        "id": other, "changed": {"partner": {"old": None, "new": "SPST"}}}
    mistake = cli.open("evolution-pro", cli.person("MARTIN", "Luc"))
    assert cli.ok("cancel", str(mistake), "--reason", "doublon", "--json").json["cancelled_on"] == "2026-11-22"


def test_a_case_has_the_same_shape_in_list_and_show(cli):
    pid = cli.person()
    employer = cli.employer()
    with_employer = cli.open("maintien", pid, "--employer", str(employer))
    without = cli.open("acces-emploi", cli.person("MARTIN", "Luc"))
    listed = {c["id"]: c for c in cli.ok("list", "--json").json}
    # the employer's one shape, as `employer list --json` gives it
    assert listed[with_employer]["employer"] == {"id": employer, "name": "Ateliers du Lez", "siret": SIRET_A,
                                                 "sector": "prive", "created_on": "2026-11-22"}
    assert listed[without]["employer"] is None
    for case_id, row in listed.items():
        shown = cli.show(case_id)
        assert {key: shown[key] for key in row} == row  # every key of the list, the same as in show


def test_list_shows_your_own_cases_unless_told_otherwise(cli):
    pid = cli.person("DUPONT", "Marie")
    mine = cli.open("acces-emploi", pid)
    bobs = cli.open("maintien", pid, "--adviser", "bob")
    ids = lambda *args: [c["id"] for c in cli.ok("list", "--json", *args).json]  # noqa: E731
    assert ids() == [mine]
    assert ids("--adviser", "bob") == [bobs]
    assert ids("--all") == [mine, bobs]
    assert "bob" in cli.ok("list", "--all").stdout.splitlines()[2]  # the adviser's column, for the agency
    assert "adviser" not in cli.ok("list").stdout.splitlines()[0]  # not for your own list
    both = cli("list", "--all", "--adviser", "bob")
    assert (both.exit_code, both.stderr) == (2, "capcli: --all and --adviser exclude each other: choose one\n")


def one_line(help_text: str) -> str:
    """A help text as one line, whatever the terminal's width (Click wraps at hyphens too)."""
    return re.sub(r"-\s+", "-", " ".join(help_text.split()))


def test_help_lists_the_codes_and_the_metavars_name_what_they_take(cli):
    close = one_line(cli.ok("close", "--help").stdout)
    assert "acces-emploi: emploi-durable, emploi-transition, creation-activite, formation, reorientation, abandon" \
        in close and "veille: stable, re-signalement" in close and "How the case ends (see the README)" not in close
    assert "--contract CODE" in close and "--on DATE" in close and "--months N" in close
    opening = one_line(cli.ok("open", "--help").stdout)
    assert "acces-emploi, maintien, maintien-en-emploi, evolution-pro, suivi-conventionnel, veille, " \
           "emploi-accompagne" in opening
    assert "--person ID" in opening and "--follows CASE" in opening and "--adviser NAME" in opening
    assert "--kind CODE" in cli.ok("list", "--help").stdout
    assert "--from NAME" in cli.ok("reassign", "--help").stdout


def _complete(words: str) -> list[str]:
    env = {"_CAPCLI_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1),
           "CAPCLI_DB": "/nonexistent/never-created.sqlite"}
    import os

    run = subprocess.run([sys.executable, "-m", "capcli"], capture_output=True, text=True, timeout=60,
                         env={**os.environ, **env})
    return run.stdout.split()


def test_tab_completes_kinds_phases_and_outcomes():
    assert _complete("capcli advance 1 --to mise") == ["mise-en-oeuvre"]
    assert _complete("capcli close 1 --outcome emploi") == ["emploi-durable", "emploi-transition"]
    assert _complete("capcli open maintien") == ["maintien", "maintien-en-emploi"]
    assert _complete("capcli list --kind suivi") == ["suivi-conventionnel"]


def test_messages_and_history_write_dates_day_first_and_name_contacts_by_id(cli):
    case = cli.open("maintien", cli.person(), "--on", "2026-03-02")
    cli.ok("close", str(case), "--outcome", "maintien-poste", "--on", "2026-03-02")
    assert cli.refused("close", str(case), "--outcome", "echec") == (
        f"capcli: case {case} (maintien) is already closed (maintien-poste, 02/03/2026): a case is closed once")
    assert "is closed (maintien-poste, 02/03/2026)" in cli.refused("advance", str(case))
    follow = cli.show(case)["followed_by"][0]
    contact = cli.show(follow)["contacts"][0]
    history = cli.ok("show", str(follow)).stdout
    assert f"contact scheduled  contact {contact['id']}: 02/06/2026" in history
    assert "2026-06-02" not in history


def test_list_and_show_fit_80_columns_in_french_with_long_names(cli):
    long_last, long_first = "DE LA TOUR D'AUVERGNE-LAURAGUAIS", "Marie-Bernadette Geneviève"
    pid = cli.person(long_last, long_first)
    employer = cli.employer(SIRET_B, "Établissements Métallurgiques de la Vallée de l'Hérault et du Lez")
    maintien = cli.open("maintien", pid, "--employer", str(employer), "--on", "2026-05-04",
                        "--requested-by", "partenaire", "--partner", "Service de prévention et de santé au travail",
                        "--adviser", "Anne-Sophie Delacroix-Montbrun")
    cli.ok("advance", str(maintien), "--on", "2026-05-11")
    cli.ok("need", "add", str(maintien), "--category", "amenagement-poste", "--description",
           "Siège ergonomique avec accoudoirs réglables et repose-pieds pour le poste de soudure")
    cli.ok("close", str(maintien), "--outcome", "maintien-entreprise", "--on", "2026-08-03", "--note",
           "Reclassée au magasin après l'étude ergonomique et l'accord du médecin du travail, à revoir en mars")
    cli.open("emploi-accompagne", cli.person("MARTIN-DELACOURT", "Jean-Christophe"), "--adviser", "alice")
    screens = [screen(cli, "list", "--all", **FR), screen(cli, "list", "--all"),
               screen(cli, "list", "--adviser", "Anne-Sophie Delacroix-Montbrun", **FR)]
    screens += [screen(cli, "show", str(case), **env) for case in (1, 2) for env in (FR, {})]
    for text in screens:
        for line in text.splitlines():
            assert len(line) <= 80, line
    listing = screens[0]
    assert listing.splitlines()[0].startswith("n°  type")  # French
    first = listing.splitlines()[1].split("  ")
    assert any(cell.startswith("DE LA TOUR") and cell.endswith("…") for cell in first)  # cut, not wrapped
    assert len(listing.splitlines()) == 1 + len(cli.ok("list", "--all", "--json").json)  # one line a case
    shown = screen(cli, "show", str(maintien), **FR)
    assert "étude ergonomique" in shown and "à revoir en mars" in shown  # the note wraps: nothing of it lost


# --- prompts: the options given are checked first ----------------------------------------


def test_open_refuses_an_unknown_person_before_any_question(cli, store_path):
    cli.person()
    before = dump(store_path)
    with terminal(cli, "\x04"):  # a question would be cancelled by this Ctrl-D: none is asked
        run = cli("open", "--person", "999")
    assert run.exit_code == 1 and run.stderr.startswith("capcli: no person with id 999")
    with terminal(cli, "\x04"):
        run = cli("open", "--employer", "42")
    assert run.exit_code == 1 and "employer" in run.stderr and "cancelled" not in run.stderr
    assert dump(store_path) == before


def test_close_refuses_an_impossible_date_before_any_question(cli):
    case = cli.open("maintien", cli.person())
    with terminal(cli, "\x04"):
        run = cli("close", str(case), "--on", "31/02/2027")
    assert run.exit_code == 1 and "31/02/2027" in run.stderr and "cancelled" not in run.stderr


def test_ctrl_d_cancels_a_list_question(cli, store_path):
    cli.person()
    before = dump(store_path)
    with terminal(cli, DOWN + "\x04"):  # at the kind's list
        run = cli("open")
    assert (run.exit_code, run.stderr) == (1, "capcli: cancelled: nothing was written\n")
    assert dump(store_path) == before


def test_an_interactive_close_shows_the_outcome_and_asks_to_confirm(cli, store_path):
    case = cli.open("maintien", cli.person())
    before = dump(store_path)
    with terminal(cli, ENTER + "n"):  # maintien-poste, then no
        run = cli("close", str(case))
    assert (run.exit_code, run.stderr) == (1, "capcli: cancelled: nothing was written\n")
    assert dump(store_path) == before
    with terminal(cli, ENTER + "\x04"):  # Ctrl-D at the confirmation cancels too
        run = cli("close", str(case))
    assert (run.exit_code, run.stderr) == (1, "capcli: cancelled: nothing was written\n")
    assert dump(store_path) == before
    with terminal(cli, ENTER + "y"):
        run = cli("close", str(case))
    assert run.exit_code == 0, run.stderr
    assert cli.show(case)["outcome"] == "maintien-poste"


def test_an_acces_emploi_closed_in_a_job_is_asked_its_contract(cli):
    case = cli.open("acces-emploi", cli.person())
    # emploi-durable; contract: cdd (2nd); months: "x" is refused at the prompt, then 8; yes
    with terminal(cli, ENTER + DOWN + ENTER + "x" + ENTER + "\x7f8" + ENTER + "y"):
        run = cli("close", str(case))
    assert run.exit_code == 0, run.stderr
    assert cli.show(case)["events"][-1]["detail"] == "emploi-durable cdd 8"
    other = cli.open("acces-emploi", cli.person("MARTIN", "Luc"))
    with terminal(cli, DOWN + ENTER + "3" + ENTER + "y"):  # emploi-transition; --contract given: its months asked
        run = cli("close", str(other), "--contract", "interim")
    assert run.exit_code == 0, run.stderr
    assert cli.show(other)["events"][-1]["detail"] == "emploi-transition interim 3"
    third = cli.open("acces-emploi", cli.person("PETIT", "Léa"))
    with terminal(cli, DOWN * 3 + ENTER + "y"):  # formation: no contract to ask
        run = cli("close", str(third))
    assert run.exit_code == 0, run.stderr
    assert cli.show(third)["outcome"] == "formation"


def test_open_asks_the_employer_of_a_maintien(cli):
    cli.person("DUPONT", "Marie")
    cli.person("ZOLA", "Emile")
    employer = cli.employer()
    # kind maintien (2nd), the one person, the default adviser, then the employer (after "none yet")
    with terminal(cli, DOWN + ENTER + ENTER + ENTER + DOWN + ENTER):
        run = cli("open")
    assert run.exit_code == 0, run.stderr
    assert cli.show(int(run.stdout.split()[0]))["employer"]["id"] == employer
    with terminal(cli, DOWN + ENTER + DOWN + ENTER + ENTER + ENTER):  # ZOLA Emile; "none yet"
        run = cli("open", "--on", "2026-11-21")
    assert run.exit_code == 0, run.stderr
    assert cli.show(int(run.stdout.split()[0]))["employer"] is None
    with terminal(cli, ENTER + ENTER + ENTER):  # an acces-emploi: no employer asked
        run = cli("open")
    assert run.exit_code == 0, run.stderr
    assert cli.show(int(run.stdout.split()[0]))["kind"] == "acces-emploi"


def test_the_confirmation_names_the_case_the_outcome_the_contract_and_the_date(cli, monkeypatch):
    from capcli import prompts

    asked = []
    monkeypatch.setattr(prompts, "confirm", lambda message, default=True: asked.append(message) or True)
    case = cli.open("acces-emploi", cli.person(), "--on", "2026-11-02")
    with terminal(cli, ENTER + DOWN + ENTER + "8" + ENTER):  # emploi-durable, cdd, 8 months
        run = cli("close", str(case), "--on", "20/11/2026")
    assert run.exit_code == 0, run.stderr
    assert asked == [f"Close case {case} (acces-emploi): emploi-durable (cdd 8) on 20/11/2026?"]
