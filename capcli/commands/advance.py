"""capcli advance CASE: the next phase, or a named later one (never backward)."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.commands._common import ON_HELP, command_app, complete_phase, env, guard, on_date, parse_id, store
from capcli.i18n import _
from capcli.render import cases as render
from capcli.render.options import AsJson
from capcli.services.cases import advance_case

app = command_app()


@app.command("advance")
@guard
def advance(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    to: Optional[str] = typer.Option(None, "--to", metavar="CODE", autocompletion=complete_phase,
                                     help=_("A later phase to move to (default: the next one).")),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help=_("A note for the journal.")),
    on: Optional[str] = typer.Option(None, "--on", metavar="DATE", help=ON_HELP),
    as_json: AsJson = False,
) -> None:
    """Move a case forward to its next phase (never backward)."""
    case_id = parse_id(case, _("case id"))
    day = on_date(on)
    with store() as s:
        before, after = advance_case(s, env(), case_id, to=to, on=day, note=note)
    render.advanced(case_id, before, after, day, as_json)
