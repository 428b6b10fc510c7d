"""The ``capcli`` entry point: the root options and the list of commands.

Loading this module imports typer and the thin command modules only; the store
(SQLModel/SQLAlchemy) and questionary are imported inside the commands that use them.
"""

from __future__ import annotations

from typing import Optional

import typer

from capcli import __version__, i18n
from capcli import env as env_module
from capcli.commands import (
    case, contact, correct, demo, diagnose, due, employer, maintenance, need, person, privacy, report, settings,
    transfer,
)
from capcli.i18n import _

app = typer.Typer(
    name="capcli",
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
        help=_("Store file (default: CAPCLI_DB, else capcli.sqlite in your data directory)."),
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help=_("Show the version.")),
) -> None:
    env_module.start(db)


app.add_typer(person.app, name="person")
app.add_typer(employer.app, name="employer")
case.register(app)
correct.register(app)
demo.register(app)
settings.register(app)
diagnose.register(app)
app.add_typer(need.app, name="need")
app.add_typer(contact.app, name="contact")
contact.register(app)
due.register(app)
transfer.register(app)
report.register(app)
maintenance.register(app)
privacy.register(app)


def main() -> None:
    app(prog_name="capcli")
