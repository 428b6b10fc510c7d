"""capcli check: the store's integrity and the rules every case keeps."""

from __future__ import annotations


import typer

from capcli.render import ui
from capcli.commands._common import command_app, guard, store
from capcli.i18n import _


app = command_app()


@app.command("check")
@guard
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
