"""The ``capcli`` entry point: the root options and the list of commands.

Loading this module imports typer and the thin command modules only; the store
(SQLModel/SQLAlchemy) and questionary are imported inside the commands that use them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from capcli import __version__
from capcli import env as env_module
from capcli.commands import case, demo, employer, maintenance, person, privacy, settings
from capcli.i18n import _

app = typer.Typer(
    name="capcli",
    help=_("capcli: the command-line toolkit of Cap emploi advisers."),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals would carry people's health data
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"capcli {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: Optional[Path] = typer.Option(
        None, "--db", help=_("Store file (default: CAPCLI_DB, else capcli.sqlite in your data directory)."),
        dir_okay=True,
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help=_("Show the version.")),
) -> None:
    env_module.start(db)


app.add_typer(person.app, name="person")
app.add_typer(employer.app, name="employer")
case.register(app)
demo.register(app)
settings.register(app)
maintenance.register(app)
privacy.register(app)


def main() -> None:
    app(prog_name="capcli")
