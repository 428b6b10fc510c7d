"""capcli show CASE: one case with its contacts, needs, diagnostic and history."""

from __future__ import annotations

import typer

from capcli.commands._common import command_app, env, guard, parse_id, store
from capcli.i18n import _
from capcli.render import cases as render
from capcli.render.options import AsJson
from capcli.services import cases

app = command_app()


@app.command("show")
@guard
def show(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    as_json: AsJson = False,
) -> None:
    """Show a case: phase, contacts, needs, diagnostic and its whole journal."""
    case_id = parse_id(case, _("case id"))
    with store() as s:
        detail = cases.show_case(s, env(), case_id)
    render.case_detail(detail, as_json)
