"""capcli backup [FILE]: a consistent copy of the store."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.render import ui
from capcli.commands._common import command_app, guard, store
from capcli.i18n import _


app = command_app()


@app.command("backup")
@guard
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
