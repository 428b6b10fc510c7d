"""capcli backup [FILE]: a consistent copy of the store."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.commands._common import command_app, guard, store
from capcli.files import user_path
from capcli.i18n import _
from capcli.render import store as screen
from capcli.render.options import AsJson
from capcli.services import maintenance

app = command_app()


@app.command("backup")
@guard
def backup(
    file: Optional[str] = typer.Argument(
        None, metavar="[FILE]", help=_("Backup file to create (default: beside the store, with a timestamp).")
    ),
    as_json: AsJson = False,
) -> None:
    """Copy the store to a new file (mode 0600), safely, even while others write to it."""
    target = user_path(file) if file is not None else None  # a bad name is refused before the store is opened
    with store() as s:
        path = maintenance.backup(s, target)
    screen.backup(path, as_json=as_json)
