"""The ``capcli`` command line: the root options and the registry of commands.

``COMMANDS`` names every command a user types; ``load_command(name)`` imports the one module that
implements it, found by its name alone (``capcli.commands.<name>``, ``-`` as ``_``, a Python keyword
with a trailing ``_``: `import` is ``capcli/commands/import_.py``), in the way of poetry's
``COMMANDS`` and ``load_command()``. Only the module of the command that runs is imported (`--help`
lists them all, and so loads them all); every module exposes ``app``, its Typer app.
"""

from __future__ import annotations

import importlib
import keyword
from typing import Optional

import typer
from typer import _click as click  # Typer 0.28 vendors Click (pinned in pyproject.toml)
from typer.core import TyperGroup

from capcli import __version__, i18n
from capcli import env as env_module
from capcli.i18n import _

# In the order `capcli --help` lists them: the day's work first, then the records, then the store.
COMMANDS = (
    "due", "open", "advance", "close", "show", "list", "contact", "renew", "diagnose", "need", "measure",
    "person", "employer", "adviser", "team", "case", "reassign", "cancel",
    "import", "export", "report", "settings", "demo", "backup", "check", "purge", "access-log", "store",
)


def module_name(command: str) -> str:
    """The module of a command: ``capcli.commands.`` + its name (``-`` as ``_``, a keyword + ``_``)."""
    name = command.replace("-", "_")
    return f"capcli.commands.{name}_" if keyword.iskeyword(name) else f"capcli.commands.{name}"


def load_command(name: str) -> click.Command:
    """The click command of ``name``, from its module's Typer app."""
    module = importlib.import_module(module_name(name))
    command = typer.main.get_command(module.app)
    command.name = name
    return command


class _Commands(TyperGroup):
    """The root group: lists ``COMMANDS`` and loads a command's module only when it is used."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the names alone, for Typer's "Did you mean 'close'?" on a mistyped command (it reads
        # the keys); get_command below loads a command's module, only when it is used
        self.commands = dict.fromkeys(COMMANDS)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return load_command(name) if name in COMMANDS else None


app = typer.Typer(
    name="capcli",
    cls=_Commands,
    help=_("capcli: the command-line toolkit of Cap emploi advisers."),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals would carry people's health data
    rich_markup_mode=None,
)
i18n.translate_help_chrome()  # Typer/Click's own words ("Usage:", "Options") in the user's language


def _version(value: bool) -> None:
    if value:
        print(f"capcli {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: Optional[str] = typer.Option(
        None, "--db", metavar="PATH",
        help=_("Store file, or a team store's postgresql:// address (default: CAPCLI_DB, else capcli.sqlite in "
               "your data directory)."),
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help=_("Show the version.")),
) -> None:
    env_module.start(db)


def main() -> None:
    app(prog_name="capcli")
