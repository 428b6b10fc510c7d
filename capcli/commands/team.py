"""capcli team init | add | list"""

from __future__ import annotations

import typer

from capcli.commands._common import command_app, env, guard, store
from capcli.i18n import _
from capcli.render import team as render
from capcli.render.options import AsJson
from capcli.services import team

app = command_app(help=_("Who may do what on a team store: roles and row-level security."), no_args_is_help=True)


@app.command("init")
@guard
def init(as_json: AsJson = False) -> None:
    """Create the store (if need be), its roles and its policies: its administrator runs it once."""
    with store(create=True) as s:
        done = team.init(s)
    render.initialised(done, as_json)


@app.command("add")
@guard
def add(
    login: str = typer.Argument(..., metavar="LOGIN", help=_("The person's database login (created if needed).")),
    role: str = typer.Option("adviser", "--role", metavar="ROLE", help=_("adviser or manager.")),
    as_json: AsJson = False,
) -> None:
    """Give a login a role on the team store and register it as an adviser (a manager's, or the administrator's)."""
    with store() as s:
        done = team.add(s, env(), login, role.strip().lower())
    render.added(done, as_json)


@app.command("list")
@guard
def list_(as_json: AsJson = False) -> None:
    """The logins with a capcli role (the cluster's) and the registered advisers, with their open cases."""
    with store() as s:
        rows = team.listing(s)
    render.listed(rows, as_json)
