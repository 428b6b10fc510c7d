"""Interactive prompts, answered for real through prompt_toolkit's pipe input."""

from contextlib import contextmanager

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from capcli import env as env_module
from capcli.env import Env
from tests.conftest import dump

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
    with terminal(cli, ENTER + "DUPONT" + ENTER + "Marie" + ENTER):
        run = cli("person", "add")
    assert run.exit_code == 0, run.stderr
    assert cli.ok("person", "show", "1", "--json").json["last_name"] == "DUPONT"


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
    with terminal(cli, DOWN + DOWN + ENTER):
        run = cli("close", str(case_id))
    assert run.exit_code == 0, run.stderr
    assert cli.show(case_id)["outcome"] == answer
