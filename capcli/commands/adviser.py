"""capcli adviser add | list"""

from __future__ import annotations

import typer

from capcli.commands._common import command_app, env, guard, store
from capcli.i18n import _
from capcli.render import advisers as render
from capcli.render.options import AsJson
from capcli.services import advisers

app = command_app(help=_("The advisers of the store (a team store knows its advisers)."), no_args_is_help=True)


@app.command("add")
@guard
def add(
    name: str = typer.Argument(..., metavar="NAME", help=_("The adviser's name: on a team store, their database login.")),
    as_json: AsJson = False,
) -> None:
    """Register an adviser of a team store: cases may then be opened for them, reassigned to them."""
    # The first step of a new team store may be to name its advisers; a local store is not created for it.
    with store(create=advisers.kept_at(env().db_path)) as s:
        added = advisers.add_adviser(s, env(), name)
    render.added(added, as_json)


@app.command("list")
@guard
def list_(as_json: AsJson = False) -> None:
    """The advisers: those registered (team store) and those with cases, with their open cases."""
    with store() as s:
        rows = advisers.list_advisers(s)
    render.listed(rows, as_json)
