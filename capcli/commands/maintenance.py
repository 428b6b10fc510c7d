"""capcli backup | check: keeping the store safe and sound."""

from __future__ import annotations

from typing import Optional

import typer

from capcli import ui
from capcli.commands._common import guard, store
from capcli.i18n import _


def backup(
    file: Optional[str] = typer.Argument(
        None, metavar="[FILE]", help=_("Backup file to create (default: beside the store, with a timestamp).")
    ),
) -> None:
    """Copy the store to a new file (mode 0600), safely, even while others write to it."""
    from capcli.files import user_path
    from capcli.store.engine import backup_path, backup_to

    target = user_path(file) if file is not None else None  # a bad name is refused before the store is opened
    with store() as s:
        target = backup_to(s, target if target is not None else backup_path(s.path))
    ui.out(str(target))


def check() -> None:
    """Check the store: SQLite integrity, foreign keys and the rules of every case."""
    from capcli.errors import ExitStatus
    from capcli.store.health import problems

    with store() as s:
        found = problems(s)
    if not found:
        ui.out(_("store OK"))
        return
    for line in found:
        ui.out(line)
    ui.err(_("{n} problem(s) found in the store: restore a backup or correct them").format(n=len(found)))
    raise typer.Exit(int(ExitStatus.REFUSED))


def register(app: typer.Typer) -> None:
    app.command("backup")(guard(backup))
    app.command("check")(guard(check))
