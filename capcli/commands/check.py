"""capcli check: the store's integrity and the rules every case keeps."""

from __future__ import annotations

import typer

from capcli.commands._common import command_app, guard, store
from capcli.errors import ExitStatus
from capcli.render import store as screen
from capcli.render.options import AsJson
from capcli.services import maintenance

app = command_app()


@app.command("check")
@guard
def check(as_json: AsJson = False) -> None:
    """Check the store: SQLite integrity, foreign keys and the rules of every case."""
    with store() as s:
        problems = maintenance.check(s)
    screen.check(problems, as_json=as_json)
    if problems:
        raise typer.Exit(int(ExitStatus.REFUSED))
