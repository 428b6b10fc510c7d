"""Interactive prompts, answered for real through prompt_toolkit's pipe input."""

from contextlib import contextmanager

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from capcli import env as env_module
from capcli.env import Env
from tests.conftest import dump, sql

DOWN = "\x1b[B"
ENTER = "\r"


@contextmanager
def terminal(cli, keys: str):
    """Pretend stdin is a terminal and type ``keys`` into the prompts."""
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        environ = {"CAPCLI_DB": str(cli.store_path), "CAPCLI_TODAY": cli.today, "CAPCLI_ADVISER": "alice",
                   "CAPCLI_LANG": "en"}
        env_module.inject(Env(environ=environ, stdin_isatty=True))
        try:
            with create_app_session(input=pipe, output=DummyOutput()):
                yield
        finally:
            env_module.inject(None)


def test_open_asks_kind_person_and_adviser(cli):
    cli.person("DUPONT", "Marie")
    cli.person("MARTIN", "Luc")
    # kind: 2nd choice (maintien); person: 2nd (MARTIN Luc); adviser: replace the default with "chloé".
    keys = DOWN + ENTER + DOWN + ENTER + "\x7f" * 10 + "chloé" + ENTER
    with terminal(cli, keys):
        run = cli("open")
    assert run.exit_code == 0, run.stderr
    shown = cli.show(int(run.stdout.split()[0]))
    assert (shown["kind"], shown["person"]["name"], shown["adviser"]) == ("maintien", "MARTIN Luc", "chloé")


def test_person_add_asks_for_names_and_validates_inline(cli):
    # names (an empty last name refused at the prompt), then an empty birth date and no BOETH title: skipped
    with terminal(cli, ENTER + "DUPONT" + ENTER + "Marie" + ENTER + ENTER + ENTER):
        run = cli("person", "add")
    assert run.exit_code == 0, run.stderr
    shown = cli.ok("person", "show", "1", "--json").json
    assert (shown["last_name"], shown["birth_date"], shown["boeth"]) == ("DUPONT", None, None)


def test_person_add_asks_the_birth_date_and_the_boeth_title_after_the_names(cli):
    # 31/02/1980 is refused at the prompt; erased, 12/03/1980; BOETH: the 2nd title (after "none yet": rqth)
    keys = ("DUPONT" + ENTER + "Marie" + ENTER + "31/02/1980" + ENTER + "\x7f" * 10 + "12/03/1980" + ENTER
            + DOWN + ENTER)
    with terminal(cli, keys):
        run = cli("person", "add")
    assert run.exit_code == 0, run.stderr
    shown = cli.ok("person", "show", "1", "--json").json
    assert (shown["birth_date"], shown["boeth"]) == ("1980-03-12", "rqth")


def test_person_add_refuses_a_wrong_birth_date_before_any_question(cli, store_path):
    before = dump(store_path)
    with terminal(cli, ""):  # nothing typed: a question would wait
        run = cli("person", "add", "--birth-date", "31/02/1980")
    assert run.exit_code == 1, run.stderr
    assert "31/02/1980" in run.stderr and "--birth-date" in run.stderr
    assert dump(store_path) == before
    with terminal(cli, ""):
        run = cli("person", "add", "--boeth", "rqht")
    assert "did you mean 'rqth'?" in run.stderr


def test_ctrl_c_writes_nothing(cli, store_path):
    cli.person()
    before = dump(store_path)
    with terminal(cli, "\x03"):
        run = cli("open")
    assert run.exit_code == 1
    assert run.stderr.strip() == "capcli: cancelled: nothing was written"
    assert dump(store_path) == before


@pytest.mark.parametrize("answer", ["echec"])
def test_close_asks_the_outcome_among_the_kinds_outcomes(cli, answer):
    case_id = cli.open("maintien", cli.person())
    with terminal(cli, DOWN + DOWN + ENTER + ENTER):  # the third outcome, then yes to the confirmation
        run = cli("close", str(case_id))
    assert run.exit_code == 0, run.stderr
    assert cli.show(case_id)["outcome"] == answer


def test_open_with_its_kind_and_person_asks_nothing_on_a_terminal(cli):
    pid = cli.person()
    with terminal(cli, ""):  # nothing typed: a question would wait (and be cancelled)
        run = cli("open", "acces-emploi", "--person", str(pid))
    assert run.exit_code == 0, run.stderr
    assert cli.show(int(run.stdout.split()[0]))["adviser"] == "alice"  # the default adviser, not asked


def test_ctrl_d_cancels_like_ctrl_c(cli, store_path):
    before = dump(store_path)
    with terminal(cli, "\x04"):
        run = cli("person", "add")
    assert run.exit_code == 1
    assert run.stderr == "capcli: cancelled: nothing was written\n"
    assert dump(store_path) == before


def test_employer_add_checks_the_siret_as_it_is_typed(cli):
    # a wrong check digit is refused at the prompt; erase it and type the right one
    keys = "73282932000075" + ENTER + "\x7f" * 14 + "73282932000074" + ENTER + "Ateliers du Lez" + ENTER + ENTER
    with terminal(cli, keys):
        run = cli("employer", "add")
    assert run.exit_code == 0, run.stderr
    assert cli.ok("employer", "list", "--json").json[0]["siret"] == "73282932000074"


def test_employer_add_asks_the_sector_from_a_list(cli):
    keys = "73282932000074" + ENTER + "Mairie de Lunel" + ENTER + DOWN + ENTER  # prive, then public
    with terminal(cli, keys):
        run = cli("employer", "add")
    assert run.exit_code == 0, run.stderr
    assert cli.ok("employer", "list", "--json").json[0]["sector"] == "public"


def test_employer_add_checks_the_options_given_before_any_question(cli, store_path):
    before = dump(store_path)
    with terminal(cli, ""):
        run = cli("employer", "add", "--sector", "publik")
    assert run.exit_code == 1 and "did you mean 'public'?" in run.stderr, run.stderr
    with terminal(cli, ""):
        run = cli("employer", "add", "--siret", "73282932000075")
    assert run.exit_code == 1 and "73282932000075" in run.stderr, run.stderr
    assert dump(store_path) == before


def _anonymise(cli, person_id):
    sql(cli.store_path, "UPDATE person SET last_name = 'ANONYME', first_name = '', anonymised_on = '2026-11-01' "
        "WHERE id = ?", (person_id,))


def test_the_person_list_leaves_anonymised_people_out_and_they_get_no_new_case(cli):
    gone = cli.person("ABEL", "Anne")  # first in the list by name, until anonymised
    kept = cli.person("ZOLA", "Emile")
    _anonymise(cli, gone)
    with terminal(cli, ENTER + ENTER + ENTER):  # first kind, first person offered, default adviser
        run = cli("open")
    assert run.exit_code == 0, run.stderr
    assert cli.show(int(run.stdout.split()[0]))["person"]["id"] == kept
    assert cli.refused("open", "acces-emploi", "--person", str(gone)) == (
        f"capcli: person {gone} was anonymised on 01/11/2026: record the person again with 'capcli person add'")


def test_a_large_store_asks_part_of_the_name_before_the_list(cli):
    import sqlite3

    from capcli.commands.open import PERSON_CHOICES

    cli.person("DUPONT", "Marie")
    with sqlite3.connect(cli.store_path) as conn:
        conn.executemany("INSERT INTO person (last_name, first_name, rqth_definitive, created_on) "
                         "VALUES (?, 'x', 0, '2026-11-22')", [(f"NOM{i:04d}",) for i in range(PERSON_CHOICES)])
    conn.close()
    keys = ENTER + "zzz" + ENTER + "\x7f" * 3 + "dupo" + ENTER + ENTER + ENTER  # kind; no match, then "dupo"
    with terminal(cli, keys):
        run = cli("open")
    assert run.exit_code == 0, run.stderr
    assert "no one matches 'zzz'" in run.stderr
    assert cli.show(int(run.stdout.split()[0]))["person"]["name"] == "DUPONT Marie"


def test_a_closed_case_is_refused_before_its_outcome_is_asked(cli):
    case_id = cli.open("acces-emploi", cli.person())
    cli.ok("close", str(case_id), "--outcome", "abandon")
    with terminal(cli, ""):
        run = cli("close", str(case_id))
    assert run.exit_code == 1
    assert "is already closed (abandon" in run.stderr


def test_oui_answers_yes_to_a_confirmation(cli, store_path):
    from capcli import prompts

    with terminal(cli, "o"):
        assert prompts.confirm("Record?", default=False) is True
    with terminal(cli, "n"):
        assert prompts.confirm("Record?") is False


def test_questions_go_to_the_terminal_when_stdout_is_redirected(monkeypatch):
    import io

    from capcli import prompts

    class Tty(io.StringIO):
        def isatty(self):
            return True

        def fileno(self):
            return 2

    monkeypatch.setattr("sys.stdout", io.StringIO())  # `capcli person add --json > out.json`
    monkeypatch.setattr("sys.stderr", Tty())
    where = prompts._where()
    assert set(where) == {"output"}  # the questions are written to stderr, out.json stays JSON
    monkeypatch.setattr("sys.stdout", Tty())
    assert prompts._where() == {}  # both on the terminal: the usual place
