"""capcli cancel CASE --reason TEXT: a case opened by mistake leaves the caseload."""

from __future__ import annotations

from typing import Optional

import typer

from capcli.render import ui
from capcli.commands._common import command_app, JSON_HELP, ask_text, env, guard, parse_id, require, store
from capcli.i18n import _


app = command_app()


@app.command("cancel")
@guard
def cancel(
    case: str = typer.Argument(..., metavar="CASE", help=_("Case id.")),
    reason: Optional[str] = typer.Option(None, "--reason", help=_("Why it was opened by mistake.")),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Cancel a case opened by mistake: it leaves the caseload, due and the report, and stays in the journal."""
    from capcli.services.corrections import cancel_case, check_cancellable

    case_id = parse_id(case, _("case id"))

    def ask_reason() -> str:
        with store() as s:
            check_cancellable(s, case_id)  # before asking: a case with history is refused first
        return ask_text(_("Why was it opened by mistake?"))()

    reason = require(reason, "--reason", ask_reason)
    with store() as s:
        cancelled = cancel_case(s, env(), case_id, reason)
    if as_json:
        ui.json_out({"id": case_id, "status": cancelled.status, "cancelled_on": cancelled.cancelled_on,
                     "cancel_reason": cancelled.cancel_reason})
        return
    ui.out(_("case {id} cancelled ({date}): it left the caseload, due and the report").format(
        id=case_id, date=ui.fmt_date(cancelled.cancelled_on)))
