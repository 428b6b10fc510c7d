"""capcli store copy: a whole store into an empty team store, or a team store into a new file."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.commands._common import command_app, env, guard, store
from capcli.errors import UsageError
from capcli.files import user_path
from capcli.i18n import _
from capcli.render import store as screen
from capcli.render.options import AsJson
from capcli.services import maintenance
from capcli.store import is_team_address

app = command_app(help=_("The store as a whole: copy it into a team store, or a team store into a file."),
                  no_args_is_help=True)


def _address(value: str) -> "str | object":
    """A team store's address as given, or a file name (a NUL character refused)."""
    return value if is_team_address(value) else user_path(value)


@app.callback()
def group() -> None:
    """A group of its own (one command for now): `capcli store copy …`."""


@app.command("copy")
@guard
def copy(
    to: Optional[str] = typer.Option(
        None, "--to", metavar="TARGET",
        help=_("Where to copy: an empty team store (postgresql://…) or a new file (mode 0600).")),
    source: Optional[str] = typer.Option(
        None, "--from", metavar="SOURCE", help=_("The store to copy (default: --db, else CAPCLI_DB).")),
    as_json: AsJson = False,
) -> None:
    """Copy a whole store, ids, journal and health data included, all or nothing: into an empty team
    store, or a team store into a new local file. An older store is upgraded first (with its backup)."""
    if to is None:
        raise UsageError(_("missing --to: an empty team store (postgresql://…) or a new file name"))
    target = _address(to)
    where = _address(source) if source is not None else None
    with store(at=where) as s:
        result = maintenance.copy(s, target, today=env().today, busy_timeout_ms=env().busy_timeout_ms)
    screen.copied(result, as_json=as_json)
