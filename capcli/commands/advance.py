"""capcli advance CASE: the next phase, or a named later one (never backward)."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.render import ui
from capcli.commands._common import ON_HELP, command_app, env, guard, on_date, parse_id, store
from capcli.i18n import _


app = command_app()


@app.command("advance")
@guard
def advance(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    to: Optional[str] = typer.Option(None, "--to", help=_("A later phase to move to (default: the next one).")),
    note: Optional[str] = typer.Option(None, "--note", help=_("A note for the journal.")),
    on: Optional[str] = typer.Option(None, "--on", help=ON_HELP),
) -> None:
    """Move a case forward to its next phase (never backward)."""
    from capcli.services.cases import advance_case

    case_id = parse_id(case, _("case id"))
    day = on_date(on)
    with store() as s:
        before, after = advance_case(s, env(), case_id, to=to, on=day, note=note)
    ui.out(_("case {id}: {before} -> {after}").format(id=case_id, before=before, after=after))
