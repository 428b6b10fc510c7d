"""capcli renew CASE: a suivi-conventionnel's one renewal."""

from __future__ import annotations

import typer

from capcli.commands._common import command_app, env, guard, parse_id, store
from capcli.i18n import _
from capcli.render import contacts as render
from capcli.render.options import AsJson
from capcli.services import contacts

app = command_app()


@app.command("renew")
@guard
def renew(
    case: str = typer.Argument(..., metavar="CASE", help=_("The suivi-conventionnel to renew.")),
    as_json: AsJson = False,
) -> None:
    """Renew a suivi-conventionnel once: one more contact 3 months after the one done."""
    case_id = parse_id(case, _("case id"))
    with store() as s:
        change = contacts.renew(s, env(), case_id)
    render.renewed(change, as_json)
